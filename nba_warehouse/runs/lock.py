"""One writer at a time: DuckDB allows a single writing process per file.

The lock is an OS lock (``flock``) on a file beside the warehouse, held for the
run's whole life, so the kernel decides who wins a race and releases the lock
when the holder ends, however it ends. The holder writes its pid, run id,
command and start time inside the file for the message a competitor prints,
and clears them when it finishes cleanly: facts found there by the next holder
belong to a run that died holding the lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, Callable

LOCK_FILE = "nba-warehouse.lock"
# how long a loser waits for the winner, which has the lock but may not have written its facts yet, to name itself
_NAMING_SECONDS = 5.0


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


def _facts(text: str) -> dict[str, Any] | None:
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return {"pid": -1, "run_id": "?", "command": "?", "started_at": "?"}


def read_holder(path: Path) -> dict[str, Any] | None:
    """The facts in the lock file (pid, run_id, command, started_at); None when it holds none."""
    try:
        return _facts(path.read_text())
    except FileNotFoundError:
        return None


def wait_for_holder(read: Callable[[], dict[str, Any] | None]) -> dict[str, Any] | None:
    """The holder's facts from ``read``, waiting a little for a winner that has the lock but has not yet written
    them; None if it never does."""
    deadline = time.monotonic() + _NAMING_SECONDS
    holder = read()
    while holder is None and time.monotonic() < deadline:
        time.sleep(0.02)
        holder = read()
    return holder


def is_held(path: Path) -> bool:
    """Whether the lock file names a live holder: a hint read without touching the lock (trying it, even shared,
    could make a run taking it that moment report the warehouse busy)."""
    holder = read_holder(path)
    return holder is not None and alive(int(holder.get("pid", -1)))


class RunLock:
    def __init__(self, path: Path, run_id: str, command: str) -> None:
        self.path = path
        self.holder = {"pid": os.getpid(), "run_id": run_id, "command": command, "started_at": datetime.now(timezone.utc).isoformat()}
        # the facts of a run that died holding the lock, found when taking it
        self.taken_over: dict[str, Any] | None = None
        self._fd: int | None = None

    def __enter__(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise WarehouseBusy(self._busy_message()) from None
        self.taken_over = _facts(os.pread(fd, 1 << 16, 0).decode(errors="replace"))
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(self.holder).encode(), 0)
        os.fsync(fd)
        self._fd = fd
        return self

    def _busy_message(self) -> str:
        holder = wait_for_holder(lambda: read_holder(self.path))
        if holder is None:
            return f"the warehouse is in use by another run; lock file {self.path}"
        return (
            f"the warehouse is in use by `nba-warehouse {holder['command']}` (run {holder['run_id']}, "
            f"pid {holder['pid']}, started {holder['started_at']}); lock file {self.path}"
        )

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)
        os.close(self._fd)  # releases the lock
        self._fd = None
