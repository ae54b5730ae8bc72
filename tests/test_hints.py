"""Every command the demo's output and the README's "Start here" tell a new user to run works from a fresh clone."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, Warehouse

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo")]


def _demo_hints() -> list[str]:
    """The `sqlmesh ...` lines `make demo` prints after building the warehouse."""
    echoed = re.findall(r'@echo "(?:Look next:)?\s*\$\(BIN\)/(sqlmesh .*?)(?:\s{2,}\(.*\))?"$', (REPO / "Makefile").read_text(), re.MULTILINE)
    return [hint.replace('\\"', '"') for hint in echoed]


def _readme_hints() -> list[str]:
    """The `sqlmesh ...` lines of the README's "Start here", apart from `plan dev`, which asks before it changes anything."""
    readme = (REPO / "README.md").read_text()
    start = readme[readme.index("## Start here") : readme.index("## Layout")]
    lines = re.findall(r"^\.venv/bin/(sqlmesh [^#\n]*?)\s*(?:#.*)?$", start, re.MULTILINE)
    return [line for line in lines if not line.startswith("sqlmesh plan")]


def test_the_hints_are_found():
    assert len(_demo_hints()) == 4 and any("render" in hint for hint in _demo_hints())
    assert not any(" ui" in hint for hint in _demo_hints() + _readme_hints()), "`sqlmesh ui` needs packages the project does not install"
    assert _readme_hints(), "the README's Start here names sqlmesh commands"


@pytest.mark.parametrize("hint", _demo_hints() + _readme_hints())
def test_a_hint_runs_on_the_demo_warehouse(demo: Warehouse, tmp_path: Path, hint: str):
    warehouse = demo.copy(tmp_path / "demo")
    sqlmesh = Path(sys.executable).with_name("sqlmesh")
    done = subprocess.run([str(sqlmesh), *shlex.split(hint)[1:]], cwd=REPO, env=warehouse.env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Error" not in done.stdout + done.stderr, done.stdout + done.stderr
    assert done.stdout.strip(), "the hint shows something"
