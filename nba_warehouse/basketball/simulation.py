"""Monte Carlo of the rest of a regular season, the play-in and the playoffs.

Everything is drawn and counted for all simulations at once (numpy arrays of
simulations x games), the seeding with the league's tiebreakers included
(seeding.py). Seeded: the same inputs and seed give the same numbers.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import date

import numpy as np

from nba_warehouse.basketball.elo import EloParameters
from nba_warehouse.basketball.eras import BUBBLE_RESTART, PLAY_IN_SERIES_MARGIN, Bracket, Era, era
from nba_warehouse.basketball.seeding import Records, conference_seeds

ROUNDS = ("playoffs", "second_round", "conference_finals", "finals", "title")
SEEDS = tuple(range(1, 16))
DAYS = 1_000_000  # more than any date's ordinal: (team, day) keys sort by team, then day


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
    era: Era
    invited: frozenset[int] | None = None  # 2019-20: the teams that play on in the bubble


@dataclass
class Outcome:
    """Per simulation: final wins and conference seed of every team, and how far each went."""

    wins: np.ndarray  # simulations x teams
    seeds: np.ndarray  # simulations x teams, 1-based within the conference
    reached: dict[str, np.ndarray]  # round -> simulations x teams, bool
    play_in: np.ndarray  # simulations x teams, bool


def simulate(season: Season, parameters: EloParameters, runs: int, seed: int) -> Outcome:
    return simulate_dates([season], parameters, runs, [seed])[0]


def simulate_dates(seasons: list[Season], parameters: EloParameters, runs: int, seeds: list[int]) -> list[Outcome]:
    """``simulate`` for several dates of one season (same teams, alignment, era and bubble invitations), each with
    its own seed and the same numbers as alone: the dates' simulations are seeded in one pass of the tiebreakers,
    whose cost is mostly per pass at a few hundred runs."""
    rngs = [np.random.default_rng(seed) for seed in seeds]
    records = [_regular_season(season, parameters, runs, rng) for season, rng in zip(seasons, rngs)]
    first = seasons[0]
    seeds_by_date = np.split(conference_seeds(Records.concatenate(records), first.conference, first.division, first.team_ids, first.era, first.invited), len(seasons))
    outcomes = []
    for season, rng, record, seeded in zip(seasons, rngs, records, seeds_by_date):
        reached, play_in = _postseason(season, parameters, record.wins, record.losses, seeded, rng)
        outcomes.append(Outcome(wins=record.wins, seeds=seeded, reached=reached, play_in=play_in))
    return outcomes


def _regular_season(season: Season, parameters: EloParameters, runs: int, rng: np.random.Generator) -> Records:
    """Every simulation's final records: the games played so far (the same in all), then the rest drawn."""
    n = len(season.team_ids)
    edge = parameters.home_edge(
        season.ratings[season.remaining_home], season.ratings[season.remaining_away], season.remaining_neutral
    )
    # games x simulations; single-precision draws cost half as much as doubles, and 24 bits are finer than any
    # win probability needs
    home_won = rng.random((len(edge), runs), dtype=np.float32) < parameters.win_probability(edge).astype(np.float32)[:, None]
    margin = np.maximum(1.0, np.abs(parameters.predicted_margin(edge)))
    pairs = Pairs(np.concatenate([season.played_home, season.remaining_home]), np.concatenate([season.played_away, season.remaining_away]), n)
    played = len(season.played_home)
    first_wins = pairs.first_wins(slice(0, played), (season.played_home_pts > season.played_away_pts)[:, None]) + pairs.first_wins(
        slice(played, None), home_won
    )
    point_differential = _point_differential(
        season.played_home, season.played_away, (season.played_home_pts - season.played_away_pts)[:, None], n
    ) + _point_differential(season.remaining_home, season.remaining_away, np.where(home_won, margin[:, None], -margin[:, None]), n)
    return Records(*pairs.records(first_wins, season.conference, season.division), point_differential, pairs.head_to_head(first_wins))


