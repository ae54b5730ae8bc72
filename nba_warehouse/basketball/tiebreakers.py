"""The NBA's published tiebreak procedure for ranking teams within a conference or division.

The procedure is recursive (a criterion that splits a multi-team tie sends each
remaining group back to the first criterion, two-team or multi-team by its
size) and needs head-to-head records among whichever teams are tied, so it is
Python over small numpy arrays rather than SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

import numpy as np
import pandas as pd

from nba_warehouse.basketball.eras import Era


def alignment(divisions: pd.DataFrame, start_year: int) -> pd.DataFrame:
    """The rows of seeds.team_divisions valid in the season starting in ``start_year``, by team id."""
    valid = (divisions.first_season <= start_year) & (divisions.last_season.isna() | (divisions.last_season >= start_year))
    return divisions[valid].set_index("team_id")


def win_pct(wins: np.ndarray, losses: np.ndarray) -> np.ndarray:
    games = wins + losses
    return np.divide(wins, games, out=np.zeros(games.shape), where=games > 0)


@dataclass
class Table:
    """The standings on one date, with what the tiebreakers need (arrays are indexed by team)."""

    wins: np.ndarray
    losses: np.ndarray
    conference_wins: np.ndarray
    conference_losses: np.ndarray
    division_wins: np.ndarray
    division_losses: np.ndarray
    point_differential: np.ndarray
    head_to_head: np.ndarray  # head_to_head[i, j]: wins of team i against team j
    conference: np.ndarray
    division: np.ndarray
    team_ids: np.ndarray
    era: Era
    invited: frozenset[int] | None = None  # 2019-20: the teams that played on in the bubble, by index

    def ranks(self) -> tuple[dict[int, int], dict[int, int], dict[int, float]]:
        """Conference ranks, division ranks and games behind the conference's first-ranked team."""
        self.pct = win_pct(self.wins, self.losses)
        self.eligible = self.playoff_eligible()
        division_rank: dict[int, int] = {}
        for name in {x for x in self.division if x is not None}:
            members = [i for i in range(len(self.team_ids)) if self.division[i] == name]
            division_rank.update({i: k + 1 for k, i in enumerate(self.order(members, division_leaders=None))})
        self.division_leaders = {i for i, rank in division_rank.items() if rank == 1}
        conference_rank: dict[int, int] = {}
        games_back: dict[int, float] = {}
        for name in {x for x in self.conference if x is not None}:
            members = [i for i in range(len(self.team_ids)) if self.conference[i] == name]
            ordered = self.seeded(self.order(members, division_leaders=self.division_leaders), division_rank)
            leader = ordered[0]
            for k, i in enumerate(ordered):
                conference_rank[i] = k + 1
                games_back[i] = ((self.wins[leader] - self.wins[i]) + (self.losses[i] - self.losses[leader])) / 2
        return conference_rank, division_rank, games_back

    def seeded(self, ordered: list[int], division_rank: dict[int, int]) -> list[int]:
        """The era's order at the end of the regular season from the tiebreak order: the bubble's teams ahead of
        the rest, the playoff qualifiers ahead of the others, then the division winners' guaranteed seeds."""
        era = self.era
        if era.bubble and self.invited is not None:
            ordered = _first(ordered, self.invited)
        if era.division_qualifiers:
            qualified = [i for i in ordered if division_rank[i] <= era.division_qualifiers]
            qualified += [i for i in ordered if i not in qualified][: max(0, era.playoff_teams - len(qualified))]
            ordered = _first(ordered, set(qualified))
        if era.division_winner_seeds:
            winners = [i for i in ordered if division_rank[i] == 1]
            others = [i for i in ordered if division_rank[i] != 1]
            ordered = _first(ordered, set(winners + others[: max(0, era.division_winner_seeds - len(winners))]))
        return ordered

    def playoff_eligible(self) -> dict[str, set[int]]:
        """Per conference, the teams at or above the last play-in (or playoff) spot's win percentage, ties included."""
        eligible = {}
        for name in {x for x in self.conference if x is not None}:
            members = [i for i in range(len(self.team_ids)) if self.conference[i] == name]
            cut = sorted((self.pct[i] for i in members), reverse=True)[: self.era.playoff_spots()][-1]
            eligible[name] = {i for i in members if self.pct[i] >= cut}
        return eligible

    def order(self, members: list[int], division_leaders: set[int] | None) -> list[int]:
        """Members by win percentage, each tie broken by the official procedure."""
        ordered: list[int] = []
        by_pct = sorted(members, key=lambda i: -self.pct[i])
        for _, tied in groupby(by_pct, key=lambda i: self.pct[i]):
            ordered += self.break_tie(list(tied), division_leaders)
        return ordered

    def break_tie(self, tied: list[int], division_leaders: set[int] | None) -> list[int]:
        """Apply the two-team or multi-team criteria in the league's order; every group a criterion
        separates is broken again from the first criterion, and a tie that survives them all goes by
        team id (the league would draw lots)."""
        if len(tied) == 1:
            return tied
        leader = (lambda: None) if division_leaders is None else (lambda: [float(i in division_leaders) for i in tied])
        head_to_head = lambda: self.head_to_head_pct(tied)  # noqa: E731
        criteria = [head_to_head, leader] if len(tied) == 2 else [leader, head_to_head]
        records = [lambda: self.division_pct(tied), lambda: list(win_pct(self.conference_wins[tied], self.conference_losses[tied]))]
        criteria += [
            *(records[::-1] if self.era.conference_record_first else records),
            lambda: self.pct_against_eligible(tied, own_conference=True),
            lambda: self.pct_against_eligible(tied, own_conference=False),
            lambda: [float(x) for x in self.point_differential[tied]],
        ]
        for criterion in criteria:
            values = criterion()
            if values is None or len(set(values)) == 1:
                continue
            by_value = sorted(zip(values, tied), key=lambda pair: -pair[0])
            ordered: list[int] = []
            for _, group in groupby(by_value, key=lambda pair: pair[0]):
                ordered += self.break_tie([i for _, i in group], division_leaders)
            return ordered
        return sorted(tied, key=lambda i: self.team_ids[i])

    def head_to_head_pct(self, tied: list[int]) -> list[float] | None:
        """Win percentage in the games among the tied teams; not applicable until each has played one."""
        among = self.head_to_head[np.ix_(tied, tied)]
        wins, losses = among.sum(axis=1), among.sum(axis=0)
        if ((wins + losses) == 0).any():
            return None
        return list(win_pct(wins, losses))

    def division_pct(self, tied: list[int]) -> list[float] | None:
        """Division win percentage, only when all tied teams share a division."""
        if len({self.division[i] for i in tied}) != 1 or self.division[tied[0]] is None:
            return None
        return list(win_pct(self.division_wins[tied], self.division_losses[tied]))

    def pct_against_eligible(self, tied: list[int], own_conference: bool) -> list[float] | None:
        """Win percentage against the playoff-eligible teams of the tied teams' own or the other conference."""
        own = self.conference[tied[0]]
        pools = [pool for name, pool in self.eligible.items() if (name == own) == own_conference]
        if not pools:
            return None
        values = []
        for i in tied:
            opponents = sorted(pools[0] - {i})
            values.append(float(win_pct(self.head_to_head[i, opponents].sum(), self.head_to_head[opponents, i].sum())))
        return values


def _first(ordered: list[int], chosen: set[int] | frozenset[int]) -> list[int]:
    """``ordered`` with the chosen teams moved ahead of the others, each part keeping its order."""
    return [i for i in ordered if i in chosen] + [i for i in ordered if i not in chosen]
