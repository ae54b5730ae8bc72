"""The quality gate: a Great Expectations suite per raw table, run on every
fetched batch before dlt loads it.

Suites are built in code from the raw contract and from what was asked for
(season, season type, dates), so a batch is checked against its own request.
Batches are validated as pandas DataFrames: Great Expectations' SQL path
against DuckDB fails on its metric queries in 1.24. Results go to a file
context beside the warehouse, whose Data Docs site is the readable record.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from nba_warehouse.nba import FIRST_SEASON, GAME_ID_PREFIX, GAME_LOG_TABLES, NATURAL_KEYS, parse_season, season_window
from pipelines.contract import raw_contract, snake_case
from pipelines.data_docs import docs_index, localise

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
import great_expectations as gx  # noqa: E402 - reads the variable above on import
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.exceptions import DataContextError  # noqa: E402

logging.getLogger("great_expectations").setLevel(logging.ERROR)

# JSON numbers arrive as Python ints or floats; a column holding only whole numbers and nulls becomes float64.
TYPE_NAMES = {
    "bigint": ["int", "int64", "float64"],
    "double": ["int", "float", "int64", "float64"],
    "text": ["str"],
    "boolean": ["bool", "str"],
}
MADE_ATTEMPTED = (("fga", "fgm"), ("fg3_a", "fg3_m"), ("fta", "ftm"), ("fgm", "fg3_m"))
COUNTS = ("min", "fgm", "fga", "fg3_m", "fg3_a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf", "pts")
PERCENTAGES = ("fg_pct", "fg3_pct", "ft_pct")
GAME_ID = r"^00[1-6]\d{7}$"


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


def frame(table: str, headers: list[str], rows: list[list[Any]]) -> pd.DataFrame:
    """The batch as sent (dlt's column names, values untouched), plus the derived ``check_*``
    columns some expectations compare against."""
    batch = pd.DataFrame(rows, columns=[snake_case(h) for h in headers])
    for column, sql_type in raw_contract()[table].items():
        if sql_type == "date" and column in batch:
            batch[column] = pd.to_datetime(batch[column], errors="coerce", format="mixed")
    if {"pts", "fgm", "fg3_m", "ftm"} <= set(batch):
        numbers = batch[["pts", "fgm", "fg3_m", "ftm"]].apply(pd.to_numeric, errors="coerce")
        # before the three-point line (1979-80) no three was made, and the league served FG3M empty
        batch["check_pts_from_shots"] = 2 * numbers.fgm + numbers.fg3_m.fillna(0) + numbers.ftm
    if table == "team_game_logs" and {"game_id", "pts", "wl"} <= set(batch):
        points = pd.to_numeric(batch.pts, errors="coerce")
        batch["check_teams_in_game"] = batch.groupby("game_id").game_id.transform("size")
        opponent = points.groupby(batch.game_id).transform("sum") - points
        batch["check_wl_from_score"] = (points > opponent).map({True: "W", False: "L"}).where(batch.check_teams_in_game == 2, batch.wl)
    return batch


def parameters(scope: Scope) -> dict[str, Any]:
    """What a batch's own request fixes in its table's suite: the GAME_ID of its season type and season, the
    dates of its window within its season."""
    pattern = GAME_ID
    if scope.season and scope.season_type in GAME_ID_PREFIX:
        pattern = rf"^{GAME_ID_PREFIX[scope.season_type]}{parse_season(scope.season) % 100:02d}\d{{5}}$"
    first, last = map(pd.Timestamp, season_window(scope.season)) if scope.season else (pd.Timestamp(FIRST_SEASON, 7, 1), pd.Timestamp.max.normalize())
    first, last = max(first, pd.Timestamp(scope.start or first)), min(last, pd.Timestamp(scope.end or last))
    return {"game_id_pattern": pattern, "first_game_date": first, "last_game_date": last}


def expectations(table: str) -> Iterator[gxe.Expectation]:
    """A table's suite: the contract's columns and types, keys, then what the table's numbers must obey. What
    depends on the request is a suite parameter (``parameters``), so one suite serves every batch of the table."""
    contract = raw_contract()[table]
    keys = list(NATURAL_KEYS[table])
    for column, sql_type in contract.items():
        yield gxe.ExpectColumnToExist(column=column)
        if sql_type == "date":
            yield gxe.ExpectColumnValuesToNotBeNull(column=column)
        else:
            yield gxe.ExpectColumnValuesToBeInTypeList(column=column, type_list=TYPE_NAMES[sql_type])
    for key in keys:
        yield gxe.ExpectColumnValuesToNotBeNull(column=key)
    yield gxe.ExpectCompoundColumnsToBeUnique(column_list=keys) if len(keys) > 1 else gxe.ExpectColumnValuesToBeUnique(column=keys[0])
    if "game_id" in contract:
        yield gxe.ExpectColumnValuesToMatchRegex(column="game_id", regex={"$PARAMETER": "game_id_pattern"})
    if "game_date" in contract:
        yield gxe.ExpectColumnValuesToBeBetween(
            column="game_date", min_value={"$PARAMETER": "first_game_date"}, max_value={"$PARAMETER": "last_game_date"}
        )
    if table not in GAME_LOG_TABLES:
        return
    for column in COUNTS:
        yield gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0)
    for attempted, made in MADE_ATTEMPTED:
        # a statistic the era did not keep is empty, never a failure (before 1979-80 there were no threes)
        yield gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A=attempted, column_B=made, or_equal=True, ignore_row_if="either_value_is_missing")
    for column in PERCENTAGES:
        yield gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=1)
    yield gxe.ExpectColumnPairValuesToBeEqual(column_A="pts", column_B="check_pts_from_shots")
    if table == "team_game_logs":
        yield gxe.ExpectColumnValuesToBeInSet(column="check_teams_in_game", value_set=[2])
        yield gxe.ExpectColumnPairValuesToBeEqual(column_A="wl", column_B="check_wl_from_score")


def _definition(suite: list[gxe.Expectation]) -> str:
    """A fingerprint of a suite's expectations, kept in its meta: an unchanged suite is reused as stored,
    since Great Expectations' add_or_update compares suites expectation by expectation (seconds per call)."""
    configs = [e.configuration.to_json_dict() for e in suite]
    return hashlib.sha1(json.dumps(configs, sort_keys=True, default=str).encode()).hexdigest()


SOURCE = "fetched_batches"


class QualityGate:
    """Validates batches in a Great Expectations file context under the warehouse folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.context = gx.get_context(mode="file", project_root_dir=str(root))
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        try:
            self.source = self.context.data_sources.get(SOURCE)
        except KeyError:
            self.source = self.context.data_sources.add_pandas(SOURCE)
        self._checkpoints: dict[str, gx.Checkpoint] = {}

    def _checkpoint(self, table: str) -> gx.Checkpoint:
        """The table's checkpoint: the stored one while its suite is unchanged, else suite, validation definition
        and checkpoint made anew."""
        if table in self._checkpoints:
            return self._checkpoints[table]
        suite = list(expectations(table))
        definition = _definition(suite)
        try:
            if self.context.suites.get(table).meta.get("definition") == definition and self._asset(table):
                self._checkpoints[table] = self.context.checkpoints.get(table)
                return self._checkpoints[table]
        except DataContextError:
            pass  # not stored yet
        for store in (self.context.checkpoints, self.context.validation_definitions, self.context.suites):
            try:
                store.delete(table)
            except DataContextError:
                pass
        asset = self._asset(table) or self.source.add_dataframe_asset(table)
        batches = next((b for b in asset.batch_definitions if b.name == table), None)
        batches = batches or asset.add_batch_definition_whole_dataframe(table)
        stored = self.context.suites.add(gx.ExpectationSuite(name=table, expectations=suite, meta={"definition": definition}))
        validation = self.context.validation_definitions.add(gx.ValidationDefinition(name=table, data=batches, suite=stored))
        checkpoint = gx.Checkpoint(name=table, validation_definitions=[validation], actions=[], result_format={"result_format": "COMPLETE"})
        self._checkpoints[table] = self.context.checkpoints.add(checkpoint)
        return self._checkpoints[table]

    def _asset(self, table: str) -> Any:
        return next((a for a in self.source.assets if a.name == table), None)

    def build_docs(self) -> Path:
        """Rebuild the Data Docs site and point its pages at local copies of their scripts and styles."""
        self.context.build_data_docs()
        index = docs_index(self.root)
        localise(index.parent)
        return index

    def validate(self, scope: Scope, headers: list[str], rows: list[list[Any]]) -> Validation:
        batch = frame(scope.table, headers, rows)
        result = self._checkpoint(scope.table).run(batch_parameters={"dataframe": batch}, expectation_parameters=parameters(scope), run_id=None)
        ((identifier, suite_result),) = result.run_results.items()
        page = Path("validations", *identifier.to_tuple()).with_suffix(".html")
        validation = Validation(scope, len(batch), len(suite_result.results), page=str(page))
        shown = [c for c in (*NATURAL_KEYS[scope.table], "team_abbreviation", "player_name") if c in batch]
        for outcome in suite_result.results:
            if outcome.success:
                continue
            config = outcome.expectation_config
            columns = [config.kwargs[k] for k in ("column", "column_A", "column_B") if k in config.kwargs]
            columns += list(config.kwargs.get("column_list", []))
            indexes = list(outcome.result.get("unexpected_index_list") or [])[:3]
            examples = [
                {c: _plain(batch.at[i, c]) for c in dict.fromkeys([*shown, *(c for c in columns if c in batch)])} for i in indexes
            ]
            count = outcome.result.get("unexpected_count")
            validation.failures.append(Failure(config.type, ", ".join(columns), count, examples))
        return validation


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value
