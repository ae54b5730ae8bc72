"""Power ratings: every team's strength in points against an average team, as a state-space model of game
margins (after Glickman and Stern's model for NFL scores) updated by a Kalman filter.

Where Elo moves two ratings after a game, the filter keeps the covariance of every team's strength in the
season, so a win over a team that later proves strong is worth more in hindsight, and it knows how uncertain
each rating is: a new season, or a long gap, widens the uncertainty and the next results count for more.
Besides the strengths, the state holds the league's home-court edge and each team's own home-court edge
(altitude, travel, crowds), both learned from the games. A back-to-back costs a fixed number of points.

The parameters are the SQLMesh variable ``power_ratings`` (config.yaml), chosen by rolling-origin validation
over 1976-77 to 2009-10 (benchmarks/prediction_quality.py, docs/decisions.md).
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from nba_warehouse.basketball.elo import EloParameters
from nba_warehouse.nba import PLAYOFFS


@dataclass(frozen=True)
class PowerParameters:
    margin_sd: float  # a game's margin around its expected value, as the update sees it
    probability_sd: float  # the same spread as the win probability uses (margins are heavy-tailed)
    daily_variance: float  # how far a strength drifts per day within a season
    season_carryover: float  # share of a strength (and of its covariance) kept into the next season
    season_variance: float  # uncertainty a new season adds to every strength
    new_team_variance: float  # uncertainty of a team's first strength
    home_court: float  # the league's home-court edge before any game, in points
    home_court_variance: float
    home_court_season_variance: float
    team_home_court_variance: float  # a team's own home-court edge: starts at zero with this uncertainty
    team_home_court_season_variance: float
    team_home_court_carryover: float
    back_to_back: float  # points a team loses on the second night of a back-to-back
    max_margin: float  # margins beyond this count as this (garbage time)
    playoff_scale: float  # strength differences count this much more in the playoffs


class PowerRatings:
    """The filter's state over the teams of the current season: strengths, their home-court edges and the
    league's, with one covariance matrix over all of them."""

    def __init__(self, parameters: PowerParameters, elo: EloParameters, entry_ratings: dict[tuple[int, int], float], first_loaded_season: str):
        self.p, self.elo, self.entry_ratings, self.first_loaded_season = parameters, elo, entry_ratings, first_loaded_season
        self.season: str | None = None
        self.day: int | None = None
        self.teams: dict[int, int] = {}
        self.x = np.array([parameters.home_court])
        self.cov = np.array([[parameters.home_court_variance]])

    def _opening(self, team: int, season: str) -> float:
        """A team's first strength: Elo's opening rule (new, from another league, or unknown history) in points."""
        rating = self.elo.opening(season, self.first_loaded_season, self.entry_ratings.get((team, int(season[:4]))))
        return (rating - self.elo.mean) / self.elo.points_per_rating

    def _open_season(self, season: str, teams: t.Iterable[int]) -> None:
        """Carry the known teams into ``season`` (regressed toward average, uncertainty widened) and add the new."""
        p, old = self.p, self.teams
        new = {team: i for i, team in enumerate(sorted(teams))}
        n = len(new)
        x, cov = np.zeros(2 * n + 1), np.zeros((2 * n + 1, 2 * n + 1))
        kept = [(i, old[team]) for team, i in new.items() if team in old]
        if kept:
            to, fro = (np.array(a) for a in zip(*kept))
            m = len(old)
            dest, src = np.r_[to, n + to], np.r_[fro, m + fro]
            scale = np.r_[np.full(len(to), p.season_carryover), np.full(len(to), p.team_home_court_carryover)]
            x[dest] = scale * self.x[src]
            cov[np.ix_(dest, dest)] = np.outer(scale, scale) * self.cov[np.ix_(src, src)]
            cov[dest, -1] = cov[-1, dest] = scale * self.cov[src, -1]
        for team, i in new.items():
            if team in old:
                cov[i, i] += p.season_variance
                cov[n + i, n + i] += p.team_home_court_season_variance
            else:
                x[i] = self._opening(team, season)
                cov[i, i] = p.new_team_variance
                cov[n + i, n + i] = p.team_home_court_variance
        x[-1], cov[-1, -1] = self.x[-1], self.cov[-1, -1] + (p.home_court_season_variance if self.season else 0.0)
        self.x, self.cov, self.teams, self.season = x, cov, new, season

    def advance(self, season: str, day: int, season_teams: t.Callable[[], t.Iterable[int]]) -> None:
        if season != self.season:
            self._open_season(season, season_teams())
        elif self.day is not None and day > self.day:
            n = len(self.teams)
            self.cov[np.arange(n), np.arange(n)] += self.p.daily_variance * (day - self.day)
        self.day = day

    def _design(self, home: int, away: int, neutral: bool) -> tuple[np.ndarray, np.ndarray]:
        """The state entries a game's margin depends on, and how: the host's strength minus the visitor's, plus
        (unless neutral) the league's home edge, the host's own and the visitor's own road handicap."""
        n, i, j = len(self.teams), self.teams[home], self.teams[away]
        if neutral:
            return np.array([i, j]), np.array([1.0, -1.0])
        return np.array([i, j, n + i, n + j, 2 * n]), np.array([1.0, -1.0, 1.0, 1.0, 1.0])

    def predict(self, home: int, away: int, neutral: bool, rest_edge: float) -> tuple[float, float]:
        """Expected home margin and the variance of the ratings behind it."""
        index, weights = self._design(home, away, neutral)
        margin = float(weights @ self.x[index]) + self.p.back_to_back * rest_edge
        return margin, float(weights @ self.cov[np.ix_(index, index)] @ weights)

    def update(self, home: int, away: int, neutral: bool, rest_edge: float, margin: int) -> None:
        index, weights = self._design(home, away, neutral)
        expected = float(weights @ self.x[index]) + self.p.back_to_back * rest_edge
        spread = self.cov[:, index] @ weights
        gain = spread / (self.p.margin_sd**2 + float(weights @ spread[index]))
        self.x += gain * (float(np.clip(margin, -self.p.max_margin, self.p.max_margin)) - expected)
        self.cov -= np.outer(gain, spread)

    def strength(self, team: int) -> tuple[float, float]:
        """A team's strength and its standard deviation, in points against an average team."""
        i = self.teams[team]
        return float(self.x[i]), float(np.sqrt(self.cov[i, i]))

    def home_court_of(self, team: int) -> float:
        return float(self.x[-1] + self.x[len(self.teams) + self.teams[team]])


