AUDIT (
  name two_teams_per_game
);

SELECT
  game_id,
  COUNT(*) AS team_rows,
  COUNT(*) FILTER(WHERE
    wl = 'W') AS winners
FROM @this_model
GROUP BY
  game_id
HAVING
  COUNT(*) <> 2 OR COUNT(*) FILTER(WHERE
    wl = 'W') <> 1