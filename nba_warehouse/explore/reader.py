"""Read-only access to the prod views, for notebooks and the report.

DuckDB lets one process write a file and no other process open it meanwhile,
so a reader that keeps a connection open would make the next scheduled run
fail. Every query here opens its own read-only connection and closes it at
once; when a run holds the file, the reader says which run in one sentence
(from the run's lock file) instead of raising DuckDB's IO error. In server
mode PostgreSQL lets readers and the writer work at once, and the reader's
read-only session cannot write by mistake.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from nba_warehouse.database import Connection, WarehouseUnreachable, connect, server_mode
from nba_warehouse.runs.lock import LOCK_FILE, WarehouseBusy, alive, read_holder
from nba_warehouse.project import WarehousePaths

# SQLMesh's physical tables: versions that may not be the promoted ones
_PHYSICAL = re.compile(r"\bsqlmesh__\w+", re.IGNORECASE)
_HOLDER_PID = re.compile(r"\(PID (\d+)\)")


class WarehouseLocked(WarehouseBusy):
    """A writer holds the warehouse file; the message names it."""


class WarehouseMissing(FileNotFoundError):
    """No warehouse file at the configured path."""


@dataclass(frozen=True)
class Reader:
    db: Path

    @classmethod
    def from_env(cls) -> "Reader":
        """The warehouse named by ``NBA_WAREHOUSE_DB`` (default ``data/warehouse.duckdb``)."""
        return cls(WarehousePaths.from_env().db)

    @classmethod
    def for_notebook(cls) -> "Reader":
        """``from_env`` and, inside IPython, show the reader's errors as their one sentence."""
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            shell.set_custom_exc((WarehouseLocked, WarehouseMissing), _one_sentence)
        return cls.from_env()

    def sql(self, query: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run ``query`` on a fresh read-only connection and return its rows."""
        if match := _PHYSICAL.search(query):
            raise ValueError(
                f"query names SQLMesh's physical table {match[0]}: expected the prod views (marts.*, core.*, ops.*)"
            )
        with self._connect() as con:
            return con.frame(query, params)

    def _connect(self) -> Connection:
        if server_mode():
            try:
                return connect(self.db, read_only=True, application="nba-warehouse reader")
            except WarehouseUnreachable as exc:
                raise WarehouseMissing(str(exc)) from None
        import duckdb

        if not self.db.is_file():
            raise WarehouseMissing(f"no warehouse at {self.db}: run `make demo` or point NBA_WAREHOUSE_DB at a warehouse file")
        try:
            return connect(self.db, read_only=True)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            raise WarehouseLocked(self._who_writes(str(exc))) from None

    def columns(self, relation: str) -> list[str]:
        """The columns of a table or view, in order; empty when it does not exist."""
        schema, name = relation.split(".")
        found = self.sql(
            """
            select column_name
            from information_schema.columns
            where table_schema = ? and table_name = ?
            order by ordinal_position
            """,
            [schema, name],
        )
        return found["column_name"].tolist()

    def _who_writes(self, error: str) -> str:
        holder = read_holder(self.db.parent / LOCK_FILE)
        if holder and alive(holder["pid"]):
            return (
                f"The warehouse is busy: `nba-warehouse {holder['command']}` (run {holder['run_id']}, pid {holder['pid']}, "
                f"started {holder['started_at']}) is writing it; try again when that run finishes."
            )
        pid = _HOLDER_PID.search(error)
        who = f"process {pid[1]}" if pid else "another process"
        return (
            f"The warehouse is busy: {who} has {self.db} open for writing (not an nba-warehouse run, so likely `sqlmesh` "
            "or a notebook's SQLMesh context); try again when it closes it."
        )


def _one_sentence(shell: Any, kind: type, value: BaseException, tb: Any, tb_offset: int | None = None) -> None:
    """IPython's custom exception handler: the cell still fails, so "run all" stops there."""
    print(value, file=sys.stderr)
