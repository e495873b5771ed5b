"""The planner's figures and objective of a complete plan, computed directly.

This is the planner's own yardstick: every search step is judged by
:func:`objective`, and the figures a result reports come from
:func:`figures`. They follow the contract's definitions (travel per person
and day home -> each venue in order of start -> home, idle time from first
start to last end, ...), so they equal the independent checker's
(:mod:`planner.check`), which the tests assert.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from planner.solver.instance import Instance, Slot
from planner.solver.preferences import maybe_count, moved_counts

SCALE = 1000
"""Objective units per weight unit: travel counts in metres, other terms whole."""

HARD_WISH = 10**9
"""Weight of a session a hard relay wish lacks: a plan has none; a search step
that would lose one is never accepted."""


@dataclass(frozen=True, slots=True)
class PlanFigures:
    """Figures of a complete plan (travel also in whole metres, for the objective)."""

    travel_km: float
    travel_m: int
    trips: int
    idle_minutes: int
    sessions: int
    optional_clashes: int
    venue_cost: float
    spread_days: int
    wishes_short: int = 0
    """Sessions the soft relay wishes lack."""
    hard_wishes_short: int = 0
    """Sessions the hard relay wishes lack (0 in a plan)."""
    long_waits: int = 0
    """Waits longer than the setting ``long_wait`` in required members' days."""
    if_need_be: int = 0
    """(required member, meeting) pairs on a member's "if need be"."""
    moved_meetings: int = 0
    """Re-planning: free meetings not at their published placement."""
    moved_members: int = 0
    """Re-planning: members with at least one moved meeting."""
    extra: tuple[str, ...] = ()
    """Names of the figures above that apply to this input (reported only then)."""

    def as_dict(self) -> dict[str, float]:
        """The figures a :class:`~planner.solver.result.PlanResult` reports."""
        return {
            "travel_km": round(self.travel_km, 3),
            "trips": float(self.trips),
            "idle_minutes": float(self.idle_minutes),
            "sessions": float(self.sessions),
            "optional_clashes": float(self.optional_clashes),
            "venue_cost": round(self.venue_cost, 3),
            "spread_days": float(self.spread_days),
            "long_waits": float(self.long_waits),
        } | {name: float(getattr(self, name)) for name in self.extra}


def figures(inst: Instance, chosen: Mapping[int, Slot]) -> PlanFigures:
    """Every figure of the plan ``chosen`` (all meetings placed)."""
    dist = inst.distances
    days: dict[tuple[str, int], list[tuple[int, int, str, int]]] = {}
    for i, (d, t, u) in chosen.items():
        spec = inst.meetings[i]
        for p in spec.required:
            days.setdefault((p, d), []).append((t, t + spec.duration, u, i))
    travel_km = 0.0
    travel_m = 0
    idle = long_waits = 0
    long_wait = inst.problem.settings.long_wait
    for (person, _), rows in days.items():
        rows.sort()
        route = [person, *(u for _, _, u, _ in rows), person]
        for a, b in itertools.pairwise(route):
            if a != b:
                travel_km += dist.km(a, b)
                travel_m += dist.metres(a, b)
        covered = 0
        last_end = rows[0][0]
        for k, (t, e, _, _) in enumerate(rows):
            covered += max(0, e - max(t, last_end))
            last_end = max(last_end, e)
            long_waits += k > 0 and t - rows[k - 1][1] > long_wait
        idle += last_end - rows[0][0] - covered
    sessions = {(d, u) for d, _, u in chosen.values()}
    cost = sum(inst.problem.venue_by_id[u].cost for _, u in sessions)
    from planner.solver.wishes import shortfall

    soft, hard = shortfall(inst, chosen)
    moved, members = moved_counts(inst, chosen)
    prefs = inst.preferences
    extra: tuple[str, ...] = ("if_need_be",) if prefs.whole_days or prefs.times else ()
    extra += ("moved_meetings", "moved_members") if prefs.previous else ()
    return PlanFigures(
        travel_km=travel_km,
        travel_m=travel_m,
        trips=len(days),
        idle_minutes=idle,
        sessions=len(sessions),
        optional_clashes=optional_clashes(inst, chosen),
        venue_cost=cost,
        spread_days=spread_days(inst, chosen),
        wishes_short=soft,
        hard_wishes_short=hard,
        long_waits=long_waits,
        if_need_be=maybe_count(inst, chosen),
        moved_meetings=moved,
        moved_members=members,
        extra=extra,
    )


def optional_clashes(inst: Instance, chosen: Mapping[int, Slot]) -> int:
    """(person, pair of overlapping meetings of theirs) where they are optional in one."""
    per: dict[tuple[str, int], list[tuple[int, int, bool]]] = {}
    for i, (d, t, _) in chosen.items():
        spec = inst.meetings[i]
        for p in spec.required:
            per.setdefault((p, d), []).append((t, t + spec.duration, False))
        for p in spec.optional:
            per.setdefault((p, d), []).append((t, t + spec.duration, True))
    count = 0
    for rows in per.values():
        if len(rows) < 2 or not any(o for _, _, o in rows):
            continue
        for k, (t1, e1, o1) in enumerate(rows):
            for t2, e2, o2 in rows[k + 1 :]:
                if (o1 or o2) and t1 < e2 and t2 < e1:
                    count += 1
    return count


def spread_days(inst: Instance, chosen: Mapping[int, Slot]) -> int:
    """Days between each meeting (in date order per network) and its even point."""
    total = 0
    for network, ids in inst.by_network.items():
        ordered = sorted(chosen[i][0] for i in ids if i in chosen)
        total += sum(abs(d - inst.even_day(network, r)) for r, d in enumerate(ordered))
    return total


def weighted(inst: Instance, f: PlanFigures) -> int:
    """The objective (see :class:`planner.weights.Weights`), in 1/``SCALE`` weight units."""
    w = inst.problem.settings.weights
    return (
        w.travel_km * f.travel_m
        + SCALE
        * (
            w.trips * f.trips
            + w.idle_minutes * f.idle_minutes
            + w.optional_clashes * f.optional_clashes
            + w.spread_days * f.spread_days
            + w.together * f.wishes_short
            + HARD_WISH * f.hard_wishes_short
            + w.long_waits * f.long_waits
            + w.if_need_be * f.if_need_be
            + w.moved_meeting * f.moved_meetings
            + w.moved_member * f.moved_members
        )
        + round(SCALE * w.venue_cost * f.venue_cost)
    )


def objective(inst: Instance, chosen: Mapping[int, Slot]) -> int:
    """The weighted objective of a complete plan."""
    return weighted(inst, figures(inst, chosen))
