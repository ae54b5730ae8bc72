"""The synthetic league is deterministic and obeys basketball arithmetic."""

from __future__ import annotations

import csv
import gzip
import json
from datetime import date

import pandas as pd
import pytest

from conftest import REPO
from nba_warehouse.offline.synth import write_league


def _frame(league, name):
    body = json.loads(gzip.open(league / f"{name}.json.gz").read())["resultSets"][0]
    return pd.DataFrame(body["rowSet"], columns=body["headers"])


@pytest.fixture(scope="module")
def season(league):
    return _frame(league, "leaguegamelog_team_2024-25_regular"), _frame(league, "playergamelogs_2024-25_regular")


def test_same_seed_same_bytes(tmp_path):
    for name in ("a", "b"):
        write_league(tmp_path / name, seasons=1, last_season="2020-21", seed=11)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    write_league(tmp_path / "c", seasons=1, last_season="2020-21", seed=12)
    assert (tmp_path / "c" / "leaguegamelog_team_2020-21_regular.json.gz").read_bytes() != (
        tmp_path / "a" / "leaguegamelog_team_2020-21_regular.json.gz"
    ).read_bytes()


def test_schedule_is_realistic(season):
    teams, _ = season
    games = teams.groupby("TEAM_ID")
    assert set(games.size()) == {82}
    assert set(teams[teams.MATCHUP.str.contains(" vs. ")].groupby("TEAM_ID").size()) == {41}
    assert teams.groupby(["TEAM_ID", "GAME_DATE"]).size().max() == 1
    assert teams.TEAM_ID.nunique() == 30


def test_box_scores_obey_basketball_arithmetic(season):
    teams, players = season
    for frame in (teams, players):
        assert (frame.PTS == 2 * frame.FGM + frame.FG3M + frame.FTM).all()
        assert (frame.FGM <= frame.FGA).all() and (frame.FG3M <= frame.FG3A).all() and (frame.FTM <= frame.FTA).all()
        assert (frame.FG3M <= frame.FGM).all() and (frame.REB == frame.OREB + frame.DREB).all()
    per_game = teams.groupby("GAME_ID").agg(teams=("TEAM_ID", "size"), winners=("WL", lambda s: (s == "W").sum()))
    assert (per_game.teams == 2).all() and (per_game.winners == 1).all()
    overtime = ((teams.MIN - 240) / 25).round()
    assert ((teams.MIN - 240) % 25 == 0).all() and overtime.max() >= 1
    totals = ["PTS", "FGM", "FGA", "FG3M", "FG3A", "FTM", "FTA", "OREB", "DREB", "AST", "STL", "BLK", "TOV", "PF", "MIN"]
    summed = players.groupby(["GAME_ID", "TEAM_ID"])[totals].sum().sort_index()
    team_rows = teams.set_index(["GAME_ID", "TEAM_ID"])[totals].sort_index()
    assert (summed.values == team_rows.values).all(), "player rows sum to the team row, minutes included"
    plus_minus = players.groupby(["GAME_ID", "TEAM_ID"]).PLUS_MINUS.sum().sort_index()
    assert (plus_minus == 5 * teams.set_index(["GAME_ID", "TEAM_ID"]).PLUS_MINUS.sort_index()).all()
    assert players.PF.max() <= 6


def test_postseason_and_in_progress_season(league):
    play_in = _frame(league, "leaguegamelog_team_2024-25_playin")
    playoffs = _frame(league, "leaguegamelog_team_2024-25_playoffs")
    assert play_in.GAME_ID.nunique() == 6 and play_in.GAME_ID.str.startswith("005").all()
    assert playoffs.GAME_ID.str.startswith("004").all() and 60 <= playoffs.GAME_ID.nunique() <= 105
    finals = playoffs[playoffs.GAME_ID.str[7] == "4"]
    assert finals.groupby("TEAM_ID").apply(lambda g: (g.WL == "W").sum(), include_groups=False).max() == 4

    current = _frame(league, "leaguegamelog_team_2025-26_regular")
    assert current.GAME_DATE.max() <= "2026-02-21"
    schedule = json.loads(gzip.open(league / "scheduleleaguev2_2025-26.json.gz").read())["leagueSchedule"]["gameDates"]
    games = [g for day in schedule for g in day["games"] if g["gameId"].startswith("002")]
    assert len(games) == 1230
    future = [g for g in games if g["gameStatus"] == 1]
    assert future and all(g["homeTeam"]["score"] == 0 for g in future)
    assert len(games) - len(future) == current.GAME_ID.nunique()
    assert all(date.fromisoformat(g["gameDateEst"][:10]) > date(2026, 2, 21) for g in future)


def test_clearly_labelled(league):
    index = json.loads((league / "index.json").read_text())
    assert all(e["synthetic"] is True and "SYNTHETIC" in e["note"] for e in index)
    assert "SYNTHETIC" in (league / "README.md").read_text()


