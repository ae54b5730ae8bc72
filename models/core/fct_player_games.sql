MODEL (
  name core.fct_player_games,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column game_date,
    lookback 7
  ),
  owner analytics,
  grain (game_id, player_id),
  tags (core, players, games),
  description 'One row per player per game: the box score line, the opponent and location from the team''s game, Hollinger''s game score and double/triple-double flags. The last 7 days are rebuilt on every run.',
  column_descriptions (
    game_id = 'stats.nba.com game id',
    player_id = 'stats.nba.com person id',
    team_id = 'The player''s team in this game',
    opponent_team_id = 'Null when the team''s game log is not loaded',
    location = 'home, road or neutral; null when the team''s game log is not loaded',
    minutes = 'Minutes played, fractional',
    game_score = 'Hollinger''s game score: PTS + 0.4 FGM - 0.7 FGA - 0.4 (FTA - FTM) + 0.7 OREB + 0.3 DREB + STL + 0.7 AST + 0.7 BLK - 0.4 PF - TOV',
    double_digit_categories = 'How many of points, rebounds, assists, steals and blocks reached 10',
    is_double_double = 'Ten or more in at least two of points, rebounds, assists, steals and blocks',
    is_triple_double = 'Ten or more in at least three of them'
  ),
  audits (
    unique_combination_of_columns(columns := (game_id, player_id)),
    not_null(columns := (game_id, player_id, team_id, game_date, season)),
    points_add_up,
    team_totals_match_players
  )
);

WITH player_games AS (
  SELECT
    game_id,
    game_date,
    season,
    game_type,
    player_id,
    player_name,
    team_id,
    team_abbreviation,
    minutes,
    fgm,
    fga,
    fg3m,
    fg3a,
    ftm,
    fta,
    oreb,
    dreb,
    reb,
    ast,
    stl,
    blk,
    tov,
    pf,
    pts,
    plus_minus
  FROM staging.player_game_logs
  WHERE
    game_date BETWEEN @start_date AND @end_date
), team_games AS (
  SELECT
    game_id,
    team_id,
    opponent_team_id,
    location,
    is_win
  FROM core.fct_team_games
  WHERE
    game_date BETWEEN @start_date AND @end_date
), player_games_in_context AS (
  SELECT
    player_games.game_id,
    player_games.game_date,
    player_games.season,
    player_games.game_type,
    player_games.player_id,
    player_games.player_name,
    player_games.team_id,
    player_games.team_abbreviation,
    team_games.opponent_team_id,
    team_games.location,
    team_games.is_win,
    player_games.minutes,
    player_games.pts,
    player_games.fgm,
    player_games.fga,
    player_games.fg3m,
    player_games.fg3a,
    player_games.ftm,
    player_games.fta,
    player_games.oreb,
    player_games.dreb,
    player_games.reb,
    player_games.ast,
    player_games.stl,
    player_games.blk,
    player_games.tov,
    player_games.pf,
    player_games.plus_minus,
    (
      player_games.pts >= 10
    )::INT + (
      player_games.reb >= 10
    )::INT + (
      player_games.ast >= 10
    )::INT + (
      player_games.stl >= 10
    )::INT + (
      player_games.blk >= 10
    )::INT AS double_digit_categories
  FROM player_games
  LEFT JOIN team_games
    ON player_games.game_id = team_games.game_id
    AND player_games.team_id = team_games.team_id
)
SELECT
  game_id,
  game_date,
  season,
  game_type,
  player_id,
  player_name,
  team_id,
  team_abbreviation,
  opponent_team_id,
  location,
  is_win,
  minutes,
  pts,
  fgm,
  fga,
  fg3m,
  fg3a,
  ftm,
  fta,
  oreb,
  dreb,
  reb,
  ast,
  stl,
  blk,
  tov,
  pf,
  plus_minus,
  pts + 0.4 * fgm - 0.7 * fga - 0.4 * (
    fta - ftm
  ) + 0.7 * oreb + 0.3 * dreb + stl + 0.7 * ast + 0.7 * blk - 0.4 * pf - tov AS game_score,
  double_digit_categories,
  double_digit_categories >= 2 AS is_double_double,
  double_digit_categories >= 3 AS is_triple_double
FROM player_games_in_context