"""What the notebook and the report ask of the prod views.

Each function is one question, answered by one query on the views that
``sqlmesh plan`` promoted (``marts.*``, ``core.*``) or on ``ops.*``, so that
the notebook and the HTML report show the same numbers. The SQL is what
DuckDB and PostgreSQL (server mode) both read; numbers are rounded for display
here, since PostgreSQL rounds only exact numerics.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nba_warehouse.explore.reader import Reader
from nba_warehouse.nba import REGULAR_SEASON

SOURCES = {
    "live": "real stats.nba.com data",
    "replay": "real stats.nba.com data, replayed from recordings",
    "synthetic": "SYNTHETIC league (invented players and results), not real NBA data",
    "derived": "real NBA results with box scores DERIVED from the final scores, not the league's box scores",
}

DATA_QUALITY_COLUMNS = ["table_name", "scope", "rows", "passed", "failed", "quarantined", "validated_at", "run_id", "page"]


class NoData(LookupError):
    """The prod views hold nothing to show yet."""


@dataclass(frozen=True)
class Coverage:
    """Which data a page covers and how the warehouse was last loaded."""

    season: str
    through: str
    source: str
    last_run: dict[str, object] | None

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)


def coverage(reader: Reader, season: str | None = None) -> Coverage:
    """The newest season with standings (or ``season``), its last played date and where the data came from."""
    latest = reader.sql(
        """
        select season, max(as_of_date)::varchar as through
        from marts.standings
        where season_type = ? and (? is null or season = ?)
        group by season
        order by season desc
        limit 1
        """,
        [REGULAR_SEASON, season, season],
    )
    if latest.empty:
        wanted = f"season {season}" if season else "any season"
        raise NoData(f"marts.standings has no regular-season rows for {wanted}: load it first (nba-warehouse backfill, or make demo)")
    runs = pipeline_runs(reader, limit=None)
    sources = set(runs.loc[runs["status"] == "succeeded", "source"].dropna())
    source = sources.pop() if len(sources) == 1 else ("mixed: " + ", ".join(sorted(sources)) if sources else "unknown")
    last_run = runs.iloc[0].to_dict() if not runs.empty else None
    return Coverage(latest["season"].iloc[0], latest["through"].iloc[0], source, last_run)


def standings(reader: Reader, season: str, as_of: str) -> pd.DataFrame:
    """Each conference's table on ``as_of`` (each division's before 1970-71, when the divisions were the playoff
    groups), seeded, with the simulated odds of that date."""
    table = reader.sql(
        """
        select
            coalesce(s.conference, s.division) as group_name,
            coalesce(s.conference_rank, s.division_rank) as seed,
            s.team_abbreviation as team,
            s.wins,
            s.losses,
            s.win_pct,
            coalesce(
                s.conference_games_back,
                (first_value(s.wins - s.losses) over (partition by s.division order by s.division_rank) - (s.wins - s.losses)) / 2.0
            ) as games_back,
            s.home_wins || '-' || s.home_losses as home,
            s.road_wins || '-' || s.road_losses as road,
            s.last10_wins || '-' || s.last10_losses as last_10,
            s.streak,
            p.projected_wins_mean as projected_wins,
            p.playoffs_probability,
            p.title_probability
        from marts.standings as s
        left join marts.season_simulations as p
            on p.season = s.season and p.as_of_date = s.as_of_date and p.team_id = s.team_id
        where s.season = ? and s.season_type = ? and s.as_of_date = ?
        order by group_name, seed
        """,
        [season, REGULAR_SEASON, as_of],
    )
    return table.round({"win_pct": 3, "projected_wins": 1, "playoffs_probability": 3, "title_probability": 3})


def standings_race(reader: Reader, season: str, group: str) -> pd.DataFrame:
    """Wins above .500 (wins less losses) of each team of a conference (or, before conferences, a division), by date."""
    return reader.sql(
        """
        select as_of_date, team_abbreviation as team, wins - losses as wins_above_500
        from marts.standings
        where season = ? and season_type = ? and coalesce(conference, division) = ?
        order by as_of_date, team
        """,
        [season, REGULAR_SEASON, group],
    )


def team_ratings(reader: Reader, season: str) -> pd.DataFrame:
    """Season-to-date points scored and allowed per 100 possessions, with the conference of that season."""
    ratings = reader.sql(
        """
        select
            r.team_abbreviation as team,
            s.conference,
            r.games,
            r.offensive_rating,
            r.defensive_rating,
            r.net_rating
        from marts.team_ratings as r
        left join marts.standings as s
            on s.season = r.season and s.season_type = r.season_type and s.team_id = r.team_id and s.as_of_date = r.through_date
        where r.season = ? and r.season_type = ? and r.games_window = 'season_to_date'
        order by r.net_rating desc
        """,
        [season, REGULAR_SEASON],
    )
    return ratings.round({"offensive_rating": 1, "defensive_rating": 1, "net_rating": 1})


def season_odds_calibration(reader: Reader) -> pd.DataFrame:
    """Reliability of the simulated playoff and title odds at each checkpoint, over every finished season loaded."""
    return reader.sql(
        """
        select checkpoint, outcome, probability_bucket, team_seasons, mean_predicted, observed_rate, brier_score, seasons
        from marts.season_odds_calibration
        order by outcome, checkpoint, probability_bucket
        """
    )


def elo_history(reader: Reader, season: str, teams: list[str] | None = None, top: int = 5) -> pd.DataFrame:
    """Each team's Elo after each game of the season: the named ``teams``, else the ``top`` rated now."""
    ratings = reader.sql(
        """
        select e.game_date, g.team_abbreviation as team, e.elo_after as elo
        from marts.elo_ratings as e
        inner join core.fct_team_games as g
            on g.game_id = e.game_id and g.team_id = e.team_id
        where e.season = ?
        order by e.game_date, team
        """,
        [season],
    )
    if teams is None:
        teams = ratings.groupby("team")["elo"].last().nlargest(top).index.tolist()
    return ratings[ratings["team"].isin(teams)].round({"elo": 1}).reset_index(drop=True)


