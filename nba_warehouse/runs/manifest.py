"""What a run did, written down: a JSON manifest per run beside the warehouse
and the same facts in ``ops.pipeline_runs`` / ``ops.pipeline_steps``.

The manifest is written when the run starts (status ``running``) and again
when it ends, failed runs included; a run killed outright leaves ``running``
behind, which the next run that takes over its lock marks ``abandoned``.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from nba_warehouse.database import Connection, Server, server_mode
from nba_warehouse.offline.recordings import atomic_write
from nba_warehouse.project import project_root
from nba_warehouse.runs import server_lock
from nba_warehouse.runs.lock import LOCK_FILE, RunLock
from nba_warehouse.runs.lock import is_held as lock_file_is_held

RUNS_FOLDER = "runs"
PACKAGES = ("nba-warehouse", "dlt", "sqlmesh", "duckdb", "psycopg2-binary", "great-expectations", "nba_api", "pandas")

OPS_DDL = """
create schema if not exists ops;
create table if not exists ops.pipeline_runs (
    run_id text primary key, command text, arguments json, status text, error text, changed boolean,
    started_at timestamptz, finished_at timestamptz, duration_seconds double precision, requests_made bigint,
    rows_fetched json, rows_loaded json, validations_passed bigint, validations_failed bigint,
    intervals_processed bigint, audits_failed bigint, git_sha text, versions json, manifest_path text, source text
);
alter table ops.pipeline_runs add column if not exists source text;
create table if not exists ops.pipeline_steps (
    run_id text, step text, status text, started_at timestamptz, finished_at timestamptz, seconds double precision, detail json,
    primary key (run_id, step)
);
create table if not exists ops.validations (
    run_id text, batch int, table_name text, scope text, rows bigint, expectations bigint, failed bigint,
    success boolean, page text, primary key (run_id, batch)
);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _git_sha() -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project_root(), capture_output=True, text=True, timeout=10)
    except OSError:
        return None
    return done.stdout.strip() or None


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return found


@dataclass
class Step:
    name: str
    started_at: str
    status: str = "running"
    finished_at: str | None = None
    seconds: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunManifest:
    run_id: str
    command: str
    arguments: dict[str, Any]
    # where the data came from: live (stats.nba.com), replay (recordings) or synthetic
    source: str = "live"
    started_at: str = field(default_factory=_now)
    status: str = "running"
    error: str | None = None
    changed: bool | None = None
    finished_at: str | None = None
    duration_seconds: float | None = None
    requests: list[str] = field(default_factory=list)
    rows_fetched: dict[str, int] = field(default_factory=dict)
    rows_loaded: dict[str, int] = field(default_factory=dict)
    validations: list[dict[str, Any]] = field(default_factory=list)
    sqlmesh: dict[str, Any] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    git_sha: str | None = field(default_factory=_git_sha)
    versions: dict[str, str | None] = field(default_factory=_versions)

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, Any]]:
        """Time a step; its detail dict is filled by the caller. A step that raises is marked failed."""
        step = Step(name, _now())
        self.steps.append(step)
        started = time.perf_counter()
        try:
            yield step.detail
            step.status = "succeeded"
        except BaseException:
            step.status = "failed"
            raise
        finally:
            step.finished_at, step.seconds = _now(), round(time.perf_counter() - started, 3)

    def finish(self, status: str, error: str | None = None) -> None:
        self.status, self.error, self.finished_at = status, error, _now()
        started = datetime.fromisoformat(self.started_at)
        self.duration_seconds = round((datetime.fromisoformat(self.finished_at) - started).total_seconds(), 3)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "requests_made": len(self.requests)}

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.run_id}.json"
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(self.to_json(), indent=1, default=str).encode())
        return path

    def record(self, con: Connection, manifest_path: Path) -> None:
        """Replace this run's rows in the ops tables, in one transaction."""
        passed = sum(bool(v["success"]) for v in self.validations)
        intervals = self.sqlmesh.get("intervals", [])
        con.execute(OPS_DDL)
        with con.transaction():
            self._insert(con, manifest_path, passed, intervals)

    def _insert(self, con: Connection, manifest_path: Path, passed: int, intervals: list[dict[str, Any]]) -> None:
        con.execute("delete from ops.pipeline_steps where run_id = ?", [self.run_id])
        con.execute("delete from ops.validations where run_id = ?", [self.run_id])
        con.execute("delete from ops.pipeline_runs where run_id = ?", [self.run_id])
        con.execute(
            "insert into ops.pipeline_runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.run_id, self.command, json.dumps(self.arguments, default=str), self.status, self.error, self.changed,
                self.started_at, self.finished_at, self.duration_seconds, len(self.requests),
                json.dumps(self.rows_fetched), json.dumps(self.rows_loaded), passed, len(self.validations) - passed,
                len(intervals), sum(i["audits_failed"] for i in intervals), self.git_sha, json.dumps(self.versions), str(manifest_path),
                self.source,
            ],
        )  # fmt: skip
        for s in self.steps:
            con.execute(
                "insert into ops.pipeline_steps values (?, ?, ?, ?, ?, ?, ?)",
                [self.run_id, s.name, s.status, s.started_at, s.finished_at, s.seconds, json.dumps(s.detail, default=str)],
            )
        for batch, v in enumerate(self.validations):
            con.execute(
                "insert into ops.validations values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [self.run_id, batch, v["table"], v["scope"], v["rows"], v["expectations"], v["failed"], v["success"], v["page"]],
            )


def warehouse_is_held(root: Path) -> bool:
    """Whether a live run holds the warehouse's one-writer lock, as a hint (see ``lock.is_held``)."""
    return server_lock.is_held(Server.from_env()) if server_mode() else lock_file_is_held(root / LOCK_FILE)


@contextmanager
def hold_warehouse(root: Path, run_id: str, command: str) -> Iterator[RunLock | server_lock.ServerLock]:
    """The one-writer lock for a run of ``command`` (a file beside the warehouse, or the server's advisory lock);
    a run found to have died holding it is said and its manifest marked abandoned, whichever command takes the lock
    next."""
    held = server_lock.ServerLock(Server.from_env(), run_id, command) if server_mode() else RunLock(root / LOCK_FILE, run_id, command)
    with held as lock:
        if dead := lock.taken_over:
            print(
                f"run {dead['run_id']} (pid {dead['pid']}, started {dead['started_at']}) ended without finishing; "
                "its manifest is marked abandoned",
                file=sys.stderr,
                flush=True,
            )
            mark_abandoned(root / RUNS_FOLDER, dead["run_id"])
        yield lock


def mark_abandoned(folder: Path, run_id: str) -> None:
    """A run whose process died holding the lock: its manifest says so."""
    path = folder / f"{run_id}.json"
    if not path.is_file():
        return
    manifest = json.loads(path.read_text())
    if manifest.get("status") == "running":
        manifest.update(status="abandoned", error="the process ended without finishing (killed or crashed)")
        atomic_write(path, json.dumps(manifest, indent=1).encode())
