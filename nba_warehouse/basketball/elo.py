"""FiveThirtyEight-style NBA Elo: margin-of-victory multiplier, home-court advantage and
regression toward the mean between seasons. The parameters are the SQLMesh variable
``elo`` (config.yaml); a model reads it with a literal ``context.var("elo")``, which is how
SQLMesh sees the dependency and re-plans the model when a parameter changes."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Ratings = float | np.ndarray  # one game, or one value per game


@dataclass(frozen=True)
class EloParameters:
    k: float
    home_advantage: float
    mean: float
    season_carryover: float
    points_per_rating: float

    def home_edge(self, home: Ratings, away: Ratings, neutral: bool | np.ndarray) -> Ratings:
        """The home side's rating edge, home-court advantage included unless the site is neutral."""
        return home - away + np.where(neutral, 0.0, self.home_advantage)

    def win_probability(self, edge: Ratings) -> Ratings:
        return 1.0 / (1.0 + 10.0 ** (-edge / 400.0))

    def entering(self, rating: float | None, rating_season: str | None, season: str) -> float:
        """The rating a team brings into a game of ``season``, from its latest rating: the mean before
        its first game, regressed once when that rating is from an earlier season."""
        if rating is None or (isinstance(rating, float) and math.isnan(rating)):
            return self.mean
        return rating if rating_season == season else self.new_season(rating)

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
