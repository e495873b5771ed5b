"""Long waits judged: could the day be timed without them, every meeting at its date and venue?

The search keeps a wait longer than ``long_wait`` minutes when every change it
tried cost more under the weights; that says nothing about whether the wait
*can* go. This module asks, for every group of members (those with the same
networks) and day with such a wait, whether **any** timing of that day's
meetings, each at its date and venue and under every hard rule, lets the
group wait no longer than ``long_wait`` between two meetings. The day's part
of linked meetings (:func:`planner.solver.timing.parts_of_day`: every other
meeting of the day is unaffected by its timing) is modelled exactly, as for a
proof of the whole problem (routes, :mod:`planner.solver.routes`), with the
group's waits bounded (:attr:`~planner.solver.variables.Scope.no_long_waits`).
CP-SAT then says:

- ``fixed``: no such timing exists (proven): only moving a meeting to another
  date or venue could remove the wait;
- ``retime``: a timing without it exists; the best one found costs ``extra_km``
  more under the weights (km-equivalents: other members' waiting, travel
  between venues), which is why the search kept the wait;
- ``unjudged``: no answer within the time given to the question.

Each question gets a small deterministic time; it is charged that and its model's
size (as every search step is), and the questions stop when their budget is spent,
at the run's wall-clock cap or when the user stops the run, so the same plan and
seed give the same verdicts.
"""

from __future__ import annotations

import itertools
import threading
import time

from ortools.sat.python import cp_model

from planner.solver.evaluate import SCALE
from planner.solver.instance import Instance
from planner.solver.model import StepResult, build_model, solve_built
from planner.solver.result import JudgedWait, WaitVerdict
from planner.solver.state import PlanState
from planner.solver.timing import part_value, parts_of_day
from planner.solver.variables import Scope

STEP_LIMIT = 0.1
"""Most deterministic seconds for one group-day's question."""


def waiting_days(inst: Instance, state: PlanState) -> list[tuple[int, int]]:
    """``(day, group)`` pairs (sorted) where the group waits longer than ``long_wait``."""
    limit = inst.problem.settings.long_wait
    out: set[tuple[int, int]] = set()
    for g, group in enumerate(inst.groups):
        days: dict[int, list[tuple[int, int]]] = {}
        for m in group.meetings:
            if m in state.at:
                d, t, _ = state.at[m]
                days.setdefault(d, []).append((t, t + inst.meetings[m].duration))
        for d, rows in days.items():
            rows.sort()
            if any(b[0] - a[1] > limit for a, b in itertools.pairwise(rows)):
                out.add((d, g))
    return sorted(out)


def judge_waits(
    inst: Instance,
    state: PlanState,
    *,
    seed: int,
    budget: float,
    wall_deadline: float,
    stop: threading.Event | None = None,
) -> tuple[JudgedWait, ...]:
    """The verdict on every long wait of ``state``, per person and day (see the module).

    Parameters
    ----------
    inst, state
        The plan (``state`` is left as it was).
    seed
        CP-SAT's seed.
    budget
        Deterministic seconds for all questions; what is left unasked is ``unjudged``.
    wall_deadline
        ``time.perf_counter()`` value after which no question is asked (a guard only).
    stop
        When set, no further question is asked.
    """
    out: list[JudgedWait] = []
    spent = 0.0
    for d, g in waiting_days(inst, state):
        verdict, extra = WaitVerdict.UNJUDGED, None
        going = spent < budget and time.perf_counter() < wall_deadline
        if going and not (stop is not None and stop.is_set()):
            limit = min(STEP_LIMIT, budget - spent)
            verdict, extra, cost = _judge(inst, state, d, g, seed=seed, det_limit=limit, stop=stop)
            spent += cost
        day = inst.date_of(d)
        out += [JudgedWait(p, day, verdict, extra) for p in inst.groups[g].persons]
    return tuple(sorted(out, key=lambda j: (j.day, j.person)))


def retimed(
    inst: Instance,
    state: PlanState,
    day: int,
    g: int,
    *,
    seed: int,
    det_limit: float,
    stop: threading.Event | None = None,
) -> tuple[tuple[int, ...], StepResult | None, float]:
    """The part of ``day`` that holds group ``g``'s meetings; CP-SAT's answer on timing its
    free meetings (same dates and venues) with no wait of the group over ``long_wait``
    (``None`` when the input fixes every meeting of the part); the deterministic seconds
    spent, building the model included. ``state`` is left as it was."""
    mine = {m for m in inst.groups[g].meetings if m in state.at and state.at[m][0] == day}
    meetings = sorted(m for m, slot in state.at.items() if slot[0] == day)
    part = next(p for p in parts_of_day(inst, state, meetings) if mine.intersection(p))
    free = tuple(m for m in part if not inst.meetings[m].fixed)
    if not free:
        return part, None, 0.0
    old = {m: state.remove(m) for m in free}
    try:
        candidates = {m: ((day, old[m][2]),) for m in free}
        scope = Scope(free, candidates, exact=True, no_long_waits=frozenset({g}))
        built = build_model(inst, state, scope)
        built.variables.hint(old)
    finally:
        for m in free:
            state.place(m, old[m])
    step, cost = solve_built(built, seed=seed, det_limit=det_limit, wall_limit=10.0, stop=stop)
    return part, step, cost


def _judge(
    inst: Instance,
    state: PlanState,
    day: int,
    g: int,
    *,
    seed: int,
    det_limit: float,
    stop: threading.Event | None,
) -> tuple[WaitVerdict, float | None, float]:
    """One group-day's question: the verdict, ``extra_km`` and the deterministic seconds."""
    part, step, cost = retimed(inst, state, day, g, seed=seed, det_limit=det_limit, stop=stop)
    if step is None:
        return WaitVerdict.FIXED, None, cost  # the input fixes every meeting of the part
    if step.status == cp_model.INFEASIBLE:
        return WaitVerdict.FIXED, None, cost
    if step.placed is None:
        return WaitVerdict.UNJUDGED, None, cost
    before = part_value(inst, state, part)
    old = {m: state.remove(m) for m in step.placed}
    for m, slot in step.placed.items():
        state.place(m, slot)
    extra = round((part_value(inst, state, part) - before) / (10 * SCALE), 1)
    for m in step.placed:
        state.remove(m)
    for m, slot in old.items():
        state.place(m, slot)
    return WaitVerdict.RETIME, extra, cost
