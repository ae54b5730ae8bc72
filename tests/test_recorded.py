"""Acceptance figures on real stats.nba.com responses (../shared/nba_recorded)."""

from __future__ import annotations

import pytest

from nba_warehouse.offline.recordings import RecordingFolder

pytestmark = pytest.mark.recorded

TEAM_LOGS = ("ingest", "--season", "2025-26", "--season-type", "Regular Season", "--resources", "team_game_logs")


def test_2025_26_team_logs_load_exactly_1688_rows_however_replayed(warehouse, new_warehouse, recorded):
    assert warehouse.cli(*TEAM_LOGS, "--replay", str(recorded)).returncode == 0
    assert warehouse.scalar("select count(*) from raw.team_game_logs") == 1688
    assert warehouse.scalar("select count(distinct game_id) from raw.team_game_logs") == 844

    assert warehouse.cli(*TEAM_LOGS, "--replay", str(recorded)).returncode == 0
    assert warehouse.scalar("select count(*) from raw.team_game_logs") == 1688

    windowed = new_warehouse("windowed")
    for start, end in (("2025-10-01", "2025-12-31"), ("2026-01-01", "2026-02-21")):
        result = windowed.cli(*TEAM_LOGS, "--start", start, "--end", end, "--replay", str(recorded))
        assert result.returncode == 0, result.stderr
    assert windowed.scalar("select count(*) from raw.team_game_logs") == 1688
    assert set(windowed.query("select game_id, team_id, pts from raw.team_game_logs")) == set(
        warehouse.query("select game_id, team_id, pts from raw.team_game_logs")
    )


def test_2024_25_player_logs_load_7221_rows(warehouse, recorded):
    args = ("ingest", "--season", "2024-25", "--season-type", "Regular Season", "--resources", "player_game_logs")
    result = warehouse.cli(*args, "--replay", str(recorded))
    assert result.returncode == 0, result.stderr
    assert warehouse.scalar("select count(*) from raw.player_game_logs") == 7221
    assert warehouse.scalar("select count(distinct game_id) from raw.player_game_logs") == 332
    assert warehouse.query("select typeof(game_id), typeof(game_date) from raw.player_game_logs limit 1") == [("VARCHAR", "DATE")]


def test_team_logs_alone_build_every_model_with_the_real_neutral_site_games(warehouse, recorded):
    assert warehouse.cli(*TEAM_LOGS, "--replay", str(recorded)).returncode == 0
    warehouse.plan()
    assert warehouse.scalar("select count(*) from core.fct_games") == 844
    assert warehouse.scalar("select count(*) from core.fct_games where is_neutral_site") == 5
    assert warehouse.scalar("select count(*) from staging.player_game_logs") == 0


def test_real_recordings_are_not_taken_for_the_synthetic_league(recorded, league):
    assert RecordingFolder(recorded).source == "replay"
    assert RecordingFolder(league).source == "synthetic"
