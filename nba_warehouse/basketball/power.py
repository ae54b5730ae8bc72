"""Power ratings: every team's strength in points against an average team, as a state-space model of game
margins (after Glickman and Stern's model for NFL scores) updated by a Kalman filter.

Where Elo moves two ratings after a game, the filter keeps the covariance of every team's strength in the
season, so a win over a team that later proves strong is worth more in hindsight, and it knows how uncertain
each rating is: a new season, or a long gap, widens the uncertainty and the next results count for more.
Besides each team's lasting strength the state holds its form (a short-lived swing, such as an injury or a
slump, that fades within weeks), its own home-court edge (altitude, travel, crowds), the league's home-court
edge, and two late-season effects: how much teams with a losing record (resting, developing, drafting) and
teams with the best records (resting for the playoffs) play below their strength in the last weeks. All are
learned from the games as they come. A back-to-back costs a fixed number of points.

The parameters are the SQLMesh variable ``power_ratings`` (config.yaml), chosen by rolling-origin validation
over 1976-77 to 2009-10 (benchmarks/prediction_quality.py, docs/decisions.md).
"""

from __future__ import annotations

import json
import typing as t
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy import special

from nba_warehouse.basketball.elo import EloParameters
from nba_warehouse.nba import PLAYOFFS, RATED_GAME_TYPES, REGULAR_SEASON

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # datetime64 days count from 1970-01-01, ordinals from year 1
LEAGUE_STATES = 3  # the league's home edge, the late-season losing-record effect, the late-season best-record effect
LATE_SEASON_GAMES = 12  # a team's last games of the regular season count as late
LOSING_RECORD, BEST_RECORD = 0.4, 0.65  # win shares below and above which a late game is affected
# A forecast's columns as the models declare them (marts.power_forecasts, marts.game_predictions)
FORECAST_COLUMN_TYPES = {
    "home_power": "double",
    "away_power": "double",
    "home_court": "double",
    "rest_edge": "int",
    "predicted_home_margin": "double",
    "margin_sd": "double",
    "home_win_probability": "double",
}
FORECAST_COLUMNS = list(FORECAST_COLUMN_TYPES)
FORECAST_COLUMN_DESCRIPTIONS = {
    "home_power": "Home team's power rating before the game: points better than an average team on a neutral court",
    "home_court": "Points the site is worth to the home team: the league's edge plus both teams' own (0 at a neutral site)",
    "rest_edge": "+1 when only the visitor plays the second night of a back-to-back, -1 when only the host does",
    "predicted_home_margin": "Expected home points minus away points",
    "margin_sd": "Standard deviation of the home margin: the game's own spread and the ratings' uncertainty",
    "home_win_probability": "The warehouse's pre-game probability that the home team wins",
}


@dataclass(frozen=True)
class PowerParameters:
    margin_sd: float  # a game's margin around its expected value, as the update sees it
    probability_sd: float  # the same spread as the win probability uses (margins are heavy-tailed)
    daily_variance: float  # how far a strength drifts per day within a season
    form_variance: float  # how far form moves per day
    form_persistence: float  # share of form left after a day
    season_carryover: float  # share of a strength (and of its covariance) kept into the next season
    season_variance: float  # uncertainty a new season adds to every strength
    new_team_variance: float  # uncertainty of a team's first strength
    home_court: float  # the league's home-court edge before any game, in points
    home_court_variance: float
    home_court_season_variance: float
    team_home_court_variance: float  # a team's own home-court edge: starts at zero with this uncertainty
    team_home_court_season_variance: float
    team_home_court_carryover: float
    late_season_variance: float  # the late-season effects: start at zero with this uncertainty
    late_season_season_variance: float
    back_to_back: float  # points a team loses on the second night of a back-to-back
    max_margin: float  # margins beyond this count as this (garbage time)
    playoff_scale: float  # strength differences count this much more in the playoffs


@dataclass(frozen=True)
class FilterState:
    """Everything the filter carries from one game to the next: the season and day it has reached, the season's
    teams in the order of the state vector, the state vector and its covariance."""

    season: str | None
    day: int | None
    teams: tuple[int, ...]
    x: np.ndarray
    cov: np.ndarray

    def to_json(self) -> str:
        """JSON, whose floats round-trip exactly."""
        return json.dumps({"season": self.season, "day": self.day, "teams": list(self.teams), "x": self.x.tolist(), "cov": self.cov.tolist()})

    @classmethod
    def from_json(cls, text: str) -> FilterState:
        state = json.loads(text)
        return cls(state["season"], state["day"], tuple(state["teams"]), np.array(state["x"], dtype=float), np.array(state["cov"], dtype=float))


