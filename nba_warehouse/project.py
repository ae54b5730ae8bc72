"""Where the SQLMesh project and the warehouse live.

One DuckDB file, named by ``NBA_WAREHOUSE_DB``, is written by both dlt and
SQLMesh (in server mode a PostgreSQL database is, ``nba_warehouse.database``);
everything else a run writes sits beside it so that a warehouse can be
copied, archived or deleted as one folder. The project (``config.yaml``,
``models/``, ``external_models.yaml``, ``seeds/``) is found explicitly, from
``NBA_WAREHOUSE_PROJECT`` or the working directory, never from where this
package happens to be installed.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
from sqlglot.dialects.duckdb import DuckDB

from nba_warehouse.database import server_mode

DB_ENV = "NBA_WAREHOUSE_DB"
PROJECT_ENV = "NBA_WAREHOUSE_PROJECT"
DEFAULT_DB = "data/warehouse.duckdb"
CONFIG_FILE = "config.yaml"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ProjectNotFound(FileNotFoundError):
    """No SQLMesh project where one was looked for."""


class BadWarehousePath(ValueError):
    """A warehouse path SQLMesh cannot work with."""


def _is_project(folder: Path) -> bool:
    return (folder / CONFIG_FILE).is_file() and (folder / "models").is_dir()


def project_root() -> Path:
    """``NBA_WAREHOUSE_PROJECT``, else the nearest folder at or above the working directory holding the
    SQLMesh config: a notebook started in ``notebooks/`` and a command run from the root find the same project."""
    if named := os.environ.get(PROJECT_ENV):
        root = Path(named).absolute()
        if not _is_project(root):
            raise ProjectNotFound(f"{PROJECT_ENV}={named}: expected a folder holding {CONFIG_FILE} and models/")
        return root
    cwd = Path.cwd()
    for folder in (cwd, *cwd.parents):
        if _is_project(folder):
            return folder
    raise ProjectNotFound(
        f"no SQLMesh project ({CONFIG_FILE} and models/) in {cwd} or above: run from the project or set {PROJECT_ENV}"
    )


def project_variables(root: Path | None = None) -> dict:
    """The project's SQLMesh variables as SQLMesh reads them (templating resolved): what the models run with, for
    code outside the models (benchmarks, tests) that must use the same parameters."""
    from sqlmesh.core.config import Config
    from sqlmesh.core.config.loader import load_config_from_paths

    return load_config_from_paths(Config, project_paths=[(root or project_root()) / CONFIG_FILE]).variables


@functools.cache
def _sql_keywords() -> frozenset[str]:
    """Words DuckDB reserves and words sqlglot (which SQLMesh parses with) reads as keywords."""
    reserved = duckdb.sql("select keyword_name from duckdb_keywords() where keyword_category = 'reserved'").fetchall()
    return frozenset({word for (word,) in reserved} | {word.lower() for word in DuckDB.Tokenizer.KEYWORDS if word.isidentifier()})


def check_catalog_name(db: Path) -> None:
    """DuckDB names the catalog after the file's stem and SQLMesh writes it unquoted into the table names it parses
    back; a stem SQL reads as a keyword (``kill``, ``select``, ``order``) breaks every plan."""
    stem = db.stem
    if not _IDENTIFIER.match(stem) or stem.lower() in _sql_keywords():
        raise BadWarehousePath(
            f"{DB_ENV}={db}: the file name without its extension ({stem!r}) becomes the SQL catalog name, so it must "
            f"be letters, digits and underscores, not start with a digit and not be a SQL keyword: expected a name "
            f"like {db.with_name('warehouse' + db.suffix)}"
        )


@dataclass(frozen=True)
class WarehousePaths:
    """The warehouse file and the folders that travel with it."""

    db: Path

    @property
    def root(self) -> Path:
        return self.db.parent

    @property
    def landing(self) -> Path:
        return Path(os.environ.get("NBA_WAREHOUSE_LANDING", self.root / "landing"))

    @property
    def dlt_dir(self) -> Path:
        return self.root / ".dlt"

    @classmethod
    def from_env(cls) -> "WarehousePaths":
        """``NBA_WAREHOUSE_DB`` (relative to the working directory), else ``data/warehouse.duckdb`` in the
        project. The path is checked and exported absolute, so SQLMesh contexts opened later in this process
        (the refresh, a notebook's ``%context``) use the same file from any working directory."""
        named = os.environ.get(DB_ENV)
        db = Path(named).absolute() if named else project_root() / DEFAULT_DB
        if not server_mode():  # in server mode only the file's folder is used
            check_catalog_name(db)
        os.environ[DB_ENV] = str(db)
        return cls(db)
