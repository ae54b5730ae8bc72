"""FiveThirtyEight's NBA Elo: margin-of-victory multiplier, home-court advantage and regression toward
the mean between seasons. The parameters are the SQLMesh variable ``fivethirtyeight_elo`` (config.yaml),
FiveThirtyEight's own configuration; a model reads it with a literal ``context.var("fivethirtyeight_elo")``,
which is how SQLMesh sees the dependency and re-plans the model when a parameter changes."""

from __future__ import annotations

import math
import typing as t
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nba_warehouse.nba import FIRST_SEASON

Ratings = float | np.ndarray  # one game, or one value per game


@dataclass(frozen=True)
class EloParameters:
    k: float
    home_advantage: float
    mean: float
    season_carryover: float
    points_per_rating: float
    new_team_rating: float

    def home_edge(self, home: Ratings, away: Ratings, neutral: bool | np.ndarray) -> Ratings:
        """The home side's rating edge, home-court advantage included unless the site is neutral."""
        return home - away + np.where(neutral, 0.0, self.home_advantage)

    def win_probability(self, edge: Ratings) -> Ratings:
        return 1.0 / (1.0 + 10.0 ** (-edge / 400.0))

    def entering(self, rating: float | None, rating_season: str | None, season: str, opening: float | None = None) -> float:
        """The rating a team brings into a game of ``season``, from its latest rating: ``opening`` (the mean
        unless given) before its first game, regressed once when that rating is from an earlier season."""
        if rating is None or (isinstance(rating, float) and math.isnan(rating)):
            return self.mean if opening is None else opening
        return rating if rating_season == season else self.new_season(rating)

    def opening(self, season: str, first_loaded_season: str, entry_rating: float | None) -> float:
        """A team's first rating: what it brought from another league; the mean when the history loaded starts
        after 1946-47 and the team was already playing (its past is unknown, not bad); otherwise it is a new
        team, rated as FiveThirtyEight rated the BAA's first teams and every expansion team."""
        if entry_rating is not None:
            return entry_rating
        if season == first_loaded_season and int(season[:4]) > FIRST_SEASON:
            return self.mean
        return self.new_team_rating

    def predicted_margin(self, edge: Ratings) -> Ratings:
        return edge / self.points_per_rating

    def new_season(self, rating: float) -> float:
        """A team's rating carried into a new season: part of it regresses to the mean."""
        return self.season_carryover * rating + (1.0 - self.season_carryover) * self.mean

    def shift(self, edge: float, home_won: bool, margin: int) -> float:
        """Points the home side gains (negative: loses). The margin multiplier grows with the
        margin and shrinks when the favourite wins, so blowouts by favourites do not inflate ratings."""
        winner_edge = edge if home_won else -edge
        multiplier = (abs(margin) + 3.0) ** 0.8 / (7.5 + 0.006 * winner_edge)
        return self.k * multiplier * ((1.0 if home_won else 0.0) - self.win_probability(edge))


def entry_ratings(seed: pd.DataFrame) -> dict[tuple[int, int], float]:
    """seeds.elo_entry_ratings (or its CSV) as the lookup ``opening`` takes: (team_id, first season's start year)."""
    return {(int(r.team_id), int(r.first_season)): float(r.elo_rating) for r in seed.itertuples(index=False)}


def latest_ratings_query(ratings: str, before: str) -> str:
    """Each team's latest row in ``ratings`` (marts.elo_ratings) dated before the day ``before`` (ISO): where a chain
    of ratings continues from."""
    return f"""
        select team_id, game_date, season, elo_after from {ratings}
        where game_date < '{before}'
        qualify row_number() over (partition by team_id order by game_date desc, game_id desc) = 1
        """


def rate(
    games: pd.DataFrame,
    parameters: EloParameters,
    entry_ratings: dict[tuple[int, int], float],
    first_loaded: str | None = None,
    latest: dict[int, tuple[float, str]] | None = None,
) -> t.Iterator[dict[str, t.Any]]:
    """Play the games in order, yielding both teams' rows for each. To continue a chain rather than start it, give
    each team's ``latest`` rating and its season from the games before, and the ``first_loaded`` season of all of
    them (a team first seen then opens at the mean)."""
    ratings: dict[int, tuple[float | None, str | None]] = dict(latest or {})
    first_loaded = first_loaded or (games.season.min() if len(games) else "")
    for game in games.itertuples(index=False):
        home, away = (
            parameters.entering(
                *ratings.get(team, (None, None)),
                game.season,
                parameters.opening(game.season, first_loaded, entry_ratings.get((team, int(game.season[:4])))),
            )
            for team in (game.home_team_id, game.away_team_id)
        )
        edge = float(parameters.home_edge(home, away, bool(game.is_neutral_site)))
        margin = int(game.home_pts - game.away_pts)
        shift = parameters.shift(edge, margin > 0, margin)
        ratings[game.home_team_id] = (home + shift, game.season)
        ratings[game.away_team_id] = (away - shift, game.season)
        home_probability = parameters.win_probability(edge)
        for team, opponent, before, opponent_before, probability, is_home, sign in (
            (game.home_team_id, game.away_team_id, home, away, home_probability, True, 1),
            (game.away_team_id, game.home_team_id, away, home, 1 - home_probability, False, -1),
        ):
            yield {
                "game_date": pd.Timestamp(game.game_date).date(),
                "season": game.season,
                "game_type": game.game_type,
                "game_id": game.game_id,
                "team_id": team,
                "opponent_team_id": opponent,
                "is_home": is_home and not game.is_neutral_site,
                "is_neutral_site": bool(game.is_neutral_site),
                "elo_before": before,
                "opponent_elo_before": opponent_before,
                "win_probability": probability,
                "is_win": sign * margin > 0,
                "margin": sign * margin,
                "elo_after": before + sign * shift,
            }
