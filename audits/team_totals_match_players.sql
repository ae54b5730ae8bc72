AUDIT (
  name team_totals_match_players,
  blocking FALSE
);

WITH player_totals AS (
  SELECT
    game_id,
    team_id,
    SUM(pts) AS pts,
    SUM(fgm) AS fgm,
    SUM(fga) AS fga,
    SUM(fg3m) AS fg3m,
    SUM(ftm) AS ftm,
    SUM(fta) AS fta,
    SUM(ast) AS ast
  FROM @this_model
  GROUP BY
    game_id,
    team_id
)
SELECT
  player_totals.game_id,
  player_totals.team_id,
  player_totals.pts AS player_pts,
  team_games.pts AS team_pts
FROM player_totals
JOIN core.fct_team_games AS team_games
  ON player_totals.game_id = team_games.game_id
  AND player_totals.team_id = team_games.team_id
WHERE
  player_totals.pts <> team_games.pts
  OR player_totals.fgm <> team_games.fgm
  OR player_totals.fga <> team_games.fga
  OR player_totals.fg3m <> team_games.fg3m
  OR player_totals.ftm <> team_games.ftm
  OR player_totals.fta <> team_games.fta
  OR player_totals.ast <> team_games.ast