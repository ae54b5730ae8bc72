"""Faults injected through the replay server: retries recover what is
transient; anything else fails clearly, loads nothing, and the next clean run
loads everything."""

from __future__ import annotations

import pytest

ARGS = ("ingest", "--season", "2025-26", "--season-type", "Regular Season", "--resources", "team_game_logs,player_game_logs")


def _loaded(warehouse) -> int:
    if not warehouse.db.exists():
        return 0
    tables = warehouse.query("select table_name from information_schema.tables where table_schema = 'raw' and table_name like '%game_logs'")
    return sum(warehouse.scalar(f"select count(*) from raw.{t}") for (t,) in tables)


def test_transient_errors_are_retried(warehouse, league):
    result = warehouse.cli(*ARGS, "--replay", str(league), faults="500x2")
    assert result.returncode == 0, result.stderr
    assert warehouse.scalar("select count(*) from raw.team_game_logs") > 1000


@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        ("500", "HTTP 500"),
        ("404@playergamelogs", "HTTP 404"),
        ("truncate@playergamelogs", "truncated"),
    ],
)
def test_hard_failures_load_nothing_and_a_clean_run_recovers(warehouse, league, faults, expected):
    failed = warehouse.cli(*ARGS, "--replay", str(league), faults=faults)
    assert failed.returncode == 1
    message = failed.stderr.strip().splitlines()[-1]
    assert expected in message and "Season=2025-26" in message and "SeasonType=Regular Season" in message
    assert ("leaguegamelog" in message) or ("playergamelogs" in message)
    assert _loaded(warehouse) == 0, "a failed run leaves no half-loaded window"

    clean = warehouse.cli(*ARGS, "--replay", str(league))
    assert clean.returncode == 0, clean.stderr
    assert warehouse.scalar("select count(*) from raw.team_game_logs") > 1000
    assert warehouse.scalar("select count(*) from raw.player_game_logs") > 10000
    # the failed run advanced no state: the clean run fetched the whole season, not a refetch window
    assert "DateFrom=" not in clean.stderr
