"""One writer at a time: DuckDB allows a single writing process per file.

The lock is a file beside the warehouse holding the holder's pid, run id,
command and start time, created with O_EXCL so two runs cannot both win. A
lock left by a process that no longer exists (killed, machine rebooted) is
taken over with a warning rather than blocking every later run.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any


LOCK_FILE = "nba-warehouse.lock"


class WarehouseBusy(RuntimeError):
    """Another live process holds the warehouse."""


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists; an unreadable lock file's pid (-1) never does (os.kill would signal a group)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_holder(path: Path) -> dict[str, Any] | None:
    """The lock file's pid, run_id, command and started_at; None when nobody holds it."""
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except ValueError:
        return {"pid": -1, "run_id": "?", "command": "?", "started_at": "?"}


class RunLock:
    def __init__(self, path: Path, run_id: str, command: str) -> None:
        self.path = path
        self.holder = {"pid": os.getpid(), "run_id": run_id, "command": command, "started_at": datetime.now(timezone.utc).isoformat()}
        self.taken_over: dict[str, Any] | None = None

    def read(self) -> dict[str, Any] | None:
        return read_holder(self.path)

    def __enter__(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self.read()
                if holder is None:
                    continue
                if alive(holder["pid"]):
                    raise WarehouseBusy(
                        f"the warehouse is in use by `nba-warehouse {holder['command']}` (run {holder['run_id']}, "
                        f"pid {holder['pid']}, started {holder['started_at']}); lock file {self.path}"
                    ) from None
                print(
                    f"warning: taking over a stale lock from run {holder['run_id']} (pid {holder['pid']}, started "
                    f"{holder['started_at']}), whose process is gone",
                    file=sys.stderr,
                )
                self.taken_over = holder
                self.path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w") as handle:
                json.dump(self.holder, handle)
            return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if (self.read() or {}).get("pid") == os.getpid():
            self.path.unlink(missing_ok=True)
