"""marts.game_predictions: the forecast of every scheduled or played game, and the result once known."""

from __future__ import annotations

import typing as t
from datetime import datetime
from functools import partial

import numpy as np
import pandas as pd
from sqlglot import exp
from sqlmesh import ExecutionContext, model
from sqlmesh.core.model.kind import ModelKindName

from nba_warehouse.basketball.elo import EloParameters, entry_ratings
from nba_warehouse.basketball.power import FORECAST_COLUMN_DESCRIPTIONS, FORECAST_COLUMN_TYPES, FORECAST_COLUMNS, PowerParameters, games_query, latest_checkpoint, predict
from nba_warehouse.model_sql import fetchdf, for_engine


@model(
    "marts.game_predictions",
    kind=dict(name=ModelKindName.FULL),
    owner="analytics",
    grain=["game_id"],
    tags=["marts", "ratings", "predictions"],
    description=(
        "Every game of the schedule and every played game with the warehouse's forecast: power ratings, a Kalman "
        "filter over game margins with each team's home court and back-to-backs (nba_warehouse/basketball/power.py, "
        "the power_ratings variable), and beside it FiveThirtyEight's Elo as configured by them (marts.elo_ratings). "
        "A played game keeps the forecast made before its date (marts.power_forecasts); a game still to come uses the "
        "latest ratings, so upcoming forecasts move as results come in: each run resumes the filter from its state "
        "before the season of the first game still to come."
    ),
    columns={
        "game_id": "text",
        "game_date": "date",
        "season": "text",
        "game_type": "text",
        "home_team_id": "bigint",
        "away_team_id": "bigint",
        "is_neutral_site": "boolean",
        **FORECAST_COLUMN_TYPES,
        "home_elo": "double",
        "away_elo": "double",
        "elo_home_win_probability": "double",
        "home_won": "boolean",
        "home_margin": "int",
    },
    column_descriptions={
        "home_team_id": "Home team; at a neutral site the designated home team (no home court applied)",
        **FORECAST_COLUMN_DESCRIPTIONS,
        "home_elo": "Home team's FiveThirtyEight-configured Elo entering the game",
        "elo_home_win_probability": "FiveThirtyEight-configured Elo's pre-game probability that the home team wins",
        "home_won": "Null until the game is played",
        "home_margin": "Actual home margin; null until played",
    },
    depends_on=["marts.elo_ratings", "marts.power_forecasts", "core.fct_games", "staging.schedule", "seeds.elo_entry_ratings"],
    audits=[
        ("unique_values", {"columns": [exp.column("game_id")]}),
        ("not_null", {"columns": [exp.column(c) for c in ("game_id", "game_date", "home_team_id", "away_team_id", "home_win_probability", "elo_home_win_probability")]}),
        ("percentages_between_0_and_1", {"columns": [exp.column("home_win_probability"), exp.column("elo_home_win_probability")]}),
    ],
)
def execute(context: ExecutionContext, start: datetime, end: datetime, **kwargs: t.Any) -> pd.DataFrame:
    elo = EloParameters(**context.var("fivethirtyeight_elo"))
    power = PowerParameters(**context.var("power_ratings"))
    fct_games, schedule = context.resolve_table("core.fct_games"), context.resolve_table("staging.schedule")
    forecasts = context.resolve_table("marts.power_forecasts")
    ratings = context.resolve_table("marts.elo_ratings")
    games = fetchdf(
        context,
        f"""
        with games as ({games_query(fct_games, schedule)})
        select games.*,
               home_game.elo_before as home_rating, home_game.season as home_rating_season,
               away_game.elo_before as away_rating, away_game.season as away_rating_season
        from games
        left join {ratings} as home_game on home_game.game_id = games.game_id and home_game.team_id = games.home_team_id
        left join {ratings} as away_game on away_game.game_id = games.game_id and away_game.team_id = games.away_team_id
        order by games.game_date, games.game_id
        """,
    )
    _rate_games_to_come(games, fetchdf(context, f"select team_id, game_date, season, elo_after from {ratings} order by game_date"))
    entries = entry_ratings(fetchdf(context, f"select team_id, first_season, elo_rating from {context.resolve_table('seeds.elo_entry_ratings')}"))
    first_loaded = games.season.min() if len(games) else ""
    forecast = _forecast(context, games, forecasts, power, elo, entries, first_loaded)
    played = games.home_pts.notna()
    home_elo, away_elo = (
        np.array([
            rating if is_played else elo.entering(rating, rating_season, season, elo.opening(season, first_loaded, entries.get((team, int(season[:4])))))
            for is_played, team, rating, rating_season, season in zip(played, games[f"{side}_team_id"], games[f"{side}_rating"], games[f"{side}_rating_season"], games.season)
        ])
        for side in ("home", "away")
    )  # fmt: skip
    predictions = pd.DataFrame(
        {
            "game_id": games.game_id,
            "game_date": games.game_date,
            "season": games.season,
            "game_type": games.game_type,
            "home_team_id": games.home_team_id,
            "away_team_id": games.away_team_id,
            "is_neutral_site": games.is_neutral_site.astype(bool),
            **{c: forecast[c].to_numpy() for c in FORECAST_COLUMNS if c != "rest_edge"},
            "rest_edge": forecast.rest_edge.astype(int).to_numpy(),
            "home_elo": home_elo,
            "away_elo": away_elo,
            "elo_home_win_probability": elo.win_probability(elo.home_edge(home_elo, away_elo, games.is_neutral_site.astype(bool).to_numpy())),
            "home_won": (games.home_pts > games.away_pts).where(played),
            "home_margin": (games.home_pts - games.away_pts).where(played),
        }
    )
    return for_engine(context, predictions)


def _rate_games_to_come(games: pd.DataFrame, ratings: pd.DataFrame) -> None:
    """A game without an Elo rating of its own (one to come) takes each team's latest rating before its date."""
    for side in ("home", "away"):
        sides = games[["game_date", f"{side}_team_id"]].rename(columns={f"{side}_team_id": "team_id"}).reset_index()
        latest = pd.merge_asof(sides, ratings, on="game_date", by="team_id", allow_exact_matches=False).set_index("index")
        games[f"{side}_rating"] = games[f"{side}_rating"].fillna(latest.elo_after)
        games[f"{side}_rating_season"] = games[f"{side}_rating_season"].fillna(latest.season)


def _forecast(
    context: ExecutionContext,
    games: pd.DataFrame,
    forecasts: str,
    power: PowerParameters,
    elo: EloParameters,
    entries: dict[tuple[int, int], float],
    first_loaded: str,
) -> pd.DataFrame:
    """Per game, in ``games``' order: a played game's forecast as marts.power_forecasts made it; for games still to
    come, the filter resumed from its latest state before the season of the first of them, replaying only the
    played games since."""
    stored = fetchdf(context, f"select game_id, {', '.join(FORECAST_COLUMNS)} from {forecasts}").set_index("game_id")
    forecast = stored.reindex(games.game_id).set_axis(games.index)
    to_come = games.home_pts.isna()
    if to_come.any():
        season, resume_from = latest_checkpoint(partial(fetchdf, context), forecasts, f"season <= '{games.season[to_come].min()}'")
        replayed = predict(games[games.season >= season], power, elo, entries, first_loaded, resume_from)
        forecast.loc[to_come, FORECAST_COLUMNS] = replayed.loc[to_come[to_come].index, FORECAST_COLUMNS]
    return forecast
