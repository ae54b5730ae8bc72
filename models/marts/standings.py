"""marts.standings: every team's record on every date of a season, ranked by the NBA's tiebreakers
(basketball/tiebreakers.py; all of a season's dates at once by basketball/seeding.py)."""

from __future__ import annotations

import typing as t
from datetime import date, datetime
from itertools import groupby

import numpy as np
import pandas as pd
from sqlglot import exp
from sqlmesh import ExecutionContext, model
from sqlmesh.core.model.kind import ModelKindName

from nba_warehouse.basketball.eras import BUBBLE_RESTART, era
from nba_warehouse.basketball.seeding import Records, ranks
from nba_warehouse.basketball.tiebreakers import alignment
from nba_warehouse.model_sql import fetchdf, for_engine
from nba_warehouse.nba import REGULAR_SEASON as RANKED_SEASON_TYPE
from nba_warehouse.nba import SEASON_TYPES

GRAIN = ["season", "season_type", "as_of_date", "team_id"]

COUNTS = [
    "games_played",
    "wins",
    "losses",
    "home_wins",
    "home_losses",
    "road_wins",
    "road_losses",
    "neutral_wins",
    "neutral_losses",
    "conference_wins",
    "conference_losses",
    "division_wins",
    "division_losses",
    "last10_wins",
    "last10_losses",
    "points_for",
    "points_against",
]

COLUMNS = {
    "season": "text",
    "season_type": "text",
    "as_of_date": "date",
    "team_id": "bigint",
    "team_abbreviation": "text",
    "conference": "text",
    "division": "text",
    **{name: "int" for name in COUNTS[:3]},
    "win_pct": "double",
    "conference_rank": "int",
    "division_rank": "int",
    "conference_games_back": "double",
    **{name: "int" for name in COUNTS[3:15]},
    "streak": "text",
    **{name: "int" for name in COUNTS[15:]},
}


@model(
    "marts.standings",
    kind=dict(name=ModelKindName.INCREMENTAL_BY_TIME_RANGE, time_column="as_of_date", lookback=7),
    owner="analytics",
    grain=GRAIN,
    tags=["marts", "standings"],
    description=(
        "One row per team per date on which its season (and season type) had a game: the record after that "
        "date's games, its splits, and for the regular season the conference rank: the place the era's rules "
        "(nba_warehouse/basketball/eras.py) give at the end of the regular season, ties by the league's tiebreak "
        "procedure; before 1970-71, when the divisions were the playoff groups, the division rank. Each run recomputes its dates from the whole season so far; the NBA Cup final "
        "does not count."
    ),
    columns=COLUMNS,
    column_descriptions={
        "season_type": "Regular Season, PlayIn, Playoffs or Pre Season",
        "as_of_date": "Standings after every game played on this date",
        "conference": "From seeds.team_divisions; null before 1970-71 (divisions only)",
        "win_pct": "Wins over games played; null before the first game",
        "conference_rank": "Place in the conference under the era's rules, before any play-in game; regular season only",
        "division_rank": "Place in the division after the official tiebreakers; regular season only",
        "conference_games_back": "Games behind the conference's first-ranked team",
        "neutral_wins": "Wins at a neutral site (NBA Cup knockouts, games abroad), counted as neither home nor road",
        "last10_wins": "Wins in the team's last 10 games",
        "streak": "Current streak such as W3 or L2; null before the first game",
        "points_for": "Points scored in the season type so far",
    },
    depends_on=["core.fct_team_games", "seeds.team_divisions"],
    audits=[
        ("unique_combination_of_columns", {"columns": [exp.column(c) for c in GRAIN]}),
        ("not_null", {"columns": [exp.column(c) for c in [*GRAIN, "games_played", "wins", "losses"]]}),
        ("wins_and_losses_add_up", {}),
        ("percentages_between_0_and_1", {"columns": [exp.column("win_pct")]}),
    ],
)
def execute(context: ExecutionContext, start: datetime, end: datetime, **kwargs: t.Any) -> t.Iterator[pd.DataFrame]:
    team_games = context.resolve_table("core.fct_team_games")
    season_types = ", ".join(f"'{s}'" for s in SEASON_TYPES)
    games = fetchdf(
        context,
        f"""
        select season, game_type as season_type, game_date, team_id, team_abbreviation,
               opponent_team_id, location, is_win, pts, opp_pts
        from {team_games}
        where game_type in ({season_types})
          and game_date <= '{end:%Y-%m-%d}'
          and season in (
            select season from {team_games}
            where game_date between '{start:%Y-%m-%d}' and '{end:%Y-%m-%d}'
          )
        order by game_date, team_id
        """
    )
    divisions = fetchdf(
        context,
        f"select team_id, team_abbreviation, conference, division, first_season, last_season "
        f"from {context.resolve_table('seeds.team_divisions')}"
    )
    frames = [
        season_standings(season, season_type, season_games, divisions, start.date(), end.date())
        for (season, season_type), season_games in games.groupby(["season", "season_type"], sort=True)
    ]
    frames = [frame for frame in frames if not frame.empty]
    if frames:
        yield for_engine(context, pd.concat(frames, ignore_index=True)[list(COLUMNS)])


