MODEL (
  name core.dim_teams,
  kind FULL,
  owner analytics,
  grain (team_id, valid_from_season),
  tags (core, teams),
  description 'Each franchise''s identity over time, type 2: a new version whenever its abbreviation, name, conference or division changes (relocations such as SEA to OKC, renames such as NOH to NOP, realignments). Rebuilt from the game logs and the division seed, so history loaded at any time is versioned correctly.',
  column_descriptions (
    team_id = 'stats.nba.com team id, stable across relocations and renames',
    team_abbreviation = 'Abbreviation in this version',
    team_name = 'Full name in this version, as the game logs print it',
    conference = 'Conference in this version; null for seasons the seed does not cover',
    division = 'Division in this version; null for seasons the seed does not cover',
    valid_from_season = 'First season of this version',
    valid_to_season = 'Last season of this version in the loaded data',
    valid_from = 'Date of the version''s first game',
    valid_to = 'Date of the next version''s first game; null for the current version',
    is_current = 'The version in use in the latest loaded season'
  ),
  audits (
    unique_combination_of_columns(columns := (team_id, valid_from_season)),
    not_null(columns := (team_id, team_abbreviation, valid_from_season, valid_from))
  )
);

WITH team_seasons AS (
  SELECT
    team_id,
    season,
    LEFT(season, 4)::INT AS season_start_year,
    @last_by(team_abbreviation, game_date) AS team_abbreviation,
    @last_by(team_name, game_date) AS team_name,
    MIN(game_date) AS first_game_date
  FROM staging.team_game_logs
  WHERE
    game_type IN ('Regular Season', 'PlayIn', 'Playoffs')
  GROUP BY
    team_id,
    season
), aligned_team_seasons AS (
  SELECT
    team_seasons.team_id,
    team_seasons.season,
    team_seasons.season_start_year,
    team_seasons.team_abbreviation,
    team_seasons.team_name,
    team_seasons.first_game_date,
    team_divisions.conference,
    team_divisions.division
  FROM team_seasons
  LEFT JOIN seeds.team_divisions AS team_divisions
    ON team_seasons.team_id = team_divisions.team_id
    AND team_seasons.season_start_year >= team_divisions.first_season
    AND team_seasons.season_start_year <= COALESCE(team_divisions.last_season, 9999)
), version_starts AS (
  SELECT
    team_id,
    season,
    season_start_year,
    team_abbreviation,
    team_name,
    first_game_date,
    conference,
    division,
    LAG(ROW(team_abbreviation, team_name, conference, division)) OVER (PARTITION BY team_id ORDER BY season_start_year) IS DISTINCT FROM ROW(team_abbreviation, team_name, conference, division) AS is_new_version
  FROM aligned_team_seasons
), versioned_team_seasons AS (
  SELECT
    team_id,
    season,
    team_abbreviation,
    team_name,
    first_game_date,
    conference,
    division,
    SUM(is_new_version::INT) OVER (PARTITION BY team_id ORDER BY season_start_year) AS version_number
  FROM version_starts
), versions AS (
  SELECT
    team_id,
    version_number,
    MIN(team_abbreviation) AS team_abbreviation,
    MIN(team_name) AS team_name,
    MIN(conference) AS conference,
    MIN(division) AS division,
    MIN(season) AS valid_from_season,
    MAX(season) AS valid_to_season,
    MIN(first_game_date) AS valid_from
  FROM versioned_team_seasons
  GROUP BY
    team_id,
    version_number
)
SELECT
  team_id,
  team_abbreviation,
  team_name,
  conference,
  division,
  valid_from_season,
  valid_to_season,
  valid_from,
  LEAD(valid_from) OVER (PARTITION BY team_id ORDER BY valid_from) AS valid_to,
  LEAD(valid_from) OVER (PARTITION BY team_id ORDER BY valid_from) IS NULL AS is_current
FROM versions