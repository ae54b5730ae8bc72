MODEL (
  name staging.schedule,
  kind VIEW,
  owner analytics,
  grain game_id,
  tags (staging, schedule),
  description 'Every scheduled game of a loaded season (ScheduleLeagueV2), played or not, latest load of each game.',
  column_descriptions (
    game_status = '1 scheduled, 2 in progress, 3 final',
    is_neutral = 'Played at a neutral site (counts as neither home nor road)',
    tip_off_utc = 'Scheduled start, UTC'
  ),
  audits (
    unique_values(columns := (game_id)),
    not_null(columns := (game_id, game_date, home_team_id, away_team_id))
  )
);

with latest_loads as (
  select
    game_id,
    game_date,
    season_year,
    game_status,
    game_status_text,
    game_date_time_utc,
    game_label,
    is_neutral,
    arena_name,
    arena_city,
    home_team_team_id,
    home_team_team_tricode,
    home_team_score,
    away_team_team_id,
    away_team_team_tricode,
    away_team_score,
    _dlt_load_id
  from raw.schedule
  qualify
    row_number() over (partition by game_id order by _dlt_load_id desc) = 1
)

select
  game_id::text as game_id,
  game_date::date as game_date,
  @game_type(game_id) as game_type,
  season_year::text as season,
  game_status::int as game_status,
  game_status_text::text as game_status_text,
  try_cast(game_date_time_utc as timestamp) as tip_off_utc,
  nullif(game_label, '')::text as game_label,
  coalesce(is_neutral, false) as is_neutral,
  arena_name::text as arena_name,
  arena_city::text as arena_city,
  home_team_team_id::bigint as home_team_id,
  home_team_team_tricode::text as home_team_abbreviation,
  away_team_team_id::bigint as away_team_id,
  away_team_team_tricode::text as away_team_abbreviation,
  case when game_status = 3 then home_team_score::int end as home_pts,
  case when game_status = 3 then away_team_score::int end as away_pts,
  _dlt_load_id::text as load_id
from latest_loads
