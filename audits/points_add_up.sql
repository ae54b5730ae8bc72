AUDIT (
  name points_add_up
);

SELECT
  game_id,
  pts,
  fgm,
  fg3m,
  ftm
FROM @this_model
WHERE
  pts <> 2 * fgm + fg3m + ftm