def season_standings(
    season: str, season_type: str, games: pd.DataFrame, divisions: pd.DataFrame, start: t.Any, end: t.Any
) -> pd.DataFrame:
    """Standings of one season type of one season on each of its game dates in [start, end]."""
    start_year = int(season[:4])
    aligned = alignment(divisions, start_year)
    seeded = aligned.index.tolist() if season_type == RANKED_SEASON_TYPE else []
    team_ids = sorted(set(games.team_id) | set(seeded))
    index = {team_id: i for i, team_id in enumerate(team_ids)}
    dates = sorted(set(pd.to_datetime(games.game_date).dt.date))
    day = {d: i for i, d in enumerate(dates)}

    d = np.array([day[x] for x in pd.to_datetime(games.game_date).dt.date])
    team = games.team_id.map(index).to_numpy()
    opponent = games.opponent_team_id.map(index).to_numpy()
    win = games.is_win.to_numpy(dtype=bool)
    conference = np.array([_lookup(aligned, x, "conference") for x in team_ids], dtype=object)
    division = np.array([_lookup(aligned, x, "division") for x in team_ids], dtype=object)
    # an opponent outside the league (preseason visitors) has no index
    league_opponent = ~np.isnan(opponent.astype(float))
    opp = np.where(league_opponent, opponent, 0).astype(int)
    same_conference = league_opponent & (conference[team] == conference[opp]) & (conference[team] != None)  # noqa: E711
    same_division = league_opponent & (division[team] == division[opp]) & (division[team] != None)  # noqa: E711

    shape = (len(dates), len(team_ids))
    daily = {name: np.zeros(shape, dtype=np.int64) for name in COUNTS}
    add = lambda name, where, value=1: np.add.at(daily[name], (d[where], team[where]), value if np.isscalar(value) else value[where])  # noqa: E731
    everything = np.ones(len(games), dtype=bool)
    add("games_played", everything)
    add("wins", win)
    add("losses", ~win)
    for place in ("home", "road", "neutral"):
        at = (games.location == place).to_numpy()
        add(f"{place}_wins", at & win)
        add(f"{place}_losses", at & ~win)
    add("conference_wins", same_conference & win)
    add("conference_losses", same_conference & ~win)
    add("division_wins", same_division & win)
    add("division_losses", same_division & ~win)
    add("points_for", everything, games.pts.to_numpy())
    add("points_against", everything, games.opp_pts.to_numpy())
    totals = {name: np.cumsum(values, axis=0) for name, values in daily.items()}
    last10_wins, streaks = _recent_form(d, team, win, shape)
    totals["last10_wins"] = last10_wins
    totals["last10_losses"] = np.minimum(totals["games_played"], 10) - last10_wins

    head_to_head = np.zeros((len(dates), len(team_ids), len(team_ids)), dtype=np.int64)
    np.add.at(head_to_head, (d[league_opponent & win], team[league_opponent & win], opp[league_opponent & win]), 1)
    head_to_head = np.cumsum(head_to_head, axis=0)

    abbreviations = np.array(_latest_abbreviations(games, team_ids, aligned, index, d, shape), dtype=object)
    ranked = season_type == RANKED_SEASON_TYPE
    seeded_mask = np.array([x in aligned.index for x in team_ids]) & ranked
    in_range = np.array([start <= x <= end for x in dates], dtype=bool)
    conference_rank, division_rank = np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=np.int64)
    games_back = np.full(shape, np.nan)
    if ranked:
        rules = era(start_year)
        restart = next((i for i, x in enumerate(dates) if rules.bubble and x >= date.fromisoformat(BUBBLE_RESTART)), len(dates))
        # the bubble's teams are those that have played since the restart; every other date ranks with no one invited
        invited = [frozenset(team[(d >= restart) & (d <= k)]) if k >= restart else None for k in range(len(dates))]
        for group in dict.fromkeys(invited[k] for k in np.flatnonzero(in_range)):
            days = np.array([k for k in np.flatnonzero(in_range) if invited[k] == group])
            records = Records(
                **{name: totals[name][days] for name in ("wins", "losses", "conference_wins", "conference_losses", "division_wins", "division_losses")},
                point_differential=(totals["points_for"] - totals["points_against"])[days],
                head_to_head=np.ascontiguousarray(head_to_head[days].transpose(1, 2, 0)),
            )
            conference_rank[days], division_rank[days] = ranks(records, conference, division, np.array(team_ids), rules, group)
        wins, losses = totals["wins"], totals["losses"]
        for name in {c for c in conference if c is not None}:
            members = np.flatnonzero(conference == name)
            leader = members[np.argmax(conference_rank[:, members] == 1, axis=1)][:, None]
            on_day = np.arange(len(dates))[:, None]
            games_back[:, members] = ((wins[on_day, leader] - wins[:, members]) + (losses[:, members] - losses[on_day, leader])) / 2
    shown = in_range[:, None] & ((totals["games_played"] > 0) | seeded_mask[None, :])
    day_of, team_of = np.nonzero(shown)
    played = totals["games_played"][shown]
    return pd.DataFrame(
        {
            "season": season,
            "season_type": season_type,
            "as_of_date": np.array(dates, dtype=object)[day_of],
            "team_id": np.array(team_ids, dtype=np.int64)[team_of],
            "team_abbreviation": abbreviations[shown],
            "conference": conference[team_of],
            "division": division[team_of],
            **{name: totals[name][shown].astype(np.int64) for name in COUNTS},
            "win_pct": pd.array(np.divide(totals["wins"][shown], played, out=np.full(len(played), np.nan), where=played > 0), dtype="Float64"),
            "conference_rank": _rank(conference_rank[shown]),
            "division_rank": _rank(division_rank[shown]),
            "conference_games_back": pd.array(np.where(conference_rank[shown] > 0, games_back[shown], np.nan), dtype="Float64"),
            "streak": np.array(streaks, dtype=object)[shown],
        },
        columns=list(COLUMNS),
    )


