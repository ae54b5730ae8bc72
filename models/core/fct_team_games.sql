MODEL (
  name core.fct_team_games,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column game_date,
    lookback 7
  ),
  owner analytics,
  grain (game_id, team_id),
  tags (core, games),
  description 'One row per team per game with the opponent''s box score beside it and the game''s possessions estimated. The box comes from the team game log, or, for a game whose team log is not loaded, from the sum of its players'' lines. The last 7 days are rebuilt on every run because stat corrections arrive late.',
  column_descriptions (
    game_id = 'stats.nba.com game id',
    game_type = 'Pre Season, Regular Season, PlayIn, Playoffs, All Star or NBA Cup Final',
    season = 'Season label such as 2025-26',
    location = 'home, road or neutral (neither team at home: NBA Cup knockouts, games abroad)',
    is_home_side = 'The home team; at a neutral site the schedule''s designated home team (else the lower team id)',
    box_source = 'team_log, or player_logs when the box is the sum of the players'' lines',
    fg_pct = 'FGM / FGA, computed here for both box sources',
    is_win = 'This team scored more points',
    minutes = 'Team minutes: 240 plus 25 per overtime period (rounded sum of player minutes for player_logs boxes)',
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

WITH player_logs AS (
  SELECT
    game_id,
    game_date,
    game_type,
    season,
    team_id,
    team_abbreviation,
    is_home,
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
), player_log_totals AS (
  SELECT
    game_id,
    MIN(game_date) AS game_date,
    MIN(game_type) AS game_type,
    MIN(season) AS season,
    team_id,
    MIN(team_abbreviation) AS team_abbreviation,
    NULL::TEXT AS team_name,
    BOOL_OR(is_home::BOOLEAN) AS is_home,
    ROUND(SUM(minutes))::INT AS minutes,
    SUM(fgm) AS fgm,
    SUM(fga) AS fga,
    SUM(fg3m) AS fg3m,
    SUM(fg3a) AS fg3a,
    SUM(ftm) AS ftm,
    SUM(fta) AS fta,
    SUM(oreb) AS oreb,
    SUM(dreb) AS dreb,
    SUM(reb) AS reb,
    SUM(ast) AS ast,
    SUM(stl) AS stl,
    SUM(blk) AS blk,
    SUM(tov) AS tov,
    SUM(pf) AS pf,
    SUM(pts) AS pts,
    SUM(plus_minus) // 5 AS plus_minus,
    'player_logs' AS box_source
  FROM player_logs
  WHERE
    NOT EXISTS(
      SELECT
        1
      FROM staging.team_game_logs AS team_logs
      WHERE
        team_logs.game_id = player_logs.game_id
        AND team_logs.team_id = player_logs.team_id
    )
  GROUP BY
    game_id,
    team_id
), team_boxes AS (
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
    plus_minus,
    'team_log' AS box_source
  FROM staging.team_game_logs
  WHERE
    game_date BETWEEN @start_date AND @end_date
  UNION ALL
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
    plus_minus,
    box_source
  FROM player_log_totals
), scheduled_home_teams AS (
  SELECT
    game_id,
    home_team_id
  FROM staging.schedule
), team_boxes_with_sides AS (
  SELECT
    team_boxes.game_id,
    team_boxes.game_date,
    team_boxes.game_type,
    team_boxes.season,
    team_boxes.team_id,
    team_boxes.team_abbreviation,
    team_boxes.team_name,
    team_boxes.is_home,
    team_boxes.minutes,
    team_boxes.fgm,
    team_boxes.fga,
    team_boxes.fg3m,
    team_boxes.fg3a,
    team_boxes.ftm,
    team_boxes.fta,
    team_boxes.oreb,
    team_boxes.dreb,
    team_boxes.reb,
    team_boxes.ast,
    team_boxes.stl,
    team_boxes.blk,
    team_boxes.tov,
    team_boxes.pf,
    team_boxes.pts,
    team_boxes.plus_minus,
    team_boxes.box_source,
    COUNT(*) FILTER(WHERE
      team_boxes.is_home) OVER (PARTITION BY team_boxes.game_id) = 0 AS is_neutral_site,
    CASE
      WHEN COUNT(*) FILTER(WHERE
        team_boxes.is_home) OVER (PARTITION BY team_boxes.game_id) = 1
      THEN team_boxes.is_home
      WHEN NOT scheduled_home_teams.home_team_id IS NULL
      THEN team_boxes.team_id = scheduled_home_teams.home_team_id
      ELSE team_boxes.team_id = MIN(team_boxes.team_id) OVER (PARTITION BY team_boxes.game_id)
    END AS is_home_side
  FROM team_boxes
  LEFT JOIN scheduled_home_teams
    ON team_boxes.game_id = scheduled_home_teams.game_id
)
SELECT
  team_boxes.game_id,
  team_boxes.game_date,
  team_boxes.season,
  team_boxes.game_type,
  team_boxes.team_id,
  team_boxes.team_abbreviation,
  team_boxes.team_name,
  opponent_boxes.team_id AS opponent_team_id,
  opponent_boxes.team_abbreviation AS opponent_team_abbreviation,
  CASE
    WHEN team_boxes.is_neutral_site
    THEN 'neutral'
    WHEN team_boxes.is_home_side
    THEN 'home'
    ELSE 'road'
  END AS location,
  team_boxes.is_home_side,
  team_boxes.pts > opponent_boxes.pts AS is_win,
  team_boxes.minutes,
  team_boxes.fgm,
  team_boxes.fga,
  team_boxes.fg3m,
  team_boxes.fg3a,
  team_boxes.ftm,
  team_boxes.fta,
  team_boxes.oreb,
  team_boxes.dreb,
  team_boxes.reb,
  team_boxes.ast,
  team_boxes.stl,
  team_boxes.blk,
  team_boxes.tov,
  team_boxes.pf,
  team_boxes.pts,
  team_boxes.plus_minus,
  @SAFE_DIV(team_boxes.fgm, team_boxes.fga) AS fg_pct,
  @SAFE_DIV(team_boxes.fg3m, team_boxes.fg3a) AS fg3_pct,
  @SAFE_DIV(team_boxes.ftm, team_boxes.fta) AS ft_pct,
  opponent_boxes.fgm AS opp_fgm,
  opponent_boxes.fga AS opp_fga,
  opponent_boxes.fg3m AS opp_fg3m,
  opponent_boxes.fg3a AS opp_fg3a,
  opponent_boxes.ftm AS opp_ftm,
  opponent_boxes.fta AS opp_fta,
  opponent_boxes.oreb AS opp_oreb,
  opponent_boxes.dreb AS opp_dreb,
  opponent_boxes.reb AS opp_reb,
  opponent_boxes.ast AS opp_ast,
  opponent_boxes.stl AS opp_stl,
  opponent_boxes.blk AS opp_blk,
  opponent_boxes.tov AS opp_tov,
  opponent_boxes.pf AS opp_pf,
  opponent_boxes.pts AS opp_pts,
  @possessions(team_boxes, opponent_boxes) AS possessions,
  team_boxes.box_source
FROM team_boxes_with_sides AS team_boxes
JOIN team_boxes_with_sides AS opponent_boxes
  ON team_boxes.game_id = opponent_boxes.game_id
  AND team_boxes.team_id <> opponent_boxes.team_id