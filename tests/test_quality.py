"""The expectation suites: real responses pass them, and each kind of corrupt row fails the expectation meant for it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pipelines.quality import QualityGate, Scope
from nba_warehouse.offline.recordings import RecordingFolder

TABLES = {"leaguegamelog": "team_game_logs", "playergamelogs": "player_game_logs", "commonallplayers": "players"}
HEADERS = ["SEASON_ID", "TEAM_ID", "TEAM_ABBREVIATION", "TEAM_NAME", "GAME_ID", "GAME_DATE", "MATCHUP", "WL", "MIN", "FGM", "FGA", "FG_PCT", "FG3M", "FG3A", "FG3_PCT", "FTM", "FTA", "FT_PCT", "OREB", "DREB", "REB", "AST", "STL", "BLK", "TOV", "PF", "PTS", "PLUS_MINUS", "VIDEO_AVAILABLE"]  # fmt: skip
SCOPE = Scope("team_game_logs", "2025-26", "Regular Season", date(2026, 1, 1), date(2026, 1, 3))


def _team_row(team_id: int, game_id: str, pts: int, wl: str, day: str = "2026-01-02") -> list:
    fgm, fg3m = 40, 10
    ftm = pts - 2 * fgm - fg3m
    return ["22025", team_id, "AAA", "Team", game_id, day, "AAA vs. BBB", wl, 240, fgm, 85, 0.471, fg3m, 30, 0.333, ftm, 20, ftm / 20, 10, 35, 45, 25, 8, 5, 12, 18, pts, 0, 1]  # fmt: skip


def _clean_game() -> list[list]:
    return [_team_row(1610612737, "0022500500", 110, "W"), _team_row(1610612738, "0022500500", 104, "L")]


@pytest.fixture(scope="module")
def gate(tmp_path_factory):
    return QualityGate(tmp_path_factory.mktemp("gx"))


def _failed(validation) -> set[str]:
    return {f"{f.expectation}({f.column})" for f in validation.failures}


@pytest.mark.recorded
def test_real_responses_pass_their_suites(gate, recorded):
    folder = RecordingFolder(recorded)
    checked = 0
    for entry in folder.entries:
        if entry.endpoint not in TABLES:
            continue
        result_set = json.loads(folder.body(entry))["resultSets"][0]
        scope = Scope(TABLES[entry.endpoint], entry.params.get("Season"), entry.params.get("SeasonType") or None)
        validation = gate.validate(scope, result_set["headers"], result_set["rowSet"])
        assert validation.success, validation.summary()
        assert validation.rows == len(result_set["rowSet"]) > 1000
        checked += 1
    assert checked == 3


def test_a_clean_batch_passes(gate):
    validation = gate.validate(SCOPE, HEADERS, _clean_game())
    assert validation.success, validation.summary()


@pytest.mark.parametrize(
    ("corrupt", "expected"),
    [
        (lambda rows: rows[0].__setitem__(26, -3), {"expect_column_values_to_be_between(pts)", "expect_column_pair_values_to_be_equal(pts, check_pts_from_shots)"}),
        (lambda rows: rows.append(_team_row(1610612739, "0022500500", 99, "L")), {"expect_column_values_to_be_in_set(check_teams_in_game)"}),
        (lambda rows: rows[1].__setitem__(1, None), {"expect_column_values_to_not_be_null(team_id)"}),
        (lambda rows: rows[1].__setitem__(7, "W"), {"expect_column_pair_values_to_be_equal(wl, check_wl_from_score)"}),
        (lambda rows: rows[0].__setitem__(4, "0042500500"), {"expect_column_values_to_match_regex(game_id)"}),
        (lambda rows: rows[0].__setitem__(5, "2026-01-09"), {"expect_column_values_to_be_between(game_date)"}),
        (lambda rows: rows[0].__setitem__(11, 47.1), {"expect_column_values_to_be_between(fg_pct)"}),
        (lambda rows: rows[0].__setitem__(26, "110 pts"), {"expect_column_values_to_be_in_type_list(pts)"}),
    ],
    ids=["negative points", "three teams in a game", "missing key", "wl against the score", "wrong season type", "outside the window", "percentage over 1", "text for a number"],
)
def test_each_corruption_fails_its_expectation(gate, corrupt, expected):
    rows = _clean_game()
    corrupt(rows)
    validation = gate.validate(SCOPE, HEADERS, rows)
    assert not validation.success
    assert expected <= _failed(validation), validation.summary()
    summary = validation.summary()
    assert summary.startswith("team_game_logs 2025-26 Regular Season 2026-01-01 to 2026-01-03")
    assert "game_id=0022500500" in summary or "game_id=0042500500" in summary, "offending rows are shown by key"
