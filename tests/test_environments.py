"""The SQLMesh workflow on a scratch copy of the project: dev environments, table_diff, virtual
promotion, forward-only changes, restatement and scheduled runs."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

import duckdb
import pytest
from conftest import REPO, Built, Warehouse, environment, succeeded
from sqlmesh import Context
from sqlmesh.utils import CompletionStatus

from nba_warehouse.runs.refresh import ProdRefresh

PROJECT_FILES = ("config.yaml", "external_models.yaml", "models", "macros", "audits", "seeds", "tests/models")
# The warehouse is built as it would have been on the morning of 2026-02-15, with games through the 14th.
BUILT_ON = "2026-02-15"
REGULAR_SEASON = ("--season", "2025-26", "--season-type", "Regular Season")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("environments")]


class Project:
    """A copy of the project's SQLMesh files with its own warehouse."""

    def __init__(self, root: Path, warehouse: Warehouse) -> None:
        self.root = root
        self.warehouse = warehouse

    @contextmanager
    def context(self) -> Iterator[Context]:
        """A SQLMesh context on this copy that lets go of the DuckDB file when done (DuckDB allows one writer)."""
        with self.warehouse.context(self.root) as context:
            yield context

    def edit(self, model: str, old: str, new: str) -> None:
        path = self.root / "models" / model
        text = path.read_text()
        assert old in text, f"{old!r} not in {model}"
        path.write_text(text.replace(old, new))

    def physical_tables(self) -> set[tuple[str, str]]:
        return set(
            self.warehouse.query(
                "select table_schema, table_name from information_schema.tables where table_schema like 'sqlmesh__%'"
            )
        )

    def prod_intervals(self, context: Context) -> dict[str, list[tuple[int, int]]]:
        prod = context.state_reader.get_environment("prod")
        snapshots = context.state_reader.get_snapshots(prod.snapshots)
        return {snapshot.name: list(snapshot.intervals) for snapshot in snapshots.values()}


def _copy_project(root: Path) -> Path:
    root.mkdir()
    for name in PROJECT_FILES:
        source = REPO / name
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    return root


def _build(warehouse: Warehouse, league: Path) -> None:
    """Built from a copy of the project, as the tests' copies are: the Python models' imports of the
    nba_warehouse package are then the same (outside the project folder) and so are their fingerprints."""
    succeeded(warehouse.cli("ingest", *REGULAR_SEASON, "--end", "2026-02-14", "--replay", str(league)))
    warehouse.plan(_copy_project(warehouse.db.parent.parent / "environments-project"), execution_time=BUILT_ON)


@pytest.fixture
def project(tmp_path: Path, league: Path, built: Built) -> Project:
    """A copy of the project files and of a warehouse built once per session on the league through 2026-02-14."""
    base = built.get("environments", lambda warehouse: _build(warehouse, league))
    return Project(_copy_project(tmp_path / "project"), base.copy(tmp_path / "warehouse"))


def name(model: str) -> str:
    return f'"warehouse"."{model.split(".")[0]}"."{model.split(".")[1]}"'


def test_a_dev_change_backfills_only_its_model_and_children_then_promotes_without_recomputing(project):
    prod_before = project.warehouse.query("select player_id, game_score_per_game from marts.player_season_stats order by 1")
    project.edit("core/fct_player_games.sql", "+ 0.7 * blk - 0.4 * pf - tov AS game_score", "+ 0.7 * blk - 0.4 * pf - 1.0 * tov - 0 AS game_score")
    project.edit("core/fct_player_games.sql", "+ 0.7 * oreb + 0.3 * dreb", "+ 0.75 * oreb + 0.3 * dreb")

    with project.context() as context:
        plan = context.plan("dev", execution_time=BUILT_ON, no_prompts=True, skip_tests=True)
        backfilled = {interval.snapshot_id.name for interval in plan.missing_intervals}
        assert backfilled == {name("core.fct_player_games"), name("marts.player_season_stats"), name("marts.player_form")}
        assert {snapshot.name for snapshot in plan.directly_modified} == {name("core.fct_player_games")}
        context.apply(plan)

    assert project.warehouse.query("select player_id, game_score_per_game from marts.player_season_stats order by 1") == prod_before
    dev = project.warehouse.query("select player_id, game_score_per_game from marts__dev.player_season_stats order by 1")
    assert len(dev) == len(prod_before) and dev != prod_before

    with project.context() as context:
        (diff,) = context.table_diff("prod", "dev", select_models={"marts.player_season_stats"}, show=False)
        assert diff.row_diff().full_match_count < len(prod_before)
        assert diff.row_diff().join_count == len(prod_before)

    tables_before = project.physical_tables()
    with project.context() as context:
        promotion = context.plan("prod", execution_time=BUILT_ON, no_prompts=True, skip_tests=True)
        assert promotion.missing_intervals == []
        context.apply(promotion)
    assert project.physical_tables() == tables_before
    assert project.warehouse.query("select player_id, game_score_per_game from marts.player_season_stats order by 1") == dev


