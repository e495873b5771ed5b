"""The uncoordinated baseline, with every date derived by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from planner.baseline import baseline, baseline_venue, even_point, phase
from planner.check import KINDS, check
from planner.problem import FixedMeeting, Membership, Problem, Role, TravelOverride
from tests.conftest import GOES, MIDDELBURG, network, person, settings

NONE = {k: 0 for k in KINDS}


def rows(problem: Problem) -> list[tuple[str, int, str, str, str, str]]:
    """The baseline as (network, seq, date, start, end, venue)."""
    return [
        (
            m.network,
            m.seq,
            m.date.isoformat(),
            f"{m.start // 60:02d}:{m.start % 60:02d}",
            f"{m.end // 60:02d}:{m.end % 60:02d}",
            m.venue,
        )
        for m in baseline(problem)
    ]


def test_phase_exact() -> None:
    # f(n) = n x 6180339887 mod 10^10, over 10^10.
    assert phase(0) == (0, 10**10)
    assert phase(1) == (6180339887, 10**10)
    assert phase(2) == (2360679774, 10**10)  # 12360679774 mod 10^10
    assert phase(3) == (8541019661, 10**10)  # 18541019661 mod 10^10


def test_even_point_integer_arithmetic() -> None:
    start = date(2027, 9, 27)
    # floor((0 + 0.6180339887) x 40 / 4) = floor(6.180339887) = 6.
    assert even_point(start, 40, 0, 1, 4) == date(2027, 10, 3)
    # floor((3 + 0.6180339887) x 40 / 4) = floor(36.18...) = 36.
    assert even_point(start, 40, 3, 1, 4) == date(2027, 11, 2)
    # n = 0 has phase 0: floor(1 x 26 / 2) = 13.
    assert even_point(date(2027, 9, 6), 26, 1, 0, 2) == date(2027, 9, 19)
    # (1 + 0) x 30 / 3 is exactly 10: no float can make it 9.
    assert even_point(date(2027, 9, 6), 30, 1, 0, 3) == date(2027, 9, 16)


def baseline_instance() -> Problem:
    """Horizon 2027-09-27 (Mon) .. 2027-11-05 (Fri): L = 40 days, school holidays on.

    Region midden's autumn break is 2027-10-16 (Sat) .. 2027-10-24 (Sun).
    ``x`` (n = 0): 2 meetings, min gap 7. ``y`` (n = 1): 4 meetings, min gap
    10. ``z`` (n = 2): 2 meetings, one fixed on 2027-10-06 at Goes, venues
    Goes and Middelburg (which opens at 10:00); its required member ``p``
    (Vlissingen) is unavailable on 2027-10-07.
    """
    return Problem(
        settings=settings(start=date(2027, 9, 27), end=date(2027, 11, 5), school_holidays=True),
        networks=(
            network("x", meetings=2, min_gap_days=7),
            network("y", meetings=4, min_gap_days=10),
            network("z", meetings=2, venues=("goes", "middelburg")),
        ),
        people=(person("p", unavailable=frozenset({date(2027, 10, 7)})),),
        venues=(GOES, replace(MIDDELBURG, open=10 * 60)),
        memberships=(Membership("z", "p"),),
        fixed=(FixedMeeting("z", date(2027, 10, 6), 9 * 60, "goes"),),
    )


def test_baseline_dates_by_hand() -> None:
    # x, f = 0, K = 2: points +0 = 09-27 (Mon, free) and +floor(1 x 40 / 2) = +20
    #   = 10-17 (Sun, in the autumn break) -> first free workday 10-25 (Mon).
    # y, f = 0.6180339887, K = 4 (points +floor((i + f) x 10)):
    #   i=0: +6 = 10-03 (Sun) -> 10-04 (Mon).
    #   i=1: +16 = 10-13, but 10-04 + 10 = 10-14 (Thu): min gap pushes to 10-14.
    #   i=2: +26 = 10-23 (Sat), 10-14 + 10 = 10-24 (Sun, break) -> 10-25 (Mon).
    #   i=3: +36 = 11-02, 10-25 + 10 = 11-04 (Thu): pushed to 11-04.
    # z, f = 0.2360679774, K - F = 1: point +floor(9.44) = +9 = 10-06, the date
    #   of its fixed meeting -> 10-07, p unavailable -> 10-08 (Fri). Venue:
    #   Middelburg (6.8 km from p's home, Goes 22.8 km); start max(09:00,
    #   opening 10:00) = 10:00. The fixed meeting stays as given.
    assert rows(baseline_instance()) == [
        ("x", 1, "2027-09-27", "09:00", "10:00", "goes"),
        ("y", 1, "2027-10-04", "09:00", "10:00", "goes"),
        ("z", 1, "2027-10-06", "09:00", "10:00", "goes"),
        ("z", 2, "2027-10-08", "10:00", "11:00", "middelburg"),
        ("y", 2, "2027-10-14", "09:00", "10:00", "goes"),
        ("x", 2, "2027-10-25", "09:00", "10:00", "goes"),
        ("y", 3, "2027-10-25", "09:00", "10:00", "goes"),
        ("y", 4, "2027-11-04", "09:00", "10:00", "goes"),
    ]


def test_baseline_breaks_rules_it_ignores() -> None:
    # x and y both meet at Goes on 10-25 at 09:00 (one room): rooms 1. z's
    # placed meeting (10-08) is 2 days after its fixed one (10-06), less than
    # its min gap 7: min_gap 1. Nothing else.
    problem = baseline_instance()
    report = check(problem, baseline(problem))
    assert dict(report.by_kind) == {**NONE, "rooms": 1, "min_gap": 1}


def test_meeting_without_a_date_is_left_out() -> None:
    # L = 26 (2027-09-06..10-01), 3 meetings, min gap 14, f = 0:
    # points +0, +8, +17. 09-06; max(09-14, 09-20) = 09-20 (Mon);
    # max(09-23, 10-04) is after the horizon: left out.
    problem = Problem(
        settings=settings(),
        networks=(network("a", meetings=3, min_gap_days=14),),
        people=(),
        venues=(GOES,),
        memberships=(),
    )
    assert rows(problem) == [
        ("a", 1, "2027-09-06", "09:00", "10:00", "goes"),
        ("a", 2, "2027-09-20", "09:00", "10:00", "goes"),
    ]
    assert dict(check(problem, baseline(problem)).by_kind) == {**NONE, "count": 1}


def test_two_networks_sharing_members_clash() -> None:
    # Horizon Mon 2027-09-06 .. Fri 09-10 (L = 5), both networks meet on
    # Fridays only. a (n = 0): point +0 = 09-06 -> Fri 09-10. b (n = 1):
    # point +floor(0.618 x 5) = +3 = 09-09 -> Fri 09-10. Both at 09:00, a in
    # Goes, b in Middelburg (its only venue).
    # Required in both: p and q -> 2 clashes (one pair each). r is required
    # in a, optional in b -> 1 optional clash, no hard one.
    fri = frozenset({4})
    problem = Problem(
        settings=settings(end=date(2027, 9, 10)),
        networks=(
            network("a", weekdays=fri),
            network("b", weekdays=fri, venues=("middelburg",)),
        ),
        people=(person("p"), person("q"), person("r")),
        venues=(GOES, MIDDELBURG),
        memberships=(
            Membership("a", "p"),
            Membership("a", "q"),
            Membership("a", "r"),
            Membership("b", "p"),
            Membership("b", "q"),
            Membership("b", "r", Role.OPTIONAL),
        ),
    )
    assert rows(problem) == [
        ("a", 1, "2027-09-10", "09:00", "10:00", "goes"),
        ("b", 1, "2027-09-10", "09:00", "10:00", "middelburg"),
    ]
    report = check(problem, baseline(problem))
    assert dict(report.by_kind) == {**NONE, "clash": 2}
    assert [v.person for v in report.violations] == ["p", "q"]
    assert report.figures.optional_clashes == 1


def _venue_problem(
    goes_capacity: int, middelburg_capacity: int, travel: tuple[TravelOverride, ...] = ()
) -> Problem:
    # b: p required (Vlissingen), r and s optional: 3 members.
    return Problem(
        settings=settings(),
        networks=(network("b", venues=("middelburg", "goes")),),
        people=(person("p"), person("r"), person("s")),
        venues=(
            replace(GOES, capacity=goes_capacity),
            replace(MIDDELBURG, capacity=middelburg_capacity),
        ),
        memberships=(
            Membership("b", "p"),
            Membership("b", "r", Role.OPTIONAL),
            Membership("b", "s", Role.OPTIONAL),
        ),
        travel=travel,
    )


def test_venue_nearest_with_room() -> None:
    # p: 6.8 km great-circle to Middelburg, 22.8 km to Goes.
    problem = _venue_problem(20, 20)
    assert baseline_venue(problem, problem.networks[0]).id == "middelburg"
    # The travel table is not used: p -> Goes 1 km changes nothing.
    table = _venue_problem(20, 20, (TravelOverride("p", "goes", 1.0),))
    assert baseline_venue(table, table.networks[0]).id == "middelburg"
    # Middelburg holds 2 but b has 3 members (optional ones count): Goes.
    small = _venue_problem(20, 2)
    assert baseline_venue(small, small.networks[0]).id == "goes"


def test_venue_fallback_largest_then_file_order() -> None:
    # No venue holds 3: the largest allowed. Goes 1, Middelburg 2: Middelburg.
    larger = _venue_problem(1, 2)
    assert baseline_venue(larger, larger.networks[0]).id == "middelburg"
    # Goes 2, Middelburg 1: Goes, though Middelburg is nearer.
    larger = _venue_problem(2, 1)
    assert baseline_venue(larger, larger.networks[0]).id == "goes"
    # Both 2: a tie, the first in the venues' file order (Goes), though b
    # lists Middelburg first.
    tie = _venue_problem(2, 2)
    assert baseline_venue(tie, tie.networks[0]).id == "goes"


def test_venue_tie_on_distance_takes_file_order() -> None:
    # A network without members: every sum is 0, the first venue in file order wins.
    problem = Problem(
        settings=settings(),
        networks=(network("a", venues=("middelburg", "goes")),),
        people=(),
        venues=(GOES, MIDDELBURG),
        memberships=(),
    )
    assert baseline_venue(problem, problem.networks[0]).id == "goes"


def test_baseline_is_deterministic() -> None:
    assert baseline(baseline_instance()) == baseline(baseline_instance())
