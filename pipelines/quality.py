"""The quality gate: a Great Expectations suite per raw table, run on every
fetched batch before dlt loads it.

Suites are built in code from the raw contract. What a batch was asked for
(season, season type, dates) becomes columns beside its rows, so one suite run
checks many batches, each against its own request: Great Expectations costs
about half a second per run whatever its size, which per batch was most of an
ingest. Batches are validated as pandas DataFrames: Great Expectations' SQL
path against DuckDB fails on its metric queries in 1.24. Results go to a file
context beside the warehouse, whose Data Docs site is the readable record.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nba_warehouse.nba import FIRST_SEASON, GAME_ID_PREFIX, GAME_LOG_TABLES, NATURAL_KEYS, parse_season, season_window
from pipelines.contract import raw_contract
from pipelines.data_docs import docs_index, localise
from pipelines.verdicts import Failure, Scope, Validation

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
import great_expectations as gx  # noqa: E402 - reads the variable above on import
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier, ValidationResultIdentifier  # noqa: E402
from great_expectations.exceptions import DataContextError  # noqa: E402


logging.getLogger("great_expectations").setLevel(logging.ERROR)

# JSON numbers arrive as Python ints or floats; a column holding only whole numbers and nulls becomes float64.
TYPE_NAMES = {
    "bigint": ["int", "int64", "float64"],
    "double": ["int", "float", "int64", "float64"],
    "text": ["str", "StringDtype"],
    "boolean": ["bool", "str"],
}
MADE_ATTEMPTED = (("fga", "fgm"), ("fg3_a", "fg3_m"), ("fta", "ftm"), ("fgm", "fg3_m"))
COUNTS = ("min", "fgm", "fga", "fg3_m", "fg3_a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf", "pts")
PERCENTAGES = ("fg_pct", "fg3_pct", "ft_pct")
GAME_ID = r"^00[1-6]\d{7}$"


def frame(table: str, raw: pd.DataFrame, batches: Sequence[tuple[Scope, int]]) -> pd.DataFrame:
    """The batches' rows as sent (``raw``, in order; ``batches`` gives each one's request and row count), plus the
    derived ``check_*`` columns: which batch a row came from, what its request allows, and the sums its numbers
    must make."""
    checked = raw.copy(deep=False)  # new columns only: the rows stay shared with the load
    sizes = [rows for _, rows in batches]
    checked["check_batch"] = np.repeat(np.arange(len(batches)), sizes)
    for column, sql_type in raw_contract()[table].items():
        if sql_type == "date" and column in checked:
            checked[column] = pd.to_datetime(checked[column], errors="coerce", format="mixed")
    requests = [_request(scope) for scope, _ in batches]
    if "game_id" in checked:
        checked["check_game_id_prefix"] = checked.game_id.astype("string").str[:5].astype(object)
        checked["check_requested_game_id_prefix"] = np.repeat(np.array([r[0] for r in requests], dtype=object), sizes)
    if "game_date" in checked:
        checked["check_first_game_date"] = np.repeat(np.array([r[1] for r in requests], dtype="datetime64[ns]"), sizes)
        checked["check_last_game_date"] = np.repeat(np.array([r[2] for r in requests], dtype="datetime64[ns]"), sizes)
    if {"pts", "fgm", "fg3_m", "ftm"} <= set(checked):
        numbers = checked[["pts", "fgm", "fg3_m", "ftm"]].apply(pd.to_numeric, errors="coerce")
        # before the three-point line (1979-80) no three was made, and the league served FG3M empty
        checked["check_pts_from_shots"] = 2 * numbers.fgm + numbers.fg3_m.fillna(0) + numbers.ftm
    if table == "team_game_logs" and {"game_id", "pts", "wl"} <= set(checked):
        points = pd.to_numeric(checked.pts, errors="coerce")
        game = [checked.check_batch, checked.game_id]
        checked["check_teams_in_game"] = checked.groupby(game).game_id.transform("size")
        opponent = points.groupby(game).transform("sum") - points
        checked["check_wl_from_score"] = (points > opponent).map({True: "W", False: "L"}).where(checked.check_teams_in_game == 2, checked.wl)
    for column, sql_type in raw_contract()[table].items():
        if sql_type == "text" and column in checked and pd.api.types.infer_dtype(checked[column], skipna=True) in ("string", "empty"):
            checked[column] = checked[column].astype("string")
    return checked.copy()  # one block per dtype: Great Expectations copies the frame per metric


def _request(scope: Scope) -> tuple[str | None, pd.Timestamp, pd.Timestamp]:
    """What a batch's own request fixes: the GAME_ID prefix of its season type and season, the dates of its
    window within its season."""
    prefix = None
    if scope.season and scope.season_type in GAME_ID_PREFIX:
        prefix = f"{GAME_ID_PREFIX[scope.season_type]}{parse_season(scope.season) % 100:02d}"
    first, last = map(pd.Timestamp, season_window(scope.season)) if scope.season else (pd.Timestamp(FIRST_SEASON, 7, 1), pd.Timestamp.max.normalize())
    return prefix, max(first, pd.Timestamp(scope.start or first)), min(last, pd.Timestamp(scope.end or last))


def expectations(table: str) -> Iterator[gxe.Expectation]:
    """A table's suite: the contract's columns and types, keys, then what the table's numbers must obey. What
    depends on the request is compared with the ``check_*`` columns ``frame`` derives from it."""
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
    yield gxe.ExpectCompoundColumnsToBeUnique(column_list=["check_batch", *keys])
    if "game_id" in contract:
        yield gxe.ExpectColumnValuesToMatchRegex(column="game_id", regex=GAME_ID)
        yield gxe.ExpectColumnPairValuesToBeEqual(
            column_A="check_game_id_prefix", column_B="check_requested_game_id_prefix", ignore_row_if="either_value_is_missing"
        )
    if "game_date" in contract:
        in_window = {"or_equal": True, "ignore_row_if": "either_value_is_missing"}
        yield gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="game_date", column_B="check_first_game_date", **in_window)
        yield gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="check_last_game_date", column_B="game_date", **in_window)
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
        self._definitions: dict[str, gx.ValidationDefinition] = {}
        self._results: list[ValidationResultIdentifier] = []

    def _definition(self, table: str) -> gx.ValidationDefinition:
        """The table's validation definition: the stored one while its suite is unchanged, else suite and
        validation definition made anew."""
        if table in self._definitions:
            return self._definitions[table]
        suite = list(expectations(table))
        definition = _definition(suite)
        try:
            if self.context.suites.get(table).meta.get("definition") == definition and self._asset(table):
                self._definitions[table] = self.context.validation_definitions.get(table)
                return self._definitions[table]
        except DataContextError:
            pass  # not stored yet
        # earlier versions also kept a checkpoint per table
        for store in (self.context.checkpoints, self.context.validation_definitions, self.context.suites):
            try:
                store.delete(table)
            except DataContextError:
                pass
        asset = self._asset(table) or self.source.add_dataframe_asset(table)
        batches = next((b for b in asset.batch_definitions if b.name == table), None)
        batches = batches or asset.add_batch_definition_whole_dataframe(table)
        stored = self.context.suites.add(gx.ExpectationSuite(name=table, expectations=suite, meta={"definition": definition}))
        self._definitions[table] = self.context.validation_definitions.add(gx.ValidationDefinition(name=table, data=batches, suite=stored))
        return self._definitions[table]

    def _asset(self, table: str) -> Any:
        return next((a for a in self.source.assets if a.name == table), None)

    def build_docs(self) -> Path:
        """Add this gate's results and the suites to the Data Docs site, rebuild its index, and point its pages at
        local copies of their scripts and styles. Earlier pages stay as they were, so a run's cost does not
        grow with the runs before it."""
        suites = [ExpectationSuiteIdentifier(name=table) for table in raw_contract()]
        self.context.build_data_docs(resource_identifiers=[*suites, *self._results])
        index = docs_index(self.root)
        localise(index.parent)
        return index

    def validate(self, table: str, raw: pd.DataFrame, batches: Sequence[tuple[Scope, int]]) -> list[Validation]:
        """One verdict per batch. ``raw`` holds the batches' rows in order (``api_frames.raw_frame``), ``batches``
        each one's request and row count. They are validated together with a lean result; only if that fails is
        each validated again on its own with every failing row, so a failure is reported against, and
        quarantines, exactly the batches it concerns."""
        together = self._run(table, raw, batches, "BOOLEAN_ONLY")  # a third cheaper than COMPLETE, even for one batch
        if together.success:
            return [Validation(scope, rows, together.expectations, together.page) for scope, rows in batches]
        offsets = np.cumsum([0, *(rows for _, rows in batches)])
        return [
            self._run(table, raw.iloc[offsets[i] : offsets[i + 1]].reset_index(drop=True), [batch], "COMPLETE")
            for i, batch in enumerate(batches)
        ]

    def _run(self, table: str, raw: pd.DataFrame, batches: Sequence[tuple[Scope, int]], result_format: str) -> Validation:
        """One suite run over ``batches``: its verdict, under the first batch's request."""
        checked = frame(table, raw, batches)
        with pd.option_context("mode.copy_on_write", True):  # Great Expectations' per-metric copies become free
            result = self._definition(table).run(batch_parameters={"dataframe": checked}, result_format=result_format)
        identifier = ValidationResultIdentifier(ExpectationSuiteIdentifier(name=table), result.meta["run_id"], result.batch_id)
        self._results.append(identifier)
        page = str(Path("validations", *identifier.to_tuple()).with_suffix(".html"))
        validation = Validation(batches[0][0], len(checked), len(result.results), page=page)
        shown = [c for c in (*NATURAL_KEYS[table], "team_abbreviation", "player_name") if c in checked]
        for outcome in result.results:
            if outcome.success:
                continue
            config = outcome.expectation_config
            columns = [config.kwargs[k] for k in ("column", "column_A", "column_B") if k in config.kwargs]
            columns += list(config.kwargs.get("column_list", []))
            indexes = list(outcome.result.get("unexpected_index_list") or [])[:3]
            examples = [
                {c: _plain(checked.at[i, c]) for c in dict.fromkeys([*shown, *(c for c in columns if c in checked)])} for i in indexes
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
