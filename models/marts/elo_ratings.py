"""marts.elo_ratings: each team's Elo rating before and after every game it played."""

from __future__ import annotations

import typing as t
from datetime import datetime

import pandas as pd
from sqlglot import exp
from sqlmesh import ExecutionContext, model
from sqlmesh.core.model.kind import ModelKindName

from nba_warehouse.basketball.elo import EloParameters, entry_ratings, latest_ratings_query, rate
from nba_warehouse.model_sql import fetchdf, for_engine
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
        "win probability, with FiveThirtyEight's configuration of their NBA Elo (the fivethirtyeight_elo variable in "
        "config.yaml; teams from other leagues enter with seeds.elo_entry_ratings). Ratings before a date use only "
        "earlier games. Ratings are a chain: each interval continues from the model's own latest rating of each team before it."
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
        "elo_before": (
            "Rating entering the game, after the new-season regression if this is the team's first game of a season. "
            "A team's first rating: new_team_rating (the BAA's first teams, expansion teams), its rating from another "
            "league (seeds.elo_entry_ratings), or the mean for teams already playing when the loaded history begins after 1946-47"
        ),
        "win_probability": "Pre-game probability that this team wins, home court included",
        "margin": "Points scored minus points allowed",
        "elo_after": "Rating after the game",
    },
    depends_on=["core.fct_games", "seeds.elo_entry_ratings", "marts.elo_ratings"],
    audits=[
        ("unique_combination_of_columns", {"columns": [exp.column(c) for c in GRAIN]}),
        ("not_null", {"columns": [exp.column(c) for c in [*GRAIN, "game_date", "elo_before", "elo_after"]]}),
        ("percentages_between_0_and_1", {"columns": [exp.column("win_probability")]}),
    ],
)
def execute(context: ExecutionContext, start: datetime, end: datetime, **kwargs: t.Any) -> t.Iterator[pd.DataFrame]:
    parameters = EloParameters(**context.var("fivethirtyeight_elo"))
    game_types = ", ".join(f"'{g}'" for g in RATED_GAME_TYPES)
    fct_games = context.resolve_table("core.fct_games")
    games = fetchdf(
        context,
        f"""
        select game_id, game_date, season, game_type, home_team_id, away_team_id, home_pts, away_pts, is_neutral_site
        from {fct_games}
        where game_type in ({game_types}) and game_date between '{start:%Y-%m-%d}' and '{end:%Y-%m-%d}'
        order by game_date, game_id
        """
    )
    if games.empty:
        return
    first_loaded = fetchdf(context, f"select min(season) as season from {fct_games} where game_type in ({game_types})").season[0]
    latest = fetchdf(context, latest_ratings_query(context.resolve_table("marts.elo_ratings"), f"{start:%Y-%m-%d}"))
    entries = entry_ratings(fetchdf(context, f"select team_id, first_season, elo_rating from {context.resolve_table('seeds.elo_entry_ratings')}"))
    chain = {int(team): (float(rating), str(season)) for team, rating, season in zip(latest.team_id, latest.elo_after, latest.season)}
    yield for_engine(context, pd.DataFrame(list(rate(games, parameters, entries, first_loaded, chain))))
