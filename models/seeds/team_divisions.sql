MODEL (
  name seeds.team_divisions,
  kind SEED (
    path '../../seeds/team_divisions.csv'
  ),
  owner analytics,
  grain (team_id, first_season),
  tags (seeds, teams),
  description 'Conference and division of every NBA team since 1946-47, with the seasons each alignment is valid for: one row per team and run of seasons in one division. 1946-47 to 2009-10 from the Open Source Sports database as joined to the NBA''s team ids in ../shared/history/teams_by_season.csv (tests/test_history.py holds the two together); the alignment of 2004-05 holds since. Data without logic, so it has no unit test; its audits check the file.',
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
    team_abbreviation = 'Abbreviation in the alignment''s last season (today''s while it holds), for people reading the file',
    conference = 'East or West; empty before 1970-71, when the league had divisions only',
    division = 'Division name: Eastern, Western (and Central in 1949-50) before 1970-71',
    first_season = 'Start year of the first season of this alignment (2004 = 2004-05)',
    last_season = 'Start year of the last season of this alignment; empty while it holds'
  ),
  audits (
    unique_combination_of_columns(columns := (team_id, first_season)),
    not_null(columns := (team_id, division, first_season))
  )
)