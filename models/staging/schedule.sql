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
    unique_values(columns := (
      game_id
    )),
    not_null(columns := (game_id, game_date, home_team_id, away_team_id))
  )
);

WITH latest_loads AS (
  SELECT
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
  FROM raw.schedule
  QUALIFY
    ROW_NUMBER() OVER (PARTITION BY game_id ORDER BY _dlt_load_id DESC) = 1
)
SELECT
  game_id::TEXT AS game_id,
  game_date::DATE AS game_date,
  @game_type(game_id) AS game_type,
  season_year::TEXT AS season,
  game_status::INT AS game_status,
  game_status_text::TEXT AS game_status_text,
  TRY_CAST(game_date_time_utc AS TIMESTAMP) AS tip_off_utc,
  NULLIF(game_label, '')::TEXT AS game_label,
  COALESCE(is_neutral, FALSE) AS is_neutral,
  arena_name::TEXT AS arena_name,
  arena_city::TEXT AS arena_city,
  home_team_team_id::BIGINT AS home_team_id,
  home_team_team_tricode::TEXT AS home_team_abbreviation,
  away_team_team_id::BIGINT AS away_team_id,
  away_team_team_tricode::TEXT AS away_team_abbreviation,
  CASE WHEN game_status = 3 THEN home_team_score::INT END AS home_pts,
  CASE WHEN game_status = 3 THEN away_team_score::INT END AS away_pts,
  _dlt_load_id::TEXT AS load_id
FROM latest_loads