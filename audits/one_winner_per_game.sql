AUDIT (
  name one_winner_per_game
);

SELECT
  game_id,
  home_team_id,
  away_team_id,
  home_pts,
  away_pts,
  winner_team_id
FROM @this_model
WHERE
  home_team_id = away_team_id
  OR home_pts = away_pts
  OR winner_team_id <> CASE WHEN home_pts > away_pts THEN home_team_id ELSE away_team_id END