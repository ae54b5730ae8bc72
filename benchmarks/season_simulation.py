"""Time marts.season_simulations' core: N simulations of a whole regular season still to play
(opening night), seeding with the official tiebreakers, the play-in and four playoff rounds.

    .venv/bin/python benchmarks/season_simulation.py --runs 10000
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import time
from itertools import combinations
from pathlib import Path

import numpy as np

from nba_warehouse.basketball.elo import EloParameters
from nba_warehouse.basketball.eras import era
from nba_warehouse.basketball.simulation import Season, simulate

REPO = Path(__file__).resolve().parent.parent
PARAMETERS = EloParameters(k=20, home_advantage=100, mean=1505, season_carryover=0.75, points_per_rating=28, new_team_rating=1300)


def opening_night(rng: np.random.Generator) -> Season:
    """The 30 teams of the division seed, each pair meeting home and away, conference rivals twice more."""
    with (REPO / "seeds" / "team_divisions.csv").open() as handle:
        teams = [row for row in csv.DictReader(handle) if not row["last_season"]]
    conference = np.array([t["conference"] for t in teams], dtype=object)
    games = [
        pair
        for i, j in combinations(range(len(teams)), 2)
        for pair in ([(i, j), (j, i)] * (2 if conference[i] == conference[j] else 1))
    ]
    home, away = (np.array(side) for side in zip(*games))
    nothing = np.array([], dtype=np.int64)
    return Season(
        team_ids=np.array([int(t["team_id"]) for t in teams]),
        conference=conference,
        division=np.array([t["division"] for t in teams], dtype=object),
        ratings=rng.normal(1505, 90, len(teams)),
        played_home=nothing,
        played_away=nothing,
        played_home_pts=nothing.astype(float),
        played_away_pts=nothing.astype(float),
        remaining_home=home,
        remaining_away=away,
        remaining_neutral=np.zeros(len(home), dtype=bool),
        era=era(2025),
    )


def best_seconds(runs: int, repeat: int = 3) -> float:
    """The fastest of ``repeat`` timings of ``runs`` simulations of opening night, as ``timeit`` reports: slower
    ones measure what else the machine was doing."""
    season = opening_night(np.random.default_rng(1))
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = simulate(season, PARAMETERS, runs, seed=1)
        timings.append(time.perf_counter() - started)
        assert np.allclose(outcome.reached["title"].sum(axis=1), 1)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    args = parser.parse_args()
    seconds = best_seconds(args.runs)
    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{args.runs:,} simulations of opening night plus play-in and playoffs: {seconds:.2f} s (best of 3)")


if __name__ == "__main__":
    main()