def _rank(ranks: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A rank column: 1-based, null where there is none (0)."""
    return pd.array(np.where(ranks > 0, ranks, np.nan), dtype="Int64")


def _lookup(aligned: pd.DataFrame, team_id: int, column: str) -> str | None:
    return aligned.at[team_id, column] if team_id in aligned.index else None


def _recent_form(d: np.ndarray, team: np.ndarray, win: np.ndarray, shape: tuple[int, int]) -> tuple[np.ndarray, list[list[str | None]]]:
    """Wins in the last 10 games and the current streak of each team after each date."""
    last10 = np.zeros(shape, dtype=np.int64)
    streak: list[list[str | None]] = [[None] * shape[1] for _ in range(shape[0])]
    order = np.lexsort((d, team))
    for team_index, rows in groupby(order, key=lambda row: team[row]):
        rows = list(rows)
        results = win[rows]
        run = 0
        for k, row in enumerate(rows):
            run = run + 1 if k and results[k] == results[k - 1] else 1
            next_day = d[rows[k + 1]] if k + 1 < len(rows) else shape[0]
            last10[d[row] : next_day, team_index] = results[max(0, k - 9) : k + 1].sum()
            for day in range(d[row], next_day):
                streak[day][team_index] = f"{'W' if results[k] else 'L'}{run}"
    return last10, streak


def _latest_abbreviations(
    games: pd.DataFrame, team_ids: list[int], aligned: pd.DataFrame, index: dict[int, int], d: np.ndarray, shape: tuple[int, int]
) -> list[list[str | None]]:
    """The abbreviation each team used in its latest game through each date (the seed's before its first game)."""
    current = [_lookup(aligned, x, "team_abbreviation") for x in team_ids]
    by_day: list[list[str | None]] = []
    rows_by_day = {k: list(v) for k, v in groupby(range(len(games)), key=lambda row: d[row])}
    abbreviations = games.team_abbreviation.to_numpy()
    teams = games.team_id.to_numpy()
    for date_index in range(shape[0]):
        for row in rows_by_day.get(date_index, []):
            current[index[teams[row]]] = abbreviations[row]
        by_day.append(list(current))
    return by_day
