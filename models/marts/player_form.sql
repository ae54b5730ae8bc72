MODEL (
  name marts.player_form,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column game_date,
    lookback 7
  ),
  owner analytics,
  grain (player_id, game_id),
  tags (marts, players),
  description 'A player''s form after each game: averages over his last 5 and last 10 games of the season (regular season and postseason, preseason excluded), this game included. Each run reads back through the season so a window is whole on its first day.',
  column_descriptions (
    games_in_season = 'Games the player has played this season through this one',
    last5_pts = 'Average points over the last 5 games (fewer early in the season)',
    last10_pts = 'Average points over the last 10 games (fewer early in the season)',
    last5_ts_pct = 'True shooting over the last 5 games, from their summed points and attempts',
    last10_ts_pct = 'True shooting over the last 10 games'
  ),
  audits (
    unique_combination_of_columns(columns := (player_id, game_id)),
    not_null(columns := (player_id, game_id, game_date, season, games_in_season))
  )
);

WITH season_games AS (
  SELECT
    game_id,
    game_date,
    season,
    game_type,
    player_id,
    player_name,
    team_id,
    minutes,
    pts,
    reb,
    ast,
    fga,
    fta,
    game_score
  FROM core.fct_player_games
  WHERE
    game_date BETWEEN @season_first_date(@start_ds) AND @end_date
    AND game_type IN ('Regular Season', 'PlayIn', 'Playoffs', 'NBA Cup Final')
), rolling_games AS (
  SELECT
    game_id,
    game_date,
    season,
    game_type,
    player_id,
    player_name,
    team_id,
    minutes,
    pts,
    reb,
    ast,
    game_score,
    ROW_NUMBER() OVER by_game AS games_in_season,
    AVG(minutes) OVER last5 AS last5_minutes,
    AVG(pts) OVER last5 AS last5_pts,
    AVG(reb) OVER last5 AS last5_reb,
    AVG(ast) OVER last5 AS last5_ast,
    AVG(game_score) OVER last5 AS last5_game_score,
    @true_shooting(SUM(pts) OVER last5, SUM(fga) OVER last5, SUM(fta) OVER last5) AS last5_ts_pct,
    AVG(minutes) OVER last10 AS last10_minutes,
    AVG(pts) OVER last10 AS last10_pts,
    AVG(reb) OVER last10 AS last10_reb,
    AVG(ast) OVER last10 AS last10_ast,
    AVG(game_score) OVER last10 AS last10_game_score,
    @true_shooting(SUM(pts) OVER last10, SUM(fga) OVER last10, SUM(fta) OVER last10) AS last10_ts_pct
  FROM season_games
  WINDOW by_game AS (PARTITION BY player_id, season ORDER BY game_date, game_id), last5 AS (by_game ROWS BETWEEN 4 PRECEDING AND CURRENT ROW), last10 AS (by_game ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)
)
SELECT
  game_id,
  game_date,
  season,
  game_type,
  player_id,
  player_name,
  team_id,
  minutes,
  pts,
  reb,
  ast,
  game_score,
  games_in_season,
  last5_minutes,
  last5_pts,
  last5_reb,
  last5_ast,
  last5_game_score,
  last5_ts_pct,
  last10_minutes,
  last10_pts,
  last10_reb,
  last10_ast,
  last10_game_score,
  last10_ts_pct
FROM rolling_games
WHERE
  game_date BETWEEN @start_date AND @end_date