"""Repair of hard relay wishes that a complete plan does not hold yet.

Two steps, so that a plan comes early and is then made good:

1. :func:`wish_repair`: per hard wish still short of sessions, a CP-SAT step
   frees its networks' meetings (five weeks either side) and stops at the
   first placement that holds it; a step that fails is tried again with the
   meetings linked to them freed too, anywhere in their domain. Without the
   wish there is no plan, so these steps may run past the budget (the
   wall-clock cap holds).
2. :func:`wish_polish`: once the plan is complete, each repaired
   neighbourhood is searched again for the best placement (the repair took
   the first), within the budget left, and kept when the exact objective
   is lower.
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, Any

from planner.solver.evaluate import objective
from planner.solver.instance import Instance
from planner.solver.lns import candidates_near, run_step
from planner.solver.state import PlanState
from planner.solver.variables import full_candidates
from planner.solver.wishes import sessions_held

if TYPE_CHECKING:
    from planner.solver.solve import Run

WISH_MIN_DET = 1.0
"""Most deterministic seconds of a CP-SAT step that repairs a hard relay wish when half
the budget left is less (it stops at its first placement, mostly far earlier: 0.003-0.05
det s a step on the stress shape ``planted_dense``, seed 28). The repair also runs right
after the start plan when that is complete but short of a hard wish, before any whole
model: planted_big seeds 28/29 at 20 s then have a plan after the start (wall 9 s, was
21 s), the same objective; planted_dense and hard_relay 1-3 % lower objectives."""

WISH_ATTEMPTS = 4
"""Most CP-SAT steps that repair one hard relay wish (the later ones freeing more)."""

POLISH_SHARE = 0.5
"""Share of the budget left that one polishing step may use."""


def wish_repair(run: Run, inst: Instance, state: PlanState) -> tuple[PlanState, list[list[int]]]:
    """Hold each hard wish ``state`` holds too rarely; the plan and the freed meetings of
    each step that moved something (for :func:`wish_polish`)."""
    steps: list[list[int]] = []
    for wish in inst.problem.together:
        for attempt in range(WISH_ATTEMPTS):
            if not wish.hard or not state.complete() or run.stopped:
                break
            if sessions_held(inst, wish, state.at) >= wish.times:
                break  # (no budget test: without the wish there is no plan; the wall cap holds)
            meetings = [m for n in wish.networks for m in inst.by_network[n] if m in inst.free]
            if attempt:
                own = set(meetings)
                meetings += sorted({q for m in own for q in inst.linked[m] if q in inst.free} - own)
            placed = _step(run, inst, state, meetings, attempt, first=True)
            if placed is not None:
                state = moved(state, meetings, placed)
                steps.append(meetings)
    return state, steps


def wish_polish(run: Run, inst: Instance, state: PlanState, steps: list[list[int]]) -> PlanState:
    """Search each repaired neighbourhood again for its best placement, within the budget."""
    value = objective(inst, state.at)
    for k, meetings in enumerate(steps):
        if run.spent >= run.budget or run.stopped:
            break
        placed = _step(run, inst, state, meetings, k, first=False)
        if placed is None:
            continue
        nxt = moved(state, meetings, placed)
        better = objective(inst, nxt.at)
        if better < value and all(
            sessions_held(inst, w, nxt.at) >= w.times for w in inst.problem.together if w.hard
        ):
            state, value = nxt, better
            run.solutions += 1
            run.report("repair", state, value)
    return state


def _step(
    run: Run, inst: Instance, state: PlanState, meetings: list[int], attempt: int, *, first: bool
) -> dict[int, Any] | None:
    """One CP-SAT step over ``meetings``: the first placement found, or the best in its time."""
    left = run.budget - run.spent
    placed, spent, _ = run_step(
        inst,
        state,
        meetings,
        seed=run.seed + attempt,
        det_limit=max(WISH_MIN_DET, POLISH_SHARE * left) if first else POLISH_SHARE * left,
        wall_limit=max(0.5, run.wall_deadline - time.perf_counter()),
        stop=run.options.stop,
        candidates=partial(_near_of, inst, state, wide=attempt > 0 and first),
        first=first,
    )
    run.spent += spent
    return placed


def moved(state: PlanState, meetings: list[int], placed: dict[int, Any]) -> PlanState:
    """``state`` with ``meetings`` taken out and ``placed`` put in (a step's result)."""
    nxt = state.copy()
    for q in meetings:
        if q in nxt.at:
            nxt.remove(q)
    for q, slot in placed.items():
        nxt.place(q, slot)
    return nxt


def _near_of(
    inst: Instance, base: PlanState, st: PlanState, q: int, freed: set[int], *, wide: bool = False
) -> tuple[Any, ...]:
    """Candidates for a wish repair: five weeks either side of each meeting (``wide``: its
    whole domain)."""
    if wide:
        return full_candidates(inst, q)
    return candidates_near(inst, base, q, freed, near=35)
