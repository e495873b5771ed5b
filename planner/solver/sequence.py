"""Sequencing each session exactly: the order and times of its meetings.

Once every meeting has a date and a venue, a required member's day is one
session (one venue per person per day), so sessions can be timed one by one.
Each session gets a small CP-SAT model that keeps every hard rule (time grid,
window, venue hours, rooms, members' changeover) and minimises

    w_idle x (sum over person groups of size x (last end - first start - meeting minutes))
    + w_opt x (optional members' clashes, with this day's other sessions as they stand)

Sessions are solved in order of date and venue, each to optimality within a
small deterministic budget, starting from the times they already have (so a
session never gets worse).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solver.instance import Instance
from planner.solver.model import step_solver

Slot = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class SequenceResult:
    """Times after sequencing, with the exact idle minutes and optional clashes."""

    chosen: dict[int, Slot]
    idle_minutes: int
    optional_clashes: int
    det_time: float = 0.0


def group_idle(inst: Instance, chosen: Mapping[int, Slot]) -> int:
    """Idle minutes of all required members: per group and day, span minus meeting minutes."""
    total = 0
    for group in inst.groups:
        days: dict[int, list[int]] = {}
        for m in group.meetings:
            days.setdefault(chosen[m][0], []).append(m)
        for ms in days.values():
            lo = min(chosen[m][1] for m in ms)
            hi = max(chosen[m][1] + inst.meetings[m].duration for m in ms)
            total += group.size * (hi - lo - sum(inst.meetings[m].duration for m in ms))
    return total


def optional_clash_count(inst: Instance, chosen: Mapping[int, Slot]) -> int:
    """Optional members' clashes: per such member, pairs of their meetings that overlap."""
    total = 0
    for (a, b), count in inst.optional_pairs.items():
        (da, ta, _), (db, tb, _) = chosen[a], chosen[b]
        if da == db and ta < tb + inst.meetings[b].duration and tb < ta + inst.meetings[a].duration:
            total += count
    return total


def sequence_sessions(
    inst: Instance,
    chosen: Mapping[int, Slot],
    *,
    seed: int = 0,
    budget: float = 2.0,
    only: set[tuple[int, str]] | None = None,
    deadline: float | None = None,
    total: float | None = None,
) -> SequenceResult:
    """Re-time every session with two or more meetings; return the new times.

    ``budget`` is each session's deterministic time limit in seconds; ``only``
    limits the work to these ``(day, venue)`` sessions. Once ``total``
    deterministic seconds are spent (deterministic), or past ``deadline`` (a
    ``time.perf_counter()`` value; not deterministic), the remaining sessions
    keep their times, which are valid.
    """
    out = dict(chosen)
    sessions: dict[tuple[int, str], list[int]] = {}
    for m, (day, _, venue) in out.items():
        sessions.setdefault((day, venue), []).append(m)
    partners: dict[int, list[tuple[int, int]]] = {}
    for (a, b), count in inst.optional_pairs.items():
        partners.setdefault(a, []).append((b, count))
        partners.setdefault(b, []).append((a, count))
    det = 0.0
    for key in sorted(sessions):
        if only is not None and key not in only:
            continue
        if deadline is not None and time.perf_counter() > deadline:
            break
        if total is not None and det >= total:
            break
        members = sorted(sessions[key])
        movable = [m for m in members if not inst.meetings[m].fixed]
        if not movable or (len(members) < 2 and not any(m in partners for m in members)):
            continue
        det += _sequence_one(inst, out, key, members, partners, seed=seed, budget=budget)
    return SequenceResult(out, group_idle(inst, out), optional_clash_count(inst, out), det)


def _sequence_one(
    inst: Instance,
    out: dict[int, Slot],
    key: tuple[int, str],
    members: list[int],
    partners: Mapping[int, list[tuple[int, int]]],
    *,
    seed: int,
    budget: float,
) -> float:
    """Re-time one session in ``out``; return the deterministic time spent."""
    day, venue_id = key
    problem = inst.problem
    settings = problem.settings
    co = settings.changeover
    venue = problem.venue_by_id[venue_id]
    model = cp_model.CpModel()
    start: dict[int, cp_model.IntVar] = {}
    busy = []
    for m in members:
        spec = inst.meetings[m]
        allowed = [t for t in spec.starts if t >= venue.open and t + spec.duration <= venue.close]
        if spec.fixed or out[m][1] not in allowed:
            allowed = [out[m][1]]
        start[m] = model.new_int_var_from_domain(cp_model.Domain.from_values(allowed), f"s{m}")
        model.add_hint(start[m], out[m][1])
        busy.append(model.new_fixed_size_interval_var(start[m], spec.duration + co, f"b{m}"))
    if len(busy) > venue.rooms:
        if venue.rooms == 1:
            model.add_no_overlap(busy)
        else:
            model.add_cumulative(busy, [1] * len(busy), venue.rooms)
    inside = set(members)
    idle_terms: list[cp_model.LinearExprT] = []
    for g, group in enumerate(inst.groups):
        mine = [m for m in group.meetings if m in inside]
        if len(mine) < 2:
            continue
        model.add_no_overlap([busy[members.index(m)] for m in mine])
        lo = model.new_int_var(0, 24 * 60, f"lo{g}")
        hi = model.new_int_var(0, 24 * 60, f"hi{g}")
        model.add_min_equality(lo, [start[m] for m in mine])
        model.add_max_equality(hi, [start[m] + inst.meetings[m].duration for m in mine])
        idle_terms.append(group.size * (hi - lo))
    clash_terms: list[cp_model.LinearExprT] = []
    for m in members:
        for other, count in partners.get(m, []):
            if other in inside and other < m:
                continue
            od, ot, _ = out[other]
            if od != day:
                continue
            dm = inst.meetings[m].duration
            do = inst.meetings[other].duration
            clash = model.new_bool_var(f"c{m},{other}")
            if other in inside:
                before = model.new_bool_var(f"x{m},{other}")
                after = model.new_bool_var(f"y{m},{other}")
                model.add(start[m] + dm <= start[other]).only_enforce_if(before)
                model.add(start[other] + do <= start[m]).only_enforce_if(after)
                model.add_bool_or([clash, before, after])
            else:
                before = model.new_bool_var(f"x{m},{other}")
                after = model.new_bool_var(f"y{m},{other}")
                model.add(start[m] + dm <= ot).only_enforce_if(before)
                model.add(start[m] >= ot + do).only_enforce_if(after)
                model.add_bool_or([clash, before, after])
            clash_terms.append(count * clash)
    w = settings.weights
    model.minimize(
        w.idle_minutes * cp_model.LinearExpr.sum(idle_terms)
        + w.optional_clashes * cp_model.LinearExpr.sum(clash_terms)
    )
    solver = step_solver(seed, budget)
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for m in members:
            out[m] = (day, int(solver.value(start[m])), venue_id)
    return float(solver.deterministic_time)
