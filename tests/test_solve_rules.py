"""The CP-SAT planner, rule by rule: tiny instances where one rule binds.

Every test solves a tiny instance with :func:`planner.solver.plan`, asserts
status OPTIMAL and the exact optimal placement (or the exact figures where the
optimum has ties), and lets the checker judge the plan: zero hard violations,
and the planner's own figures equal the checker's.

Unless a test says otherwise the instances use :func:`tests.conftest.settings`:
horizon Mon 2027-09-06 .. Fri 2027-10-01 (L = 26 days, no holidays), slot 15,
changeover 15, ``min_gap_days`` 7, at most 3 meetings a person a day, and
networks from :func:`tests.conftest.network` (one 60-minute meeting, any
workday, 09:00-17:00, venue ``goes``). People live at Goes's coordinates
(0 km to ``goes``) unless a ``travel`` override gives round numbers.

Day indices of the default horizon (day 0 = Mon 09-06)::

    Mon  6=0   13=7   20=14  27=21
    Tue  7=1   14=8   21=15  28=22
    Wed  8=2   15=9   22=16  29=23
    Thu  9=3   16=10  23=17  30=24
    Fri 10=4   17=11  24=18  01-10=25

Spread (objective term ``spread_days``): the i-th of K meetings (i = 0..K-1)
has its even point on day floor((2i + 1) L / (2K)). With L = 26: K = 1 gives
day 13 (Sun 09-19), so a one-meeting network goes to Mon 09-20 (1 day off)
unless a rule binds; K = 2 gives days 6 and 19; K = 3 gives days 4, 13, 21.

The objective in model units (see :class:`planner.weights.Weights`, default
weights) is ``1000 x (10 km + 100 trips + 5 idle + 500 optional_clashes + 10
venue_cost + 1 spread_days)``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from planner.check import CheckReport, check
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
    fmt_time,
)
from planner.solver import PlanResult, SolveOptions, Status, plan
from planner.weights import Weights
from tests.conftest import GOES, MIDDELBURG, network, person, settings

GOES_LATLON = (51.5040, 3.8880)
MIDDELBURG_LATLON = (51.4988, 3.6136)

Row = tuple[str, str, str, str]
"""``(network, "YYYY-MM-DD", "HH:MM", venue)`` of one planned meeting."""

EXACT_FIGURES = (
    "trips",
    "idle_minutes",
    "sessions",
    "optional_clashes",
    "venue_cost",
    "spread_days",
    "long_waits",
)


# ----------------------------------------------------------------- helpers
def assert_figures_match(result: PlanResult, report: CheckReport) -> None:
    """The planner's figures equal the checker's (travel within 0.01 km)."""
    f = report.figures
    assert set(result.figures) == {"travel_km", *EXACT_FIGURES}
    assert result.figures["travel_km"] == pytest.approx(f.travel_km, abs=0.01)
    for name in EXACT_FIGURES:
        assert result.figures[name] == getattr(f, name), name


def judged(problem: Problem, result: PlanResult) -> CheckReport:
    """Check a planned result: a schedule, no hard violation, figures as the checker's."""
    assert result.schedule is not None
    report = check(problem, result.schedule)
    assert report.hard_violations == 0, [v.reason for v in report.violations]
    assert_figures_match(result, report)
    return report


def solve(problem: Problem, time_limit: float = 10) -> tuple[PlanResult, CheckReport]:
    """Plan ``problem`` (seed 0), require OPTIMAL and a plan the checker accepts."""
    result = plan(problem, SolveOptions(time_limit=time_limit, seed=0))
    assert result.status is Status.OPTIMAL, result.explanation
    assert result.objective is not None
    assert result.bound == pytest.approx(result.objective)
    return result, judged(problem, result)


def rows(result: PlanResult) -> list[Row]:
    """The plan as ``(network, date, start, venue)`` rows, in schedule order."""
    assert result.schedule is not None
    return [(m.network, m.date.isoformat(), fmt_time(m.start), m.venue) for m in result.schedule]


def figures(result: PlanResult) -> dict[str, float]:
    """The planner's figures with travel rounded to 2 decimals (sessions left out)."""
    out = dict(result.figures)
    out.pop("sessions")
    out["travel_km"] = round(out["travel_km"], 2)
    return out


def figs(
    *,
    km: float = 0.0,
    trips: int,
    idle: int = 0,
    opt: int = 0,
    cost: float = 0.0,
    spread: int,
    waits: int = 0,
) -> dict[str, float]:
    """Expected figures, in the shape of :func:`figures`."""
    return {
        "travel_km": km,
        "trips": trips,
        "idle_minutes": idle,
        "optional_clashes": opt,
        "venue_cost": cost,
        "spread_days": spread,
        "long_waits": waits,
    }


def objective(f: dict[str, float]) -> float:
    """Objective in model units for the default weights."""
    return 1000 * (
        10 * f["travel_km"]
        + 100 * f["trips"]
        + 5 * f["idle_minutes"]
        + 500 * f["optional_clashes"]
        + 10 * f["venue_cost"]
        + f["spread_days"]
        + 100 * f["long_waits"]
    )


def at_goes(id_: str, **kw: Any) -> Person:
    """A person living at Goes's venue (0 km to ``goes``)."""
    return person(id_, *GOES_LATLON, **kw)


def problem_of(
    networks: tuple[Network, ...],
    people: tuple[Person, ...],
    memberships: tuple[Membership, ...],
    *,
    venues: tuple[Venue, ...] = (GOES, MIDDELBURG),
    fixed: tuple[FixedMeeting, ...] = (),
    travel: tuple[TravelOverride, ...] = (),
    s: Settings | None = None,
) -> Problem:
    """A problem with the default settings unless ``s`` is given."""
    return Problem(
        settings=s or settings(),
        networks=networks,
        people=people,
        venues=venues,
        memberships=memberships,
        fixed=fixed,
        travel=travel,
    )


def one_network(**kw: Any) -> Problem:
    """Network ``a`` (fields from ``kw``) with one required member ``p`` living at Goes."""
    return problem_of((network("a", **kw),), (at_goes("p"),), (Membership("a", "p"),))


# A 09:00-10:00 window: a 60-minute meeting can only start at 09:00.
NINE = {"earliest": 9 * 60, "latest": 10 * 60}


