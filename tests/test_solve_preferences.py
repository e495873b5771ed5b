"""Members' "if need be" answers and a published plan's placements are costs the planner weighs.

Each exact answer is derived in a comment. The last test proves that the
local search's move evaluation equals the evaluator's objective difference
with both goals present, move by move.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from planner.check import check
from planner.problem import FixedMeeting, Membership, Problem
from planner.solver import SolveOptions, Status, plan
from planner.solver.construct import construct
from planner.solver.evaluate import figures, objective
from planner.solver.instance import Instance, build_instance
from planner.solver.local import Relocator
from planner.solver.state import PlanState, state_from_placements
from planner.weights import Weights
from tests.conftest import GOES, MIDDELBURG, network, overlapping_networks, person, settings
from tests.test_solve_rules import rows

MON = date(2027, 9, 20)
WEEK = {"start": MON, "end": MON + timedelta(days=4)}


def _one_meeting(p_kw: dict[str, object], **s_kw: object) -> Problem:
    return Problem(
        settings=settings(**(WEEK | s_kw)),
        networks=(network("a"),),
        people=(person("p", **p_kw),),
        venues=(GOES,),
        memberships=(Membership("a", "p"),),
    )


def _solved(problem: Problem) -> tuple[list[tuple[str, ...]], dict[str, float]]:
    """Plan (seed 0), require OPTIMAL and no hard violation; the rows and the figures."""
    result = plan(problem, SolveOptions(time_limit=10, seed=0))
    assert result.status is Status.OPTIMAL, result.explanation
    assert result.schedule is not None
    report = check(problem, result.schedule)
    assert report.hard_violations == 0, [v.reason for v in report.violations]
    return [tuple(r) for r in rows(result)], dict(result.figures)


def test_a_whole_day_if_need_be_is_avoided_when_a_day_next_to_it_is_free() -> None:
    """Its member says "if need be" on Wednesday: the meeting moves one day off its even point."""
    # Horizon Mon 20 .. Fri 24 Sep; one meeting: even point Wednesday 22.
    # On Wednesday it costs 30 km ("if need be"), on Tuesday or Thursday 0.1 km
    # (one day from the even point): one of those, if_need_be 0, spread 1.
    problem = _one_meeting({"if_need_be": frozenset({MON + timedelta(days=2)})})
    placed, figs = _solved(problem)
    assert placed[0][1] in ("2027-09-21", "2027-09-23")
    assert (figs["if_need_be"], figs["spread_days"]) == (0, 1)


def test_if_need_be_on_every_day_still_gives_a_plan() -> None:
    """ "If need be" on every date is a cost, not a rule: the meeting lies on its even point."""
    # Every day costs 30 km, so only the spread differs: Wednesday, if_need_be 1.
    every = frozenset(MON + timedelta(days=k) for k in range(5))
    placed, figs = _solved(_one_meeting({"if_need_be": every}))
    assert placed[0][1] == "2027-09-22"
    assert (figs["if_need_be"], figs["spread_days"]) == (1, 0)


def test_timed_if_need_be_counts_members_whose_range_overlaps_the_meeting() -> None:
    """Two members' "if need be" ranges: the planner takes the start that touches fewest."""
    # One day, a 60-minute meeting that must end by 12:00: starts 09:00..11:00.
    # p: "if need be" 09:00-10:30, q: 09:00-12:00. Starts before 10:30
    # overlap both (2); 10:30..11:00 overlap q only (1): if_need_be 1, start
    # 10:30 or later.
    day = {"start": MON, "end": MON}
    problem = Problem(
        settings=settings(**day),
        networks=(network("a", latest=12 * 60),),
        people=(
            person("p", if_need_be_times=frozenset({(MON, 9 * 60, 10 * 60 + 30)})),
            person("q", if_need_be_times=frozenset({(MON, 9 * 60, 12 * 60)})),
        ),
        venues=(GOES,),
        memberships=(Membership("a", "p"), Membership("a", "q")),
    )
    placed, figs = _solved(problem)
    assert placed[0][2] >= "10:30"
    assert figs["if_need_be"] == 1


