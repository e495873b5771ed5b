"""Properties of the CP-SAT planner on random small problems (Hypothesis).

Each example is a small random problem: 2-5 networks, 2-8 people, 1-3
venues, 1-3 meetings a network, a horizon of 1-4 weeks in autumn 2027, random
memberships and roles, unavailable dates, rooms, capacities, opening hours,
weekdays, windows, travel overrides (some one-directional), venue costs,
weights and fixed meetings (each one valid for its own network: on an allowed
date, weekday and venue, on the grid, within the window and the venue's
hours). The planner must either say there is no plan (INFEASIBLE or
UNKNOWN, with an explanation and no schedule) or return a plan that

- the checker finds without hard violations, and
- whose figures (the model's own values) equal the checker's, and
- whose trips and travel are not below the lower bounds (:mod:`planner.bounds`).

Examples are derandomized so that CI is stable.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from planner.baseline import baseline
from planner.bounds import lower_bounds
from planner.calendar import holiday_reason, venue_open_on
from planner.check import check
from planner.problem import (
    FixedMeeting,
    Membership,
    Network,
    Person,
    Problem,
    Role,
    Settings,
    TravelOverride,
    Venue,
)
from planner.solver import SolveOptions, Status, plan
from planner.solver.explain import precheck
from planner.weights import Weights
from tests.test_solve_rules import assert_figures_match

# Goes, Middelburg, Vlissingen, Terneuzen, Zierikzee, Hulst
PLACES = (
    (51.5040, 3.8880),
    (51.4988, 3.6136),
    (51.4426, 3.5736),
    (51.3358, 3.8283),
    (51.6500, 3.9190),
    (51.2800, 4.0530),
)
DAY = (9 * 60, 17 * 60)
HOURS = (DAY, DAY, DAY, (8 * 60 + 30, 12 * 60 + 30), (13 * 60, 17 * 60), (10 * 60, 16 * 60))
WINDOWS = (DAY, DAY, DAY, (9 * 60, 12 * 60), (12 * 60 + 30, 17 * 60), (8 * 60, 18 * 60))
STARTS = (date(2027, 9, 6), date(2027, 9, 8), date(2027, 10, 11))  # Mon, Wed, Mon


WORKDAYS = frozenset(range(5))


def weekday_sets() -> st.SearchStrategy[frozenset[int]]:
    """Non-empty weekday sets, mostly all workdays."""
    return st.sampled_from(
        (
            WORKDAYS,
            WORKDAYS,
            frozenset(range(7)),
            frozenset({0, 2, 4}),
            frozenset({1, 2, 3}),
            frozenset({3, 4, 5}),
        )
    )


@st.composite
def problems(
    draw: st.DrawFn,
    *,
    min_days: int = 5,
    max_people: int = 8,
    fixed_odds: int = 4,
) -> Problem:
    """A random small problem, valid by construction.

    Parameters
    ----------
    min_days
        Shortest horizon in days (the longest is 28).
    max_people
        Most people (at least 2); fewer people means more shared members.
    fixed_odds
        Each network has a fixed meeting with chance 1 / ``fixed_odds``.
    """
    start = draw(st.sampled_from(STARTS))
    length = draw(st.integers(min_days, 28))
    days = [start + timedelta(days=i) for i in range(length)]
    slot = draw(st.sampled_from((15, 30)))
    settings = Settings(
        start=start,
        end=days[-1],
        slot=slot,
        changeover=draw(st.sampled_from((0, 15, 30))),
        min_gap_days=7,
        max_meetings_per_day=draw(st.integers(1, 3)),
        public_holidays=draw(st.booleans()),
        school_holidays=draw(st.booleans()),
        time_limit=4,
        language=draw(st.sampled_from(("nl", "en"))),
        weights=draw(
            st.one_of(
                st.just(Weights()),
                st.builds(
                    Weights,
                    travel_km=st.integers(0, 20),
                    trips=st.integers(0, 200),
                    idle_minutes=st.integers(0, 10),
                    optional_clashes=st.integers(0, 600),
                    venue_cost=st.integers(0, 20),
                    spread_days=st.integers(0, 5),
                ),
            )
        ),
    )
    some_days = st.frozensets(st.sampled_from(days), max_size=2)

    venues: list[Venue] = []
    for k in range(draw(st.integers(1, 3))):
        lat, lon = draw(st.sampled_from(PLACES))
        opens, closes = draw(st.sampled_from(HOURS))
        venues.append(
            Venue(
                id=f"v{k}",
                name=f"Venue {k}",
                lat=lat,
                lon=lon,
                capacity=draw(st.sampled_from((8, 8, 5, 3))),
                rooms=draw(st.integers(1, 2)),
                weekdays=draw(weekday_sets()),
                open=opens,
                close=closes,
                unavailable=draw(some_days),
                cost=draw(st.sampled_from((0.0, 0.0, 12.5, 40.0))),
            )
        )
    venue_ids = [v.id for v in venues]

    people: list[Person] = []
    for k in range(draw(st.integers(2, max_people))):
        lat, lon = draw(st.sampled_from(PLACES))
        people.append(
            Person(
                id=f"p{k}",
                name=f"Person {k}",
                lat=lat,
                lon=lon,
                unavailable=draw(some_days),
            )
        )
    person_ids = [p.id for p in people]

    networks: list[Network] = []
    memberships: list[Membership] = []
    for k in range(draw(st.integers(2, 5))):
        earliest, latest = draw(st.sampled_from(WINDOWS))
        nid = f"n{k}"
        meetings = draw(st.integers(1, 3))
        networks.append(
            Network(
                id=nid,
                name=f"Network {k}",
                meetings=meetings,
                duration=draw(st.sampled_from((60, 30, 90))),
                min_gap_days=draw(st.integers(0, max(0, length // (2 * meetings)))),
                weekdays=draw(weekday_sets()),
                earliest=earliest,
                latest=latest,
                venues=tuple(draw(st.lists(st.sampled_from(venue_ids), min_size=1, unique=True))),
                region=draw(st.sampled_from(("noord", "midden", "zuid"))),
            )
        )
        members = draw(st.lists(st.sampled_from(person_ids), max_size=4, unique=True))
        for pid in members:
            role = draw(st.sampled_from((Role.REQUIRED, Role.REQUIRED, Role.OPTIONAL)))
            memberships.append(Membership(nid, pid, role))

    pre = Problem(settings, tuple(networks), tuple(people), tuple(venues), tuple(memberships))
    fixed: list[FixedMeeting] = []
    for net in networks:
        if draw(st.integers(1, fixed_odds)) != 1:
            continue
        options = _fixed_options(pre, net)
        if options:
            fixed.append(draw(st.sampled_from(options)))

    places = person_ids + venue_ids
    travel: list[TravelOverride] = []
    seen: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(0, 3))):
        a, b = draw(st.lists(st.sampled_from(places), min_size=2, max_size=2, unique=True))
        if (a, b) in seen:
            continue
        seen.add((a, b))
        travel.append(
            TravelOverride(
                a,
                b,
                draw(st.sampled_from((0.0, 3.5, 12.0, 40.0))),
                draw(st.sampled_from((None, 10.0, 45.5))),
            )
        )
    problem = Problem(
        settings,
        tuple(networks),
        tuple(people),
        tuple(venues),
        tuple(memberships),
        fixed=tuple(fixed),
        travel=tuple(travel),
    )
    # Networks that cannot be planned even alone are the precheck's job
    # (tested in test_solve_rules); here the networks must interact.
    assume(not precheck(problem))
    return problem


def _fixed_options(problem: Problem, net: Network) -> list[FixedMeeting]:
    """Every placement of one meeting of ``net`` that keeps its own rules."""
    s = problem.settings
    size = len(problem.members(net.id))
    required = [problem.person_by_id[p] for p in problem.required_members(net.id)]
    out: list[FixedMeeting] = []
    for offset in range(s.horizon_days):
        day = s.start + timedelta(days=offset)
        if day.weekday() not in net.weekdays or holiday_reason(s, net.region, day):
            continue
        if any(day in p.unavailable for p in required):
            continue
        for vid in net.venues:
            v = problem.venue_by_id[vid]
            if v.capacity < size or not venue_open_on(v, day):
                continue
            lo = max(net.earliest, v.open)
            hi = min(net.latest, v.close) - net.duration
            first = s.day_start + -(-(lo - s.day_start) // s.slot) * s.slot
            out += [FixedMeeting(net.id, day, t, vid) for t in range(first, hi + 1, s.slot)]
    return out[:: max(1, len(out) // 40)]


SETTINGS = hyp_settings(
    max_examples=35,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


def assert_valid_or_explained(problem: Problem) -> None:
    """Plan ``problem``: a plan the checker accepts, or no plan with a reason."""
    result = plan(problem, SolveOptions(time_limit=3, seed=0))
    if result.status in (Status.INFEASIBLE, Status.UNKNOWN):
        assert result.schedule is None
        assert result.explanation
        if result.status is Status.INFEASIBLE:
            # The uncoordinated baseline places every meeting by the network's
            # own rules; if it breaks no rule, a plan exists.
            assert check(problem, baseline(problem)).hard_violations > 0
        return
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert result.schedule is not None
    report = check(problem, result.schedule)
    assert report.hard_violations == 0, [v.reason for v in report.violations]
    assert_figures_match(result, report)
    bounds = lower_bounds(problem)  # valid with one-directional, triangle-breaking tables too
    assert report.figures.trips >= bounds.trips
    assert report.figures.travel_km >= bounds.travel_km
    if result.status is Status.OPTIMAL:
        assert result.bound == pytest.approx(result.objective)
    # meetings numbered 1..K per network in date order, attendees = members
    for net in problem.networks:
        mine = [m for m in result.schedule if m.network == net.id]
        assert [m.seq for m in mine] == list(range(1, net.meetings + 1))
        assert [m.date for m in mine] == sorted(m.date for m in mine)
        assert all(m.attendees == problem.members(net.id) for m in mine)


@SETTINGS
@given(problems())
def test_plan_is_valid_or_explained(problem: Problem) -> None:
    assert_valid_or_explained(problem)


@SETTINGS
@given(problems(min_days=14, max_people=4, fixed_odds=2))
def test_plan_is_valid_or_explained_dense(problem: Problem) -> None:
    # Few people for many networks (many shared members) and many fixed
    # meetings over two to four weeks.
    assert_valid_or_explained(problem)
