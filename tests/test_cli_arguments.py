"""Bad arguments fail fast: one line naming the argument, non-zero, nothing written."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest
import duckdb
from sqlglot import parse_one
from sqlglot.errors import ParseError

from conftest import Warehouse, environment
from nba_warehouse.offline.recordings import OutsideFolder, RecordingFolder
from nba_warehouse.project import BadWarehousePath, check_catalog_name

CASES = [
    (["--season", "2025-2026"], "--season"),
    (["--season", "2025-27"], "--season"),
    (["--season", "2025-26", "--start", "2026-01-05", "--end", "2026-01-01"], "--end"),
    (["--season", "2025-26", "--start", "2026-13-01"], "--start"),
    (["--season", "2025-26", "--season-type", "All Star"], "--season-type"),
    (["--season", "2025-26", "--resources", "team_game_logs,box_scores"], "--resources"),
    (["--season", "2025-26", "--replay", "/nonexistent/recordings"], "--replay"),
]


@pytest.mark.parametrize(("args", "named"), CASES)
def test_bad_ingest_arguments(warehouse, args, named):
    result = warehouse.cli("ingest", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0] and "expected" in lines[0]
    assert not warehouse.db.parent.exists(), "a rejected command must not create the warehouse"


def test_synth_refuses_a_non_empty_folder(tmp_path, warehouse):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    result = warehouse.cli("synth", "--seasons", "1", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "--out" in result.stderr and (tmp_path / "out" / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("stem", ["kill", "select", "order", "2026", "my-warehouse"])
def test_a_warehouse_file_whose_name_sql_reads_as_a_keyword_is_refused_up_front(tmp_path, league, stem):
    warehouse = Warehouse(tmp_path / "data" / f"{stem}.duckdb")
    result = warehouse.cli("daily", "--date", "2026-02-21", "--replay", str(league))
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert f"({stem!r}) becomes the SQL catalog name" in line and "not be a SQL keyword" in line
    assert not (tmp_path / "data").exists(), "nothing is created for a refused path"


def _sqlmesh_can_use(stem: str) -> bool:
    """SQLMesh writes a physical table's name unquoted, parses it back with sqlglot (Context.resolve_table, the
    Python models) and sends unquoted DDL to DuckDB (CREATE TABLE order.sqlmesh__marts... fails in a plan)."""
    name = f"{stem}.sqlmesh__marts.marts__elo_ratings__1"
    try:
        parsed = parse_one(name, dialect="duckdb").sql(dialect="duckdb", identify=True)
        duckdb.connect().execute(f"explain create table {name} (a int)")
    except (ParseError, duckdb.ParserException):
        return False
    except duckdb.CatalogException:  # parsed; the catalog just does not exist in this scratch connection
        pass
    return parsed == f'"{stem}"."sqlmesh__marts"."marts__elo_ratings__1"'


@pytest.mark.parametrize(("stem", "refused"), [("kill", True), ("select", True), ("order", True), ("table", True), ("league_2026", False), ("nba", False)])
def test_the_refused_names_are_those_sqlmesh_cannot_use(stem, refused):
    assert _sqlmesh_can_use(stem) is not refused
    if refused:
        with pytest.raises(BadWarehousePath):
            check_catalog_name(Path(f"/srv/{stem}.duckdb"))
    else:
        check_catalog_name(Path(f"/srv/{stem}.duckdb"))


@pytest.mark.parametrize("stem", ["warehouse", "nba", "league_2026", "Warehouse", "prod_nba"])
def test_ordinary_warehouse_names_are_accepted(stem):
    check_catalog_name(Path(f"/srv/{stem}.duckdb"))


def test_a_recordings_index_pointing_outside_its_folder_is_refused(tmp_path, warehouse):
    for name, file in (("parent", "../outside.json.gz"), ("absolute", "/etc/passwd")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "index.json").write_text(json.dumps([{"file": file, "endpoint": "leaguegamelog", "params": {}, "status": 200}]))
        with pytest.raises(OutsideFolder, match="is not inside the recordings folder"):
            RecordingFolder(folder)
        result = warehouse.cli("ingest", "--season", "2025-26", "--replay", str(folder))
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and repr(file) in result.stderr


def test_the_command_keeps_its_exit_code_and_its_output_though_it_skips_the_interpreters_teardown(tmp_path, warehouse):
    """The console command ends with ``os._exit`` (``nba_warehouse/teardown.py``): what ``main`` returned or argparse
    raised is still the exit code, and everything printed still reaches the caller."""
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    cases = [
        (["synth", "--seasons", "1", "--out", str(tmp_path / "league")], 0, "wrote 1 synthetic season(s)"),
        (["synth", "--seasons", "1", "--out", str(tmp_path / "full")], 2, "--out"),  # main returns 2
        (["daily", "--date", "nonsense"], 2, "--date"),  # argparse exits 2
        (["--help"], 0, "usage:"),  # argparse exits 0
    ]
    for args, code, printed in cases:
        process = warehouse.process(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = process.communicate(timeout=300)
        assert process.returncode == code, (args, err)
        assert printed in out + err, (args, out, err)


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"NBA_WAREHOUSE_GATEWAY": "oracle"}, "NBA_WAREHOUSE_GATEWAY=oracle: expected one of local, postgres"),
        ({"NBA_WAREHOUSE_GATEWAY": "postgres", "NBA_WAREHOUSE_PG_PORT": "five"}, "NBA_WAREHOUSE_PG_PORT=five: expected a port number"),
    ],
)
def test_bad_server_settings_are_refused_up_front(warehouse, settings, expected):
    with environment(**settings):
        result = warehouse.cli("daily", "--date", "2026-02-21")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert expected in line
    assert not warehouse.db.parent.exists()


def test_a_server_that_cannot_be_reached_is_said_in_one_line_before_anything_is_written(warehouse):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with environment(NBA_WAREHOUSE_GATEWAY="postgres", NBA_WAREHOUSE_PG_PORT=str(port)):
        result = warehouse.cli("ingest", "--season", "2025-26", "--resources", "teams")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert f"cannot connect to the PostgreSQL database nba_warehouse on 127.0.0.1:{port} as nba" in line and "NBA_WAREHOUSE_PG_*" in line
    assert not warehouse.db.parent.exists()
