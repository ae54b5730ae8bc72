MODEL (
  name staging.teams,
  kind VIEW,
  owner analytics,
  grain team_id,
  tags (staging, teams),
  description 'The 30 current franchises from nba_api''s static team list.',
  column_descriptions (
    team_id = 'stats.nba.com team id, stable across relocations and renames',
    year_founded = 'Year the franchise was founded'
  ),
  audits (
    unique_values(columns := (
      team_id
    )),
    not_null(columns := (team_id, abbreviation))
  )
);

WITH latest_loads AS (
  SELECT
    id,
    full_name,
    abbreviation,
    nickname,
    city,
    state,
    year_founded,
    _dlt_load_id
  FROM raw.teams
  QUALIFY
    ROW_NUMBER() OVER (PARTITION BY id ORDER BY _dlt_load_id DESC) = 1
)
SELECT
  id::BIGINT AS team_id,
  full_name::TEXT AS full_name,
  abbreviation::TEXT AS abbreviation,
  nickname::TEXT AS nickname,
  city::TEXT AS city,
  state::TEXT AS state,
  year_founded::INT AS year_founded,
  _dlt_load_id::TEXT AS load_id
FROM latest_loads