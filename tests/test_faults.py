"""Faults injected through the replay server: retries recover what is
transient; anything else fails clearly, loads nothing of the failed batch
(the other batches load), and the next clean run loads everything."""

from __future__ import annotations

import pytest

ARGS = ("ingest", "--season", "2025-26", "--season-type", "Regular Season", "--resources", "team_game_logs,player_game_logs")


def _loaded(warehouse, table: str) -> int:
    if not warehouse.db.exists():
        return 0
    exists = warehouse.scalar(f"select count(*) from information_schema.tables where table_schema = 'raw' and table_name = '{table}'")
    return warehouse.scalar(f"select count(*) from raw.{table}") if exists else 0


def test_transient_errors_are_retried(warehouse, league):
    result = warehouse.cli(*ARGS, "--replay", str(league), faults="500x2")
    assert result.returncode == 0, result.stderr
    assert warehouse.scalar("select count(*) from raw.team_game_logs") > 1000


@pytest.mark.parametrize(
    ("faults", "expected", "failed_tables"),
    [
        ("500", "HTTP 500", ("team_game_logs", "player_game_logs")),
        ("404@playergamelogs", "HTTP 404", ("player_game_logs",)),
        ("truncate@playergamelogs", "truncated", ("player_game_logs",)),
    ],
)
def test_hard_failures_load_nothing_of_the_batch_and_a_clean_run_recovers(warehouse, league, faults, expected, failed_tables):
    failed = warehouse.cli(*ARGS, "--replay", str(league), faults=faults)
    assert failed.returncode == 1
    message = failed.stderr.strip().splitlines()[-1]
    assert expected in message and "Season=2025-26" in message and "SeasonType=Regular Season" in message
    assert ("leaguegamelog" in message) or ("playergamelogs" in message)
    for table in ("team_game_logs", "player_game_logs"):
        if table in failed_tables:
            assert _loaded(warehouse, table) == 0, f"a failed batch leaves no half-loaded {table}"
        else:
            assert _loaded(warehouse, table) > 1000, f"the {table} batch that did not fail still loads"

    clean = warehouse.cli(*ARGS, "--replay", str(league))
    assert clean.returncode == 0, clean.stderr
    assert warehouse.scalar("select count(*) from raw.team_game_logs") > 1000
    assert warehouse.scalar("select count(*) from raw.player_game_logs") > 10000
    # the failed batches advanced no state: the clean run fetched their whole season, not a refetch window
    endpoints = {"team_game_logs": "leaguegamelog (", "player_game_logs": "playergamelogs ("}
    for table in failed_tables:
        (request,) = [line for line in clean.stderr.splitlines() if endpoints[table] in line]
        assert "DateFrom=" not in request
