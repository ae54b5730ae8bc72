"""One ingest run: fetch (live or replayed), archive, and load into ``raw``."""

from __future__ import annotations

import contextlib
import os
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import dlt
from dlt.common.pipeline import LoadInfo
from dlt.pipeline.exceptions import PipelineStepFailed

from nba_warehouse.database import Server, server_mode
from nba_warehouse.offline.recordings import RecordingFolder
from nba_warehouse.offline.replay import ReplayServer
from nba_warehouse.project import WarehousePaths
from pipelines.boundary import Boundary
from pipelines.gate_process import GateProcess
from pipelines.source import Window, nba_stats
from pipelines.stats_http import StatsClient
from pipelines.verdicts import Validation

PIPELINE_NAME = "nba_warehouse"
RAW_SCHEMA = "raw"

# Staging keeps the latest load of each key, which needs dlt's load id on Arrow batches too.
os.environ.setdefault("NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID", "true")


@dataclass(frozen=True)
class IngestResult:
    run_id: str
    requests: list[str]
    rows_fetched: dict[str, int]
    rows_loaded: dict[str, int]
    validations: list[Validation]
    errors: list[str]
    load_info: LoadInfo | None
    # the quality gate's own time (its import, suites, validations, Data Docs), in its process
    gate_seconds: float
    # the part of it this process spent waiting for verdicts
    gate_waited: float

    @property
    def ok(self) -> bool:
        return not self.errors


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def warehouse_pipeline(paths: WarehousePaths) -> dlt.Pipeline:
    """dlt's pipeline into the warehouse's ``raw`` schema; its working folder stays beside the warehouse in server
    mode too, so a run's unfinished packages are found by the next run on the same machine."""
    paths.root.mkdir(parents=True, exist_ok=True)
    destination = dlt.destinations.postgres(Server.from_env().url) if server_mode() else dlt.destinations.duckdb(str(paths.db))
    return dlt.pipeline(
        pipeline_name=PIPELINE_NAME,
        destination=destination,
        dataset_name=RAW_SCHEMA,
        pipelines_dir=str(paths.dlt_dir),
    )


def _finish_pending(pipeline: dlt.Pipeline) -> None:
    """A run killed after extraction leaves packages behind; load them before
    anything new so nothing fetched is lost (merge keeps it idempotent). A kill
    in the middle of normalizing can leave a package dlt cannot finish; it is
    aborted, which restores dlt's state to before it, so its windows are
    fetched again."""
    if not pipeline.has_pending_data:
        return
    print("  finishing load packages left by an interrupted run", file=sys.stderr)
    try:
        pipeline.normalize()
        pipeline.load()
    except PipelineStepFailed as exc:
        print(f"  could not finish them ({exc.step} step); aborting them, their windows are fetched again", file=sys.stderr)
        pipeline.abort_packages()
        pipeline.load()


def _rows_loaded(pipeline: dlt.Pipeline, fetch: Sequence[str]) -> dict[str, int]:
    trace = pipeline.last_trace
    if trace is None or trace.last_normalize_info is None:
        return {}
    counts: dict[str, int] = {}
    for package_metrics in trace.last_normalize_info.metrics.values():
        for name, table in package_metrics[0]["table_metrics"].items():
            if name in fetch:
                counts[name] = counts.get(name, 0) + table.items_count
    return counts


def _analyze(pipeline: dlt.Pipeline, fetch: Sequence[str]) -> None:
    """PostgreSQL plans the models' queries from table statistics that autovacuum gathers only a minute or so
    later; planned against a table it has not analysed since a load, a staging view's dedupe joined to another can
    run for minutes instead of milliseconds."""
    with pipeline.sql_client() as client:
        present = {name for (name,) in client.execute_sql("select table_name from information_schema.tables where table_schema = %s", RAW_SCHEMA)}
        for table in (t for t in fetch if t in present):
            client.execute_sql(f"analyze {client.make_qualified_table_name(table)}")


def run_ingest(
    window: Window,
    fetch: Sequence[str],
    *,
    replay: Path | None = None,
    request_delay: float | None = None,
    paths: WarehousePaths | None = None,
    run_id: str | None = None,
    gate: GateProcess | None = None,
) -> IngestResult:
    """Fetch ``fetch`` for ``window``, validate each batch and merge those that pass into the raw schema.

    Replaying serves ``replay`` through the same live code path; the polite
    delay only applies to the real service unless asked for. Batches that
    failed are listed in the result's ``errors``; the others are loaded. A run of several ingests passes its own
    ``gate`` and rebuilds the Data Docs once at its end; alone, an ingest rebuilds them itself."""
    paths = paths or WarehousePaths.from_env()
    run_id = run_id or new_run_id()
    pipeline = warehouse_pipeline(paths)
    _finish_pending(pipeline)
    own_gate = gate is None
    gate = gate or GateProcess(paths.root)
    with ReplayServer(replay) if replay else contextlib.nullcontext() as server:
        client = StatsClient(
            base_url=server.base_url if server else None,
            request_delay=request_delay if request_delay is not None else (0.0 if server else 0.6),
            archive=RecordingFolder(paths.landing),
            run_id=run_id,
        )
        boundary = Boundary(gate, client)
        info = pipeline.run(nba_stats(window, fetch, boundary))
    if server_mode():
        _analyze(pipeline, fetch)
    if own_gate:
        gate.build_docs()
    return IngestResult(
        run_id,
        client.requests,
        dict(boundary.rows_fetched),
        _rows_loaded(pipeline, fetch),
        boundary.validations,
        boundary.errors,
        info,
        gate.seconds,
        gate.waited,
    )


def describe(result: IngestResult) -> str:
    loaded = ", ".join(f"{t}={n:,}" for t, n in sorted(result.rows_loaded.items())) or "no rows"
    passed = sum(v.success for v in result.validations)
    return (
        f"run {result.run_id}: {len(result.requests)} requests, {passed} of {len(result.validations)} batches passed validation"
        f" (quality gate {result.gate_seconds:.1f} s beside the load, waited for {result.gate_waited:.1f} s), loaded {loaded}"
    )


