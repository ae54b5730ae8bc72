"""Queries of the Python models: written in DuckDB's dialect like the SQL models, handed to SQLMesh parsed, so that
the engine adapter writes them for whichever engine the gateway runs (PostgreSQL in server mode)."""

from __future__ import annotations

import typing as t

import pandas as pd
from sqlglot import parse_one

from nba_warehouse.database import with_duckdb_types

if t.TYPE_CHECKING:
    from sqlmesh import ExecutionContext


def fetchdf(context: ExecutionContext, query: str) -> pd.DataFrame:
    """``query``'s rows, with DuckDB's column types from either engine."""
    return with_duckdb_types(context.fetchdf(parse_one(query, dialect="duckdb")))


def for_engine(context: ExecutionContext, frame: pd.DataFrame) -> pd.DataFrame:
    """A model's rows as its engine can take them: DuckDB reads the DataFrame itself; other engines get SQL VALUES,
    written by sqlglot, which has no literal for pandas' NA and NaT: they become NULL."""
    if context.engine_adapter.dialect == "duckdb":
        return frame
    return frame.astype(object).where(frame.notna(), None)
