"""Where the warehouse lives and the vocabulary every module shares.

One DuckDB file, named by ``NBA_WAREHOUSE_DB``, is written by both dlt and
SQLMesh; everything else the pipeline writes sits beside it so that a
warehouse can be copied, archived or deleted as one folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "data/warehouse.duckdb"
RAW_SCHEMA = "raw"

SEASON_TYPES: tuple[str, ...] = ("Pre Season", "Regular Season", "PlayIn", "Playoffs")
# The first three digits of a GAME_ID name its season type.
GAME_ID_PREFIX = {"Pre Season": "001", "Regular Season": "002", "All Star": "003", "Playoffs": "004", "PlayIn": "005"}
GAME_LOG_RESOURCES: tuple[str, ...] = ("team_game_logs", "player_game_logs")
RESOURCES: tuple[str, ...] = (*GAME_LOG_RESOURCES, "players", "schedule", "teams")

# daily re-fetches this many days before its date, for late stat corrections
REFETCH_LAG_DAYS = 3
# days of game logs per backfill chunk: the unit that is loaded whole and resumed after
CHUNK_DAYS = 30

_SEASON_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class WarehousePaths:
    """The warehouse file and the folders that travel with it."""

    db: Path

    @property
    def root(self) -> Path:
        return self.db.parent

    @property
    def landing(self) -> Path:
        return Path(os.environ.get("NBA_WAREHOUSE_LANDING", self.root / "landing"))

    @property
    def dlt_dir(self) -> Path:
        return self.root / ".dlt"

    @classmethod
    def from_env(cls) -> "WarehousePaths":
        return cls(Path(os.environ.get("NBA_WAREHOUSE_DB", DEFAULT_DB)).absolute())


def parse_season(label: str) -> int:
    """Return the start year of a season label such as ``2025-26``.

    The two-digit suffix must follow the start year, which catches the common
    ``2025-2026`` and ``2025-25`` mistakes before any request is made.
    """
    match = _SEASON_RE.match(label)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"expected a season like 2025-26, got {label!r}")
    start = int(match[1])
    if start < 1946:
        raise ValueError(f"expected a season from 1946-47 on, got {label!r}")
    return start


def season_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"
