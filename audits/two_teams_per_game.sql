AUDIT (
  name two_teams_per_game
);

SELECT
  game_id,
  COUNT(*) AS team_rows,
  MIN(pts) AS loser_pts,
  MAX(pts) AS winner_pts
FROM @this_model
GROUP BY
  game_id
HAVING
  COUNT(*) <> 2 OR MIN(pts) = MAX(pts)