"""Recordings of real NBA history from the reference facts in ``../shared/history`` (1946-47 to 2009-10).

The games, dates, teams, scores and alignments are real; the box scores are not: each team's line is derived
from its final score (makes that add up to the points, plausible attempts and rebounds), with the statistics
the league did not keep in that era left empty. Every recording is tagged ``derived`` so that the warehouse,
the report and the notebook say so. This is how the warehouse's handling of every era (calendars, alignments,
seeding rules, box-score gaps) is tested and timed against real results without the network.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from nba_warehouse.nba import GAME_ID_PREFIX, PLAYOFFS, REGULAR_SEASON, parse_season, season_label, unkept_statistics
from nba_warehouse.offline.recordings import RecordingFolder
from nba_warehouse.offline.synth import TEAM_LOG_HEADERS, Game, SeasonOutput, Team, box_line, write_season

LABEL = "REAL NBA results from ../shared/history; box scores DERIVED from the final scores"
# 538 flags the division tiebreakers and the 1953-54 round robin as playoff games, and the regular-season records
# (standings.csv) leave them out: they load as playoff games.


def _teams(history: Path) -> dict[str, list[Team]]:
    by_season: dict[str, list[Team]] = defaultdict(list)
    with (history / "teams_by_season.csv").open() as handle:
        for r in csv.DictReader(handle):
            by_season[r["season"]].append(
                Team(int(r["team_id"]), r["team_abbreviation"], f"{r['team_city']} {r['team_name']}", r["team_city"],
                     r["team_name"], r["conference"] or "", r["division"])  # fmt: skip
            )
    return by_season


def derived_line(points: int, opponent_points: int, start_year: int) -> dict[str, Any]:
    """A box-score line that adds up to ``points``: a fifth of them from free throws, threes at a modern-ish rate
    where the line existed, the rest from twos; the era's unkept statistics empty."""
    unkept = unkept_statistics(start_year)
    threes = 0 if "FG3M" in unkept else round(points * 0.08)
    free_throws = round(points * 0.2)
    free_throws += (points - 3 * threes - free_throws) % 2
    twos = (points - 3 * threes - free_throws) // 2
    missed_twos, missed_threes = round(twos * 1.2), round(threes * 1.8)
    line = box_line({
        "fg2m": twos, "fg2x": missed_twos, "fg3m": threes, "fg3x": missed_threes, "ftm": free_throws,
        "ftx": round(free_throws * 0.3), "oreb": round((missed_twos + missed_threes) * 0.25),
        "dreb": round((missed_twos + missed_threes) * 0.7), "ast": round(twos * 0.55), "stl": 8, "blk": 5, "tov": 15, "pf": 22,
    })  # fmt: skip
    line.update(MIN=240, PLUS_MINUS=points - opponent_points)
    return {header: None if header in unkept else value for header, value in line.items()}


def games_frame(history: Path) -> pd.DataFrame:
    """The shared games as a frame in the warehouse's terms (``is_neutral_site``, ``home_won``, ``start_year``), with
    FiveThirtyEight's columns kept and a unique ``game_id`` in file order (``bbref_game_id`` repeats for 4
    doubleheaders), for comparisons outside the warehouse."""
    games = pd.read_csv(history / "games.csv.gz")
    return games.assign(
        game_id=games.index.map("{:05d}".format), is_neutral_site=games.neutral == 1, start_year=games.season.str[:4].astype(int),
        home_won=(games.home_pts > games.away_pts).astype(int),
    )  # fmt: skip


def write_history(history: Path, out: Path, first_season: str = "1946-47", last_season: str = "2009-10") -> str:
    """Write the seasons ``first_season``..``last_season`` of the shared history to the recordings folder ``out``."""
    first, last = parse_season(first_season), parse_season(last_season)
    teams = _teams(history)
    games: dict[str, list[dict[str, str]]] = defaultdict(list)
    with gzip.open(history / "games.csv.gz", "rt") as handle:
        for g in csv.DictReader(handle):
            if first <= int(g["season"][:4]) <= last:
                games[g["season"]].append(g)
    folder = RecordingFolder(out)
    tags = {"derived": True, "note": LABEL}
    rows = 0
    for year in range(first, last + 1):
        label = season_label(year)
        output = SeasonOutput()
        by_id = {t.id: t for t in teams[label]}
        numbers: dict[str, int] = defaultdict(int)
        for g in games[label]:
            season_type = REGULAR_SEASON if g["game_type"] == REGULAR_SEASON else PLAYOFFS
            numbers[season_type] += 1
            game_id = f"{GAME_ID_PREFIX[season_type]}{year % 100:02d}{numbers[season_type]:05d}"
            game = Game(game_id, date.fromisoformat(g["game_date"]), int(g["home_team_id"]), int(g["away_team_id"]),
                        season_type, True, int(g["home_pts"]), int(g["away_pts"]), neutral=g["neutral"] == "1")  # fmt: skip
            output.games.append(game)
            for team, opponent, points, opponent_points, at in (
                (game.home, game.away, game.home_pts, game.away_pts, "@" if game.neutral else "vs."),
                (game.away, game.home, game.away_pts, game.home_pts, "@"),
            ):
                row = {
                    **derived_line(points, opponent_points, year), "SEASON_ID": f"{game_id[2]}{year}", "TEAM_ID": team,
                    "TEAM_ABBREVIATION": by_id[team].abbreviation, "TEAM_NAME": by_id[team].name, "GAME_ID": game_id,
                    "GAME_DATE": game.day.isoformat(), "MATCHUP": f"{by_id[team].abbreviation} {at} {by_id[opponent].abbreviation}",
                    "WL": "W" if points > opponent_points else "L", "VIDEO_AVAILABLE": 0,
                }  # fmt: skip
                output.team_rows[season_type].append([row[h] for h in TEAM_LOG_HEADERS])
                rows += 1
        write_season(folder, year, teams[label], output, [], tags)
    folder.write_index()
    (out / "README.md").write_text(f"# {LABEL}\n\nSeasons {first_season} to {last_season}. Replay with `nba-warehouse backfill --replay`.\n")
    return f"wrote seasons {first_season} to {last_season} to {out}: {sum(map(len, games.values())):,} games, {rows:,} team rows"

