"""Replayed ingestion of the synthetic league: exact counts, idempotence,
incremental windows and a raw layer rebuilt from the landing archive."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys

import pytest

from conftest import REPO

SEASONS = ("--season", "2024-25", "--season", "2025-26")
TABLES = ("team_game_logs", "player_game_logs", "players", "schedule", "teams")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ingested")]


def _recorded_rows(league, endpoint, season=None):
    index = json.loads((league / "index.json").read_text())
    return sum(
        len(json.loads(gzip.open(league / e["file"]).read())["resultSets"][0]["rowSet"])
        for e in index
        if e["endpoint"] == endpoint and season in (None, e["params"].get("Season"))
    )


def _counts(warehouse):
    return {t: warehouse.scalar(f"select count(*) from raw.{t}") for t in TABLES}


def test_full_ingest_loads_every_row_once_and_rerun_changes_nothing(ingested, league, tmp_path):
    warehouse = ingested.copy(tmp_path / "wh")
    counts = _counts(warehouse)
    assert counts["team_game_logs"] == _recorded_rows(league, "leaguegamelog")
    assert counts["player_game_logs"] == _recorded_rows(league, "playergamelogs")
    assert counts["teams"] == 30 and counts["players"] > 400 and counts["schedule"] > 2500
    assert warehouse.scalar("select count(*) from (select game_id, team_id from raw.team_game_logs group by all having count(*) > 1)") == 0
    again = warehouse.cli("ingest", *SEASONS, "--replay", str(league))
    assert again.returncode == 0, again.stderr
    assert _counts(warehouse) == counts


def test_two_windows_equal_one_season(warehouse, league):
    common = ("ingest", "--season", "2024-25", "--season-type", "Regular Season", "--resources", "team_game_logs,player_game_logs")
    for start, end in (("2024-10-01", "2025-01-15"), ("2025-01-10", "2025-06-30")):
        result = warehouse.cli(*common, "--start", start, "--end", end, "--replay", str(league))
        assert result.returncode == 0, result.stderr
    index = json.loads((league / "index.json").read_text())
    regular = [e for e in index if e["params"].get("Season") == "2024-25" and e["params"].get("SeasonType") == "Regular Season"]
    rows = {e["endpoint"]: len(json.loads(gzip.open(league / e["file"]).read())["resultSets"][0]["rowSet"]) for e in regular}
    assert warehouse.scalar("select count(*) from raw.team_game_logs") == rows["leaguegamelog"]
    assert warehouse.scalar("select count(*) from raw.player_game_logs") == rows["playergamelogs"]


def test_an_incremental_run_refetches_only_the_last_days(warehouse, league):
    args = ("ingest", "--season", "2025-26", "--season-type", "Regular Season", "--resources", "team_game_logs")
    assert warehouse.cli(*args, "--replay", str(league)).returncode == 0
    before = warehouse.scalar("select count(*) from raw.team_game_logs")
    second = warehouse.cli(*args, "--replay", str(league))
    assert second.returncode == 0, second.stderr
    assert "DateFrom=02/18/2026" in second.stderr, "the re-fetch window starts 3 days before the newest loaded game"
    assert warehouse.scalar("select count(*) from raw.team_game_logs") == before


def test_the_landing_archive_rebuilds_the_raw_layer(ingested, new_warehouse):
    warehouse = ingested
    landing = warehouse.db.parent / "landing"
    entries = json.loads((landing / "index.json").read_text())
    assert entries and all(e["run_id"] and e["status"] == 200 for e in entries)

    rebuilt = new_warehouse("rebuilt")
    result = rebuilt.cli("ingest", *SEASONS, "--replay", str(landing))
    assert result.returncode == 0, result.stderr
    assert _counts(rebuilt) == _counts(warehouse)
    rebuilt_rows = set(rebuilt.query("select game_id, team_id, pts, plus_minus from raw.team_game_logs"))
    assert rebuilt_rows == set(warehouse.query("select game_id, team_id, pts, plus_minus from raw.team_game_logs"))


def test_the_gate_runs_beside_the_load_and_the_loading_process_never_imports_great_expectations(warehouse, league):
    ingest = "import sys; from nba_warehouse.cli import main; code = main(sys.argv[1:]); print('gx imported:', 'great_expectations' in sys.modules); sys.exit(code)"
    done = subprocess.run(
        [sys.executable, "-c", ingest, "ingest", "--season", "2025-26", "--resources", "team_game_logs", "--replay", str(league)],
        env=warehouse.env, cwd=REPO, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "gx imported: False" in done.stdout
    passed = re.search(r"(\d+) of (\d+) batches passed validation \(quality gate [\d.]+ s beside the load, waited for [\d.]+ s\)", done.stdout + done.stderr)
    assert passed and int(passed[1]) == int(passed[2]) > 0, done.stdout + done.stderr
    assert warehouse.scalar("select count(*) from raw.team_game_logs") == _recorded_rows(league, "leaguegamelog", "2025-26")
