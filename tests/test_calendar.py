"""One season calendar: what runs request, what the gate accepts and what the models audit, against real calendars."""

from __future__ import annotations

import csv
import gzip
import json
import re
import subprocess
import sys
from datetime import date, timedelta

import duckdb
import nbformat
import pytest

from conftest import NOTEBOOK, REPO, Warehouse, environment, execute_notebook, succeeded
from nba_warehouse.nba import IRREGULAR_SEASONS, RAW_TABLES, season_of, season_start, season_window
from nba_warehouse.offline.recordings import RecordingFolder
from nba_warehouse.offline.synth import write_league
from nba_warehouse.runs.job import plan_chunks

# Opening night and the last game of the Finals of seasons whose calendars broke the pattern: public facts.
REAL_CALENDARS = {
    "2011-12": (date(2011, 12, 25), date(2012, 6, 21)),  # the lockout
    "2019-20": (date(2019, 10, 22), date(2020, 10, 11)),  # the bubble: seeding games from 30 July, play-in 15 August
    "2020-21": (date(2020, 12, 22), date(2021, 7, 20)),  # the July Finals
}


def test_every_real_game_1946_to_2010_falls_in_its_season(history):
    """1946-47 (the BAA's first, from 1 November) and 1998-99 (the lockout, February to June) among all 64."""
    with gzip.open(history / "games.csv.gz", "rt") as games:
        wrong = [(g["season"], g["game_date"]) for g in csv.DictReader(games) if season_of(date.fromisoformat(g["game_date"])) != g["season"]]
    assert wrong == []
    assert season_of(date(1946, 11, 1)) == "1946-47" and season_of(date(1999, 2, 5)) == season_of(date(1999, 6, 25)) == "1998-99"


@pytest.mark.parametrize("season", REAL_CALENDARS)
def test_irregular_seasons_own_every_date_of_their_games(season):
    first, last = REAL_CALENDARS[season]
    assert {season_of(first + timedelta(days=n)) for n in range((last - first).days + 1)} == {season}
    window = season_window(season)
    assert window[0] <= first and last <= window[1]


def test_the_windows_cover_every_date_once_and_each_date_knows_its_window_start():
    day, end = date(1946, 7, 1), date(2030, 6, 30)
    while day <= end:
        season = season_of(day)
        first, last = season_window(season)
        assert first <= day <= last, (day, season)
        assert season_start(day) == first, (day, season)
        day += timedelta(days=1)


def test_a_backfill_over_the_bubble_and_the_july_finals_asks_for_both_seasons_on_every_date():
    chunks = plan_chunks(date(2019, 10, 1), date(2021, 7, 31), 30)
    logs = [chunk for chunk in chunks if chunk.fetch == ("team_game_logs", "player_game_logs")]
    covered = {chunk.start + timedelta(days=n): chunk.seasons for chunk in logs for n in range((chunk.end - chunk.start).days + 1)}
    assert covered[date(2020, 7, 30)] == covered[date(2020, 8, 15)] == covered[date(2020, 10, 11)] == ("2019-20",)
    assert covered[date(2020, 12, 22)] == covered[date(2021, 7, 20)] == ("2020-21",)
    assert len(covered) == (date(2021, 7, 31) - date(2019, 10, 1)).days + 1
    assert chunks[-1].seasons == ("2019-20", "2020-21"), "players and schedules of both seasons"



def test_a_daily_window_is_one_chunk_with_the_seasons_players_schedule_and_teams():
    (chunk,) = plan_chunks(date(2026, 2, 15), date(2026, 2, 18), 30)
    assert sorted(chunk.fetch) == sorted(RAW_TABLES)
    assert chunk.seasons == ("2025-26",)
    assert chunk.refresh_from == date(2026, 2, 15), "its game logs can change the models from the window's first day"

RENDER_MACRO = """
import importlib.util, sys
from sqlglot import exp
from sqlmesh.core.macros import MacroEvaluator
spec = importlib.util.spec_from_file_location("project_macros", sys.argv[1])
macros = importlib.util.module_from_spec(spec)
spec.loader.exec_module(macros)
print(macros.season_of_date(MacroEvaluator(dialect="duckdb"), exp.column("d")).sql("duckdb"))
"""


