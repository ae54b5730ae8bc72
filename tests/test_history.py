"""All of history against the shared reference facts (../shared/history, 1946-47 to 2009-10): alignments, the era
rules and the standings the warehouse computes from every real game."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from conftest import NOTEBOOK, REPO, Warehouse, environment, execute_notebook, succeeded
from nba_warehouse.basketball.elo import EloParameters, entry_ratings, rate
from nba_warehouse.basketball.eras import era
from nba_warehouse.offline.history import derived_line, games_frame, write_history
from nba_warehouse.project import project_variables

pytestmark = pytest.mark.xdist_group("history")

# Rows where Open Source Sports contradicts the games themselves (../shared/history/README.md, "Known caveats"):
# 1982-83 LAL (58-24, Pacific champion, lost the Finals) has no playoff code.
OSS_MISSING_PLAYOFF_TEAMS = {("1982-83", "LAL")}
# Tied team-seasons whose order in Open Source Sports' conference rank no tiebreak rule explains, each pair checked
# against the real games (head-to-head, division, conference, point differential; see docs/decisions.md). Three pairs
# are outside the playoffs, where the league ranks no one and ties were settled by coin flips for the draft; the
# fourth decided only home court in a meeting that never happened. Named here, not tuned around.
# Season simulations in the history warehouse only at each season's checkpoints (1 December, the All-Star break,
# 1 March), which the season-odds calibration needs, and at the suites' 50 runs: simulating every date of all history
# costs minutes per simulation date (benchmarks/history_backfill.py times it), and tests/test_simulation.py plays every
# era's bracket. Every command on it uses the same settings, or SQLMesh would see a changed model.
SIMULATIONS = {"NBA_WAREHOUSE_SIMULATIONS": "50", "NBA_WAREHOUSE_SIMULATION_DATES": "checkpoints"}
UNEXPLAINED_REFERENCE_RANKS = {
    ("1972-73", "MIL"): "60-22 like LAL, 3-3 against them, worse in the conference (38-12 v 40-10) and on points; reference 1st",
    ("1972-73", "LAL"): "the other side of MIL's tie; reference 2nd",
    ("1974-75", "MIL"): "38-44 like POR, outside the playoffs, 2-2, worse in the conference (20-26 v 22-24); reference 6th",
    ("1974-75", "POR"): "the other side of MIL's tie; reference 7th",
    ("1988-89", "SAS"): "21-61 like LAC, outside the playoffs, lost the season series 1-3; reference 11th",
    ("1988-89", "LAC"): "the other side of SAS's tie; reference 12th",
    ("1991-92", "CHH"): "31-51 like MIL, outside the playoffs, lost the season series 2-3, worse in the conference; reference 11th",
    ("1991-92", "MIL"): "the other side of CHH's tie; reference 12th",
}
# FiveThirtyEight followed Basketball-Reference's franchise lineage: the 1988-89 to 2001-02 Charlotte Hornets continue
# into the 2002-03 New Orleans Hornets, and the 2004-05 Bobcats start new at 1300. The NBA's ids (and so the warehouse)
# put those Hornets under today's Charlotte franchise instead (../shared/history/README.md, "Team ids").
CHARLOTTE, NEW_ORLEANS = 1610612766, 1610612740
HORNETS_IN_CHARLOTTE = range(1988, 2002)


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
        with environment(**SIMULATIONS):
            succeeded(warehouse.cli("backfill", "--start", "1946-11-01", "--end", "2010-06-30", "--chunk-days", "366", "--replay", str(recordings)))

    return built.get("history", build)


@pytest.mark.parametrize("start_year", [1950, 1978, 1979, 2009])
def test_a_derived_box_score_adds_up_to_the_final_score(start_year):
    """Before and after the three-point line (1979-80): the makes score exactly the real points."""
    for points in range(40, 190):
        line = derived_line(points, points - 7, start_year)
        threes = line["FG3M"] or 0
        assert (line["PTS"], 2 * (line["FGM"] - threes) + 3 * threes + line["FTM"]) == (points, points)


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
    computed = {(season, str(team)): {"wins": w, "losses": l, "conference_rank": rank} for season, team, w, l, rank in ours}
    mismatches: dict[str, list[str]] = defaultdict(list)
    ranked_differently = set()
    reference = _csv(history / "standings.csv")
    for row in reference:
        mine = computed.get((row["season"], row["team_id"]))
        if mine is None:
            mismatches[row["season"]].append(f"{row['team_abbreviation']} missing")
            continue
        if (mine["wins"], mine["losses"]) != (int(row["wins"]), int(row["losses"])):
            mismatches[row["season"]].append(f"{row['team_abbreviation']} {mine['wins']}-{mine['losses']}, reference {row['wins']}-{row['losses']}")
        if row["conference_rank"] and mine["conference_rank"] != int(row["conference_rank"]):
            ranked_differently.add((row["season"], row["team_abbreviation"]))
            mismatches[row["season"]].append(f"{row['team_abbreviation']} rank {mine['conference_rank']}, reference {row['conference_rank']}")
    for season, lines in sorted(mismatches.items()):
        print(f"{season}: {'; '.join(lines)}")
    ranked = sum(1 for row in reference if row["conference_rank"])
    print(f"{len(reference)} team-seasons in {len({r['season'] for r in reference})} seasons; W-L differs for "
          f"{sum(map(len, mismatches.values())) - len(ranked_differently)}; conference rank differs for "
          f"{len(ranked_differently)} of {ranked}, all named: {sorted(ranked_differently) == sorted(UNEXPLAINED_REFERENCE_RANKS)}")
    assert len(computed) == len(_csv(history / "teams_by_season.csv")), "one final standing per team-season, 2009-10 included"
    last = defaultdict(lambda: [0, 0])  # 2009-10, which standings.csv lacks, from the games themselves
    for g in _csv(history / "games.csv.gz"):
        if g["season"] == "2009-10" and g["game_type"] == "Regular Season":
            home_won = int(g["home_pts"]) > int(g["away_pts"])
            last[g["home_team_id"]][0 if home_won else 1] += 1
            last[g["away_team_id"]][1 if home_won else 0] += 1
    assert {team: [computed["2009-10", team]["wins"], computed["2009-10", team]["losses"]] for team in last} == dict(last)
    assert ranked_differently == set(UNEXPLAINED_REFERENCE_RANKS)
    assert all(line.split()[1] == "rank" for lines in mismatches.values() for line in lines), "wins and losses equal everywhere"


def _published_games(history: Path) -> pd.DataFrame:
    games = games_frame(history)
    return games.assign(occurrence=games.groupby(["game_date", "home_team_id", "away_team_id"]).cumcount())


def _fivethirtyeight_configuration() -> tuple[EloParameters, dict[tuple[int, int], float]]:
    """The named variable set in config.yaml and the entry-rating seed: what the warehouse's Elo runs with."""
    parameters = EloParameters(**project_variables(REPO)["fivethirtyeight_elo"])
    return parameters, entry_ratings(pd.read_csv(REPO / "seeds" / "elo_entry_ratings.csv"))