def odds_by_day(schedule: dict[str, t.Any], parameters: dict[str, float], runs: int, seed: int, days: list[int]) -> list[dict[str, t.Any]]:
    """For each day (a date's ordinal), the season as it stood after that day's games, simulated ``runs`` times
    with the seed plus the day: each team's record, projected wins and share of simulations at each seed, in the
    play-in and reaching each round. ``schedule`` is the season's games, teams and ratings as arrays (the keys
    ``marts.season_simulations`` gives it); plain arguments and results, so a worker process can take a share."""
    elo = EloParameters(**parameters)
    rules = era(schedule["start_year"])
    restart = date.fromisoformat(BUBBLE_RESTART).toordinal()
    day, home, away = schedule["day"], schedule["home"], schedule["away"]
    invited = frozenset(np.concatenate([home[day >= restart], away[day >= restart]])) if rules.bubble else None
    # each team's ratings in (team, day) order, so a team's latest rating on a day is one binary search
    rated_key = schedule["rated_team"] * DAYS + schedule["rated_day"]
    order = np.argsort(rated_key, kind="stable")
    rated_key, rated_team = rated_key[order], schedule["rated_team"][order]
    rating, rating_season = schedule["rating"][order], schedule["rating_season"][order]
    teams = np.arange(len(schedule["team_ids"]))
    has_result = ~np.isnan(schedule["home_pts"])
    seasons: dict[int, Season] = {}
    for today in days:
        latest = np.searchsorted(rated_key, teams * DAYS + today, side="right") - 1
        found = (latest >= 0) & (rated_team[np.maximum(latest, 0)] == teams)
        played, remaining = (day <= today) & has_result, day > today
        seasons[today] = Season(
            team_ids=schedule["team_ids"],
            conference=schedule["conference"],
            division=schedule["division"],
            ratings=np.array(
                [elo.entering(rating[k] if ok else None, rating_season[k] if ok else None, schedule["season"]) for k, ok in zip(latest, found)]
            ),
            played_home=home[played],
            played_away=away[played],
            played_home_pts=schedule["home_pts"][played],
            played_away_pts=schedule["away_pts"][played],
            remaining_home=home[remaining],
            remaining_away=away[remaining],
            remaining_neutral=schedule["neutral"][remaining],
            era=rules,
            invited=invited if today >= restart else None,
        )
    summaries = {}
    for before_restart in (True, False):  # the dates seeded together share the bubble's invitations
        dates = [today for today in days if (today < restart) == before_restart]
        outcomes = simulate_dates([seasons[today] for today in dates], elo, runs, [seed + today for today in dates]) if dates else []
        summaries.update({today: _odds(seasons[today], outcome, runs) for today, outcome in zip(dates, outcomes)})
    return [{"season": schedule["season"], "as_of_date": date.fromordinal(today), **summaries[today]} for today in days]


def _odds(season: Season, outcome: Outcome, runs: int) -> dict[str, np.ndarray]:
    n = len(season.team_ids)
    wins_so_far = np.bincount(np.where(season.played_home_pts > season.played_away_pts, season.played_home, season.played_away), minlength=n)
    p05, p95 = np.percentile(outcome.wins, [5, 95], axis=0)
    return {
        "team_id": season.team_ids,
        "conference": season.conference,
        "wins": wins_so_far,
        "losses": np.bincount(np.concatenate([season.played_home, season.played_away]), minlength=n) - wins_so_far,
        "games_left": np.bincount(np.concatenate([season.remaining_home, season.remaining_away]), minlength=n),
        "projected_wins_mean": outcome.wins.mean(axis=0),
        "projected_wins_p05": p05,
        "projected_wins_p95": p95,
        **{f"seed_{k}_probability": (outcome.seeds == k).mean(axis=0) for k in SEEDS},
        "play_in_probability": outcome.play_in.mean(axis=0),
        **{f"{name}_probability": outcome.reached[name].mean(axis=0) for name in ROUNDS},
        "simulations": np.full(len(season.team_ids), runs),
    }


