"""The day-timing step (planner/solver/timing.py): a day's parts of linked meetings, what
re-timing a part may gain, and the step itself, judged by the checker."""

from __future__ import annotations

from dataclasses import replace

from planner.check import check
from planner.problem import Membership, Problem, Role, Together
from planner.schedule import Schedule
from planner.solver import solve
from planner.solver.evaluate import objective
from planner.solver.instance import Instance, build_instance, linked_groups
from planner.solver.model import build_model
from planner.solver.result import SolveOptions
from planner.solver.state import PlanState
from planner.solver.timing import day_parts, part_value, room
from planner.solver.variables import Scope
from tests.conftest import GOES, MIDDELBURG, network, person, settings


def _day() -> Problem:
    """Networks ``a`` (``p``, ``q``), ``b`` (``p``, ``r``; ``s`` optional) and ``d`` (``t``)
    at ``goes``, ``c`` (``u``) at ``middelburg``; one 60-minute meeting each."""
    return Problem(
        settings=settings(),
        networks=(
            network("a"),
            network("b"),
            network("c", venues=("middelburg",)),
            network("d"),
        ),
        people=tuple(person(x) for x in "pqrstu"),
        venues=(GOES, MIDDELBURG),
        memberships=(
            Membership("a", "p"),
            Membership("a", "q"),
            Membership("b", "p"),
            Membership("b", "r"),
            Membership("b", "s", Role.OPTIONAL),
            Membership("c", "u"),
            Membership("d", "t"),
        ),
    )


def _waiting(inst: Instance) -> PlanState:
    """Day 0: ``a`` 09:00 and ``b`` 12:00 at ``goes`` (``p`` waits two hours between them),
    ``d`` 14:00 at ``goes``, ``c`` 09:00 at ``middelburg``."""
    state = PlanState(inst)
    for net, start, venue in (("a", 540, "goes"), ("b", 720, "goes"), ("c", 540, "middelburg")):
        state.place(inst.by_network[net][0], (0, start, venue))
    state.place(inst.by_network["d"][0], (0, 840, "goes"))
    return state


def test_a_day_falls_apart_into_parts_linked_by_members_and_venues() -> None:
    """``a`` and ``b`` share ``p``, ``d`` shares the venue ``goes`` with them: one part.
    ``c`` is alone at ``middelburg`` with its only member: re-timing it changes nothing,
    so it is no part."""
    inst = build_instance(_day())
    (a,), (b,), (d,) = (inst.by_network[n] for n in "abd")
    assert day_parts(inst, _waiting(inst)) == [(0, (a, b, d))]


def test_the_room_of_a_part_counts_avoidable_waiting_only() -> None:
    """``p`` waits 12:00 - 10:00 = 120 minutes; 15 of them are the changeover any two
    meetings need, so 105 minutes are avoidable (weight 5 each: 525) and the wait is a long
    one (over 60 minutes, weight 100): 625. Everyone else has one meeting that day."""
    inst = build_instance(_day())
    state = _waiting(inst)
    (a,), (b,), (d,) = (inst.by_network[n] for n in "abd")
    assert room(inst, state, (a, b, d)) == 625


def test_a_part_without_avoidable_waiting_is_left_alone() -> None:
    """With ``b`` at 10:15, right after ``a`` and its changeover, ``p``'s day has nothing
    left to gain (room 0), so the day has no part to re-time."""
    inst = build_instance(_day())
    state = _waiting(inst)
    (a,), (b,), (d,) = (inst.by_network[n] for n in "abd")
    state.remove(b)
    state.place(b, (0, 615, "goes"))
    assert room(inst, state, (a, b, d)) == 0
    assert day_parts(inst, state) == []


def test_a_part_alone_judges_a_re_timing_as_the_whole_plan_does() -> None:
    """Moving ``b`` from 12:00 to 10:15 changes the part's own objective by exactly as much
    as the whole plan's: 105 idle minutes (x 5) and one long wait (x 100), in units of
    1/1000 (the evaluator's SCALE): 625,000."""
    inst = build_instance(_day())
    before = _waiting(inst)
    after = before.copy()
    (a,), (b,), (d,) = (inst.by_network[n] for n in "abd")
    after.remove(b)
    after.place(b, (0, 615, "goes"))
    part = (a, b, d)
    whole = objective(inst, before.at) - objective(inst, after.at)
    assert whole == part_value(inst, before, part) - part_value(inst, after, part) == 625_000


