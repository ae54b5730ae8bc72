"""marts.game_predictions: the Elo forecast of every scheduled or played game, and the result once known."""

from __future__ import annotations

import typing as t
from datetime import datetime

import numpy as np
import pandas as pd
from sqlglot import exp
from sqlmesh import ExecutionContext, model
from sqlmesh.core.model.kind import ModelKindName

from nba_warehouse.basketball.elo import EloParameters
from nba_warehouse.nba import RATED_GAME_TYPES



@model(
    "marts.game_predictions",
    kind=dict(name=ModelKindName.FULL),
    owner="analytics",
    grain=["game_id"],
    tags=["marts", "ratings", "predictions"],
    description=(
        "Every game of the schedule and every played game, with the home team's pre-game win probability and "
        "predicted margin from Elo. A played game uses the ratings it was played on; a game still to come uses "
        "each team's latest rating (regressed if it has not played yet this season), so upcoming forecasts move "
        "as results come in. Rebuilt in full each run."
    ),
    columns={
        "game_id": "text",
        "game_date": "date",
        "season": "text",
        "game_type": "text",
        "home_team_id": "bigint",
        "away_team_id": "bigint",
        "is_neutral_site": "boolean",
        "home_elo": "double",
        "away_elo": "double",
        "home_win_probability": "double",
        "predicted_home_margin": "double",
        "home_won": "boolean",
        "home_margin": "int",
    },
    column_descriptions={
        "home_team_id": "Home team; at a neutral site the designated home team (no home court applied)",
        "home_elo": "Home team's rating entering the game",
        "home_win_probability": "Pre-game probability that the home team wins",
        "predicted_home_margin": "Predicted home points minus away points",
        "home_won": "Null until the game is played",
        "home_margin": "Actual home margin; null until played",
    },
    depends_on=["marts.elo_ratings", "core.fct_games", "staging.schedule"],
    audits=[
        ("unique_values", {"columns": [exp.column("game_id")]}),
        ("not_null", {"columns": [exp.column(c) for c in ("game_id", "game_date", "home_team_id", "away_team_id", "home_win_probability")]}),
        ("percentages_between_0_and_1", {"columns": [exp.column("home_win_probability")]}),
    ],
)
def execute(context: ExecutionContext, start: datetime, end: datetime, **kwargs: t.Any) -> pd.DataFrame:
    parameters = EloParameters(**context.var("elo"))
    game_types = ", ".join(f"'{g}'" for g in RATED_GAME_TYPES)
    games = context.fetchdf(
        f"""
        with played as (
          select game_id, game_date, season, game_type, home_team_id, away_team_id, is_neutral_site,
                 home_pts > away_pts as home_won, home_pts - away_pts as home_margin
          from {context.resolve_table("core.fct_games")}
          where game_type in ({game_types})
        ), scheduled as (
          select game_id, game_date, season, game_type, home_team_id, away_team_id, is_neutral,
                 null::boolean, null::int
          from {context.resolve_table("staging.schedule")}
          where game_type in ({game_types}) and game_id not in (select game_id from played)
        ), games as (
          select * from played union all select * from scheduled
        ), ratings as (
          select game_id, team_id, game_date, season, elo_before, elo_after
          from {context.resolve_table("marts.elo_ratings")}
        )
        select games.*,
               coalesce(home_game.elo_before, home_latest.elo_after) as home_rating,
               coalesce(home_game.season, home_latest.season) as home_rating_season,
               coalesce(away_game.elo_before, away_latest.elo_after) as away_rating,
               coalesce(away_game.season, away_latest.season) as away_rating_season
        from games
        left join ratings as home_game on home_game.game_id = games.game_id and home_game.team_id = games.home_team_id
        left join ratings as away_game on away_game.game_id = games.game_id and away_game.team_id = games.away_team_id
        asof left join ratings as home_latest
          on home_latest.team_id = games.home_team_id and games.game_date > home_latest.game_date
        asof left join ratings as away_latest
          on away_latest.team_id = games.away_team_id and games.game_date > away_latest.game_date
        order by games.game_date, games.game_id
        """
    )
    home_elo = np.array([parameters.entering(*x) for x in zip(games.home_rating, games.home_rating_season, games.season)])
    away_elo = np.array([parameters.entering(*x) for x in zip(games.away_rating, games.away_rating_season, games.season)])
    edge = parameters.home_edge(home_elo, away_elo, games.is_neutral_site.astype(bool).to_numpy())
    return pd.DataFrame(
        {
            "game_id": games.game_id,
            "game_date": games.game_date,
            "season": games.season,
            "game_type": games.game_type,
            "home_team_id": games.home_team_id,
            "away_team_id": games.away_team_id,
            "is_neutral_site": games.is_neutral_site.astype(bool),
            "home_elo": home_elo,
            "away_elo": away_elo,
            "home_win_probability": parameters.win_probability(edge),
            "predicted_home_margin": parameters.predicted_margin(edge),
            "home_won": games.home_won,
            "home_margin": games.home_margin,
        }
    )