def test_the_entry_rating_seed_holds_fivethirtyeights_ratings_of_teams_from_other_leagues(history):
    """Every team whose first game FiveThirtyEight did not rate at 1300 is in the seed with that rating, except the
    2002-03 New Orleans Hornets, whom FiveThirtyEight continued from Charlotte (the lineage the NBA's ids do not share)."""
    games = _published_games(history)
    first = pd.concat([
        games[["season", f"{side}_team_id", f"fte_elo_{side}_pre"]].set_axis(["season", "team_id", "rating"], axis=1).assign(order=games.index)
        for side in ("home", "away")
    ]).sort_values("order").drop_duplicates("team_id")  # fmt: skip
    carried = first[(first.rating.round(4) != 1300) & ~((first.team_id == NEW_ORLEANS) & (first.season == "2002-03"))]
    _, entries = _fivethirtyeight_configuration()
    assert entries == {(int(r.team_id), int(r.season[:4])): round(float(r.rating), 4) for r in carried.itertuples()}


def test_the_warehouse_elo_reproduces_fivethirtyeights_published_probabilities(history_warehouse, history):
    """marts.elo_ratings, configured as FiveThirtyEight configured theirs, against their published pre-game
    probability of every game 1946-47 to 2009-10; the games it cannot match are named with their cause."""
    published = _published_games(history)
    ours = pd.DataFrame(
        history_warehouse.query(
            """
            select g.game_date::varchar, g.home_team_id, g.away_team_id, e.win_probability,
                   row_number() over (partition by g.game_date, g.home_team_id, g.away_team_id order by g.game_id) - 1
            from marts.elo_ratings as e join core.fct_games as g on e.game_id = g.game_id and e.team_id = g.home_team_id
            """
        ),
        columns=["game_date", "home_team_id", "away_team_id", "warehouse", "occurrence"],
    )
    joined = published.merge(ours, on=["game_date", "home_team_id", "away_team_id", "occurrence"], how="left", validate="one_to_one")
    assert joined.warehouse.notna().all(), "every published game is rated"
    joined["difference"] = (joined.warehouse - joined.fte_elo_home_win_probability).abs()
    off = joined[joined.difference > 0.01]
    lineage_seasons = {"2002-03", "2003-04", "2004-05", "2005-06"}
    for game in off.nlargest(5, "difference").itertuples():
        print(f"{game.season} {game.game_date} {game.home_team_abbreviation}-{game.away_team_abbreviation}: warehouse "
              f"{game.warehouse:.4f}, FiveThirtyEight {game.fte_elo_home_win_probability:.4f} (Charlotte lineage)")
    print(f"{len(joined) - len(off):,} of {len(joined):,} games within 0.01 ({1 - len(off) / len(joined):.2%}); the other "
          f"{len(off)} are in {sorted(set(off.season))}, after the Hornets' move, which the NBA's ids and FiveThirtyEight "
          "file under different franchises")
    assert 1 - len(off) / len(joined) >= 0.98
    assert set(off.season) <= lineage_seasons

    # The cause, shown: the warehouse's own Elo run on FiveThirtyEight's lineage (the Charlotte Hornets' seasons filed
    # under New Orleans, so that the 2002-03 Hornets continue them and the 2004-05 Bobcats are new) matches every game.
    parameters, entries = _fivethirtyeight_configuration()
    charlotte_hornets = published.season.str[:4].astype(int).isin(HORNETS_IN_CHARLOTTE)
    lineage = published.copy()
    for side in ("home_team_id", "away_team_id"):
        lineage.loc[charlotte_hornets & (lineage[side] == CHARLOTTE), side] = NEW_ORLEANS
    rated = pd.DataFrame(rate(lineage, parameters, entries))[["game_id", "team_id", "win_probability"]]
    replayed = lineage.merge(rated, left_on=["game_id", "home_team_id"], right_on=["game_id", "team_id"], validate="one_to_one")
    assert len(replayed) == len(published)
    assert (replayed.win_probability - replayed.fte_elo_home_win_probability).abs().max() < 1e-5


