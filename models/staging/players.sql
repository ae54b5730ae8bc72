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
    unique_values(columns := (person_id)),
    not_null(columns := (person_id, display_name))
  )
);

with latest_loads as (
  select
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
  from raw.players
  qualify
    row_number() over (partition by person_id order by _dlt_load_id desc) = 1
)

select
  person_id::bigint as person_id,
  display_first_last::text as display_name,
  display_last_comma_first::text as sort_name,
  rosterstatus = 1 as is_active,
  try_cast(from_year as int) as from_year,
  try_cast(to_year as int) as to_year,
  player_slug::text as player_slug,
  nullif(team_id, 0)::bigint as team_id,
  nullif(team_abbreviation, '')::text as team_abbreviation,
  _dlt_load_id::text as load_id
from latest_loads
