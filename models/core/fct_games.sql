MODEL (
  name core.fct_games,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column game_date,
    -- stat corrections arrive days late: each run rebuilds the last week
    lookback 7
  ),
  owner analytics,
  grain game_id,
  tags (core, games),
  description 'One row per finished game: home and away team, final score, winner and overtime periods.',
  column_descriptions (
    game_id = 'stats.nba.com game id',
    game_type = 'Pre Season, Regular Season, PlayIn, Playoffs, All Star or NBA Cup Final',
    home_team_id = 'Home team; at a neutral site, the designated home team from the schedule (else the lower team id)',
    winner_team_id = 'Team with more points',
    overtime_periods = 'Overtime periods played, from team minutes',
    is_neutral_site = 'Neither team was at home (NBA Cup knockouts, games abroad)'
  ),
  audits (
    unique_values(columns := (game_id)),
    not_null(columns := (game_id, game_date, home_team_id, away_team_id, home_pts, away_pts, winner_team_id)),
    one_winner_per_game
  )
);

with team_games as (
  select
    game_id,
    game_date,
    game_type,
    season,
    team_id,
    team_abbreviation,
    is_home,
    pts,
    minutes
  from staging.team_game_logs
  where
    game_date between @start_date and @end_date
),

scheduled_home_teams as (
  select
    game_id,
    home_team_id
  from staging.schedule
),

team_games_with_sides as (
  select
    team_games.game_id,
    team_games.game_date,
    team_games.game_type,
    team_games.season,
    team_games.team_id,
    team_games.team_abbreviation,
    team_games.pts,
    team_games.minutes,
    count(*) filter (where team_games.is_home) over (partition by team_games.game_id) = 0 as is_neutral_site,
    case
      when count(*) filter (where team_games.is_home) over (partition by team_games.game_id) = 1
      then team_games.is_home
      when scheduled_home_teams.home_team_id is not null
      then team_games.team_id = scheduled_home_teams.home_team_id
      else team_games.team_id = min(team_games.team_id) over (partition by team_games.game_id)
    end as is_home_side
  from team_games
  left join scheduled_home_teams
    on team_games.game_id = scheduled_home_teams.game_id
)

select
  game_id,
  any_value(game_date) as game_date,
  any_value(season) as season,
  any_value(game_type) as game_type,
  max(team_id) filter (where is_home_side) as home_team_id,
  max(team_abbreviation) filter (where is_home_side) as home_team_abbreviation,
  max(team_id) filter (where not is_home_side) as away_team_id,
  max(team_abbreviation) filter (where not is_home_side) as away_team_abbreviation,
  max(pts) filter (where is_home_side) as home_pts,
  max(pts) filter (where not is_home_side) as away_pts,
  arg_max(team_id, pts) as winner_team_id,
  @overtime_periods(max(minutes)) as overtime_periods,
  bool_or(is_neutral_site) as is_neutral_site
from team_games_with_sides
group by
  game_id
