"""marts.standings: every team's record on every date of a season, ranked by the NBA's tiebreakers
(basketball/tiebreakers.py)."""

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
from nba_warehouse.basketball.tiebreakers import Table, alignment
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
    games = context.fetchdf(
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
    divisions = context.fetchdf(
        f"select team_id, team_abbreviation, conference, division, first_season, last_season "
        f"from {context.resolve_table('seeds.team_divisions')}"
    )
    frames = [
        season_standings(season, season_type, season_games, divisions, start.date(), end.date())
        for (season, season_type), season_games in games.groupby(["season", "season_type"], sort=True)
    ]
    frames = [frame for frame in frames if not frame.empty]
    if frames:
        yield pd.concat(frames, ignore_index=True)[list(COLUMNS)]


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

    abbreviations = _latest_abbreviations(games, team_ids, aligned, index, d, shape)
    ranked = season_type == RANKED_SEASON_TYPE
    seeded_mask = np.array([x in aligned.index for x in team_ids]) & ranked
    rules = era(start_year)
    restart = next((i for i, x in enumerate(dates) if rules.bubble and x >= date.fromisoformat(BUBBLE_RESTART)), len(dates))
    rows = []
    for date_index, as_of in enumerate(dates):
        if not start <= as_of <= end:
            continue
        table = Table(
            wins=totals["wins"][date_index],
            losses=totals["losses"][date_index],
            conference_wins=totals["conference_wins"][date_index],
            conference_losses=totals["conference_losses"][date_index],
            division_wins=totals["division_wins"][date_index],
            division_losses=totals["division_losses"][date_index],
            point_differential=totals["points_for"][date_index] - totals["points_against"][date_index],
            head_to_head=head_to_head[date_index],
            conference=conference,
            division=division,
            team_ids=np.array(team_ids),
            era=rules,
            invited=frozenset(team[(d >= restart) & (d <= date_index)]) if date_index >= restart else None,
        )
        conference_rank, division_rank, games_back = table.ranks() if ranked else ({}, {}, {})
        for i, team_id in enumerate(team_ids):
            played = int(totals["games_played"][date_index, i])
            if not played and not seeded_mask[i]:
                continue
            rows.append(
                {
                    "season": season,
                    "season_type": season_type,
                    "as_of_date": as_of,
                    "team_id": team_id,
                    "team_abbreviation": abbreviations[date_index][i],
                    "conference": conference[i],
                    "division": division[i],
                    **{name: int(totals[name][date_index, i]) for name in COUNTS},
                    "win_pct": totals["wins"][date_index, i] / played if played else None,
                    "conference_rank": conference_rank.get(i),
                    "division_rank": division_rank.get(i),
                    "conference_games_back": games_back.get(i),
                    "streak": streaks[date_index][i],
                }
            )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.astype({"conference_rank": "Int64", "division_rank": "Int64", "win_pct": "Float64", "conference_games_back": "Float64"})


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
