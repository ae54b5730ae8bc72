"""The dlt source: one resource per raw table.

Game logs are requested per season x season type with a DateFrom/DateTo
window, so a season costs one request per table and a day costs one too.
Without an explicit window a resource starts a few days before the newest
game it loaded last time (kept in dlt's resource state, per season and type):
late stat corrections are picked up and the ``merge`` on natural keys makes
re-fetched rows replace, never duplicate, what is there. State is committed
with the load package, so a failed run advances nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

import dlt
import pyarrow as pa
import pyarrow.compute as pc
from nba_api.stats.endpoints import CommonAllPlayers, LeagueGameLog, PlayerGameLogs
from nba_api.stats.endpoints._base import Endpoint
from nba_api.stats.static import teams as static_teams

from nba_warehouse.nba import NATURAL_KEYS, season_types
from pipelines.boundary import Boundary, Request
from pipelines.api_frames import raw_frame
from pipelines.contract import empty_table, to_arrow
from pipelines.endpoints import ScheduleLeagueV2
from pipelines.verdicts import Scope
from pipelines.stats_http import StatsClient

MERGE = {"disposition": "merge", "strategy": "delete-insert"}
KEY_HINTS = {"game_id": {"data_type": "text"}, "game_date": {"data_type": "date"}}


@dataclass(frozen=True)
class Window:
    """What to fetch: seasons, season types and an optional date range."""

    seasons: tuple[str, ...]
    season_types: tuple[str, ...]
    start: date | None = None
    end: date | None = None


def _api_date(day: date | None) -> str:
    return day.strftime("%m/%d/%Y") if day else ""


@dataclass(frozen=True)
class GameLogEndpoint:
    """How one nba_api game-log endpoint spells season, season type and fixed parameters."""

    endpoint: type[Endpoint]
    dataset: str
    season_arg: str
    season_type_arg: str
    fixed: dict[str, str]

    def fetch(self, client: StatsClient, season: str, season_type: str, date_from: str, date_to: str) -> dict[str, Any]:
        params = {self.season_arg: season, self.season_type_arg: season_type, **self.fixed}
        return client.fetch(self.endpoint, self.dataset, date_from_nullable=date_from, date_to_nullable=date_to, **params)


TEAM_LOGS = GameLogEndpoint(LeagueGameLog, "league_game_log", "season", "season_type_all_star", {"player_or_team_abbreviation": "T"})
PLAYER_LOGS = GameLogEndpoint(PlayerGameLogs, "player_game_logs", "season_nullable", "season_type_nullable", {"league_id_nullable": "00"})


def _game_logs(
    table: str, source: GameLogEndpoint, boundary: Boundary, window: Window, refetch_days: int
) -> Iterator[pa.Table]:
    loaded = dlt.current.resource_state().setdefault("last_game_date", {})

    def requests() -> Iterator[Request]:
        for season in window.seasons:
            for season_type in (t for t in window.season_types if t in season_types(season)):
                start = window.start
                if start is None and f"{season}|{season_type}" in loaded:
                    start = date.fromisoformat(loaded[f"{season}|{season_type}"]) - timedelta(days=refetch_days)
                fetch = partial(source.fetch, boundary.client, season, season_type, _api_date(start), _api_date(window.end))
                yield Scope(table, season, season_type, start, window.end), fetch

    for scope, batch in boundary.admit(requests()):
        key, newest = f"{scope.season}|{scope.season_type}", pc.max(batch["game_date"]).as_py().isoformat()
        loaded[key] = max(loaded.get(key, newest), newest)
        yield batch


def _players(boundary: Boundary, window: Window) -> Iterator[pa.Table]:
    latest = max(window.seasons)
    fetch = partial(boundary.client.fetch, CommonAllPlayers, "common_all_players", is_only_current_season=0, league_id="00", season=latest)
    for _, batch in boundary.admit([(Scope("players", latest), fetch)]):
        yield batch


def _schedule(boundary: Boundary, window: Window) -> Iterator[pa.Table]:
    requests = [
        (Scope("schedule", season), partial(boundary.client.fetch, ScheduleLeagueV2, "season_games", league_id="00", season=season))
        for season in window.seasons
    ]
    for _, batch in boundary.admit(requests):
        yield batch


def _teams() -> Iterator[pa.Table]:
    rows = static_teams.get_teams()
    yield to_arrow("teams", raw_frame(list(rows[0]), [list(r.values()) for r in rows]))


def _keyed(batch: pa.Table, key: tuple[str, ...]) -> pa.Table:
    """Mark the natural key NOT NULL, as dlt's primary key hint does."""
    fields = [f.with_nullable(f.name not in key) for f in batch.schema]
    return batch.cast(pa.schema(fields, metadata=batch.schema.metadata))


def _with_table_guaranteed(table: str, key: tuple[str, ...], batches: Iterator[pa.Table] | None) -> Iterator[pa.Table]:
    """Yield the batches, or the table's empty contract schema when there are
    none, so that every raw table exists and downstream models can always plan."""
    produced = False
    for batch in batches or ():
        produced = True
        yield _keyed(batch, key)
    if not produced:
        yield _keyed(empty_table(table), key)


@dlt.source(name="nba_stats", max_table_nesting=0)
def nba_stats(
    window: Any,
    fetch: Sequence[str],
    boundary: Any,
    refetch_days: int = 3,
) -> Any:
    """Every raw table as a resource; those not in ``fetch`` make no request
    and only make sure their table exists. Fetched batches pass ``boundary``."""
    makers: dict[str, Callable[[], Iterator[pa.Table]]] = {
        "team_game_logs": lambda: _game_logs("team_game_logs", TEAM_LOGS, boundary, window, refetch_days),
        "player_game_logs": lambda: _game_logs("player_game_logs", PLAYER_LOGS, boundary, window, refetch_days),
        "players": lambda: _players(boundary, window),
        "schedule": lambda: _schedule(boundary, window),
        "teams": _teams,
    }
    for table, make in makers.items():
        key, selected = NATURAL_KEYS[table], table in fetch

        def rows(
            table: str = table, key: tuple[str, ...] = key, make: Callable[[], Iterator[pa.Table]] = make, selected: bool = selected
        ) -> Iterator[pa.Table]:
            yield from _with_table_guaranteed(table, key, make() if selected else None)

        hints = {c: h for c, h in KEY_HINTS.items() if table not in ("players", "teams")}
        yield dlt.resource(rows, name=table, primary_key=key, write_disposition=MERGE, columns=hints)
