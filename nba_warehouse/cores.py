"""Work spread over the machine's cores, for the few computations that are many independent pieces of numpy
(a season simulated from each of thousands of dates).

The functions a SQLMesh Python model calls are the model's own serialized copies (no module another process could
import them from), so workers import the function by module and name, and take and return plain data. joblib's loky
workers rather than ``multiprocessing``'s: they start without re-running the caller's main script, and stay up for
the next map."""

from __future__ import annotations

import os
from importlib import import_module
import typing as t
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from joblib import Parallel, delayed

T = t.TypeVar("T")
Starmap = Callable[[Sequence[tuple[t.Any, ...]]], Iterator[T]]


def available() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def starmap(function: Callable[..., T], module: str, worth_spreading: bool) -> Iterator[Starmap[T]]:
    """A ``starmap(arguments)`` giving ``function``'s results in order: on every available core when
    ``worth_spreading`` (starting the workers costs about a second) and there is more than one, else in this
    process. Workers call ``module``'s function of the same name; arguments and results must pickle."""
    cores = available()
    if not worth_spreading or cores < 2:
        yield lambda arguments: (function(*a) for a in arguments)
        return
    with Parallel(n_jobs=cores, backend="loky", return_as="generator") as parallel:
        yield lambda arguments: parallel(delayed(_call)(module, function.__name__, *a) for a in arguments)


def _call(module: str, name: str, *arguments: t.Any) -> t.Any:
    return getattr(import_module(module), name)(*arguments)
