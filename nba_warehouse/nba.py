"""The NBA's vocabulary, defined once: season types and their GAME_ID prefixes, the raw tables' natural
keys and season labels. The ingestion, the quality gate, the offline league, the macros and the models
import it from here."""

from __future__ import annotations

import re
from datetime import date, timedelta

# The season types with standings of their own (the NBA Cup final counts in none).
SEASON_TYPES: tuple[str, ...] = ("Pre Season", "Regular Season", "PlayIn", "Playoffs")
REGULAR_SEASON = "Regular Season"
PLAYOFFS = "Playoffs"
NBA_CUP_FINAL = "NBA Cup Final"
# The API's SeasonType for the NBA Cup final, and every SeasonType the pipeline requests.
IST = "IST"
REQUESTED_SEASON_TYPES: tuple[str, ...] = (*SEASON_TYPES, IST)
# Season types that exist only from a season on (start year): the play-in began with the 2019-20 bubble's play-in
# game; the NBA Cup with 2023-24.
SEASON_TYPE_FIRST_SEASON = {"PlayIn": 2019, IST: 2023}
# The first three digits of a GAME_ID name the kind of game.
GAME_TYPES = {
    "001": "Pre Season",
    "002": REGULAR_SEASON,
    "003": "All Star",
    "004": "Playoffs",
    "005": "PlayIn",
    "006": NBA_CUP_FINAL,
}
GAME_ID_PREFIX = {label: prefix for prefix, label in GAME_TYPES.items()} | {IST: "006"}
# Games that count for ratings and predictions: not the preseason, not the All-Star game.
RATED_GAME_TYPES: tuple[str, ...] = (REGULAR_SEASON, "PlayIn", "Playoffs", NBA_CUP_FINAL)

# Each raw table's natural key: what dlt merges on and the quality gate holds unique.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "team_game_logs": ("game_id", "team_id"),
    "player_game_logs": ("game_id", "player_id"),
    "players": ("person_id",),
    "schedule": ("game_id",),
    "teams": ("id",),
}
RAW_TABLES: tuple[str, ...] = tuple(NATURAL_KEYS)
GAME_LOG_TABLES: tuple[str, ...] = ("team_game_logs", "player_game_logs")

FIRST_SEASON = 1946  # the BAA's 1946-47
_SEASON_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_season(label: str) -> int:
    """Return the start year of a season label such as ``2025-26``.

    The two-digit suffix must follow the start year, which catches the common
    ``2025-2026`` and ``2025-25`` mistakes before any request is made.
    """
    match = _SEASON_RE.match(label)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"expected a season like 2025-26, got {label!r}")
    start = int(match[1])
    if start < FIRST_SEASON:
        raise ValueError(f"expected a season from 1946-47 on, got {label!r}")
    return start


def season_types(season: str) -> tuple[str, ...]:
    """The season types a season has, in request order: a request for one it cannot have is never made."""
    year = parse_season(season)
    return tuple(t for t in REQUESTED_SEASON_TYPES if year >= SEASON_TYPE_FIRST_SEASON.get(t, FIRST_SEASON))


def season_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


# The season calendar: every date belongs to exactly one season, from its preseason to its Finals. Seasons turn over
# on 1 July, except around the pandemic: the 2019-20 season ended in the bubble on 11 October 2020 and the 2020-21
# season ran from December 2020 to its Finals on 20 July 2021.
TURNOVER = (7, 1)
# (first date, last date), ISO: the macros write them into SQL as they are
IRREGULAR_SEASONS = {
    "2019-20": ("2019-07-01", "2020-10-31"),
    "2020-21": ("2020-11-01", "2021-07-31"),
    "2021-22": ("2021-08-01", "2022-06-30"),
}


# Regular-season games per team, from the season (start year) a length began; the lockout seasons are their own
# entries. From ../shared/history/README.md ("Games per team") through 2009-10, and the 66-game 2011-12.
REGULAR_SEASON_GAMES = {1946: 60, 1947: 48, 1948: 60, 1949: 68, 1950: 66, 1952: 70, 1953: 72, 1959: 75, 1960: 79, 1961: 80,
                        1966: 81, 1967: 82, 1998: 50, 1999: 82, 2011: 66, 2012: 82}  # fmt: skip


def regular_season_games(start_year: int) -> int:
    """Games each team plays in the regular season starting in ``start_year``."""
    return [games for first, games in REGULAR_SEASON_GAMES.items() if first <= start_year][-1]


def season_window(season: str) -> tuple[date, date]:
    """The first and last date a season's games can fall on."""
    if season in IRREGULAR_SEASONS:
        first, last = IRREGULAR_SEASONS[season]
        return date.fromisoformat(first), date.fromisoformat(last)
    year = parse_season(season)
    return date(year, *TURNOVER), date(year + 1, *TURNOVER) - timedelta(days=1)


def season_start(day: date) -> date:
    """The first date of the season ``day`` belongs to (of its window, before any game)."""
    for first, last in IRREGULAR_SEASONS.values():
        if first <= day.isoformat() <= last:
            return date.fromisoformat(first)
    return date(day.year if (day.month, day.day) >= TURNOVER else day.year - 1, *TURNOVER)


def season_of(day: date) -> str:
    """The season a date belongs to: what to request when only a date is known (the data itself carries its
    season in SEASON_ID and the GAME_ID's digits)."""
    return season_label(season_start(day).year)


# Box-score statistics the league began keeping after 1946-47, by the start year of the first season that has them
# (Basketball-Reference's glossary of when each was first recorded). Older seasons serve them empty.
STATISTICS_KEPT_FROM: dict[str, int] = {
    "REB": 1950,
    "MIN": 1951,
    "OREB": 1973,
    "DREB": 1973,
    "STL": 1973,
    "BLK": 1973,
    "TOV": 1977,
    "FG3M": 1979,
    "FG3A": 1979,
    "FG3_PCT": 1979,
    "PLUS_MINUS": 1996,
}


def unkept_statistics(start_year: int) -> frozenset[str]:
    """API headers of the statistics the league did not keep in the season starting in ``start_year``."""
    return frozenset(header for header, first in STATISTICS_KEPT_FROM.items() if start_year < first)
