"""The pipeline's ScheduleLeagueV2 gives exactly the rows nba_api's own parser gives, on a whole season of the
synthetic league with points leaders and broadcasters added in the live shape, their counts varying by game."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from nba_api.stats.endpoints._parsers.scheduleleaguev2 import NBAStatsScheduleLeagueV2Parser

from pipelines.endpoints import ScheduleParser


def test_schedule_rows_equal_the_library_parser(league: Path):
    response = json.loads(gzip.open(league / "scheduleleaguev2_2025-26.json.gz").read())
    games = [g for day in response["leagueSchedule"]["gameDates"] for g in day["games"]]
    for k, game in enumerate(games):
        leader = {"personId": k, "firstName": "A", "lastName": f"Player {k}", "teamId": game["homeTeam"]["teamId"], "points": 20 + k % 30}
        game["pointsLeaders"] = [leader] * (k % 3 if game["gameStatus"] == 3 else 0)  # none for games to come
        station = {"broadcasterId": k, "broadcasterDisplay": f"Station {k}", "broadcasterScope": "natl"}
        game["broadcasters"] = {"nationalBroadcasters": [station] * (k % 2), "homeTvBroadcasters": [station] * (k % 4)}
    ours, library = ScheduleParser(response).get_data_sets(), NBAStatsScheduleLeagueV2Parser(response).get_data_sets()
    assert ours.keys() == library.keys() == {"SeasonGames", "SeasonWeeks"}
    for name in ours:
        assert ours[name]["headers"] == library[name]["headers"]
        assert ours[name]["data"] == library[name]["data"]
    headers = ours["SeasonGames"]["headers"]
    assert len(ours["SeasonGames"]["data"]) == len(games)
    assert {"pointsLeaders_1_points", "homeTvBroadcasters_2_broadcasterDisplay"} <= set(headers), "the widest game sets the columns"
