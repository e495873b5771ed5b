"""Suggestions of ``dakpan analyze``: networks to pair in relay days, and the ``together`` table.

For a ``high`` or ``partial`` group, the pairs and triples of its networks
that share the most required members, with the trips a joint session would
save; written as a ``together`` table (contract v1.1: relay wishes) by
:func:`together_rows`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from planner.problem import Problem

TOGETHER_COLUMNS: tuple[str, ...] = ("networks", "times", "order", "hard")
"""Columns of ``together.csv`` (contract v1.1)."""


def required_sets(problem: Problem) -> dict[str, frozenset[str]]:
    """Network id -> its required members, in file order of networks."""
    return {n.id: frozenset(problem.required_members(n.id)) for n in problem.networks}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Networks to put in one relay day, ``times`` times, saving ``trips_saved`` trips."""

    networks: tuple[str, ...]
    shared: int
    times: int
    trips_saved: int
    possible: bool
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "networks": list(self.networks),
            "shared": self.shared,
            "times": self.times,
            "trips_saved": self.trips_saved,
            "possible": self.possible,
            "reason": self.reason,
        }


def _relay_possible(problem: Problem, nets: Sequence[str]) -> tuple[bool, str]:
    """Whether the networks can meet on one day at one venue: a common weekday and venue."""
    found = [problem.network_by_id[n] for n in nets]
    weekdays = frozenset.intersection(*(n.weekdays for n in found))
    if not weekdays:
        return False, "weekdays"
    venues = set.intersection(*(set(n.venues) for n in found))
    if not venues:
        return False, "venues"
    return True, ""


def _suggestion(
    problem: Problem, nets: Sequence[str], sets: Mapping[str, frozenset[str]]
) -> Suggestion:
    count: dict[str, int] = defaultdict(int)
    for n in nets:
        for p in sets[n]:
            count[p] += 1
    times = min(problem.network_by_id[n].meetings for n in nets)
    per_session = sum(c - 1 for c in count.values() if c >= 2)
    possible, reason = _relay_possible(problem, nets)
    return Suggestion(
        networks=tuple(nets),
        shared=sum(1 for c in count.values() if c >= 2),
        times=times,
        trips_saved=per_session * times,
        possible=possible,
        reason=reason,
    )


def suggestions(
    problem: Problem, nets: Sequence[str], graph: nx.Graph, limit: int
) -> tuple[tuple[Suggestion, ...], tuple[Suggestion, ...]]:
    """The pairs and triples of a group to pair in relay days, best first.

    A pair (triple) that meets ``times`` = the least ``meetings`` of its
    networks together saves, per joint session, one trip for every member in
    two of them (two for a member in three): ``trips_saved``. Ranked by trips
    saved, then shared members, then file order. Triples are built from the
    best pairs (so that large groups stay quick): a pair and a third network
    linked to both.

    Parameters
    ----------
    problem
        The problem.
    nets
        The group's networks in file order.
    graph
        The overlap graph.
    limit
        How many pairs and how many triples to return.
    """
    sets = required_sets(problem)
    order = {n: i for i, n in enumerate(nets)}
    inside = set(nets)

    def rank(s: Suggestion) -> tuple[int, int, tuple[int, ...]]:
        return (-s.trips_saved, -s.shared, tuple(order[n] for n in s.networks))

    pairs = sorted(
        (
            _suggestion(problem, sorted((a, b), key=order.__getitem__), sets)
            for a, b in graph.subgraph(nets).edges()
        ),
        key=rank,
    )
    seen: set[tuple[str, ...]] = set()
    triples: list[Suggestion] = []
    for pair in pairs[: max(limit * 4, 12)]:
        a, b = pair.networks
        for c in sorted(set(graph[a]) & set(graph[b]) & inside, key=order.__getitem__):
            key = tuple(sorted((a, b, c), key=order.__getitem__))
            if key not in seen:
                seen.add(key)
                triples.append(_suggestion(problem, key, sets))
    return tuple(pairs[:limit]), tuple(sorted(triples, key=rank)[:limit])


def together_rows(found: Iterable[Suggestion]) -> list[dict[str, str]]:
    """Rows of a ``together`` table for the suggestions that are possible.

    Each wish: the networks (``;`` list), ``times`` = the least ``meetings``
    of its networks, ``order`` ``no`` and ``hard`` ``no`` (a soft goal).
    A set of networks suggested twice is written once.
    """
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, ...]] = set()
    for s in found:
        if s.possible and s.networks not in seen:
            seen.add(s.networks)
            rows.append(
                {
                    "networks": ";".join(s.networks),
                    "times": str(s.times),
                    "order": "no",
                    "hard": "no",
                }
            )
    return rows
