"""FiveThirtyEight-style NBA Elo: margin-of-victory multiplier, home-court advantage and
regression toward the mean between seasons. The parameters are the SQLMesh variable
``elo`` (config.yaml); a model reads it with a literal ``context.var("elo")``, which is how
SQLMesh sees the dependency and re-plans the model when a parameter changes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EloParameters:
    k: float
    home_advantage: float
    mean: float
    season_carryover: float
    points_per_rating: float

    def home_edge(self, home: float, away: float, neutral: bool) -> float:
        """The home side's rating edge, home-court advantage included unless the site is neutral."""
        return home - away + (0.0 if neutral else self.home_advantage)

    def win_probability(self, edge: float) -> float:
        return 1.0 / (1.0 + 10.0 ** (-edge / 400.0))

    def predicted_margin(self, edge: float) -> float:
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
