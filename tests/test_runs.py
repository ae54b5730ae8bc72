"""`nba-warehouse daily` and `backfill` against the synthetic league: the faults an unattended schedule meets."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from conftest import Built, Warehouse, succeeded
from nba_warehouse.offline.recordings import RecordingFolder
from nba_warehouse.runs.lock import RunLock, is_held

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("runs")]

BACKFILL = ("backfill", "--start", "2026-01-20", "--end", "2026-02-21", "--chunk-days", "10")
DAILY = ("daily", "--date", "2026-02-21")
RAW = ("team_game_logs", "player_game_logs", "players", "schedule")
PROD_VIEWS = ("core.fct_team_games", "marts.standings", "marts.elo_ratings")


def _contents(warehouse: Warehouse) -> dict[str, list[tuple]]:
    """Every raw row (dlt's own columns left out) and the prod views, in a comparable order."""
    tables = {f"raw.{t}": "columns(c -> not starts_with(c, '_dlt'))" for t in RAW}
    tables.update({view: "*" for view in PROD_VIEWS})
    return {name: warehouse.query(f"select {columns} from {name} order by all") for name, columns in tables.items()}


def _manifest(warehouse: Warehouse, run_id: str) -> dict:
    return json.loads((warehouse.db.parent / "runs" / f"{run_id}.json").read_text())


def _run_id(result) -> str:
    return result.stdout.split()[1]


@pytest.fixture(scope="module")
def reference(built: Built, league: Path) -> Warehouse:
    """The backfill run once, uninterrupted."""
    return built.get("reference", lambda wh: succeeded(wh.cli(*BACKFILL, "--replay", str(league))))


@pytest.fixture(scope="module")
def daily(built: Built, league: Path) -> Warehouse:
    """One clean `daily` for 2026-02-21 on an empty warehouse."""
    return built.get("daily", lambda wh: succeeded(wh.cli(*DAILY, "--replay", str(league))))


def test_backfill_builds_prod_and_records_the_run(reference):
    assert reference.scalar("select count(*) from marts.standings where as_of_date = '2026-02-21'") == 30
    assert reference.scalar("select min(game_date) from raw.team_game_logs") >= date(2026, 1, 20)
    (run_id, status, loaded, passed, failed, intervals) = reference.query(
        "select run_id, status, rows_loaded, validations_passed, validations_failed, intervals_processed from ops.pipeline_runs"
    )[0]
    assert status == "succeeded" and failed == 0 and passed >= 10 and intervals > 10
    manifest = _manifest(reference, run_id)
    assert manifest["status"] == "succeeded" and manifest["git_sha"] and manifest["versions"]["sqlmesh"]
    assert [s["name"] for s in manifest["steps"]][-1] == "sqlmesh"
    requests = manifest["requests"]  # each request as sent: every season type of every chunk's season
    assert manifest["requests_made"] == len(requests) == reference.scalar(f"select requests_made from ops.pipeline_runs where run_id = '{run_id}'")
    assert {(r.split(" (")[0], t) for r in requests for t in ("Pre Season", "Regular Season", "PlayIn", "Playoffs") if f"SeasonType={t}" in r} == {
        (endpoint, t) for endpoint in ("leaguegamelog", "playergamelogs") for t in ("Pre Season", "Regular Season", "PlayIn", "Playoffs")
    }
    assert json.loads(loaded)["team_game_logs"] == reference.scalar("select count(*) from raw.team_game_logs")
    assert reference.scalar("select count(*) from ops.backfill_chunks") == 0, "a finished backfill leaves nothing to resume"
    assert (reference.db.parent / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").is_file()
    pages = [page for (page,) in reference.query(f"select page from ops.validations where run_id = '{run_id}'")]
    assert len(pages) == passed and all((reference.db.parent / "gx/uncommitted/data_docs/local_site" / p).is_file() for p in pages)


def test_a_backfill_archives_every_response_and_its_archive_alone_rebuilds_it(reference, new_warehouse):
    landing = RecordingFolder(reference.db.parent / "landing")
    (run_id,) = [r for (r,) in reference.query("select run_id from ops.pipeline_runs")]
    assert len(landing.entries) == len(_manifest(reference, run_id)["requests"]) > len(BACKFILL)
    rebuilt = new_warehouse("rebuilt")
    assert rebuilt.cli(*BACKFILL, "--replay", str(landing.root)).returncode == 0
    assert _contents(rebuilt) == _contents(reference)


def test_running_daily_twice_changes_nothing_the_second_time(daily, league, tmp_path):
    warehouse = daily.copy(tmp_path / "wh")
    before = _contents(warehouse)
    second = warehouse.cli(*DAILY, "--replay", str(league))
    assert second.returncode == 0, second.stderr
    assert "nothing changed" in second.stdout
    assert _contents(warehouse) == before
    changed, intervals = warehouse.query(f"select changed, intervals_processed from ops.pipeline_runs where run_id = '{_run_id(second)}'")[0]
    assert changed is False and intervals == 0


def test_an_api_failure_for_one_season_type_still_loads_the_others(warehouse, league):
    result = warehouse.cli(*DAILY, "--replay", str(league), faults="503@SeasonType=PlayIn")
    assert result.returncode == 1
    assert "SeasonType=PlayIn" in result.stderr and "HTTP 503" in result.stderr
    assert warehouse.scalar("select count(*) from raw.team_game_logs where game_date between '2026-02-18' and '2026-02-21'") > 0
    manifest = _manifest(warehouse, _run_id(result))
    assert manifest["status"] == "failed" and "PlayIn" in manifest["error"] and "HTTP 503" in manifest["error"]
    assert "sqlmesh" not in [s["name"] for s in manifest["steps"]], "no model runs on an incomplete window"
    assert warehouse.scalar(f"select status from ops.pipeline_runs where run_id = '{manifest['run_id']}'") == "failed"


def test_an_interrupted_backfill_resumes_to_the_same_rows(warehouse, league, reference):
    failed = warehouse.cli(*BACKFILL, "--replay", str(league), faults="503@DateFrom=02/09/2026")
    assert failed.returncode == 1
    assert "game logs 2025-26 2026-02-09 to 2026-02-18" in failed.stderr
    assert warehouse.scalar("select count(*) from ops.backfill_chunks") == 2
    resumed = warehouse.cli(*BACKFILL, "--replay", str(league))
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stderr.count(", skipped") == 2
    assert _contents(warehouse) == _contents(reference)


def test_sigkill_during_a_load_then_rerun_ends_as_if_nothing_happened(warehouse, league, reference):
    loading = warehouse.db.parent / ".dlt" / "nba_warehouse" / "load" / "normalized"
    process = warehouse.process(*BACKFILL, "--replay", str(league), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not (loading.is_dir() and any(loading.iterdir())):
        assert process.poll() is None and time.monotonic() < deadline, "the backfill ended before a load was seen"
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_run = json.loads((warehouse.db.parent / "nba-warehouse.lock").read_text())["run_id"]

    rerun = warehouse.cli(*BACKFILL, "--replay", str(league))
    assert rerun.returncode == 0, rerun.stderr
    assert f"run {killed_run} (pid {process.pid}" in rerun.stderr and "marked abandoned" in rerun.stderr
    assert _manifest(warehouse, killed_run)["status"] == "abandoned"
    assert _contents(warehouse) == _contents(reference)


def test_a_second_run_while_one_holds_the_warehouse_exits_at_once(warehouse, league):
    with RunLock(warehouse.db.parent / "nba-warehouse.lock", "20261121T000000Z-abcdef", "daily"):
        started = time.monotonic()
        result = warehouse.cli(*DAILY, "--replay", str(league))
    assert result.returncode == 75
    assert f"in use by `nba-warehouse daily` (run 20261121T000000Z-abcdef, pid {os.getpid()}" in result.stderr
    assert result.stderr.count("\n") == 1
    assert time.monotonic() - started < 30 and not warehouse.db.exists()


RACER = """
import sys, time
from pathlib import Path
from nba_warehouse.cli import EXIT_BUSY
from nba_warehouse.runs.lock import RunLock, WarehouseBusy
lock, name, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
(go.parent / f"ready-{name}").touch()
while not go.exists():
    time.sleep(0.001)
try:
    with RunLock(lock, name, "daily"):
        print("won", flush=True)
        time.sleep(float(sys.argv[4]))
except WarehouseBusy as busy:
    print(busy, flush=True)
    sys.exit(EXIT_BUSY)
"""


def _racer(lock: Path, name: str, go: Path, hold: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", RACER, str(lock), name, str(go), str(hold)], stdout=subprocess.PIPE, text=True)


def test_of_many_runs_racing_for_the_lock_exactly_one_wins_and_the_others_name_it(tmp_path):
    lock, go = tmp_path / "nba-warehouse.lock", tmp_path / "go"
    racers = [_racer(lock, f"racer-{i}", go, hold=3) for i in range(12)]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready-*"))) < len(racers):  # every racer is waiting for the start
        assert time.monotonic() < deadline, "the racers did not start"
        time.sleep(0.01)
    go.touch()
    outcomes = [(racer.wait(timeout=60), racer.stdout.read().strip()) for racer in racers]
    winners = [i for i, (code, said) in enumerate(outcomes) if code == 0]
    assert len(winners) == 1, outcomes
    (winner,) = winners
    assert outcomes[winner][1] == "won"
    losers = [outcome for i, outcome in enumerate(outcomes) if i != winner]
    assert all(code == 75 and f"run racer-{winner}, pid {racers[winner].pid}" in said for code, said in losers), losers


def test_a_holder_killed_outright_frees_the_lock_at_once(tmp_path):
    lock, go = tmp_path / "nba-warehouse.lock", tmp_path / "go"
    go.touch()
    holder = _racer(lock, "killed-run", go, hold=300)
    assert holder.stdout.readline().strip() == "won"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    started = time.monotonic()
    with RunLock(lock, "next-run", "daily") as taken:
        assert time.monotonic() - started < 1
        assert taken.taken_over["run_id"] == "killed-run" and taken.taken_over["pid"] == holder.pid
    assert lock.read_text() == "", "a run that ends cleanly leaves no facts for the next one to take over"



def test_the_lock_is_seen_held_only_while_its_holder_lives(tmp_path):
    lock, go = tmp_path / "nba-warehouse.lock", tmp_path / "go"
    assert not is_held(lock), "no lock file yet"
    go.touch()
    holder = _racer(lock, "holding-run", go, hold=300)
    assert holder.stdout.readline().strip() == "won"
    assert is_held(lock)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert json.loads(lock.read_text())["run_id"] == "holding-run", "a killed holder leaves its facts behind"
    assert not is_held(lock), "but it is not alive: the next run takes the lock"

def _corrupted(league: Path, into: Path, change) -> Path:
    """The league with one newer recording of the 2025-26 team logs holding a changed row, as a late
    correction would arrive; the replay serves it over the original row."""
    shutil.copytree(league, into)
    folder = RecordingFolder(into)
    (entry,) = [e for e in folder.entries if e.endpoint == "leaguegamelog" and e.params.get("Season") == "2025-26" and e.params.get("SeasonType") == "Regular Season"]
    body = json.loads(folder.body(entry))
    result_set = body["resultSets"][0]
    headers = result_set["headers"]
    row = next(r for r in result_set["rowSet"] if r[headers.index("GAME_DATE")].startswith("2026-02-20"))
    result_set["rowSet"] = [change(dict(zip(headers, row)), headers)]
    folder.add("leaguegamelog", entry.params, json.dumps(body).encode(), name="leaguegamelog_corrupted")
    return into


@pytest.mark.parametrize(
    ("change", "expectation"),
    [
        (lambda row, h: [row[c] if c != "PTS" else -5 for c in h], "expect_column_values_to_be_between(pts)"),
        (lambda row, h: [row[c] if c != "TEAM_ID" else 1610612799 for c in h], "expect_column_values_to_be_in_set(check_teams_in_game)"),
        (lambda row, h: [row[c] if c != "TEAM_ID" else None for c in h], "expect_column_values_to_not_be_null(team_id)"),
    ],
    ids=["negative points", "three teams in a game", "missing key"],
)
def test_a_corrupted_batch_is_quarantined_and_prod_is_unchanged(daily, league, tmp_path, change, expectation):
    warehouse = daily.copy(tmp_path / "wh")
    before = _contents(warehouse)

    bad = warehouse.cli(*DAILY, "--replay", str(_corrupted(league, tmp_path / "corrupted", change)))
    assert bad.returncode == 1
    message = bad.stderr.strip().splitlines()[-1]
    assert "quarantined team_game_logs 2025-26 Regular Season 2026-02-18 to 2026-02-21" in message
    assert expectation in message and "game_id=00225" in message
    assert _contents(warehouse) == before

    landing = RecordingFolder(warehouse.db.parent / "landing")
    (quarantined,) = [e for e in landing.entries if e.tags.get("quarantined")]
    report = json.loads((landing.root / quarantined.tags["validation"]).read_text())
    assert report["success"] is False and expectation.split("(")[0] in {f["expectation"] for f in report["failures"]}

    again = warehouse.cli(*DAILY, "--replay", str(league))
    assert again.returncode == 0, again.stderr
    assert _contents(warehouse) == before, "the clean re-fetch loads the rows as they were"
    assert warehouse.scalar(f"select status from ops.pipeline_runs where run_id = '{_run_id(again)}'") == "succeeded"
    assert [e.file for e in RecordingFolder(landing.root).entries if e.tags.get("quarantined")] == [quarantined.file]


def test_any_command_that_takes_the_lock_marks_a_dead_run_abandoned(warehouse):
    runs = warehouse.db.parent / "runs"
    runs.mkdir(parents=True)
    dead = {"pid": 999999, "run_id": "20261122T000000Z-dead00", "command": "daily", "started_at": "2026-11-22T00:00:00+00:00"}
    (runs / f"{dead['run_id']}.json").write_text(json.dumps({"run_id": dead["run_id"], "status": "running"}))
    (warehouse.db.parent / "nba-warehouse.lock").write_text(json.dumps(dead))  # left by a killed run: facts, no lock held
    result = warehouse.cli("ingest", "--season", "2025-26", "--resources", "teams")
    assert result.returncode == 0, result.stderr
    assert f"run {dead['run_id']} (pid 999999" in result.stderr and "marked abandoned" in result.stderr
    assert _manifest(warehouse, dead["run_id"])["status"] == "abandoned"
