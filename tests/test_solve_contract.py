"""The planner plans whenever the contract's rules allow, and says "infeasible" only on a proof.

Tiny instances whose only plans the old planner excluded (rooms of one
building as venues, a person at two venues on one day), the v1.1 rules in
the solver (time ranges, relay wishes), and a property test comparing the
planner's verdict with a brute-force search.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from planner.check import check
from planner.problem import Membership, Problem, Together, TravelOverride, Weights
from planner.solver import SolveOptions, Status, plan
from tests.conftest import GOES, MIDDELBURG, network, person, settings, venue
from tests.test_solve_rules import figures, judged, rows, solve

MONDAY = date(2027, 9, 20)
ONE_DAY = {"start": MONDAY, "end": MONDAY}


def test_rooms_of_one_building_as_venues() -> None:
    """Three rooms entered as three venues at one address hold six meetings in one morning."""
    # Rooms r1 (10 seats), r2 (6), r3 (4) at one place; one day 09:00-13:00,
    # 120-minute meetings, changeover 0: each room holds two meetings. n1 and
    # n2 (8 members) fit only r1; n3 (a1 + 4) and n4 (b1 + 4) then need r2 at
    # the other time than n1 and n2; n5 and n6 (3 each) take r3. Everyone
    # lives at the building: 0 km; 30 people, one trip each; 3 sessions; a1
    # and b1 meet back to back (idle 0); K = 1, L = 1: spread 0.
    rooms = tuple(venue(f"r{k}", 52.09, 5.12, capacity=c) for k, c in ((1, 10), (2, 6), (3, 4)))
    groups = {
        "n1": [f"a{i}" for i in range(1, 9)],
        "n2": [f"b{i}" for i in range(1, 9)],
        "n3": ["a1", "c1", "c2", "c3", "c4"],
        "n4": ["b1", "d1", "d2", "d3", "d4"],
        "n5": ["e1", "e2", "e3"],
        "n6": ["f1", "f2", "f3"],
    }
    people = sorted({p for ms in groups.values() for p in ms})
    problem = Problem(
        settings=settings(**ONE_DAY, day_start=9 * 60, day_end=13 * 60, changeover=0),
        networks=tuple(
            network(n, duration=120, latest=13 * 60, venues=("r1", "r2", "r3"), min_gap_days=1)
            for n in groups
        ),
        people=tuple(person(p, 52.09, 5.12) for p in people),
        venues=rooms,
        memberships=tuple(Membership(n, p) for n, ms in groups.items() for p in ms),
    )
    result, report = solve(problem)
    assert report.figures.sessions == 3
    assert figures(result) | {"spread_days": 0} == {
        "travel_km": 0.0,
        "trips": 30,
        "idle_minutes": 0,
        "optional_clashes": 0,
        "venue_cost": 0.0,
        "spread_days": 0,
        "long_waits": 0,
    }
    assert result.objective == 30 * 100 * 1000


def two_places_one_day() -> Problem:
    """p sits in n1 (only at a, 09:00-10:00) and n2 (only at b), a and b 60 km / 60 min apart."""
    a, b = GOES, replace(MIDDELBURG, id="b", name="B")
    a = replace(a, id="a", name="A")
    return Problem(
        settings=settings(**ONE_DAY),
        networks=(
            network("n1", venues=("a",), earliest=9 * 60, latest=10 * 60),
            network("n2", venues=("b",)),
        ),
        people=(person("p", a.lat, a.lon),),
        venues=(a, b),
        memberships=(Membership("n1", "p"), Membership("n2", "p")),
        travel=(TravelOverride("a", "b", 60.0, 60.0), TravelOverride("p", "b", 60.0, 60.0)),
    )


def test_a_person_at_two_venues_on_one_day() -> None:
    """The only plans put p at two venues on one day: the planner finds the best one."""
    # n1 09:00-10:00 at a; n2 at b from 10:00 + 15 changeover + 60 travel =
    # 11:15 (later only adds idle). Route home(a) -> a -> b -> home: 0 + 60 +
    # 60 = 120 km; 1 trip; idle 75; 2 sessions; spread 0 (K = 1, L = 1); the
    # 75-minute wait is over long_wait (60): one long wait, as nothing else fits.
    # Objective 1000 x (10 x 120 + 100 + 5 x 75 + 100 x 1) = 1 775 000.
    result, report = solve(two_places_one_day())
    assert rows(result) == [("n1", "2027-09-20", "09:00", "a"), ("n2", "2027-09-20", "11:15", "b")]
    assert report.figures.travel_km == 120.0
    assert (report.figures.trips, report.figures.idle_minutes) == (1, 75)
    assert report.figures.long_waits == 1
    assert result.objective == 1_775_000


def test_two_venues_too_far_apart_is_a_proof() -> None:
    """When n2 must end by 11:00 there is no time to travel: infeasible, both named."""
    # n2 would have to start at 11:15 or later (see above) but must end by
    # 11:00: no plan, and the explanation names the two networks.
    problem = two_places_one_day()
    problem = replace(
        problem, networks=(problem.networks[0], replace(problem.networks[1], latest=11 * 60))
    )
    result = plan(problem, SolveOptions(time_limit=5, seed=0))
    assert result.status is Status.INFEASIBLE
    text = " ".join(result.explanation)
    assert "'n1'" in text and "'n2'" in text


def test_person_time_range_moves_the_meeting() -> None:
    """A member away 09:00-11:00 (v1.1) gets the meeting at 11:00, the first start after."""
    # One day, a 60-minute meeting at goes; p lives at goes (0 km).
    p = person("p", GOES.lat, GOES.lon, unavailable_times=frozenset({(MONDAY, 540, 660)}))
    problem = Problem(
        settings=settings(**ONE_DAY),
        networks=(network("a"),),
        people=(p,),
        venues=(GOES,),
        memberships=(Membership("a", "p"),),
    )
    result, _ = solve(problem)
    assert rows(result) == [("a", "2027-09-20", "11:00", "goes")]


def test_venue_time_range_moves_the_meeting() -> None:
    """A venue closed 09:00-10:30 (v1.1) gets the meeting at 10:30 (touching ends are fine)."""
    closed = replace(GOES, unavailable_times=frozenset({(MONDAY, 540, 630)}))
    problem = Problem(
        settings=settings(**ONE_DAY),
        networks=(network("a"),),
        people=(person("p", GOES.lat, GOES.lon),),
        venues=(closed,),
        memberships=(Membership("a", "p"),),
    )
    result, _ = solve(problem)
    assert rows(result) == [("a", "2027-09-20", "10:30", "goes")]


def wish_problem(weight: int, hard: bool = False, b_venues: tuple[str, ...] = ()) -> Problem:
    """a (only goes, q) and b (goes or middelburg, p); p and q live at Middelburg; a wish a+b."""
    return Problem(
        settings=settings(weights=Weights(together=weight)),
        networks=(network("a"), network("b", venues=b_venues or ("goes", "middelburg"))),
        people=(
            person("p", MIDDELBURG.lat, MIDDELBURG.lon),
            person("q", MIDDELBURG.lat, MIDDELBURG.lon),
        ),
        venues=(GOES, MIDDELBURG),
        memberships=(Membership("a", "q"), Membership("b", "p")),
        together=(Together(("a", "b"), 1, hard=hard),),
    )


def test_relay_wish_met_when_it_pays() -> None:
    """With weight_together 1000 (100 km) b joins a at goes: the wish is met."""
    # Both on Mon 09-20 (1 day off the even point 13 each) at goes: p and q
    # each travel 2 x 24.703 = 49.406 km: 98.81 km, 2 trips, spread 2.
    # 1000 x (10 x 98.812 + 200 + 2) = 1 190 120 < 996 060 + 700 (not met).
    result, report = solve(wish_problem(1000))
    assert sorted((r[0], r[1], r[3]) for r in rows(result)) == [
        ("a", "2027-09-20", "goes"),
        ("b", "2027-09-20", "goes"),
    ]
    assert report.figures.sessions == 1
    assert result.objective == 1_190_120


def test_relay_wish_not_met_when_it_costs_more() -> None:
    """With the default weight (30 km) the wish is not worth 49 km of p's travel."""
    # b stays at middelburg (0 km): q 49.406 km, 2 trips, spread 2, one
    # session short: 1000 x (494.06 + 200 + 2 + 300) = 996 060.
    result, report = solve(wish_problem(300))
    assert ("b", "middelburg") in {(r[0], r[3]) for r in rows(result)}
    assert report.figures.sessions == 2
    assert result.objective == 996_060


