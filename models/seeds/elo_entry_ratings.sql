MODEL (
  name seeds.elo_entry_ratings,
  kind SEED (
    path '../../seeds/elo_entry_ratings.csv'
  ),
  owner analytics,
  grain (
    team_id
  ),
  tags (seeds, ratings),
  description 'The Elo rating a team brought from another league into its first BAA/NBA season: the ABL''s Baltimore Bullets (1947-48), the NBL teams of 1948-49 and 1949-50, and the four ABA teams of 1976-77. FiveThirtyEight rated those teams in their old leagues, games the NBA''s data does not have; these are the pre-game ratings of each team''s first game in FiveThirtyEight''s NBA Elo (nbaallelo.csv, CC BY 4.0, via ../shared/history/games.csv.gz; tests/test_history.py holds the two together). Every other team without a rating starts at the Elo variables'' new_team_rating.',
  ignored_rules (
    nomissingunittest
  ),
  columns (
    team_id BIGINT,
    team_abbreviation TEXT,
    first_season INT,
    elo_rating DOUBLE,
    joined_from TEXT
  ),
  column_descriptions (
    team_id = 'stats.nba.com team id',
    team_abbreviation = 'Abbreviation in the first season, for people reading the file',
    first_season = 'Start year of the team''s first BAA/NBA season (1976 = 1976-77)',
    elo_rating = 'Elo rating before the team''s first BAA/NBA game',
    joined_from = 'The league the team came from: ABL, NBL or ABA'
  ),
  audits (
    unique_values(columns := (
      team_id
    )),
    not_null(columns := (team_id, first_season, elo_rating))
  )
)