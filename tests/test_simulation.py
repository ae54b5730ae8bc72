"""The season simulation is seeded, and its outcomes obey the bracket's arithmetic."""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np
import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from season_simulation import PARAMETERS, opening_night  # noqa: E402

from nba_warehouse.basketball.eras import ERAS, era
from nba_warehouse.basketball.seeding import Records, conference_seeds
from nba_warehouse.basketball.simulation import Pairs, Season, simulate, simulate_dates
from nba_warehouse.basketball.tiebreakers import Table


def test_the_same_seed_gives_the_same_season_and_another_seed_does_not():
    season = opening_night(np.random.default_rng(3))
    first, again, other = (simulate(season, PARAMETERS, 200, seed) for seed in (11, 11, 12))
    assert np.array_equal(first.wins, again.wins) and np.array_equal(first.seeds, again.seeds)
    assert all(np.array_equal(first.reached[r], again.reached[r]) for r in first.reached)
    assert not np.array_equal(first.wins, other.wins)



def _as_of(season: Season, played: int, rng: np.random.Generator) -> Season:
    """``season`` with its first ``played`` games played, at random scores."""
    home, away = rng.integers(85, 130, played).astype(float), rng.integers(85, 130, played).astype(float)
    return replace(
        season,
        played_home=season.remaining_home[:played], played_away=season.remaining_away[:played], played_home_pts=home, played_away_pts=away,
        remaining_home=season.remaining_home[played:], remaining_away=season.remaining_away[played:], remaining_neutral=season.remaining_neutral[played:],
    )  # fmt: skip


def test_dates_seeded_together_get_the_numbers_each_gets_alone():
    season = opening_night(np.random.default_rng(4))
    rng = np.random.default_rng(5)
    dates = [_as_of(season, played, rng) for played in (0, 400, 900, 1200)]
    together = simulate_dates(dates, PARAMETERS, 150, [21, 22, 23, 24])
    for date_alone, seed, outcome in zip(dates, [21, 22, 23, 24], together):
        alone = simulate(date_alone, PARAMETERS, 150, seed)
        assert np.array_equal(outcome.wins, alone.wins) and np.array_equal(outcome.seeds, alone.seeds)
        assert np.array_equal(outcome.play_in, alone.play_in) and all(np.array_equal(outcome.reached[r], alone.reached[r]) for r in alone.reached)

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


def _random_records(rng: np.random.Generator, conference: np.ndarray, division: np.ndarray, runs: int) -> Records:
    """Short random seasons, so that ties of two, three and more teams, unplayed pairs and equal records abound."""
    n = len(conference)
    games = np.triu(rng.integers(0, 3, (runs, n, n)), 1)
    won = rng.binomial(games, 0.5)
    h2h = won + np.transpose(games - won, (0, 2, 1))  # [s, i, j]: wins of i over j
    same_conference = conference[:, None] == conference[None, :]
    same_division = division[:, None] == division[None, :]
    return Records(
        wins=h2h.sum(axis=2),
        losses=h2h.sum(axis=1),
        conference_wins=(h2h * same_conference).sum(axis=2),
        conference_losses=(h2h * same_conference).sum(axis=1),
        division_wins=(h2h * same_division).sum(axis=2),
        division_losses=(h2h * same_division).sum(axis=1),
        point_differential=rng.integers(-3, 4, (runs, n)),
        head_to_head=np.ascontiguousarray(h2h.transpose(1, 2, 0)),  # [i, j, s], as seeding takes it
    )


@pytest.mark.parametrize("start_year", sorted({rules["first_season"] for rules in ERAS if rules["has_conferences"]}))
@pytest.mark.parametrize("divisions_per_conference", [2, 3])
def test_seeding_all_simulations_at_once_equals_the_recursive_tiebreakers(start_year, divisions_per_conference):
    season = opening_night(np.random.default_rng(0))
    division = season.division.copy()
    if divisions_per_conference == 2:  # the 1970s-2004 alignment: two divisions per conference
        division = np.array([f"{c}-{i % 2}" for i, c in enumerate(season.conference)], dtype=object)
    rng = np.random.default_rng(start_year)
    records = _random_records(rng, season.conference, division, 400)
    invited = frozenset(rng.choice(len(season.team_ids), 22, replace=False).tolist())
    rules = era(start_year)
    seeds = conference_seeds(records, season.conference, division, season.team_ids, rules, invited)
    differences = 0
    for run in range(len(seeds)):
        table = Table(
            **{field: getattr(records, field)[run] for field in Records.__dataclass_fields__ if field != "head_to_head"},
            head_to_head=records.head_to_head[:, :, run],
            conference=season.conference, division=division, team_ids=season.team_ids, era=rules, invited=invited,
        )  # fmt: skip
        conference_rank, _, _ = table.ranks()
        expected = np.zeros(len(season.team_ids), dtype=np.int64)
        expected[list(conference_rank)] = list(conference_rank.values())
        differences += not np.array_equal(seeds[run], expected)
    assert differences == 0, f"{differences} of {len(seeds)} simulated seasons seeded differently"


def test_records_counted_by_pairs_equal_counting_game_by_game():
    season = opening_night(np.random.default_rng(5))
    rng = np.random.default_rng(6)
    home, away = season.remaining_home, season.remaining_away
    home_won = rng.random((len(home), 7)) < 0.6  # games x simulations
    pairs = Pairs(home, away, len(season.team_ids))
    first_wins = pairs.first_wins(slice(None), home_won)
    head_to_head = pairs.head_to_head(first_wins)
    records = pairs.records(first_wins, season.conference, season.division)
    for run in range(home_won.shape[1]):
        counted = np.zeros((len(season.team_ids),) * 2, dtype=int)
        for h, a, won in zip(home, away, home_won[:, run]):
            counted[(h, a) if won else (a, h)] += 1
        assert np.array_equal(head_to_head[:, :, run], counted)
        same_conference = season.conference[:, None] == season.conference[None, :]
        same_division = season.division[:, None] == season.division[None, :]
        expected = [counted.sum(1), counted.sum(0), (counted * same_conference).sum(1), (counted * same_conference).sum(0),
                    (counted * same_division).sum(1), (counted * same_division).sum(0)]  # fmt: skip
        assert all(np.array_equal(got[run], want) for got, want in zip(records, expected))