def test_hard_relay_wish_that_cannot_hold_is_named() -> None:
    """A hard wish for networks without a common venue: infeasible, and the wish is named."""
    result = plan(
        wish_problem(300, hard=True, b_venues=("middelburg",)), SolveOptions(time_limit=5)
    )
    assert result.status is Status.INFEASIBLE
    assert "relay wish a + b" in " ".join(result.explanation)


def test_hard_relay_wish_is_kept() -> None:
    """A hard wish that costs travel is held anyway, and the checker agrees."""
    result = plan(wish_problem(0, hard=True), SolveOptions(time_limit=5))
    report = judged(wish_problem(0, hard=True), result)
    assert report.figures.sessions == 1


# ------------------------------------------------------------ property test
def brute_force_has_plan(problem: Problem) -> bool:
    """Try every (venue, start) of every one-meeting network on the one day (no solver code)."""
    s = problem.settings
    options = []
    for net in problem.networks:
        starts = range(net.earliest, net.latest - net.duration + 1, s.slot)
        options.append([(v, t) for v in net.venues for t in starts])
    day = s.start.isoformat()
    for combo in itertools.product(*options):
        from tests.conftest import schedule_of

        sched = schedule_of(
            problem,
            *(
                (net.id, day, f"{t // 60:02d}:{t % 60:02d}", v)
                for net, (v, t) in zip(problem.networks, combo, strict=True)
            ),
        )
        if check(problem, sched).hard_violations == 0:
            return True
    return False