def assert_plan(result: PlanResult, expected_rows: list[Row], expected: dict[str, float]) -> None:
    """Exact placement, exact figures and the objective they give."""
    assert rows(result) == expected_rows
    assert figures(result) == expected
    assert result.objective == pytest.approx(objective(expected), abs=1)


# =================================================================== rules
@pytest.mark.parametrize(
    ("meetings", "expected_rows", "spread"),
    [
        # K = 1: point day 13 (Sun); Mon 09-20 is 1 off, Fri 09-17 2 off.
        (1, [("a", "2027-09-20", "09:00", "goes")], 1),
        # K = 2: points 6 (Sat) and 19 (Sat): Mon 09-13 and Fri 09-24, 1 off each
        # (Fri 09-10 and Mon 09-27 are 2 off); 11 days apart >= 7.
        (
            2,
            [("a", "2027-09-13", "09:00", "goes"), ("a", "2027-09-24", "09:00", "goes")],
            2,
        ),
        # K = 3: points 4 (Fri 09-10), 13 (Sun), 21 (Mon 09-27): 0 + 1 + 0.
        (
            3,
            [
                ("a", "2027-09-10", "09:00", "goes"),
                ("a", "2027-09-20", "09:00", "goes"),
                ("a", "2027-09-27", "09:00", "goes"),
            ],
            1,
        ),
    ],
)
def test_count_every_meeting_is_planned(
    meetings: int, expected_rows: list[Row], spread: int
) -> None:
    # Without the count rule the empty plan (objective 0) would win.
    # One person at Goes: one trip per meeting, no travel, no idle.
    result, _ = solve(one_network(meetings=meetings, **NINE))
    assert_plan(result, expected_rows, figs(trips=meetings, spread=spread))


def test_horizon_both_ends_are_inclusive() -> None:
    # Horizon Mon 09-06 .. Mon 09-13 (L = 8), two meetings at least 7 days
    # apart: only the first and the last day of the horizon qualify; the
    # end is inclusive. Points: floor(8/4) = 2 and floor(24/4) = 6, so the
    # spread is |0 - 2| + |7 - 6| = 3. Objective: 2 trips x 100 + 3 = 203.
    problem = replace(one_network(meetings=2, **NINE), settings=settings(end=date(2027, 9, 13)))
    result, _ = solve(problem)
    assert_plan(
        result,
        [("a", "2027-09-06", "09:00", "goes"), ("a", "2027-09-13", "09:00", "goes")],
        figs(trips=2, spread=3),
    )


def test_horizon_one_day_short_is_infeasible() -> None:
    # Same, but the horizon ends on Sun 09-12: no two workdays 7 days apart.
    problem = replace(one_network(meetings=2, **NINE), settings=settings(end=date(2027, 9, 12)))
    result = plan(problem, SolveOptions(time_limit=5, seed=0))
    assert result.status is Status.INFEASIBLE
    assert result.schedule is None
    assert "'a'" in " ".join(result.explanation)


def relay(a: dict[str, Any], b: dict[str, Any], *, s: Settings | None = None) -> Problem:
    """Networks ``a`` and ``b`` share required ``p``, who lives 25 km from ``goes``.

    A round trip costs 50 km x 10 = 500 and a trip 100, so ``p`` rather waits
    (5 per minute) up to 120 minutes than travels twice.
    """
    return problem_of(
        (network("a", **a), network("b", **b)),
        (person("p"),),
        (Membership("a", "p"), Membership("b", "p")),
        travel=(TravelOverride("p", "goes", 25.0),),
        s=s,
    )


def test_window_bounds_start_and_end() -> None:
    # a may only start at 13:00 (window 13:00-14:00); b must end by 12:00.
    # One trip on Mon 09-20 with b as late as it can (11:00-12:00): idle 60
    # (300) beats a second trip (100 + 500). Without the windows b would
    # follow a 15 minutes later (idle 15).
    # Objective: 50 km x 10 + 100 + 60 x 5 + spread 1 + 1 = 902.
    problem = relay(
        {"earliest": 13 * 60, "latest": 14 * 60},
        {"earliest": 9 * 60, "latest": 12 * 60},
    )
    result, _ = solve(problem)
    assert_plan(
        result,
        [("b", "2027-09-20", "11:00", "goes"), ("a", "2027-09-20", "13:00", "goes")],
        figs(km=50.0, trips=1, idle=60, spread=2),
    )


@pytest.mark.parametrize(
    ("slot", "b_start", "idle"),
    [
        (15, "10:15", 15),  # right after a's changeover
        (30, "10:30", 30),  # 10:15 is off the 30-minute grid
    ],
)
def test_grid_slot_sets_the_starts(slot: int, b_start: str, idle: int) -> None:
    # a starts at 09:00 (window 09:00-10:00) and ends at 10:00; b (shared
    # member p) follows at the first grid start >= 10:00 + 15 changeover.
    # Objective: 500 (travel) + 100 (trip) + 5 idle + 2 (spread).
    problem = relay(NINE, {}, s=settings(slot=slot))
    result, _ = solve(problem)
    assert_plan(
        result,
        [("a", "2027-09-20", "09:00", "goes"), ("b", "2027-09-20", b_start, "goes")],
        figs(km=50.0, trips=1, idle=idle, spread=2),
    )


def test_grid_counts_from_day_start() -> None:
    # day_start 08:50, slot 15: starts are 08:50, 09:05, 09:20, ...; the
    # window 09:00-10:10 leaves only 09:05 (09:20 + 60 = 10:20 > 10:10).
    problem = replace(
        one_network(earliest=9 * 60, latest=10 * 60 + 10),
        settings=settings(day_start=8 * 60 + 50),
    )
    result, _ = solve(problem)
    assert_plan(result, [("a", "2027-09-20", "09:05", "goes")], figs(trips=1, spread=1))


def test_weekday_of_the_network() -> None:
    # Wednesdays only: Wed 09-22 (day 16, 3 off) beats Wed 09-15 (day 9, 4 off).
    result, _ = solve(one_network(weekdays=frozenset({2}), **NINE))
    assert_plan(result, [("a", "2027-09-22", "09:00", "goes")], figs(trips=1, spread=3))


