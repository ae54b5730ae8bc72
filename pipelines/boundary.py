"""Where a fetched batch is admitted to the load, or kept out of it.

Each batch (one table, season, season type and date window) is loaded whole
or not at all: a request that failed for good, or a batch that fails its
expectation suite, is recorded and skipped so it neither half-loads nor blocks
the other batches of the run. A failing body stays in the landing archive,
marked quarantined with its validation beside it; replays skip it, and the
next clean fetch of the same window loads normally.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from pipelines.contract import to_arrow
from pipelines.quality import QualityGate, Scope, Validation
from pipelines.stats_http import StatsClient, StatsRequestError


@dataclass
class Boundary:
    gate: QualityGate
    client: StatsClient
    validations: list[Validation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rows_fetched: Counter[str] = field(default_factory=Counter)

    def admit(self, scope: Scope, fetch: Callable[[], dict[str, Any]]) -> pa.Table | None:
        """The batch to load, typed by the contract; None when it was empty, or failed and was recorded."""
        try:
            result = fetch()
        except StatsRequestError as exc:
            self.errors.append(f"{scope}: {exc}")
            return None
        self.rows_fetched[scope.table] += len(result["data"])
        if not result["data"]:
            return None
        validation = self.gate.validate(scope, result["headers"], result["data"])
        self.validations.append(validation)
        if validation.success:
            return to_arrow(scope.table, result["headers"], result["data"])
        self._quarantine(validation)
        self.errors.append(f"quarantined {validation.summary()}")
        return None

    def _quarantine(self, validation: Validation) -> None:
        archive, entry = self.client.archive, self.client.last_archived
        if archive is None or entry is None:
            return
        report = entry.file.removesuffix(".json.gz") + ".validation.json"
        (archive.root / report).write_text(json.dumps(validation.to_json(), indent=1, default=str))
        archive.tag(entry, quarantined=True, validation=report)
