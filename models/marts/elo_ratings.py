"""marts.elo_ratings: each team's Elo rating before and after every game it played."""

from __future__ import annotations

import typing as t
from datetime import datetime

import pandas as pd
from sqlglot import exp
from sqlmesh import ExecutionContext, model
from sqlmesh.core.model.kind import ModelKindName

from nba_warehouse.basketball.elo import EloParameters
from nba_warehouse.nba import RATED_GAME_TYPES

GRAIN = ["team_id", "game_id"]


@model(
    "marts.elo_ratings",
    kind=dict(name=ModelKindName.INCREMENTAL_BY_TIME_RANGE, time_column="game_date", lookback=7),
    owner="analytics",
    grain=GRAIN,
    tags=["marts", "ratings"],
    description=(
        "One row per team per game (teams of the early decades sometimes played twice on a date): the team's Elo rating before and after the game, with the pre-game "
        "win probability. Ratings before a date use only earlier games. Each run replays every game since the "
        "first loaded season (ratings are a chain) and writes its own dates. Parameters: the elo variable in config.yaml."
    ),
    columns={
        "game_date": "date",
        "season": "text",
        "game_type": "text",
        "game_id": "text",
        "team_id": "bigint",
        "opponent_team_id": "bigint",
        "is_home": "boolean",
        "is_neutral_site": "boolean",
        "elo_before": "double",
        "opponent_elo_before": "double",
        "win_probability": "double",
        "is_win": "boolean",
        "margin": "int",
        "elo_after": "double",
    },
    column_descriptions={
        "elo_before": "Rating entering the game, after the new-season regression if this is the team's first game of a season",
        "win_probability": "Pre-game probability that this team wins, home court included",
        "margin": "Points scored minus points allowed",
        "elo_after": "Rating after the game",
    },
    depends_on=["core.fct_games"],
    audits=[
        ("unique_combination_of_columns", {"columns": [exp.column(c) for c in GRAIN]}),
        ("not_null", {"columns": [exp.column(c) for c in [*GRAIN, "game_date", "elo_before", "elo_after"]]}),
        ("percentages_between_0_and_1", {"columns": [exp.column("win_probability")]}),
    ],
)
def execute(context: ExecutionContext, start: datetime, end: datetime, **kwargs: t.Any) -> t.Iterator[pd.DataFrame]:
    parameters = EloParameters(**context.var("elo"))
    game_types = ", ".join(f"'{g}'" for g in RATED_GAME_TYPES)
    games = context.fetchdf(
        f"""
        select game_id, game_date, season, game_type, home_team_id, away_team_id, home_pts, away_pts, is_neutral_site
        from {context.resolve_table("core.fct_games")}
        where game_type in ({game_types}) and game_date <= '{end:%Y-%m-%d}'
        order by game_date, game_id
        """
    )
    rows = [row for row in rate(games, parameters) if start.date() <= row["game_date"] <= end.date()]
    if rows:
        yield pd.DataFrame(rows)


def rate(games: pd.DataFrame, parameters: EloParameters) -> t.Iterator[dict[str, t.Any]]:
    """Play the games in order, yielding both teams' rows for each."""
    ratings: dict[int, tuple[float | None, str | None]] = {}
    for game in games.itertuples(index=False):
        home = parameters.entering(*ratings.get(game.home_team_id, (None, None)), game.season)
        away = parameters.entering(*ratings.get(game.away_team_id, (None, None)), game.season)
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
