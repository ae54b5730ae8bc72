MODEL (
  name core.dim_players,
  kind SCD_TYPE_2_BY_COLUMN (
    unique_key person_id,
    columns [team_id, team_abbreviation, is_active, to_year, display_name]
  ),
  owner analytics,
  grain (person_id, valid_from),
  tags (core, players),
  description 'Every player, type 2: SQLMesh closes a version and opens a new one whenever a load shows the player on another team, off or back on a roster, or renamed. CommonAllPlayers is a snapshot, so this history starts with the first load and grows with each run. The query passes the snapshot through and the history is the kind''s work over successive loads, which a unit test cannot run: tests/test_environments.py checks it over three snapshots instead.',
  column_descriptions (
    person_id = 'stats.nba.com person id',
    display_name = 'Name as stats.nba.com prints it',
    team_id = 'Team in this version; null when not on a roster',
    is_active = 'On a current roster in this version',
    from_year = 'First season''s start year',
    to_year = 'Last season''s start year'
  ),
  audits (
    unique_combination_of_columns(columns := (person_id, valid_from)),
    not_null(columns := (person_id, display_name))
  ),
  ignored_rules (
    nomissingunittest
  )
);

SELECT
  person_id,
  display_name,
  sort_name,
  player_slug,
  is_active,
  from_year,
  to_year,
  team_id,
  team_abbreviation
FROM staging.players