def test_venue_list_of_the_network() -> None:
    # p lives 5 km from goes and 20 km from middelburg; a may only use
    # middelburg: 40 km instead of 10. Objective: 400 + 100 + 1 = 501.
    problem = problem_of(
        (network("a", venues=("middelburg",), **NINE),),
        (person("p"),),
        (Membership("a", "p"),),
        travel=(TravelOverride("p", "goes", 5.0), TravelOverride("p", "middelburg", 20.0)),
    )
    result, _ = solve(problem)
    assert_plan(
        result, [("a", "2027-09-20", "09:00", "middelburg")], figs(km=40.0, trips=1, spread=1)
    )
    # Control: with both venues allowed it goes to goes (10 km).
    result, _ = solve(
        replace(problem, networks=(network("a", venues=("goes", "middelburg"), **NINE),))
    )
    assert_plan(result, [("a", "2027-09-20", "09:00", "goes")], figs(km=10.0, trips=1, spread=1))


@pytest.mark.parametrize(
    ("goes", "net", "expected_row", "spread"),
    [
        # closed on Mon 09-20 and Tue 09-21: Fri 09-17 (2 off) beats Wed 09-22 (3 off)
        (
            {"unavailable": frozenset({date(2027, 9, 20), date(2027, 9, 21)})},
            NINE,
            ("a", "2027-09-17", "09:00", "goes"),
            2,
        ),
        # open Tue and Thu only: Tue 09-21 (2 off) beats Thu 09-16 (3 off)
        (
            {"weekdays": frozenset({1, 3})},
            NINE,
            ("a", "2027-09-21", "09:00", "goes"),
            2,
        ),
        # open 14:00-17:00, the network's window ends at 15:00: only 14:00
        (
            {"open": 14 * 60},
            {"earliest": 9 * 60, "latest": 15 * 60},
            ("a", "2027-09-20", "14:00", "goes"),
            1,
        ),
    ],
    ids=["closed-dates", "weekdays", "hours"],
)
def test_venue_closed(
    goes: dict[str, Any], net: dict[str, Any], expected_row: Row, spread: int
) -> None:
    problem = replace(one_network(**net), venues=(replace(GOES, **goes), MIDDELBURG))
    result, _ = solve(problem)
    assert_plan(result, [expected_row], figs(trips=1, spread=spread))


@pytest.mark.parametrize(
    ("public_holidays", "day"),
    [(True, "2027-04-28"), (False, "2027-04-27")],
)
def test_public_holiday_koningsdag(public_holidays: bool, day: str) -> None:
    # Horizon Wed 2027-04-21 .. Mon 2027-05-03 (L = 13): point day 6 = Tue
    # 04-27, Koningsdag. The network meets Tue-Thu: with public holidays on,
    # Wed 04-28 (1 off) beats Thu 04-22 (5 off). School holidays are off
    # (the May holiday would cover 04-24 .. 05-02).
    s = settings(
        start=date(2027, 4, 21),
        end=date(2027, 5, 3),
        public_holidays=public_holidays,
    )
    problem = replace(one_network(weekdays=frozenset({1, 2, 3}), **NINE), settings=s)
    result, _ = solve(problem)
    assert_plan(
        result, [("a", day, "09:00", "goes")], figs(trips=1, spread=0 if not public_holidays else 1)
    )


@pytest.mark.parametrize(
    ("school_holidays", "m_day", "m_spread"),
    [(True, "2027-10-25", 4), (False, "2027-10-21", 0)],
)
def test_school_holidays_by_region(school_holidays: bool, m_day: str, m_spread: int) -> None:
    # Horizon Wed 2027-10-13 .. Fri 10-29 (L = 17): point day 8 = Thu 10-21.
    # Autumn holiday 2027: midden 10-16 .. 10-24, zuid 10-23 .. 10-31.
    # Network m (midden) moves to Mon 10-25 (4 off; Fri 10-15 is 6 off);
    # network z (zuid) keeps Thu 10-21. They use different venues and have
    # different members, so they do not interact.
    s = settings(
        start=date(2027, 10, 13),
        end=date(2027, 10, 29),
        school_holidays=school_holidays,
        public_holidays=True,
    )
    problem = problem_of(
        (
            network("m", region="midden", **NINE),
            network("z", region="zuid", venues=("middelburg",), **NINE),
        ),
        (at_goes("p"), person("q", *MIDDELBURG_LATLON)),
        (Membership("m", "p"), Membership("z", "q")),
        s=s,
    )
    result, _ = solve(problem)
    expected = sorted(
        [("m", m_day, "09:00", "goes"), ("z", "2027-10-21", "09:00", "middelburg")],
        key=lambda r: (r[1], r[2], r[3]),
    )
    assert_plan(result, expected, figs(trips=2, spread=m_spread))


def test_unavailable_required_member_binds_optional_does_not() -> None:
    # p (required in a) is away Mon 09-20 and Tue 09-21: a goes to Fri
    # 09-17 (2 off; Wed 09-22 is 3 off). r (optional in b) is away on Mon
    # 09-20 too, which does not move b. Objective: 2 trips + spread 2 + 1.
    away = frozenset({date(2027, 9, 20), date(2027, 9, 21)})
    problem = problem_of(
        (network("a", **NINE), network("b", **NINE)),
        (at_goes("p", unavailable=away), at_goes("s"), at_goes("r", unavailable=away)),
        (Membership("a", "p"), Membership("b", "s"), Membership("b", "r", Role.OPTIONAL)),
    )
    result, _ = solve(problem)
    assert_plan(
        result,
        [("a", "2027-09-17", "09:00", "goes"), ("b", "2027-09-20", "09:00", "goes")],
        figs(trips=2, spread=3),
    )


@pytest.mark.parametrize(
    ("gap", "days", "spread"),
    [
        # Mondays 0, 7, 14, 21; points 6 and 19. Gap 14: Mon 09-13 and
        # 09-27 (1 + 2 = 3). Gap 15 leaves only 09-06 and 09-27 (6 + 2 = 8).
        (14, ("2027-09-13", "2027-09-27"), 3),
        (15, ("2027-09-06", "2027-09-27"), 8),
    ],
)
def test_min_gap(gap: int, days: tuple[str, str], spread: int) -> None:
    problem = one_network(meetings=2, min_gap_days=gap, weekdays=frozenset({0}), **NINE)
    result, _ = solve(problem)
    assert_plan(
        result,
        [("a", days[0], "09:00", "goes"), ("a", days[1], "09:00", "goes")],
        figs(trips=2, spread=spread),
    )


