"""Bring the prod models up to date after a load, and record what SQLMesh did.

``sqlmesh run`` only fills intervals it has not processed, reaching back the
models' 7-day lookback from the first of them. Rows loaded for dates it will
not reach (older than that, or any date when it has nothing to process, as in a
second run on one day) need those intervals restated: a restatement plan of the
facts fed by the raw layer (SQLMesh restates everything downstream), through
today, because standings and Elo are cumulative. A restatement plan would also
deploy local model changes, so it is refused while the project differs from
prod.

The project is loaded in a thread while the rows are fetched and loaded: seconds of parsing that need no table,
so they do not contend with dlt for the DuckDB file.
"""

from __future__ import annotations

import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmesh import Context
from sqlmesh.core import constants
from sqlmesh.core.console import NoopConsole, set_console
from sqlmesh.core.environment import Environment
from sqlmesh.utils.date import to_date, to_ds

from nba_warehouse.project import project_root

RESTATED_MODELS = ("core.fct_team_games", "core.fct_player_games")


class ModelsFailed(RuntimeError):
    """SQLMesh could not bring prod up to date."""


@dataclass
class Recorder(NoopConsole):
    """A console that keeps what the scheduler evaluated, for the run manifest, and prints one line per batch."""

    intervals: list[dict[str, Any]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def update_snapshot_evaluation_progress(
        self,
        snapshot: Any,
        interval: tuple[int, int],
        batch_idx: int,
        duration_ms: int | None,
        num_audits_passed: int,
        num_audits_failed: int,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        start, end = (to_ds(t) for t in interval)
        model = ".".join(snapshot.name.replace('"', "").split(".")[-2:])
        self.intervals.append(
            {"model": model, "start": start, "end": end, "ms": duration_ms, "audits_passed": num_audits_passed, "audits_failed": num_audits_failed}
        )
        audits = f"audits {num_audits_passed} passed, {num_audits_failed} failed"
        print(f"  {model} [{start}, {end}): {duration_ms or 0} ms, {audits}", file=sys.stderr)

    def log_warning(self, short_message: str, long_message: str | None = None) -> None:
        self.messages.append(f"warning: {short_message}")
        print(f"  sqlmesh warning: {short_message}", file=sys.stderr)

    def log_error(self, message: str, *args: Any, **kwargs: Any) -> None:
        self.messages.append(f"error: {message}")
        print(f"  sqlmesh error: {message}", file=sys.stderr)

    def log_failed_models(self, errors: list[Any]) -> None:
        self.messages.extend(f"error: {e}" for e in errors)


class ProdRefresh:
    """Prod's refresh: the SQLMesh project loads from construction on, and ``bring_up_to_date`` waits for it. Close
    it (or use it as a context manager) to let go of the DuckDB file."""

    def __init__(self) -> None:
        self.recorder = Recorder()
        loader = ThreadPoolExecutor(1, thread_name_prefix="sqlmesh-project")
        self._context: Future[Context] = loader.submit(_load, self.recorder)
        loader.shutdown(wait=False)

    def bring_up_to_date(self, restate_from: date | None, today: date, detail: dict[str, Any]) -> str:
        """First build, restatement or plain run, whichever prod needs; returns what was done."""
        return _bring_up_to_date(self._context.result(), self.recorder, restate_from, today, detail)

    def close(self) -> None:
        if self._context.exception() is None:
            self._context.result().close()

    def __enter__(self) -> ProdRefresh:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _load(recorder: Recorder) -> Context:
    # SQLMesh parses models in forked processes; a fork beside dlt's and DuckDB's threads could copy a held lock
    constants.MAX_FORK_WORKERS = 1
    set_console(recorder)
    return Context(paths=project_root())


def _bring_up_to_date(context: Context, recorder: Recorder, restate_from: date | None, today: date, detail: dict[str, Any]) -> str:
    detail.update(intervals=recorder.intervals, messages=recorder.messages)
    prod = context.state_reader.get_environment("prod")
    if prod is None:
        context.plan("prod", no_prompts=True, auto_apply=True, skip_tests=True)  # unit tests are `make test`'s, audits still run
        detail["action"] = "first build"
        return "first build of prod"
    action = "run"
    if restate_from is not None and restate_from < _first_day_run_reaches(context, prod, today):
        plan = context.plan_builder("prod", restate_models=RESTATED_MODELS, start=restate_from.isoformat(), end=today.isoformat()).build()
        if plan.has_changes:
            raise ModelsFailed("the project's models differ from prod: apply them with `sqlmesh plan` first, then re-run")
        context.apply(plan)
        action = f"restated from {restate_from}, then run"
    status = context.run("prod", execution_time=today)
    detail["action"] = action
    if status.is_failure:
        raise ModelsFailed("sqlmesh run failed: " + "; ".join(recorder.messages[-3:]))
    processed = len(recorder.intervals)
    return f"{action}: {processed} model intervals processed" if processed else f"{action}: nothing to do"


def _first_day_run_reaches(context: Context, prod: Environment, today: date) -> date:
    """The first day ``sqlmesh run`` at ``today`` reprocesses in prod's raw-fed facts: the lookback before the first
    day they are not processed for. Processed through today, it has nothing to run and reaches none of them."""
    names = {context.get_model(name).fqn for name in RESTATED_MODELS}
    snapshots = context.state_reader.get_snapshots([s.snapshot_id for s in prod.snapshots if s.name in names]).values()
    ends = [max(end for _, end in snapshot.intervals) for snapshot in snapshots if snapshot.intervals]
    if len(ends) < len(names):
        return date.min  # a fact never processed: run processes all of it
    processed_to = to_date(min(ends))
    if processed_to >= today:
        return processed_to
    lookback_days = min(context.get_model(name).lookback for name in RESTATED_MODELS)  # daily intervals
    return processed_to - timedelta(days=lookback_days)
