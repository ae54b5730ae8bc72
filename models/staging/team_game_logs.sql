MODEL (
  name staging.team_game_logs,
  kind VIEW,
  owner analytics,
  grain (game_id, team_id),
  tags (staging, game_logs),
  description 'One row per team per game (LeagueGameLog, PlayerOrTeam=T), typed and renamed, latest load of each key.',
  column_descriptions (
    game_id = 'stats.nba.com game id; its first three digits give the game type',
    game_type = 'Pre Season, Regular Season, PlayIn, Playoffs, All Star or NBA Cup Final, from the game id',
    season = 'Season label such as 2025-26',
    is_home = 'True when the matchup reads "vs." (home); neutral-site games read "@" for both teams',
    minutes = 'Team minutes: 240 plus 25 per overtime period',
    plus_minus = 'Point margin from this team''s side'
  ),
  audits (
    unique_combination_of_columns(columns := (game_id, team_id)),
    not_null(columns := (game_id, team_id, game_date, pts)),
    points_add_up,
    two_teams_per_game
  )
);

with latest_loads as (
  select
    game_id,
    team_id,
    game_date,
    season_id,
    team_abbreviation,
    team_name,
    matchup,
    wl,
    min,
    fgm,
    fga,
    fg_pct,
    fg3_m,
    fg3_a,
    fg3_pct,
    ftm,
    fta,
    ft_pct,
    oreb,
    dreb,
    reb,
    ast,
    stl,
    blk,
    tov,
    pf,
    pts,
    plus_minus,
    _dlt_load_id
  from raw.team_game_logs
  qualify
    row_number() over (partition by game_id, team_id order by _dlt_load_id desc) = 1
)

select
  game_id::text as game_id,
  team_id::bigint as team_id,
  game_date::date as game_date,
  @game_type(game_id) as game_type,
  @season_label(right(season_id, 4)::int) as season,
  team_abbreviation::text as team_abbreviation,
  team_name::text as team_name,
  matchup::text as matchup,
  matchup like '% vs. %' as is_home,
  wl::text as wl,
  min::int as minutes,
  fgm::int as fgm,
  fga::int as fga,
  fg_pct::double as fg_pct,
  fg3_m::int as fg3m,
  fg3_a::int as fg3a,
  fg3_pct::double as fg3_pct,
  ftm::int as ftm,
  fta::int as fta,
  ft_pct::double as ft_pct,
  oreb::int as oreb,
  dreb::int as dreb,
  reb::int as reb,
  ast::int as ast,
  stl::int as stl,
  blk::int as blk,
  tov::int as tov,
  pf::int as pf,
  pts::int as pts,
  plus_minus::int as plus_minus,
  _dlt_load_id::text as load_id
from latest_loads
