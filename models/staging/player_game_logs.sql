MODEL (
  name staging.player_game_logs,
  kind VIEW,
  owner analytics,
  grain (game_id, player_id),
  tags (staging, game_logs),
  description 'One row per player per game (PlayerGameLogs), typed and renamed, latest load of each key.',
  column_descriptions (
    game_type = 'Pre Season, Regular Season, PlayIn, Playoffs, All Star or NBA Cup Final, from the game id',
    minutes = 'Minutes played, fractional',
    plus_minus = 'Team point margin while the player was on the floor'
  ),
  audits (
    unique_combination_of_columns(columns := (game_id, player_id)),
    not_null(columns := (game_id, player_id, team_id, game_date)),
    points_add_up
  )
);

with latest_loads as (
  select
    game_id,
    player_id,
    team_id,
    game_date,
    season_year,
    player_name,
    team_abbreviation,
    matchup,
    wl,
    min,
    fgm,
    fga,
    fg3_m,
    fg3_a,
    ftm,
    fta,
    oreb,
    dreb,
    reb,
    ast,
    tov,
    stl,
    blk,
    pf,
    pts,
    plus_minus,
    _dlt_load_id
  from raw.player_game_logs
  qualify
    row_number() over (partition by game_id, player_id order by _dlt_load_id desc) = 1
)

select
  game_id::text as game_id,
  player_id::bigint as player_id,
  team_id::bigint as team_id,
  game_date::date as game_date,
  @game_type(game_id) as game_type,
  season_year::text as season,
  player_name::text as player_name,
  team_abbreviation::text as team_abbreviation,
  matchup::text as matchup,
  matchup like '% vs. %' as is_home,
  wl::text as wl,
  min::double as minutes,
  fgm::int as fgm,
  fga::int as fga,
  fg3_m::int as fg3m,
  fg3_a::int as fg3a,
  ftm::int as ftm,
  fta::int as fta,
  oreb::int as oreb,
  dreb::int as dreb,
  reb::int as reb,
  ast::int as ast,
  tov::int as tov,
  stl::int as stl,
  blk::int as blk,
  pf::int as pf,
  pts::int as pts,
  plus_minus::int as plus_minus,
  _dlt_load_id::text as load_id
from latest_loads
