"""The quality gate in a process of its own, beside the one that fetches and loads.

Validating a group of batches is seconds of Great Expectations, and importing it is seconds more; in the loading
process both stood between one fetch and the next. Here the gate (``quality.QualityGate``, unchanged) lives in a
worker process that imports Great Expectations while the command imports its own libraries (``start``, called
first thing) and the first batches are fetched, and validates each group while the next is fetched. The loading
process never imports Great Expectations. One worker serves every run of the process (a test session's runs pay
the import once); each run's results and Data Docs stay its own."""

from __future__ import annotations

import multiprocessing
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from nba_warehouse.teardown import skip_teardown
from pipelines.verdicts import Scope, Validation

if TYPE_CHECKING:  # the loading process imports pandas with dlt; ``start`` need not wait for it
    import pandas as pd

_pool: ProcessPoolExecutor | None = None
_importing: list[Future] = []


def _submit(function: Callable[..., Any], *arguments: Any) -> Future:
    """Run ``function`` in the gate's worker, started on first use and again if it died."""
    global _pool
    for _ in range(2):
        if _pool is None:
            # spawned, not forked: the loading process runs DuckDB's and dlt's threads
            _pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=skip_teardown)
        try:
            return _pool.submit(function, *arguments)
        except BrokenProcessPool:
            _pool = None
    raise BrokenProcessPool("the quality gate's worker process could not be started")


def start() -> None:
    """Start the worker and its import of Great Expectations now, beside the caller's own imports. (The gate is
    opened by ``GateProcess``, under the warehouse's lock: it writes to the warehouse folder.)"""
    if _pool is None:
        _importing.append(_submit(_import))


class GateProcess:
    """``QualityGate`` for the warehouse folder ``root``, run in the worker. ``seconds`` is the gate's own time
    (its import, suites, validations, Data Docs), ``waited`` the part of it the loading process spent waiting."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.seconds = 0.0
        self.waited = 0.0
        self._starting = [*_importing, _submit(_open, self.root)]
        _importing.clear()
        self._docs: Future | None = None

    def submit(self, table: str, raw: pd.DataFrame, batches: list[tuple[Scope, int]]) -> Future:
        """Validate ``raw`` (``QualityGate.validate``'s arguments) in the worker; ``verdicts`` waits for it."""
        return _submit(_validate, self.root, table, raw, batches)

    def verdicts(self, pending: Future) -> list[Validation]:
        validations: list[Validation] = self._result(pending)
        return validations

    def start_docs(self) -> None:
        """Start building the run's Data Docs (``QualityGate.build_docs``): the run's gate ends with them."""
        if self._docs is None:
            self._docs = _submit(_build_docs, self.root)

    def build_docs(self) -> Path:
        """The run's Data Docs, started here unless ``start_docs`` did, once they are written."""
        self.start_docs()
        index: Path = self._result(self._docs)
        return index

    def __enter__(self) -> GateProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._docs is not None:
            self.build_docs()

    def _result(self, pending: Future) -> Any:
        started = time.perf_counter()
        while self._starting:
            self.seconds += self._starting.pop().result()
        result, seconds = pending.result()
        self.waited += time.perf_counter() - started
        self.seconds += seconds
        return result


# In the worker: one QualityGate per warehouse folder for the run under way.
_gates: dict[str, Any] = {}


def _import() -> float:
    """Import Great Expectations: the seconds it took. jsonschema builds a grammar for IRIs at import when
    rfc3987_syntax (there for JupyterLab) is installed, a third of the import; the gate checks no IRI."""
    started = time.perf_counter()
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import pipelines.quality  # noqa: F401 - the worker's import, not the loading process's

    return time.perf_counter() - started


def _open(root: str) -> float:
    """Import Great Expectations if not yet done and open the run's gate: the seconds it took."""
    started = time.perf_counter()
    _import()
    from pipelines.quality import QualityGate

    if root not in _gates:
        _gates[root] = QualityGate(Path(root))
    return time.perf_counter() - started


def _validate(root: str, table: str, raw: pd.DataFrame, batches: list[tuple[Scope, int]]) -> tuple[list[Validation], float]:
    started = time.perf_counter()
    _open(root)
    return _gates[root].validate(table, raw, batches), time.perf_counter() - started


def _build_docs(root: str) -> tuple[Path, float]:
    started = time.perf_counter()
    _open(root)
    return _gates.pop(root).build_docs(), time.perf_counter() - started
