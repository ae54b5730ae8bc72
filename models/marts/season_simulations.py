"""marts.season_simulations: each team's projected wins, seeds and playoff odds from every date of a season."""

from __future__ import annotations

import typing as t
from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlglot import exp
from sqlmesh import ExecutionContext, model
from sqlmesh.core.model.kind import ModelKindName

from nba_warehouse.basketball.elo import EloParameters
from nba_warehouse.basketball.simulation import ROUNDS, Season, simulate
from nba_warehouse.basketball.eras import BUBBLE_RESTART, era
from nba_warehouse.basketball.tiebreakers import alignment
from nba_warehouse.nba import REGULAR_SEASON

GRAIN = ["season", "as_of_date", "team_id"]
SIMULATION_DATES = ("every", "checkpoints")  # every played date, or only marts.season_checkpoints' dates
SEEDS = list(range(1, 16))

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
    parameters = EloParameters(**context.var("fivethirtyeight_elo"))
    settings = context.var("season_simulations")
    if not int(settings["runs"]):
        return  # simulations turned off: a quick first build of all history
    if settings["dates"] not in SIMULATION_DATES:
        raise ValueError(f"season_simulations dates (NBA_WAREHOUSE_SIMULATION_DATES): expected one of {', '.join(SIMULATION_DATES)}, got {settings['dates']!r}")
    checkpoints = (
        set(pd.to_datetime(context.fetchdf(f"select as_of_date from {context.resolve_table('marts.season_checkpoints')}").as_of_date).dt.date)
        if settings["dates"] == "checkpoints"
        else None
    )
    games_table, schedule = context.resolve_table("core.fct_games"), context.resolve_table("staging.schedule")
    seasons = f"""
        select distinct season from {games_table}
        where game_type = '{REGULAR_SEASON}' and game_date between '{start:%Y-%m-%d}' and '{end:%Y-%m-%d}'
    """
    games = context.fetchdf(
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
    ratings = context.fetchdf(
        f"select team_id, game_id, game_date, season, elo_after from {context.resolve_table('marts.elo_ratings')} "
        f"where game_date <= '{end:%Y-%m-%d}' order by team_id, game_date, game_id"
    )
    divisions = context.fetchdf(
        f"select team_id, conference, division, first_season, last_season from {context.resolve_table('seeds.team_divisions')}"
    )
    games["game_date"] = pd.to_datetime(games.game_date).dt.date
    ratings["game_date"] = pd.to_datetime(ratings.game_date).dt.date
    frames = []
    for season, season_games in games.groupby("season", sort=True):
        start_year = int(season[:4])
        aligned = alignment(divisions, start_year)
        if not era(start_year).has_conferences or aligned.empty or not set(season_games.home_team_id) | set(season_games.away_team_id) <= set(aligned.index):
            continue
        played_dates = sorted(set(season_games.game_date[season_games.home_pts.notna()]))
        for as_of in (d for d in played_dates if start.date() <= d <= end.date() and (checkpoints is None or d in checkpoints)):
            season_state = _season_as_of(season, start_year, season_games, aligned, ratings, parameters, as_of)
            outcome = simulate(season_state, parameters, int(settings["runs"]), int(settings["seed"]) + as_of.toordinal())
            frames.append(_summary(season, as_of, season_state, outcome))
    if frames:
        yield pd.concat(frames, ignore_index=True)[list(COLUMNS)]


def _season_as_of(
    season: str,
    start_year: int,
    games: pd.DataFrame,
    aligned: pd.DataFrame,
    ratings: pd.DataFrame,
    parameters: EloParameters,
    as_of: date,
) -> Season:
    """The season as it stood after the games of ``as_of``; later games are still to play, whatever
    happened in them since."""
    team_ids = np.array(sorted(aligned.index))
    index = {team_id: i for i, team_id in enumerate(team_ids)}
    played = games[(games.game_date <= as_of) & games.home_pts.notna()]
    remaining = games[games.game_date > as_of]
    latest = ratings[ratings.game_date <= as_of].groupby("team_id").last()
    rules = era(start_year)
    bubble = games[games.game_date >= date.fromisoformat(BUBBLE_RESTART)]
    invited = frozenset(np.concatenate([bubble.home_team_id.map(index), bubble.away_team_id.map(index)])) if rules.bubble and as_of >= date.fromisoformat(BUBBLE_RESTART) else None
    team_ratings = np.array(
        [
            parameters.entering(*(latest.loc[x, ["elo_after", "season"]] if x in latest.index else (None, None)), season)
            for x in team_ids
        ]
    )
    return Season(
        team_ids=team_ids,
        conference=aligned.loc[team_ids, "conference"].to_numpy(dtype=object),
        division=aligned.loc[team_ids, "division"].to_numpy(dtype=object),
        ratings=team_ratings,
        played_home=played.home_team_id.map(index).to_numpy(dtype=np.int64),
        played_away=played.away_team_id.map(index).to_numpy(dtype=np.int64),
        played_home_pts=played.home_pts.to_numpy(dtype=float),
        played_away_pts=played.away_pts.to_numpy(dtype=float),
        remaining_home=remaining.home_team_id.map(index).to_numpy(dtype=np.int64),
        remaining_away=remaining.away_team_id.map(index).to_numpy(dtype=np.int64),
        remaining_neutral=remaining.is_neutral_site.fillna(False).to_numpy(dtype=bool),
        era=rules,
        invited=invited,
    )


def _summary(season: str, as_of: date, state: Season, outcome: t.Any) -> pd.DataFrame:
    n = len(state.team_ids)
    current_wins = np.bincount(
        np.where(state.played_home_pts > state.played_away_pts, state.played_home, state.played_away), minlength=n
    )
    played = np.bincount(np.concatenate([state.played_home, state.played_away]), minlength=n)
    left = np.bincount(np.concatenate([state.remaining_home, state.remaining_away]), minlength=n)
    p05, p95 = np.percentile(outcome.wins, [5, 95], axis=0)
    return pd.DataFrame(
        {
            "season": season,
            "as_of_date": as_of,
            "team_id": state.team_ids,
            "conference": state.conference,
            "wins": current_wins,
            "losses": played - current_wins,
            "games_left": left,
            "projected_wins_mean": outcome.wins.mean(axis=0),
            "projected_wins_p05": p05,
            "projected_wins_p95": p95,
            **{f"seed_{k}_probability": (outcome.seeds == k).mean(axis=0) for k in SEEDS},
            "play_in_probability": outcome.play_in.mean(axis=0),
            **{f"{name}_probability": outcome.reached[name].mean(axis=0) for name in ROUNDS},
            "simulations": len(outcome.wins),
        }
    )