class Pairs:
    """A season's games by pair of teams. Every count the standings need follows from how many games each pair
    played and how many the pair's first team (the lower index) won, so the outcomes of games x simulations are
    summed into pairs x simulations (a few hundred pairs) before anything is counted by team. Simulations run
    along the last axis, as in seeding."""

    def __init__(self, home: np.ndarray, away: np.ndarray, n: int) -> None:
        self.n = n
        first, second = np.minimum(home, away), np.maximum(home, away)
        keys, self.pair = np.unique(first * n + second, return_inverse=True)
        self.first, self.second = keys // n, keys % n
        self.first_at_home = home == first
        self.games = np.bincount(self.pair, minlength=len(keys))

    def first_wins(self, games: slice, home_won: np.ndarray) -> np.ndarray:
        """Wins of each pair's first team in ``games`` (pairs x simulations), given who won at home in each (games x
        simulations): each pair's first game is added, then each pair's second, and so on, a few whole rows at a time."""
        pair, first_won = self.pair[games], home_won == self.first_at_home[games][:, None]
        nth = np.zeros(len(pair), dtype=np.int64)  # which of its pair's games each game is: 0, 1, 2, ...
        order = np.argsort(pair, kind="stable")
        nth[order] = np.arange(len(pair)) - np.searchsorted(pair[order], pair[order])
        wins = np.zeros((len(self.games), home_won.shape[1]), dtype=np.int32)
        for k in range(nth.max(initial=-1) + 1):
            kth = nth == k
            wins[pair[kth]] += first_won[kth]
        return wins

    def head_to_head(self, first_wins: np.ndarray) -> np.ndarray:
        """[i, j, s]: wins of team i over team j in simulation s."""
        wins = np.zeros((self.n * self.n, first_wins.shape[1]), dtype=np.int8)
        wins[self.first * self.n + self.second] = first_wins
        wins[self.second * self.n + self.first] = self.games[:, None] - first_wins
        return wins.reshape(self.n, self.n, -1)

    def records(self, first_wins: np.ndarray, conference: np.ndarray, division: np.ndarray) -> tuple[np.ndarray, ...]:
        """Wins and losses overall, within the conference and within the division (simulations x teams each)."""
        is_first, is_second = (np.eye(self.n)[side] for side in (self.first, self.second))  # pairs x teams
        columns = []
        for within in (np.ones(len(self.games), dtype=bool), conference[self.first] == conference[self.second], division[self.first] == division[self.second]):
            kept = within[:, None].astype(float)
            # the first team's wins count for it and against the second; the rest of the pair's games the other way
            columns += [((is_first - is_second) * kept, self.games @ (is_second * kept)), ((is_second - is_first) * kept, self.games @ (is_first * kept))]
        counted = np.hstack([share for share, _ in columns]).astype(np.float32).T @ first_wins.astype(np.float32)
        return tuple(
            np.rint(counted[k * self.n : (k + 1) * self.n].T + constant).astype(np.int64) for k, (_, constant) in enumerate(columns)
        )


def _point_differential(home: np.ndarray, away: np.ndarray, home_margin: np.ndarray, n: int) -> np.ndarray:
    """Points scored less points allowed by each team (simulations x teams) in these games (``home_margin``: games x
    simulations)."""
    sides = np.zeros((len(home), n))
    np.add.at(sides, (np.arange(len(home)), home), 1.0)
    np.add.at(sides, (np.arange(len(home)), away), -1.0)
    return (sides.T @ home_margin).T


