-- Two different teams, no tie, and the winner is the team that scored more.
AUDIT (
  name one_winner_per_game
);

select
  game_id,
  home_team_id,
  away_team_id,
  home_pts,
  away_pts,
  winner_team_id
from @this_model
where
  home_team_id = away_team_id
  or home_pts = away_pts
  or winner_team_id <> case when home_pts > away_pts then home_team_id else away_team_id end