def _deltas_are_exact(inst: Instance, state: PlanState, *, day_step: int, start_step: int) -> int:
    """Assert Relocator.delta == the objective difference for every fitting move of a
    sample (every ``day_step``-th day, ``start_step``-th start); return how many."""
    reloc = Relocator(inst, state)
    checked = 0
    for m in inst.free:
        spec = inst.meetings[m]
        for k, u in enumerate(spec.venues):
            for d in sorted(spec.venue_days[k])[::day_step]:
                for t in inst.starts_at(m, d, u)[::start_step]:
                    if state.fits(m, (d, t, u)):
                        moved = dict(state.at) | {m: (d, t, u)}
                        expected = objective(inst, moved) - objective(inst, state.at)
                        assert reloc.delta(m, (d, t, u)) == expected, (m, d, t, u)
                        checked += 1
    return checked


def _replan_problem(closed: frozenset[date]) -> Problem:
    """Networks a (p) and b (q), one meeting each, published at Tue a and Fri b, both at goes."""
    return Problem(
        settings=settings(**WEEK),
        networks=(network("a", venues=("goes", "middelburg")), network("b")),
        people=(person("p"), person("q")),
        venues=(replace(GOES, unavailable=closed), MIDDELBURG),
        memberships=(Membership("a", "p"), Membership("b", "q")),
        previous=(
            FixedMeeting("a", MON + timedelta(days=1), 10 * 60, "goes"),
            FixedMeeting("b", MON + timedelta(days=4), 10 * 60, "goes"),
        ),
    )


def test_published_meetings_stay_unless_a_rule_forces_a_move() -> None:
    """Re-planning an unchanged input keeps both published meetings, though both lie off their
    even points."""
    # Without move costs both would go to Wednesday (spread 0 instead of 1
    # and 2 days, 0.3 km); a move costs 50 km plus 20 km per member.
    placed, figs = _solved(_replan_problem(frozenset()))
    assert placed == [
        ("a", "2027-09-21", "10:00", "goes"),
        ("b", "2027-09-24", "10:00", "goes"),
    ]
    assert (figs["moved_meetings"], figs["moved_members"]) == (0, 0)


def test_a_venue_closed_on_one_date_moves_only_the_meeting_there() -> None:
    """Goes closes on Tuesday: network a moves (1 meeting, 1 member), b stays on Friday."""
    # a may use goes or middelburg: its cheapest new slot is a day at goes
    # (nearer to p than... either way it moved); b keeps Fri 10:00 goes.
    placed, figs = _solved(_replan_problem(frozenset({MON + timedelta(days=1)})))
    assert placed[1] == ("b", "2027-09-24", "10:00", "goes")
    assert placed[0][1] != "2027-09-21" or placed[0][3] != "goes"
    assert (figs["moved_meetings"], figs["moved_members"]) == (1, 1)


def test_move_evaluation_equals_the_objective_difference_with_both_goals() -> None:
    """For every meeting and many fitting slots, Relocator.delta is the exact change of the
    objective when if-need-be answers (whole days and times) and published slots apply."""
    base = overlapping_networks(networks=5, people=12, meetings=2, weeks=4)
    start = construct(build_instance(base))
    rng = random.Random(7)
    day0 = base.settings.start
    people = tuple(
        replace(
            p,
            if_need_be=frozenset(day0 + timedelta(days=rng.randrange(26)) for _ in range(4)),
            if_need_be_times=frozenset({(day0 + timedelta(days=rng.randrange(26)), 600, 720)}),
        )
        for p in base.people
    )
    inst0 = build_instance(base)
    previous = tuple(
        FixedMeeting(inst0.meetings[m].network, inst0.date_of(d), t, u)
        for m, (d, t, u) in sorted(start.at.items())
        if m % 3
    )
    weights = Weights(if_need_be=300, moved_meeting=500, moved_member=200)
    problem = replace(
        base,
        people=people,
        previous=previous,
        settings=replace(base.settings, weights=weights),
    )
    inst = build_instance(problem)
    state = construct(inst)
    checked = _deltas_are_exact(inst, state, day_step=3, start_step=5)
    assert checked > 200
    assert figures(inst, state.at).if_need_be > 0  # the answers do touch the plan


def test_a_stop_request_ends_the_local_search_at_once() -> None:
    """With the stop event set, the iterated local search returns its start plan untouched:
    Ctrl-C is honoured inside the relocation phase, not only between phases."""
    import threading

    from planner.solver.construct import Work
    from planner.solver.local import iterate

    inst = build_instance(overlapping_networks(networks=5, people=12, meetings=2, weeks=4))
    state = construct(inst)
    stop = threading.Event()
    stop.set()
    work = Work(budget=10**9, stop=stop)
    best, improvements = iterate(inst, state, rng=random.Random(0), work=work, objective=objective)
    # descend() looks at `exhausted` before its first move: nothing is tried.
    assert (best.at, improvements, work.done) == (state.at, 0, 0)


