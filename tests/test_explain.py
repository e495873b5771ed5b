"""Explanations of joint infeasibility: the deletion filter and its budget."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from planner.problem import Membership, Problem
from planner.solver.explain import explain_infeasible
from tests.conftest import GOES, network, person, settings


def two_full_days_one_day() -> Problem:
    """``a`` and ``b`` each need the whole Monday (09:00-17:00) and share ``p``; ``c`` is alone.

    The horizon is that one Monday, so ``a`` and ``b`` cannot both meet;
    ``c`` (its own member ``q``, another room) is no part of the problem.
    """
    day = date(2027, 9, 6)
    return Problem(
        settings=settings(start=day, end=day),
        networks=(
            network("a", duration=480),
            network("b", duration=480),
            network("c", venues=("goes2",)),
        ),
        people=(person("p"), person("q")),
        venues=(GOES, replace(GOES, id="goes2")),
        memberships=(Membership("a", "p"), Membership("b", "p"), Membership("c", "q")),
    )


def test_the_filter_names_exactly_the_two_networks() -> None:
    lines = explain_infeasible(two_full_days_one_day(), time_limit=5, budget=30)
    # leaving out c keeps it infeasible (c goes); leaving out a or b makes it
    # plannable (they stay): the set is {a, b} and it is minimal
    assert lines[0].startswith("These networks cannot be planned together: 'a', 'b'")
    assert "shared required members: p" in lines[0]
    assert "Dropping any one of them makes the rest plannable." in lines[0]
    assert "'c'" not in lines[0]


def test_an_exhausted_budget_says_the_set_may_not_be_minimal() -> None:
    lines = explain_infeasible(two_full_days_one_day(), time_limit=5, budget=0)
    # no test could run: all three networks stay, and the text says why
    assert lines[0].startswith("These networks cannot be planned together: 'a', 'b', 'c'")
    assert "could be narrowed further" in lines[0]


def test_no_plan_with_every_meeting_placed_names_the_hard_wish_short() -> None:
    """When every meeting is placed but a hard relay wish is not held, "no plan found"
    names that wish and how often it is held (0 of 1: ``a`` and ``b`` meet on
    different days), not an empty list of unplaced networks."""
    from planner.problem import Together
    from planner.solver.explain import no_plan_text
    from planner.solver.instance import build_instance
    from planner.solver.state import PlanState

    problem = replace(
        two_full_days_one_day(),
        settings=settings(),
        together=(Together(("a", "b"), 1, hard=True),),
    )
    inst = build_instance(problem)
    state = PlanState(inst)
    for day, net in enumerate(("a", "b", "c")):
        (m,) = inst.by_network[net]
        state.place(m, (day, 540, inst.meetings[m].venues[0]))
    lines = no_plan_text(5, inst, state)
    assert lines[0] == (
        "No plan found in 5 s; not proven infeasible. The best attempt placed all 3 "
        "meetings but not every hard relay wish (together, hard = yes): a + b together "
        "in 0 of 1 session(s)."
    )
    assert "hard = no" in lines[1]
