"""Monte Carlo of the rest of a regular season, the play-in and the playoffs.

Game outcomes are drawn for all simulations at once (numpy arrays of
simulations x games); only the seeding walks simulation by simulation, because
the league's tiebreak procedure is recursive. Seeded: the same inputs and seed
give the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nba_warehouse.basketball.elo import EloParameters
from nba_warehouse.basketball.tiebreakers import Table

ROUNDS = ("playoffs", "second_round", "conference_finals", "finals", "title")


@dataclass
class Season:
    """One regular season as of a date: teams, results so far and games left (indices into ``team_ids``)."""

    team_ids: np.ndarray
    conference: np.ndarray
    division: np.ndarray
    ratings: np.ndarray
    played_home: np.ndarray
    played_away: np.ndarray
    played_home_pts: np.ndarray
    played_away_pts: np.ndarray
    remaining_home: np.ndarray
    remaining_away: np.ndarray
    remaining_neutral: np.ndarray
    playoff_spots: int
    has_play_in: bool


@dataclass
class Outcome:
    """Per simulation: final wins and conference seed of every team, and how far each went."""

    wins: np.ndarray  # simulations x teams
    seeds: np.ndarray  # simulations x teams, 1-based within the conference
    reached: dict[str, np.ndarray]  # round -> simulations x teams, bool
    play_in: np.ndarray  # simulations x teams, bool


def simulate(season: Season, parameters: EloParameters, runs: int, seed: int) -> Outcome:
    rng = np.random.default_rng(seed)
    n = len(season.team_ids)
    edge = parameters.home_edge(
        season.ratings[season.remaining_home], season.ratings[season.remaining_away], season.remaining_neutral
    )
    home_won = rng.random((runs, len(edge))) < parameters.win_probability(edge)
    margin = np.maximum(1.0, np.abs(parameters.predicted_margin(edge)))

    # every game of the season in each simulation: those played so far, then the simulated rest
    home = np.concatenate([season.played_home, season.remaining_home])
    away = np.concatenate([season.played_away, season.remaining_away])
    played_margin = season.played_home_pts - season.played_away_pts
    home_margin = np.hstack([np.broadcast_to(played_margin, (runs, len(played_margin))), np.where(home_won, margin, -margin)])
    winner, loser = np.where(home_margin > 0, home, away), np.where(home_margin > 0, away, home)
    cell = np.arange(runs)[:, None] * n
    head_to_head = _count((cell + winner) * n + loser, 1, runs * n * n).reshape(runs, n, n).astype(np.int32)
    point_differential = (_count(cell + home, home_margin, runs * n) - _count(cell + away, home_margin, runs * n)).reshape(runs, n)

    same_conference = season.conference[:, None] == season.conference[None, :]
    same_division = season.division[:, None] == season.division[None, :]
    wins = head_to_head.sum(axis=2)
    losses = head_to_head.sum(axis=1)
    conference_wins = (head_to_head * same_conference).sum(axis=2)
    conference_losses = (head_to_head * same_conference).sum(axis=1)
    division_wins = (head_to_head * same_division).sum(axis=2)
    division_losses = (head_to_head * same_division).sum(axis=1)

    seeds = np.zeros((runs, n), dtype=np.int64)
    for run in range(runs):
        table = Table(
            wins=wins[run],
            losses=losses[run],
            conference_wins=conference_wins[run],
            conference_losses=conference_losses[run],
            division_wins=division_wins[run],
            division_losses=division_losses[run],
            point_differential=point_differential[run],
            head_to_head=head_to_head[run],
            conference=season.conference,
            division=season.division,
            team_ids=season.team_ids,
            playoff_spots=season.playoff_spots,
        )
        conference_rank, _, _ = table.ranks()
        seeds[run, list(conference_rank)] = list(conference_rank.values())
    reached, play_in = _postseason(season, parameters, wins, seeds, rng)
    return Outcome(wins=wins, seeds=seeds, reached=reached, play_in=play_in)


def _count(cells: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """Sum ``weights`` into flat ``cells`` of an array of ``size``: np.add.at, many times faster."""
    return np.bincount(cells.ravel(), weights=np.broadcast_to(weights, cells.shape).ravel(), minlength=size)


def _postseason(
    season: Season, parameters: EloParameters, wins: np.ndarray, seeds: np.ndarray, rng: np.random.Generator
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    runs, n = seeds.shape
    everyone = np.arange(runs)
    reached = {name: np.zeros((runs, n), dtype=bool) for name in ROUNDS}
    play_in = np.zeros((runs, n), dtype=bool)
    champions = []
    for name in sorted({c for c in season.conference if c is not None}):
        members = np.flatnonzero(season.conference == name)
        by_seed = members[np.argsort(seeds[:, members], axis=1)]  # runs x members: team at seed 1, 2, ...
        if season.has_play_in:
            play_in[everyone[:, None], by_seed[:, 6:10]] = True
            seventh, eighth = _game(by_seed[:, 6], by_seed[:, 7], season, parameters, rng)
            ninth, _ = _game(by_seed[:, 8], by_seed[:, 9], season, parameters, rng)
            eighth, _ = _game(eighth, ninth, season, parameters, rng)
            bracket = np.column_stack([by_seed[:, :6], seventh, eighth])
        else:
            bracket = by_seed[:, :8]
        reached["playoffs"][everyone[:, None], bracket] = True
        # bracket columns are seeds 1-8; round one pairs 1-8, 4-5, 2-7, 3-6 so that neighbours meet next
        alive = bracket[:, [0, 7, 3, 4, 1, 6, 2, 5]]
        for next_round in ("second_round", "conference_finals", "finals"):
            winners = []
            for first, second in zip(alive[:, 0::2].T, alive[:, 1::2].T):
                first_home = seeds[everyone, first] < seeds[everyone, second]
                higher, lower = np.where(first_home, first, second), np.where(first_home, second, first)
                winners.append(_series(higher, lower, season, parameters, rng))
            alive = np.column_stack(winners)
            reached[next_round][everyone[:, None], alive] = True
        champions.append(alive[:, 0])
    if len(champions) == 2:
        east, west = champions
        east_home = wins[everyone, east] >= wins[everyone, west]
        higher, lower = np.where(east_home, east, west), np.where(east_home, west, east)
        reached["title"][everyone, _series(higher, lower, season, parameters, rng)] = True
    return reached, play_in


def _game(
    home: np.ndarray, away: np.ndarray, season: Season, parameters: EloParameters, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """One game per simulation at the first team's arena: (winners, losers)."""
    edge = parameters.home_edge(season.ratings[home], season.ratings[away], neutral=False)
    home_won = rng.random(len(home)) < parameters.win_probability(edge)
    return np.where(home_won, home, away), np.where(home_won, away, home)


def _series(
    higher: np.ndarray, lower: np.ndarray, season: Season, parameters: EloParameters, rng: np.random.Generator
) -> np.ndarray:
    """Best of seven, 2-2-1-1-1, the higher seed at home in games 1, 2, 5 and 7: the winners.
    Playing all seven games picks the same winner as stopping at four wins."""
    difference = season.ratings[higher] - season.ratings[lower]
    at_home = parameters.win_probability(difference + parameters.home_advantage)
    away = parameters.win_probability(difference - parameters.home_advantage)
    higher_wins = rng.binomial(4, at_home) + rng.binomial(3, away)
    return np.where(higher_wins >= 4, higher, lower)
