"""What the quality gate says of a batch: the request it answers (``Scope``) and its verdict (``Validation``).
Apart from ``quality``, so the process that fetches and loads can read verdicts without importing Great
Expectations (the gate runs in its own process: ``gate_process``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Scope:
    """What a batch was fetched for: the request it must answer."""

    table: str
    season: str | None = None
    season_type: str | None = None
    start: date | None = None
    end: date | None = None

    def __str__(self) -> str:
        dates = f"{self.start or '...'} to {self.end or '...'}" if self.start or self.end else None
        whole = "whole season" if self.season_type else None
        parts = [self.table, self.season, self.season_type, dates or whole]
        return " ".join(p for p in parts if p)


@dataclass
class Failure:
    expectation: str
    column: str
    unexpected: int | None
    examples: list[dict[str, Any]]

    def __str__(self) -> str:
        count = "could not be evaluated" if self.unexpected is None else f"{self.unexpected} rows"
        shown = "; ".join(", ".join(f"{k}={v}" for k, v in row.items()) for row in self.examples)
        return f"{self.expectation}({self.column}): {count}" + (f", e.g. {shown}" if shown else "")


@dataclass
class Validation:
    scope: Scope
    rows: int
    expectations: int
    # the result's Data Docs page, relative to the site
    page: str | None = None
    failures: list[Failure] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        if self.success:
            return f"{self.scope}: {self.rows} rows passed {self.expectations} expectations"
        failed = " | ".join(str(f) for f in self.failures)
        return f"{self.scope}: {len(self.failures)} of {self.expectations} expectations failed: {failed}"

    def to_json(self) -> dict[str, Any]:
        return {
            "scope": str(self.scope),
            "table": self.scope.table,
            "rows": self.rows,
            "expectations": self.expectations,
            "failed": len(self.failures),
            "success": self.success,
            "page": self.page,
            "failures": [asdict(f) for f in self.failures],
        }
