"""API data sets as DataFrames under the column names dlt gives them.

Apart from the contract (``contract.py``) because the names are dlt's own normalisation, and the quality gate's
worker, which reads the contract, would otherwise import dlt for nothing: most of a second before its first verdict.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dlt.common.normalizers.naming.snake_case import NamingConvention

_naming = NamingConvention()


def snake_case(header: str) -> str:
    """An API header as dlt names the column (``FG3M`` -> ``fg3_m``)."""
    return _naming.normalize_identifier(header)


def raw_frame(headers: list[str], rows: list[list[Any]]) -> pd.DataFrame:
    """An API data set as a DataFrame under dlt's column names, values as sent. Built once per batch: the gate
    checks it and ``to_arrow`` types it, since building it is most of what a large batch costs."""
    return pd.DataFrame(rows, columns=[snake_case(h) for h in headers])