def _exact_model_value(problem: Problem) -> tuple[float, int]:
    """The exact whole model's optimum and the evaluator's objective of that solution."""
    from planner.solver.model import build_model, make_solver, solve_step
    from planner.solver.state import PlanState
    from planner.solver.variables import Scope

    inst = build_instance(problem)
    built = build_model(inst, PlanState(inst), Scope.whole(inst, exact=True))
    step = solve_step(built, make_solver(0, 20.0, 20.0, whole=True))
    assert step.placed is not None and step.objective is not None
    return step.objective, objective(inst, step.placed)


def test_the_exact_model_counts_every_term_as_the_evaluator_does() -> None:
    """On a day with an unavoidable long wait, timed "if need be" answers, and a re-plan,
    the exact model's objective equals the evaluator's on the model's own solution."""
    from tests.test_solve_contract import two_places_one_day

    day = {"start": MON, "end": MON}
    maybe = Problem(
        settings=settings(**day),
        networks=(network("a", latest=12 * 60), network("b")),
        people=(
            person("p", if_need_be_times=frozenset({(MON, 9 * 60, 10 * 60 + 30)})),
            person("q", if_need_be=frozenset({MON})),
        ),
        venues=(GOES,),
        memberships=(Membership("a", "p"), Membership("a", "q"), Membership("b", "p")),
    )
    for problem in (two_places_one_day(), maybe, _replan_problem(frozenset())):
        model_value, evaluated = _exact_model_value(problem)
        assert model_value == evaluated


def test_move_evaluation_is_exact_with_venue_costs() -> None:
    """With venue costs (paid once per used session), Relocator.delta equals the objective
    difference for every fitting move tried, including moves that empty or open a session."""
    base = overlapping_networks(networks=5, people=12, meetings=2, weeks=4)
    venues = tuple(replace(v, cost=40.0 + 25 * k) for k, v in enumerate(base.venues))
    inst = build_instance(replace(base, venues=venues))
    state = construct(inst)
    checked = _deltas_are_exact(inst, state, day_step=2, start_step=7)
    assert checked > 200


def _two_published(*published: tuple[int, int, str]) -> Problem:
    """Network a (member p): 2 meetings >= 1 day apart in Mon..Fri at goes, published at
    ``(days after Monday, start minute, venue)``."""
    return Problem(
        settings=settings(**WEEK),
        networks=(network("a", meetings=2, min_gap_days=1),),
        people=(person("p"),),
        venues=(GOES,),
        memberships=(Membership("a", "p"),),
        previous=tuple(FixedMeeting("a", MON + timedelta(days=d), t, u) for d, t, u in published),
    )


def test_a_published_venue_that_is_gone_moves_only_its_meeting() -> None:
    """A published placement at a removed venue keeps its rank: the network's first meeting
    moves, its second stays at its published Thursday slot."""
    # a: 2 meetings, >= 1 day apart; published Tue 10:00 at "gone" (no longer a
    # venue) and Thu 10:00 at goes. The first must move to Mon..Wed (before
    # Thursday); the second keeps Thu: moved 1 meeting, 1 member (p).
    placed, figs = _solved(_two_published((1, 10 * 60, "gone"), (3, 10 * 60, "goes")))
    assert placed[1] == ("a", "2027-09-23", "10:00", "goes")
    assert placed[0][1] < "2027-09-23"
    assert (figs["moved_meetings"], figs["moved_members"]) == (1, 1)


def test_a_published_plan_becomes_the_start_plan_slot_for_slot() -> None:
    """Each published placement is the start of its own meeting, also when it equals
    another meeting's first possible slot (a hint used to lose such a placement)."""
    # Network a has 2 meetings at least 1 day apart in Mon..Fri: the second one's
    # first possible slot is (Tuesday, 09:00), exactly where the first one was
    # published; the second was published on Wednesday 10:00.
    problem = _two_published((1, 9 * 60, "goes"), (2, 10 * 60, "goes"))
    inst = build_instance(problem)
    second = inst.by_network["a"][1]
    assert (inst.meetings[second].days[0], inst.meetings[second].starts[0]) == (1, 9 * 60)
    hint = tuple((f.network, f.date, f.start, f.venue) for f in problem.previous)
    state = state_from_placements(inst, hint)
    assert sorted(state.at.values()) == [(1, 9 * 60, "goes"), (2, 10 * 60, "goes")]
