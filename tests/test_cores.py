"""Work spread over worker processes gives what the calling process would, in order, for a SQLMesh model's own
copy of a function (which no other process can import)."""

from __future__ import annotations

import inspect
import os

import numpy as np
import pytest

from nba_warehouse import cores
from nba_warehouse.basketball import tiebreakers


def sqlmesh_copy(function):
    """The function as SQLMesh hydrates a model's dependency: its source executed in a bare namespace."""
    namespace = {"np": np}
    exec(inspect.getsource(function), namespace)
    return namespace[function.__name__]


@pytest.mark.skipif(cores.available() < 2, reason="one core: starmap runs in process, nothing to compare")
def test_a_model_copy_spread_over_workers_gives_the_same_results_in_order():
    copy = sqlmesh_copy(tiebreakers.win_pct)
    assert copy.__module__ is None  # what stops plain pickle from sending it
    rng = np.random.default_rng(7)
    arguments = [(rng.integers(0, 60, 30), rng.integers(0, 60, 30)) for _ in range(40)]
    with cores.starmap(copy, "nba_warehouse.basketball.tiebreakers", worth_spreading=True) as spread:
        spread_results = list(spread(arguments))
    with cores.starmap(copy, "nba_warehouse.basketball.tiebreakers", worth_spreading=False) as here:
        here_results = list(here(arguments))
    expected = [w / (w + l) for w, l in arguments]  # every pair has games: the rule needs no zero guard here
    assert len(spread_results) == len(here_results) == len(arguments)
    for spread_result, here_result, wanted in zip(spread_results, here_results, expected):
        np.testing.assert_array_equal(spread_result, here_result)
        np.testing.assert_allclose(spread_result, wanted)


def test_workers_run_elsewhere_only_when_worth_it():
    with cores.starmap(os.getpid, "os", worth_spreading=False) as here:
        assert set(here([()] * 4)) == {os.getpid()}
    if cores.available() > 1:
        with cores.starmap(os.getpid, "os", worth_spreading=True) as spread:
            assert os.getpid() not in set(spread([()] * 32))
