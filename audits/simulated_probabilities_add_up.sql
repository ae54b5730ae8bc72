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
), seed_numbers AS (
  SELECT
    seed
  FROM (VALUES
    (1),
    (2),
    (3),
    (4),
    (5),
    (6),
    (7),
    (8),
    (9),
    (10),
    (11),
    (12),
    (13),
    (14),
    (15)) AS seed_numbers(seed)
), seed_probabilities AS (
  SELECT
    season,
    as_of_date,
    conference,
    seed_numbers.seed,
    CASE seed_numbers.seed
      WHEN 1
      THEN seed_1_probability
      WHEN 2
      THEN seed_2_probability
      WHEN 3
      THEN seed_3_probability
      WHEN 4
      THEN seed_4_probability
      WHEN 5
      THEN seed_5_probability
      WHEN 6
      THEN seed_6_probability
      WHEN 7
      THEN seed_7_probability
      WHEN 8
      THEN seed_8_probability
      WHEN 9
      THEN seed_9_probability
      WHEN 10
      THEN seed_10_probability
      WHEN 11
      THEN seed_11_probability
      WHEN 12
      THEN seed_12_probability
      WHEN 13
      THEN seed_13_probability
      WHEN 14
      THEN seed_14_probability
      WHEN 15
      THEN seed_15_probability
    END AS probability
  FROM @this_model
  CROSS JOIN seed_numbers
), team_totals_per_seed AS (
  SELECT
    season,
    as_of_date,
    conference || ' seed ' || seed AS subject,
    SUM(probability) AS total
  FROM seed_probabilities
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