AUDIT (
  name percentages_between_0_and_1
);

SELECT
  *
FROM @this_model
WHERE
  @OR(@EACH(@columns, c -> NOT c BETWEEN 0 AND 1))