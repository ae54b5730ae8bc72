AUDIT (
  name simulated_probabilities_add_up
);

WITH seed_totals_per_team AS (
  SELECT
    season,
    as_of_date,
    'seeds of team ' || team_id AS subject,
    seed_1_probability + seed_2_probability + seed_3_probability + seed_4_probability + seed_5_probability + seed_6_probability + seed_7_probability + seed_8_probability + seed_9_probability + seed_10_probability + seed_11_probability + seed_12_probability + seed_13_probability + seed_14_probability + seed_15_probability AS total
  FROM @this_model
), team_totals_per_seed AS (
  SELECT
    season,
    as_of_date,
    conference || ' ' || seed AS subject,
    SUM(probability) AS total
  FROM (
    UNPIVOT @this_model
    ON seed_1_probability, seed_2_probability, seed_3_probability, seed_4_probability, seed_5_probability, seed_6_probability, seed_7_probability, seed_8_probability, seed_9_probability, seed_10_probability, seed_11_probability, seed_12_probability, seed_13_probability, seed_14_probability, seed_15_probability
    INTO NAME seed VALUE probability
  )
  GROUP BY
    season,
    as_of_date,
    conference,
    seed
  HAVING
    SUM(probability) > 0
), title_totals AS (
  SELECT
    season,
    as_of_date,
    'titles' AS subject,
    SUM(title_probability) AS total
  FROM @this_model
  GROUP BY
    season,
    as_of_date
), totals AS (
  SELECT
    *
  FROM seed_totals_per_team
  UNION ALL
  SELECT
    *
  FROM team_totals_per_seed
  UNION ALL
  SELECT
    *
  FROM title_totals
)
SELECT
  season,
  as_of_date,
  subject,
  total AS problem
FROM totals
WHERE
  ABS(total - 1) > 1e-9
UNION ALL
SELECT
  season,
  as_of_date,
  'projected wins of team ' || team_id AS subject,
  projected_wins_p95 AS problem
FROM @this_model
WHERE
  projected_wins_p05 < wins OR projected_wins_p95 > wins + games_left