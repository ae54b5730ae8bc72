"""The synthetic league is deterministic and obeys basketball arithmetic."""

from __future__ import annotations

import gzip
import json
from datetime import date

import pandas as pd
import pytest

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
