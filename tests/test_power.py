"""Power ratings (nba_warehouse/basketball/power.py) against independent calculations: the Kalman filter over a
static state is Bayesian least squares, the schedule flags are counted by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from nba_warehouse.basketball.elo import EloParameters
from nba_warehouse.basketball.power import FORECAST_COLUMNS, FilterState, PowerParameters, PowerRatings, late_season_flags, predict, rest_edges
from nba_warehouse.project import project_variables

ELO = EloParameters(k=20, home_advantage=100, mean=1505, season_carryover=0.75, points_per_rating=28, new_team_rating=1300)
STATIC = PowerParameters(
    margin_sd=12, probability_sd=10, daily_variance=0, form_variance=0, form_persistence=0.9, season_carryover=0.8,
    season_variance=10, new_team_variance=25, home_court=3, home_court_variance=0, home_court_season_variance=0,
    team_home_court_variance=0, team_home_court_season_variance=0, team_home_court_carryover=1, late_season_variance=0,
    late_season_season_variance=0, back_to_back=1.5, max_margin=30, playoff_scale=1.2,
)  # fmt: skip


def _games(rows: list[tuple[str, int, int, int | None, int | None]], season: str = "2025-26") -> pd.DataFrame:
    return pd.DataFrame(
        [(f"{k:04d}", day, season, "Regular Season", home, away, False, hp, ap) for k, (day, home, away, hp, ap) in enumerate(rows)],
        columns=["game_id", "game_date", "season", "game_type", "home_team_id", "away_team_id", "is_neutral_site", "home_pts", "away_pts"],
    )


def test_a_static_filter_ends_where_bayesian_least_squares_does():
    """No drift and no form: after every game the filter's strengths equal the posterior mean of the linear model
    margin = strength(host) - strength(visitor) + 3 with prior N(0, 25) per team and noise sd 12, solved at once."""
    rng = np.random.default_rng(1)
    pairs = [tuple(rng.choice(4, 2, replace=False)) for _ in range(30)]
    margins = rng.integers(-25, 26, len(pairs))
    ratings = PowerRatings(STATIC, ELO, {}, "2025-26")
    ratings.advance("2025-26", 1, lambda: range(4))
    for (home, away), margin in zip(pairs, margins):
        ratings.update(int(home), int(away), False, (0.0, 0.0), 0.0, int(margin))
    design = np.zeros((len(pairs), 4))
    design[np.arange(len(pairs)), [h for h, _ in pairs]] = 1
    design[np.arange(len(pairs)), [a for _, a in pairs]] = -1
    posterior = np.linalg.solve(np.eye(4) / 25 + design.T @ design / 144, design.T @ (margins - 3.0) / 144)
    assert np.allclose([ratings.strength(t) for t in range(4)], posterior)


def test_form_fades_by_its_persistence_each_day():
    """A team's form after a win is its share of the surprise; with no games it decays by form_persistence a day."""
    parameters = replace(STATIC, form_variance=0.5, form_persistence=0.9)
    ratings = PowerRatings(parameters, ELO, {}, "2025-26")
    ratings.advance("2025-26", 1, lambda: [1, 2])
    ratings.update(1, 2, True, (0.0, 0.0), 0.0, 20)
    n = 2
    form = ratings.x[2 * n + 0]
    assert form == 0  # no day has passed: form has no variance yet, the surprise went to the strengths
    ratings.advance("2025-26", 11, lambda: [1, 2])
    ratings.update(1, 2, True, (0.0, 0.0), 0.0, 20)
    form = ratings.x[2 * n + 0]
    assert form > 0
    ratings.advance("2025-26", 21, lambda: [1, 2])
    assert np.isclose(ratings.x[2 * n + 0], form * 0.9**10)


