"""The relocation search split over two processes (one half of the year each) is valid,
deterministic, and as good as one process given the same work per process."""

from __future__ import annotations

import random
import threading
import time

import pytest

from planner.check import check
from planner.schedule import Schedule
from planner.solver import parallel
from planner.solver.construct import Work, construct
from planner.solver.evaluate import objective
from planner.solver.instance import build_instance
from planner.solver.local import iterate
from tests.conftest import overlapping_networks

pytestmark = pytest.mark.skipif(not parallel.available(), reason="needs fork (Linux)")

BUDGET = 30_000


def _start():  # type: ignore[no-untyped-def]
    problem = overlapping_networks(networks=10, people=24, meetings=5, weeks=20)
    inst = build_instance(problem)
    state = construct(inst)
    assert state.complete() and len(inst.free) >= parallel.MIN_MEETINGS
    return problem, inst, state


def _halves(inst, state, stop=None):  # type: ignore[no-untyped-def]
    return parallel.relocate_halves(
        inst, state, seed=0, work=Work(budget=BUDGET), objective=objective, stop=stop
    )


def test_two_halves_give_a_checked_deterministic_plan_no_worse_than_one_process() -> None:
    """Both halves' moves joined pass the checker, repeat exactly, and reach at least the
    single process's improvement with the same work each."""
    problem, inst, state = _start()
    start_value = objective(inst, state.at)
    first = _halves(inst, state)
    again = _halves(inst, state)
    assert first.at == again.at
    placements = [
        (inst.meetings[m].network, inst.date_of(d), t, u) for m, (d, t, u) in first.at.items()
    ]
    report = check(problem, Schedule.build(problem, placements))
    assert report.hard_violations == 0
    single, _ = iterate(
        inst, state, rng=random.Random(0), work=Work(budget=BUDGET), objective=objective
    )
    two = objective(inst, first.at)
    one = objective(inst, single.at)
    assert two < start_value
    assert two <= one


def test_a_stop_request_reaches_both_processes() -> None:
    """With the stop event set, both halves end at once and a valid plan comes back."""
    _, inst, state = _start()
    stop = threading.Event()
    stop.set()
    began = time.perf_counter()
    out = parallel.relocate_halves(
        inst, state, seed=0, work=Work(budget=10**9), objective=objective, stop=stop
    )
    assert out.complete()
    assert time.perf_counter() - began < 20
