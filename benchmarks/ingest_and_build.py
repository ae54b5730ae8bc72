"""Time the main job at scale: generate an N-season synthetic league, ingest
it through the replay server (the live code path), and build the SQLMesh
models: the first plan (every interval since 1946), a plan with no changes, and
the next day's scheduled run. Prints a Markdown table with the machine it ran on.

    .venv/bin/python benchmarks/ingest_and_build.py --seasons 10
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent


def _timed(label: str, command: list[str], env: dict[str, str], results: list[tuple[str, float]]) -> None:
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results.append((label, time.perf_counter() - started))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seasons", type=int, default=10)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    last = 2025
    seasons = [f"{y}-{(y + 1) % 100:02d}" for y in range(last - args.seasons + 1, last + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        league, db = Path(tmp) / "league", Path(tmp) / "wh" / "warehouse.duckdb"
        env = {**os.environ, "NBA_WAREHOUSE_DB": str(db)}
        results: list[tuple[str, float]] = []
        _timed("synth", [str(bin_dir / "nba-warehouse"), "synth", "--seasons", str(args.seasons), "--out", str(league)], env, results)
        ingest = [str(bin_dir / "nba-warehouse"), "ingest", *[a for s in seasons for a in ("--season", s)], "--replay", str(league)]
        _timed("ingest (replay)", ingest, env, results)
        _timed("sqlmesh plan (first build)", [str(bin_dir / "sqlmesh"), "plan", "--auto-apply", "--no-prompts"], env, results)
        _timed("sqlmesh plan (no changes)", [str(bin_dir / "sqlmesh"), "plan", "--auto-apply", "--no-prompts"], env, results)
        # `sqlmesh run` has no execution-time flag; the API's is how tomorrow's run is measured today
        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        daily_run = [sys.executable, "-c", f"from sqlmesh import Context; Context(paths='.').run(execution_time='{tomorrow}')"]
        _timed("sqlmesh run (next day's intervals)", daily_run, env, results)
        with duckdb.connect(str(db), read_only=True) as con:
            rows = sum(con.sql(f"select count(*) from raw.{t}").fetchone()[0] for t in ("team_game_logs", "player_game_logs", "players", "schedule"))
            games = con.sql("select count(*) from core.fct_games").fetchone()[0]
    ingest_seconds = dict(results)["ingest (replay)"]
    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"League: {args.seasons} synthetic seasons, {rows:,} raw rows, {games:,} games\n")
    print("| step | seconds | per season |")
    print("|---|---:|---:|")
    for label, seconds in results:
        print(f"| {label} | {seconds:.1f} | {seconds / args.seasons:.2f} |")
    print(f"\nIngest throughput: {rows / ingest_seconds:,.0f} raw rows per second")


if __name__ == "__main__":
    main()
