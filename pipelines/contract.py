"""The raw tables' column contract, read from SQLMesh's ``external_models.yaml``.

SQLMesh and dlt share one statement of what the raw layer holds: dlt casts
each batch to these types (so a window whose percentages happen to be whole
numbers still lands as DOUBLE) and creates a table before its first rows.
"""

from __future__ import annotations

import functools

import pandas as pd
import pyarrow as pa
import yaml

from nba_warehouse.project import project_root

CONTRACT_FILE = "external_models.yaml"
ARROW_TYPES = {"text": pa.string(), "bigint": pa.int64(), "double": pa.float64(), "date": pa.date32(), "boolean": pa.bool_()}


@functools.cache
def raw_contract() -> dict[str, dict[str, str]]:
    """``{table: {column: sql_type}}`` for the columns dlt writes (not its own ``_dlt`` ones)."""
    contract = {}
    for model in yaml.safe_load((project_root() / CONTRACT_FILE).read_text()):
        schema, table = model["name"].split(".")
        contract[table] = {c: t for c, t in model["columns"].items() if not c.startswith("_dlt")}
    return contract


def empty_table(table: str) -> pa.Table:
    return pa.schema([(c, ARROW_TYPES[t]) for c, t in raw_contract()[table].items()]).empty_table()


def _cast(values: pd.Series, sql_type: str) -> pa.Array:
    if sql_type == "date":
        return pa.array(pd.to_datetime(values, format="mixed").dt.date, type=pa.date32())
    if sql_type == "boolean":
        lowered = values.map(lambda v: v if isinstance(v, bool) or v is None else str(v).lower() == "true")
        return pa.array(lowered, type=pa.bool_(), from_pandas=True)
    if sql_type == "text":
        if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
            values = values.map(lambda v: None if v is None else str(v))
        return pa.array(values, type=pa.string(), from_pandas=True)
    return pa.array(pd.to_numeric(values), type=ARROW_TYPES[sql_type], from_pandas=True)


def to_arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    """A ``raw_frame`` as an Arrow table: the contract's types, and every column the API sent (unknown ones typed
    by inference)."""
    types = raw_contract()[table]
    columns = {c: _cast(frame[c], types[c]) if c in types else pa.array(frame[c], from_pandas=True) for c in frame}
    return pa.table(columns)