def test_the_forecasts_beat_fivethirtyeights_published_elo_from_1990_91_to_2009_10(history_warehouse, history):
    """On exactly the games FiveThirtyEight published a probability for: a mean Brier score at least 1% lower, and
    worse in no more than 5 of the 20 seasons. marts.prediction_quality holds the same comparison per season for the
    warehouse's own baselines."""
    published = _published_games(history)
    ours = pd.DataFrame(
        history_warehouse.query(
            """
            select game_date::varchar, home_team_id, away_team_id, home_win_probability,
                   row_number() over (partition by game_date, home_team_id, away_team_id order by game_id) - 1
            from marts.game_predictions where season between '1990-91' and '2009-10'
            """
        ),
        columns=["game_date", "home_team_id", "away_team_id", "warehouse", "occurrence"],
    )
    games = published[published.season.between("1990-91", "2009-10")].merge(ours, on=["game_date", "home_team_id", "away_team_id", "occurrence"], validate="one_to_one")
    assert len(games) == published.season.between("1990-91", "2009-10").sum() == 24_688
    home_won = games.home_won
    brier = pd.DataFrame({
        "ours": (games.warehouse - home_won) ** 2, "fivethirtyeight": (games.fte_elo_home_win_probability - home_won) ** 2, "season": games.season,
    })  # fmt: skip
    by_season = brier.groupby("season").mean()
    worse = by_season[by_season.ours > by_season.fivethirtyeight]
    improvement = 1 - brier.ours.mean() / brier.fivethirtyeight.mean()
    accuracy = (((games.warehouse >= 0.5).astype(int) == home_won).mean(), ((games.fte_elo_home_win_probability >= 0.5).astype(int) == home_won).mean())
    print(f"Brier {brier.ours.mean():.4f} v FiveThirtyEight's {brier.fivethirtyeight.mean():.4f} ({improvement:.2%} lower); "
          f"accuracy {accuracy[0]:.3f} v {accuracy[1]:.3f}; worse in {len(worse)} of 20 seasons {sorted(worse.index)}")
    assert improvement >= 0.01
    assert len(worse) <= 5
    quality = history_warehouse.query(
        "select forecaster, count(*), sum(games) from marts.prediction_quality where season between '1990-91' and '2009-10' group by all"
    )
    assert sorted(quality) == [(f, 20, 24_688) for f in ("fivethirtyeight_elo", "home_team_always", "power_ratings")]