def _postseason(
    season: Season, parameters: EloParameters, wins: np.ndarray, losses: np.ndarray, seeds: np.ndarray, rng: np.random.Generator
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    runs, n = seeds.shape
    everyone = np.arange(runs)
    era = season.era
    reached = {name: np.zeros((runs, n), dtype=bool) for name in ROUNDS}
    play_in = np.zeros((runs, n), dtype=bool)
    champions = []
    for name in sorted({c for c in season.conference if c is not None}):
        members = np.flatnonzero(season.conference == name)
        by_seed = members[np.argsort(seeds[:, members], axis=1)]  # runs x members: team at seed 1, 2, ...
        if era.play_in:
            play_in[everyone[:, None], by_seed[:, 6:10]] = True
            seventh, eighth = _game(by_seed[:, 6], by_seed[:, 7], season, parameters, rng)
            ninth, _ = _game(by_seed[:, 8], by_seed[:, 9], season, parameters, rng)
            eighth, _ = _game(eighth, ninth, season, parameters, rng)
            by_seed = np.column_stack([by_seed[:, :6], seventh, eighth])
        elif era.play_in_series:
            eighth, ninth = by_seed[:, 7], by_seed[:, 8]
            close = (wins[everyone, eighth] - wins[everyone, ninth] + losses[everyone, ninth] - losses[everyone, eighth]) / 2 <= PLAY_IN_SERIES_MARGIN
            play_in[everyone[close], eighth[close]] = play_in[everyone[close], ninth[close]] = True
            first, _ = _game(eighth, ninth, season, parameters, rng)
            second, _ = _game(eighth, ninth, season, parameters, rng)
            by_seed = np.column_stack([by_seed[:, :7], np.where(close & (first == ninth) & (second == ninth), ninth, eighth)])
        field = by_seed[:, : era.playoff_teams]
        reached["playoffs"][everyone[:, None], field] = True
        champions.append(_bracket(era, field, seeds, reached, season, parameters, rng))
    if len(champions) == 2:
        east, west = champions
        east_home = wins[everyone, east] >= wins[everyone, west]
        higher, lower = np.where(east_home, east, west), np.where(east_home, west, east)
        reached["title"][everyone, _series(higher, lower, era.series[0], season, parameters, rng)] = True
    return reached, play_in


# Reaching a place in the conference bracket, by its depth (0: the conference finals' winner).
REACHED_AT_DEPTH = {0: "finals", 1: "conference_finals", 2: "second_round"}


def _bracket(
    era: Era,
    field: np.ndarray,
    seeds: np.ndarray,
    reached: dict[str, np.ndarray],
    season: Season,
    parameters: EloParameters,
    rng: np.random.Generator,
) -> np.ndarray:
    """Play a conference's bracket round by round, deepest series first (so the draws come in the same order for
    every bracket shape): the conference champion of each simulation."""
    everyone = np.arange(len(field))
    series: list[tuple[int, Bracket]] = []

    def walk(node: Bracket, depth: int) -> None:
        if isinstance(node, tuple):
            series.append((depth, node))
            for child in node:
                walk(child, depth + 1)

    assert era.bracket is not None
    walk(era.bracket, 0)
    winners: dict[int, np.ndarray] = {}

    def team(node: Bracket, depth: int) -> np.ndarray:
        teams = winners[id(node)] if isinstance(node, tuple) else field[:, node - 1]
        if depth in REACHED_AT_DEPTH:
            reached[REACHED_AT_DEPTH[depth]][everyone, teams] = True
        return teams

    for depth, node in sorted(series, key=lambda item: -item[0]):
        first, second = (team(child, depth + 1) for child in node)
        first_home = seeds[everyone, first] < seeds[everyone, second]
        higher, lower = np.where(first_home, first, second), np.where(first_home, second, first)
        winners[id(node)] = _series(higher, lower, era.series[depth + 1], season, parameters, rng)
    return team(era.bracket, 0)


def _game(
    home: np.ndarray, away: np.ndarray, season: Season, parameters: EloParameters, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """One game per simulation at the first team's arena: (winners, losers)."""
    edge = parameters.home_edge(season.ratings[home], season.ratings[away], neutral=False)
    home_won = rng.random(len(home)) < parameters.win_probability(edge)
    return np.where(home_won, home, away), np.where(home_won, away, home)


def _series(
    higher: np.ndarray, lower: np.ndarray, best_of: int, season: Season, parameters: EloParameters, rng: np.random.Generator
) -> np.ndarray:
    """A best-of series with the higher seed at home in one game more than the lower (2-2-1-1-1 for seven):
    the winners. Playing every game picks the same winner as stopping when one side has won the majority."""
    difference = season.ratings[higher] - season.ratings[lower]
    at_home = parameters.win_probability(difference + parameters.home_advantage)
    away = parameters.win_probability(difference - parameters.home_advantage)
    higher_wins = rng.binomial(best_of // 2 + 1, at_home) + rng.binomial(best_of // 2, away)
    return np.where(higher_wins > best_of // 2, higher, lower)