def test_min_gap_zero_lets_a_network_meet_twice_on_one_date() -> None:
    """With ``min_gap_days`` 0 (the contract: dates may differ by 0) a network's two
    meetings share the only date: one 09:00-10:00, the other after the 15-minute
    changeover, 10:15-11:15; one trip, 15 idle minutes. Spread: with a one-day
    horizon both even points are day 0."""
    one_day = settings(start=date(2027, 9, 10), end=date(2027, 9, 10))
    problem = problem_of(
        (network("a", meetings=2, min_gap_days=0),),
        (at_goes("p"),),
        (Membership("a", "p"),),
        s=one_day,
    )
    result, _ = solve(problem)
    assert_plan(
        result,
        [("a", "2027-09-10", "09:00", "goes"), ("a", "2027-09-10", "10:15", "goes")],
        figs(trips=1, idle=15, spread=0),
    )


def test_min_gap_zero_meetings_of_one_network_keep_the_travel_gap() -> None:
    """``goes`` is open 09:00-10:00 (one meeting), ``middelburg`` 10:00-12:00 (one
    meeting: two need 135 minutes). So ``a`` meets at goes 09:00 and at middelburg
    after 10:00 + 25 travel minutes + 15 changeover = 10:40, 10:45 on the grid:
    the travel gap holds between two meetings of one network too. One trip, 45 idle
    minutes, Goes -> Middelburg -> Goes 2 x 24.703 km."""
    one_day = settings(start=date(2027, 9, 10), end=date(2027, 9, 10))
    problem = problem_of(
        (network("a", meetings=2, min_gap_days=0, venues=("goes", "middelburg")),),
        (at_goes("p"),),
        (Membership("a", "p"),),
        venues=(replace(GOES, close=10 * 60), replace(MIDDELBURG, open=10 * 60, close=12 * 60)),
        s=one_day,
    )
    result, report = solve(problem)
    assert rows(result) == [
        ("a", "2027-09-10", "09:00", "goes"),
        ("a", "2027-09-10", "10:45", "middelburg"),
    ]
    assert (report.figures.trips, report.figures.idle_minutes) == (1, 45)
    assert report.figures.travel_km == pytest.approx(49.406, abs=0.001)


def test_min_gap_zero_three_meetings_in_two_slots_is_proven_infeasible() -> None:
    """``goes`` open 09:00-11:15 holds two 60-minute meetings with the changeover;
    a third meeting of the same network on the only date cannot fit: proven."""
    one_day = settings(start=date(2027, 9, 10), end=date(2027, 9, 10))
    problem = problem_of(
        (network("a", meetings=3, min_gap_days=0),),
        (at_goes("p"),),
        (Membership("a", "p"),),
        venues=(replace(GOES, close=11 * 60 + 15),),
        s=one_day,
    )
    assert explanation_of(problem)


@pytest.mark.parametrize(("changeover", "b_start", "idle"), [(15, "10:15", 15), (0, "10:00", 0)])
def test_clash_shared_member_never_double_booked(changeover: int, b_start: str, idle: int) -> None:
    # a must start at 09:00; b shares required p (living at Goes). Without
    # the clash rule b would also start at 09:00 (no idle). It follows a
    # after the changeover instead; one trip (100) plus 5 x idle beats a
    # second trip (100 + 1 more day of spread).
    problem = problem_of(
        (network("a", **NINE), network("b")),
        (at_goes("p"),),
        (Membership("a", "p"), Membership("b", "p")),
        s=settings(changeover=changeover),
    )
    result, _ = solve(problem)
    assert_plan(
        result,
        [("a", "2027-09-20", "09:00", "goes"), ("b", "2027-09-20", b_start, "goes")],
        figs(trips=1, idle=idle, spread=2),
    )


def fixed_pair(b_start: int) -> Problem:
    """``a`` and ``b`` share ``p`` (at Goes) and have 2 meetings each, one fixed on Mon 09-20.

    a's is at goes 09:00-10:00, b's at middelburg at ``b_start``. Goes ->
    Middelburg: 24.703 road km, 25 minutes; with the changeover b may start
    at 10:00 + 25 + 15 = 10:40 at the earliest (10:45 on the grid).
    """
    day = date(2027, 9, 20)
    return problem_of(
        (
            network("a", meetings=2),
            network("b", meetings=2, venues=("goes", "middelburg")),
        ),
        (at_goes("p"),),
        (Membership("a", "p"), Membership("b", "p")),
        fixed=(
            FixedMeeting("a", day, 9 * 60, "goes"),
            FixedMeeting("b", day, b_start, "middelburg"),
        ),
    )


def test_travel_gap_between_fixed_meetings_kept() -> None:
    # b at 10:45 leaves 45 >= 40 minutes. The free meetings must be >= 7 days
    # from day 14: Mon 09-13 (day 7) is best (K = 2 points 6 and 19: 1 + 5
    # off per network; Mon 09-27 would give 8 + 2). Both free meetings share
    # one session at goes (back to back, order free).
    # p: 09-13 0 km, idle 15; 09-20 Goes -> goes -> middelburg -> Goes =
    # 0 + 24.703 + 24.703 = 49.406 km, idle 45. trips 2, spread 2 x 6.
    # Objective: 494.06 + 200 + 300 + 12 = 1006.06.
    result, _ = solve(fixed_pair(10 * 60 + 45))
    assert figures(result) == figs(km=49.41, trips=2, idle=60, spread=12)
    assert result.objective == pytest.approx(1006060, abs=1)
    fixed_rows = [r for r in rows(result) if r[1] == "2027-09-20"]
    assert fixed_rows == [
        ("a", "2027-09-20", "09:00", "goes"),
        ("b", "2027-09-20", "10:45", "middelburg"),
    ]
    assert sorted((r[0], r[1], r[3]) for r in rows(result) if r[1] != "2027-09-20") == [
        ("a", "2027-09-13", "goes"),
        ("b", "2027-09-13", "goes"),
    ]


def test_travel_gap_too_short_is_infeasible() -> None:
    # b at 10:30 leaves 30 < 40 minutes: no plan, and the explanation names both.
    text = explanation_of(fixed_pair(10 * 60 + 30))
    assert "'a'" in text
    assert "'b'" in text


