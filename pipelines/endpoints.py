"""nba_api's endpoints as this pipeline calls them.

nba_api 1.12.0 parses ScheduleLeagueV2's nested JSON by recounting, for every game, the most points leaders and
broadcasters any game of the season has: quadratic in the games, 0.7 s a season, most of an ingest of many
seasons. The counts depend only on the response, so here each is taken once per response; the rows are the
library's own (tests/test_endpoints.py compares them)."""

from __future__ import annotations

from functools import cache
from typing import Any

from nba_api.stats.endpoints import ScheduleLeagueV2 as LibraryScheduleLeagueV2
from nba_api.stats.endpoints._base import Endpoint
from nba_api.stats.endpoints._parsers.scheduleleaguev2 import NBAStatsScheduleLeagueV2Parser


class ScheduleParser(NBAStatsScheduleLeagueV2Parser):
    """The library's parser with its season-wide counts taken once per response."""

    SEASON_WIDE = ("get_broadcaster_types", "broadcaster_type_max", "get_broadcaster_keys", "points_leaders_max", "get_points_leaders_keys")

    def __init__(self, nba_dict: dict[str, Any]) -> None:
        super().__init__(nba_dict)
        for name in self.SEASON_WIDE:
            setattr(self, name, cache(getattr(self, name)))


class ScheduleLeagueV2(LibraryScheduleLeagueV2):
    def load_response(self) -> None:
        data_sets = ScheduleParser(self.nba_response.get_dict()).get_data_sets()
        self.data_sets = [Endpoint.DataSet(data=data_set) for data_set in data_sets.values()]
        self.season_games = Endpoint.DataSet(data=data_sets["SeasonGames"])
        self.season_weeks = Endpoint.DataSet(data=data_sets["SeasonWeeks"])
