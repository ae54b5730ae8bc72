MODEL (
  name core.fct_games,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column game_date,
    lookback 7
  ),
  owner analytics,
  grain game_id,
  tags (core, games),
  description 'One row per finished game, rolled up from core.fct_team_games: home and away team, final score, winner and overtime periods. Each run rebuilds the last 7 days (lookback) because stat corrections arrive late.',
  column_descriptions (
    game_id = 'stats.nba.com game id',
    game_type = 'Pre Season, Regular Season, PlayIn, Playoffs, All Star or NBA Cup Final',
    home_team_id = 'Home team; at a neutral site, the designated home team from the schedule (else the lower team id)',
    winner_team_id = 'Team with more points',
    overtime_periods = 'Overtime periods played, from team minutes',
    is_neutral_site = 'Neither team was at home (NBA Cup knockouts, games abroad)'
  ),
  audits (
    unique_values(columns := (
      game_id
    )),
    not_null(
      columns := (
        game_id,
        game_date,
        home_team_id,
        away_team_id,
        home_pts,
        away_pts,
        winner_team_id
      )
    ),
    one_winner_per_game,
    games_inside_their_season
  )
);

SELECT
  game_id,
  MIN(game_date) AS game_date,
  MIN(season) AS season,
  MIN(game_type) AS game_type,
  MAX(team_id) FILTER(WHERE
    is_home_side) AS home_team_id,
  MAX(team_abbreviation) FILTER(WHERE
    is_home_side) AS home_team_abbreviation,
  MAX(team_id) FILTER(WHERE
    NOT is_home_side) AS away_team_id,
  MAX(team_abbreviation) FILTER(WHERE
    NOT is_home_side) AS away_team_abbreviation,
  MAX(pts) FILTER(WHERE
    is_home_side) AS home_pts,
  MAX(pts) FILTER(WHERE
    NOT is_home_side) AS away_pts,
  @last_by(team_id, pts) AS winner_team_id,
  @overtime_periods(MAX(minutes)) AS overtime_periods,
  BOOL_AND(CAST(location = 'neutral' AS BOOLEAN)) AS is_neutral_site
FROM core.fct_team_games
WHERE
  game_date BETWEEN @start_date AND @end_date
GROUP BY
  game_id