"""The checker's figures: per person, per day, per network and in total.

:func:`_figures` computes the :class:`~planner.check_report.Figures` of
:func:`planner.check.check`; :func:`day_figures` and :func:`if_need_be_pairs`
give the per-day travel figures and the "if need be" pairs behind them.
Part of the judge: it never imports the solver.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from planner.calendar import time_range_overlap
from planner.check_context import _M, _Ctx, _overlapping_pairs
from planner.check_report import DayFigures, Figures, NetworkFigures, PersonFigures
from planner.problem import Problem, Role
from planner.schedule import Schedule
from planner.together import held_counts


# --------------------------------------------------------------------- figures
def _idle(rows: Sequence[_M]) -> int:
    """Minutes from the first start to the last end not covered by any meeting."""
    spans = sorted((r.t0, r.t1) for r in rows if r.t1 > r.t0)
    if not spans:
        return 0
    first = min(r.t0 for r in rows)
    last = max(r.t1 for r in rows)
    covered = 0
    cur0, cur1 = spans[0]
    for s0, s1 in spans[1:]:
        if s0 <= cur1:
            cur1 = max(cur1, s1)
        else:
            covered += cur1 - cur0
            cur0, cur1 = s0, s1
    covered += cur1 - cur0
    return max(0, last - first - covered)


def _waits(rows: Sequence[_M]) -> list[int]:
    """Contract v1.1 waits of a day (rows in order of start): next start - end, when positive."""
    return [b.t0 - a.t1 for a, b in itertools.pairwise(rows) if b.t0 > a.t1]


def _days(c: _Ctx, person: str) -> list[DayFigures]:
    """The figures of each date of a person's required meetings, by date."""
    out = []
    s = c.settings
    for day, rows in sorted(c.days_of(person).items()):
        route = [person, *(r.m.venue for r in rows if r.venue is not None), person]
        km = sum(c.dist.km(a, b) for a, b in itertools.pairwise(route))
        idle = _idle(rows)
        excess = max(0, idle - s.changeover * (len(rows) - 1))
        long_waits = sum(1 for w in _waits(rows) if w > s.long_wait)
        out.append(DayFigures(person, day, km, idle, excess, long_waits))
    return out


def _if_need_be(c: _Ctx, person: str) -> list[_M]:
    """The person's required meetings on a date or overlapping a time range "if need be"."""
    p = c.problem.person_by_id[person]
    if not p.if_need_be and not p.if_need_be_times:
        return []
    return [
        r
        for r in c.required.get(person, ())
        if r.m.date in p.if_need_be
        or time_range_overlap(p.if_need_be_times, r.m.date, r.m.start, r.m.end) is not None
    ]


def _figures(c: _Ctx) -> Figures:
    per_person: list[PersonFigures] = []
    total_km = 0.0
    total_trips = 0
    total_idle = 0
    for person in c.problem.people:
        days = _days(c, person.id)
        km = sum((d.travel_km for d in days), 0.0)
        idle = sum(d.idle_minutes for d in days)
        excess = sum(d.excess_idle_minutes for d in days)
        waits = sum(d.long_waits for d in days)
        total_km += km
        total_trips += len(days)
        total_idle += idle
        maybe = len(_if_need_be(c, person.id))
        per_person.append(
            PersonFigures(person.id, round(km, 3), len(days), idle, excess, waits, maybe)
        )

    used = {(r.m.date, r.m.venue) for r in c.rows}
    venue_cost = sum(
        c.problem.venue_by_id[v].cost for _d, v in sorted(used) if v in c.problem.venue_by_id
    )

    optional_clashes = 0
    for person in c.problem.people:
        entries = c.anyrole.get(person.id, [])
        if not any(role is Role.OPTIONAL for _r, role in entries):
            continue
        role_of = {r.row: role for r, role in entries}
        rows = [r for r, _role in entries]
        for a, b in _overlapping_pairs(rows):
            if role_of[a.row] is Role.OPTIONAL or role_of[b.row] is Role.OPTIONAL:
                optional_clashes += 1

    s = c.settings
    length = s.horizon_days
    spread = 0
    for net in c.problem.networks:
        dates = sorted(r.m.date for r in c.by_network.get(net.id, []))
        k = len(dates)
        for i, day in enumerate(dates):
            point = s.start + timedelta(days=((2 * i + 1) * length) // (2 * k))
            spread += abs((day - point).days)

    sessions_of: dict[tuple[date, str], set[str]] = defaultdict(set)
    for r in c.rows:
        sessions_of[(r.m.date, r.m.venue)].add(r.m.network)
    per_network = []
    for net in c.problem.networks:
        rows = c.by_network.get(net.id, [])
        own = {(r.m.date, r.m.venue) for r in rows}
        shared = sum(1 for key in own if len(sessions_of[key]) > 1)
        per_network.append(NetworkFigures(net.id, len(rows), shared))
    held = held_counts(c.problem, (r.m for r in c.rows))

    return Figures(
        travel_km=round(total_km, 3),
        trips=total_trips,
        idle_minutes=total_idle,
        sessions=len(used),
        optional_clashes=optional_clashes,
        venue_cost=round(venue_cost, 3),
        spread_days=spread,
        together_met=sum(1 for w, k in zip(c.problem.together, held, strict=True) if k >= w.times),
        excess_idle_minutes=sum(p.excess_idle_minutes for p in per_person),
        long_waits=sum(p.long_waits for p in per_person),
        if_need_be=sum(p.if_need_be for p in per_person),
        together_held=held,
        per_person=tuple(per_person),
        per_network=tuple(per_network),
    )


def if_need_be_pairs(problem: Problem, schedule: Schedule) -> tuple[tuple[str, str], ...]:
    """The (person, meeting id) pairs the figure ``if_need_be`` counts.

    Parameters
    ----------
    problem, schedule
        What to judge.

    Returns
    -------
    tuple[tuple[str, str], ...]
        By person (in the problem's order), then in order of start: each
        required member's meeting on a date they answered "if need be" or
        overlapping such a time range (see :attr:`Figures.if_need_be`).
    """
    c = _Ctx(problem, schedule)
    return tuple((p.id, r.m.meeting) for p in problem.people for r in _if_need_be(c, p.id))


def day_figures(problem: Problem, schedule: Schedule) -> tuple[DayFigures, ...]:
    """The travel figures of every person on every date of their required meetings.

    Parameters
    ----------
    problem, schedule
        What to judge.

    Returns
    -------
    tuple[DayFigures, ...]
        By person (in the problem's order), then by date; a person's days
        add up to their :attr:`Figures.per_person` entry of :func:`check`
        (before its rounding of ``travel_km``).
    """
    c = _Ctx(problem, schedule)
    return tuple(d for person in problem.people for d in _days(c, person.id))
