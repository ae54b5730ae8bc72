MODEL (
  name staging.players,
  kind VIEW,
  owner analytics,
  grain person_id,
  tags (staging, players),
  description 'Every player in league history (CommonAllPlayers) with the team of their latest load.',
  column_descriptions (
    is_active = 'On a current roster when last loaded',
    from_year = 'First season''s start year',
    to_year = 'Last season''s start year',
    team_id = 'Current team, null when not on a roster'
  ),
  audits (
    unique_values(columns := (
      person_id
    )),
    not_null(columns := (person_id, display_name))
  )
);

WITH latest_loads AS (
  SELECT
    person_id,
    display_first_last,
    display_last_comma_first,
    rosterstatus,
    from_year,
    to_year,
    player_slug,
    team_id,
    team_abbreviation,
    _dlt_load_id
  FROM raw.players
  QUALIFY
    ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY _dlt_load_id DESC) = 1
)
SELECT
  person_id::BIGINT AS person_id,
  display_first_last::TEXT AS display_name,
  display_last_comma_first::TEXT AS sort_name,
  rosterstatus = 1 AS is_active,
  TRY_CAST(from_year AS INT) AS from_year,
  TRY_CAST(to_year AS INT) AS to_year,
  player_slug::TEXT AS player_slug,
  NULLIF(team_id, 0)::BIGINT AS team_id,
  NULLIF(team_abbreviation, '')::TEXT AS team_abbreviation,
  _dlt_load_id::TEXT AS load_id
FROM latest_loads