"""The season simulation is seeded, and its outcomes obey the bracket's arithmetic."""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np
import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from season_simulation import opening_night  # noqa: E402

from nba_warehouse.basketball.elo import EloParameters
from nba_warehouse.basketball.eras import era
from nba_warehouse.basketball.simulation import simulate

PARAMETERS = EloParameters(k=20, home_advantage=100, mean=1505, season_carryover=0.75, points_per_rating=28, new_team_rating=1300)


def test_the_same_seed_gives_the_same_season_and_another_seed_does_not():
    season = opening_night(np.random.default_rng(3))
    first, again, other = (simulate(season, PARAMETERS, 200, seed) for seed in (11, 11, 12))
    assert np.array_equal(first.wins, again.wins) and np.array_equal(first.seeds, again.seeds)
    assert all(np.array_equal(first.reached[r], again.reached[r]) for r in first.reached)
    assert not np.array_equal(first.wins, other.wins)


def test_every_simulated_bracket_is_whole():
    season = opening_night(np.random.default_rng(3))
    outcome = simulate(season, PARAMETERS, 300, seed=5)
    runs = len(outcome.wins)
    assert np.array_equal(np.sort(outcome.seeds, axis=1), np.tile(np.repeat(np.arange(1, 16), 2), (runs, 1)))
    assert (outcome.reached["playoffs"].sum(axis=1) == 16).all()
    assert (outcome.play_in.sum(axis=1) == 8).all()
    assert (outcome.reached["second_round"].sum(axis=1) == 8).all()
    assert (outcome.reached["conference_finals"].sum(axis=1) == 4).all()
    assert (outcome.reached["finals"].sum(axis=1) == 2).all()
    assert (outcome.reached["title"].sum(axis=1) == 1).all()
    # seeds 1-6 always reach the first round; nobody reaches a round without the one before
    assert outcome.reached["playoffs"][outcome.seeds <= 6].all()
    assert not (outcome.reached["title"] & ~outcome.reached["finals"]).any()
    stronger = season.ratings.argmax()
    assert outcome.reached["title"][:, stronger].mean() > 1 / 30


@pytest.mark.parametrize(
    ("start_year", "field", "byes"),
    # per conference: playoff teams, and the seeds that skip the first round (docs/decisions.md's era table)
    [(1970, 4, 0), (1973, 4, 0), (1974, 5, 3), (1976, 6, 2), (1983, 8, 0), (2004, 8, 0), (2019, 8, 0)],
)
def test_each_era_plays_its_own_field_and_bracket(start_year, field, byes):
    season = replace(opening_night(np.random.default_rng(3)), era=era(start_year))
    outcome = simulate(season, PARAMETERS, 300, seed=5)
    reached = outcome.reached
    assert (reached["playoffs"].sum(axis=1) == 2 * field).all()
    sure = field - 1 if era(start_year).play_in_series else field  # 2019-20: the eighth could lose its place to the ninth
    assert reached["playoffs"][outcome.seeds <= sure].all() and not reached["playoffs"][outcome.seeds > field + 1].any()
    assert reached["playoffs"][outcome.seeds == field + 1].any() == (start_year == 2019)
    assert (reached["finals"].sum(axis=1) == 2).all() and (reached["title"].sum(axis=1) == 1).all()
    # the conference semifinals hold the first round's winners and the byes: four per conference from five or more
    assert (reached["second_round"].sum(axis=1) == 2 * min(field, 4)).all()
    if byes:
        assert reached["second_round"][outcome.seeds <= byes].all()
    # 2019-20's play-in series is the only play-in before 2020-21: the eighth and ninth, when close
    assert outcome.play_in[outcome.seeds < 8].sum() == 0 and (start_year == 2019 or not outcome.play_in.any())