@pytest.mark.parametrize(
    ("cap", "trips", "idle", "spread"),
    [
        # cap 3: three on Mon 09-20 (idle 2 x 15, spread 3 x 1) and one on
        # Fri 09-17 or Tue 09-21 (2 off): 2 round trips of 50 km.
        # 1000 + 200 + 150 + 5 = 1355.
        (3, 2, 30, 5),
        # cap 4: all four on Mon 09-20: 500 + 100 + 3 x 15 x 5 + 4 = 829.
        (4, 1, 45, 4),
    ],
)
def test_per_day_cap(cap: int, trips: int, idle: int, spread: int) -> None:
    nets = tuple(network(n) for n in "abcd")
    problem = problem_of(
        nets,
        (person("p"),),
        tuple(Membership(n.id, "p") for n in nets),
        travel=(TravelOverride("p", "goes", 25.0),),
        s=settings(max_meetings_per_day=cap),
    )
    result, _ = solve(problem, time_limit=30)  # the optimality proof takes a few det. s
    assert figures(result) == figs(km=50.0 * trips, trips=trips, idle=idle, spread=spread)
    assert result.objective == pytest.approx(objective(figures(result)), abs=1)
    per_day = Counter(day for _, day, _, _ in rows(result))
    assert per_day["2027-09-20"] == min(cap, 4)
    assert set(per_day) - {"2027-09-20"} <= {"2027-09-17", "2027-09-21"}


@pytest.mark.parametrize(
    ("rooms", "b_earliest", "b_day"),
    [
        (1, 9 * 60, "2027-09-21"),  # the one room is taken 09:00-10:15
        (2, 9 * 60, "2027-09-20"),  # a second room
        (1, 10 * 60, "2027-09-21"),  # still occupied: changeover after a's end
        (1, 10 * 60 + 15, "2027-09-20"),  # free again at 10:15
    ],
)
def test_rooms(rooms: int, b_earliest: int, b_day: str) -> None:
    # a meets on Mondays 09:00-10:00 only (Mon 09-20 is 1 off; 09-13 is 6
    # off), so it occupies goes until 10:15. b (other members) may only
    # start at b_earliest, Mon-Thu: Mon 09-20 (1 off), else Tue 09-21 (2 off,
    # Thu 09-16 is 3 off); moving a instead would cost 5 more.
    problem = problem_of(
        (
            network("a", weekdays=frozenset({0}), **NINE),
            network(
                "b",
                weekdays=frozenset({0, 1, 2, 3}),
                earliest=b_earliest,
                latest=b_earliest + 60,
            ),
        ),
        (at_goes("q"), at_goes("s")),
        (Membership("a", "q"), Membership("b", "s")),
        venues=(replace(GOES, rooms=rooms), MIDDELBURG),
    )
    result, _ = solve(problem)
    expected = sorted(
        [("a", "2027-09-20", "09:00", "goes"), ("b", b_day, fmt_time(b_earliest), "goes")],
        key=lambda r: (r[1], r[2], r[3]),
    )
    assert_plan(result, expected, figs(trips=2, spread=2 if b_day == "2027-09-20" else 3))


@pytest.mark.parametrize(
    ("capacity", "venue_id", "km"), [(2, "middelburg", 40.0), (3, "goes", 0.0)]
)
def test_capacity_counts_optional_members(capacity: int, venue_id: str, km: float) -> None:
    # a has required p and optional r1, r2: 3 seats. p lives at Goes and 20
    # km from middelburg; a goes to middelburg only if goes seats fewer than 3.
    problem = problem_of(
        (network("a", venues=("goes", "middelburg"), **NINE),),
        (at_goes("p"), at_goes("r1"), at_goes("r2")),
        (
            Membership("a", "p"),
            Membership("a", "r1", Role.OPTIONAL),
            Membership("a", "r2", Role.OPTIONAL),
        ),
        venues=(replace(GOES, capacity=capacity), MIDDELBURG),
        travel=(TravelOverride("p", "middelburg", 20.0),),
    )
    result, _ = solve(problem)
    assert_plan(result, [("a", "2027-09-20", "09:00", venue_id)], figs(km=km, trips=1, spread=1))


def test_fixed_meeting_kept_and_counted() -> None:
    # a has 2 meetings, one fixed on Wed 09-08 (day 2) 09:00 at middelburg
    # (20 km from p). The free one must be >= 7 days later; K = 2 points 6
    # and 19: the fixed one is 4 off, the free one on Fri 09-24 (day 18) 1
    # off, at goes (0 km). Without the fixed meeting: 09-13 and 09-24 at goes.
    # Objective: 40 km x 10 + 2 trips x 100 + spread 5 = 605.
    problem = problem_of(
        (network("a", meetings=2, venues=("goes", "middelburg"), **NINE),),
        (at_goes("p"),),
        (Membership("a", "p"),),
        fixed=(FixedMeeting("a", date(2027, 9, 8), 9 * 60, "middelburg"),),
        travel=(TravelOverride("p", "middelburg", 20.0),),
    )
    result, _ = solve(problem)
    assert_plan(
        result,
        [("a", "2027-09-08", "09:00", "middelburg"), ("a", "2027-09-24", "09:00", "goes")],
        figs(km=40.0, trips=2, spread=5),
    )


def test_fixed_meeting_attracts_a_relay() -> None:
    # a is fixed on Wed 09-08 09:00 at goes; b shares p (25 km away). b joins
    # a's day at 10:15: idle 15 (75) and 11 days off its point (11) instead
    # of a second trip (100 + 500). Spread: a |2 - 13| = 11, b 11.
    # Objective: 500 + 100 + 75 + 22 = 697.
    problem = relay({}, {})
    problem = replace(problem, fixed=(FixedMeeting("a", date(2027, 9, 8), 9 * 60, "goes"),))
    result, _ = solve(problem)
    assert_plan(
        result,
        [("a", "2027-09-08", "09:00", "goes"), ("b", "2027-09-08", "10:15", "goes")],
        figs(km=50.0, trips=1, idle=15, spread=22),
    )


