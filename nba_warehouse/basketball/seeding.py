"""Conference seeds of many simulated seasons at once: ``tiebreakers.Table`` on arrays.

``Table`` breaks ties recursively, one season at a time. Here every simulation's tie groups are broken together,
one criterion per step: a group whose members differ on its current criterion splits into sub-groups, each
starting the criteria again (the recursion, unrolled; the win percentage, which splits every group first, is not
taken again); a group whose members are equal on it, or to which it does not apply, moves on to the next. A
group is a set of teams sharing ``start``, its first place in the order, so a split only moves each team down by
the members ahead of it. tests/test_simulation.py checks that the seeds
equal ``Table.ranks()`` on many random seasons of every era.

Inside, simulations run along the last axis (teams x simulations, teams x teams x simulations): each step compares
a handful of teams in thousands of simulations, and numpy is fast along long contiguous rows, several times faster
than along rows of 15 teams.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from nba_warehouse.basketball.eras import Era
from nba_warehouse.basketball.tiebreakers import win_pct


@dataclass
class Records:
    """Every simulation's final records (simulations x teams; ``head_to_head`` teams x teams x simulations)."""

    wins: np.ndarray
    losses: np.ndarray
    conference_wins: np.ndarray
    conference_losses: np.ndarray
    division_wins: np.ndarray
    division_losses: np.ndarray
    point_differential: np.ndarray
    head_to_head: np.ndarray  # head_to_head[i, j, s]: wins of team i against team j in simulation s

    @staticmethod
    def concatenate(parts: list[Records]) -> Records:
        """The simulations of several ``Records`` as one (simulations are the last axis of ``head_to_head``)."""
        return Records(
            **{
                f.name: np.concatenate([getattr(part, f.name) for part in parts], axis=2 if f.name == "head_to_head" else 0)
                for f in fields(Records)
            }
        )


def conference_seeds(
    records: Records, conference: np.ndarray, division: np.ndarray, team_ids: np.ndarray, era: Era, invited: frozenset[int] | None
) -> np.ndarray:
    """Seeds within the conference, 1-based (0 for a team without one), as ``Table.ranks()`` gives them
    (simulations x teams, like ``records``)."""
    return ranks(records, conference, division, team_ids, era, invited)[0]


def ranks(
    records: Records, conference: np.ndarray, division: np.ndarray, team_ids: np.ndarray, era: Era, invited: frozenset[int] | None
) -> tuple[np.ndarray, np.ndarray]:
    """Conference and division ranks, 1-based (0 for a team without a conference or a division), as
    ``Table.ranks()`` gives them (simulations x teams, like ``records``; a season's dates serve as well)."""
    pct = win_pct(records.wins, records.losses).T
    conferences = sorted({c for c in conference if c is not None})
    divisions = sorted({d for d in division if d is not None})
    eligible = np.zeros(pct.shape, dtype=bool)
    for name in conferences:
        members = np.flatnonzero(conference == name)
        ranked = -np.sort(-pct[members], axis=0)
        eligible[members] = pct[members] >= ranked[min(era.playoff_spots(), len(members)) - 1]
    team_level = _team_criteria(records, pct, eligible, conference, team_ids)
    division_place = np.zeros(pct.shape, dtype=np.int64)
    division_rank = np.zeros(pct.shape, dtype=np.int64)
    for name in divisions:
        members = np.flatnonzero(division == name)
        division_place[members] = _order(records.head_to_head, team_level, members, division, era, leaders=None)
        division_rank[members] = division_place[members] + 1
    leaders = division_place == 0
    seeds = np.zeros(pct.shape, dtype=np.int64)
    for name in conferences:
        members = np.flatnonzero(conference == name)
        place = _order(records.head_to_head, team_level, members, division, era, leaders=leaders[members].astype(float))
        seeds[members] = _seeded(place, division_place[members], members, era, invited) + 1
    return seeds.T, division_rank.T


