MODEL (
  name staging.team_game_logs,
  kind VIEW,
  owner analytics,
  grain (game_id, team_id),
  tags (staging, game_logs),
  description 'One row per team per game (LeagueGameLog, PlayerOrTeam=T), typed and renamed, latest load of each key (partitioned by date first: a key has one date, and a date filter on the view then reaches the scan).',
  column_descriptions (
    game_id = 'stats.nba.com game id; its first three digits give the game type',
    game_type = 'Pre Season, Regular Season, PlayIn, Playoffs, All Star or NBA Cup Final, from the game id',
    season = 'Season label such as 2025-26',
    is_home = 'True when the matchup reads "vs." (home); neutral-site games read "@" for both teams',
    minutes = 'Team minutes: 240 plus 25 per overtime period',
    plus_minus = 'Point margin from this team''s side'
  ),
  audits (
    unique_combination_of_columns(columns := (game_id, team_id)),
    not_null(columns := (game_id, team_id, game_date, pts)),
    points_add_up,
    two_teams_per_game
  )
);

WITH latest_loads AS (
  SELECT
    game_id,
    team_id,
    game_date,
    season_id,
    team_abbreviation,
    team_name,
    matchup,
    wl,
    min,
    fgm,
    fga,
    fg_pct,
    fg3_m,
    fg3_a,
    fg3_pct,
    ftm,
    fta,
    ft_pct,
    oreb,
    dreb,
    reb,
    ast,
    stl,
    blk,
    tov,
    pf,
    pts,
    plus_minus,
    _dlt_load_id
  FROM raw.team_game_logs
  QUALIFY
    ROW_NUMBER() OVER (PARTITION BY game_date, game_id, team_id ORDER BY _dlt_load_id DESC) = 1
)
SELECT
  game_id::TEXT AS game_id,
  team_id::BIGINT AS team_id,
  game_date::DATE AS game_date,
  @game_type(game_id) AS game_type,
  @season_label(RIGHT(season_id, 4)::INT) AS season,
  team_abbreviation::TEXT AS team_abbreviation,
  team_name::TEXT AS team_name,
  matchup::TEXT AS matchup,
  matchup LIKE '% vs. %' AS is_home,
  wl::TEXT AS wl,
  min::INT AS minutes,
  fgm::INT AS fgm,
  fga::INT AS fga,
  fg_pct::DOUBLE AS fg_pct,
  fg3_m::INT AS fg3m,
  fg3_a::INT AS fg3a,
  fg3_pct::DOUBLE AS fg3_pct,
  ftm::INT AS ftm,
  fta::INT AS fta,
  ft_pct::DOUBLE AS ft_pct,
  oreb::INT AS oreb,
  dreb::INT AS dreb,
  reb::INT AS reb,
  ast::INT AS ast,
  stl::INT AS stl,
  blk::INT AS blk,
  tov::INT AS tov,
  pf::INT AS pf,
  pts::INT AS pts,
  plus_minus::INT AS plus_minus,
  _dlt_load_id::TEXT AS load_id
FROM latest_loads