def test_back_to_backs_are_the_second_of_consecutive_days():
    games = _games([("2025-11-01", 1, 2, 100, 90), ("2025-11-02", 3, 1, 100, 90), ("2025-11-03", 3, 2, 100, 90),
                    ("2025-11-03", 4, 5, 100, 90), ("2025-11-04", 4, 5, None, None)])  # fmt: skip
    games["day"] = pd.to_datetime(games.game_date).map(pd.Timestamp.toordinal)
    # 11-02: the visitor (1) played the day before; 11-03: the host (3) did; 11-04: both did
    assert rest_edges(games).tolist() == [0, 1, -1, 0, 0]


def test_late_season_flags_count_the_last_games_by_the_record_so_far():
    """Teams 1 and 2 play 14 times (1 wins all): from game 3 on each has 12 or fewer games left; team 1 (1.000) is
    flagged best and team 2 (.000) losing, each counted for the host and against the visitor."""
    rows = [(f"2025-11-{d + 1:02d}", 1 if d % 2 == 0 else 2, 2 if d % 2 == 0 else 1, None, None) for d in range(14)]
    rows = [(day, home, away, 100 if home == 1 else 90, 90 if home == 1 else 100) for day, home, away, _, _ in rows]
    flags = late_season_flags(_games(rows))
    assert flags[:2].tolist() == [[0, 0], [0, 0]]  # 14 and 13 games left
    for k in range(2, 14):
        host_is_one = k % 2 == 0
        assert flags[k].tolist() == ([-1, 1] if host_is_one else [1, -1])


def test_upcoming_games_are_predicted_from_the_latest_ratings_without_updating_them():
    played = [("2025-11-01", 1, 2, 110, 90)]
    upcoming = _games(played + [("2025-11-05", 1, 2, None, None), ("2025-11-06", 2, 1, None, None)])
    forecast = predict(upcoming, STATIC, ELO, {})
    assert forecast.home_power.iloc[1] == forecast.home_power.iloc[2] * -1 == forecast.away_power.iloc[2]
    assert forecast.home_win_probability.iloc[1] > 0.5 > forecast.home_win_probability.iloc[2]


def test_resuming_from_a_season_checkpoint_continues_exactly_as_the_walk_from_the_first_season():
    """marts.power_forecasts resumes from the state stored (as JSON) on a season's first game: with the project's
    parameters (drift, form, home courts, late-season effects, back-to-backs) and a new team in the last season,
    every forecast of the resumed walk equals the one walked from the first season, to the last bit."""
    rng = np.random.default_rng(7)
    rows = []
    for year, teams in ((2023, range(6)), (2024, range(6)), (2025, range(7))):
        days = np.sort(rng.choice(np.arange(60), 50)) + date(year, 10, 20).toordinal()
        for k, day in enumerate(days):
            home, away = (int(t) for t in rng.choice(list(teams), 2, replace=False))
            played = year < 2025 or k < 30
            points = (int(rng.integers(85, 130)), int(rng.integers(85, 130))) if played else (None, None)
            rows.append((f"{year}{k:04d}", date.fromordinal(int(day)), f"{year}-{(year + 1) % 100:02d}", "Regular Season", home, away, False, *points))
    games = pd.DataFrame(rows, columns=["game_id", "game_date", "season", "game_type", "home_team_id", "away_team_id", "is_neutral_site", "home_pts", "away_pts"])
    parameters = PowerParameters(**project_variables()["power_ratings"])

    walked = predict(games, parameters, ELO, {}, "2023-24")
    opener = games.index[games.season == "2025-26"][0]
    assert walked.state_before_season.notna().sum() == 3, "one checkpoint per season"
    later = games.season >= "2025-26"
    stored = walked.state_before_season[opener].to_json()
    resumed = predict(games[later], parameters, ELO, {}, "2023-24", FilterState.from_json(stored))

    forecasts = list(FORECAST_COLUMNS)
    pd.testing.assert_frame_equal(resumed[forecasts], walked.loc[later, forecasts], check_exact=True)
    assert resumed.state_before_season[opener].to_json() == stored
