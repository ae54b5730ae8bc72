"""The package installed without -e works from outside the repository: no code finds files by its own location."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip install .` would build, installed into a folder of its own (dependencies from this venv)."""
    wheels, target = tmp_path_factory.mktemp("wheels"), tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(REPO)], check=True, cwd=wheels)
    (wheel,) = wheels.glob("nba_warehouse-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "nba_warehouse/explore/templates/report.html.j2" in names and not any(n.startswith("tests/") for n in names)
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


def _outside(installed: Path, tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NBA_WAREHOUSE_PROJECT", "NBA_WAREHOUSE_DB")}
    environment.update(PYTHONPATH=str(installed), **env)
    return subprocess.run([sys.executable, *args], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300)


def test_the_installed_package_imports_and_answers_help_outside_the_repository(installed, tmp_path):
    imports = "import nba_warehouse, nba_warehouse.cli, nba_warehouse.explore.report, nba_warehouse.runs.job, pipelines.ingest, pipelines.quality; print(nba_warehouse.__file__)"
    imported = _outside(installed, tmp_path, "-c", imports)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip().startswith(str(installed)), "the installed copy is imported, not the checkout"
    helped = _outside(installed, tmp_path, "-m", "nba_warehouse.cli", "--help")
    assert helped.returncode == 0 and "daily" in helped.stdout and "backfill" in helped.stdout


def test_outside_a_project_a_command_says_how_to_name_one(installed, tmp_path):
    result = _outside(installed, tmp_path, "-m", "nba_warehouse.cli", "report")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "no SQLMesh project" in line and "NBA_WAREHOUSE_PROJECT" in line
    named = _outside(installed, tmp_path, "-m", "nba_warehouse.cli", "report", NBA_WAREHOUSE_PROJECT=str(REPO),
                     NBA_WAREHOUSE_DB=str(tmp_path / "none" / "warehouse.duckdb"))  # fmt: skip
    assert named.returncode == 2 and "no warehouse at" in named.stderr, "with the project named, the command gets as far as the warehouse"
