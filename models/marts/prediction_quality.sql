MODEL (
  name marts.prediction_quality,
  kind FULL,
  owner analytics,
  grain (season, month),
  tags (marts, predictions),
  description 'How good the Elo forecasts in marts.game_predictions were, by season and month of played games: accuracy, Brier score and log loss, beside the home-team-always-wins and coin-flip baselines.',
  column_descriptions (
    month = 'First day of the month the games were played in',
    accuracy = 'Share of games whose favourite (probability above one half) won',
    brier_score = 'Mean squared error of the home win probability (0 perfect, 0.25 a coin flip)',
    log_loss = 'Mean negative log-likelihood of the results (0.693 a coin flip)',
    home_win_rate = 'Share of games the home team won: the accuracy of always picking the home team'
  ),
  audits (
    unique_combination_of_columns(columns := (season, month)),
    not_null(columns := (season, month, games)),
    percentages_between_0_and_1(columns := (accuracy, brier_score, home_win_rate))
  )
);

WITH played_games AS (
  SELECT
    season,
    DATE_TRUNC('MONTH', game_date)::DATE AS month,
    home_win_probability,
    home_won::INT AS home_won
  FROM marts.game_predictions
  WHERE
    NOT home_won IS NULL
)
SELECT
  season,
  month,
  COUNT(*) AS games,
  AVG((
    (
      home_win_probability > 0.5
    )::INT = home_won
  )::INT) AS accuracy,
  AVG(POWER(home_win_probability - home_won, 2)) AS brier_score,
  -AVG(
    home_won * LN(home_win_probability) + (
      1 - home_won
    ) * LN(1 - home_win_probability)
  ) AS log_loss,
  AVG(home_won) AS home_win_rate
FROM played_games
GROUP BY
  season,
  month