def test_a_forward_only_change_applies_from_its_effective_date_without_rebuilding_history(project):
    tables_before = project.physical_tables()
    project.edit("core/fct_team_games.sql", "  team_boxes.box_source\n", "  team_boxes.box_source,\n  team_boxes.minutes > 240 AS went_to_overtime\n")
    with project.context() as context:
        plan = context.plan(
            "prod", execution_time=BUILT_ON, forward_only=True, effective_from="2026-02-10", no_prompts=True, skip_tests=True
        )
        ranges = {
            interval.snapshot_id.name: (min(s for s, _ in interval.intervals), max(e for _, e in interval.intervals))
            for interval in plan.missing_intervals
        }
        context.apply(plan)
    # the effective date less the model's 7-day lookback, so the first effective day is whole
    assert ranges[name("core.fct_team_games")] == (1770076800000, 1771113600000)  # [2026-02-03, 2026-02-15)
    assert all(start >= 1770076800000 for start, _ in ranges.values())
    assert project.physical_tables() == tables_before
    filled = dict(
        project.warehouse.query(
            "select game_date >= '2026-02-03', count(went_to_overtime) = count(*) from core.fct_team_games group by 1"
        )
    )
    assert filled == {True: True, False: False}


def _prod_views(warehouse: Warehouse) -> dict[str, list[tuple]]:
    """Every prod view's rows; doubles to 9 decimals, since DuckDB's parallel sums may add in another order."""
    views = warehouse.query("select schema_name, view_name from duckdb_views() where schema_name in ('core', 'marts') order by 1, 2")
    return {
        f"{schema}.{view}": [
            tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in warehouse.query(f"select * from {schema}.{view} order by all")
        ]
        for schema, view in views
    }


def test_a_stat_correction_restated_from_its_date_equals_a_from_scratch_build(project, tmp_path):
    game_id, team_id = project.warehouse.query(
        "select game_id, team_id from raw.team_game_logs where game_date = '2025-12-01' and wl = 'W' order by game_id limit 1"
    )[0]
    points = f"select pts, ftm from core.fct_team_games where game_id = '{game_id}' and team_id = {team_id}"
    (pts, ftm), = project.warehouse.query(points)
    with duckdb.connect(str(project.warehouse.db)) as con:  # the corrected row (a free throw made, so attempted too), as a re-fetch would merge it
        con.execute(f"update raw.team_game_logs set pts = pts + 1, ftm = ftm + 1, fta = fta + 1 where game_id = '{game_id}' and team_id = {team_id}")

    with project.context() as context:  # the README's recipe: the raw-fed facts from the corrected date through today
        plan = context.plan(
            "prod", restate_models=["core.fct_team_games", "core.fct_player_games"], start="2025-12-01",
            execution_time=BUILT_ON, no_prompts=True, skip_tests=True,
        )
        restated = {interval.snapshot_id.name: interval.intervals for interval in plan.missing_intervals}
        context.apply(plan)
    assert (restated[name("core.fct_team_games")][0][0], restated[name("core.fct_team_games")][-1][1]) == (1764547200000, 1771113600000)  # [2025-12-01, 2026-02-15)
    assert project.warehouse.query(points) == [(pts + 1, ftm + 1)]

    scratch = Warehouse(tmp_path / "scratch" / "warehouse.duckdb")
    scratch.db.parent.mkdir()
    with duckdb.connect(str(scratch.db)) as con:  # the corrected raw layer, built from nothing
        con.execute(f"attach '{project.warehouse.db}' as corrected (read_only)")
        con.execute("create schema raw")
        for (table,) in con.execute("select table_name from information_schema.tables where table_catalog = 'corrected' and table_schema = 'raw'").fetchall():
            con.execute(f"create table raw.{table} as select * from corrected.raw.{table}")
    scratch.plan(project.root, execution_time=BUILT_ON)

    restated_views, scratch_views = _prod_views(project.warehouse), _prod_views(scratch)
    assert restated_views.keys() == scratch_views.keys() and {"marts.standings", "marts.elo_ratings", "marts.season_simulations"} <= restated_views.keys()
    for view, rows in scratch_views.items():
        assert restated_views[view] == rows, f"{view} differs from a from-scratch build after the restatement"


