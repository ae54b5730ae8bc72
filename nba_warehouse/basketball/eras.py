"""The league's playoff rules by era, as data: who qualifies, how the qualifiers are seeded and how the
playoffs are played. Each rule was read off the final standings and playoff series of 1946-47 to 2009-10
(../shared/history, Open Source Sports and FiveThirtyEight) and the league's announcements since; the
derivation and the sources are in docs/decisions.md, and tests/test_history.py checks them against the
shared facts.
"""

from __future__ import annotations

from dataclasses import dataclass

# A playoff bracket within a conference: a seed, or a series between the winners of two sub-brackets.
Bracket = int | tuple["Bracket", "Bracket"]

EIGHT: Bracket = (((1, 8), (4, 5)), ((2, 7), (3, 6)))
SIX_WITH_TWO_BYES: Bracket = ((1, (4, 5)), (2, (3, 6)))
FIVE_WITH_THREE_BYES: Bracket = ((1, (4, 5)), (2, 3))
FOUR: Bracket = ((1, 4), (2, 3))


@dataclass(frozen=True)
class Era:
    """Playoff rules of the seasons from ``first_season`` (start year) until the next era begins.

    ``division_qualifiers`` places per division qualify before the best remaining records fill the
    ``playoff_teams`` of a conference; ``division_winner_seeds`` is the seed every division winner is
    guaranteed, the guaranteed places being ordered by record among themselves. ``conference_record_first``: ties
    went to the conference record before the division record (1982-83 Denver over Kansas City, 2002-03 San Antonio
    over Dallas for the Midwest title), the reverse of today's order. Without conferences
    (before 1970-71) the divisions were the playoff groups and no conference rank exists.
    """

    first_season: int
    has_conferences: bool
    playoff_teams: int
    division_qualifiers: int = 0
    division_winner_seeds: int = 0
    play_in: bool = False
    play_in_series: bool = False
    bubble: bool = False
    conference_record_first: bool = False
    bracket: Bracket | None = None
    series: tuple[int, ...] = (7, 7, 7, 7)  # best-of per round, the Finals first

    def direct_places(self) -> int:
        """Places per group that go straight to the playoffs."""
        return self.playoff_teams - (2 if self.play_in else 0)

    def playoff_spots(self) -> int:
        """Places per group that reach the play-in or the playoffs: whom the tiebreakers call playoff-eligible."""
        return self.playoff_teams + (2 if self.play_in else 0)


# Plain data (SQLMesh serializes what a Python model uses, and cannot rebuild dataclass instances).
ERAS: tuple[dict[str, object], ...] = (
    dict(first_season=1946, has_conferences=False, playoff_teams=3, conference_record_first=True),
    dict(first_season=1948, has_conferences=False, playoff_teams=4, conference_record_first=True),
    dict(first_season=1953, has_conferences=False, playoff_teams=3, conference_record_first=True),
    dict(first_season=1966, has_conferences=False, playoff_teams=4, conference_record_first=True),
    dict(first_season=1970, has_conferences=True, playoff_teams=4, division_qualifiers=2, bracket=FOUR, conference_record_first=True),
    dict(first_season=1973, has_conferences=True, playoff_teams=4, bracket=FOUR, conference_record_first=True),
    dict(first_season=1974, has_conferences=True, playoff_teams=5, division_qualifiers=2, bracket=FIVE_WITH_THREE_BYES, series=(7, 7, 7, 3), conference_record_first=True),
    dict(first_season=1976, has_conferences=True, playoff_teams=6, division_winner_seeds=2, bracket=SIX_WITH_TWO_BYES, series=(7, 7, 7, 3), conference_record_first=True),
    dict(first_season=1983, has_conferences=True, playoff_teams=8, division_winner_seeds=2, bracket=EIGHT, series=(7, 7, 7, 5), conference_record_first=True),
    dict(first_season=2002, has_conferences=True, playoff_teams=8, division_winner_seeds=2, bracket=EIGHT, conference_record_first=True),
    dict(first_season=2004, has_conferences=True, playoff_teams=8, division_winner_seeds=3, bracket=EIGHT),
    dict(first_season=2006, has_conferences=True, playoff_teams=8, division_winner_seeds=4, bracket=EIGHT),
    dict(first_season=2015, has_conferences=True, playoff_teams=8, bracket=EIGHT),
    dict(first_season=2019, has_conferences=True, playoff_teams=8, bubble=True, play_in_series=True, bracket=EIGHT),
    dict(first_season=2020, has_conferences=True, playoff_teams=8, play_in=True, bracket=EIGHT),
)

# 2019-20: the 22 teams invited to the bubble played on from 30 July 2020; the final standings rank them ahead of
# the eight whose season ended at the March suspension.
BUBBLE_RESTART = "2020-07-30"  # ISO: SQLMesh serializes what a model uses, and dates it cannot
# 2019-20: a play-in series for the eighth seed when the ninth finished within four games of it; the ninth had to
# win twice.
PLAY_IN_SERIES_MARGIN = 4


def era(start_year: int) -> Era:
    """The rules of the season starting in ``start_year``."""
    return Era(**[rules for rules in ERAS if rules["first_season"] <= start_year][-1])  # type: ignore[arg-type]
