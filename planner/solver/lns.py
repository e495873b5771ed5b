"""Large-neighbourhood search: free a few meetings, let CP-SAT re-place them.

Each round frees the meetings of one neighbourhood (a group of members over
a few weeks, a stretch of days, two linked networks over the year, or the
meetings around unplaced ones) and builds the one model
(:func:`planner.solver.model.build_model`) over them with the rest of the
plan as constants. Each freed meeting may take days near its current one,
the days its members meet anyway, its network's nearest venues and the
venues its members use. A step's plan is judged by the exact evaluator and
kept when it is no worse. Two steps run side by side on two threads; the
second is merged only when it still fits next to the first. Every step has a
deterministic time limit and the rounds a deterministic budget, so the same
input and seed give the same plan.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from planner.solver.evaluate import objective
from planner.solver.instance import Instance, Slot
from planner.solver.model import solve_scope
from planner.solver.state import PlanState
from planner.solver.variables import Candidate, Scope, full_candidates

NEAR = 10
"""Days either side of a freed meeting's current day it may move to."""

STALL_ROUNDS = 3
"""Rounds in a row without a better plan after which the search ends early.

Measured at 60 s on 12 inputs of S to L and the samples (BENCHMARKS.md,
session 24): after the relocation search and the day timing the
neighbourhood search made 4-30 steps, improved 3 plans at all, each by at most
0.001 %, and took 8-26 s. Counting rounds, not seconds, keeps it deterministic."""


@dataclass
class Search:
    """The state of the search: the best plan, its objective, the budget spent."""

    inst: Instance
    state: PlanState
    value: int
    rng: random.Random
    budget: float
    wall_deadline: float
    stop: threading.Event | None = None
    spent: float = 0.0
    improvements: int = 0
    steps: int = 0
    size: int = 24

    @property
    def done(self) -> bool:
        """Whether the budget, the wall cap or a stop request ends the search."""
        return (
            self.spent >= self.budget
            or time.perf_counter() >= self.wall_deadline
            or (self.stop is not None and self.stop.is_set())
        )


# ------------------------------------------------------------------ scopes
def candidates_near(
    inst: Instance, state: PlanState, m: int, freed: set[int], near: int = NEAR
) -> tuple[Candidate, ...]:
    """(day, venue) pairs for a freed meeting (a search heuristic, not a rule).

    Days near its current one (at its network's nearest venues, its own, and
    where its members meet that day), and any day of the year on which one of
    its members already meets a kept meeting (at those meetings' venues: the
    relays worth joining), unless that member's day is full.
    """
    spec = inst.meetings[m]
    here = state.at.get(m)
    dom = full_candidates(inst, m)
    if here is None:
        return dom
    cap = inst.problem.settings.max_meetings_per_day
    good = set(inst.nearest_venues[spec.network]) | {here[2]}
    joins: dict[int, set[str]] = {}
    full: set[int] = set()
    for p in spec.required:
        for d, count in _member_days(state, p, freed).items():
            venues, n = count
            joins.setdefault(d, set()).update(venues)
            if n >= cap:
                full.add(d)
    out = []
    for d, u in dom:
        if d in full:
            continue
        joining = u in joins.get(d, ())
        if joining or (abs(d - here[0]) <= near and u in good):
            out.append((d, u))
    return tuple(out)


def _member_days(state: PlanState, person: str, freed: set[int]) -> dict[int, tuple[set[str], int]]:
    """Per day: venues of a member's kept meetings and how many they are."""
    out: dict[int, tuple[set[str], int]] = {}
    for (_, d), rows in state.person_days(person):
        kept = [q for _, q in rows if q not in freed]
        if kept:
            out[d] = ({state.at[q][2] for q in kept}, len(kept))
    return out


def pick_neighbourhood(s: Search) -> tuple[str, list[int]]:
    """A kind of neighbourhood and its meetings (free, placed), chosen by the seed."""
    inst, rng, state = s.inst, s.rng, s.state
    placed = [m for m in inst.free if m in state.at]
    if not placed:
        return "none", []
    kind = rng.choice(("members", "members", "days", "networks"))
    if kind == "members" and inst.groups:
        group = inst.groups[rng.randrange(len(inst.groups))]
        mine = [m for m in group.meetings if m in state.at and not inst.meetings[m].fixed]
        if mine:
            centre = state.at[rng.choice(mine)][0]
            span = rng.choice((14, 28, 56))
            chosen = [m for m in mine if abs(state.at[m][0] - centre) <= span]
            days = {state.at[m][0] for m in chosen}
            around = [
                q
                for m in chosen
                for q in inst.linked[m]
                if q in state.at and not inst.meetings[q].fixed and state.at[q][0] in days
            ]
            return kind, _cap(rng, chosen, around, s.size)
    if kind == "networks":
        m = rng.choice(placed)
        partners = [q for q in inst.linked[m] if q in state.at]
        if partners:
            other = inst.meetings[rng.choice(partners)].network
            nets = {inst.meetings[m].network, other}
            chosen = [q for q in placed if inst.meetings[q].network in nets]
            return kind, _cap(rng, chosen, [], s.size)
    centre = state.at[rng.choice(placed)][0]
    width = rng.choice((3, 7, 14))
    chosen = [q for q in placed if abs(state.at[q][0] - centre) <= width]
    return "days", _cap(rng, chosen, [], s.size)


