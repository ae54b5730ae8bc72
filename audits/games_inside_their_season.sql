AUDIT (
  name games_inside_their_season,
  blocking FALSE
);

SELECT
  *
FROM @this_model
WHERE
  season <> @season_of_date(game_date)