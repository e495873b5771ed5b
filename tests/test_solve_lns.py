"""The large-neighbourhood search ends after ``STALL_ROUNDS`` rounds in a row without a
better plan, long before its budget, and what it hands back is a plan the checker
accepts."""

from __future__ import annotations

import random
import time

from planner.check import check
from planner.schedule import Schedule
from planner.solver.construct import Work, construct
from planner.solver.evaluate import objective
from planner.solver.instance import build_instance
from planner.solver.lns import STALL_ROUNDS, Search, improve
from tests.conftest import overlapping_networks


def test_the_search_ends_after_rounds_without_a_better_plan() -> None:
    """Four chained networks (12 meetings) from a constructed plan, one step a round and a
    budget of 100 deterministic seconds: the search stops exactly ``STALL_ROUNDS`` steps
    after its last better plan (or after ``STALL_ROUNDS`` steps when none is found), with
    most of the budget left; the plan passes the checker."""
    problem = overlapping_networks(networks=4, people=12, meetings=3, weeks=6)
    inst = build_instance(problem)
    state = construct(inst, rng=random.Random(0), work=Work())
    assert state.complete()
    search = Search(
        inst=inst,
        state=state,
        value=objective(inst, state.at),
        rng=random.Random(0),
        budget=100.0,
        wall_deadline=time.perf_counter() + 600,
    )
    better_at: list[int] = []
    improve(search, threads=1, on_improve=lambda s: better_at.append(s.steps))
    last = better_at[-1] if better_at else 0
    assert search.steps == last + STALL_ROUNDS
    assert search.spent < search.budget / 10
    placements = [
        (inst.meetings[i].network, inst.date_of(d), t, u)
        for i, (d, t, u) in search.state.at.items()
    ]
    assert check(problem, Schedule.build(problem, placements)).hard_violations == 0