def _cap(rng: random.Random, first: list[int], more: list[int], size: int) -> list[int]:
    out = list(dict.fromkeys(first))
    if len(out) > size:
        start = rng.randrange(len(out) - size + 1)
        out = sorted(out, key=lambda m: m)[start : start + size]
    for q in dict.fromkeys(more):
        if len(out) >= size:
            break
        if q not in out:
            out.append(q)
    return sorted(out)


# ------------------------------------------------------------------ steps
def run_step(
    inst: Instance,
    base: PlanState,
    meetings: list[int],
    *,
    seed: int,
    det_limit: float,
    wall_limit: float,
    stop: threading.Event | None,
    candidates: Callable[[PlanState, int, set[int]], tuple[Candidate, ...]] | None = None,
    first: bool = False,
) -> tuple[dict[int, Slot] | None, float, bool]:
    """Re-place ``meetings`` of ``base`` with CP-SAT (``first``: the first placement found).

    Returns the new placements of those meetings (``None`` when the step
    found none), the deterministic seconds spent including the build, and
    whether the step proved its answer optimal.
    """
    freed = set(meetings)
    state = base.copy()
    old = {m: state.remove(m) for m in meetings if m in state.at}
    pick = candidates or (lambda st, m, fr: candidates_near(inst, base, m, fr))
    cands = {m: pick(state, m, freed) for m in meetings}
    if any(not c for c in cands.values()):
        return None, 0.0, False
    scope = Scope(tuple(sorted(meetings)), cands)
    result, spent = solve_scope(
        inst,
        state,
        scope,
        old,
        seed=seed,
        det_limit=det_limit,
        wall_limit=wall_limit,
        stop=stop,
        first=first,
    )
    from ortools.sat.python import cp_model

    return result.placed, spent, result.status == cp_model.OPTIMAL


def _apply(state: PlanState, placed: dict[int, Slot]) -> PlanState | None:
    """``state`` with ``placed`` moved in, or ``None`` when a move no longer fits."""
    out = state.copy()
    for m in placed:
        if m in out.at:
            out.remove(m)
    for m, slot in sorted(placed.items()):
        if not out.fits(m, slot):
            return None
        out.place(m, slot)
    return out


def improve(
    s: Search,
    *,
    step_limit: float = 0.5,
    threads: int = 2,
    on_improve: Callable[[Search], None] | None = None,
) -> None:
    """Run rounds of (up to) ``threads`` neighbourhood steps until the search is done or
    ``STALL_ROUNDS`` rounds in a row found no better plan."""
    stall = 0
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        while not s.done and stall < STALL_ROUNDS:
            before = s.improvements
            picks = [pick_neighbourhood(s) for _ in range(max(1, threads))]
            picks = [(k, ms) for k, ms in picks if ms]
            if not picks:
                return
            seeds = [s.rng.randrange(1 << 30) for _ in picks]
            wall = max(0.2, min(10 * step_limit + 2, s.wall_deadline - time.perf_counter()))
            futures = [
                pool.submit(
                    run_step,
                    s.inst,
                    s.state,
                    ms,
                    seed=seed,
                    det_limit=step_limit,
                    wall_limit=wall,
                    stop=s.stop,
                )
                for (_, ms), seed in zip(picks, seeds, strict=True)
            ]
            outcomes = [f.result() for f in futures]
            optimal_all = True
            for placed, spent, optimal in outcomes:
                s.spent += spent
                s.steps += 1
                optimal_all = optimal_all and optimal
                if placed is None:
                    continue
                merged = _apply(s.state, placed)
                if merged is None:
                    continue
                value = objective(s.inst, merged.at)
                if value <= s.value:
                    better = value < s.value
                    s.state, s.value = merged, value
                    if better:
                        s.improvements += 1
                        if on_improve is not None:
                            on_improve(s)
            s.size = min(80, s.size + 2) if optimal_all else max(8, s.size - 1)
            stall = 0 if s.improvements > before else stall + 1
