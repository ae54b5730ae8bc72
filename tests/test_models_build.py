"""SQLMesh builds every model on whatever the raw layer holds."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ingested")]


def test_a_warehouse_with_team_logs_only_plans_and_builds(warehouse, league):
    args = ("ingest", "--season", "2025-26", "--season-type", "Regular Season", "--resources", "team_game_logs")
    assert warehouse.cli(*args, "--replay", str(league)).returncode == 0
    warehouse.plan()
    games = warehouse.scalar("select count(distinct game_id) from raw.team_game_logs")
    assert warehouse.scalar("select count(*) from core.fct_games") == games
    assert warehouse.scalar("select count(*) from staging.player_game_logs") == 0
    assert warehouse.scalar("select count(*) from staging.schedule") == 0


def test_full_league_builds_and_facts_agree_with_the_logs(ingested, tmp_path):
    warehouse = ingested.copy(tmp_path / "wh")
    warehouse.plan()
    mismatches = warehouse.scalar(
        """
        select count(*) from core.fct_games as g
        join staging.team_game_logs as h on h.game_id = g.game_id and h.team_id = g.home_team_id
        join staging.team_game_logs as a on a.game_id = g.game_id and a.team_id = g.away_team_id
        where h.pts <> g.home_pts or a.pts <> g.away_pts or (not h.is_home and not g.is_neutral_site)
           or g.winner_team_id <> case when h.wl = 'W' then h.team_id else a.team_id end
        """
    )
    assert mismatches == 0
    by_type = dict(warehouse.query("select game_type, count(*) from core.fct_games group by all"))
    assert by_type["Regular Season"] > 1230 and by_type["PlayIn"] == 6 and by_type["Playoffs"] >= 60
    assert warehouse.scalar("select count(*) from core.fct_games") == warehouse.scalar("select count(distinct game_id) from raw.team_game_logs")
    simulated = warehouse.query(
        """
        select count(distinct as_of_date), count(*) filter (where games_left > 0), round(sum(title_probability), 6)
        from marts.season_simulations where season = '2025-26' and as_of_date = (
          select max(as_of_date) from marts.season_simulations where season = '2025-26')
        """
    )
    assert simulated == [(1, 30, 1.0)]  # through 2026-02-21 every team still has games to play

    # the NBA Cup final (SeasonType IST, from 2023-24): one a season, rated, in no standings
    finals = warehouse.query("select game_id, is_neutral_site from core.fct_games where game_type = 'NBA Cup Final' order by game_id")
    assert [(game_id[:3], neutral) for game_id, neutral in finals] == [("006", True), ("006", True)]
    assert warehouse.scalar(f"select count(*) from marts.elo_ratings where game_id in ('{finals[0][0]}', '{finals[1][0]}')") == 4
    counted = warehouse.scalar(
        """
        select sum(games_played) from (
          select games_played from marts.standings qualify as_of_date = max(as_of_date) over (partition by season, season_type)
        )
        """
    )
    assert counted == 2 * warehouse.scalar("select count(*) from core.fct_games where game_type <> 'NBA Cup Final'")