# ========================================================== objective terms
def test_travel_relay_same_day_same_venue_back_to_back() -> None:
    # two_networks_one_member: a (p, q) at goes; b (p, optional r) at goes or
    # middelburg. p lives in Vlissingen, 22.821 km x 1.3 = 29.667 road km
    # from Goes; q lives in Goes. Best: one session at goes on Mon 09-20,
    # back to back (idle 15). travel = 2 x 29.667 = 59.334; trips 2 (p, q).
    # Objective: 593.34 + 200 + 75 + 2 = 870.34.
    from tests.conftest import two_networks_one_member

    result, report = solve(two_networks_one_member())
    assert figures(result) == figs(km=59.33, trips=2, idle=15, spread=2)
    assert result.objective == 870340
    (first, second) = result.schedule.meetings if result.schedule else ()
    assert {first.network, second.network} == {"a", "b"}
    assert (first.date, first.venue) == (second.date, second.venue) == (date(2027, 9, 20), "goes")
    assert second.start - first.end == 15
    assert report.figures.sessions == 1


def test_idle_order_within_a_session() -> None:
    # p is in a and b, q in b and c: one session at goes on Mon 09-20 with b
    # in the middle (idle 15 for p, 15 for q). Any other order keeps one
    # of them waiting through a whole meeting. trips 2, spread 3.
    # 200 + 150 + 3 = 353 beats moving a away (300 + 75 + 4 = 379).
    problem = problem_of(
        (network("a"), network("b"), network("c")),
        (at_goes("p"), at_goes("q")),
        (
            Membership("a", "p"),
            Membership("b", "p"),
            Membership("b", "q"),
            Membership("c", "q"),
        ),
    )
    result, _ = solve(problem)
    assert figures(result) == figs(trips=2, idle=30, spread=3)
    assert result.objective == 353000
    assert result.schedule is not None
    by_net = {m.network: m for m in result.schedule}
    assert {m.date for m in result.schedule} == {date(2027, 9, 20)}
    starts = sorted(m.start for m in result.schedule)
    assert starts[1] - starts[0] == starts[2] - starts[1] == 75
    assert by_net["b"].start == starts[1]


@pytest.mark.parametrize(
    ("weight", "b_day", "clashes"),
    [(500, "2027-09-21", 0), (0, "2027-09-20", 1)],
)
def test_optional_clash_is_soft(weight: int, b_day: str, clashes: int) -> None:
    # r is required in a and optional in b; both start at 09:00 only, goes
    # has 2 rooms. a meets on Mondays (Mon 09-20, 1 off), b on Mon or Tue.
    # Default weights: a clash costs 500, so b moves to Tue 09-21 (2 off).
    # With weight 0 the clash is free and both meet on Mon 09-20: still no
    # hard violation, one optional clash.
    s = settings(weights=Weights(optional_clashes=weight))
    problem = problem_of(
        (
            network("a", weekdays=frozenset({0}), **NINE),
            network("b", weekdays=frozenset({0, 1}), **NINE),
        ),
        (at_goes("r"), at_goes("s")),
        (Membership("a", "r"), Membership("b", "s"), Membership("b", "r", Role.OPTIONAL)),
        venues=(replace(GOES, rooms=2), MIDDELBURG),
        s=s,
    )
    result, report = solve(problem)
    assert rows(result) == [
        ("a", "2027-09-20", "09:00", "goes"),
        ("b", b_day, "09:00", "goes"),
    ]
    assert figures(result) == figs(trips=2, opt=clashes, spread=2 if clashes else 3)
    assert report.figures.optional_clashes == clashes
    # objective: 200 trips + weight x clashes + spread
    assert result.objective == 1000 * (200 + weight * clashes + (2 if clashes else 3))


def test_optional_member_needs_no_changeover() -> None:
    # As above but b may start 09:00-10:00: b at 10:00 touches a's end,
    # which is no clash for optional r (and goes has 2 rooms).
    problem = problem_of(
        (
            network("a", weekdays=frozenset({0}), **NINE),
            network("b", weekdays=frozenset({0}), earliest=9 * 60, latest=11 * 60),
        ),
        (at_goes("r"), at_goes("s")),
        (Membership("a", "r"), Membership("b", "s"), Membership("b", "r", Role.OPTIONAL)),
        venues=(replace(GOES, rooms=2), MIDDELBURG),
    )
    result, _ = solve(problem)
    assert_plan(
        result,
        [("a", "2027-09-20", "09:00", "goes"), ("b", "2027-09-20", "10:00", "goes")],
        figs(trips=2, spread=2),
    )


@pytest.mark.parametrize(
    ("cost", "venue_id", "km", "paid"), [(3.0, "goes", 20.0, 3.0), (5.0, "middelburg", 24.0, 0.0)]
)
def test_venue_cost_against_travel(cost: float, venue_id: str, km: float, paid: float) -> None:
    # p lives 10 km from goes and 12 km from middelburg (free): goes saves
    # 4 km (40) and costs 10 x cost: 30 < 40 keeps goes, 50 > 40 does not.
    problem = problem_of(
        (network("a", venues=("goes", "middelburg"), **NINE),),
        (person("p"),),
        (Membership("a", "p"),),
        venues=(replace(GOES, cost=cost), MIDDELBURG),
        travel=(TravelOverride("p", "goes", 10.0), TravelOverride("p", "middelburg", 12.0)),
    )
    result, _ = solve(problem)
    assert_plan(
        result, [("a", "2027-09-20", "09:00", venue_id)], figs(km=km, trips=1, cost=paid, spread=1)
    )


def test_venue_cost_is_paid_once_per_session() -> None:
    # a (p) and b (q), no shared members, both only at goes, which costs 50
    # a day. Sharing Mon 09-20 (one room: one after the other) pays 50 once
    # (500) instead of 100 for two days. 200 + 500 + 2 = 702.
    problem = problem_of(
        (network("a"), network("b")),
        (at_goes("p"), at_goes("q")),
        (Membership("a", "p"), Membership("b", "q")),
        venues=(replace(GOES, cost=50.0), MIDDELBURG),
    )
    result, report = solve(problem)
    assert figures(result) == figs(trips=2, cost=50.0, spread=2)
    assert result.objective == 702000
    assert report.figures.sessions == 1