def rest_edges(games: pd.DataFrame) -> np.ndarray:
    """Per game, +1 when only the visitor plays on the second night of a back-to-back, -1 when only the host does."""
    last: dict[int, int] = {}
    edges = np.zeros(len(games))
    for k, (day, home, away) in enumerate(zip(games.day, games.home_team_id, games.away_team_id)):
        edges[k] = float(day - last.get(away, -9) == 1) - float(day - last.get(home, -9) == 1)
        last[home] = last[away] = day
    return edges


def predict(games: pd.DataFrame, parameters: PowerParameters, elo: EloParameters, entry_ratings: dict[tuple[int, int], float]) -> pd.DataFrame:
    """Walk the games in order (played ones have ``home_pts``; the rest are still to come), predicting each from
    the ratings before its date and updating with each result. One row per game, in the order given."""
    games = games.assign(day=pd.to_datetime(games.game_date).map(pd.Timestamp.toordinal))
    teams = pd.concat([games[["season", side]].set_axis(["season", "team"], axis=1) for side in ("home_team_id", "away_team_id")])
    season_teams = teams.groupby("season").team.agg(set).to_dict()
    ratings = PowerRatings(parameters, elo, entry_ratings, games.season.min() if len(games) else "")
    rows = []
    for game, rest in zip(games.itertuples(index=False), rest_edges(games)):
        ratings.advance(game.season, game.day, lambda: season_teams[game.season])
        neutral = bool(game.is_neutral_site)
        margin, variance = ratings.predict(game.home_team_id, game.away_team_id, neutral, rest)
        home, away = ratings.strength(game.home_team_id)[0], ratings.strength(game.away_team_id)[0]
        rows.append((home, away, margin - home + away - parameters.back_to_back * rest, rest, margin, variance))
        if not pd.isna(game.home_pts):
            ratings.update(game.home_team_id, game.away_team_id, neutral, rest, int(game.home_pts - game.away_pts))
    out = pd.DataFrame(rows, columns=["home_power", "away_power", "home_court", "rest_edge", "predicted_home_margin", "variance"])
    scale = np.where(games.game_type.to_numpy() == PLAYOFFS, parameters.playoff_scale, 1.0)
    out["home_win_probability"] = special.ndtr(scale * out.predicted_home_margin / np.sqrt(parameters.probability_sd**2 + out.variance))
    out["margin_sd"] = np.sqrt(parameters.margin_sd**2 + out.pop("variance"))
    return out