class PowerRatings:
    """The filter's state over the n teams of the current season, one covariance matrix over all of it:
    strengths [0, n), home-court edges [n, 2n), form [2n, 3n), then the league's states."""

    def __init__(self, parameters: PowerParameters, elo: EloParameters, entry_ratings: dict[tuple[int, int], float], first_loaded_season: str):
        self.p, self.elo, self.entry_ratings, self.first_loaded_season = parameters, elo, entry_ratings, first_loaded_season
        self.season: str | None = None
        self.day: int | None = None
        self.teams: dict[int, int] = {}
        p = parameters
        self.x = np.array([p.home_court, 0.0, 0.0])
        self.cov = np.diag([p.home_court_variance, p.late_season_variance, p.late_season_variance])

    def checkpoint(self) -> FilterState:
        """The state, copied: a filter resumed from it continues as this one would."""
        return FilterState(self.season, self.day, tuple(sorted(self.teams, key=self.teams.__getitem__)), self.x.copy(), self.cov.copy())

    def resume(self, state: FilterState) -> None:
        self.season, self.day = state.season, state.day
        self.teams = {team: i for i, team in enumerate(state.teams)}
        self.x, self.cov = state.x.copy(), state.cov.copy()

    def _opening(self, team: int, season: str) -> float:
        """A team's first strength: Elo's opening rule (new, from another league, or unknown history) in points."""
        rating = self.elo.opening(season, self.first_loaded_season, self.entry_ratings.get((team, int(season[:4]))))
        return (rating - self.elo.mean) / self.elo.points_per_rating

    def _open_season(self, season: str, teams: t.Iterable[int]) -> None:
        """Carry the known teams into ``season`` (strengths regressed toward average, form forgotten, uncertainty
        widened) and add the new ones."""
        p, old = self.p, self.teams
        new = {team: i for i, team in enumerate(sorted(teams))}
        n, m = len(new), len(old)
        x, cov = np.zeros(3 * n + LEAGUE_STATES), np.zeros((3 * n + LEAGUE_STATES, 3 * n + LEAGUE_STATES))
        league, old_league = np.arange(3 * n, 3 * n + LEAGUE_STATES), np.arange(3 * m, 3 * m + LEAGUE_STATES)
        kept = [(i, old[team]) for team, i in new.items() if team in old]
        to, fro = (np.array(a, dtype=int) for a in zip(*kept)) if kept else (np.zeros(0, int), np.zeros(0, int))
        dest, src = np.r_[to, n + to, league], np.r_[fro, m + fro, old_league]
        scale = np.r_[np.full(len(to), p.season_carryover), np.full(len(to), p.team_home_court_carryover), np.ones(LEAGUE_STATES)]
        x[dest] = scale * self.x[src]
        cov[np.ix_(dest, dest)] = np.outer(scale, scale) * self.cov[np.ix_(src, src)]
        if self.season is not None:
            cov[league, league] += [p.home_court_season_variance, p.late_season_season_variance, p.late_season_season_variance]
        for team, i in new.items():
            if team in old:
                cov[i, i] += p.season_variance
                cov[n + i, n + i] += p.team_home_court_season_variance
            else:
                x[i] = self._opening(team, season)
                cov[i, i] = p.new_team_variance
                cov[n + i, n + i] = p.team_home_court_variance
        self.x, self.cov, self.teams, self.season = x, cov, new, season

    def advance(self, season: str, day: int, season_teams: t.Callable[[], t.Iterable[int]]) -> None:
        """Move the state to ``day``: into a new season, or let strengths drift and form fade since the last day."""
        if season != self.season:
            self._open_season(season, season_teams())
        elif self.day is not None and day > self.day:
            n, days = len(self.teams), day - self.day
            self.cov[np.arange(n), np.arange(n)] += self.p.daily_variance * days
            form, fade = np.arange(2 * n, 3 * n), self.p.form_persistence**days
            self.x[form] *= fade
            self.cov[form, :] *= fade
            self.cov[:, form] *= fade
            self.cov[form, form] += self.p.form_variance * (1 - fade**2) / (1 - self.p.form_persistence**2)
        self.day = day

    def _design(self, home: int, away: int, neutral: bool, late: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
        """The state entries a game's margin depends on, and how: the host's strength and form minus the visitor's,
        the late-season effects (``late``: host's flag minus visitor's), and unless neutral the league's home edge,
        the host's own and the visitor's own road handicap."""
        n, i, j = len(self.teams), self.teams[home], self.teams[away]
        index = [i, j, 2 * n + i, 2 * n + j, 3 * n + 1, 3 * n + 2]
        weights = [1.0, -1.0, 1.0, -1.0, *late]
        if not neutral:
            index += [n + i, n + j, 3 * n]
            weights += [1.0, 1.0, 1.0]
        return np.array(index), np.array(weights)

    def predict(self, home: int, away: int, neutral: bool, late: tuple[float, float], rest_edge: float) -> tuple[float, float]:
        """Expected home margin and the variance of the ratings behind it."""
        index, weights = self._design(home, away, neutral, late)
        margin = float(weights @ self.x[index]) + self.p.back_to_back * rest_edge
        return margin, float(weights @ self.cov[index[:, None], index] @ weights)

    def update(self, home: int, away: int, neutral: bool, late: tuple[float, float], rest_edge: float, margin: int) -> None:
        index, weights = self._design(home, away, neutral, late)
        expected = float(weights @ self.x[index]) + self.p.back_to_back * rest_edge
        spread = self.cov[:, index] @ weights
        gain = spread / (self.p.margin_sd**2 + float(weights @ spread[index]))
        self.x += gain * (min(max(float(margin), -self.p.max_margin), self.p.max_margin) - expected)
        self.cov -= gain[:, None] * spread[None, :]

    def strength(self, team: int) -> float:
        """A team's strength and form, in points against an average team."""
        n, i = len(self.teams), self.teams[team]
        return float(self.x[i] + self.x[2 * n + i])

    def home_court(self, home: int, away: int) -> float:
        """Points the site is worth to the host: the league's edge, the host's own and the visitor's road handicap."""
        n = len(self.teams)
        return float(self.x[3 * n] + self.x[n + self.teams[home]] + self.x[n + self.teams[away]])


def games_query(fct_games: str, schedule: str, where: str = "true") -> str:
    """The games the filter walks, in order: every rated game played (``fct_games``) and every one scheduled and
    not yet played (``schedule``), the latter with null points; ``where`` filters on their columns."""
    game_types = ", ".join(f"'{g}'" for g in RATED_GAME_TYPES)
    return f"""
        with played as (
          select game_id, game_date, season, game_type, home_team_id, away_team_id, is_neutral_site, home_pts, away_pts
          from {fct_games}
          where game_type in ({game_types})
        ), scheduled as (
          select game_id, game_date, season, game_type, home_team_id, away_team_id, is_neutral, null::int, null::int
          from {schedule}
          where game_type in ({game_types}) and game_id not in (select game_id from played)
        ), games as (
          select * from played union all select * from scheduled
        )
        select * from games where {where} order by game_date, game_id
        """


def latest_checkpoint(fetchdf: t.Callable[[str], pd.DataFrame], forecasts: str, where: str) -> tuple[str, FilterState | None]:
    """The latest filter state stored in ``forecasts`` (marts.power_forecasts) on a row matching ``where``, and the
    season that row opens: a walk resumes from the state with the games of that season onward. ("", None) when
    there is none: the walk starts at the first season."""
    stored = fetchdf(
        f"""
        select season, state_before_season from {forecasts}
        where {where} and state_before_season is not null
        order by game_date desc, game_id desc
        limit 1
        """
    )
    if stored.empty:
        return "", None
    return str(stored.season[0]), FilterState.from_json(stored.state_before_season[0])


def _team_games(games: pd.DataFrame) -> pd.DataFrame:
    """One (season, team) row per team per game: each game's host and its visitor."""
    return pd.concat([games[["season", side]].set_axis(["season", "team"], axis=1) for side in ("home_team_id", "away_team_id")])


def rest_edges(games: pd.DataFrame) -> np.ndarray:
    """Per game, +1 when only the visitor plays on the second night of a back-to-back, -1 when only the host does."""
    last: dict[int, int] = {}
    edges = np.zeros(len(games))
    for k, (day, home, away) in enumerate(zip(games.day, games.home_team_id, games.away_team_id)):
        edges[k] = float(day - last.get(away, -9) == 1) - float(day - last.get(home, -9) == 1)
        last[home] = last[away] = day
    return edges


def late_season_flags(games: pd.DataFrame) -> np.ndarray:
    """Per game, (losing record, best record): the host's flag minus the visitor's, where a team is flagged in its
    last LATE_SEASON_GAMES regular-season games (played and scheduled) when its win share so far is below
    LOSING_RECORD or above BEST_RECORD."""
    regular = (games.game_type == REGULAR_SEASON).to_numpy()
    season_games = _team_games(games[regular]).groupby(["season", "team"]).size().to_dict()
    record: dict[tuple[str, int], tuple[int, int]] = {}
    flags = np.zeros((len(games), 2))
    rows = zip(regular, games.season, games.home_team_id, games.away_team_id, games.home_pts, games.away_pts)
    for k, (is_regular, season, home, away, home_pts, away_pts) in enumerate(rows):
        if not is_regular:
            continue
        for team, sign in ((home, 1.0), (away, -1.0)):
            wins, losses = record.get((season, team), (0, 0))
            if wins + losses and season_games[season, team] - wins - losses <= LATE_SEASON_GAMES:
                share = wins / (wins + losses)
                flags[k] += sign * np.array([share < LOSING_RECORD, share > BEST_RECORD])
        if not pd.isna(home_pts):
            for team, won in ((home, home_pts > away_pts), (away, away_pts > home_pts)):
                wins, losses = record.get((season, team), (0, 0))
                record[season, team] = (wins + won, losses + (not won))
    return flags


def predict(
    games: pd.DataFrame,
    parameters: PowerParameters,
    elo: EloParameters,
    entry_ratings: dict[tuple[int, int], float],
    first_loaded_season: str | None = None,
    resume_from: FilterState | None = None,
) -> pd.DataFrame:
    """Walk the games in order (played ones have ``home_pts``; the rest are still to come), predicting each from
    the ratings before its date and updating with each result. One row per game, in the order given; a season's
    first game also carries ``state_before_season``, the filter's checkpoint before that season opened. To
    continue from such a checkpoint rather than from the first season, give it as ``resume_from`` with the games
    of its season onward (whole seasons: a season's teams and late-season records come from all its games), and
    the ``first_loaded_season`` of all games."""
    games = games.assign(day=pd.to_datetime(games.game_date).to_numpy().astype("datetime64[D]").astype(np.int64) + EPOCH_ORDINAL)
    season_teams = _team_games(games).groupby("season").team.agg(set).to_dict()
    ratings = PowerRatings(parameters, elo, entry_ratings, first_loaded_season or (games.season.min() if len(games) else ""))
    if resume_from is not None:
        ratings.resume(resume_from)
    rows = []
    walked = games[["season", "day", "home_team_id", "away_team_id", "is_neutral_site", "home_pts", "away_pts"]]
    for game, rest, late in zip(walked.itertuples(index=False), rest_edges(games), late_season_flags(games)):
        checkpoint = ratings.checkpoint() if game.season != ratings.season else None
        ratings.advance(game.season, game.day, lambda: season_teams[game.season])
        neutral, late = bool(game.is_neutral_site), (float(late[0]), float(late[1]))
        margin, variance = ratings.predict(game.home_team_id, game.away_team_id, neutral, late, rest)
        home_court = 0.0 if neutral else ratings.home_court(game.home_team_id, game.away_team_id)
        rows.append((ratings.strength(game.home_team_id), ratings.strength(game.away_team_id), home_court, rest, margin, variance, checkpoint))
        if not pd.isna(game.home_pts):
            ratings.update(game.home_team_id, game.away_team_id, neutral, late, rest, int(game.home_pts - game.away_pts))
    columns = ["home_power", "away_power", "home_court", "rest_edge", "predicted_home_margin", "variance", "state_before_season"]
    out = pd.DataFrame(rows, columns=columns, index=games.index)
    scale = np.where(games.game_type.to_numpy() == PLAYOFFS, parameters.playoff_scale, 1.0)
    out["home_win_probability"] = special.ndtr(scale * out.predicted_home_margin / np.sqrt(parameters.probability_sd**2 + out.variance))
    out["margin_sd"] = np.sqrt(parameters.margin_sd**2 + out.pop("variance"))
    return out
