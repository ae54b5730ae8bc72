"""Shared fixtures: scratch warehouses, the synthetic league and the real data in ../shared.

Building a warehouse is the expensive part of most tests, so each distinct one
is built once per session (``built``) and every test that changes it gets its
own copy of the folder. Commands run in-process through the CLI's ``main``;
tests where the process itself is the point (SIGKILL, the lock, a kernel) start
one. Server mode's warehouses live on a scratch PostgreSQL server started once
per session (``postgres``), one database each, restored from a kept copy for each test.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import nbformat
import psycopg2
import pytest
from jupyter_client import KernelManager
from nbclient import NotebookClient
from sqlmesh import Context

from nba_warehouse.cli import main
from nba_warehouse.offline.synth import write_league

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
RECORDED = SHARED / "nba_recorded"
HISTORY = SHARED / "history"
NOTEBOOK = REPO / "notebooks" / "explore.ipynb"
# season simulations per as-of date in test warehouses: enough to exercise them, few enough to be quick
SIMULATIONS = "50"
# retries stay real but do not sleep in tests
os.environ.update(
    RUNTIME__REQUEST_BACKOFF_FACTOR="0", RUNTIME__REQUEST_MAX_ATTEMPTS="3", NBA_WAREHOUSE_SIMULATIONS=SIMULATIONS, NBA_WAREHOUSE_PROJECT=str(REPO)
)


def needs(present: bool, reason: str) -> None:
    """Skip on a developer's machine that lacks something, with the reason; in CI (CI=true) fail instead."""
    if present:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI must have it)")
    pytest.skip(reason)


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """Set environment variables for the duration of an in-process command."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Warehouse:
    """A scratch warehouse folder and the commands that run against it."""

    db: Path

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "NBA_WAREHOUSE_DB": str(self.db), "NBA_WAREHOUSE_PROJECT": str(REPO)}

    def cli(self, *args: str, faults: str = "") -> Result:
        """``nba-warehouse ARGS`` in this process, as the console script calls it."""
        out, err = io.StringIO(), io.StringIO()
        with environment(NBA_WAREHOUSE_DB=str(self.db), NBA_WAREHOUSE_REPLAY_FAULTS=faults), redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit:  # argparse's own errors
                code = exit.code if isinstance(exit.code, int) else 1
        return Result(code, out.getvalue(), err.getvalue())

    def process(self, *args: str, faults: str = "", **options) -> subprocess.Popen:
        """``nba-warehouse ARGS`` as a separate process, for tests about the process itself."""
        env = {**self.env, "NBA_WAREHOUSE_REPLAY_FAULTS": faults}
        return subprocess.Popen([sys.executable, "-m", "nba_warehouse.cli", *args], cwd=REPO, env=env, **options)

    @contextmanager
    def context(self, project: Path = REPO) -> Iterator[Context]:
        """A SQLMesh context on this warehouse that lets go of the DuckDB file when done (DuckDB allows one writer)."""
        with environment(NBA_WAREHOUSE_DB=str(self.db)):
            context = Context(paths=str(project))
            try:
                yield context
            finally:
                context.close()

    def plan(self, project: Path = REPO, **options) -> None:
        """``sqlmesh plan --auto-apply --no-prompts --skip-tests`` into prod (`make test` runs the unit tests once)."""
        with self.context(project) as context:
            context.plan("prod", no_prompts=True, auto_apply=True, **{"skip_tests": True, **options})

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql).fetchall()

    def scalar(self, sql: str):
        return self.query(sql)[0][0]

    def copy(self, folder: Path) -> "Warehouse":
        """The whole warehouse folder (file, landing archive, dlt state, Data Docs, manifests) copied to ``folder``."""
        shutil.copytree(self.db.parent, folder)
        return Warehouse(folder / self.db.name)


@dataclass
class ServerWarehouse(Warehouse):
    """A warehouse in server mode: its database on the scratch server, its files in the folder of ``db``."""

    server: "PostgresServer"
    database: str

    @property
    def server_env(self) -> dict[str, str]:
        return {"NBA_WAREHOUSE_GATEWAY": "postgres", **self.server.env(self.database)}

    @property
    def env(self) -> dict[str, str]:
        return {**super().env, **self.server_env}

    def cli(self, *args: str, faults: str = "") -> Result:
        with environment(**self.server_env):
            return super().cli(*args, faults=faults)

    @contextmanager
    def context(self, project: Path = REPO) -> Iterator[Context]:
        with environment(**self.server_env), super().context(project) as context:
            yield context

    def query(self, sql: str) -> list[tuple]:
        with self.server.connect(self.database) as con, con.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def copy(self, folder: Path) -> "ServerWarehouse":
        """The folder copied, and the database as it was built. SQLMesh names every table with its catalog, the
        database's name, so a copy under another name would be another warehouse: the database keeps its name and
        is restored from the copy kept when it was built (so one test at a time, as the module's xdist group runs)."""
        shutil.copytree(self.db.parent, folder)
        self.server.restore(self.database)
        return ServerWarehouse(folder / self.db.name, self.server, self.database)


@dataclass
class PostgresServer:
    """The scratch server of scripts/local-postgres, as the nba role sees it."""

    folder: Path
    port: int

    def env(self, database: str) -> dict[str, str]:
        return {
            "NBA_WAREHOUSE_PG_HOST": "127.0.0.1", "NBA_WAREHOUSE_PG_PORT": str(self.port), "NBA_WAREHOUSE_PG_USER": "nba",
            "NBA_WAREHOUSE_PG_PASSWORD": "nba", "NBA_WAREHOUSE_PG_DATABASE": database,
        }  # fmt: skip

    @contextmanager
    def connect(self, database: str, user: str = "nba") -> Iterator:
        con = psycopg2.connect(host="127.0.0.1", port=self.port, user=user, dbname=database)
        con.autocommit = True
        try:
            yield con
        finally:
            con.close()

    def _admin(self, *statements: str) -> None:
        with self.connect("postgres", user="postgres") as con, con.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def create(self, name: str) -> str:
        """A new database owned by nba, named after ``name`` and unique on the server."""
        database = f"{''.join(c if c.isalnum() else '_' for c in name.lower())}_{os.getpid()}_{next(_DATABASES)}"
        self._admin(f"create database {database} owner nba")
        return database

    def keep(self, database: str) -> None:
        """Keep a copy of ``database`` as it is now, for ``restore``."""
        self._admin(f"create database {database}_kept owner nba template {database}")

    def restore(self, database: str) -> None:
        self._admin(f"drop database {database} with (force)", f"create database {database} owner nba template {database}_kept")

    def warehouse(self, folder: Path) -> ServerWarehouse:
        return ServerWarehouse(folder / "warehouse.duckdb", self, self.create(folder.name))


_DATABASES = iter(range(1, 1_000_000))
LOCAL_POSTGRES = REPO / "scripts" / "local-postgres"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """Debian's PostgreSQL on a free local port, in a scratch folder outside pytest's (which only root may enter:
    as root the script runs the server as the postgres user)."""
    needs(any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")), "PostgreSQL is not installed: apt-get install postgresql (.ci/run does)")
    folder = Path(tempfile.mkdtemp(prefix="nba-warehouse-postgres-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subprocess.run([str(LOCAL_POSTGRES), "start", str(folder), str(port)], check=True, capture_output=True)
    try:
        yield PostgresServer(folder, port)
    finally:
        subprocess.run([str(LOCAL_POSTGRES), "stop", str(folder)], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


class Built:
    """Warehouses built once per session by name; tests get copies."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[str, Warehouse] = {}

    def get(self, name: str, build: Callable[[Warehouse], None], server: PostgresServer | None = None) -> Warehouse:
        """The warehouse ``name``, built by ``build`` the first time it is asked for (on ``server`` if given)."""
        if name not in self.made:
            folder = self.root / name
            warehouse = server.warehouse(folder) if server else Warehouse(folder / "warehouse.duckdb")
            build(warehouse)
            if server:
                server.keep(warehouse.database)
            self.made[name] = warehouse
        return self.made[name]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("built"))


def succeeded(result: Result) -> Result:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def new_warehouse(tmp_path: Path):
    """Make further scratch warehouses in the test's temporary folder."""
    return lambda name: Warehouse(tmp_path / name / "warehouse.duckdb")


@pytest.fixture
def warehouse(new_warehouse) -> Warehouse:
    return new_warehouse("wh")


@pytest.fixture(scope="session")
def league(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One complete synthetic season and one played through 2026-02-21."""
    out = tmp_path_factory.mktemp("league") / "synthetic"
    write_league(out, seasons=2, last_season="2025-26", seed=7, through=date(2026, 2, 21))
    return out


@pytest.fixture(scope="session")
def demo(built: Built, league: Path) -> Warehouse:
    """The synthetic 2025-26 season through 2026-02-21, loaded and built by `backfill --replay` as `make demo` does."""
    args = ("backfill", "--start", "2025-10-01", "--end", "2026-02-21", "--chunk-days", "366", "--replay", str(league))
    return built.get("demo", lambda wh: succeeded(wh.cli(*args)))


@pytest.fixture(scope="session")
def ingested(built: Built, league: Path) -> Warehouse:
    """Both synthetic seasons, every raw table, ingested through replay (no models built)."""
    args = ("ingest", "--season", "2024-25", "--season", "2025-26", "--replay", str(league))
    return built.get("ingested", lambda wh: succeeded(wh.cli(*args)))


@pytest.fixture(scope="session")
def recorded() -> Path:
    needs((RECORDED / "index.json").is_file(), f"real stats.nba.com recordings not found at {RECORDED} (they live in ../shared/nba_recorded)")
    return RECORDED


@pytest.fixture(scope="session")
def history() -> Path:
    needs((HISTORY / "games.csv.gz").is_file(), f"the historical facts are not at {HISTORY} (they live in ../shared/history)")
    return HISTORY


def chromium() -> tuple[str, str]:
    """Debian's Chromium and its driver, which .ci/run installs."""
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    needs(bool(browser and driver), "Chromium is not installed: apt-get install chromium chromium-driver (.ci/run does)")
    return browser, driver


def execute_notebook(notebook: nbformat.NotebookNode, warehouse: Warehouse, cwd: Path = NOTEBOOK.parent, **options) -> nbformat.NotebookNode:
    """Run the notebook with its kernel in ``cwd`` (notebooks/ as `make notebook` does, or the root as
    `jupyter execute notebooks/explore.ipynb` does) and only NBA_WAREHOUSE_DB set: it finds the project itself."""
    # the kernel talks over Unix sockets: TCP ports picked before the kernel binds them can be taken by the other worker's servers
    kernel = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(tempfile.mkdtemp(), "kernel"))
    client = NotebookClient(notebook, km=kernel, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}, **options)
    env = {name: value for name, value in warehouse.env.items() if name != "NBA_WAREHOUSE_PROJECT"}
    try:
        return client.execute(env=env)
    finally:
        if kernel.has_kernel:  # nbclient shuts down only the kernels it made itself
            kernel.shutdown_kernel(now=True)
