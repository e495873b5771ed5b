"""Figures per group of networks: the checker on a group's part of a schedule.

A group's part of a problem keeps its networks, their memberships and fixed
meetings, the people in them, every venue, and the travel rows between the
ids that remain. A group's part of a schedule keeps the meetings of its
networks. :func:`planner.check.check` judges the pair, so the figures are the
checker's own. Where no required member's day holds meetings of two groups,
and no session (date and venue) does, the groups' ``travel_km``, ``trips``,
``idle_minutes`` and ``sessions`` add up to the whole schedule's exactly;
:func:`spanning` says how much falls on days and sessions that span groups.

:func:`quick_plan` is the one place where the analysis calls the planner.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.check import check, day_figures
from planner.problem import Problem
from planner.schedule import Schedule

QUICK_TIME_LIMIT = 10.0
"""Default solver seconds of the quick plan of ``dakpan analyze`` without ``--plan``."""


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """The checker's figures of a group's part of one schedule."""

    travel_km: float
    trips: int
    sessions: int
    idle_minutes: int
    hard_violations: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "travel_km": self.travel_km,
            "trips": self.trips,
            "sessions": self.sessions,
            "idle_minutes": self.idle_minutes,
            "hard_violations": self.hard_violations,
        }


@dataclass(frozen=True, slots=True)
class Spanning:
    """What of one schedule spans groups.

    Attributes
    ----------
    days
        (required person, date) pairs whose meetings belong to two or more groups.
    travel_km
        The whole schedule's travel on those days (rounded to 3 decimals).
    sessions
        Sessions (date, venue) holding meetings of two or more groups.
    """

    days: int
    travel_km: float
    sessions: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {"days": self.days, "travel_km": self.travel_km, "sessions": self.sessions}


def part_of_problem(problem: Problem, networks: Collection[str]) -> Problem:
    """The group's part of a problem (see the module docstring)."""
    keep = set(networks)
    memberships = tuple(m for m in problem.memberships if m.network in keep)
    people_ids = {m.person for m in memberships}
    people = tuple(p for p in problem.people if p.id in people_ids)
    ids = people_ids | set(problem.venue_by_id)
    return Problem(
        settings=problem.settings,
        networks=tuple(n for n in problem.networks if n.id in keep),
        people=people,
        venues=problem.venues,
        memberships=memberships,
        fixed=tuple(f for f in problem.fixed if f.network in keep),
        travel=tuple(t for t in problem.travel if t.origin in ids and t.destination in ids),
    )


def part_of_schedule(schedule: Schedule, networks: Collection[str]) -> Schedule:
    """The meetings of the given networks, in the schedule's order."""
    keep = set(networks)
    return Schedule(tuple(m for m in schedule.meetings if m.network in keep))


def figures_of(problem: Problem, schedule: Schedule) -> GroupFigures:
    """The checker's figures of a schedule, as :class:`GroupFigures`."""
    report = check(problem, schedule)
    f = report.figures
    return GroupFigures(
        travel_km=f.travel_km,
        trips=f.trips,
        sessions=f.sessions,
        idle_minutes=f.idle_minutes,
        hard_violations=report.hard_violations,
    )


def group_figures(problem: Problem, networks: Collection[str], schedule: Schedule) -> GroupFigures:
    """The checker's figures of the group's part of ``schedule``.

    Parameters
    ----------
    problem
        The whole problem.
    networks
        The group's network ids.
    schedule
        A schedule of the whole problem (a plan or the baseline).
    """
    return figures_of(part_of_problem(problem, networks), part_of_schedule(schedule, networks))


def spanning(problem: Problem, group_of: Mapping[str, str], schedule: Schedule) -> Spanning:
    """Person-days and sessions of ``schedule`` that span two or more groups.

    Parameters
    ----------
    problem
        The whole problem.
    group_of
        Network id -> group id.
    schedule
        A schedule of the whole problem.
    """
    required = {n.id: problem.required_members(n.id) for n in problem.networks}
    days: dict[tuple[str, date], set[str]] = defaultdict(set)
    sessions: dict[tuple[date, str], set[str]] = defaultdict(set)
    for m in schedule.meetings:
        group = group_of.get(m.network)
        if group is None:
            continue
        sessions[(m.date, m.venue)].add(group)
        for person in required.get(m.network, ()):
            days[(person, m.date)].add(group)
    mixed = {key for key, groups in days.items() if len(groups) > 1}
    km = math.fsum(
        d.travel_km for d in day_figures(problem, schedule) if (d.person, d.date) in mixed
    )
    return Spanning(
        days=len(mixed),
        travel_km=round(km, 3),
        sessions=sum(1 for groups in sessions.values() if len(groups) > 1),
    )


def quick_plan(problem: Problem, time_limit: float = QUICK_TIME_LIMIT) -> Schedule | None:
    """A quick plan of the whole problem: the planner's public API, once, with a short limit.

    Parameters
    ----------
    problem
        The problem.
    time_limit
        Solver seconds.

    Returns
    -------
    Schedule or None
        The plan, or ``None`` when the planner found none (infeasible, or
        nothing in time).
    """
    from planner.solver.solve import SolveOptions, plan

    result = plan(problem, SolveOptions(time_limit=time_limit, workers=1))
    return result.schedule
