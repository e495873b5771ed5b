"""The judge: each hard rule counted exactly as the contract says, and the figures.

Most tests use :func:`tests.conftest.two_networks_one_member`: horizon
2027-09-06 (Mon) .. 2027-10-01 (Fri), no holidays, slot 15, changeover 15,
``min_gap_days`` 7, at most 3 meetings a day; network ``a`` (required ``p``,
``q``; venue ``goes``) and ``b`` (required ``p``, optional ``r``; venues
``goes``, ``middelburg``), each one 60-minute meeting. ``p`` and ``r`` live in
Vlissingen, ``q`` in Goes.

Travel Goes <-> Middelburg: great-circle 19.0023 km x 1.3 = 24.703 km, at
60 km/h 24.703 minutes, rounded up 25 minutes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as settings_
from hypothesis import strategies as st

from planner.check import (
    KINDS,
    Distances,
    ceil_minutes,
    check,
    great_circle_km,
    ratios,
    travel_km_between,
    travel_minutes_between,
    violations_of,
)
from planner.problem import (
    FixedMeeting,
    Membership,
    Problem,
    Role,
    Together,
    TravelOverride,
)
from planner.schedule import Schedule
from tests.conftest import (
    GOES,
    MIDDELBURG,
    network,
    person,
    schedule_of,
    settings,
    two_networks_one_member,
    venue,
)

Row = tuple[str, ...]

# a at Goes on Monday, b at Middelburg on Wednesday: breaks nothing.
GOOD: tuple[Row, ...] = (
    ("a", "2027-09-06", "09:00", "goes"),
    ("b", "2027-09-08", "11:00", "middelburg"),
)


def only(kind: str, n: int = 1) -> dict[str, int]:
    """``by_kind`` with ``n`` of ``kind`` and 0 of every other kind."""
    return {k: (n if k == kind else 0) for k in KINDS}


NONE = {k: 0 for k in KINDS}


def tiny(**kw: Any) -> Problem:
    """:func:`two_networks_one_member` with some fields replaced."""
    return replace(two_networks_one_member(), **kw)


def with_network(**kw: Any) -> Problem:
    """The tiny problem with network ``a`` changed."""
    return tiny(networks=(network("a", **kw), network("b", venues=("goes", "middelburg"))))


def with_goes(**kw: Any) -> Problem:
    """The tiny problem with venue ``goes`` changed."""
    return tiny(venues=(replace(GOES, **kw), MIDDELBURG))


def with_settings(**kw: Any) -> Problem:
    """The tiny problem with settings changed."""
    return tiny(settings=settings(**kw))


# (name, problem, rows breaking the rule once, twin rows breaking nothing, kind)
CASES: list[tuple[str, Callable[[], Problem], tuple[Row, ...], tuple[Row, ...], str]] = [
    # b has no meeting: network b has 0 of its 1 meeting.
    ("count-missing", two_networks_one_member, GOOD[:1], GOOD, "count"),
    # network zz is not in the input: one count for the id (Friday 09:00 at Goes is free).
    (
        "count-unknown-network",
        two_networks_one_member,
        (*GOOD, ("zz", "2027-09-10", "09:00", "goes")),
        GOOD,
        "count",
    ),
    # Monday 2027-10-04 is after end 2027-10-01; Friday 2027-10-01 is the last day.
    (
        "horizon",
        two_networks_one_member,
        (("a", "2027-10-04", "09:00", "goes"), GOOD[1]),
        (("a", "2027-10-01", "09:00", "goes"), GOOD[1]),
        "horizon",
    ),
    # a may start at 10:00 at the earliest.
    (
        "window",
        lambda: with_network(earliest=10 * 60),
        GOOD,
        (("a", "2027-09-06", "10:00", "goes"), GOOD[1]),
        "window",
    ),
    # 09:10 is not a whole number of 15-minute slots after 09:00.
    (
        "grid-slot",
        two_networks_one_member,
        (("a", "2027-09-06", "09:10", "goes"), GOOD[1]),
        (("a", "2027-09-06", "09:15", "goes"), GOOD[1]),
        "grid",
    ),
    # 90 minutes instead of the network's 60.
    (
        "grid-end",
        two_networks_one_member,
        (("a", "2027-09-06", "09:00", "goes", "10:30"), GOOD[1]),
        GOOD,
        "grid",
    ),
    # Off the grid and the wrong length: still one count for the meeting.
    (
        "grid-both",
        two_networks_one_member,
        (("a", "2027-09-06", "09:10", "goes", "10:00"), GOOD[1]),
        GOOD,
        "grid",
    ),
    # day_start 10:00: 09:45 is -1 slot (a negative multiple is fine), 09:50 is not.
    (
        "grid-negative-multiple",
        lambda: with_settings(day_start=10 * 60),
        (("a", "2027-09-06", "09:50", "goes"), GOOD[1]),
        (("a", "2027-09-06", "09:45", "goes"), GOOD[1]),
        "grid",
    ),
    # a meets on Monday and Tuesday only; 2027-09-08 is a Wednesday.
    (
        "weekday",
        lambda: with_network(weekdays=frozenset({0, 1})),
        (("a", "2027-09-08", "09:00", "goes"), GOOD[1]),
        (("a", "2027-09-07", "09:00", "goes"), GOOD[1]),
        "weekday",
    ),
    # a may use Goes only.
    (
        "venue_list",
        two_networks_one_member,
        (("a", "2027-09-06", "09:00", "middelburg"), GOOD[1]),
        GOOD,
        "venue_list",
    ),
    # an unknown venue.
    (
        "venue_list-unknown",
        two_networks_one_member,
        (("a", "2027-09-06", "09:00", "nowhere"), GOOD[1]),
        GOOD,
        "venue_list",
    ),
    # Goes is closed on 2027-09-06.
    (
        "venue_closed-date",
        lambda: with_goes(unavailable=frozenset({date(2027, 9, 6)})),
        GOOD,
        (("a", "2027-09-07", "09:00", "goes"), GOOD[1]),
        "venue_closed",
    ),
    # Goes opens at 10:00.
    (
        "venue_closed-hours",
        lambda: with_goes(open=10 * 60),
        GOOD,
        (("a", "2027-09-06", "10:00", "goes"), GOOD[1]),
        "venue_closed",
    ),
    # Goes is closed on Fridays (2027-09-10) and at 09:00: two reasons, one count.
    (
        "venue_closed-weekday-and-hours",
        lambda: with_goes(weekdays=frozenset({0, 1, 2, 3}), open=10 * 60),
        (("a", "2027-09-10", "09:00", "goes"), GOOD[1]),
        (("a", "2027-09-09", "10:00", "goes"), GOOD[1]),
        "venue_closed",
    ),
    # p (required in a) is unavailable on 2027-09-06; r (optional in b) is
    # unavailable on b's date, which does not count.
    (
        "unavailable",
        lambda: tiny(
            people=(
                person("p", unavailable=frozenset({date(2027, 9, 6)})),
                person("q", 51.5040, 3.8880),
                person("r", unavailable=frozenset({date(2027, 9, 8)})),
            )
        ),
        GOOD,
        (("a", "2027-09-07", "09:00", "goes"), GOOD[1]),
        "unavailable",
    ),
    # v1.1 time range: p is unavailable 2027-09-06 10:00-11:00; a at 09:15-10:15
    # overlaps it by 15 minutes (one count: p and a). The twin puts a at
    # 09:00-10:00, whose end touches the range's start: no overlap. r (optional
    # in b) is unavailable all of b's day, which does not count.
    (
        "unavailable-time",
        lambda: tiny(
            people=(
                person("p", unavailable_times=frozenset({(date(2027, 9, 6), 600, 660)})),
                person("q", 51.5040, 3.8880),
                person("r", unavailable_times=frozenset({(date(2027, 9, 8), 0, 1440)})),
            )
        ),
        (("a", "2027-09-06", "09:15", "goes"), GOOD[1]),
        GOOD,
        "unavailable",
    ),
    # v1.1 time range and date on one meeting: p is unavailable on 2027-09-06
    # and 09:00-12:00 that day; still one count for (p, a).
    (
        "unavailable-date-and-time",
        lambda: tiny(
            people=(
                person(
                    "p",
                    unavailable=frozenset({date(2027, 9, 6)}),
                    unavailable_times=frozenset({(date(2027, 9, 6), 540, 720)}),
                ),
                person("q", 51.5040, 3.8880),
                person("r"),
            )
        ),
        GOOD,
        (("a", "2027-09-07", "09:00", "goes"), GOOD[1]),
        "unavailable",
    ),
    # v1.1 time range: Goes is closed 2027-09-06 08:00-09:15, a at 09:00 overlaps
    # it; at 09:15 a starts where the range ends (touching): open.
    (
        "venue_closed-time",
        lambda: with_goes(unavailable_times=frozenset({(date(2027, 9, 6), 480, 555)})),
        GOOD,
        (("a", "2027-09-06", "09:15", "goes"), GOOD[1]),
        "venue_closed",
    ),
    # v1.1 hard relay wish a;b once: in GOOD a and b meet on different dates, so
    # no session holds it (one count). The twin puts b at Goes right after a
    # (10:15 = 10:00 + 15 changeover; p travels 0 minutes): session
    # 2027-09-06@goes holds it.
    (
        "together",
        lambda: tiny(together=(Together(("a", "b"), 1, hard=True),)),
        GOOD,
        (GOOD[0], ("b", "2027-09-06", "10:15", "goes")),
        "together",
    ),
    # v1.1 hard relay wish b;a in that order: a 09:00-10:00 then b 10:15 at Goes
    # is the wrong order (b's first meeting does not end before a's starts);
    # b 09:00-10:00 then a 10:15 holds it.
    (
        "together-order",
        lambda: tiny(together=(Together(("b", "a"), 1, order=True, hard=True),)),
        (GOOD[0], ("b", "2027-09-06", "10:15", "goes")),
        (("b", "2027-09-06", "09:00", "goes"), ("a", "2027-09-06", "10:15", "goes")),
        "together",
    ),
    # a has 2 meetings 4 days apart (< 7); the twin has them exactly 7 days apart.
    (
        "min_gap",
        lambda: with_network(meetings=2),
        (("a", "2027-09-06", "09:00", "goes"), ("a", "2027-09-10", "09:00", "goes"), GOOD[1]),
        (("a", "2027-09-06", "09:00", "goes"), ("a", "2027-09-13", "09:00", "goes"), GOOD[1]),
        "min_gap",
    ),
    # p is required in a (09:00-10:00) and b (09:30-10:30) on one day: one
    # (person, pair). The twin puts b at 11:00: 60 minutes >= 25 travel + 15.
    (
        "clash",
        two_networks_one_member,
        (GOOD[0], ("b", "2027-09-06", "09:30", "middelburg")),
        (GOOD[0], ("b", "2027-09-06", "11:00", "middelburg")),
        "clash",
    ),
    # a ends 10:00 at Goes, b starts 10:30 at Middelburg: 30 < 25 + 15 = 40.
    # At 10:45 the gap is 45 >= 40.
    (
        "travel_gap",
        two_networks_one_member,
        (GOOD[0], ("b", "2027-09-06", "10:30", "middelburg")),
        (GOOD[0], ("b", "2027-09-06", "10:45", "middelburg")),
        "travel_gap",
    ),
    # At most 1 meeting a day: p has 2 on 2027-09-06 (60 minutes apart, no travel gap).
    (
        "per_day_cap",
        lambda: with_settings(max_meetings_per_day=1),
        (GOOD[0], ("b", "2027-09-06", "11:00", "middelburg")),
        GOOD,
        "per_day_cap",
    ),
    # No shared member (a: q; b: p, r optional). a holds Goes 09:00-10:00 plus
    # 15 minutes changeover, so b starting at 10:00 finds its only room taken;
    # at 10:15 it is free.
    (
        "rooms",
        lambda: tiny(
            memberships=(
                Membership("a", "q"),
                Membership("b", "p"),
                Membership("b", "r", Role.OPTIONAL),
            )
        ),
        (GOOD[0], ("b", "2027-09-06", "10:00", "goes")),
        (GOOD[0], ("b", "2027-09-06", "10:15", "goes")),
        "rooms",
    ),
    # b has 2 members (p required, r optional: optional members count) and
    # Middelburg holds 1; Goes holds 2.
    (
        "capacity",
        lambda: tiny(venues=(replace(GOES, capacity=2), replace(MIDDELBURG, capacity=1))),
        GOOD,
        (GOOD[0], ("b", "2027-09-08", "11:00", "goes")),
        "capacity",
    ),
    # a's meeting is agreed on 2027-09-07 at 09:00 in Goes.
    (
        "fixed",
        lambda: tiny(fixed=(FixedMeeting("a", date(2027, 9, 7), 9 * 60, "goes"),)),
        GOOD,
        (("a", "2027-09-07", "09:00", "goes"), GOOD[1]),
        "fixed",
    ),
]


def test_cases_cover_every_kind() -> None:
    assert {case[4] for case in CASES} == set(KINDS) - {"holiday"}  # holiday: see below


def test_good_schedule_breaks_nothing() -> None:
    report = check(two_networks_one_member(), schedule_of(two_networks_one_member(), *GOOD))
    assert dict(report.by_kind) == NONE
    assert report.hard_violations == 0
    assert report.violations == ()


@pytest.mark.parametrize(
    ("make", "broken", "kind"), [(c[1], c[2], c[4]) for c in CASES], ids=[c[0] for c in CASES]
)
def test_rule_broken_once(make: Callable[[], Problem], broken: tuple[Row, ...], kind: str) -> None:
    problem = make()
    report = check(problem, schedule_of(problem, *broken))
    assert dict(report.by_kind) == only(kind)
    assert report.hard_violations == 1
    assert [v.kind for v in report.violations] == [kind]
    assert len(violations_of(problem, schedule_of(problem, *broken), kind)) == 1


@pytest.mark.parametrize(
    ("make", "fixed"), [(c[1], c[3]) for c in CASES], ids=[c[0] for c in CASES]
)
def test_fixed_twin_breaks_nothing(make: Callable[[], Problem], fixed: tuple[Row, ...]) -> None:
    problem = make()
    report = check(problem, schedule_of(problem, *fixed))
    assert dict(report.by_kind) == NONE


def _holiday_problem(region: str = "midden") -> Problem:
    """Horizon 2027-10-11..2027-11-05 with school holidays on.

    The autumn break of region midden is 2027-10-16..2027-10-24, of region
    zuid 2027-10-23..2027-10-31 (the ``holidays`` package).
    """
    return tiny(
        settings=settings(start=date(2027, 10, 11), end=date(2027, 11, 5), school_holidays=True),
        networks=(
            network("a", region=region),
            network("b", venues=("goes", "middelburg"), region=region),
        ),
    )


def test_holiday_broken_once_and_twin() -> None:
    # Monday 2027-10-18 is in the midden autumn break; Monday 2027-10-25 is not.
    problem = _holiday_problem()
    b = ("b", "2027-10-26", "11:00", "middelburg")
    broken = check(problem, schedule_of(problem, ("a", "2027-10-18", "09:00", "goes"), b))
    assert dict(broken.by_kind) == only("holiday")
    assert broken.violations[0].date == date(2027, 10, 18)
    fixed = check(problem, schedule_of(problem, ("a", "2027-10-25", "09:00", "goes"), b))
    assert dict(fixed.by_kind) == NONE


def test_holiday_depends_on_the_networks_region() -> None:
    # In region zuid the autumn break is 2027-10-23..31: 2027-10-18 is free,
    # 2027-10-26 (b) is not.
    problem = _holiday_problem("zuid")
    report = check(
        problem,
        schedule_of(
            problem,
            ("a", "2027-10-18", "09:00", "goes"),
            ("b", "2027-10-26", "11:00", "middelburg"),
        ),
    )
    assert dict(report.by_kind) == only("holiday")
    assert report.violations[0].meetings == ("b-1",)


def test_public_holiday() -> None:
    # Friday 2028-04-14 is Good Friday (Goede vrijdag), a public holiday.
    problem = tiny(
        settings=settings(start=date(2028, 4, 10), end=date(2028, 4, 21), public_holidays=True)
    )
    report = check(
        problem,
        schedule_of(
            problem,
            ("a", "2028-04-14", "09:00", "goes"),
            ("b", "2028-04-18", "09:00", "goes"),
        ),
    )
    assert dict(report.by_kind) == only("holiday")
    assert "Goede vrijdag" in report.violations[0].reason


def test_clash_counts_one_per_person_and_pair() -> None:
    # a, b, c each have required p and q and meet at 09:00 on one day at three
    # venues: 2 people x 3 pairs = 6 clashes (no rooms problem, 3 a day allowed).
    vlissingen = venue("vlissingen", 51.4426, 3.5736)
    nets = ("a", "b", "c")
    problem = Problem(
        settings=settings(),
        networks=tuple(network(n, venues=("goes", "middelburg", "vlissingen")) for n in nets),
        people=(person("p"), person("q")),
        venues=(GOES, MIDDELBURG, vlissingen),
        memberships=tuple(Membership(n, x) for n in nets for x in ("p", "q")),
    )
    schedule = schedule_of(
        problem,
        ("a", "2027-09-06", "09:00", "goes"),
        ("b", "2027-09-06", "09:00", "middelburg"),
        ("c", "2027-09-06", "09:00", "vlissingen"),
    )
    report = check(problem, schedule)
    assert dict(report.by_kind) == only("clash", 6)
    assert sorted((v.person, v.meetings) for v in report.violations) == [
        ("p", ("a-1", "b-1")),
        ("p", ("a-1", "c-1")),
        ("p", ("b-1", "c-1")),
        ("q", ("a-1", "b-1")),
        ("q", ("a-1", "c-1")),
        ("q", ("b-1", "c-1")),
    ]


def _three_at_goes(rooms: int) -> tuple[Problem, Schedule]:
    # Networks a, b, c with one different member each, all at Goes at 09:00.
    nets = ("a", "b", "c")
    problem = Problem(
        settings=settings(),
        networks=tuple(network(n) for n in nets),
        people=tuple(person(x) for x in ("p", "q", "s")),
        venues=(replace(GOES, rooms=rooms),),
        memberships=(Membership("a", "p"), Membership("b", "q"), Membership("c", "s")),
    )
    return problem, schedule_of(problem, *((n, "2027-09-06", "09:00", "goes") for n in nets))


def test_rooms_meetings_starting_together() -> None:
    # One room: the 2nd finds 1 before it, the 3rd finds 2: 2 counts.
    problem, schedule = _three_at_goes(1)
    report = check(problem, schedule)
    assert dict(report.by_kind) == only("rooms", 2)
    assert [v.meetings[-1] for v in report.violations] == ["b-1", "c-1"]
    # Two rooms: only the 3rd finds 2 (>= 2) before it.
    problem, schedule = _three_at_goes(2)
    assert dict(check(problem, schedule).by_kind) == only("rooms", 1)
    # Three rooms: none.
    problem, schedule = _three_at_goes(3)
    assert dict(check(problem, schedule).by_kind) == NONE


def test_travel_gap_same_venue_needs_the_changeover() -> None:
    # Back to back at one venue (rooms 2, so the room is not the issue): p
    # needs 0 travel + 15 changeover; a gap of 0 is a travel gap, 15 is not.
    problem = tiny(venues=(replace(GOES, rooms=2), MIDDELBURG))
    a = ("a", "2027-09-06", "09:00", "goes")
    tight = check(problem, schedule_of(problem, a, ("b", "2027-09-06", "10:00", "goes")))
    assert dict(tight.by_kind) == only("travel_gap")
    assert tight.violations[0].person == "p"
    ok = check(problem, schedule_of(problem, a, ("b", "2027-09-06", "10:15", "goes")))
    assert dict(ok.by_kind) == NONE


def test_travel_gap_uses_the_travel_table() -> None:
    # The table says Goes -> Middelburg takes 50 minutes: 60-minute gap < 50 + 15.
    problem = tiny(travel=(TravelOverride("goes", "middelburg", 30.0, 50.0),))
    report = check(
        problem, schedule_of(problem, GOOD[0], ("b", "2027-09-06", "11:00", "middelburg"))
    )
    assert dict(report.by_kind) == only("travel_gap")
    assert "65" in report.violations[0].reason  # 50 travel + 15 changeover


def test_optional_member_clash_is_soft() -> None:
    # r is optional in b and required in c; b and c overlap: one optional
    # clash, no hard clash (c meets at Middelburg, b at Goes).
    problem = Problem(
        settings=settings(),
        networks=(network("b"), network("c", venues=("middelburg",))),
        people=(person("p"), person("r")),
        venues=(GOES, MIDDELBURG),
        memberships=(
            Membership("b", "p"),
            Membership("b", "r", Role.OPTIONAL),
            Membership("c", "r"),
        ),
    )
    report = check(
        problem,
        schedule_of(
            problem,
            ("b", "2027-09-06", "09:00", "goes"),
            ("c", "2027-09-06", "09:30", "middelburg"),
        ),
    )
    assert dict(report.by_kind) == NONE
    assert report.figures.optional_clashes == 1


def test_unknown_network_and_venue_do_not_crash_the_figures() -> None:
    problem = two_networks_one_member()
    report = check(
        problem,
        schedule_of(
            problem, ("a", "2027-09-06", "09:00", "nowhere"), ("zz", "2027-09-06", "09:00", "x")
        ),
    )
    # count: b missing + zz unknown = 2; venue_list: a at nowhere, zz at x = 2.
    assert dict(report.by_kind) == {**NONE, "count": 2, "venue_list": 2}
    # p's and q's day at an unknown venue: home -> home, 0 km; 1 trip each.
    assert report.figures.travel_km == 0.0
    assert report.figures.trips == 2
    assert report.figures.sessions == 2


def test_reasons_name_who_when_where() -> None:
    problem = two_networks_one_member()
    rows = (GOOD[0], ("b", "2027-09-06", "09:30", "middelburg"))
    (v,) = check(problem, schedule_of(problem, *rows)).violations
    assert v.kind == "clash"
    assert v.person == "p"
    assert v.date == date(2027, 9, 6)
    assert v.meetings == ("a-1", "b-1")
    assert v.reason == (
        "P is nodig bij twee bijeenkomsten tegelijk: Netwerk A (a-1) op 2027-09-06 "
        "09:00-10:00 in Goes en Netwerk B (b-1) op 2027-09-06 09:30-10:30 in Middelburg"
    )
    english = replace(problem, settings=settings(language="en"))
    (w,) = check(english, schedule_of(english, *rows)).violations
    assert w.reason == (
        "P is required at two meetings at once: Netwerk A (a-1) on 2027-09-06 "
        "09:00-10:00 at Goes and Netwerk B (b-1) on 2027-09-06 09:30-10:30 at Middelburg"
    )


# --------------------------------------------------------------------- figures
# A degree of arc on the earth (radius 6371.0 km): 6371 x pi / 180 km.
ARC_KM = 6371.0 * math.pi / 180


def figures_instance() -> Problem:
    """Venues on the equator (``west`` at 0E, ``east`` at 1E), one degree apart.

    ``p`` lives at 0E (at ``west``), ``q`` at 1E (at ``east``), ``o`` far away.
    Networks: ``n1`` (p, q required; o optional) at west, ``n2`` and ``n3``
    (p) at east, ``n5`` (q) at east. The travel table says q <-> west is
    100 km, 90 minutes.
    """
    west = venue("west", 0.0, 0.0, cost=10.0)
    east = venue("east", 0.0, 1.0, cost=50.0)
    return Problem(
        settings=settings(),
        networks=(
            network("n1", venues=("west",)),
            network("n2", venues=("east",)),
            network("n3", venues=("east",)),
            network("n5", venues=("east",)),
        ),
        people=(person("p", 0.0, 0.0), person("q", 0.0, 1.0), person("o", 10.0, 10.0)),
        venues=(west, east),
        memberships=(
            Membership("n1", "p"),
            Membership("n1", "q"),
            Membership("n1", "o", Role.OPTIONAL),
            Membership("n2", "p"),
            Membership("n3", "p"),
            Membership("n5", "q"),
        ),
        travel=(TravelOverride("q", "west", 100.0, 90.0),),
    )


FIGURE_ROWS: tuple[Row, ...] = (
    ("n1", "2027-09-06", "09:00", "west"),
    ("n2", "2027-09-06", "13:00", "east"),
    ("n3", "2027-09-06", "14:15", "east"),
    ("n5", "2027-09-07", "09:00", "east"),
)


def test_figures_by_hand() -> None:
    problem = figures_instance()
    report = check(problem, schedule_of(problem, *FIGURE_ROWS))
    # No hard violation: p goes west -> east with 180 minutes between (travel
    # ceil(1.3 x ARC_KM) = 145 + 15 = 160); n3 starts at 14:15 when n2's room
    # is free again; p has 3 meetings on Monday (cap 3).
    assert dict(report.by_kind) == NONE
    d = 1.3 * ARC_KM  # road km between 0E and 1E on the equator: 144.553 km
    f = report.figures
    # p on Monday: home(0E) -> west 0, west -> east d, east -> east 0, east -> home d.
    # q on Monday: home -> west 100 (table), west -> home 100 (symmetric).
    # q on Tuesday: home(1E) -> east 0 -> home 0. o is optional: left out.
    assert f.travel_km == round(2 * d + 200, 3)
    assert [(x.person, x.travel_km, x.trips, x.idle_minutes) for x in f.per_person] == [
        ("p", round(2 * d, 3), 1, 195),
        ("q", 200.0, 2, 0),
        ("o", 0.0, 0, 0),
    ]
    # Trips: (p, Mon), (q, Mon), (q, Tue).
    assert f.trips == 3
    # p: 09:00..15:15 is 375 minutes, meetings cover 3 x 60: idle 195.
    assert f.idle_minutes == 195
    # (Mon, west), (Mon, east), (Tue, east).
    assert f.sessions == 3
    # cost 10 + 50 + 50.
    assert f.venue_cost == 110.0
    assert f.optional_clashes == 0
    # L = 26 days, K = 1: even point start + floor(0.5 x 26) = 2027-09-19;
    # 13 + 13 + 13 days (Monday meetings) + 12 (Tuesday).
    assert f.spread_days == 51
    assert [(n.network, n.meetings, n.shared_sessions) for n in f.per_network] == [
        ("n1", 1, 0),
        ("n2", 1, 1),
        ("n3", 1, 1),
        ("n5", 1, 0),
    ]


def test_spread_days_of_several_meetings() -> None:
    # a has 2 meetings: L = 26, K = 2: even points start + floor(0.5 x 26 / 2) = +6
    # (2027-09-12) and start + floor(1.5 x 26 / 2) = +19 (2027-09-25).
    # Meetings on 09-06 and 09-27: 6 + 2 = 8. b (K = 1, point 09-19) on 09-08: 11.
    problem = with_network(meetings=2)
    report = check(
        problem,
        schedule_of(
            problem,
            ("a", "2027-09-27", "09:00", "goes"),
            ("a", "2027-09-06", "09:00", "goes"),
            GOOD[1],
        ),
    )
    assert report.figures.spread_days == 19


def test_idle_with_overlap() -> None:
    # p: a 09:00-10:00 at Goes and b 09:30-10:30 at Middelburg (a clash): the
    # day runs 09:00..10:30, all covered: idle 0. Travel: p home -> Goes ->
    # Middelburg -> home = 29.667 + 24.703 + 8.887 km; q: home (at Goes) ->
    # Goes -> home = 0.
    problem = two_networks_one_member()
    report = check(
        problem, schedule_of(problem, GOOD[0], ("b", "2027-09-06", "09:30", "middelburg"))
    )
    assert report.figures.idle_minutes == 0
    dist = Distances(problem)
    expected = (
        dist.road_km("p", "goes")
        + dist.road_km("goes", "middelburg")
        + dist.road_km("middelburg", "p")
    )
    assert report.figures.travel_km == round(expected, 3) == 63.257


# ------------------------------------------------------------------- distances
def test_great_circle_one_degree_of_meridian() -> None:
    # Along a meridian the haversine gives the arc exactly: 6371 x pi / 180.
    assert great_circle_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(ARC_KM, abs=1e-9)
    assert round(great_circle_km(0.0, 0.0, 1.0, 0.0), 6) == 111.194927


def test_ceil_minutes_ignores_float_noise() -> None:
    assert ceil_minutes(31.000000000000004) == 31
    assert ceil_minutes(31.0) == 31
    assert ceil_minutes(31.01) == 32
    assert ceil_minutes(0.0) == 0


def test_travel_between_computed() -> None:
    problem = two_networks_one_member()
    # 19.00230 km great-circle x 1.3 = 24.70299 km; 24.703 minutes -> 25.
    assert round(travel_km_between(problem, "goes", "middelburg"), 5) == 24.70299
    assert travel_minutes_between(problem, "goes", "middelburg") == 25
    assert travel_km_between(problem, "goes", "goes") == 0.0
    assert travel_minutes_between(problem, "p", "p") == 0


def test_travel_table_symmetric_unless_both_directions() -> None:
    one_way = tiny(travel=(TravelOverride("goes", "middelburg", 30.0),))
    # Only goes -> middelburg is given: it serves both directions; minutes
    # 30 km / 60 km/h x 60 = 30.
    assert travel_km_between(one_way, "middelburg", "goes") == 30.0
    assert travel_minutes_between(one_way, "middelburg", "goes") == 30
    both = tiny(
        travel=(
            TravelOverride("goes", "middelburg", 30.0, 40.0),
            TravelOverride("middelburg", "goes", 35.0),
        )
    )
    assert travel_km_between(both, "goes", "middelburg") == 30.0
    assert travel_minutes_between(both, "goes", "middelburg") == 40
    assert travel_km_between(both, "middelburg", "goes") == 35.0
    assert travel_minutes_between(both, "middelburg", "goes") == 35
    # A table km of 30.5 at 60 km/h is 30.5 minutes: 31.
    half = tiny(travel=(TravelOverride("p", "goes", 30.5),))
    assert travel_minutes_between(half, "goes", "p") == 31


# ------------------------------------------------------------------- output
def test_report_to_dict_is_json() -> None:
    problem = two_networks_one_member()
    report = check(
        problem, schedule_of(problem, GOOD[0], ("b", "2027-09-06", "09:30", "middelburg"))
    )
    data = json.loads(json.dumps(report.to_dict()))
    assert data["hard_violations"] == 1
    assert data["violations"] == only("clash")
    assert data["violation_list"][0]["person"] == "p"
    assert data["violation_list"][0]["date"] == "2027-09-06"
    assert data["trips"] == 2  # (p, Mon), (q, Mon)


def test_ratios() -> None:
    plan = {
        "hard_violations": 0,
        "travel_km": 50.0,
        "trips": 3,
        "idle_minutes": 0,
        "sessions": 2,
        "optional_clashes": 0,
        "venue_cost": 0.0,
        "spread_days": 9,
        "together_met": 1,
        "if_need_be": 1,
        "excess_idle_minutes": 30,
        "long_waits": 0,
    }
    base = {
        **plan,
        "hard_violations": 2,
        "travel_km": 200.0,
        "trips": 4,
        "spread_days": 3,
        "excess_idle_minutes": 120,
        "if_need_be": 2,
    }
    assert ratios(plan, base) == {
        "hard_violations": 0.0,
        "travel_km": 0.25,
        "trips": 0.75,
        "idle_minutes": None,
        "sessions": 1.0,
        "optional_clashes": None,
        "venue_cost": None,
        "spread_days": 3.0,
        "together_met": 1.0,
        "if_need_be": 0.5,
        "excess_idle_minutes": 0.25,
        "long_waits": None,
    }
    # a baseline written before contract v1.1 lacks the v1.1 figures: no ratio
    old = {k: v for k, v in base.items() if k not in ("together_met", "long_waits")}
    assert ratios(plan, old)["together_met"] is None
    assert ratios(plan, old)["long_waits"] is None
    # nor does one written before the "if need be" extension
    assert ratios(plan, {k: v for k, v in base.items() if k != "if_need_be"})["if_need_be"] is None


# ------------------------------------------------------------ literal re-reading
_starts = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(["2027-09-06", "2027-09-07"]),
        st.integers(min_value=36, max_value=64),  # quarter hours 09:00 .. 16:00
        st.sampled_from([1, 2, 4, 6]),  # length in quarter hours
    ),
    max_size=8,
)


@given(_starts, st.integers(min_value=1, max_value=3), st.sampled_from([0, 15, 30]))
@settings_(max_examples=150, deadline=None)
def test_rooms_and_clash_match_the_contract_text(
    items: list[tuple[str, str, int, int]], rooms: int, changeover: int
) -> None:
    # a, b, c all have required member p and meet at Goes only.
    problem = Problem(
        settings=settings(changeover=changeover),
        networks=tuple(network(n, meetings=3) for n in "abc"),
        people=(person("p"),),
        venues=(replace(GOES, rooms=rooms),),
        memberships=tuple(Membership(n, "p") for n in "abc"),
    )

    def hm(quarters: int) -> str:
        return f"{quarters // 4:02d}:{quarters % 4 * 15:02d}"

    rows = [(n, d, hm(q), "goes", hm(q + k)) for n, d, q, k in items]
    report = check(problem, schedule_of(problem, *rows))
    spans = [(d, 15 * q, 15 * (q + k), i) for i, (_n, d, q, k) in enumerate(items)]
    # rooms: a meeting that starts while `rooms` or more meetings before it (by
    # start, then row) occupy the venue, [start, end + changeover).
    expected_rooms = 0
    for d, s0, _s1, i in spans:
        before = [x for x in spans if (x[1], x[3]) < (s0, i) and x[0] == d]
        if sum(1 for x in before if x[1] <= s0 < x[2] + changeover) >= rooms:
            expected_rooms += 1
    # clash: p and each pair of overlapping meetings.
    expected_clash = sum(
        1
        for x in spans
        for y in spans
        if x[3] < y[3] and x[0] == y[0] and x[1] < y[2] and y[1] < x[2]
    )
    assert report.by_kind["rooms"] == expected_rooms
    assert report.by_kind["clash"] == expected_clash


def test_rooms_names_the_later_schedule_row_of_two_starting_together(tmp_path: Path) -> None:
    """``b`` (row 1) and ``a`` (row 2) start together at the one-room ``goes``: "before"
    is by start, then by schedule row, so ``a`` (the later row) is the one that starts
    while ``b`` occupies the venue: one rooms violation naming ``a-1`` last."""
    from planner.planfile import read_schedule_csv

    problem = Problem(
        settings=settings(),
        networks=(network("a"), network("b")),
        people=(person("p"), person("q")),
        venues=(GOES,),
        memberships=(Membership("a", "p"), Membership("b", "q")),
    )
    path = tmp_path / "schedule.csv"
    path.write_text(
        "network,date,start,end,venue\n"
        "b,2027-09-07,09:00,10:00,goes\n"
        "a,2027-09-07,09:00,10:00,goes\n",
        encoding="utf-8",
    )
    report = check(problem, read_schedule_csv(path, problem))
    rooms = [v for v in report.violations if v.kind == "rooms"]
    assert [v.meetings for v in rooms] == [("b-1", "a-1")]
