"""The replay server answers like stats.nba.com from any recordings folder."""

from __future__ import annotations

import json

import pytest
import requests

from nba_warehouse.offline.recordings import RecordingFolder
from nba_warehouse.offline.replay import ReplayServer, parse_faults

HEADERS = ["SEASON_ID", "TEAM_ID", "GAME_ID", "GAME_DATE", "PTS"]


def _log_body(rows):
    return json.dumps({"resource": "leaguegamelog", "parameters": {}, "resultSets": [{"name": "LeagueGameLog", "headers": HEADERS, "rowSet": rows}]}).encode()


def _get(server, endpoint, **params):
    return requests.get(server.base_url.format(endpoint=endpoint), params=params, timeout=10)


@pytest.fixture
def folder(tmp_path):
    rec = RecordingFolder(tmp_path / "rec")
    base = {"LeagueID": "00", "PlayerOrTeam": "T", "Season": "2025-26", "SeasonType": "Regular Season"}
    rec.add("leaguegamelog", {**base, "DateFrom": "10/21/2025", "DateTo": "10/22/2025"}, _log_body([
        ["22025", 1, "0022500001", "2025-10-21", 100], ["22025", 2, "0022500001", "2025-10-21", 90],
        ["22025", 3, "0022500002", "2025-10-22", 80],
    ]), served_at="Thu, 23 Oct 2025 05:00:00 GMT", name="first")  # fmt: skip
    rec.add("leaguegamelog", {**base, "DateFrom": "10/22/2025", "DateTo": "10/23/2025"}, _log_body([
        ["22025", 3, "0022500002", "2025-10-22", 85], ["22025", 4, "0022500002", "2025-10-22", 70],
        ["22025", 5, "0022500003", "2025-10-23", 99],
    ]), served_at="Fri, 24 Oct 2025 05:00:00 GMT", name="second")  # fmt: skip
    return rec.root


def test_windows_are_unioned_and_the_newest_row_wins(folder):
    with ReplayServer(folder, faults=[]) as server:
        body = _get(server, "leaguegamelog", Season="2025-26", SeasonType="Regular Season", PlayerOrTeam="T", LeagueID="00").json()
    rows = body["resultSets"][0]["rowSet"]
    assert sorted((r[1], r[4]) for r in rows) == [(1, 100), (2, 90), (3, 85), (4, 70), (5, 99)]


def test_a_date_window_filters_rows_like_the_service(folder):
    with ReplayServer(folder, faults=[]) as server:
        body = _get(server, "leaguegamelog", Season="2025-26", SeasonType="Regular Season", PlayerOrTeam="T",
                    LeagueID="00", DateFrom="10/22/2025", DateTo="2025-10-22").json()  # fmt: skip
    assert sorted(r[1] for r in body["resultSets"][0]["rowSet"]) == [3, 4]


def test_missing_recording_is_a_clear_404(folder):
    with ReplayServer(folder, faults=[]) as server:
        response = _get(server, "leaguegamelog", Season="2019-20", SeasonType="Regular Season", PlayerOrTeam="T", LeagueID="00")
    assert response.status_code == 404
    message = response.json()["message"]
    assert "leaguegamelog" in message and "Season=2019-20" in message and str(folder) in message


def test_faults_fire_in_order_then_clear(folder):
    params = {"Season": "2025-26", "SeasonType": "Regular Season", "PlayerOrTeam": "T", "LeagueID": "00"}
    with ReplayServer(folder, faults=parse_faults("503x2@leaguegamelog")) as server:
        statuses = [_get(server, "leaguegamelog", **params).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]


def test_fault_matching_a_parameter_only(folder):
    with ReplayServer(folder, faults=parse_faults("500@SeasonType=Playoffs")) as server:
        ok = _get(server, "leaguegamelog", Season="2025-26", SeasonType="Regular Season", PlayerOrTeam="T", LeagueID="00")
        failed = _get(server, "leaguegamelog", Season="2025-26", SeasonType="Playoffs", PlayerOrTeam="T", LeagueID="00")
    assert (ok.status_code, failed.status_code) == (200, 500)


def test_truncated_body_breaks_the_connection(folder):
    with ReplayServer(folder, faults=parse_faults("truncate")) as server, pytest.raises(requests.exceptions.ChunkedEncodingError):
        _get(server, "leaguegamelog", Season="2025-26", SeasonType="Regular Season", PlayerOrTeam="T", LeagueID="00")


@pytest.mark.parametrize("spec", ["5xx", "500x", "delay", "truncate@"])
def test_bad_fault_specs_are_rejected(spec):
    with pytest.raises(ValueError, match="NBA_WAREHOUSE_REPLAY_FAULTS"):
        parse_faults(spec)