def test_spread_even_points() -> None:
    # K = 3: points 4 (Fri 09-10), 13 (Sun 09-19), 21 (Mon 09-27). The middle
    # one goes to Mon 09-20 (1 off; Fri 09-17 is 2 off). The gaps (10, 7)
    # respect min_gap_days 7.
    result, _ = solve(one_network(meetings=3, **NINE))
    assert rows(result) == [
        ("a", "2027-09-10", "09:00", "goes"),
        ("a", "2027-09-20", "09:00", "goes"),
        ("a", "2027-09-27", "09:00", "goes"),
    ]
    assert result.figures["spread_days"] == 1


# ============================================================== infeasible
def explanation_of(problem: Problem) -> str:
    """Plan ``problem``; require INFEASIBLE without a schedule; return the explanation."""
    result = plan(problem, SolveOptions(time_limit=5, seed=0))
    assert result.status is Status.INFEASIBLE
    assert result.schedule is None
    assert result.explanation
    return "\n".join(result.explanation)


def test_infeasible_too_few_candidate_dates() -> None:
    # Three meetings 14 days apart need 29 days; the horizon has 26.
    problem = problem_of(
        (network("crowded", meetings=3, min_gap_days=14), network("ok")),
        (at_goes("p"),),
        (Membership("crowded", "p"), Membership("ok", "p")),
    )
    text = explanation_of(problem)
    assert "'crowded'" in text
    assert "'ok'" not in text


def test_infeasible_names_the_member_who_is_never_available() -> None:
    """``p`` is unavailable on every date of the horizon (20 workdays), so network ``a``
    has no candidate date: the explanation names ``p`` and the 20 of 20 dates lost."""
    base = settings()
    days = frozenset(base.start + timedelta(days=k) for k in range(26))
    problem = problem_of(
        (network("a"),),
        (at_goes("p", unavailable=days),),
        (Membership("a", "p"),),
    )
    text = explanation_of(problem)
    assert "only 0 fit on its 0 candidate dates" in text
    assert "Dates its required members cannot come: P (p): 20 of 20." in text


def test_infeasible_venue_too_small() -> None:
    problem = problem_of(
        (network("big"),),
        (at_goes("p"), at_goes("q"), at_goes("r")),
        (Membership("big", "p"), Membership("big", "q"), Membership("big", "r", Role.OPTIONAL)),
        venues=(replace(GOES, capacity=2), MIDDELBURG),
    )
    assert "'big'" in explanation_of(problem)


def test_infeasible_shared_members_cannot_both_fit() -> None:
    # Horizon Mon 09-20 .. Fri 09-24: a and b meet on Mondays 09:00 only and
    # share p: they would clash. c is unrelated and plannable.
    s = settings(start=date(2027, 9, 20), end=date(2027, 9, 24))
    monday = {"weekdays": frozenset({0}), **NINE}
    problem = problem_of(
        (network("a", **monday), network("b", **monday), network("c", venues=("middelburg",))),
        (at_goes("p"), at_goes("q")),
        (Membership("a", "p"), Membership("b", "p"), Membership("c", "q")),
        s=s,
    )
    text = explanation_of(problem)
    assert "'a'" in text
    assert "'b'" in text
    assert "'c'" not in text


def test_infeasible_per_day_cap_is_named_as_relaxation() -> None:
    # A one-day horizon and p in four networks: the cap of 3 a day cannot hold.
    s = settings(start=date(2027, 9, 20), end=date(2027, 9, 20))
    nets = tuple(network(n) for n in "abcd")
    problem = problem_of(nets, (at_goes("p"),), tuple(Membership(n.id, "p") for n in nets), s=s)
    text = explanation_of(problem)
    assert all(f"'{n}'" in text for n in "abcd")
    assert "max_meetings_per_day" in text


# ====================================================== fixed meetings alone
def test_network_with_every_meeting_fixed() -> None:
    # a's only meeting is agreed: Mon 09-20 09:00 at goes. The plan is just
    # that meeting: 1 trip, 1 day off its point (day 13). Objective 101.
    problem = replace(
        one_network(**NINE), fixed=(FixedMeeting("a", date(2027, 9, 20), 9 * 60, "goes"),)
    )
    result, _ = solve(problem)
    assert_plan(result, [("a", "2027-09-20", "09:00", "goes")], figs(trips=1, spread=1))


BROKEN_FIXED: dict[str, dict[str, Any]] = {
    # each case: a fixed meeting of a that breaks one rule of its own
    "horizon": {"day": date(2027, 10, 4)},
    "venue_list": {"venue": "middelburg"},
    "venue_closed-date": {"goes": {"unavailable": frozenset({date(2027, 9, 20)})}},
    "venue_closed-weekday": {"goes": {"weekdays": frozenset({1, 2, 3, 4})}},
    "venue_closed-hours": {"goes": {"open": 10 * 60}},
    "unavailable": {"away": frozenset({date(2027, 9, 20)})},
    "window": {"net": {"earliest": 10 * 60}},
    "grid": {"start": 9 * 60 + 5},
    "weekday": {"net": {"weekdays": frozenset({1, 2, 3, 4})}},
    "capacity": {"goes": {"capacity": 1}},
}


@pytest.mark.parametrize("case", list(BROKEN_FIXED), ids=list(BROKEN_FIXED))
def test_fixed_meeting_that_breaks_a_rule_is_infeasible(case: str) -> None:
    # a has 2 meetings (p required, q optional, both at Goes), venues goes
    # (or middelburg where the case needs a second venue); one meeting is
    # fixed on Mon 09-20 09:00 at goes, except for what the case changes.
    # No plan can keep that meeting without a hard violation, so the planner
    # must say so (INFEASIBLE, naming 'a') rather than return a plan that
    # the checker rejects.
    c = BROKEN_FIXED[case]
    net = {"meetings": 2, "venues": ("goes",), **c.get("net", {})}
    if case == "capacity":
        net["venues"] = ("goes", "middelburg")
    problem = problem_of(
        (network("a", **net),),
        (at_goes("p", unavailable=c.get("away", frozenset())), at_goes("q")),
        (Membership("a", "p"), Membership("a", "q", Role.OPTIONAL)),
        venues=(replace(GOES, **c.get("goes", {})), MIDDELBURG),
        fixed=(
            FixedMeeting(
                "a",
                c.get("day", date(2027, 9, 20)),
                c.get("start", 9 * 60),
                c.get("venue", "goes"),
            ),
        ),
    )
    result = plan(problem, SolveOptions(time_limit=5, seed=0))
    if result.schedule is not None:
        kinds = {k: n for k, n in check(problem, result.schedule).by_kind.items() if n}
        pytest.fail(f"planned ({result.status.value}) with hard violations {kinds}")
    assert result.status is Status.INFEASIBLE
    assert "'a'" in " ".join(result.explanation)


