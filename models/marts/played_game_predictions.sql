MODEL (
  name marts.played_game_predictions,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column game_date,
    lookback 7
  ),
  owner analytics,
  grain game_id,
  tags (marts, ratings, predictions),
  description 'The played games of marts.game_predictions (columns described there): each game''s forecast as marts.power_forecasts made it before its date, FiveThirtyEight-configured Elo as marts.elo_ratings rated it, and the result. Incremental, so a daily run writes its days only; marts.game_predictions adds the games to come.',
  audits (
    unique_values(columns := (
      game_id
    )),
    not_null(
      columns := (
        game_id,
        game_date,
        home_team_id,
        away_team_id,
        home_win_probability,
        elo_home_win_probability
      )
    ),
    percentages_between_0_and_1(columns := (home_win_probability, elo_home_win_probability))
  )
);

SELECT
  games.game_id,
  games.game_date,
  games.season,
  games.game_type,
  games.home_team_id,
  games.away_team_id,
  games.is_neutral_site,
  forecasts.home_power,
  forecasts.away_power,
  forecasts.home_court,
  forecasts.rest_edge,
  forecasts.predicted_home_margin,
  forecasts.margin_sd,
  forecasts.home_win_probability,
  home_elo.elo_before AS home_elo,
  away_elo.elo_before AS away_elo,
  home_elo.win_probability AS elo_home_win_probability,
  games.home_pts > games.away_pts AS home_won,
  CAST(games.home_pts - games.away_pts AS INT) AS home_margin
FROM core.fct_games AS games
JOIN marts.power_forecasts AS forecasts
  ON forecasts.game_id = games.game_id
JOIN marts.elo_ratings AS home_elo
  ON home_elo.game_id = games.game_id AND home_elo.team_id = games.home_team_id
JOIN marts.elo_ratings AS away_elo
  ON away_elo.game_id = games.game_id AND away_elo.team_id = games.away_team_id
WHERE
  games.game_date BETWEEN @start_date AND @end_date
  AND forecasts.game_date BETWEEN @start_date AND @end_date
  AND home_elo.game_date BETWEEN @start_date AND @end_date
  AND away_elo.game_date BETWEEN @start_date AND @end_date