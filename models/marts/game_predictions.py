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

from nba_warehouse.basketball.elo import EloParameters, entry_ratings, latest_ratings_query
from nba_warehouse.basketball.power import FORECAST_COLUMN_DESCRIPTIONS, FORECAST_COLUMN_TYPES, FORECAST_COLUMNS, PowerParameters, games_query, latest_checkpoint, predict
from nba_warehouse.model_sql import fetchdf, for_engine

COLUMNS = {
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
}


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
        "A played game keeps the forecast made before its date, as marts.played_game_predictions (incremental) holds "
        "it; a game still to come uses the latest ratings, so upcoming forecasts move as results come in: each run "
        "resumes the filter from its state before the season of the first game still to come."
    ),
    columns=COLUMNS,
    column_descriptions={
        "home_team_id": "Home team; at a neutral site the designated home team (no home court applied)",
        **FORECAST_COLUMN_DESCRIPTIONS,
        "home_elo": "Home team's FiveThirtyEight-configured Elo entering the game",
        "elo_home_win_probability": "FiveThirtyEight-configured Elo's pre-game probability that the home team wins",
        "home_won": "Null until the game is played",
        "home_margin": "Actual home margin; null until played",
    },
    depends_on=["marts.played_game_predictions", "marts.elo_ratings", "marts.power_forecasts", "core.fct_games", "staging.schedule", "seeds.elo_entry_ratings"],
    audits=[
        ("unique_values", {"columns": [exp.column("game_id")]}),
        ("not_null", {"columns": [exp.column(c) for c in ("game_id", "game_date", "home_team_id", "away_team_id", "home_win_probability", "elo_home_win_probability")]}),
        ("percentages_between_0_and_1", {"columns": [exp.column("home_win_probability"), exp.column("elo_home_win_probability")]}),
    ],
)
def execute(context: ExecutionContext, start: datetime, end: datetime, **kwargs: t.Any) -> pd.DataFrame:
    played = fetchdf(context, f"select {', '.join(COLUMNS)} from {context.resolve_table('marts.played_game_predictions')} order by game_date, game_id")
    to_come = _games_to_come(context)
    return for_engine(context, pd.concat([played, to_come], ignore_index=True) if len(to_come) else played)


def _games_to_come(context: ExecutionContext) -> pd.DataFrame:
    """The games still to come, forecast from the latest ratings: the filter resumed from its state before the season
    of the first of them, replaying only the played games since; each team's latest Elo carried into the game's
    season. Empty when every scheduled game is played."""
    elo = EloParameters(**context.var("fivethirtyeight_elo"))
    power = PowerParameters(**context.var("power_ratings"))
    fct_games, schedule = context.resolve_table("core.fct_games"), context.resolve_table("staging.schedule")
    forecasts, ratings = context.resolve_table("marts.power_forecasts"), context.resolve_table("marts.elo_ratings")
    seasons = fetchdf(
        context,
        f"""
        select min(season) as first_loaded, min(season) filter (where home_pts is null) as first_to_come
        from ({games_query(fct_games, schedule)}) as games
        """,
    )
    first_loaded, first_to_come = seasons.first_loaded[0], seasons.first_to_come[0]
    if pd.isna(first_to_come):
        return pd.DataFrame()
    season, resume_from = latest_checkpoint(partial(fetchdf, context), forecasts, f"season <= '{first_to_come}'")
    games = fetchdf(context, games_query(fct_games, schedule, f"season >= '{season or first_loaded}'"))
    entries = entry_ratings(fetchdf(context, f"select team_id, first_season, elo_rating from {context.resolve_table('seeds.elo_entry_ratings')}"))
    forecast = predict(games, power, elo, entries, first_loaded, resume_from)
    to_come = games.home_pts.isna()
    games, forecast = games[to_come], forecast[to_come]
    latest = _latest_elo(games, fetchdf(context, _ratings_query(ratings, pd.Timestamp(games.game_date.min()).date().isoformat())))
    home_elo, away_elo = (
        np.array([
            elo.entering(rating, rating_season, game_season, elo.opening(game_season, first_loaded, entries.get((team, int(game_season[:4])))))
            for team, rating, rating_season, game_season in zip(games[f"{side}_team_id"], latest[f"{side}_elo"], latest[f"{side}_elo_season"], games.season)
        ])
        for side in ("home", "away")
    )  # fmt: skip
    return pd.DataFrame(
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
            "home_won": pd.Series(pd.NA, index=games.index, dtype="boolean"),
            "home_margin": pd.Series(pd.NA, index=games.index, dtype="Int32"),
        }
    )


def _ratings_query(ratings: str, first_day: str) -> str:
    """Every Elo rating from ``first_day`` on, and each team's latest before it: all a game to come can take."""
    return f"""
        select team_id, game_date, season, elo_after from {ratings} where game_date >= '{first_day}'
        union all
        ({latest_ratings_query(ratings, first_day)})
        order by game_date
        """


def _latest_elo(games: pd.DataFrame, ratings: pd.DataFrame) -> pd.DataFrame:
    """Per game to come and side, the team's latest Elo rating before the game's date and that rating's season."""
    latest = pd.DataFrame(index=games.index)
    for side in ("home", "away"):
        sides = games[["game_date", f"{side}_team_id"]].rename(columns={f"{side}_team_id": "team_id"}).reset_index()
        found = pd.merge_asof(sides, ratings, on="game_date", by="team_id", allow_exact_matches=False).set_index("index")
        latest[f"{side}_elo"], latest[f"{side}_elo_season"] = found.elo_after, found.season
    return latest
