-- Every box-score row scores PTS = 2*FGM + FG3M + FTM.
AUDIT (
  name points_add_up
);

select
  game_id,
  pts,
  fgm,
  fg3m,
  ftm
from @this_model
where
  pts <> 2 * fgm + fg3m + ftm
