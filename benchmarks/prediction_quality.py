"""The warehouse's game forecasts against FiveThirtyEight's Elo, 1990-91 to 2009-10, on exactly the same games
(every game of ../shared/history, playoffs included), with the power ratings' parameters chosen by rolling-origin
validation: for each season, the grid point with the lowest Brier score over the seasons from 1976-77 up to the one
before it predicts it, so no season is ever predicted with parameters fitted on it. Prints the per-season table
(accuracy and Brier score) for that forecast, for config.yaml's parameters, for FiveThirtyEight's Elo as the
warehouse computes it, for FiveThirtyEight's published probabilities and for always picking the home team, then
the summary and the parameters each origin chose.

    .venv/bin/python benchmarks/prediction_quality.py [--history ../shared/history] [--workers 2]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from nba_warehouse.basketball.elo import EloParameters, entry_ratings, rate
from nba_warehouse.basketball.power import PowerParameters, predict
from nba_warehouse.offline.history import games_frame
from nba_warehouse.project import project_variables

REPO = Path(__file__).resolve().parent.parent
FIRST_FIT, FIRST_TARGET, LAST_TARGET = 1976, 1990, 2009  # fits start with the ABA merger
# What each part of the model is worth: config.yaml's parameters with one part switched off.
WITHOUT = {
    "form": {"form_variance": 0.0},
    "late-season effects": {"late_season_variance": 0.0, "late_season_season_variance": 0.0},
    "teams' own home courts": {"team_home_court_variance": 0.0, "team_home_court_season_variance": 0.0},
    "back-to-backs": {"back_to_back": 0.0},
    "playoff scale": {"playoff_scale": 1.0},
}
GRID = {
    "margin_sd": (13.0, 14.0, 15.0),
    "daily_variance": (0.05, 0.08),
    "form_variance": (0.15, 0.3),
    "season_carryover": (0.75, 0.8),
    "probability_sd": (9.0, 9.5),
    "back_to_back": (1.5, 2.0),
    "playoff_scale": (1.0, 1.2),
}


def _forecast(args: tuple[pd.DataFrame, PowerParameters, EloParameters, dict]) -> np.ndarray:
    games, power, elo, entries = args
    return predict(games, power, elo, entries).home_win_probability.to_numpy()


def rolling_origin(brier_by_season: pd.DataFrame, games_by_season: pd.Series, targets: range) -> dict[int, int]:
    """For each target season, the candidate (column) with the lowest game-weighted Brier score over the seasons
    from FIRST_FIT to the one before the target (rows: start years)."""
    chosen = {}
    for target in targets:
        fit = [y for y in brier_by_season.index if FIRST_FIT <= y < target]
        weights = games_by_season.loc[fit]
        chosen[target] = int((brier_by_season.loc[fit].mul(weights, axis=0).sum() / weights.sum()).idxmin())
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=Path, default=REPO.parent / "shared" / "history")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if not (args.history / "games.csv.gz").is_file():
        sys.exit(f"prediction_quality: no games.csv.gz in {args.history}: expected the shared history folder (--history)")
    variables = project_variables(REPO)
    elo, configured = EloParameters(**variables["fivethirtyeight_elo"]), PowerParameters(**variables["power_ratings"])
    games = games_frame(args.history)
    entries = entry_ratings(pd.read_csv(REPO / "seeds" / "elo_entry_ratings.csv"))
    candidates = [replace(configured, **dict(zip(GRID, values))) for values in itertools.product(*GRID.values())]
    ablations = [replace(configured, **changes) for changes in WITHOUT.values()]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        forecasts = list(pool.map(_forecast, [(games, c, elo, entries) for c in [configured, *ablations, *candidates]]))
    seconds = time.perf_counter() - started
    ablated, forecasts = forecasts[1 : 1 + len(ablations)], [forecasts[0], *forecasts[1 + len(ablations) :]]
    y = games.home_won.to_numpy()
    squared = pd.DataFrame({k: (p - y) ** 2 for k, p in enumerate(forecasts[1:])})
    brier_by_season = squared.groupby(games.start_year).mean()
    games_by_season = games.groupby("start_year").size()
    targets = range(FIRST_TARGET, LAST_TARGET + 1)
    chosen = rolling_origin(brier_by_season, games_by_season, targets)
    rolling = np.full(len(games), np.nan)
    for target, k in chosen.items():
        rolling[games.start_year == target] = forecasts[1 + k][games.start_year == target]
    fte_config = pd.DataFrame(rate(games, elo, entries))
    fte_config = games[["game_id", "home_team_id"]].merge(fte_config, left_on=["game_id", "home_team_id"], right_on=["game_id", "team_id"])

    home_rate = games.groupby("start_year").home_won.mean()
    columns = {
        "ours (rolling origin)": rolling,
        "ours (config.yaml)": forecasts[0],
        "538 Elo, warehouse": fte_config.win_probability.to_numpy(),
        "538 published": games.fte_elo_home_win_probability.to_numpy(),
        "home always": games.start_year.map(lambda year: home_rate.loc[: year - 1].mean()).to_numpy(),
    }
    window = games.start_year.between(FIRST_TARGET, LAST_TARGET).to_numpy()
    table = pd.DataFrame({"season": games.season[window], "home_won": y[window]})
    for name, p in columns.items():
        table[f"{name} acc"] = ((p[window] >= 0.5) == y[window]).astype(float)
        table[f"{name} brier"] = (p[window] - y[window]) ** 2
    per_season = table.drop(columns="home_won").groupby("season").mean()
    per_season.insert(0, "games", table.groupby("season").size())

    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{len(games):,} games 1946-47 to 2009-10; {len(candidates)} parameter sets x the whole history in {seconds:.0f} s "
          f"({args.workers} workers)\n")
    names = list(columns)
    print("| season | games | " + " | ".join(f"{n}: acc / Brier" for n in names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for season, row in per_season.iterrows():
        cells = " | ".join(f"{row[f'{n} acc']:.3f} / {row[f'{n} brier']:.4f}" for n in names)
        print(f"| {season} | {int(row.games)} | {cells} |")
    overall = table.drop(columns=["season", "home_won"]).mean()
    cells = " | ".join(f"{overall[f'{n} acc']:.3f} / {overall[f'{n} brier']:.4f}" for n in names)
    print(f"| all | {len(table)} | {cells} |\n")
    published = overall["538 published brier"]
    for name in names[:3]:
        worse = int((per_season[f"{name} brier"] > per_season["538 published brier"]).sum())
        print(f"{name}: Brier {overall[f'{name} brier']:.4f}, {100 * (1 - overall[f'{name} brier'] / published):.2f}% below "
              f"538 published ({published:.4f}); mean of season Brier scores {100 * (1 - per_season[f'{name} brier'].mean() / per_season['538 published brier'].mean()):.2f}% below; "
              f"worse than 538 in {worse} of {len(per_season)} seasons; accuracy {overall[f'{name} acc']:.3f} v {overall['538 published acc']:.3f}")
    print("\nWhat each part is worth (config.yaml's parameters, one part off; Brier over the same games):")
    for name, p in zip(WITHOUT, ablated):
        brier = float(np.mean((p[window] - y[window]) ** 2))
        print(f"  without {name}: {brier:.5f} ({100 * (1 - brier / published):.2f}% below 538 published; "
              f"config.yaml {overall['ours (config.yaml) brier']:.5f})")
    print("\nParameters chosen at each origin (fit on 1976-77 to the season before):")
    for target, k in chosen.items():
        print(f"  {target}-{(target + 1) % 100:02d}: " + ", ".join(f"{n}={getattr(candidates[k], n)}" for n in GRID))
    final = rolling_origin(brier_by_season, games_by_season, range(LAST_TARGET + 1, LAST_TARGET + 2))[LAST_TARGET + 1]
    print("For seasons after 2009-10 (fit on 1976-77 to 2009-10): " + ", ".join(f"{n}={getattr(candidates[final], n)}" for n in GRID)
          + ("; config.yaml holds it" if all(getattr(candidates[final], n) == getattr(configured, n) for n in GRID) else "; config.yaml differs"))


if __name__ == "__main__":
    main()