# ================================================= networks without members
def test_networks_without_members_are_planned() -> None:
    # The contract allows a network without members. Three such networks
    # with 14 meetings each (42 free meetings, at least a day apart, 20
    # workdays) are more than the planner searches as one model, so the
    # large-neighbourhood search runs. Nobody travels: every person figure
    # is 0; goes (one room) holds at most 7 meetings (60 + 15 minutes) a day.
    problem = problem_of(
        tuple(network(n, meetings=14, min_gap_days=1) for n in "abc"),
        (at_goes("p"),),
        (),
    )
    result = plan(problem, SolveOptions(time_limit=1, seed=0))
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE), result.explanation
    report = judged(problem, result)
    assert len(rows(result)) == 42
    assert (report.figures.travel_km, report.figures.trips, report.figures.idle_minutes) == (
        0.0,
        0,
        0,
    )


# ============================================================ solver status
def test_search_without_the_exact_model_never_claims_optimal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above WHOLE_MAX_PAIRS the planner searches by neighbourhoods and proves nothing."""
    # Forced here on a tiny instance: a (09:00-10:00) and b (16:00-17:00)
    # share p (at Goes). One day: 1 trip (100) + idle 360 (1800) + spread 2;
    # two days: 2 trips (200) + spread 1 + 2 = 203, the optimum. The plan
    # must pass the checker and the status must be FEASIBLE, without bound.
    import planner.solver.solve as solve_module

    monkeypatch.setattr(solve_module, "WHOLE_MAX_PAIRS", 0)
    problem = problem_of(
        (network("a", **NINE), network("b", earliest=16 * 60, latest=17 * 60)),
        (at_goes("p"),),
        (Membership("a", "p"), Membership("b", "p")),
    )
    result = plan(problem, SolveOptions(time_limit=5, seed=0))
    judged(problem, result)
    assert result.status is Status.FEASIBLE
    assert result.bound is None
    assert result.objective == pytest.approx(203000, abs=1)


# ================================================================= preferences
# One venue per person per day and even spacing are preferences (costs), never
# restrictions: on these tiny instances the best plan breaks them, and the
# planner finds it and proves it optimal.
def objective_of(report: CheckReport) -> float:
    """Objective (default weights, model units) of a checked schedule."""
    f = report.figures
    return objective(
        {
            "travel_km": f.travel_km,
            "trips": f.trips,
            "idle_minutes": f.idle_minutes,
            "optional_clashes": f.optional_clashes,
            "venue_cost": f.venue_cost,
            "spread_days": f.spread_days,
            "long_waits": f.long_waits,
        }
    )


def test_two_venues_on_one_day_when_that_is_cheapest() -> None:
    """A member goes from one venue to another on one day when that beats two trips."""
    # a may only use goes (09:00-10:00), b only middelburg; p lives 50 km
    # from each. By hand: Mon 09-20 a 09:00 goes, b 10:45 middelburg (25
    # travel + 15 changeover after 10:00): 50 + 24.703 + 50 = 124.703 km,
    # 1 trip, idle 45, spread 2: 1247.03 + 100 + 225 + 2 = 1574.03.
    # Two days would cost 200 km, 2 trips, spread 3: 2203. The planner finds
    # the one-day plan.
    from tests.conftest import schedule_of

    problem = problem_of(
        (network("a", **NINE), network("b", venues=("middelburg",))),
        (person("p"),),
        (Membership("a", "p"), Membership("b", "p")),
        travel=(TravelOverride("p", "goes", 50.0), TravelOverride("p", "middelburg", 50.0)),
    )
    hand = check(
        problem,
        schedule_of(
            problem,
            ("a", "2027-09-20", "09:00", "goes"),
            ("b", "2027-09-20", "10:45", "middelburg"),
        ),
    )
    assert hand.hard_violations == 0
    assert objective_of(hand) == pytest.approx(1574030, abs=1)
    result, _ = solve(problem)
    assert result.objective is not None
    assert result.objective == pytest.approx(objective_of(hand), abs=1)


def test_meetings_leave_their_part_of_the_year_when_that_is_cheapest() -> None:
    """A network's second meeting may fall in the first half of the year."""
    # c can only meet on Mon 09-06 (q is away the other Mondays), d only on
    # Mon 09-13 (s likewise); b has 2 meetings (10:15-11:15) and shares p
    # (25 km from goes) with both. By hand b joins c on 09-06 and d on 09-13
    # (7 days apart): p travels twice: 100 km, 4 trips (p 2, q, s), idle 30,
    # spread b 6 + 12, c 13, d 6 = 37: 1000 + 400 + 150 + 37 = 1587.
    # Keeping b's second meeting in the second part of the horizon (b joins d
    # on 09-13 and meets alone on Fri 09-24) would cost 2096.
    from tests.conftest import schedule_of

    mondays = {"weekdays": frozenset({0}), **NINE}
    problem = problem_of(
        (
            network("b", meetings=2, earliest=10 * 60 + 15, latest=11 * 60 + 15),
            network("c", **mondays),
            network("d", **mondays),
        ),
        (
            person("p"),
            at_goes("q", unavailable=frozenset(date(2027, 9, d) for d in (13, 20, 27))),
            at_goes("s", unavailable=frozenset(date(2027, 9, d) for d in (6, 20, 27))),
        ),
        (
            Membership("b", "p"),
            Membership("c", "p"),
            Membership("c", "q"),
            Membership("d", "p"),
            Membership("d", "s"),
        ),
        travel=(TravelOverride("p", "goes", 25.0),),
    )
    hand = check(
        problem,
        schedule_of(
            problem,
            ("c", "2027-09-06", "09:00", "goes"),
            ("b", "2027-09-06", "10:15", "goes"),
            ("d", "2027-09-13", "09:00", "goes"),
            ("b", "2027-09-13", "10:15", "goes"),
        ),
    )
    assert hand.hard_violations == 0
    assert objective_of(hand) == pytest.approx(1587000, abs=1)
    result, _ = solve(problem)
    assert result.objective is not None
    assert result.objective == pytest.approx(objective_of(hand), abs=1)
