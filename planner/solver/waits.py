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
from functools import partial

from ortools.sat.python import cp_model

from planner.solver.evaluate import SCALE
from planner.solver.instance import Instance
from planner.solver.model import Model, StepResult, build_model, solve_built
from planner.solver.parallel import pipeline
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
    beside: bool = False,
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
    beside
        Build the next question's model while CP-SAT answers this one on a second
        thread (:func:`planner.solver.parallel.pipeline`): the same verdicts, since a
        question reads only the plan, which answering one leaves as it was.
    """
    verdicts: dict[tuple[int, int], tuple[WaitVerdict, float | None]] = {}
    spent = 0.0

    def solve(ready: Question) -> tuple[StepResult, float] | None:
        built = ready[1]
        if built is None:
            return None
        return solve_built(built, seed=seed, det_limit=STEP_LIMIT, wall_limit=10.0, stop=stop)

    def settle(
        item: tuple[int, int], ready: Question, answer: tuple[StepResult, float] | None
    ) -> None:
        nonlocal spent
        step, cost = answer if answer is not None else (None, 0.0)
        spent += cost
        verdicts[item] = _verdict(inst, state, ready[0], step)

    def go_on() -> bool:
        stopped = stop is not None and stop.is_set()
        return spent < budget and time.perf_counter() < wall_deadline and not stopped

    items = waiting_days(inst, state)
    prepare = partial(_question, inst, state)
    pipeline(items, prepare, solve, settle, go_on, beside=beside)
    out = [
        JudgedWait(p, inst.date_of(d), *verdicts.get((d, g), (WaitVerdict.UNJUDGED, None)))
        for d, g in items
        for p in inst.groups[g].persons
    ]
    return tuple(sorted(out, key=lambda j: (j.day, j.person)))


Question = tuple[tuple[int, ...], Model | None]
"""A day's part of linked meetings and the model that asks about it (``None``: nothing free)."""


def _question(inst: Instance, state: PlanState, item: tuple[int, int]) -> Question:
    """The part of day ``d`` that holds group ``g``'s meetings, and the model of timing its
    free meetings (same dates and venues) with no wait of the group over ``long_wait``
    (``None`` when the input fixes every meeting of the part). ``state`` is left as it was."""
    day, g = item
    mine = {m for m in inst.groups[g].meetings if m in state.at and state.at[m][0] == day}
    meetings = sorted(m for m, slot in state.at.items() if slot[0] == day)
    part = next(p for p in parts_of_day(inst, state, meetings) if mine.intersection(p))
    free = tuple(m for m in part if not inst.meetings[m].fixed)
    if not free:
        return part, None
    old = {m: state.remove(m) for m in free}
    try:
        candidates = {m: ((day, old[m][2]),) for m in free}
        scope = Scope(free, candidates, exact=True, no_long_waits=frozenset({g}))
        built = build_model(inst, state, scope)
        built.variables.hint(old)
    finally:
        for m in free:
            state.place(m, old[m])
    return part, built


def retimed(
    inst: Instance, state: PlanState, day: int, g: int, *, seed: int, det_limit: float
) -> StepResult | None:
    """CP-SAT's answer on timing group ``g``'s part of ``day`` without its long waits
    (``None`` when the input fixes every meeting of the part)."""
    _, built = _question(inst, state, (day, g))
    if built is None:
        return None
    return solve_built(built, seed=seed, det_limit=det_limit, wall_limit=10.0, stop=None)[0]


def _verdict(
    inst: Instance, state: PlanState, part: tuple[int, ...], step: StepResult | None
) -> tuple[WaitVerdict, float | None]:
    """The verdict and ``extra_km`` of one question's answer (``None``: nothing was free)."""
    if step is None or step.status == cp_model.INFEASIBLE:
        return WaitVerdict.FIXED, None
    if step.placed is None:
        return WaitVerdict.UNJUDGED, None
    before = part_value(inst, state, part)
    old = {m: state.remove(m) for m in step.placed}
    for m, slot in step.placed.items():
        state.place(m, slot)
    extra = round((part_value(inst, state, part) - before) / (10 * SCALE), 1)
    for m in step.placed:
        state.remove(m)
    for m, slot in old.items():
        state.place(m, slot)
    return WaitVerdict.RETIME, extra
