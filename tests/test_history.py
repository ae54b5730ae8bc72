"""All of history against the shared reference facts (../shared/history, 1946-47 to 2009-10): alignments, the era
rules and the standings the warehouse computes from every real game."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import REPO, Warehouse, succeeded
from nba_warehouse.basketball.eras import era
from nba_warehouse.offline.history import write_history

pytestmark = pytest.mark.xdist_group("history")

# Rows where Open Source Sports contradicts the games themselves (../shared/history/README.md, "Known caveats"):
# 1982-83 LAL (58-24, Pacific champion, lost the Finals) has no playoff code.
OSS_MISSING_PLAYOFF_TEAMS = {("1982-83", "LAL")}


def _csv(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def history_warehouse(built, history: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """Every real game of 1946-47 to 2009-10 (box scores derived from the final scores) loaded by the live code path,
    `backfill --replay`, one chunk per season, and every model built."""

    def build(warehouse: Warehouse) -> None:
        recordings = tmp_path_factory.mktemp("history") / "recordings"
        write_history(history, recordings)
        succeeded(warehouse.cli("backfill", "--start", "1946-11-01", "--end", "2010-06-30", "--chunk-days", "366", "--replay", str(recordings)))

    return built.get("history", build)


def test_the_seed_holds_every_alignment_of_the_shared_facts(history):
    seed = _csv(REPO / "seeds" / "team_divisions.csv")
    wrong = []
    for row in _csv(history / "teams_by_season.csv"):
        year = int(row["season"][:4])
        valid = [s for s in seed if s["team_id"] == row["team_id"] and int(s["first_season"]) <= year <= int(s["last_season"] or 9999)]
        if [(s["conference"], s["division"]) for s in valid] != [(row["conference"], row["division"])]:
            wrong.append((row["season"], row["team_abbreviation"], row["conference"], row["division"], valid))
    assert wrong == []


def test_the_era_rules_give_every_season_its_playoff_field(history):
    """Playoff teams per group (division before 1970-71, conference after) as Open Source Sports records them."""
    standings = _csv(history / "standings.csv")
    field, groups = defaultdict(int), defaultdict(set)
    for row in standings:
        groups[row["season"]].add(row["conference"] or row["division"])
        if (row["playoff_result"] and row["playoff_result"] != "DT") or (row["season"], row["team_abbreviation"]) in OSS_MISSING_PLAYOFF_TEAMS:
            field[row["season"]] += 1
    wrong = {s: (field[s], len(groups[s]), era(int(s[:4])).playoff_teams) for s in groups if field[s] != len(groups[s]) * era(int(s[:4])).playoff_teams}
    assert wrong == {}


def test_the_era_rules_give_every_round_its_series_length(history):
    """Best-of of every playoff round since conferences, read off the real series: the winner's wins make a majority."""
    games = [g for g in _csv(history / "games.csv.gz") if g["game_type"] == "Playoffs" and g["season"] >= "1970-71"]
    series: dict[tuple[str, frozenset[str]], list[dict[str, str]]] = defaultdict(list)
    for g in games:
        series[g["season"], frozenset((g["home_team_id"], g["away_team_id"]))].append(g)
    started = {key: min(g["game_date"] for g in played) for key, played in series.items()}
    winner = {}
    for key, played in series.items():
        wins = defaultdict(int)
        for g in played:
            wins[g["home_team_id"] if int(g["home_pts"]) > int(g["away_pts"]) else g["away_team_id"]] += 1
        winner[key] = max(wins, key=wins.get), max(wins.values())

    def rounds_after(key: tuple[str, frozenset[str]]) -> int:
        """Series its winner played after it: 0 for the Finals."""
        season, team = key[0], winner[key][0]
        later = [k for k in series if k[0] == season and team in k[1] and started[k] > started[key]]
        return 1 + rounds_after(min(later, key=started.get)) if later else 0

    wrong = []
    for key in series:
        later, season = rounds_after(key), key[0]
        rules = era(int(season[:4]))
        if rules.series[later] != 2 * winner[key][1] - 1:
            wrong.append((season, later, rules.series[later], 2 * winner[key][1] - 1))
    assert wrong == []


def test_standings_at_the_end_of_every_regular_season_equal_the_league_history(history_warehouse, history):
    """Wins and losses of every team-season 1946-47 to 2008-09, and the conference rank (the seed for playoff teams)
    from 1970-71, as Open Source Sports records them."""
    ours = history_warehouse.query(
        """
        select season, team_id, wins, losses, conference_rank
        from marts.standings
        where season_type = 'Regular Season'
        qualify as_of_date = max(as_of_date) over (partition by season)
        """
    )
    computed = {(r["season"], str(r["team_id"])): r for r in ours}
    mismatches: dict[str, list[str]] = defaultdict(list)
    reference = _csv(history / "standings.csv")
    for row in reference:
        mine = computed.get((row["season"], row["team_id"]))
        if mine is None:
            mismatches[row["season"]].append(f"{row['team_abbreviation']} missing")
            continue
        if (mine["wins"], mine["losses"]) != (int(row["wins"]), int(row["losses"])):
            mismatches[row["season"]].append(f"{row['team_abbreviation']} {mine['wins']}-{mine['losses']}, reference {row['wins']}-{row['losses']}")
        if row["conference_rank"] and mine["conference_rank"] != int(row["conference_rank"]):
            mismatches[row["season"]].append(f"{row['team_abbreviation']} rank {mine['conference_rank']}, reference {row['conference_rank']}")
    for season, lines in sorted(mismatches.items()):
        print(f"{season}: {'; '.join(lines)}")
    seasons = {row["season"] for row in reference}
    print(f"{len(reference)} team-seasons in {len(seasons)} seasons, {sum(map(len, mismatches.values()))} mismatches")
    assert len(computed) >= len(reference)
    assert dict(mismatches) == {}
