MODEL (
  name core.fct_games,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column game_date,
    lookback 7
  ),
  owner analytics,
  grain game_id,
  tags (core, games),
  description 'One row per finished game: home and away team, final score, winner and overtime periods. Each run rebuilds the last 7 days (lookback) because stat corrections arrive late.',
  column_descriptions (
    game_id = 'stats.nba.com game id',
    game_type = 'Pre Season, Regular Season, PlayIn, Playoffs, All Star or NBA Cup Final',
    home_team_id = 'Home team; at a neutral site, the designated home team from the schedule (else the lower team id)',
    winner_team_id = 'Team with more points',
    overtime_periods = 'Overtime periods played, from team minutes',
    is_neutral_site = 'Neither team was at home (NBA Cup knockouts, games abroad)'
  ),
  audits (
    unique_values(columns := (
      game_id
    )),
    not_null(
      columns := (
        game_id,
        game_date,
        home_team_id,
        away_team_id,
        home_pts,
        away_pts,
        winner_team_id
      )
    ),
    one_winner_per_game,
    games_inside_their_season
  )
);

WITH team_games AS (
  SELECT
    game_id,
    game_date,
    game_type,
    season,
    team_id,
    team_abbreviation,
    is_home,
    pts,
    minutes
  FROM staging.team_game_logs
  WHERE
    game_date BETWEEN @start_date AND @end_date
), scheduled_home_teams AS (
  SELECT
    game_id,
    home_team_id
  FROM staging.schedule
), team_games_with_sides AS (
  SELECT
    team_games.game_id,
    team_games.game_date,
    team_games.game_type,
    team_games.season,
    team_games.team_id,
    team_games.team_abbreviation,
    team_games.pts,
    team_games.minutes,
    COUNT(*) FILTER(WHERE
      team_games.is_home) OVER (PARTITION BY team_games.game_id) = 0 AS is_neutral_site,
    CASE
      WHEN COUNT(*) FILTER(WHERE
        team_games.is_home) OVER (PARTITION BY team_games.game_id) = 1
      THEN team_games.is_home
      WHEN NOT scheduled_home_teams.home_team_id IS NULL
      THEN team_games.team_id = scheduled_home_teams.home_team_id
      ELSE team_games.team_id = MIN(team_games.team_id) OVER (PARTITION BY team_games.game_id)
    END AS is_home_side
  FROM team_games
  LEFT JOIN scheduled_home_teams
    ON team_games.game_id = scheduled_home_teams.game_id
)
SELECT
  game_id,
  ANY_VALUE(game_date) AS game_date,
  ANY_VALUE(season) AS season,
  ANY_VALUE(game_type) AS game_type,
  MAX(team_id) FILTER(WHERE
    is_home_side) AS home_team_id,
  MAX(team_abbreviation) FILTER(WHERE
    is_home_side) AS home_team_abbreviation,
  MAX(team_id) FILTER(WHERE
    NOT is_home_side) AS away_team_id,
  MAX(team_abbreviation) FILTER(WHERE
    NOT is_home_side) AS away_team_abbreviation,
  MAX(pts) FILTER(WHERE
    is_home_side) AS home_pts,
  MAX(pts) FILTER(WHERE
    NOT is_home_side) AS away_pts,
  ARG_MAX(team_id, pts) AS winner_team_id,
  @overtime_periods(MAX(minutes)) AS overtime_periods,
  BOOL_OR(is_neutral_site::BOOLEAN) AS is_neutral_site
FROM team_games_with_sides
GROUP BY
  game_id