MODEL (
  name staging.player_game_logs,
  kind VIEW,
  owner analytics,
  grain (game_id, player_id),
  tags (staging, game_logs),
  description 'One row per player per game (PlayerGameLogs), typed and renamed, latest load of each key (partitioned by date first: a key has one date, and a date filter on the view then reaches the scan).',
  column_descriptions (
    game_type = 'Pre Season, Regular Season, PlayIn, Playoffs, All Star or NBA Cup Final, from the game id',
    minutes = 'Minutes played, fractional',
    plus_minus = 'Team point margin while the player was on the floor'
  ),
  audits (
    unique_combination_of_columns(columns := (game_id, player_id)),
    not_null(columns := (game_id, player_id, team_id, game_date)),
    points_add_up
  )
);

WITH latest_loads AS (
  SELECT
    game_id,
    player_id,
    team_id,
    game_date,
    season_year,
    player_name,
    team_abbreviation,
    matchup,
    wl,
    min,
    fgm,
    fga,
    fg3_m,
    fg3_a,
    ftm,
    fta,
    oreb,
    dreb,
    reb,
    ast,
    tov,
    stl,
    blk,
    pf,
    pts,
    plus_minus,
    _dlt_load_id
  FROM raw.player_game_logs
  QUALIFY
    ROW_NUMBER() OVER (PARTITION BY game_date, game_id, player_id ORDER BY _dlt_load_id DESC) = 1
)
SELECT
  game_id::TEXT AS game_id,
  player_id::BIGINT AS player_id,
  team_id::BIGINT AS team_id,
  game_date::DATE AS game_date,
  @game_type(game_id) AS game_type,
  season_year::TEXT AS season,
  player_name::TEXT AS player_name,
  team_abbreviation::TEXT AS team_abbreviation,
  matchup::TEXT AS matchup,
  matchup LIKE '% vs. %' AS is_home,
  wl::TEXT AS wl,
  min::DOUBLE AS minutes,
  fgm::INT AS fgm,
  fga::INT AS fga,
  fg3_m::INT AS fg3m,
  fg3_a::INT AS fg3a,
  ftm::INT AS ftm,
  fta::INT AS fta,
  oreb::INT AS oreb,
  dreb::INT AS dreb,
  reb::INT AS reb,
  ast::INT AS ast,
  tov::INT AS tov,
  stl::INT AS stl,
  blk::INT AS blk,
  pf::INT AS pf,
  pts::INT AS pts,
  plus_minus::INT AS plus_minus,
  _dlt_load_id::TEXT AS load_id
FROM latest_loads