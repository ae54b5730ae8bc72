"""marts.season_simulations: each team's projected wins, seeds and playoff odds from every date of a season."""

from __future__ import annotations

import typing as t
from datetime import datetime

import numpy as np
import pandas as pd
from sqlglot import exp
from sqlmesh import ExecutionContext, model
from sqlmesh.core.model.kind import ModelKindName

from nba_warehouse.basketball.eras import era
from nba_warehouse.basketball.simulation import ROUNDS, SEEDS, odds_by_day
from nba_warehouse.basketball.tiebreakers import alignment
from nba_warehouse.cores import starmap
from nba_warehouse.model_sql import fetchdf, for_engine
from nba_warehouse.nba import REGULAR_SEASON

GRAIN = ["season", "as_of_date", "team_id"]
SIMULATION_DATES = ("every", "checkpoints")  # every played date, or only marts.season_checkpoints' dates

COLUMNS = {
    "season": "text",
    "as_of_date": "date",
    "team_id": "bigint",
    "conference": "text",
    "wins": "int",
    "losses": "int",
    "games_left": "int",
    "projected_wins_mean": "double",
    "projected_wins_p05": "double",
    "projected_wins_p95": "double",
    **{f"seed_{k}_probability": "double" for k in SEEDS},
    "play_in_probability": "double",
    **{f"{name}_probability": "double" for name in ROUNDS},
    "simulations": "int",
}
PROBABILITIES = [c for c in COLUMNS if c.endswith("_probability")]
DAYS_WORTH_SPREADING = 100  # dates to simulate before worker processes pay for their start (about a second)
DAYS_PER_TASK = 16  # dates sent to a worker at once: few round trips, still an even share at the end


