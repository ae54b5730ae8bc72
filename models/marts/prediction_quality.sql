MODEL (
  name marts.prediction_quality,
  kind FULL,
  owner analytics,
  grain (season, forecaster),
  tags (marts, predictions),
  description 'How good each forecaster was, per season of played games: accuracy, Brier score and log loss on exactly the same games. power_ratings is the warehouse''s forecast (marts.game_predictions), fivethirtyeight_elo is FiveThirtyEight''s Elo as they configured it, computed by the warehouse (marts.elo_ratings), and home_team_always picks the home team every game at the home win rate of every earlier date loaded, counted as (home wins + 1) / (games + 2) so that it starts at one half and is never certain.',
  column_descriptions (
    forecaster = 'power_ratings, fivethirtyeight_elo or home_team_always',
    games = 'Played games of the season with a forecast',
    accuracy = 'Share of games whose favourite won (the home team when the probability is one half or more)',
    brier_score = 'Mean squared error of the home win probability (0 perfect, 0.25 a coin flip)',
    log_loss = 'Mean negative log-likelihood of the results (0.693 a coin flip)',
    home_win_rate = 'Share of the season''s games the home team won'
  ),
  audits (
    unique_combination_of_columns(columns := (season, forecaster)),
    not_null(columns := (season, forecaster, games, accuracy, brier_score, log_loss)),
    percentages_between_0_and_1(columns := (accuracy, brier_score, home_win_rate))
  )
);

WITH played_games AS (
  SELECT
    season,
    game_date,
    home_win_probability,
    elo_home_win_probability,
    home_won::INT AS home_won
  FROM marts.game_predictions
  WHERE
    NOT home_won IS NULL
), home_results_by_date AS (
  SELECT
    game_date,
    SUM(home_won) AS home_wins,
    COUNT(*) AS games
  FROM played_games
  GROUP BY
    game_date
), home_rate_before_date AS (
  SELECT
    game_date,
    (
      COALESCE(SUM(home_wins) OVER earlier_dates, 0) + 1
    ) / (
      COALESCE(SUM(games) OVER earlier_dates, 0) + 2
    ) AS home_win_rate
  FROM home_results_by_date
  WINDOW earlier_dates AS (ORDER BY game_date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), forecasts AS (
  SELECT
    season,
    'power_ratings' AS forecaster,
    home_win_probability AS probability,
    home_won
  FROM played_games
  UNION ALL
  SELECT
    season,
    'fivethirtyeight_elo' AS forecaster,
    elo_home_win_probability AS probability,
    home_won
  FROM played_games
  UNION ALL
  SELECT
    played_games.season,
    'home_team_always' AS forecaster,
    home_rate_before_date.home_win_rate AS probability,
    played_games.home_won
  FROM played_games
  JOIN home_rate_before_date
    ON played_games.game_date = home_rate_before_date.game_date
)
SELECT
  season,
  forecaster,
  COUNT(*) AS games,
  AVG((
    (
      probability >= 0.5
    )::INT = home_won
  )::INT) AS accuracy,
  AVG(POWER(probability - home_won, 2)) AS brier_score,
  -AVG(home_won * LN(probability) + (
    1 - home_won
  ) * LN(1 - probability)) AS log_loss,
  AVG(home_won) AS home_win_rate
FROM forecasts
GROUP BY
  season,
  forecaster