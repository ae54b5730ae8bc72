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
    unique_values(columns := (team_id)),
    not_null(columns := (team_id, abbreviation))
  )
);

with latest_loads as (
  select
    id,
    full_name,
    abbreviation,
    nickname,
    city,
    state,
    year_founded,
    _dlt_load_id
  from raw.teams
  qualify
    row_number() over (partition by id order by _dlt_load_id desc) = 1
)

select
  id::bigint as team_id,
  full_name::text as full_name,
  abbreviation::text as abbreviation,
  nickname::text as nickname,
  city::text as city,
  state::text as state,
  year_founded::int as year_founded,
  _dlt_load_id::text as load_id
from latest_loads