def test_season_odds_at_each_checkpoint_are_scored_against_what_happened(history_warehouse):
    """1990-91 to 2009-10: 20 finished seasons of 27 to 30 teams (576 team-seasons); 1998-99 began in February and
    had no All-Star game, so it has a 1 March checkpoint only. Every checkpoint's odds beat the base rate (the share
    that made the playoffs, or won the title, said of every team), and the playoff odds sharpen as the season goes on
    (the title, one team a season, is too rare in 20 seasons to order the checkpoints)."""
    rows = history_warehouse.query(
        "select checkpoint, outcome, sum(team_seasons), max(seasons), max(brier_score) from marts.season_odds_calibration group by all"
    )
    scored = {(checkpoint, outcome): (teams, seasons, brier) for checkpoint, outcome, teams, seasons, brier in rows}
    for outcome in ("playoffs", "title"):
        assert scored["1 March", outcome][:2] == (576, 20)
        assert scored["1 December", outcome][:2] == scored["All-Star break", outcome][:2] == (576 - 29, 19)
    for (checkpoint, outcome), (_, _, brier) in sorted(scored.items()):
        print(f"{checkpoint:>14} {outcome:>8}: Brier {brier:.4f}")
    base_rate = {"playoffs": 16 * 20 / 576, "title": 20 / 576}
    assert all(brier < base_rate[outcome] * (1 - base_rate[outcome]) for (_, outcome), (_, _, brier) in scored.items())
    assert scored["1 March", "playoffs"][2] < scored["All-Star break", "playoffs"][2] < scored["1 December", "playoffs"][2]


def test_relocations_and_renames_are_versions_of_one_team(history_warehouse):
    """The NBA's ids keep a franchise through its moves (../shared/history/README.md): the Lakers from Minneapolis,
    the 76ers from Syracuse, the Kings from Rochester by way of Cincinnati and Kansas City."""
    versions = history_warehouse.query(
        """
        select team_id, list(team_abbreviation order by valid_from), list(valid_from_season order by valid_from)
        from core.dim_teams where team_id in (1610612747, 1610612755, 1610612758) group by team_id order by team_id
        """
    )
    names = {team_id: list(dict.fromkeys(abbreviations)) for team_id, abbreviations, _ in versions}
    assert names == {1610612747: ["MNL", "LAL"], 1610612755: ["SYR", "PHI"], 1610612758: ["ROC", "CIN", "KCO", "KCK", "SAC"]}
    starts = {team_id: dict(zip(abbreviations, seasons)) for team_id, abbreviations, seasons in ((t, a[::-1], s[::-1]) for t, a, s in versions)}
    assert starts[1610612747]["LAL"] == "1960-61" and starts[1610612755]["PHI"] == "1963-64" and starts[1610612758]["SAC"] == "1985-86"


def test_statistics_an_era_did_not_keep_stay_null_and_so_do_the_figures_built_on_them(history_warehouse):
    """1965-66 kept no turnovers, offensive rebounds or threes: possessions and ratings are null, never zero;
    1985-86 kept them all."""
    rows = dict(
        (season, (empty_threes, empty_turnovers, possessions, ratings))
        for season, empty_threes, empty_turnovers, possessions, ratings in history_warehouse.query(
            """
            select g.season, count(*) filter (fg3m is null), count(*) filter (tov is null), count(possessions),
                   (select count(offensive_rating) from marts.team_ratings r where r.season = g.season)
            from core.fct_team_games g where g.season in ('1965-66', '1985-86') group by g.season
            """
        )
    )
    games_1965 = history_warehouse.scalar("select count(*) from core.fct_team_games where season = '1965-66'")
    assert rows["1965-66"] == (games_1965, games_1965, 0, 0)
    assert rows["1985-86"][:2] == (0, 0) and rows["1985-86"][2] > 0 and rows["1985-86"][3] > 0


@pytest.mark.parametrize("season", ["1965-66", "1985-86"])
def test_the_report_and_the_notebook_show_a_season_with_or_without_conferences(history_warehouse, tmp_path, season):
    """Before 1970-71 the tables are the divisions (Eastern and Western, 9 teams), with no simulations; after, the
    conferences with their odds. The data is labelled as derived."""
    warehouse = history_warehouse.copy(tmp_path / "history")  # the notebook's %plan dev adds an environment
    with environment(**SIMULATIONS, NBA_WAREHOUSE_SEASON=season):
        result = warehouse.cli("report", "--season", season, "--out", str(tmp_path / "report"))
        executed = execute_notebook(nbformat.read(NOTEBOOK, as_version=4), warehouse)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "report" / "index.html").read_text()
    groups = ("Eastern", "Western") if season == "1965-66" else ("East", "West")
    for group in groups:
        assert f"<caption>{group}</caption>" in page
    assert "DERIVED" in page and f"{groups[0]} wins above .500 by date" in page
    assert "reliability of simulated playoff and title odds" in page  # every finished season since 1990-91, whichever is shown
    text = "\n".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert f"{season} regular season" in text and "DERIVED" in text
    tables = [o["data"]["text/html"] for c in executed.cells if c.cell_type == "code" for o in c.outputs if "text/html" in o.get("data", {}) and "<caption>" in o["data"]["text/html"]]
    assert any(f"{groups[0]}</caption>" in table for table in tables)
