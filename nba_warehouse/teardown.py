"""Ending a process without the interpreter's teardown.

Freeing the modules of dlt, SQLMesh, DuckDB and Great Expectations one object at a time is a second or two of every
command's exit, and frees nothing the system would not. Every exit handler still runs: the one registered here runs
after every handler registered later, and itself runs logging's, the one registered before it (at logging's import)."""

from __future__ import annotations

import atexit
import logging
import os
import sys
from typing import Callable


def skip_teardown(exit_code: Callable[[], int] = lambda: 0) -> None:
    """Register, before anything but logging registers, the handler that ends the process with ``exit_code()`` once
    the other exit handlers have run."""

    def leave() -> None:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(exit_code())

    atexit.register(leave)