def test_the_models_audit_with_the_same_calendar():
    # rendered in a process of its own: loading the macros module here would replace SQLMesh's registered macros
    rendered = subprocess.run([sys.executable, "-c", RENDER_MACRO, str(REPO / "macros" / "nba.py")], capture_output=True, text=True, check=True)
    sql = rendered.stdout.strip()
    days = [date(1946, 11, 1), date(1999, 6, 30), date(1999, 7, 1), *[date.fromisoformat(d) for window in IRREGULAR_SEASONS.values() for d in window]]
    days += [date(2021, 7, 20), date(2020, 10, 11), date(2020, 12, 22), date(2026, 2, 21), date(2026, 7, 1)]
    with duckdb.connect() as con:
        got = dict(con.execute(f"select d, {sql} from unnest(?::date[]) as t(d)", [days]).fetchall())
    assert got == {day: season_of(day) for day in days}


@pytest.mark.slow
@pytest.mark.xdist_group("bubble")
def test_a_backfill_over_the_bubble_and_the_july_finals_loads_every_game_of_both_seasons(tmp_path):
    """The live code path, replayed from a synthetic league played on the real calendars of 2019-20 (stopped on
    11 March, resumed in the bubble on 30 July) and 2020-21 (opened 22 December)."""
    league = tmp_path / "league"
    write_league(league, seasons=2, last_season="2020-21", seed=5)
    recorded = RecordingFolder(league)
    team_rows = {
        (e.params["Season"], e.params["SeasonType"]): json.loads(recorded.body(e))["resultSets"][0]["rowSet"]
        for e in recorded.entries
        if e.endpoint == "leaguegamelog"
    }
    bubble = [row for row in team_rows[("2019-20", "Playoffs")] if row[5] >= "2020-08-01"]
    assert bubble, "the synthetic 2019-20 playoffs are played in the bubble, from August"

    warehouse = Warehouse(tmp_path / "wh" / "warehouse.duckdb")
    run = succeeded(warehouse.cli("backfill", "--start", "2019-10-01", "--end", "2021-07-31", "--chunk-days", "90", "--replay", str(league)))
    loaded = dict(warehouse.query("select season_id || ' ' || game_id[1:3], count(*) from raw.team_game_logs group by 1"))
    expected = {}
    for (season, season_type), rows in team_rows.items():
        for row in rows:
            key = f"{row[0]} {row[4][:3]}"
            expected[key] = expected.get(key, 0) + 1
    assert loaded == expected, "every game of every season type of both seasons"
    assert str(warehouse.scalar("select max(game_date) from core.fct_games where season = '2019-20'")) == max(r[5][:10] for r in team_rows[("2019-20", "Playoffs")])

    manifest = json.loads((warehouse.db.parent / "runs" / f"{run.stdout.split()[1]}.json").read_text())
    asked = {(r.split("Season=")[1][:7], r.split("DateFrom=")[1][:10]) for r in manifest["requests"] if r.startswith("leaguegamelog (")}
    assert ("2019-20", "09/25/2020") in asked and ("2020-21", "04/30/2021") in asked
    assert manifest["requests_made"] == len(manifest["requests"])

    with environment(NBA_WAREHOUSE_SEASON="2019-20"):
        report = warehouse.cli("report", "--season", "2019-20", "--out", str(tmp_path / "report"))
        executed = execute_notebook(nbformat.read(NOTEBOOK, as_version=4), warehouse)
    assert report.returncode == 0, report.stderr
    page = (tmp_path / "report" / "index.html").read_text()
    assert "<caption>East</caption>" in page and "<caption>West</caption>" in page, "the bubble season's report"
    text = "\n".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    through = re.search(r"2019-20 regular season through (\d{4}-\d{2}-\d{2})", text)
    assert through and through[1] >= "2020-07-30", "the notebook on the bubble season, through its seeding games"
