"""The model layer against the official numbers, on real stats.nba.com responses (../shared/nba_recorded)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import Built, Warehouse, succeeded

pytestmark = [pytest.mark.recorded, pytest.mark.xdist_group("recorded")]

AS_OF = "2026-02-21"


def _build(warehouse: Warehouse, recorded: Path) -> None:
    for season, resource in (("2025-26", "team_game_logs"), ("2024-25", "player_game_logs")):
        args = ("ingest", "--season", season, "--season-type", "Regular Season", "--resources", resource, "--replay", str(recorded))
        succeeded(warehouse.cli(*args))
    warehouse.plan()


@pytest.fixture(scope="module")
def real(built: Built, recorded: Path) -> Warehouse:
    """2025-26 regular-season team logs and 2024-25 player logs replayed, every model built."""
    return built.get("recorded", lambda warehouse: _build(warehouse, recorded))


def official_standings(recorded: Path) -> dict[int, dict]:
    entry = next(e for e in json.loads((recorded / "index.json").read_text()) if e["endpoint"] == "leaguestandingsv3")
    result = json.loads(gzip.decompress((recorded / entry["file"]).read_bytes()))["resultSets"][0]
    return {row[result["headers"].index("TeamID")]: dict(zip(result["headers"], row)) for row in result["rowSet"]}


def assert_standings_equal_the_official_ones(warehouse: Warehouse, recorded: Path) -> None:
    """marts.standings on 2026-02-21 against leaguestandingsv3 of that morning, every team and column."""
    columns = (
        "team_id, wins, losses, conference_rank, home_wins, home_losses, road_wins, road_losses, neutral_wins, "
        "neutral_losses, conference_wins, conference_losses, division_wins, division_losses, last10_wins, "
        "last10_losses, streak, conference_games_back, team_abbreviation"
    )
    ours = warehouse.query(
        f"select {columns} from marts.standings where season = '2025-26' and season_type = 'Regular Season' "
        f"and as_of_date = '{AS_OF}'"
    )
    official = official_standings(recorded)
    assert len(ours) == len(official) == 30
    mismatches = {}
    for row in ours:
        (team_id, w, l, rank, hw, hl, rw, rl, nw, nl, cw, cl, dw, dl, l10w, l10l, streak, games_back, abbreviation) = row
        theirs = official[team_id]
        expected = (
            theirs["WINS"], theirs["LOSSES"], theirs["PlayoffRank"], theirs["HOME"].strip(), theirs["ROAD"].strip(),
            theirs["NEUTRAL"].strip(), theirs["ConferenceRecord"].strip(), theirs["DivisionRecord"].strip(),
            theirs["L10"].strip(), theirs["strCurrentStreak"].replace(" ", ""), theirs["ConferenceGamesBack"],
        )
        actual = (w, l, rank, f"{hw}-{hl}", f"{rw}-{rl}", f"{nw}-{nl}", f"{cw}-{cl}", f"{dw}-{dl}", f"{l10w}-{l10l}", streak, games_back)
        if actual != expected:
            mismatches[abbreviation] = (actual, expected)
    assert mismatches == {}


def test_standings_as_of_2026_02_21_equal_the_official_standings(real, recorded):
    assert_standings_equal_the_official_ones(real, recorded)
    rank = dict(real.query(f"select team_abbreviation, conference_rank from marts.standings where as_of_date = '{AS_OF}'"))
    assert (rank["NYK"], rank["CLE"], rank["HOU"], rank["LAL"]) == (3, 4, 4, 5)


def test_team_boxes_derived_from_real_player_logs_are_consistent(real):
    checks = real.query(
        """
        select count(*), count(distinct game_id),
               count(*) filter (where pts <> 2 * fgm + fg3m + ftm),
               count(*) filter (where plus_minus <> pts - opp_pts),
               count(*) filter (where is_win <> (pts > opp_pts)),
               count(*) filter (where minutes < 240 or (minutes - 240) % 25 <> 0)
        from core.fct_team_games where season = '2024-25' and box_source = 'player_logs'
        """
    )[0]
    assert checks == (664, 332, 0, 0, 0, 0)
    mismatched = real.scalar(
        """
        select count(*) from core.fct_team_games as t
        join (select game_id, team_id, sum(pts) as pts, sum(reb) as reb, sum(tov) as tov
              from raw.player_game_logs group by all) as p using (game_id, team_id)
        where t.pts <> p.pts or t.reb <> p.reb or t.tov <> p.tov
        """
    )
    assert mismatched == 0


def test_player_marts_add_up_to_the_raw_player_rows(real):
    raw = real.query("select count(*), sum(pts), sum(reb), sum(ast), sum(fg3_m), sum(tov) from raw.player_game_logs")
    season = real.query(
        "select sum(games), sum(pts), sum(reb), sum(ast), sum(fg3m), sum(tov) from marts.player_season_stats "
        "where season = '2024-25' and season_type = 'Regular Season'"
    )
    assert season == raw
    assert real.scalar("select count(*) from marts.player_form") == raw[0][0]
    latest_form = real.scalar(
        """
        select count(*) from marts.player_form as f
        join marts.player_season_stats as s using (player_id, season)
        where f.games_in_season = s.games and f.games_in_season <= 5
          and abs(f.last5_pts - s.pts_per_game) > 1e-9
        """
    )
    assert latest_form == 0


def test_predictions_beat_home_court_and_the_best_constant_after_the_first_month(real):
    games, accuracy, brier, elo_accuracy, elo_brier, home_win_rate = real.query(
        """
        select count(*), avg(((home_win_probability > 0.5) = home_won)::int),
               avg(power(home_win_probability - home_won::int, 2)),
               avg(((elo_home_win_probability > 0.5) = home_won)::int),
               avg(power(elo_home_win_probability - home_won::int, 2)), avg(home_won::int)
        from marts.game_predictions
        where season = '2025-26' and home_won is not null
          and game_date >= (select min(game_date) + interval 1 month from core.fct_games where season = '2025-26')
        """
    )[0]
    assert games == 618
    assert accuracy > home_win_rate > 0.5  # always picking the home team, and a coin flip
    constant_brier = home_win_rate * (1 - home_win_rate)  # the best constant forecast, home_win_rate every game
    assert brier < constant_brier < 0.25
    assert brier < elo_brier
    assert (round(accuracy, 3), round(brier, 3), round(elo_accuracy, 3), round(elo_brier, 3)) == (0.639, 0.231, 0.625, 0.234)  # the README's figures
