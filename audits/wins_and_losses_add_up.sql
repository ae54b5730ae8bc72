AUDIT (
  name wins_and_losses_add_up
);

SELECT
  *
FROM @this_model
WHERE
  wins + losses <> games_played
  OR home_wins + road_wins + neutral_wins <> wins
  OR home_losses + road_losses + neutral_losses <> losses