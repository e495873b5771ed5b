"""The start phase: a first plan whatever the time limit, then more start plans only within
the start's share of the limit."""

from __future__ import annotations

from typing import Any

import pytest

from planner.solver import solve
from planner.solver.construct import construct
from planner.solver.instance import build_instance
from planner.solver.result import SolveOptions
from tests.conftest import overlapping_networks


def starts_made(monkeypatch: pytest.MonkeyPatch, time_limit: float) -> tuple[int, bool]:
    """How many start plans ``start_phase`` builds on six chained networks, and whether its
    best is a plan."""
    calls: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return construct(*args, **kwargs)

    monkeypatch.setattr(solve, "construct", counted)
    problem = overlapping_networks()
    inst = build_instance(problem)
    run = solve.Run(problem, SolveOptions(), time_limit=time_limit, seed=0)
    run.inst = inst
    best = solve.start_phase(run, inst)
    return len(calls), solve.valid(inst, best)


def test_a_short_limit_stops_after_the_first_plan_and_the_day_types(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 0.2 s the share (300 work units) is below the floor for a first plan (400 units for
    each of 18 meetings), and the first plan costs more than the share (about 700 units): the
    plain start and the day-type start are built, no more (before: eight, up to the floor)."""
    made, planned = starts_made(monkeypatch, 0.2)
    assert planned
    assert made == 2


def test_a_long_limit_tries_every_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 60 s the share (90,000 units) lets the start phase try all of its seeded starts:
    the plain one, the day types' and then perturbed ones up to eight in all."""
    made, planned = starts_made(monkeypatch, 60.0)
    assert planned
    assert made == solve.STARTS