def _team_criteria(records: Records, pct: np.ndarray, eligible: np.ndarray, conference: np.ndarray, team_ids: np.ndarray) -> dict[str, np.ndarray]:
    """The criteria that do not depend on which teams are tied, for every team of every simulation."""
    h2h = records.head_to_head
    against: dict[str, np.ndarray] = {}
    for name, own in (("eligible_own", True), ("eligible_other", False)):
        same = conference[:, None] == conference[None, :]
        pool = (same if own else ~same & (conference[None, :] != None)) & ~np.eye(len(conference), dtype=bool)  # noqa: E711
        opponents = eligible[None, :, :] & pool[:, :, None]
        against[name] = win_pct((h2h * opponents).sum(axis=1), (h2h.transpose(1, 0, 2) * opponents).sum(axis=1))
    return {
        "pct": pct,
        "division_record": win_pct(records.division_wins, records.division_losses).T,
        "conference_record": win_pct(records.conference_wins, records.conference_losses).T,
        **against,
        "point_differential": records.point_differential.T.astype(float),
        "team_id": -np.broadcast_to(team_ids[:, None], pct.shape).astype(float),
    }


CRITERIA = ("pct", "h2h", "leader", "division_record", "conference_record", "eligible_own", "eligible_other", "point_differential", "team_id")
PCT, H2H, LEADER, DIVISION_RECORD = range(4)


def _chains(era: Era) -> tuple[np.ndarray, np.ndarray]:
    """The criteria in the order a group of two, and a group of three or more, takes them (indices into CRITERIA);
    the win percentage first, as ``Table.order`` groups by it before breaking ties."""
    records = ["division_record", "conference_record"]
    tail = [*(records[::-1] if era.conference_record_first else records), "eligible_own", "eligible_other", "point_differential", "team_id"]
    two, more = ["pct", "h2h", "leader", *tail], ["pct", "leader", "h2h", *tail]
    return np.array([CRITERIA.index(c) for c in two]), np.array([CRITERIA.index(c) for c in more])


def _count(mask: np.ndarray) -> np.ndarray:
    """[i, s]: how many j are true in mask[i, j, s] (a conference has fewer than 128 teams)."""
    return mask.view(np.int8).sum(axis=1, dtype=np.int8)


def _order(
    h2h: np.ndarray, team_level: dict[str, np.ndarray], members: np.ndarray, division: np.ndarray, era: Era, leaders: np.ndarray | None
) -> np.ndarray:
    """Each member's 0-based place in ``Table.order(members, division_leaders)``, for every simulation."""
    m, runs = len(members), h2h.shape[2]
    among_members = h2h[np.ix_(members, members)]
    stacked = np.zeros((len(CRITERIA), m, runs))
    for index, name in enumerate(CRITERIA):
        if name in team_level:
            stacked[index] = team_level[name][members]
    if leaders is not None:
        stacked[LEADER] = leaders
    one_division = ((division[members][:, None] == division[members][None, :]) & (division[members] != None)[:, None])[:, :, None]  # noqa: E711
    two, more = _chains(era)
    pct = stacked[PCT]
    start = _count(pct[None, :, :] > pct[:, None, :])  # the win percentage splits the members first,
    step = np.ones((m, runs), dtype=np.int8)  # so every later group shares one and starts at the next criterion
    largest = _count(start[:, None, :] == start[None, :, :]).max(axis=0, initial=0)
    _break_pairs(start, np.flatnonzero(largest == 2), stacked, among_members, one_division[:, :, 0], two, leaders is not None)
    live = np.flatnonzero(largest > 2)  # a tie of three or more: the procedure a criterion at a time
    while True:
        place = start[:, live]
        together = place[:, None, :] == place[None, :, :]  # [i, j, s]: i and j are in one group in simulation s
        size = _count(together)
        tied = size > 1
        unsettled = tied.any(axis=0)
        if not unsettled.any():
            return start.astype(np.int64)
        live, place, together, size, tied = live[unsettled], place[:, unsettled], together[:, :, unsettled], size[:, unsettled], tied[:, unsettled]
        at = np.minimum(step[:, live], len(two) - 1)
        criterion = np.where(size == 2, two[at], more[at])
        value = stacked[criterion, np.arange(m)[:, None], live[None, :]]
        applies = np.ones(value.shape, dtype=bool) if leaders is not None else criterion != LEADER
        by_h2h = tied & (criterion == H2H)
        if by_h2h.any():
            cols = np.flatnonzero(by_h2h.any(axis=0))
            among, games = together[:, :, cols], among_members[:, :, live[cols]]
            wins, losses = (games * among).sum(axis=1), (games.transpose(1, 0, 2) * among).sum(axis=1)
            value[:, cols] = np.where(by_h2h[:, cols], win_pct(wins, losses), value[:, cols])
            applies[:, cols] &= ~by_h2h[:, cols] | (wins + losses > 0)
        by_division = tied & (criterion == DIVISION_RECORD)
        if by_division.any():
            applies &= ~by_division | ~(together & ~one_division).any(axis=1)
        ahead = _count(together & (value[None, :, :] > value[:, None, :]))
        splits = tied & (together & (ahead > 0)[None, :, :]).any(axis=1)  # a group splits when one of it has any ahead
        if not applies.all():
            splits &= ~(together & ~applies[None, :, :]).any(axis=1)
        start[:, live] = place + np.where(splits, ahead, 0)
        step[:, live] = np.where(splits, 1, step[:, live] + tied)


