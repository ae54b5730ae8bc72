MODEL (
  name marts.season_odds_calibration,
  kind FULL,
  owner analytics,
  grain (checkpoint, outcome, probability_bucket),
  tags (marts, simulations),
  description 'How well the season simulations'' odds of making the playoffs and of winning the title, as they stood at each season''s checkpoints (marts.season_checkpoints: 1 December, the All-Star break, 1 March), matched what happened, over every finished season since 1990-91: one row per checkpoint, outcome and tenth of predicted probability (a reliability table), with the Brier score of all the checkpoint''s predictions of that outcome. A season counts once its Finals are decided.',
  column_descriptions (
    outcome = 'playoffs (reached the playoffs proper, through the play-in or not) or title',
    probability_bucket = 'Lower edge of the tenth of predicted probability: 0.0, 0.1, ... 0.9 (1.0 goes with 0.9)',
    team_seasons = 'Team-seasons whose prediction fell in the bucket',
    mean_predicted = 'Mean predicted probability in the bucket',
    observed_rate = 'Share of the bucket''s team-seasons that reached the outcome',
    brier_score = 'Mean squared error of every prediction of this outcome at this checkpoint, over all buckets (the same on each of its rows)',
    seasons = 'Finished seasons behind the checkpoint''s predictions'
  ),
  audits (
    unique_combination_of_columns(columns := (checkpoint, outcome, probability_bucket)),
    not_null(columns := (checkpoint, outcome, probability_bucket, team_seasons, brier_score)),
    percentages_between_0_and_1(columns := (mean_predicted, observed_rate, brier_score))
  )
);

WITH playoff_games AS (
  SELECT
    season,
    game_id,
    game_date,
    home_team_id,
    away_team_id,
    CASE WHEN home_pts > away_pts THEN home_team_id ELSE away_team_id END AS winner_team_id
  FROM core.fct_games
  WHERE
    game_type = 'Playoffs' AND season >= '1990-91'
), last_playoff_games AS (
  SELECT
    season,
    home_team_id,
    away_team_id,
    winner_team_id
  FROM playoff_games
  QUALIFY
    ROW_NUMBER() OVER (PARTITION BY season ORDER BY game_date DESC, game_id DESC) = 1
), conferences AS (
  SELECT DISTINCT
    season,
    team_id,
    conference
  FROM marts.season_simulations
), champions AS (
  SELECT
    last_game.season,
    last_game.winner_team_id AS team_id
  FROM last_playoff_games AS last_game
  JOIN conferences AS home_conference
    ON home_conference.season = last_game.season
    AND home_conference.team_id = last_game.home_team_id
  JOIN conferences AS away_conference
    ON away_conference.season = last_game.season
    AND away_conference.team_id = last_game.away_team_id
  JOIN playoff_games AS meeting
    ON meeting.season = last_game.season
    AND LEAST(meeting.home_team_id, meeting.away_team_id) = LEAST(last_game.home_team_id, last_game.away_team_id)
    AND GREATEST(meeting.home_team_id, meeting.away_team_id) = GREATEST(last_game.home_team_id, last_game.away_team_id)
  WHERE
    home_conference.conference <> away_conference.conference
  GROUP BY
    last_game.season,
    last_game.winner_team_id
  HAVING
    SUM((
      meeting.winner_team_id = last_game.winner_team_id
    )::INT) = 4
), playoff_teams AS (
  SELECT DISTINCT
    season,
    home_team_id AS team_id
  FROM playoff_games
  UNION
  SELECT DISTINCT
    season,
    away_team_id AS team_id
  FROM playoff_games
), checkpoint_odds AS (
  SELECT
    odds.season,
    checkpoints.checkpoint,
    odds.playoffs_probability,
    odds.title_probability,
    (
      NOT playoff_teams.team_id IS NULL
    )::INT AS made_playoffs,
    (
      NOT champions.team_id IS NULL
    )::INT AS won_title
  FROM marts.season_simulations AS odds
  JOIN marts.season_checkpoints AS checkpoints
    ON checkpoints.season = odds.season AND checkpoints.as_of_date = odds.as_of_date
  JOIN (
    SELECT DISTINCT
      season
    FROM champions
  ) AS finished_seasons
    ON finished_seasons.season = odds.season
  LEFT JOIN playoff_teams
    ON playoff_teams.season = odds.season AND playoff_teams.team_id = odds.team_id
  LEFT JOIN champions
    ON champions.season = odds.season AND champions.team_id = odds.team_id
), predictions AS (
  SELECT
    season,
    checkpoint,
    'playoffs' AS outcome,
    playoffs_probability AS predicted,
    made_playoffs AS happened
  FROM checkpoint_odds
  UNION ALL
  SELECT
    season,
    checkpoint,
    'title' AS outcome,
    title_probability AS predicted,
    won_title AS happened
  FROM checkpoint_odds
), scores AS (
  SELECT
    checkpoint,
    outcome,
    AVG(POWER(predicted - happened, 2)) AS brier_score,
    COUNT(DISTINCT season) AS seasons
  FROM predictions
  GROUP BY
    checkpoint,
    outcome
)
SELECT
  predictions.checkpoint,
  predictions.outcome,
  LEAST(FLOOR(predictions.predicted * 10), 9) / 10 AS probability_bucket,
  COUNT(*) AS team_seasons,
  AVG(predictions.predicted) AS mean_predicted,
  AVG(predictions.happened) AS observed_rate,
  scores.brier_score,
  scores.seasons
FROM predictions
JOIN scores
  ON scores.checkpoint = predictions.checkpoint
  AND scores.outcome = predictions.outcome
GROUP BY
  predictions.checkpoint,
  predictions.outcome,
  probability_bucket,
  scores.brier_score,
  scores.seasons