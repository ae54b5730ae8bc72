"""marts.power_forecasts: the power ratings' forecast of every played game, and the filter's checkpoints."""

from __future__ import annotations

import typing as t
from datetime import datetime
from functools import partial

import pandas as pd
from sqlglot import exp
from sqlmesh import ExecutionContext, model
from sqlmesh.core.model.kind import ModelKindName

from nba_warehouse.basketball.elo import EloParameters, entry_ratings
from nba_warehouse.basketball.power import FORECAST_COLUMN_DESCRIPTIONS, FORECAST_COLUMN_TYPES, FORECAST_COLUMNS, PowerParameters, games_query, latest_checkpoint, predict
from nba_warehouse.model_sql import fetchdf, for_engine
from nba_warehouse.nba import season_of


@model(
    "marts.power_forecasts",
    kind=dict(name=ModelKindName.INCREMENTAL_BY_TIME_RANGE, time_column="game_date", lookback=7),
    owner="analytics",
    grain=["game_id"],
    tags=["marts", "ratings", "predictions"],
    description=(
        "One row per played game: the warehouse's forecast made before its date by the power ratings' Kalman filter "
        "(nba_warehouse/basketball/power.py, the power_ratings variable), read by marts.played_game_predictions and marts.game_predictions. The filter "
        "is a chain over all of history: a season's first game also keeps the filter's state before that season "
        "opened, and each interval resumes from the latest such state before it, replaying at most the season "
        "before, never all of history."
    ),
    columns={
        "game_id": "text",
        "game_date": "date",
        "season": "text",
        **FORECAST_COLUMN_TYPES,
        "state_before_season": "text",
    },
    column_descriptions={
        **FORECAST_COLUMN_DESCRIPTIONS,
        "state_before_season": (
            "On a season's first game only: the filter's state before the season opened (JSON: season, day, teams, "
            "state vector, covariance), from which later runs resume"
        ),
    },
    depends_on=["core.fct_games", "staging.schedule", "seeds.elo_entry_ratings", "marts.power_forecasts"],
    audits=[
        ("unique_values", {"columns": [exp.column("game_id")]}),
        ("not_null", {"columns": [exp.column(c) for c in ("game_id", "game_date", "home_win_probability")]}),
        ("percentages_between_0_and_1", {"columns": [exp.column("home_win_probability")]}),
    ],
)
def execute(context: ExecutionContext, start: datetime, end: datetime, **kwargs: t.Any) -> t.Iterator[pd.DataFrame]:
    elo = EloParameters(**context.var("fivethirtyeight_elo"))
    power = PowerParameters(**context.var("power_ratings"))
    fct_games, schedule = context.resolve_table("core.fct_games"), context.resolve_table("staging.schedule")
    season, resume_from = latest_checkpoint(partial(fetchdf, context), context.resolve_table("marts.power_forecasts"), f"game_date < '{start:%Y-%m-%d}'")
    first_loaded = fetchdf(context, f"select min(season) as season from ({games_query(fct_games, schedule)}) as games").season[0]
    games = fetchdf(context, games_query(fct_games, schedule, f"season between '{season}' and '{season_of(end.date())}'"))
    if games.empty:
        return
    entries = entry_ratings(fetchdf(context, f"select team_id, first_season, elo_rating from {context.resolve_table('seeds.elo_entry_ratings')}"))
    forecast = predict(games, power, elo, entries, first_loaded, resume_from)
    dates = pd.to_datetime(games.game_date).dt.date
    wanted = games.home_pts.notna() & (dates >= start.date()) & (dates <= end.date())
    if wanted.any():
        states = forecast.state_before_season[wanted].map(lambda state: state and state.to_json())
        yield for_engine(context, pd.concat([games.loc[wanted, ["game_id", "game_date", "season"]], forecast.loc[wanted, FORECAST_COLUMNS], states], axis=1))
