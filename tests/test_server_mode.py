"""Server mode: the same commands, models and checks on a real PostgreSQL server (scripts/local-postgres), where
readers work while a run writes and the one writer is the server's advisory lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOK, REPO, Built, PostgresServer, ServerWarehouse, Warehouse, environment, execute_notebook, succeeded
from test_environments import _copy_project
from test_recorded_models import assert_standings_equal_the_official_ones
from test_runs import DAILY, _contents, _corrupted

from nba_warehouse.explore import questions
from nba_warehouse.explore.reader import Reader
from nba_warehouse.database import Server
from nba_warehouse.runs import server_lock
from nba_warehouse.runs.server_lock import ServerLock

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("server")]

DEMO_BACKFILL = ("backfill", "--start", "2025-10-01", "--end", "2026-02-21", "--chunk-days", "366")
PROD_VIEWS = (
    "staging.team_game_logs", "staging.player_game_logs", "staging.players", "staging.schedule", "staging.teams",
    "core.dim_teams", "core.dim_players", "core.fct_games", "core.fct_team_games", "core.fct_player_games",
    "marts.standings", "marts.elo_ratings", "marts.power_forecasts", "marts.game_predictions", "marts.player_form",
    "marts.player_season_stats", "marts.team_ratings", "marts.season_checkpoints", "marts.season_simulations",
    "marts.prediction_quality", "marts.prediction_calibration", "marts.season_odds_calibration",
)  # fmt: skip


@pytest.fixture(scope="module")
def demo_pg(built: Built, league: Path, postgres: PostgresServer) -> ServerWarehouse:
    """The demo's backfill (see conftest's ``demo``) into a database on the server."""
    return built.get("demo-postgres", lambda wh: succeeded(wh.cli(*DEMO_BACKFILL, "--replay", str(league))), server=postgres)


def _recorded_build(warehouse: Warehouse, recorded: Path) -> None:
    for season, resource in (("2025-26", "team_game_logs"), ("2024-25", "player_game_logs")):
        succeeded(warehouse.cli("ingest", "--season", season, "--season-type", "Regular Season", "--resources", resource, "--replay", str(recorded)))
    warehouse.plan()


def test_on_the_server_the_recorded_season_loads_its_counts_and_equals_the_official_standings(built, recorded, postgres):
    real = built.get("recorded-postgres", lambda wh: _recorded_build(wh, recorded), server=postgres)
    assert real.query("select count(*), count(distinct game_id) from raw.team_game_logs") == [(1688, 844)]
    assert real.query("select count(*), count(distinct game_id) from raw.player_game_logs") == [(7221, 332)]
    assert real.query("select data_type from information_schema.columns where table_schema = 'raw' and table_name = 'team_game_logs' and column_name = 'game_date'") == [("date",)]
    assert_standings_equal_the_official_ones(real, recorded)


def test_the_demo_on_the_server_builds_the_same_prod_views_as_on_duckdb(demo_pg, demo, tmp_path):
    demo_pg = demo_pg.copy(tmp_path / "wh")
    counts = {view: (demo.scalar(f"select count(*) from {view}"), demo_pg.query(f"select count(*) from {view}")[0][0]) for view in PROD_VIEWS}
    assert {view: pair for view, pair in counts.items() if pair[0] != pair[1]} == {}
    assert all(duckdb_rows > 0 for view, (duckdb_rows, _) in counts.items() if view != "marts.season_odds_calibration")
    standings = "select team_id, wins, losses, conference_rank, streak from marts.standings where as_of_date = '2026-02-21' and season_type = 'Regular Season' order by team_id"
    assert demo_pg.query(standings) == demo.query(standings)
    assert demo_pg.query("select status, source from ops.pipeline_runs") == [("succeeded", "synthetic")]


def test_a_corrupted_batch_is_quarantined_on_the_server_and_prod_is_unchanged(demo_pg, league, tmp_path):
    warehouse = demo_pg.copy(tmp_path / "wh")
    prod = {view: warehouse.query(f"select * from {view} order by 1, 2, 3, 4") for view in ("core.fct_team_games", "marts.standings")}
    raw_rows = warehouse.query("select count(*) from raw.team_game_logs")

    bad = warehouse.cli(*DAILY, "--replay", str(_corrupted(league, tmp_path / "corrupted", lambda row, h: [row[c] if c != "PTS" else -5 for c in h])))
    assert bad.returncode == 1
    message = bad.stderr.strip().splitlines()[-1]
    assert "quarantined team_game_logs 2025-26 Regular Season 2026-02-18 to 2026-02-21" in message
    assert "expect_column_values_to_be_between(pts)" in message
    assert warehouse.query("select count(*) from raw.team_game_logs") == raw_rows
    assert {view: warehouse.query(f"select * from {view} order by 1, 2, 3, 4") for view in prod} == prod
    assert warehouse.query("select count(*) from ops.validations where not success") == [(1,)]


def test_a_second_writer_is_refused_at_once_naming_the_run_that_holds_the_advisory_lock(demo_pg, tmp_path):
    demo_pg = demo_pg.copy(tmp_path / "wh")
    with environment(**demo_pg.server_env), ServerLock(Server.from_env(), "20261207T000000Z-holder", "backfill"):
        assert server_lock.is_held(Server.from_env())
        started = time.monotonic()
        result = demo_pg.cli("ingest", "--season", "2025-26", "--resources", "teams")
        assert time.monotonic() - started < 30
    assert result.returncode == 75, result.stderr
    assert "`nba-warehouse backfill` (run 20261207T000000Z-holder" in result.stderr
    with environment(**demo_pg.server_env):
        assert not server_lock.is_held(Server.from_env())


def test_the_report_and_a_notebook_query_read_while_a_backfill_writes(demo_pg, league, tmp_path):
    warehouse = demo_pg.copy(tmp_path / "wh")
    with environment(**warehouse.server_env):
        server = Server.from_env()
    backfill = warehouse.process(*DEMO_BACKFILL, "--replay", str(league), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while not server_lock.is_held(server):
            assert backfill.poll() is None and time.monotonic() < deadline, "the backfill ended before it took the lock"
            time.sleep(0.1)
        report = subprocess.run(
            [sys.executable, "-m", "nba_warehouse.cli", "report", "--out", str(tmp_path / "report")],
            cwd=REPO, env=warehouse.env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        with environment(NBA_WAREHOUSE_DB=str(warehouse.db), **warehouse.server_env):
            standings = questions.standings(Reader.from_env(), "2025-26", "2026-02-21")
        still_writing = server_lock.is_held(server)
    finally:
        output, _ = backfill.communicate(timeout=600)
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "report" / "index.html").stat().st_size > 0
    assert len(standings) == 30 and standings["wins"].sum() == standings["losses"].sum()
    assert still_writing, "the reads finished while the backfill held the warehouse"
    assert backfill.returncode == 0, output


def test_the_notebook_runs_unchanged_on_the_server(demo_pg, tmp_path):
    warehouse = demo_pg.copy(tmp_path / "wh")  # %plan dev adds a dev environment
    executed = execute_notebook(nbformat.read(NOTEBOOK, as_version=4), warehouse)  # raises on any failing cell
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert "2025-26 regular season through 2026-02-21: SYNTHETIC" in "".join(o.get("text", "") for o in code[0].outputs)
    assert len([o for c in code for o in c.outputs if "image/png" in o.get("data", {})]) >= 5
    assert warehouse.query("select count(*) from information_schema.views where table_schema = 'marts__dev'")[0][0] > 0


@pytest.fixture(scope="module")
def environments_base(built: Built, league: Path, postgres: PostgresServer) -> ServerWarehouse:
    """The 2025-26 regular season through 2026-02-14, built from a copy of the project (see test_environments)."""

    def build(warehouse: Warehouse) -> None:
        succeeded(warehouse.cli("ingest", "--season", "2025-26", "--season-type", "Regular Season", "--end", "2026-02-14", "--replay", str(league)))
        warehouse.plan(_copy_project(warehouse.db.parent.parent / "environments-postgres-project"), execution_time="2026-02-15")

    return built.get("environments-postgres", build, server=postgres)


def _edited_project(root: Path, tov_weight: str) -> Path:
    project = _copy_project(root)
    model = project / "models" / "core" / "fct_player_games.sql"
    text = model.read_text()
    assert "+ 0.7 * blk - 0.4 * pf - tov AS game_score" in text
    model.write_text(text.replace("+ 0.7 * blk - 0.4 * pf - tov AS game_score", f"+ 0.7 * blk - 0.4 * pf - {tov_weight} * tov AS game_score"))
    return project


GAME_SCORES = "select player_id, game_score_per_game from {schema}.player_season_stats order by 1"


def test_a_dev_plan_on_the_server_leaves_prod_alone_and_promotes_without_recomputing(environments_base, tmp_path):
    warehouse = environments_base.copy(tmp_path / "wh")
    project = _edited_project(tmp_path / "project", "1.5")
    prod_before = warehouse.query(GAME_SCORES.format(schema="marts"))
    with warehouse.context(project) as context:
        context.apply(context.plan("dev", execution_time="2026-02-15", no_prompts=True, skip_tests=True))
    dev = warehouse.query(GAME_SCORES.format(schema="marts__dev"))
    assert warehouse.query(GAME_SCORES.format(schema="marts")) == prod_before
    assert len(dev) == len(prod_before) and dev != prod_before

    physical = "select table_schema, table_name from information_schema.tables where table_schema like 'sqlmesh\\_\\_%'"
    tables_before = set(warehouse.query(physical))
    with warehouse.context(project) as context:
        promotion = context.plan("prod", execution_time="2026-02-15", no_prompts=True, skip_tests=True)
        assert promotion.missing_intervals == []
        context.apply(promotion)
    assert set(warehouse.query(physical)) == tables_before
    assert warehouse.query(GAME_SCORES.format(schema="marts")) == dev


def test_two_dev_environments_are_planned_at_once_by_two_processes(environments_base, tmp_path):
    warehouse = environments_base.copy(tmp_path / "wh")
    plans = {
        name: subprocess.Popen(
            [str(Path(sys.executable).parent / "sqlmesh"), "--paths", str(_edited_project(tmp_path / name, weight)), "plan", name,
             "--auto-apply", "--no-prompts", "--skip-tests", "--execution-time", "2026-02-15"],
            cwd=tmp_path, env=warehouse.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        for name, weight in (("alice", "1.5"), ("bob", "2"))
    }
    outputs = {name: plan.communicate(timeout=600)[0] for name, plan in plans.items()}
    assert {name: plan.returncode for name, plan in plans.items()} == {"alice": 0, "bob": 0}, outputs
    alice, bob, prod = (warehouse.query(GAME_SCORES.format(schema=schema)) for schema in ("marts__alice", "marts__bob", "marts"))
    assert len({tuple(alice), tuple(bob), tuple(prod)}) == 3, "each environment shows its own change, prod neither"
    with warehouse.context(_edited_project(tmp_path / "check", "1.5")) as context:
        assert {"alice", "bob", "prod"} <= {e.name for e in context.state_reader.get_environments()}
    assert os.environ.get("NBA_WAREHOUSE_GATEWAY") in (None, "local"), "the tests' own environment is left as it was"
