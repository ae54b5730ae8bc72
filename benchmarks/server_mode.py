"""Server mode beside the embedded default: the same synthetic league ingested, built (every model, `sqlmesh
plan`) and brought up to date by the next day's `nba-warehouse daily`, once into a DuckDB file and once into
PostgreSQL (a scratch server of scripts/local-postgres on this machine). Each command runs in its own process, as
a user runs it. Prints the machine, the steps and the ratios.

    .venv/bin/python benchmarks/server_mode.py [--seasons 3] [--port 54339]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from scale import REPO, THROUGH, Step, _league

LOCAL_POSTGRES = REPO / "scripts" / "local-postgres"


def _server(folder: Path, port: int) -> dict[str, str]:
    """Start the scratch server; its settings as environment variables."""
    started = subprocess.run([str(LOCAL_POSTGRES), "start", str(folder), str(port)], check=True, capture_output=True, text=True)
    return dict(item.split("=", 1) for item in started.stdout.split()[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seasons", type=int, default=3)
    parser.add_argument("--port", type=int, default=54339)
    args = parser.parse_args()
    steps: list[Step] = []
    folder = Path(tempfile.mkdtemp(prefix="nba-warehouse-benchmark-postgres-"))  # reachable by the server's user
    try:
        server = _server(folder, args.port)
        with tempfile.TemporaryDirectory() as embedded, tempfile.TemporaryDirectory() as served:
            _league(args.seasons, Path(embedded), steps, on=" on DuckDB")
            _league(args.seasons, Path(served), steps, server=server, on=" on PostgreSQL")
    finally:
        subprocess.run([str(LOCAL_POSTGRES), "stop", str(folder)], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)

    by_label = {s.label: s for s in steps}
    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; {date.today()}")
    print(f"League: {args.seasons} synthetic seasons through {THROUGH}; PostgreSQL on this machine (scripts/local-postgres)\n")
    print("| step | DuckDB s | PostgreSQL s | PostgreSQL / DuckDB | peak MB (DuckDB, PostgreSQL's client) |\n|---|---:|---:|---:|---:|")
    for what in ("ingest through replay", "first build of every model (sqlmesh plan)", f"nba-warehouse daily for {THROUGH}"):
        duck, pg = (by_label[f"{what}, {args.seasons} seasons on {engine}"] for engine in ("DuckDB", "PostgreSQL"))
        print(f"| {what} | {duck.seconds:.1f} | {pg.seconds:.1f} | {pg.seconds / duck.seconds:.2f}× | {duck.peak_mb:,.0f}, {pg.peak_mb:,.0f} |")


if __name__ == "__main__":
    main()