def test_a_correction_loaded_after_the_days_run_is_restated_not_left_for_tomorrow(project):
    """Prod is processed through the run's day, so ``sqlmesh run`` has nothing left to do and its lookback reaches
    back from nothing: a second load that day changed a row the models already hold, which only a restatement
    brings in."""
    game_id, team_id = project.warehouse.query(
        "select game_id, team_id from raw.team_game_logs where game_date = '2026-02-13' and wl = 'W' order by game_id limit 1"
    )[0]
    points = f"select pts, ftm from core.fct_team_games where game_id = '{game_id}' and team_id = {team_id}"
    (pts, ftm), = project.warehouse.query(points)
    with duckdb.connect(str(project.warehouse.db)) as con:
        con.execute(f"update raw.team_game_logs set pts = pts + 1, ftm = ftm + 1, fta = fta + 1 where game_id = '{game_id}' and team_id = {team_id}")

    detail: dict = {}
    with environment(NBA_WAREHOUSE_PROJECT=str(project.root), NBA_WAREHOUSE_DB=str(project.warehouse.db)):
        with ProdRefresh() as refresh:
            outcome = refresh.bring_up_to_date(date(2026, 2, 13), date.fromisoformat(BUILT_ON), detail)
    assert outcome.startswith("restated from 2026-02-13, then run"), outcome
    assert project.warehouse.query(points) == [(pts + 1, ftm + 1)]
    restated = {i["model"] for i in detail["intervals"]}
    assert {"core.fct_team_games", "marts.standings", "marts.elo_ratings"} <= restated


def test_a_scheduled_run_processes_only_the_new_day_and_then_nothing(project, league):
    with project.context() as context:
        intervals_before = project.prod_intervals(context)
    result = project.warehouse.cli("ingest", *REGULAR_SEASON, "--start", "2026-02-15", "--end", "2026-02-15", "--replay", str(league))
    assert result.returncode == 0, result.stderr

    with project.context() as context:
        assert context.run(execution_time="2026-02-16") == CompletionStatus.SUCCESS
        intervals_after = project.prod_intervals(context)
        assert context.run(execution_time="2026-02-16") == CompletionStatus.NOTHING_TO_DO
        assert project.prod_intervals(context) == intervals_after

        incremental = {model.fqn for model in context.models.values() if model.kind.is_incremental_by_time_range}

    assert {name("core.fct_team_games"), name("marts.standings"), name("marts.player_form")} <= incremental
    for model in incremental:  # one contiguous range, now ending a day later: [1946-11-01, 2026-02-16)
        assert intervals_before[model] == [(intervals_before[model][0][0], 1771113600000)], model
        assert intervals_after[model] == [(intervals_before[model][0][0], 1771200000000)], model
    latest = project.warehouse.query("select max(as_of_date) from marts.standings where season_type = 'Regular Season'")
    assert str(latest[0][0]) == "2026-02-15"


def test_each_roster_change_seen_by_a_run_closes_a_player_version_and_opens_the_next(project):
    person_id, team_id = project.warehouse.query(
        "select person_id, team_id from staging.players where team_id is not null order by person_id limit 1"
    )[0]
    new_team = project.warehouse.scalar(f"select min(team_id) from staging.teams where team_id <> {team_id}")
    snapshots = {  # the roster snapshot each morning's load brings: a trade, then a release
        "2026-02-16": f"update raw.players set team_id = {new_team} where person_id = {person_id}",
        "2026-02-17": f"update raw.players set team_id = 0, team_abbreviation = '', rosterstatus = 0 where person_id = {person_id}",
    }
    for day, change in snapshots.items():
        with duckdb.connect(str(project.warehouse.db)) as con:
            con.execute(change)
        with project.context() as context:
            assert context.run(execution_time=day) == CompletionStatus.SUCCESS

    versions = project.warehouse.query(
        f"select team_id, is_active, valid_from::date::text, valid_to::date::text from core.dim_players where person_id = {person_id} order by valid_from"
    )
    first_valid_from = versions[0][2]
    assert versions == [
        (team_id, True, first_valid_from, "2026-02-16"),
        (new_team, True, "2026-02-16", "2026-02-17"),
        (None, False, "2026-02-17", None),
    ]
    assert project.warehouse.scalar("select count(*) from core.dim_players where valid_to is null") == project.warehouse.scalar(
        "select count(*) from staging.players"
    )