def _real_player_logs(recorded) -> pd.DataFrame:
    (entry,) = [e for e in json.loads((recorded / "index.json").read_text()) if e["endpoint"] == "playergamelogs"]
    body = json.loads(gzip.open(recorded / entry["file"]).read())["resultSets"][0]
    return pd.DataFrame(body["rowSet"], columns=body["headers"])


# How far a synthetic quantile of a player's game line may stand from the real 2024-25 one (10th to 90th percentile).
QUANTILE_BOUNDS = {"MIN": 3.0, "PTS": 2.0, "REB": 1.5, "AST": 1.5}


@pytest.mark.recorded
def test_player_lines_look_like_a_real_season(season, recorded):
    """Against the real 2024-25 player logs (../shared): the distribution of minutes, points, rebounds and assists in
    a game, the scoring leaders and their minutes, and the spread of team records."""
    teams, players = season
    real = _real_player_logs(recorded)
    real, synthetic = real[real.MIN > 0], players[players.MIN > 0]
    quantiles = [0.1, 0.25, 0.5, 0.75, 0.9]
    for column, bound in QUANTILE_BOUNDS.items():
        gaps = (synthetic[column].quantile(quantiles) - real[column].quantile(quantiles)).abs()
        assert (gaps <= bound).all(), f"{column}: synthetic {list(synthetic[column].quantile(quantiles))} vs real {list(real[column].quantile(quantiles))}"

    def leaders(logs: pd.DataFrame) -> pd.DataFrame:
        per_player = logs.groupby("PLAYER_ID").agg(games=("GAME_ID", "size"), pts=("PTS", "mean"), minutes=("MIN", "mean"))
        return per_player[per_player.games >= per_player.games.max() / 2].nlargest(10, "pts")

    ours, theirs = leaders(synthetic), leaders(real)
    assert abs(ours.pts.iloc[0] - theirs.pts.iloc[0]) <= 4 and abs(ours.pts.iloc[-1] - theirs.pts.iloc[-1]) <= 4, (ours.pts, theirs.pts)
    assert ours.minutes.max() <= theirs.minutes.max() + 3 and ours.minutes.min() >= theirs.minutes.min() - 5, (ours.minutes, theirs.minutes)

    win_pct = teams.groupby("TEAM_ID").WL.apply(lambda wl: (wl == "W").mean())
    assert 0.10 <= win_pct.std() <= 0.20 and win_pct.max() <= 0.85 and win_pct.min() >= 0.15, win_pct.describe()


def _team_logs(folder, season: str) -> dict[str, pd.DataFrame]:
    index = json.loads((folder / "index.json").read_text())
    frames = {}
    for entry in index:
        if entry["endpoint"] == "leaguegamelog" and entry["params"]["Season"] == season:
            result = json.loads(gzip.decompress((folder / entry["file"]).read_bytes()))["resultSets"][0]
            frames[entry["params"]["SeasonType"]] = pd.DataFrame(result["rowSet"], columns=result["headers"])
    return frames


@pytest.mark.parametrize(
    ("season", "teams", "games", "playoff_teams", "groups", "empty"),
    [
        # ../shared/history/README.md's per-season table (teams, games per team, playoff field); the statistics not
        # kept then (no three-point line before 1979-80, no turnovers, offensive rebounds, steals or blocks before
        # 1973-74, no plus-minus before the play-by-play era)
        ("1965-66", 9, 80, 6, {"Eastern", "Western"}, {"FG3M", "FG3A", "FG3_PCT", "TOV", "OREB", "DREB", "STL", "BLK", "PLUS_MINUS"}),
        ("1998-99", 29, 50, 16, {"East", "West"}, set()),
    ],
)
def test_an_older_season_has_its_eras_teams_calendar_field_and_gaps(tmp_path, season, teams, games, playoff_teams, groups, empty):
    write_league(tmp_path, seasons=1, last_season=season, seed=11)
    logs = _team_logs(tmp_path, season)
    regular = logs["Regular Season"]
    assert regular.TEAM_ID.nunique() == teams
    assert set(regular.groupby("TEAM_ID").size()) == {games}
    assert logs["Playoffs"].TEAM_ID.nunique() == playoff_teams
    assert logs["PlayIn"].empty and logs["IST"].empty
    start_year = int(season[:4])
    with (REPO / "seeds" / "team_divisions.csv").open() as handle:
        aligned = [r for r in csv.DictReader(handle) if int(r["first_season"]) <= start_year <= int(r["last_season"] or 9999)]
    assert set(regular.TEAM_ID) == {int(r["team_id"]) for r in aligned}
    assert {r["conference"] or r["division"] for r in aligned} == groups
    assert {column for column in regular if regular[column].isna().all()} == empty
    assert (regular.PTS == 2 * regular.FGM + pd.to_numeric(regular.FG3M).fillna(0) + regular.FTM).all(), "points from the shots the era counted"