def playoff_odds(reader: Reader, season: str, conference: str, *, contested_only: bool = False) -> pd.DataFrame:
    """Each team's simulated chance to reach the playoffs (play-in winners included), by date; with
    ``contested_only``, just the teams whose place is not yet all but settled (between 1% and 99% now)."""
    odds = reader.sql(
        """
        select p.as_of_date, s.team_abbreviation as team, p.playoffs_probability
        from marts.season_simulations as p
        inner join marts.standings as s
            on s.season = p.season and s.as_of_date = p.as_of_date and s.team_id = p.team_id
            and s.season_type = ?
        where p.season = ? and p.conference = ?
        order by p.as_of_date, team
        """,
        [REGULAR_SEASON, season, conference],
    )
    if not contested_only or odds.empty:
        return odds
    now = odds[odds["as_of_date"] == odds["as_of_date"].max()]
    contested = now.loc[now["playoffs_probability"].between(0.01, 0.99), "team"]
    return odds[odds["team"].isin(contested)]


def leaders(reader: Reader, season: str, stat: str = "pts_per_game", limit: int = 10) -> pd.DataFrame:
    """The season's leaders in a per-game stat among players with at least half of the most games played."""
    allowed = {"pts_per_game", "reb_per_game", "ast_per_game", "stl_per_game", "blk_per_game", "ts_pct", "game_score_per_game"}
    if stat not in allowed:
        raise ValueError(f"stat {stat!r}: expected one of {', '.join(sorted(allowed))}")
    leaders = reader.sql(
        f"""
        with season_players as (
            select
                player_id,
                player_name,
                team_abbreviations,
                games,
                minutes_per_game,
                pts_per_game,
                reb_per_game,
                ast_per_game,
                stl_per_game,
                blk_per_game,
                ts_pct,
                game_score_per_game,
                max(games) over () as most_games
            from marts.player_season_stats
            where season = ? and season_type = ?
        )
        select
            player_name as player,
            team_abbreviations as team,
            games,
            minutes_per_game,
            pts_per_game,
            reb_per_game,
            ast_per_game,
            ts_pct,
            player_id
        from season_players
        where games >= 0.5 * most_games
        order by {stat} desc, player_id
        limit ?
        """,
        [season, REGULAR_SEASON, limit],
    )
    return leaders.round({"minutes_per_game": 1, "pts_per_game": 1, "reb_per_game": 1, "ast_per_game": 1, "ts_pct": 3})


def player_form(reader: Reader, season: str, player: str | int) -> pd.DataFrame:
    """A player's points game by game with the rolling last-5 and last-10 averages, by name or id."""
    return reader.sql(
        """
        select game_date, player_name as player, pts, last5_pts, last10_pts, game_score, last10_game_score
        from marts.player_form
        where season = ? and game_type = ? and (player_name = ?::varchar or player_id::varchar = ?::varchar)
        order by game_date
        """,
        [season, REGULAR_SEASON, str(player), str(player)],
    )


RUN_COLUMNS = ["run_id", "command", "status", "source", "started_at", "duration_seconds", "rows_loaded",
               "intervals_processed", "audits_failed", "validations_failed", "error"]  # fmt: skip


def pipeline_runs(reader: Reader, limit: int | None = 10) -> pd.DataFrame:
    """The newest runs from ``ops.pipeline_runs``; none before the first run, and columns added by
    later versions are null until the next run adds them."""
    present = set(reader.columns("ops.pipeline_runs"))
    if not present:
        return pd.DataFrame(columns=RUN_COLUMNS)
    selected = ", ".join(c if c in present else f"null as {c}" for c in RUN_COLUMNS)
    return reader.sql(f"select {selected} from ops.pipeline_runs order by started_at desc limit ?", [limit])


def data_quality(reader: Reader) -> pd.DataFrame:
    """Per raw table: its latest validated batch (scope, rows, expectations passed and failed, its Data Docs page)
    and how many of its batches were ever quarantined; empty before the first run that recorded validations."""
    if not reader.columns("ops.validations"):
        return pd.DataFrame(columns=DATA_QUALITY_COLUMNS)
    return reader.sql(
        """
        with ranked as (
          select
            v.table_name, v.scope, v.rows, v.expectations - v.failed as passed, v.failed, v.page, v.run_id,
            r.started_at as validated_at,
            count(*) filter (where not v.success) over (partition by v.table_name) as quarantined,
            row_number() over (partition by v.table_name order by r.started_at desc, v.batch desc) as newest
          from ops.validations as v
          join ops.pipeline_runs as r using (run_id)
        )
        select table_name, scope, rows, passed, failed, quarantined, validated_at, run_id, page
        from ranked
        where newest = 1
        order by table_name
        """
    )
