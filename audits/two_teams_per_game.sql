-- A finished game has exactly two team rows and exactly one of them won.
AUDIT (
  name two_teams_per_game
);

select
  game_id,
  count(*) as team_rows,
  count(*) filter (where wl = 'W') as winners
from @this_model
group by
  game_id
having
  count(*) <> 2 or count(*) filter (where wl = 'W') <> 1
