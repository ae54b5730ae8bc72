MODEL (
  name marts.team_ratings,
  kind FULL,
  owner analytics,
  grain (season, season_type, team_id, games_window),
  tags (marts, teams),
  description 'Team efficiency per 100 possessions, pace and Dean Oliver''s four factors for and against, over the season to date and over the last 10 games.',
  column_descriptions (
    season_type = 'Regular Season, PlayIn, Playoffs or Pre Season',
    games_window = 'season_to_date or last_10_games',
    games = 'Games in the window',
    offensive_rating = 'Points scored per 100 possessions',
    defensive_rating = 'Points allowed per 100 possessions',
    net_rating = 'Offensive minus defensive rating',
    pace = 'Possessions per 48 minutes',
    efg_pct = 'Effective field-goal percentage',
    tov_pct = 'Turnovers per play (FGA + 0.44 FTA + TOV)',
    oreb_pct = 'Share of own missed shots rebounded',
    ft_rate = 'Free throws made per field-goal attempt',
    opp_efg_pct = 'Opponents'' effective field-goal percentage',
    opp_tov_pct = 'Opponents'' turnovers per play',
    dreb_pct = 'Share of opponents'' missed shots rebounded',
    opp_ft_rate = 'Opponents'' free throws made per field-goal attempt'
  ),
  audits (
    unique_combination_of_columns(columns := (season, season_type, team_id, games_window)),
    not_null(columns := (season, season_type, team_id, games_window, games)),
    percentages_between_0_and_1(columns := (tov_pct, oreb_pct, opp_tov_pct, dreb_pct))
  )
);

WITH team_games AS (
  SELECT
    season,
    game_type AS season_type,
    team_id,
    team_abbreviation,
    game_date,
    is_win,
    minutes,
    possessions,
    pts,
    fgm,
    fga,
    fg3m,
    ftm,
    fta,
    oreb,
    dreb,
    tov,
    opp_pts,
    opp_fgm,
    opp_fga,
    opp_fg3m,
    opp_ftm,
    opp_fta,
    opp_oreb,
    opp_dreb,
    opp_tov,
    ROW_NUMBER() OVER (PARTITION BY season, game_type, team_id ORDER BY game_date DESC, game_id DESC) AS games_ago
  FROM core.fct_team_games
  WHERE
    game_type IN ('Pre Season', 'Regular Season', 'PlayIn', 'Playoffs')
), games_windows AS (
  SELECT
    games_window,
    max_games_ago
  FROM (VALUES
    ('season_to_date', NULL),
    ('last_10_games', 10)) AS windows(games_window, max_games_ago)
), window_totals AS (
  SELECT
    season,
    season_type,
    team_id,
    games_window,
    @last_by(team_abbreviation, game_date) AS team_abbreviation,
    MAX(game_date) AS through_date,
    COUNT(*) AS games,
    COUNT(*) FILTER(WHERE
      is_win) AS wins,
    SUM(minutes) AS minutes,
    SUM(possessions) AS possessions,
    SUM(pts) AS pts,
    SUM(fgm) AS fgm,
    SUM(fga) AS fga,
    SUM(fg3m) AS fg3m,
    SUM(ftm) AS ftm,
    SUM(fta) AS fta,
    SUM(oreb) AS oreb,
    SUM(dreb) AS dreb,
    SUM(tov) AS tov,
    SUM(opp_pts) AS opp_pts,
    SUM(opp_fgm) AS opp_fgm,
    SUM(opp_fga) AS opp_fga,
    SUM(opp_fg3m) AS opp_fg3m,
    SUM(opp_ftm) AS opp_ftm,
    SUM(opp_fta) AS opp_fta,
    SUM(opp_oreb) AS opp_oreb,
    SUM(opp_dreb) AS opp_dreb,
    SUM(opp_tov) AS opp_tov
  FROM team_games
  JOIN games_windows
    ON team_games.games_ago <= COALESCE(games_windows.max_games_ago, team_games.games_ago)
  GROUP BY
    season,
    season_type,
    team_id,
    games_window
)
SELECT
  season,
  season_type,
  team_id,
  team_abbreviation,
  games_window,
  through_date,
  games,
  wins,
  games - wins AS losses,
  100 * @SAFE_DIV(pts, possessions) AS offensive_rating,
  100 * @SAFE_DIV(opp_pts, possessions) AS defensive_rating,
  100 * @SAFE_DIV(pts - opp_pts, possessions) AS net_rating,
  48 * @SAFE_DIV(possessions, minutes / 5) AS pace,
  @effective_fg(fgm, fg3m, fga) AS efg_pct,
  @SAFE_DIV(tov, fga + 0.44 * fta + tov) AS tov_pct,
  @SAFE_DIV(oreb, oreb + opp_dreb) AS oreb_pct,
  @SAFE_DIV(ftm, fga) AS ft_rate,
  @effective_fg(opp_fgm, opp_fg3m, opp_fga) AS opp_efg_pct,
  @SAFE_DIV(opp_tov, opp_fga + 0.44 * opp_fta + opp_tov) AS opp_tov_pct,
  @SAFE_DIV(dreb, dreb + opp_oreb) AS dreb_pct,
  @SAFE_DIV(opp_ftm, opp_fga) AS opp_ft_rate
FROM window_totals