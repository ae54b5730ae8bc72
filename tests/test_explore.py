"""The notebook and the HTML report, run as their users run them, on a warehouse built the way `make demo` builds it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import nbformat
import numpy as np
import pytest
from PIL import Image

from conftest import NOTEBOOK, REPO, Warehouse, chromium, execute_notebook
from nba_warehouse.explore.reader import Reader, WarehouseLocked

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo")]

LOCK_HOLDER = {"run_id": "20261122T000000Z-abcdef", "command": "daily", "started_at": "2026-11-22T00:00:00+00:00"}


@contextmanager
def _held_for_writing(warehouse: Warehouse, *, by_a_run: bool = True) -> Iterator[int]:
    """Another process holds the warehouse open for writing; ``by_a_run`` leaves the lock file a run writes."""
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(warehouse.db)!r}); print('open', flush=True); time.sleep(300)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    lock = warehouse.db.parent / "nba-warehouse.lock"
    try:
        assert holder.stdout.readline().strip() == "open"
        if by_a_run:
            lock.write_text(json.dumps({"pid": holder.pid, **LOCK_HOLDER}))
        yield holder.pid
    finally:
        holder.kill()
        holder.wait()
        lock.unlink(missing_ok=True)


def _outputs(cell: nbformat.NotebookNode) -> str:
    return "\n".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs)


@pytest.mark.parametrize("started_in", ["notebooks", "root"])
def test_the_notebook_runs_headless_on_prod_views_only(demo, tmp_path, started_in):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    source = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "sqlmesh__" not in source, "the notebook must read the promoted views, not SQLMesh's physical tables"
    for magic in ("%context", "%%fetchdf", "%plan dev"):
        assert magic in source

    demo = demo.copy(tmp_path / "demo")  # %plan dev adds a dev environment
    cwd = NOTEBOOK.parent if started_in == "notebooks" else REPO
    executed = execute_notebook(notebook, demo, cwd)  # raises CellExecutionError on any failing cell

    code = [c for c in executed.cells if c.cell_type == "code"]
    assert "2025-26 regular season through 2026-02-21: SYNTHETIC" in _outputs(code[0])
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 5, "standings race, ratings, Elo, playoff odds and player form each draw a chart"
    runs = next(c for c in code if "pipeline_runs(wh)" in c.source)
    assert "backfill" in _outputs(runs) and "succeeded" in _outputs(runs)
    environments = next(c for c in code if "information_schema" in c.source)
    assert re.search(r"\bdev\b", _outputs(environments)), "%plan dev created the dev environment"
    # the last cell closed SQLMesh's connection: a run can open the warehouse for writing again
    duckdb.connect(str(demo.db)).close()


def test_the_notebook_says_which_run_holds_the_warehouse(demo):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells = notebook.cells[:2]  # the introduction and the cell that opens the warehouse
    with _held_for_writing(demo) as pid:
        executed = execute_notebook(notebook, demo, allow_errors=True)
    outputs = executed.cells[1].outputs
    text = "".join(o.get("text", "") for o in outputs)
    assert text.strip() == (
        f"The warehouse is busy: `nba-warehouse daily` (run {LOCK_HOLDER['run_id']}, pid {pid}, started "
        f"{LOCK_HOLDER['started_at']}) is writing it; try again when that run finishes."
    )
    assert not any(o["output_type"] == "error" for o in outputs) and "Traceback" not in json.dumps(outputs)


def test_a_writer_without_a_lock_file_is_named_by_its_pid(demo):
    with _held_for_writing(demo, by_a_run=False) as pid:
        with pytest.raises(WarehouseLocked, match=rf"process {pid} has .* open for writing \(not an nba-warehouse run"):
            Reader(demo.db).sql("select 1")


def test_the_reader_refuses_sqlmesh_physical_tables(demo):
    with pytest.raises(ValueError, match="physical table sqlmesh__marts"):
        Reader(demo.db).sql("select * from sqlmesh__marts.marts__standings__123")


def test_the_report_is_self_contained_and_says_what_it_covers(demo, tmp_path):
    result = demo.cli("report", "--out", str(tmp_path / "report"))
    assert result.returncode == 0, result.stderr
    path = tmp_path / "report" / "index.html"
    assert result.stdout.strip() == f"report: {path}"
    html = path.read_text()
    assert "2025-26 regular season, through 2026-02-21" in html
    assert demo.scalar("select source from ops.pipeline_runs") == "synthetic"
    assert "SYNTHETIC league" in html
    assert re.search(r"Last run:.*backfill.*succeeded", html, re.DOTALL)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "no link may leave the file"
    sources = re.findall(r"<img src=\"([^\"]+)\"", html)
    assert len(sources) >= 7 and all(s.startswith("data:image/png;base64,") for s in sources)
    standings_rows = re.findall(r"<tr class=\"[^\"]*\"><td class=\"text\">\d+</td><td class=\"text\">[A-Z]{3}</td>", html)
    assert len(standings_rows) == 30


def test_the_report_refuses_bad_input_in_one_line(demo, new_warehouse, tmp_path):
    missing = new_warehouse("none").cli("report")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "no warehouse at" in missing.stderr
    (tmp_path / "a-file").write_text("")
    not_a_folder = demo.cli("report", "--out", str(tmp_path / "a-file"))
    assert not_a_folder.returncode == 2 and "is a file: expected a folder" in not_a_folder.stderr
    with _held_for_writing(demo):
        busy = demo.cli("report", "--out", str(tmp_path / "busy"))
    assert busy.returncode == 75 and f"run {LOCK_HOLDER['run_id']}" in busy.stderr and busy.stderr.count("\n") == 1
    assert not (tmp_path / "busy").exists()


@contextmanager
def _offline_browser(tmp_path: Path) -> Iterator[Any]:
    """Headless Chromium behind a proxy that refuses every connection: what it shows needs no network."""
    browser, driver_path = chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--proxy-server=127.0.0.1:9", "--window-size=1280,1024",
                 "--allow-file-access-from-files"):  # fmt: skip
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        yield driver
    finally:
        driver.quit()


def _problems(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def test_the_report_renders_in_headless_chromium(demo, tmp_path):
    assert demo.cli("report", "--out", str(tmp_path)).returncode == 0
    with _offline_browser(tmp_path) as driver:
        driver.get((tmp_path / "index.html").as_uri())
        images = driver.execute_script("return Array.from(document.images, i => [i.complete, i.naturalWidth, i.alt])")
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, height)
        screenshot = tmp_path / "report.png"
        driver.save_screenshot(str(screenshot))
        problems = _problems(driver)
        title = driver.title
    assert title.startswith("NBA warehouse: 2025-26")
    assert len(images) >= 7 and all(complete and width > 0 for complete, width, _ in images), f"broken images: {images}"
    assert problems == []
    with Image.open(screenshot) as shot:
        assert shot.size[1] > 2000, "the screenshot covers the whole page"
        assert np.unique(np.asarray(shot.convert("L"))).size > 50, "the page drew more than a blank"


def _physical_table(warehouse: Warehouse, view: str) -> str:
    """The table SQLMesh's prod view ``view`` selects from."""
    schema, name = view.split(".")
    definition = warehouse.scalar(f"select sql from duckdb_views() where schema_name = '{schema}' and view_name = '{name}'")
    return re.search(r"FROM (\S+\.sqlmesh__\w+\.\w+)", definition)[1]


HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def test_the_report_escapes_names_and_error_text(demo, tmp_path):
    hostile = demo.copy(tmp_path / "hostile")
    leader = hostile.scalar("select player_id from marts.player_season_stats order by pts_per_game desc limit 1")
    stats = _physical_table(hostile, "marts.player_season_stats")
    with duckdb.connect(str(hostile.db)) as con:
        con.execute(f"update {stats} set player_name = ? where player_id = ?", [HOSTILE, leader])
        con.execute("update ops.pipeline_runs set status = 'failed', error = ?", [f"HTTP 502 from the server: {HOSTILE}"])
    assert hostile.cli("report", "--out", str(tmp_path / "report")).returncode == 0
    html = (tmp_path / "report" / "index.html").read_text()
    assert "<script" not in html and "<img src=x" not in html and "onerror=\"" not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&#34;alert(2)&#34;&gt;"
    assert html.count(escaped) == 2, "the player's name and the last run's error are shown, escaped"


def test_the_report_shows_each_raw_table_s_latest_validation_with_its_page(demo, tmp_path):
    assert demo.cli("report", "--out", str(tmp_path / "report")).returncode == 0
    html = (tmp_path / "report" / "index.html").read_text()
    section = html[html.index("<h2>Data quality</h2>") : html.index("<h2>Latest runs</h2>")]
    rows = re.findall(r"<tr><td class=\"text\">(\w+)</td><td class=\"text\">([^<]+)</td><td class=\"\">(\d+)</td>"
                      r"<td class=\"\">(\d+)</td><td class=\"\">(\d+)</td><td class=\"\">(\d+)</td>", section)  # fmt: skip
    assert {row[0] for row in rows} == {"team_game_logs", "player_game_logs", "players", "schedule"}
    recorded = dict(demo.query("select table_name, max(rows) filter (where batch = newest) from (select *, max(batch) over (partition by table_name) as newest from ops.validations) group by 1"))
    for table, scope, count, passed, failed, quarantined in rows:
        assert scope.startswith(table) and int(count) == recorded[table] and int(passed) > 10 and failed == quarantined == "0"
    links = re.findall(r'<a href="([^"]+)">validation</a>', section)
    assert len(links) == 4 and all((tmp_path / "report" / link).resolve().is_file() for link in links)
    docs = re.search(r'<a href="([^"]+)">All validation results', section)[1]
    assert (tmp_path / "report" / docs).resolve() == (demo.db.parent / "gx/uncommitted/data_docs/local_site/index.html").resolve()


def test_data_docs_render_their_validation_list_offline(demo, tmp_path):
    site = demo.db.parent / "gx" / "uncommitted" / "data_docs" / "local_site"
    pages = list(site.rglob("*.html"))
    loaded = [re.findall(r"<(?:script|link)\b[^>]*(?:src|href)=\"(https?://[^\"]+)\"", p.read_text()) for p in pages]
    assert len(pages) > 5 and not any(loaded), "every script and style comes from the site itself"
    validated = demo.scalar("select count(*) from ops.validations")
    with _offline_browser(tmp_path) as driver:
        driver.get((site / "index.html").as_uri())
        rows = driver.execute_script("return document.querySelectorAll('table[data-toggle=table] tbody tr[data-index]').length")
        styled = driver.execute_script("return getComputedStyle(document.querySelector('.container-fluid, body')).fontFamily")
        problems = _problems(driver)
    assert rows >= validated, f"the validation list shows {rows} rows for {validated} validations"
    assert "Times" not in styled, "Bootstrap's styles apply"
    assert problems == []