def test_a_part_with_a_relay_wish_counts_the_wish_over_the_whole_plan() -> None:
    """With a soft wish that ``b`` meets right before ``a`` (weight 300), putting ``b`` at
    09:00 and ``a`` at 10:15 holds the wish (300) and ends the two-hour wait (625): the
    part's value falls by as much as the whole plan's, (300 + 625) x 1000 = 925,000; the
    room to gain before counts both."""
    problem = replace(_day(), together=(Together(("b", "a"), times=1, order=True),))
    inst = build_instance(problem)
    before = _waiting(inst)
    after = before.copy()
    (a,), (b,), (d,) = (inst.by_network[n] for n in "abd")
    for m, start in ((a, 615), (b, 540)):
        after.remove(m)
        after.place(m, (0, start, "goes"))
    part = (a, b, d)
    whole = objective(inst, before.at) - objective(inst, after.at)
    assert whole == part_value(inst, before, part) - part_value(inst, after, part) == 925_000
    # the room to gain counts the ordered wish with both its networks in the part
    assert room(inst, before, part) == 625 + 300


def test_the_timing_step_removes_the_avoidable_wait_and_the_checker_agrees() -> None:
    """From the two-hour wait the step re-times the part (dates and venues kept): ``p``'s
    day ends with idle time only for the changeover (15 minutes) and no long wait, the
    checker finds no hard violation and the same idle minutes."""
    problem = _day()
    inst = build_instance(problem)
    state = _waiting(inst)
    run = solve.Run(problem, SolveOptions(), time_limit=10.0, seed=0)
    run.inst = inst
    timed = solve.timing_phase(run, inst, state)
    assert {m: (d, u) for m, (d, _, u) in timed.at.items()} == {
        m: (d, u) for m, (d, _, u) in state.at.items()
    }
    placements = [
        (inst.meetings[i].network, inst.date_of(d), t, u) for i, (d, t, u) in timed.at.items()
    ]
    report = check(problem, Schedule.build(problem, placements))
    assert report.hard_violations == 0
    assert report.figures.idle_minutes == 15
    assert report.figures.long_waits == 0


def test_a_model_finds_its_member_groups_from_its_decided_meetings() -> None:
    """``Variables.groups()`` (what every rule and term loops over) equals a scan of every
    member group for one with a decided meeting, here for a model deciding ``b`` alone:
    the groups of ``p`` (in ``a`` and ``b``) and of ``r`` (in ``b`` only), not ``q``'s,
    ``t``'s or ``u``'s."""
    inst = build_instance(_day())
    state = _waiting(inst)
    (b,) = inst.by_network["b"]
    state.remove(b)
    built = build_model(inst, state, Scope((b,), {b: ((0, "goes"),)}))
    scanned = [(g, group) for g, group in enumerate(inst.groups) if b in group.meetings]
    assert built.variables.groups() == scanned
    assert sorted(p for _, group in scanned for p in group.persons) == ["p", "r"]


def test_with_a_relay_wish_the_step_holds_it_and_ends_the_wait() -> None:
    """A soft wish that ``b`` meets right before ``a``: from ``a`` 09:00, ``b`` 12:00 (wish
    not held, a two-hour wait) the step finds ``b`` first and ``a`` after it: the wish
    held, ``p`` idle only for the 15-minute changeover, no long wait (checker's figures)."""
    problem = replace(_day(), together=(Together(("b", "a"), times=1, order=True),))
    inst = build_instance(problem)
    run = solve.Run(problem, SolveOptions(), time_limit=10.0, seed=0)
    run.inst = inst
    timed = solve.timing_phase(run, inst, _waiting(inst))
    (a,), (b,) = inst.by_network["a"], inst.by_network["b"]
    assert timed.at[b][1] + 60 + 15 <= timed.at[a][1]
    placements = [
        (inst.meetings[i].network, inst.date_of(d), t, u) for i, (d, t, u) in timed.at.items()
    ]
    report = check(problem, Schedule.build(problem, placements))
    assert report.hard_violations == 0
    assert (report.figures.idle_minutes, report.figures.long_waits) == (15, 0)
    assert report.figures.together_met == 1


def test_linked_groups_join_items_through_shared_keys() -> None:
    """Item 0 shares ``x`` with 2, and 2 shares ``z`` with 4, so 0, 2 and 4 form one group
    although 0 and 4 share nothing; 1 and 3 share no key with anyone. Groups ascending, by
    their first item."""
    keys = [("x",), ("y",), ("x", "z"), ("w",), ("z",)]
    assert linked_groups(keys) == [[0, 2, 4], [1], [3]]