@model(
    "marts.season_simulations",
    kind=dict(name=ModelKindName.INCREMENTAL_BY_TIME_RANGE, time_column="as_of_date", lookback=7),
    owner="analytics",
    grain=GRAIN,
    tags=["marts", "ratings", "simulations"],
    description=(
        "From each regular-season game date: a seeded Monte Carlo of the rest of the regular season (every game "
        "still to come after that date, won with the Elo probability of the ratings on that date), seeding by the "
        "official tiebreakers and the era's seeding rules, then the era's play-in and playoff bracket with its series "
        "lengths (nba_warehouse/basketball/eras.py). One row per team and date, so each team's odds over the season "
        "are kept. Runs, random seed and dates (every played date, or only marts.season_checkpoints): the season_simulations variable in config.yaml (0 runs: no simulations). Seasons before conferences "
        "(1946-47 to 1969-70) and seasons without an alignment in the seed are skipped."
    ),
    columns=COLUMNS,
    column_descriptions={
        "wins": "Wins through the as-of date",
        "games_left": "Regular-season games after the as-of date in the schedule",
        "projected_wins_mean": "Mean final wins over the simulations",
        "projected_wins_p05": "5th percentile of final wins",
        "projected_wins_p95": "95th percentile of final wins",
        "seed_1_probability": "Share of simulations finishing first in the conference (seed_2 ... seed_15 likewise)",
        "play_in_probability": "Share of simulations playing a play-in game (7th to 10th from 2020-21; 8th and 9th within four games in 2019-20)",
        "playoffs_probability": "Share reaching the playoffs proper (directly, or through the play-in)",
        "second_round_probability": "Share reaching the conference semifinals (winning a first-round series, or a bye into them)",
        "conference_finals_probability": "Share reaching the conference finals",
        "finals_probability": "Share reaching the NBA Finals",
        "title_probability": "Share winning the title",
        "simulations": "Simulations behind each probability",
    },
    depends_on=["core.fct_games", "staging.schedule", "marts.elo_ratings", "seeds.team_divisions", "marts.season_checkpoints"],
    audits=[
        ("unique_combination_of_columns", {"columns": [exp.column(c) for c in GRAIN]}),
        ("not_null", {"columns": [exp.column(c) for c in [*GRAIN, "projected_wins_mean", *PROBABILITIES]]}),
        ("percentages_between_0_and_1", {"columns": [exp.column(c) for c in PROBABILITIES]}),
        ("simulated_probabilities_add_up", {}),
    ],
)
def execute(context: ExecutionContext, start: datetime, end: datetime, **kwargs: t.Any) -> t.Iterator[pd.DataFrame]:
    parameters = dict(context.var("fivethirtyeight_elo"))
    settings = context.var("season_simulations")
    if not int(settings["runs"]):
        return  # simulations turned off: a quick first build of all history
    if settings["dates"] not in SIMULATION_DATES:
        raise ValueError(f"season_simulations dates (NBA_WAREHOUSE_SIMULATION_DATES): expected one of {', '.join(SIMULATION_DATES)}, got {settings['dates']!r}")
    checkpoints = (
        set(pd.to_datetime(fetchdf(context, f"select as_of_date from {context.resolve_table('marts.season_checkpoints')}").as_of_date).dt.date)
        if settings["dates"] == "checkpoints"
        else None
    )
    games_table, schedule = context.resolve_table("core.fct_games"), context.resolve_table("staging.schedule")
    seasons = f"""
        select distinct season from {games_table}
        where game_type = '{REGULAR_SEASON}' and game_date between '{start:%Y-%m-%d}' and '{end:%Y-%m-%d}'
    """
    games = fetchdf(
        context,
        f"""
        select game_id, season, game_date, home_team_id, away_team_id, is_neutral_site, home_pts, away_pts
        from {games_table} where game_type = '{REGULAR_SEASON}' and season in ({seasons})
        union all
        select game_id, season, game_date, home_team_id, away_team_id, is_neutral, null, null
        from {schedule}
        where game_type = '{REGULAR_SEASON}' and season in ({seasons})
          and game_id not in (select game_id from {games_table})
        order by game_date, game_id
        """
    )
    ratings = fetchdf(
        context,
        f"select team_id, game_id, game_date, season, elo_after from {context.resolve_table('marts.elo_ratings')} "
        f"where game_date <= '{end:%Y-%m-%d}' order by team_id, game_date, game_id"
    )
    divisions = fetchdf(
        context,
        f"select team_id, conference, division, first_season, last_season from {context.resolve_table('seeds.team_divisions')}"
    )
    games["game_date"] = pd.to_datetime(games.game_date).dt.date
    ratings["game_date"] = pd.to_datetime(ratings.game_date).dt.date
    runs, seed = int(settings["runs"]), int(settings["seed"])
    work = []
    for season, season_games in games.groupby("season", sort=True):
        start_year = int(season[:4])
        aligned = alignment(divisions, start_year)
        if not era(start_year).has_conferences or aligned.empty or not set(season_games.home_team_id) | set(season_games.away_team_id) <= set(aligned.index):
            continue
        played_dates = sorted(set(season_games.game_date[season_games.home_pts.notna()]))
        days = [d.toordinal() for d in played_dates if start.date() <= d <= end.date() and (checkpoints is None or d in checkpoints)]
        schedule = _schedule(season, start_year, season_games, aligned, ratings)
        work += [(schedule, parameters, runs, seed, days[k : k + DAYS_PER_TASK]) for k in range(0, len(days), DAYS_PER_TASK)]
    with starmap(odds_by_day, "nba_warehouse.basketball.simulation", sum(len(days) for *_, days in work) >= DAYS_WORTH_SPREADING) as simulate_all:
        frames = [pd.DataFrame(odds) for task in simulate_all(work) for odds in task]
    if frames:
        yield for_engine(context, pd.concat(frames, ignore_index=True)[list(COLUMNS)])


def _schedule(season: str, start_year: int, games: pd.DataFrame, aligned: pd.DataFrame, ratings: pd.DataFrame) -> dict[str, t.Any]:
    """The season's games, alignment and its teams' ratings as plain arrays, as ``odds_by_day`` takes them (plain, so
    they can be sent to a worker process)."""
    team_ids = np.array(sorted(aligned.index))
    rated = ratings[ratings.team_id.isin(team_ids)]
    return dict(
        season=season,
        start_year=start_year,
        team_ids=team_ids,
        conference=aligned.loc[team_ids, "conference"].to_numpy(dtype=object),
        division=aligned.loc[team_ids, "division"].to_numpy(dtype=object),
        home=np.searchsorted(team_ids, games.home_team_id.to_numpy()),
        away=np.searchsorted(team_ids, games.away_team_id.to_numpy()),
        home_pts=games.home_pts.to_numpy(dtype=float),
        away_pts=games.away_pts.to_numpy(dtype=float),
        day=np.array([d.toordinal() for d in games.game_date]),
        neutral=games.is_neutral_site.fillna(False).to_numpy(dtype=bool),
        rated_team=np.searchsorted(team_ids, rated.team_id.to_numpy()),
        rated_day=np.array([d.toordinal() for d in rated.game_date], dtype=np.int64),
        rating=rated.elo_after.to_numpy(dtype=float),
        rating_season=rated.season.to_numpy(dtype=object),
    )
