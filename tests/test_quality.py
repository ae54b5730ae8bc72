"""The expectation suites: real responses pass them, and each kind of corrupt row fails the expectation meant for it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from nba_warehouse.offline.recordings import RecordingFolder
from pipelines.api_frames import raw_frame
from pipelines.quality import QualityGate
from pipelines.verdicts import Scope, Validation

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


def _validate(gate: QualityGate, scope: Scope, headers: list[str], rows: list[list]) -> Validation:
    (validation,) = gate.validate(scope.table, raw_frame(headers, rows), [(scope, len(rows))])
    return validation


@pytest.mark.recorded
def test_real_responses_pass_their_suites(gate, recorded):
    folder = RecordingFolder(recorded)
    checked = 0
    for entry in folder.entries:
        if entry.endpoint not in TABLES:
            continue
        result_set = json.loads(folder.body(entry))["resultSets"][0]
        scope = Scope(TABLES[entry.endpoint], entry.params.get("Season"), entry.params.get("SeasonType") or None)
        validation = _validate(gate, scope, result_set["headers"], result_set["rowSet"])
        assert validation.success, validation.summary()
        assert validation.rows == len(result_set["rowSet"]) > 1000
        checked += 1
    assert checked == 3


def test_a_clean_batch_passes(gate):
    validation = _validate(gate, SCOPE, HEADERS, _clean_game())
    assert validation.success, validation.summary()


@pytest.mark.parametrize(
    ("corrupt", "expected"),
    [
        (lambda rows: rows[0].__setitem__(26, -3), {"expect_column_values_to_be_between(pts)", "expect_column_pair_values_to_be_equal(pts, check_pts_from_shots)"}),
        (lambda rows: rows.append(_team_row(1610612739, "0022500500", 99, "L")), {"expect_column_values_to_be_in_set(check_teams_in_game)"}),
        (lambda rows: rows[1].__setitem__(1, None), {"expect_column_values_to_not_be_null(team_id)"}),
        (lambda rows: rows[1].__setitem__(7, "W"), {"expect_column_pair_values_to_be_equal(wl, check_wl_from_score)"}),
        (lambda rows: rows[0].__setitem__(4, "0042500500"), {"expect_column_pair_values_to_be_equal(check_game_id_prefix, check_requested_game_id_prefix)"}),
        (lambda rows: rows[0].__setitem__(4, "22500500"), {"expect_column_values_to_match_regex(game_id)"}),
        (lambda rows: rows[0].__setitem__(5, "2026-01-09"), {"expect_column_pair_values_a_to_be_greater_than_b(check_last_game_date, game_date)"}),
        (lambda rows: rows[0].__setitem__(5, "2025-12-31"), {"expect_column_pair_values_a_to_be_greater_than_b(game_date, check_first_game_date)"}),
        (lambda rows: rows[0].__setitem__(11, 47.1), {"expect_column_values_to_be_between(fg_pct)"}),
        (lambda rows: rows[0].__setitem__(26, "110 pts"), {"expect_column_values_to_be_in_type_list(pts)"}),
    ],
    ids=["negative points", "three teams in a game", "missing key", "wl against the score", "wrong season type", "malformed game id", "after the window", "before the window", "percentage over 1", "text for a number"],
)
def test_each_corruption_fails_its_expectation(gate, corrupt, expected):
    rows = _clean_game()
    corrupt(rows)
    validation = _validate(gate, SCOPE, HEADERS, rows)
    assert not validation.success
    assert expected <= _failed(validation), validation.summary()
    summary = validation.summary()
    assert summary.startswith("team_game_logs 2025-26 Regular Season 2026-01-01 to 2026-01-03")
    assert "game_id=0022500500" in summary or "game_id=0042500500" in summary, "offending rows are shown by key"


def test_batches_validated_together_are_judged_one_by_one(gate):
    """One suite run over several batches: each is checked against its own request and keys, and a bad batch
    fails alone, with its own rows as examples."""
    second = Scope("team_game_logs", "2025-26", "Playoffs", date(2026, 4, 18), date(2026, 4, 20))
    playoff_game = [_team_row(1610612737, "0042500101", 100, "W", "2026-04-19"), _team_row(1610612738, "0042500101", 90, "L", "2026-04-19")]
    clean = [(SCOPE, _clean_game()), (second, playoff_game), (SCOPE, _clean_game())]  # the same keys again in another batch
    validations = gate.validate("team_game_logs", raw_frame(HEADERS, [r for _, rows in clean for r in rows]), [(s, len(r)) for s, r in clean])
    assert [v.success for v in validations] == [True, True, True], [v.summary() for v in validations]
    assert [v.rows for v in validations] == [2, 2, 2]

    corrupt = [(SCOPE, _clean_game()), (SCOPE, playoff_game), (second, playoff_game)]  # playoff rows asked as regular season
    validations = gate.validate("team_game_logs", raw_frame(HEADERS, [r for _, rows in corrupt for r in rows]), [(s, len(r)) for s, r in corrupt])
    assert [v.success for v in validations] == [True, False, True], [v.summary() for v in validations]
    assert _failed(validations[1]) == {
        "expect_column_pair_values_to_be_equal(check_game_id_prefix, check_requested_game_id_prefix)",
        "expect_column_pair_values_a_to_be_greater_than_b(check_last_game_date, game_date)",
    }
    assert "game_id=0042500101" in validations[1].summary()
