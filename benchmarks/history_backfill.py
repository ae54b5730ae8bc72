"""Time a full-history backfill from a landing archive: every real game of 1946-47 to 2009-10 from
../shared/history (box scores derived from the scores, offline/history.py), loaded and built by
`nba-warehouse backfill --replay` exactly as a user would, one chunk per season. Prints the wall time of the
load and of the first build, the peak memory of the job and the machine it ran on.

Then prints how the simulated season odds at each checkpoint compared with what happened (marts.season_odds_calibration).

    .venv/bin/python benchmarks/history_backfill.py [--history ../shared/history] [--simulations 500] [--simulation-dates every]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from nba_warehouse.offline.history import write_history

REPO = Path(__file__).resolve().parent.parent


def backfill_command(recordings: Path) -> list[str]:
    """Every season of the history recordings, one chunk per season, as a user would load them."""
    return [str(Path(sys.executable).parent / "nba-warehouse"), "backfill", "--start", "1946-11-01", "--end", "2010-06-30",
            "--chunk-days", "366", "--replay", str(recordings)]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=Path, default=REPO.parent / "shared" / "history")
    parser.add_argument("--simulations", type=int, default=500, help="season simulations per date (the project's default: 500)")
    parser.add_argument("--simulation-dates", choices=("every", "checkpoints"), default="every", help="simulate every date (the default) or the checkpoints only")
    args = parser.parse_args()
    if not (args.history / "games.csv.gz").is_file():
        sys.exit(f"history_backfill: no games.csv.gz in {args.history}: expected the shared history folder (--history)")
    with tempfile.TemporaryDirectory() as tmp:
        recordings, db = Path(tmp) / "recordings", Path(tmp) / "wh" / "warehouse.duckdb"
        written = write_history(args.history, recordings)
        env = {**os.environ, "NBA_WAREHOUSE_DB": str(db), "NBA_WAREHOUSE_SIMULATIONS": str(args.simulations),
               "NBA_WAREHOUSE_SIMULATION_DATES": args.simulation_dates}  # fmt: skip
        started = time.perf_counter()
        subprocess.run(backfill_command(recordings), cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        total = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        manifest = json.loads(max((db.parent / "runs").glob("*.json")).read_text())
        steps = manifest["steps"]
        load = sum(s["seconds"] for s in steps if s["name"].startswith("load "))
        build = sum(s["seconds"] for s in steps if s["name"] == "sqlmesh")
        with duckdb.connect(str(db), read_only=True) as con:
            games = con.sql("select count(*) from core.fct_games").fetchone()[0]
            standings = con.sql("select count(*) from marts.standings").fetchone()[0]
            calibration = con.sql("select * from marts.season_odds_calibration order by outcome, checkpoint, probability_bucket").df()
    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{written}; {args.simulations} simulations per date ({args.simulation_dates})\n")
    print("| step | seconds |")
    print("|---|---:|")
    print(f"| load: fetch, validate, load ({len([s for s in steps if s['name'].startswith('load ')])} chunks) | {load:.0f} |")
    print(f"| first build of every model | {build:.0f} |")
    print(f"| backfill in all | {total:.0f} |")
    print(f"\nPeak memory of the job: {peak_mb:,.0f} MB; {games:,} games, {standings:,} standings rows")
    print("\nSeason odds against what happened, every finished season since 1990-91 (marts.season_odds_calibration):\n")
    print("| outcome | checkpoint | seasons | Brier | reliability: predicted → happened (team-seasons), by tenth |")
    print("|---|---|---:|---:|---|")
    for (outcome, checkpoint), rows in calibration.groupby(["outcome", "checkpoint"], sort=False):
        cells = ", ".join(f"{r.mean_predicted:.2f}→{r.observed_rate:.2f} ({r.team_seasons})" for r in rows.itertuples())
        print(f"| {outcome} | {checkpoint} | {rows.seasons.iloc[0]} | {rows.brier_score.iloc[0]:.4f} | {cells} |")


if __name__ == "__main__":
    main()
