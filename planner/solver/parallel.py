"""The relocation search on two cores: the year split in two halves, one process each.

Person-days, sessions, rooms, the daily cap and travel gaps are rules and
costs of single days, so two searches that move meetings only within their
own half of the year never disturb each other there. Each half is searched
in a forked process on a copy of the instance in which the other half's
meetings can only stay where they are (one slot each) and its own meetings
keep to its days. The parent joins both halves' moves and keeps the joined
plan when every rule holds (a network's least gap across the split is the
one rule both halves touch: if the join breaks it, the better half alone is
kept) and it lowers the objective.

Deterministic: each half gets a seed and a work budget derived from the
run's; the split day is the median day of the free meetings.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import Any

from planner.solver.construct import Work
from planner.solver.instance import Instance, MeetingSpec, Slot
from planner.solver.local import iterate
from planner.solver.state import PlanState

MIN_MEETINGS = 40
"""Below this many free meetings one process does the whole search."""

STOP_SIGNAL = getattr(signal, "SIGUSR1", signal.SIGINT)
"""The parent's stop request to a child (SIGUSR1 where it exists)."""
SIGNALS = {signal.SIGINT, STOP_SIGNAL}
"""Ctrl-C (from the terminal, to the whole process group) and the parent's stop request."""

Objective = Callable[[Instance, Mapping[int, Slot]], int]


def available() -> bool:
    """Whether forked worker processes can be used here (Linux)."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def split_day(inst: Instance, state: PlanState) -> int:
    """The median day of the placed free meetings (the first day of the second half)."""
    days = sorted(state.at[m][0] for m in inst.free if m in state.at)
    return days[len(days) // 2]


def half_instance(inst: Instance, state: PlanState, first: bool, split: int) -> Instance:
    """``inst`` where only the meetings placed in one half may move, within that half."""
    meetings: list[MeetingSpec] = []
    for spec in inst.meetings:
        slot = state.at.get(spec.index)
        if spec.fixed or slot is None:
            meetings.append(spec)
            continue
        d, t, u = slot
        mine = (d < split) == first
        if not mine:
            meetings.append(
                replace(spec, days=(d,), venues=(u,), venue_days=(frozenset({d}),), starts=(t,))
            )
            continue
        keep = [day for day in spec.days if (day < split) == first]
        venue_days = tuple(
            frozenset(x for x in vd if (x < split) == first) for vd in spec.venue_days
        )
        meetings.append(replace(spec, days=tuple(keep), venue_days=venue_days))
    return replace(inst, meetings=tuple(meetings), _starts_cache={})


def _child(
    inst: Instance,
    placed: dict[int, Slot],
    out: Connection,
    *,
    seed: int,
    budget: Work,
    objective: Objective,
) -> None:
    """One half's search in a forked process; sends back its placements."""
    stop = threading.Event()
    for sig in SIGNALS:
        signal.signal(sig, lambda *_: stop.set())
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)  # blocked by the parent at fork
    state = PlanState(inst, placed)
    work = Work(budget=budget.budget, stop=stop, deadline=budget.deadline)
    best, _ = iterate(inst, state, rng=random.Random(seed), work=work, objective=objective)
    out.send(dict(best.at))
    out.close()


def relocate_halves(
    inst: Instance,
    state: PlanState,
    *,
    seed: int,
    work: Work,
    objective: Objective,
    stop: threading.Event | None,
) -> PlanState:
    """Search both halves of the year side by side, each with the budget and wall cap of
    ``work``; the best of the joined plan, either half alone, and ``state``."""
    split = split_day(inst, state)
    ctx = multiprocessing.get_context("fork")
    procs: list[tuple[Any, Connection]] = []
    for k, first in enumerate((True, False)):
        half = half_instance(inst, state, first, split)
        here, there = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=_child,
            args=(half, dict(state.at), there),
            kwargs={"seed": seed + k, "budget": work, "objective": objective},
            daemon=True,
        )
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        try:
            proc.start()  # the child starts with Ctrl-C and SIGUSR1 held until it can take them
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        there.close()
        procs.append((proc, here))
    results = [_collect(proc, conn, stop) for proc, conn in procs]
    return _join(inst, state, results, split, objective)


def _collect(proc: Any, conn: Connection, stop: threading.Event | None) -> dict[int, Slot] | None:
    """A child's placements (``None`` when it died); passes a stop request on to it."""
    told = False
    try:
        while not conn.poll(0.1):
            if stop is not None and stop.is_set() and not told and proc.pid:
                os.kill(proc.pid, STOP_SIGNAL)
                told = True
            if not proc.is_alive() and not conn.poll(0):
                return None
        result: dict[int, Slot] = conn.recv()
        return result
    except (EOFError, OSError):
        return None
    finally:
        proc.join(5)


def _join(
    inst: Instance,
    state: PlanState,
    results: list[dict[int, Slot] | None],
    split: int,
    objective: Objective,
) -> PlanState:
    """The best valid plan among: both halves' moves joined, each half's alone, ``state``."""
    halves = []
    for first, placed in zip((True, False), results, strict=True):
        if placed is not None:
            halves.append({m: s for m, s in placed.items() if (state.at[m][0] < split) == first})
    options = [dict(state.at)]
    for moves in halves:
        options.append(dict(state.at) | moves)
    if len(halves) == 2:
        options.append(dict(state.at) | halves[0] | halves[1])
    best, best_value = state, objective(inst, state.at)
    for plan in options[1:]:
        built = _valid(inst, plan)
        if built is not None and (value := objective(inst, plan)) < best_value:
            best, best_value = built, value
    return best


def _valid(inst: Instance, plan: Mapping[int, Slot]) -> PlanState | None:
    """The plan as a state when every placement fits next to the others."""
    out = PlanState(inst)
    for m, slot in sorted(plan.items()):
        if not out.fits(m, slot):
            return None
        out.place(m, slot)
    return out
