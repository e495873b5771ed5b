"""Work beside the search on a second core (planner/solver/parallel.py): the day types beside
the first start plan, the day timing's next model built while one is solved; the same plans
as on one core, judged by the checker."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from planner.check import check
from planner.schedule import Schedule
from planner.solver import solve
from planner.solver.construct import Work, construct
from planner.solver.evaluate import objective
from planner.solver.instance import Instance, build_instance
from planner.solver.parallel import Beside, ChildLostError, Forked, pipeline
from planner.solver.result import SolveOptions
from planner.solver.state import PlanState
from planner.solver.timing import day_parts, retime_parts
from tests.conftest import overlapping_networks


def _run(items: int, stop_after: int, *, beside: bool) -> tuple[list[int], list[int]]:
    """``pipeline`` over ``0 .. items - 1``; solves finish out of order (later items
    sooner); settling stops after ``stop_after`` items. Returns (prepared, settled)."""
    prepared: list[int] = []
    settled: list[int] = []

    def prepare(k: int) -> int:
        prepared.append(k)
        return k

    def solve_one(k: int) -> int:
        time.sleep(0.002 * (items - k))
        return 10 * k

    def settle(k: int, ready: int, value: int) -> None:
        assert (ready, value) == (k, 10 * k)
        settled.append(k)

    pipeline(
        range(items), prepare, solve_one, settle, lambda: len(settled) < stop_after, beside=beside
    )
    return prepared, settled


def test_a_pipeline_settles_in_order_and_drops_what_its_stop_leaves() -> None:
    """Ten items, settling stops after five: both orders settle items 0-4, in order. One
    core prepares just those; beside, item k + 1 is ready while k is solved, and at the stop
    items 5 and 6 are prepared (and solved) but dropped unsettled."""
    assert _run(10, 5, beside=False) == ([0, 1, 2, 3, 4], [0, 1, 2, 3, 4])
    assert _run(10, 5, beside=True) == ([0, 1, 2, 3, 4, 5, 6], [0, 1, 2, 3, 4])
    assert _run(3, 99, beside=True) == ([0, 1, 2], [0, 1, 2])


def test_a_failing_solve_beside_raises_in_the_main_thread() -> None:
    """An exception in a solve on the second thread reaches the caller, not a log."""

    def solve_one(k: int) -> int:
        if k == 1:
            raise ValueError("model broken")
        return k

    with pytest.raises(ValueError, match="model broken"):
        pipeline(range(3), lambda k: k, solve_one, lambda *_: None, lambda: True, beside=True)


def test_a_stop_while_waiting_cancels_the_job_beside() -> None:
    """A job that runs until cancelled: the user's stop, set while the main thread waits,
    cancels it, and its last word comes back; a plain job's value comes back as is."""

    def endless(cancel: threading.Event) -> str:
        while not cancel.wait(0.01):
            pass
        return "cancelled"

    stop = threading.Event()
    job = Beside(endless)
    threading.Timer(0.1, stop.set).start()
    assert job.result(stop) == "cancelled"
    assert Beside(lambda _cancel: 42).result() == 42


def _broken() -> int:
    raise ValueError("model broken")


def _endless() -> int:
    time.sleep(60)
    return 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")
def test_a_forked_job_gives_its_value_its_failure_or_is_stopped() -> None:
    """A child process sends its value back; its exception comes back as a failure naming
    it; a stop while the parent waits kills a child that would run a minute, and the
    parent gets the ``cancelled`` value at once."""
    assert Forked(lambda: 42, cancelled=0).result() == 42
    with pytest.raises(RuntimeError, match="ValueError: model broken"):
        Forked(_broken, cancelled=0).result()
    stop = threading.Event()
    job = Forked(_endless, cancelled=-1)
    threading.Timer(0.2, stop.set).start()
    began = time.perf_counter()
    assert job.result(stop) == -1
    assert time.perf_counter() - began < 10
    assert not job._proc.is_alive()


def _dies() -> int:
    os._exit(9)  # as if killed: no word sent back


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")
def test_a_dead_child_is_reported_and_the_start_makes_the_day_types_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A child that ends without a result (killed, e.g. out of memory) raises ``ChildLostError``;
    the start phase then makes the day types itself and keeps the start of one worker."""
    with pytest.raises(ChildLostError, match="without a result"):
        Forked(_dies, cancelled=0).result()
    problem = overlapping_networks(networks=7, people=18, meetings=6, weeks=8)
    inst = build_instance(problem)
    one = solve.Run(problem, SolveOptions(workers=1), time_limit=5.0, seed=0)
    one.inst = inst
    expected = solve.start_phase(one, inst).at
    monkeypatch.setattr(solve.parallel, "beside", lambda job, cancelled: Forked(_dies, cancelled))
    two = solve.Run(problem, SolveOptions(workers=2), time_limit=5.0, seed=0)
    two.inst = inst
    assert solve.start_phase(two, inst).at == expected
    assert two.spent == one.spent > 0


def _start_plan() -> tuple[Instance, PlanState]:
    """Seven chained networks of six meetings each over eight weeks, the plain start plan."""
    problem = overlapping_networks(networks=7, people=18, meetings=6, weeks=8)
    inst = build_instance(problem)
    return inst, construct(inst, rng=None, work=Work(budget=10**6))


def _timed(inst: Instance, state: PlanState, limit: float, beside: bool) -> tuple[PlanState, float]:
    state = state.copy()
    parts = day_parts(inst, state)
    spent = retime_parts(
        inst, state, parts, seed=0, go_on=lambda spent: spent < limit, beside=beside
    )
    return state, spent


def test_the_day_timing_beside_gives_the_plan_of_one_core() -> None:
    """On a start plan with waiting on many days, re-timing every part with the next model
    built beside gives the very placements and work of one core, with and without the
    budget cutting the parts short; the plan is better than before and the checker passes."""
    inst, start = _start_plan()
    assert len(day_parts(inst, start)) >= 5
    one, spent = _timed(inst, start, 1e9, beside=False)
    two, spent_two = _timed(inst, start, 1e9, beside=True)
    assert one.at == two.at and spent == spent_two
    assert objective(inst, one.at) < objective(inst, start.at)
    cut, cut_spent = _timed(inst, start, spent / 3, beside=False)
    cut_two, cut_spent_two = _timed(inst, start, spent / 3, beside=True)
    assert cut.at == cut_two.at and cut_spent == cut_spent_two < spent
    placements = [
        (inst.meetings[i].network, inst.date_of(d), t, u) for i, (d, t, u) in two.at.items()
    ]
    assert check(inst.problem, Schedule.build(inst.problem, placements)).hard_violations == 0


def test_the_day_types_beside_the_first_start_give_the_start_of_one_core() -> None:
    """The start phase with two workers (day types in a child process, or on a second
    thread, beside the first construction) keeps the same best start plan and counts the
    same work as with one."""
    problem = overlapping_networks(networks=7, people=18, meetings=6, weeks=8)
    inst = build_instance(problem)
    got = []
    for workers in (1, 2):
        run = solve.Run(problem, SolveOptions(workers=workers), time_limit=5.0, seed=0)
        run.inst = inst
        best = solve.start_phase(run, inst)
        got.append((best.at, run.spent))
    assert got[0] == got[1]
    assert got[0][1] > 0  # the day types were made and counted
