"""Where a fetched batch is admitted to the load, or kept out of it.

Each batch (one table, season, season type and date window) is loaded whole
or not at all: a request that failed for good, or a batch that fails its
expectation suite, is recorded and skipped so it neither half-loads nor blocks
the other batches of the run. Batches are fetched ahead and validated several
at a time, each still against its own request, by the gate's own process while
the next are fetched. A failing body stays in the landing archive, marked
quarantined with its validation beside it; replays skip it, and the next clean
fetch of the same window loads normally.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from nba_warehouse.offline.recordings import Recording
from pipelines.api_frames import raw_frame
from pipelines.contract import to_arrow
from pipelines.gate_process import GateProcess
from pipelines.verdicts import Scope, Validation
from pipelines.stats_http import StatsClient, StatsRequestError

# Batches are validated together up to about this many rows: large enough that a suite run's fixed cost is
# small beside its rows, small enough that holding them costs little memory.
ROWS_PER_VALIDATION = 200_000

Request = tuple[Scope, Callable[[], dict[str, Any]]]


@dataclass
class _Fetched:
    scope: Scope
    headers: list[str]
    rows: list[list[Any]]
    archived: Recording | None


@dataclass
class _Group:
    """Batches of one table and headers, validated together: their rows and the gate's pending verdicts."""

    table: str
    batches: list[_Fetched]
    raw: pd.DataFrame
    verdicts: Future


@dataclass
class Boundary:
    gate: GateProcess
    client: StatsClient
    validations: list[Validation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rows_fetched: Counter[str] = field(default_factory=Counter)

    def admit(self, requests: Iterable[Request]) -> Iterator[tuple[Scope, pa.Table]]:
        """Fetch each request and yield the batches that pass, typed by the contract, in the order asked; an
        empty batch yields nothing, a failed one is recorded. A group's validation runs while the next group
        is fetched."""
        fetched: list[_Fetched] = []
        validating: list[_Group] = []
        for scope, fetch in requests:
            batch = self._fetch(scope, fetch)
            fetched += [batch] if batch else []
            if sum(len(b.rows) for b in fetched) >= ROWS_PER_VALIDATION:
                submitted = self._submit(fetched)
                yield from self._settle(validating)
                validating, fetched = submitted, []
        submitted = self._submit(fetched)
        yield from self._settle(validating)
        yield from self._settle(submitted)

    def _fetch(self, scope: Scope, fetch: Callable[[], dict[str, Any]]) -> _Fetched | None:
        try:
            result = fetch()
        except StatsRequestError as exc:
            self.errors.append(f"{scope}: {exc}")
            return None
        self.rows_fetched[scope.table] += len(result["data"])
        return _Fetched(scope, result["headers"], result["data"], self.client.last_archived) if result["data"] else None

    def _submit(self, fetched: list[_Fetched]) -> list[_Group]:
        """Send the batches of each table and headers to the gate together."""
        groups: dict[tuple[str, tuple[str, ...]], list[_Fetched]] = {}
        for batch in fetched:
            groups.setdefault((batch.scope.table, tuple(batch.headers)), []).append(batch)
        submitted = []
        for (table, headers), batches in groups.items():
            raw = raw_frame(list(headers), [row for batch in batches for row in batch.rows])
            submitted.append(_Group(table, batches, raw, self.gate.submit(table, raw, [(batch.scope, len(batch.rows)) for batch in batches])))
        return submitted

    def _settle(self, groups: list[_Group]) -> Iterator[tuple[Scope, pa.Table]]:
        """Yield the batches that passed, quarantine the others."""
        for group in groups:
            offsets = np.cumsum([0, *(len(batch.rows) for batch in group.batches)])
            for batch, validation, first, last in zip(group.batches, self.gate.verdicts(group.verdicts), offsets, offsets[1:]):
                self.validations.append(validation)
                if validation.success:
                    yield batch.scope, to_arrow(group.table, group.raw.iloc[first:last])
                else:
                    self._quarantine(batch, validation)
                    self.errors.append(f"quarantined {validation.summary()}")

    def _quarantine(self, batch: _Fetched, validation: Validation) -> None:
        archive, entry = self.client.archive, batch.archived
        if archive is None or entry is None:
            return
        report = entry.file.removesuffix(".json.gz") + ".validation.json"
        (archive.root / report).write_text(json.dumps(validation.to_json(), indent=1, default=str))
        archive.tag(entry, quarantined=True, validation=report)
