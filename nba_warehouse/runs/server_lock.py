"""One writer at a time in server mode: a PostgreSQL advisory lock instead of a file.

Runs on different machines share one server, so the lock lives there: a session-level advisory lock taken on a
connection the run keeps open for its whole life, released by the server when that connection ends, however the
run ends. Like the lock file, ``ops.warehouse_writer`` names the holder for the message a competitor prints and is
cleared when the run finishes cleanly: a row found there by the next holder belongs to a run that died holding the
lock. Readers take no lock: PostgreSQL's snapshots let them read while a run writes.
"""

from __future__ import annotations

import json
import os
import socket
from contextlib import closing
from datetime import datetime, timezone
from types import TracebackType
from typing import Any

from nba_warehouse.database import Server
from nba_warehouse.runs.lock import WarehouseBusy, wait_for_holder

# pg_try_advisory_lock's key: any constant the database's other users do not take ("nbaw" in ASCII)
LOCK_KEY = 0x6E626177
_DDL = """
create schema if not exists ops;
create table if not exists ops.warehouse_writer (only_row boolean primary key default true check (only_row), holder json)
"""


def is_held(server: Server) -> bool:
    """Whether a run holds the server's lock (a hint, read without trying it)."""
    with closing(server.connect(application="nba-warehouse lock probe")) as con, con.cursor() as cursor:
        cursor.execute("select count(*) from pg_locks where locktype = 'advisory' and objid = %s and granted", [LOCK_KEY])
        return cursor.fetchone()[0] > 0


class ServerLock:
    def __init__(self, server: Server, run_id: str, command: str) -> None:
        self.server = server
        self.holder = {
            "pid": os.getpid(), "host": socket.gethostname(), "run_id": run_id, "command": command,
            "started_at": datetime.now(timezone.utc).isoformat(),
        }  # fmt: skip
        self.taken_over: dict[str, Any] | None = None
        self._con: Any = None

    def __enter__(self) -> ServerLock:
        con = self.server.connect(application=f"nba-warehouse {self.holder['command']} {self.holder['run_id']}")
        with con.cursor() as cursor:
            cursor.execute("select pg_try_advisory_lock(%s)", [LOCK_KEY])
            if not cursor.fetchone()[0]:
                con.close()
                raise WarehouseBusy(self._busy_message())
            cursor.execute(_DDL)
            cursor.execute("select holder from ops.warehouse_writer")
            found = cursor.fetchone()
            self.taken_over = found[0] if found else None
            cursor.execute(
                "insert into ops.warehouse_writer (holder) values (%s) on conflict (only_row) do update set holder = excluded.holder",
                [json.dumps(self.holder)],
            )
        self._con = con
        return self

    def _busy_message(self) -> str:
        holder = wait_for_holder(self._read_holder)
        if holder is None:
            return f"the warehouse is in use by another run: it holds the advisory lock {LOCK_KEY} on the {self.server}"
        return (
            f"the warehouse is in use by `nba-warehouse {holder['command']}` (run {holder['run_id']}, pid {holder['pid']} "
            f"on {holder['host']}, started {holder['started_at']}); advisory lock {LOCK_KEY} on the {self.server}"
        )

    def _read_holder(self) -> dict[str, Any] | None:
        with closing(self.server.connect(application="nba-warehouse lock probe")) as con, con.cursor() as cursor:
            cursor.execute("select to_regclass('ops.warehouse_writer') is not null")
            if not cursor.fetchone()[0]:
                return None
            cursor.execute("select holder from ops.warehouse_writer")
            found = cursor.fetchone()
            return found[0] if found else None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._con is None:
            return
        with self._con.cursor() as cursor:
            cursor.execute("delete from ops.warehouse_writer")
        self._con.close()  # ends the session, which releases the lock
        self._con = None
