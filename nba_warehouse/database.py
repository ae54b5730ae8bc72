"""Which database holds the warehouse, and short-lived connections to it.

Embedded (the default), one DuckDB file named by ``NBA_WAREHOUSE_DB``. In server mode
(``NBA_WAREHOUSE_GATEWAY=postgres``, the SQLMesh gateway of the same name) a PostgreSQL database named by
``NBA_WAREHOUSE_PG_*``: dlt loads ``raw`` there, SQLMesh keeps its state and builds every model there, and the
run's own tables (``ops.*``) live there too. Either way the files a run writes (landing archive, manifests, Data
Docs, dlt's working folder) stay in the warehouse folder, ``NBA_WAREHOUSE_DB``'s folder.

The project's own SQL (fingerprints, ops tables, the reader's queries) is written once with ``?`` placeholders;
``Connection`` passes it to either driver.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    import pandas as pd

GATEWAY_ENV = "NBA_WAREHOUSE_GATEWAY"
LOCAL, POSTGRES = "local", "postgres"
GATEWAYS = (LOCAL, POSTGRES)
_PG_ENV = "NBA_WAREHOUSE_PG_"
_PLACEHOLDER = re.compile(r"\?")


class BadGateway(ValueError):
    """``NBA_WAREHOUSE_GATEWAY`` names no gateway of this project, or its settings are malformed."""


class WarehouseUnreachable(ConnectionError):
    """Server mode's PostgreSQL did not accept a connection."""


def gateway() -> str:
    """The SQLMesh gateway every command uses: ``local`` (DuckDB) unless ``NBA_WAREHOUSE_GATEWAY`` says otherwise."""
    name = os.environ.get(GATEWAY_ENV, LOCAL)
    if name not in GATEWAYS:
        raise BadGateway(f"{GATEWAY_ENV}={name}: expected one of {', '.join(GATEWAYS)}")
    return name


def server_mode() -> bool:
    return gateway() == POSTGRES


@dataclass(frozen=True)
class Server:
    """The PostgreSQL connection of the ``postgres`` gateway: the same variables and defaults as ``config.yaml``."""

    host: str
    port: int
    user: str
    password: str
    database: str

    @classmethod
    def from_env(cls) -> Server:
        env = {k[len(_PG_ENV) :].lower(): v for k, v in os.environ.items() if k.startswith(_PG_ENV)}
        port = env.get("port", "5432")
        if not port.isdigit():
            raise BadGateway(f"{_PG_ENV}PORT={port}: expected a port number")
        return cls(env.get("host", "127.0.0.1"), int(port), env.get("user", "nba"), env.get("password", ""), env.get("database", "nba_warehouse"))

    @property
    def url(self) -> str:
        """A ``postgresql://`` URL, for dlt's destination."""
        return f"postgresql://{quote(self.user, safe='')}:{quote(self.password, safe='')}@{self.host}:{self.port}/{quote(self.database, safe='')}"

    def __str__(self) -> str:
        return f"PostgreSQL database {self.database} on {self.host}:{self.port} as {self.user}"

    def connect(self, *, read_only: bool = False, application: str = "nba-warehouse") -> Any:
        import psycopg2

        options = "-c default_transaction_read_only=on" if read_only else ""
        try:
            con = psycopg2.connect(
                host=self.host, port=self.port, user=self.user, password=self.password, dbname=self.database,
                application_name=application[:63], options=options, connect_timeout=10,
            )  # fmt: skip
        except psycopg2.OperationalError as exc:
            reason = " ".join(str(exc).split())
            raise WarehouseUnreachable(f"cannot connect to the {self} ({reason}): start it or check {_PG_ENV}*") from None
        con.autocommit = True
        return con


class Connection:
    """One connection to the warehouse, DuckDB's or PostgreSQL's, with ``?`` placeholders for both. Autocommit
    unless inside ``transaction()``."""

    def __init__(self, raw: Any, *, postgres: bool) -> None:
        self.raw = raw
        self.postgres = postgres

    def _sql(self, sql: str, params: Sequence[Any] | None) -> str:
        if not self.postgres or not params:
            return sql
        return _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement (or, without parameters, several) and return the rows of the last, if any."""
        if not self.postgres:
            result = self.raw.execute(sql, params or [])
            return result.fetchall() if result.description else []
        with self.raw.cursor() as cursor:
            cursor.execute(self._sql(sql, params), params or None)
            return cursor.fetchall() if cursor.description else []

    def frame(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """The rows of ``sql`` as a DataFrame with the types a notebook expects (dates as datetimes, numerics as
        floats) from either engine."""
        if not self.postgres:
            return self.raw.execute(sql, params or []).df()
        import pandas as pd

        with self.raw.cursor() as cursor:
            cursor.execute(self._sql(sql, params), params or None)
            return with_duckdb_types(pd.DataFrame(cursor.fetchall(), columns=[d.name for d in cursor.description]))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.execute("begin")
        try:
            yield
        except BaseException:
            self.execute("rollback")
            raise
        self.execute("commit")

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def with_duckdb_types(frame: pd.DataFrame) -> pd.DataFrame:
    """PostgreSQL's rows with the column types DuckDB's ``df()`` gives: psycopg2 leaves ``date``s, time-zoned
    ``datetime``s and Decimals (PostgreSQL's numerics, its sums of integers) as Python objects."""
    import pandas as pd

    for column in frame.columns[frame.dtypes == object]:
        values = frame[column].dropna()
        first = values.iloc[0] if len(values) else None
        if isinstance(first, datetime):
            frame[column] = pd.to_datetime(frame[column], utc=first.tzinfo is not None)
        elif isinstance(first, date):
            frame[column] = pd.to_datetime(frame[column])
        elif isinstance(first, Decimal):
            frame[column] = frame[column].astype("float64")
    return frame


def connect(db: Path, *, read_only: bool = False, application: str = "nba-warehouse") -> Connection:
    """A connection to the warehouse: the DuckDB file ``db``, or in server mode the server (``db`` unused)."""
    if server_mode():
        return Connection(Server.from_env().connect(read_only=read_only, application=application), postgres=True)
    import duckdb

    return Connection(duckdb.connect(str(db), read_only=read_only), postgres=False)
