"""Shared fixtures: scratch warehouses, the synthetic league and the real recordings."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from nba_warehouse.offline.synth import write_league

REPO = Path(__file__).resolve().parent.parent
RECORDED = REPO.parent / "shared" / "nba_recorded"
# season simulations per as-of date in test warehouses: enough to exercise them, few enough to be quick
SIMULATIONS = "50"


@dataclass
class Warehouse:
    """A scratch warehouse folder and the commands that run against it."""

    db: Path

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "NBA_WAREHOUSE_DB": str(self.db),
            "NBA_WAREHOUSE_SIMULATIONS": SIMULATIONS,
            # retries stay real but do not sleep in tests
            "RUNTIME__REQUEST_BACKOFF_FACTOR": "0",
            "RUNTIME__REQUEST_MAX_ATTEMPTS": "3",
        }

    def cli(self, *args: str, faults: str = "") -> subprocess.CompletedProcess[str]:
        env = {**self.env, "NBA_WAREHOUSE_REPLAY_FAULTS": faults}
        return subprocess.run(
            [sys.executable, "-m", "nba_warehouse.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
        )

    def sqlmesh(self, *args: str) -> subprocess.CompletedProcess[str]:
        sqlmesh = Path(sys.executable).with_name("sqlmesh")
        return subprocess.run([str(sqlmesh), *args], cwd=REPO, env=self.env, capture_output=True, text=True, timeout=600)

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.sql(sql).fetchall()

    def scalar(self, sql: str):
        return self.query(sql)[0][0]


@pytest.fixture
def new_warehouse(tmp_path: Path):
    """Make further scratch warehouses in the test's temporary folder."""
    return lambda name: Warehouse(tmp_path / name / "warehouse.duckdb")


@pytest.fixture
def warehouse(new_warehouse) -> Warehouse:
    return new_warehouse("wh")


@pytest.fixture(scope="session")
def league(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One complete synthetic season and one played through 2026-02-21."""
    out = tmp_path_factory.mktemp("league") / "synthetic"
    write_league(out, seasons=2, last_season="2025-26", seed=7, through=date(2026, 2, 21))
    return out


@pytest.fixture(scope="session")
def recorded() -> Path:
    if not (RECORDED / "index.json").is_file():
        pytest.skip(f"real stats.nba.com recordings not found at {RECORDED} (they live in ../shared/nba_recorded)")
    return RECORDED