def _break_pairs(
    start: np.ndarray, sims: np.ndarray, stacked: np.ndarray, h2h: np.ndarray, one_division: np.ndarray, two: np.ndarray, has_leaders: bool
) -> None:
    """In simulations whose ties are all of two teams (most of them), each pair is broken at once: the first
    criterion of the two-team chain that applies to it and tells the two apart puts one a place behind the other,
    as ``_order``'s loop would a criterion at a time. Team id always tells two teams apart."""
    tied = start[:, None, sims] == start[None, :, sims]
    i, j, k = np.nonzero(tied & np.triu(np.ones(tied.shape[:2], dtype=bool), 1)[:, :, None])
    s = sims[k]
    for criterion in two[1:]:
        if criterion == H2H:
            won, lost = h2h[i, j, s], h2h[j, i, s]
            first, second, applies = win_pct(won, lost), win_pct(lost, won), won + lost > 0
        else:
            first, second = stacked[criterion, i, s], stacked[criterion, j, s]
            applies = one_division[i, j] if criterion == DIVISION_RECORD else np.full(len(s), criterion != LEADER or has_leaders)
        decided = applies & (first != second)
        start[np.where(first > second, j, i)[decided], s[decided]] += 1
        i, j, s = i[~decided], j[~decided], s[~decided]


def _seeded(place: np.ndarray, division_place: np.ndarray, members: np.ndarray, era: Era, invited: frozenset[int] | None) -> np.ndarray:
    """``Table.seeded``: the bubble's teams, the playoff qualifiers and the division winners' guaranteed seeds moved
    ahead of the others, each part keeping its order."""
    if era.bubble and invited is not None:
        place = _first(place, np.broadcast_to(np.isin(members, list(invited))[:, None], place.shape))
    if era.division_qualifiers:
        place = _first(place, _with_best_others(place, division_place < era.division_qualifiers, era.playoff_teams))
    if era.division_winner_seeds:
        place = _first(place, _with_best_others(place, division_place == 0, era.division_winner_seeds))
    return place


def _with_best_others(place: np.ndarray, guaranteed: np.ndarray, places: int) -> np.ndarray:
    """The guaranteed teams and, up to ``places`` in all, the best placed of the others."""
    others_ahead = _count(_behind(place) & ~guaranteed[None, :, :])
    room = np.maximum(0, places - guaranteed.sum(axis=0))
    return guaranteed | (others_ahead < room[None, :])


def _behind(place: np.ndarray) -> np.ndarray:
    """[i, j, s]: team j is ahead of team i in simulation s."""
    return place[None, :, :] < place[:, None, :]


def _first(place: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    behind = _behind(place)
    chosen_ahead = _count(behind & chosen[None, :, :])
    others_ahead = _count(behind & ~chosen[None, :, :])
    return np.where(chosen, chosen_ahead, chosen.sum(axis=0)[None, :] + others_ahead)
