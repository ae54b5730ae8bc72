MODEL (
  name core.fct_team_games,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column game_date,
    lookback 7
  ),
  owner analytics,
  grain (game_id, team_id),
  tags (core, games),
  description 'One row per team per game with the opponent''s box score beside it and the game''s possessions estimated. The last 7 days are rebuilt on every run because stat corrections arrive late.',
  column_descriptions (
    game_id = 'stats.nba.com game id',
    game_type = 'Pre Season, Regular Season, PlayIn, Playoffs, All Star or NBA Cup Final',
    season = 'Season label such as 2025-26',
    location = 'home, road or neutral (neither team at home: NBA Cup knockouts, games abroad)',
    is_win = 'This team scored more points',
    minutes = 'Team minutes: 240 plus 25 per overtime period',
    possessions = 'Estimated possessions of the game (Basketball-Reference formula using both teams); null before turnovers and offensive rebounds were recorded',
    opponent_team_id = 'The other team in the game; columns prefixed opp_ are its box score'
  ),
  audits (
    unique_combination_of_columns(columns := (game_id, team_id)),
    not_null(
      columns := (game_id, team_id, game_date, season, opponent_team_id, location, pts, opp_pts)
    ),
    points_add_up,
    two_teams_per_game,
    percentages_between_0_and_1(columns := (fg_pct, fg3_pct, ft_pct))
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
    team_name,
    is_home,
    minutes,
    fgm,
    fga,
    fg_pct,
    fg3m,
    fg3a,
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
    plus_minus
  FROM staging.team_game_logs
  WHERE
    game_date BETWEEN @start_date AND @end_date
), games AS (
  SELECT
    game_id,
    home_team_id,
    is_neutral_site
  FROM core.fct_games
  WHERE
    game_date BETWEEN @start_date AND @end_date
)
SELECT
  team_games.game_id,
  team_games.game_date,
  team_games.season,
  team_games.game_type,
  team_games.team_id,
  team_games.team_abbreviation,
  team_games.team_name,
  opponent_games.team_id AS opponent_team_id,
  opponent_games.team_abbreviation AS opponent_team_abbreviation,
  CASE
    WHEN games.is_neutral_site
    THEN 'neutral'
    WHEN team_games.team_id = games.home_team_id
    THEN 'home'
    ELSE 'road'
  END AS location,
  team_games.pts > opponent_games.pts AS is_win,
  team_games.minutes,
  team_games.pts,
  team_games.fgm,
  team_games.fga,
  team_games.fg_pct,
  team_games.fg3m,
  team_games.fg3a,
  team_games.fg3_pct,
  team_games.ftm,
  team_games.fta,
  team_games.ft_pct,
  team_games.oreb,
  team_games.dreb,
  team_games.reb,
  team_games.ast,
  team_games.stl,
  team_games.blk,
  team_games.tov,
  team_games.pf,
  team_games.plus_minus,
  opponent_games.pts AS opp_pts,
  opponent_games.fgm AS opp_fgm,
  opponent_games.fga AS opp_fga,
  opponent_games.fg3m AS opp_fg3m,
  opponent_games.fg3a AS opp_fg3a,
  opponent_games.ftm AS opp_ftm,
  opponent_games.fta AS opp_fta,
  opponent_games.oreb AS opp_oreb,
  opponent_games.dreb AS opp_dreb,
  opponent_games.reb AS opp_reb,
  opponent_games.ast AS opp_ast,
  opponent_games.stl AS opp_stl,
  opponent_games.blk AS opp_blk,
  opponent_games.tov AS opp_tov,
  opponent_games.pf AS opp_pf,
  @possessions(team_games, opponent_games) AS possessions
FROM team_games
JOIN team_games AS opponent_games
  ON team_games.game_id = opponent_games.game_id
  AND team_games.team_id <> opponent_games.team_id
JOIN games
  ON team_games.game_id = games.game_id