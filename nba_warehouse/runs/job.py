"""``nba-warehouse daily`` and ``backfill``: one code path from the API to the prod models.

A run is a list of chunks: date windows of game logs (at most one season
each), then the players, schedule and teams of the seasons touched (in the
same chunk when the game logs need only one). Each chunk is fetched,
validated and loaded by ``run_ingest``; a backfill records each completed
chunk in ``ops.backfill_chunks`` so that, after a failure, the same command
resumes where it stopped. ``daily`` is the one-chunk case: the days
ending on its date, re-fetched for late corrections. When every chunk loaded,
``ProdRefresh``, its SQLMesh project loaded meanwhile, brings the models up to
date. A ``models_pending.json`` marker is written before rows are loaded and
cleared once the models caught up, so a run killed in between still refreshes
them next time.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Callable

from nba_warehouse.database import Connection, connect, server_mode
from nba_warehouse.nba import GAME_LOG_TABLES, REQUESTED_SEASON_TYPES, season_of, season_window
from nba_warehouse.offline.recordings import RecordingFolder, atomic_write
from nba_warehouse.project import WarehousePaths
from nba_warehouse.runs.manifest import RUNS_FOLDER, RunManifest, hold_warehouse
from nba_warehouse.runs.refresh import ProdRefresh
from pipelines.data_docs import docs_index
from pipelines.ingest import IngestResult, new_run_id, run_ingest
from pipelines.gate_process import GateProcess
from pipelines.source import Window

OTHER_RESOURCES = ("players", "schedule", "teams")


@dataclass(frozen=True)
class Chunk:
    start: date
    end: date
    seasons: tuple[str, ...]
    fetch: tuple[str, ...]

    def __str__(self) -> str:
        others = [t for t in self.fetch if t not in GAME_LOG_TABLES]
        if not self.has_game_logs:
            return f"{', '.join(others)} {', '.join(self.seasons)}"
        return f"game logs {self.seasons[0]} {self.start} to {self.end}" + "".join(f", {t}" for t in others)

    @property
    def has_game_logs(self) -> bool:
        return any(t in GAME_LOG_TABLES for t in self.fetch)

    @property
    def window(self) -> Window:
        return Window(self.seasons, REQUESTED_SEASON_TYPES, self.start, self.end)

    @property
    def refresh_from(self) -> date:
        """The first date whose models this chunk can change: rosters and schedules do not rewrite the past."""
        return self.start if self.has_game_logs else self.end


def plan_chunks(start: date, end: date, chunk_days: int) -> list[Chunk]:
    """Game logs in windows of at most ``chunk_days`` within one season, then the seasons' players, schedules and
    teams; one chunk, one load, when the game logs fit in one (a daily run)."""
    chunks, day = [], start
    while day <= end:
        season = season_of(day)
        last = min(day + timedelta(days=chunk_days - 1), end, season_window(season)[1])
        chunks.append(Chunk(day, last, (season,), GAME_LOG_TABLES))
        day = last + timedelta(days=1)
    if len(chunks) == 1:
        return [Chunk(start, end, chunks[0].seasons, GAME_LOG_TABLES + OTHER_RESOURCES)]
    seasons = tuple(dict.fromkeys(c.seasons[0] for c in chunks))
    return [*chunks, Chunk(start, end, seasons, OTHER_RESOURCES)]


class Warehouse:
    """The run's view of the warehouse: fingerprints of raw rows and the resume records.
    Connections are short-lived so dlt and SQLMesh can open a DuckDB file in between."""

    def __init__(self, paths: WarehousePaths) -> None:
        self.paths = paths
        self.pending_file = paths.root / "models_pending.json"

    def _exists(self) -> bool:
        return server_mode() or self.paths.db.exists()

    def _connect(self) -> Connection:
        return connect(self.paths.db)

    def fingerprint(self, chunk: Chunk) -> list[Any]:
        """Count and hash of the chunk's raw rows, dlt's own columns left out: equal before and after a load
        means the load changed nothing."""
        if not self._exists():
            return []
        prints = []
        with self._connect() as con:
            present = {t for (t,) in con.execute("select table_name from information_schema.tables where table_schema = 'raw'")}
            for table in (t for t in chunk.fetch if t in present):
                where = f"where game_date between '{chunk.start}' and '{chunk.end}'" if table in GAME_LOG_TABLES else ""
                columns = ", ".join(
                    c for (c,) in con.execute(
                        "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ? order by ordinal_position",
                        [table],
                    ) if not c.startswith("_dlt")
                )  # fmt: skip
                row_hash = f"hashtextextended(row({columns})::text, 0)" if con.postgres else f"hash({columns})"
                prints.append((table, *con.execute(f"select count(*), sum({row_hash}) from raw.{table} {where}")[0]))
        return prints

    def completed_chunks(self, job: str) -> dict[str, str]:
        if not self._exists():
            return {}
        with self._connect() as con:
            con.execute(_CHUNKS_DDL)
            return dict(con.execute("select chunk, run_id from ops.backfill_chunks where job = ?", [job]))

    def complete_chunk(self, job: str, chunk: Chunk, run_id: str) -> None:
        with self._connect() as con:
            con.execute(_CHUNKS_DDL)
            con.execute(
                """
                insert into ops.backfill_chunks values (?, ?, ?, now())
                on conflict (job, chunk) do update set run_id = excluded.run_id, completed_at = excluded.completed_at
                """,
                [job, str(chunk), run_id],
            )

    def forget_chunks(self, job: str) -> None:
        with self._connect() as con:
            con.execute(_CHUNKS_DDL)
            con.execute("delete from ops.backfill_chunks where job = ?", [job])

    def record(self, manifest: RunManifest, manifest_path: Path) -> None:
        with self._connect() as con:
            manifest.record(con, manifest_path)
            if not con.postgres:
                con.execute("checkpoint")  # leave one self-contained file, no write-ahead log beside it

    def pending(self) -> date | None:
        if not self.pending_file.exists():
            return None
        return date.fromisoformat(json.loads(self.pending_file.read_text())["refresh_from"])

    def set_pending(self, refresh_from: date | None, run_id: str) -> None:
        if refresh_from is None:
            self.pending_file.unlink(missing_ok=True)
        else:
            atomic_write(self.pending_file, json.dumps({"refresh_from": refresh_from.isoformat(), "run_id": run_id}).encode())


_CHUNKS_DDL = """
create schema if not exists ops;
create table if not exists ops.backfill_chunks (job text, chunk text, run_id text, completed_at timestamptz, primary key (job, chunk));
"""


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run_range(
    command: str,
    start: date,
    end: date,
    *,
    arguments: dict[str, Any],
    replay: Path | None = None,
    request_delay: float | None = None,
    chunk_days: int,
    resume: bool = False,
    today: date | None = None,
) -> int:
    """Load ``start``..``end`` chunk by chunk, then refresh prod; write the manifest whatever happens.
    Returns the exit code."""
    paths = WarehousePaths.from_env()
    run_id = new_run_id()
    source = RecordingFolder.open_existing(replay).source if replay else "live"
    manifest = RunManifest(run_id, command, arguments, source)
    runs_folder = paths.root / RUNS_FOLDER
    with hold_warehouse(paths.root, run_id, command):
        manifest_path = manifest.write(runs_folder)
        try:
            with ProdRefresh() as refresh:
                summary = _run(manifest, refresh, paths, start, end, replay, request_delay, chunk_days, resume, today or date.today())
        except Exception as exc:  # noqa: BLE001 - every failure is reported, recorded and turned into the exit code
            manifest.finish("failed", str(exc))
            summary = f"failed: {exc}"
        else:
            manifest.finish("succeeded")
        manifest.write(runs_folder)
        Warehouse(paths).record(manifest, manifest_path)
    print(f"run {run_id} ({command}): {manifest.status} in {manifest.duration_seconds:.1f} s")
    print(f"  {summary}")
    print(f"  manifest: {manifest_path}")
    print(f"  data docs: {docs_index(paths.root)}")
    if manifest.status != "succeeded":
        print(f"nba-warehouse {command}: failed: {manifest.error}", file=sys.stderr)
    return 0 if manifest.status == "succeeded" else 1


def _load_chunk(
    manifest: RunManifest, warehouse: Warehouse, chunk: Chunk, refresh_from: date, ingest: Callable[..., IngestResult], job: str | None
) -> bool:
    """Fetch, validate and load one chunk, as a step of the manifest, marked complete for ``job`` when resuming
    one: whether its rows changed the raw tables."""
    with manifest.step(f"load {chunk}") as detail:
        before = warehouse.fingerprint(chunk)
        warehouse.set_pending(refresh_from, manifest.run_id)
        result = ingest(chunk.window, chunk.fetch)
        changed = warehouse.fingerprint(chunk) != before
        manifest.requests += result.requests
        for counts, new in ((manifest.rows_fetched, result.rows_fetched), (manifest.rows_loaded, result.rows_loaded)):
            for table, rows in new.items():
                counts[table] = counts.get(table, 0) + rows
        manifest.validations += [v.to_json() for v in result.validations]
        detail.update(rows_fetched=result.rows_fetched, rows_loaded=result.rows_loaded, changed=changed, errors=result.errors)
        if not result.ok:
            raise RuntimeError(f"{chunk}: " + " / ".join(result.errors))
        if job is not None:
            warehouse.complete_chunk(job, chunk, manifest.run_id)
    return changed


def _run(
    manifest: RunManifest,
    refresh: ProdRefresh,
    paths: WarehousePaths,
    start: date,
    end: date,
    replay: Path | None,
    request_delay: float | None,
    chunk_days: int,
    resume: bool,
    today: date,
) -> str:
    warehouse = Warehouse(paths)
    job = f"{manifest.command} {start} {end} {chunk_days}"
    done = warehouse.completed_chunks(job) if resume else {}
    pending_before = warehouse.pending()
    refresh_from, changed = pending_before, False
    with GateProcess(paths.root) as gate:  # leaving waits for the run's Data Docs
        ingest = partial(run_ingest, replay=replay, request_delay=request_delay, paths=paths, run_id=manifest.run_id, gate=gate)
        try:
            for chunk in plan_chunks(start, end, chunk_days):
                if str(chunk) in done:
                    _say(f"{chunk}: loaded by run {done[str(chunk)]}, skipped")
                    continue
                refresh_from = min(filter(None, (refresh_from, chunk.refresh_from)))
                changed |= _load_chunk(manifest, warehouse, chunk, refresh_from, ingest, job if resume else None)
        finally:
            gate.start_docs()  # once per run, failed batches included, written while SQLMesh runs
        manifest.changed = changed
        if not changed and pending_before is None:
            refresh_from = None
            warehouse.set_pending(None, manifest.run_id)
        with manifest.step("sqlmesh") as detail:
            manifest.sqlmesh = detail
            outcome = refresh.bring_up_to_date(refresh_from, today, detail)
    warehouse.set_pending(None, manifest.run_id)
    if resume:
        warehouse.forget_chunks(job)
    if not changed and not manifest.sqlmesh.get("intervals"):
        return "nothing changed: the rows fetched were already loaded and no model had anything to do"
    return f"raw rows {'changed' if changed else 'unchanged'}; models: {outcome}"
