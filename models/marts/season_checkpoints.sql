MODEL (
  name marts.season_checkpoints,
  kind FULL,
  owner analytics,
  grain (season, checkpoint),
  tags (marts, simulations),
  description 'The fixed points of each season at which season odds are judged (marts.season_odds_calibration) and, with NBA_WAREHOUSE_SIMULATION_DATES=checkpoints, the only dates simulated: the last regular-season game date on or before 1 December, the last before the All-Star break (the longest run of at least three days without games between 15 January and 15 March; none in 1998-99, which had no All-Star game), and the last on or before 1 March. From played and scheduled games, so a season''s checkpoints are known before it is played. A season that starts after 1 December has no 1 December checkpoint.',
  column_descriptions (
    checkpoint = '1 December, All-Star break or 1 March',
    as_of_date = 'The regular-season game date whose simulations stand for the checkpoint'
  ),
  audits (
    unique_combination_of_columns(columns := (season, checkpoint)),
    not_null(columns := (season, checkpoint, as_of_date))
  )
);

WITH regular_season_dates AS (
  SELECT DISTINCT
    season,
    game_date
  FROM core.fct_games
  WHERE
    game_type = 'Regular Season'
  UNION
  SELECT DISTINCT
    season,
    game_date
  FROM staging.schedule
  WHERE
    game_type = 'Regular Season'
), dates_with_next AS (
  SELECT
    season,
    LEFT(season, 4)::INT AS start_year,
    game_date,
    LEAD(game_date) OVER (PARTITION BY season ORDER BY game_date) AS next_game_date
  FROM regular_season_dates
), fixed_days AS (
  SELECT
    season,
    '1 December' AS checkpoint,
    MAX(game_date) AS as_of_date
  FROM dates_with_next
  WHERE
    game_date <= @calendar_date(start_year, 12, 1)
  GROUP BY
    season
  UNION ALL
  SELECT
    season,
    '1 March' AS checkpoint,
    MAX(game_date) AS as_of_date
  FROM dates_with_next
  WHERE
    game_date <= @calendar_date(start_year + 1, 3, 1)
  GROUP BY
    season
), all_star_breaks AS (
  SELECT
    season,
    'All-Star break' AS checkpoint,
    game_date AS as_of_date
  FROM dates_with_next
  WHERE
    game_date >= @calendar_date(start_year + 1, 1, 15)
    AND next_game_date <= @calendar_date(start_year + 1, 3, 15)
    AND DATE_DIFF('DAY', game_date, next_game_date) >= 3
  QUALIFY
    ROW_NUMBER() OVER (
      PARTITION BY season
      ORDER BY DATE_DIFF('DAY', game_date, next_game_date) DESC, game_date
    ) = 1
)
SELECT
  season,
  checkpoint,
  as_of_date
FROM fixed_days
UNION ALL
SELECT
  season,
  checkpoint,
  as_of_date
FROM all_star_breaks