@st.composite
def small_problems(draw: st.DrawFn) -> Problem:
    """One day, 2-3 one-meeting networks, 2 venues with a travel table, 1-3 members."""
    far = draw(st.sampled_from([15, 45, 90]))
    a = replace(GOES, id="a", name="A")
    b = replace(MIDDELBURG, id="b", name="B", rooms=draw(st.sampled_from([1, 2])))
    count = draw(st.integers(2, 3))
    nets = []
    for k in range(count):
        venues = draw(st.sampled_from([("a",), ("b",), ("a", "b")]))
        earliest = draw(st.sampled_from([9 * 60, 10 * 60]))
        latest = draw(st.sampled_from([11 * 60, 12 * 60]))
        nets.append(network(f"n{k}", venues=venues, earliest=earliest, latest=latest))
    people = [person(f"p{i}", a.lat, a.lon) for i in range(3)]
    members = [
        Membership(f"n{k}", f"p{i}") for k in range(count) for i in range(3) if draw(st.booleans())
    ]
    return Problem(
        settings=settings(**ONE_DAY, slot=30, changeover=15),
        networks=tuple(nets),
        people=tuple(people),
        venues=(a, b),
        memberships=tuple(members),
        travel=(TravelOverride("a", "b", float(far), float(far)),),
    )


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_verdict_equals_brute_force(problem: Problem) -> None:
    """A plan exactly when brute force finds one; the plan passes the checker."""
    result = plan(problem, SolveOptions(time_limit=3, seed=0))
    if brute_force_has_plan(problem):
        assert result.status in (Status.OPTIMAL, Status.FEASIBLE), result.explanation
        judged(problem, result)
    else:
        assert result.status is Status.INFEASIBLE
