"""The lower bounds on trips and travel hold, exactly as derived, and plans respect them."""

from __future__ import annotations

from dataclasses import replace

from planner.bounds import lower_bounds
from planner.check import check
from planner.solver import SolveOptions, plan
from tests.test_solve_contract import two_places_one_day


def test_bounds_of_two_places_one_day() -> None:
    """p has 2 meetings, cap 3: 1 day at least; p lives at venue a: 0 km at least."""
    b = lower_bounds(two_places_one_day())
    assert (b.trips, b.travel_km) == (1, 0.0)


def test_bounds_with_a_cap_of_one() -> None:
    """With max_meetings_per_day 1, 2 meetings need 2 days."""
    problem = two_places_one_day()
    problem = replace(problem, settings=replace(problem.settings, max_meetings_per_day=1))
    assert lower_bounds(problem).trips == 2


def test_a_plan_is_never_below_the_bounds() -> None:
    """The planner's plan keeps at or above both bounds."""
    problem = two_places_one_day()
    result = plan(problem, SolveOptions(time_limit=5))
    assert result.schedule is not None
    figures = check(problem, result.schedule).figures
    b = lower_bounds(problem)
    assert figures.trips >= b.trips
    assert figures.travel_km >= b.travel_km
