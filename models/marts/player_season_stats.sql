MODEL (
  name marts.player_season_stats,
  kind FULL,
  owner analytics,
  grain (season, season_type, player_id),
  tags (marts, players),
  description 'One row per player per season and season type: totals, per-game and per-36-minute lines, shooting efficiency, average game score, double-doubles and triple-doubles. A player traded mid-season has one row covering all his teams.',
  column_descriptions (
    season_type = 'Regular Season, PlayIn, Playoffs or Pre Season',
    team_abbreviations = 'Teams played for, alphabetical',
    games = 'Games played',
    ts_pct = 'True shooting percentage: PTS / (2 (FGA + 0.44 FTA))',
    efg_pct = 'Effective field-goal percentage: (FGM + 0.5 FG3M) / FGA',
    game_score_per_game = 'Average Hollinger game score',
    double_doubles = 'Games with ten or more in two of points, rebounds, assists, steals and blocks',
    triple_doubles = 'Games with ten or more in three of them'
  ),
  audits (
    unique_combination_of_columns(columns := (season, season_type, player_id)),
    not_null(columns := (season, season_type, player_id, games)),
    percentages_between_0_and_1(columns := (fg_pct, fg3_pct, ft_pct))
  )
);

WITH season_totals AS (
  SELECT
    season,
    game_type AS season_type,
    player_id,
    @last_by(player_name, game_date) AS player_name,
    LISTAGG(DISTINCT team_abbreviation, ', '
    ORDER BY
      team_abbreviation) AS team_abbreviations,
    COUNT(*) AS games,
    SUM(minutes) AS minutes,
    SUM(pts) AS pts,
    SUM(reb) AS reb,
    SUM(oreb) AS oreb,
    SUM(dreb) AS dreb,
    SUM(ast) AS ast,
    SUM(stl) AS stl,
    SUM(blk) AS blk,
    SUM(tov) AS tov,
    SUM(pf) AS pf,
    SUM(fgm) AS fgm,
    SUM(fga) AS fga,
    SUM(fg3m) AS fg3m,
    SUM(fg3a) AS fg3a,
    SUM(ftm) AS ftm,
    SUM(fta) AS fta,
    SUM(plus_minus) AS plus_minus,
    AVG(game_score) AS game_score_per_game,
    COUNT(*) FILTER(WHERE
      is_double_double) AS double_doubles,
    COUNT(*) FILTER(WHERE
      is_triple_double) AS triple_doubles
  FROM core.fct_player_games
  WHERE
    game_type IN ('Pre Season', 'Regular Season', 'PlayIn', 'Playoffs')
  GROUP BY
    season,
    game_type,
    player_id
)
SELECT
  season,
  season_type,
  player_id,
  player_name,
  team_abbreviations,
  games,
  minutes,
  pts,
  reb,
  oreb,
  dreb,
  ast,
  stl,
  blk,
  tov,
  pf,
  fgm,
  fga,
  fg3m,
  fg3a,
  ftm,
  fta,
  plus_minus,
  minutes / games AS minutes_per_game,
  pts / games AS pts_per_game,
  reb / games AS reb_per_game,
  ast / games AS ast_per_game,
  stl / games AS stl_per_game,
  blk / games AS blk_per_game,
  tov / games AS tov_per_game,
  @per_36(pts, minutes) AS pts_per_36,
  @per_36(reb, minutes) AS reb_per_36,
  @per_36(ast, minutes) AS ast_per_36,
  @per_36(stl, minutes) AS stl_per_36,
  @per_36(blk, minutes) AS blk_per_36,
  @per_36(tov, minutes) AS tov_per_36,
  @SAFE_DIV(fgm, fga) AS fg_pct,
  @SAFE_DIV(fg3m, fg3a) AS fg3_pct,
  @SAFE_DIV(ftm, fta) AS ft_pct,
  @true_shooting(pts, fga, fta) AS ts_pct,
  @effective_fg(fgm, fg3m, fga) AS efg_pct,
  game_score_per_game,
  double_doubles,
  triple_doubles
FROM season_totals