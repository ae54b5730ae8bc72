"""Queries of the Python models: written in DuckDB's dialect like the SQL models, handed to SQLMesh parsed, so that
the engine adapter writes them for whichever engine the gateway runs (PostgreSQL in server mode)."""

from __future__ import annotations

import typing as t
from datetime import date
from decimal import Decimal

import pandas as pd
from sqlglot import parse_one

if t.TYPE_CHECKING:
    from sqlmesh import ExecutionContext


def fetchdf(context: ExecutionContext, query: str) -> pd.DataFrame:
    """``query``'s rows with DuckDB's column types from either engine: PostgreSQL's driver gives ``date`` objects
    where DuckDB gives datetimes, and Decimals (its sums of integers) where DuckDB gives numbers."""
    frame = context.fetchdf(parse_one(query, dialect="duckdb"))
    for column in frame.columns[frame.dtypes == object]:
        values = frame[column].dropna()
        if values.empty:
            continue
        if isinstance(values.iloc[0], date):
            frame[column] = pd.to_datetime(frame[column])
        elif isinstance(values.iloc[0], Decimal):
            frame[column] = frame[column].astype("float64")
    return frame


def for_engine(context: ExecutionContext, frame: pd.DataFrame) -> pd.DataFrame:
    """A model's rows as its engine can take them: DuckDB reads the DataFrame itself; other engines get SQL VALUES,
    written by sqlglot, which has no literal for pandas' NA and NaT: they become NULL."""
    if context.engine_adapter.dialect == "duckdb":
        return frame
    return frame.astype(object).where(frame.notna(), None)
