MODEL (
  name seeds.team_divisions,
  kind SEED (
    path '../../seeds/team_divisions.csv'
  ),
  owner analytics,
  grain (team_id, first_season),
  tags (seeds, teams),
  description 'Conference and division of each franchise, with the seasons each alignment is valid for. Maintained by hand from the league''s published alignments. Data without logic, so it has no unit test; its audits check the file.',
  ignored_rules (
    nomissingunittest
  ),
  columns (
    team_id BIGINT,
    team_abbreviation TEXT,
    conference TEXT,
    division TEXT,
    first_season INT,
    last_season INT
  ),
  column_descriptions (
    team_id = 'stats.nba.com team id',
    team_abbreviation = 'Abbreviation when the alignment began, for people reading the file',
    conference = 'East or West',
    division = 'Division name',
    first_season = 'Start year of the first season of this alignment (2004 = 2004-05)',
    last_season = 'Start year of the last season of this alignment; empty while it holds'
  ),
  audits (
    unique_combination_of_columns(columns := (team_id, first_season)),
    not_null(columns := (team_id, conference, division, first_season))
  )
)