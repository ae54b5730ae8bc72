"""``nba-warehouse report``: one static HTML page of the prod views.

The page must open anywhere, offline and years later, so it carries
everything inline: charts as base64 PNG, styles in the head, no scripts and
no links to a CDN.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from matplotlib.figure import Figure

from nba_warehouse.basketball.eras import era
from nba_warehouse.explore import charts, questions
from nba_warehouse.explore.reader import Reader
from nba_warehouse.nba import parse_season
from nba_warehouse.offline.recordings import atomic_write
from pipelines.data_docs import docs_index

REPORT_FILE = "index.html"
DPI = 100
STANDINGS_COLUMNS = {"seed": "#", "team": "Team", "wins": "W", "losses": "L", "win_pct": "Pct", "games_back": "GB",
                     "home": "Home", "road": "Road", "last_10": "L10", "streak": "Strk", "projected_wins": "Proj W",
                     "playoffs_probability": "Playoffs", "title_probability": "Title"}  # fmt: skip
LEADER_COLUMNS = {"player": "Player", "team": "Team", "games": "G", "minutes_per_game": "MPG", "pts_per_game": "PPG",
                  "reb_per_game": "RPG", "ast_per_game": "APG", "ts_pct": "TS%"}  # fmt: skip
RUN_COLUMNS = {"run_id": "Run", "command": "Command", "status": "Status", "source": "Source", "started_at": "Started",
               "duration_seconds": "Seconds", "intervals_processed": "Intervals", "audits_failed": "Audits failed",
               "validations_failed": "Batches refused"}  # fmt: skip
QUALITY_COLUMNS = {"table_name": "Raw table", "scope": "Latest batch", "rows": "Rows", "passed": "Expectations met",
                   "failed": "Failed", "quarantined": "Batches quarantined (all runs)", "validated_at": "Validated"}  # fmt: skip


@dataclass(frozen=True)
class Table:
    """A frame ready for the template: display headers, formatted cells, leading text columns."""

    columns: list[str]
    rows: list[list[str]]
    text_columns: int

    @classmethod
    def of(cls, frame: pd.DataFrame, headers: dict[str, str], text_columns: int) -> "Table":
        shown = frame[list(headers)]
        rows = [["" if pd.isna(v) else _cell(name, v) for name, v in zip(headers, values)] for values in shown.itertuples(index=False)]
        return cls(list(headers.values()), rows, text_columns)


def _cell(column: str, value: object) -> str:
    if column.endswith("_probability"):
        return f"{value:.0%}" if value >= 0.005 or value == 0 else "<1%"
    if column in ("win_pct", "ts_pct"):
        return f"{value:.3f}".lstrip("0")
    if isinstance(value, pd.Timestamp):
        return value.tz_convert("UTC").strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


@dataclass(frozen=True)
class Image:
    data: str
    alt: str
    width: int
    height: int

    @classmethod
    def of(cls, fig: Figure, alt: str) -> "Image":
        width, height = (round(v * DPI) for v in fig.get_size_inches())
        return cls(base64.b64encode(charts.png(fig, DPI)).decode("ascii"), alt, width, height)


def write_report(reader: Reader, out: Path, season: str | None = None) -> Path:
    """Write ``out/index.html`` for the newest season (or ``season``) and return its path."""
    coverage = questions.coverage(reader, season)
    site = docs_index(reader.db.parent).parent
    season, through = coverage.season, coverage.through
    table = questions.standings(reader, season, through)
    groups = sorted(table["group_name"].dropna().unique())
    leaders = questions.leaders(reader, season)
    quality = questions.data_quality(reader)
    rules = era(parse_season(season))
    odds = {c: questions.playoff_odds(reader, season, c, contested_only=True) for c in groups}
    charts_shown = [
        ("The standings race", [Image.of(charts.standings_race(questions.standings_race(reader, season, c), c), f"{c} wins above .500 by date")
                                for c in groups]),
        ("Chance to make the playoffs: teams still in the race", [
            Image.of(charts.playoff_odds(frame, c), f"{c} playoff odds by date") for c, frame in odds.items() if not frame.empty]),
        ("Team ratings", [Image.of(charts.ratings(questions.team_ratings(reader, season)), "offensive vs defensive rating by team")]),
        ("Elo: the five best teams now", [Image.of(charts.elo(questions.elo_history(reader, season)), "Elo by game date")]),
    ]  # fmt: skip
    calibration = questions.season_odds_calibration(reader)
    if not calibration.empty:
        charts_shown.append(("Season odds against what happened, every finished season since 1990-91",
                             [Image.of(charts.reliability(calibration), "reliability of simulated playoff and title odds")]))  # fmt: skip
    if not leaders.empty:
        form = questions.player_form(reader, season, int(leaders["player_id"].iloc[0]))
        charts_shown.append(("The leading scorer's form", [Image.of(charts.player_form(form), "points by game and rolling averages")]))
    template = Environment(
        loader=PackageLoader("nba_warehouse.explore"), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    ).get_template("report.html.j2")
    html = template.render(
        coverage=coverage,
        standings=[(c, Table.of(table[table["group_name"] == c], STANDINGS_COLUMNS, 2)) for c in groups],
        cuts={rules.direct_places(), rules.playoff_spots()},
        simulations=_simulations(reader, season, through),
        charts=[{"heading": heading, "images": images} for heading, images in charts_shown if images],
        leaders=Table.of(leaders, LEADER_COLUMNS, 2),
        runs=Table.of(questions.pipeline_runs(reader, limit=5), RUN_COLUMNS, 4),
        quality=Table.of(quality, QUALITY_COLUMNS, 2),
        result_pages=[_link(site / page, out) if page else None for page in quality["page"]],
        data_docs=_link(site / "index.html", out),
        written_at=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        db=reader.db,
    )
    out.mkdir(parents=True, exist_ok=True)
    path = out / REPORT_FILE
    atomic_write(path, html.encode())
    return path


def _link(target: Path, page_folder: Path) -> str:
    """A link from the report to a file beside the warehouse, relative so the folder can move as one."""
    return Path(os.path.relpath(target.absolute(), page_folder.absolute())).as_posix()


def _simulations(reader: Reader, season: str, as_of: str) -> int:
    found = reader.sql("select max(simulations) as n from marts.season_simulations where season = ? and as_of_date = ?", [season, as_of])
    return int(found["n"].iloc[0]) if found["n"].notna().iloc[0] else 0
