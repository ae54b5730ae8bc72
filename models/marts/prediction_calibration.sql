MODEL (
  name marts.prediction_calibration,
  kind FULL,
  owner analytics,
  grain (season, probability_bucket),
  tags (marts, predictions),
  description 'Calibration of the warehouse''s forecasts (marts.game_predictions.home_win_probability) per season: played games grouped by predicted home win probability in tenths, with the mean prediction beside the observed home win rate. Well calibrated forecasts have the two close in every bucket.',
  column_descriptions (
    probability_bucket = 'Lower edge of the bucket: 0.0, 0.1, ... 0.9',
    mean_predicted = 'Mean predicted home win probability of the bucket''s games',
    observed_home_win_rate = 'Share of the bucket''s games the home team won'
  ),
  audits (
    unique_combination_of_columns(columns := (season, probability_bucket)),
    not_null(columns := (season, probability_bucket, games)),
    percentages_between_0_and_1(columns := (mean_predicted, observed_home_win_rate))
  )
);

SELECT
  season,
  LEAST(FLOOR(home_win_probability * 10), 9) / 10 AS probability_bucket,
  COUNT(*) AS games,
  AVG(home_win_probability) AS mean_predicted,
  AVG(home_won::INT) AS observed_home_win_rate
FROM marts.game_predictions
WHERE
  NOT home_won IS NULL
GROUP BY
  season,
  probability_bucket