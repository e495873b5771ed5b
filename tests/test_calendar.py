"""The Dutch calendar on real dates: holidays, school holidays, candidate dates.

Expected values come from the Dutch calendar itself (rijksoverheid.nl
publishes the school holidays; the ``holidays`` package >= 0.109 carries
them) and are derived in the comments.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from planner.calendar import (
    calendar_warnings,
    candidate_dates,
    holiday_reason,
    horizon,
    max_meetings_possible,
    network_day_allowed,
    public_holidays,
    school_holidays,
    venue_open_on,
)
from planner.problem import Membership, Problem, Role, Settings
from tests.conftest import GOES, MIDDELBURG, network, person, settings

SCHOOL_YEAR = Settings(start=date(2027, 8, 30), end=date(2028, 7, 14))


def days(first: date, last: date) -> list[date]:
    """Every date from ``first`` to ``last``, inclusive."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def workdays(first: date, last: date) -> list[date]:
    """Monday-to-Friday dates from ``first`` to ``last``, inclusive."""
    return [d for d in days(first, last) if d.weekday() < 5]


def one_network(s: Settings, **kw: object) -> Problem:
    """Network ``a`` (venue goes) with required member ``p`` and optional ``q``."""
    return Problem(
        settings=s,
        networks=(network("a", **kw),),
        people=(person("p"), person("q")),
        venues=(GOES, MIDDELBURG),
        memberships=(Membership("a", "p"), Membership("a", "q", Role.OPTIONAL)),
    )


def named(holidays: dict[date, str], name: str, first: date, last: date) -> list[date]:
    """Dates from ``first`` to ``last`` that ``holidays`` gives the name ``name``."""
    return sorted(d for d, n in holidays.items() if n == name and first <= d <= last)


# ------------------------------------------------------------- public holidays
def test_public_holidays_2027_exactly() -> None:
    # The ten Dutch public holidays of 2027; Bevrijdingsdag (5 May) is not one
    # of them because 2027 is not a lustrum year.
    s = Settings(start=date(2027, 1, 1), end=date(2027, 12, 31))
    assert public_holidays(s) == {
        date(2027, 1, 1): "Nieuwjaarsdag",
        date(2027, 3, 26): "Goede vrijdag",
        date(2027, 3, 28): "Eerste paasdag",
        date(2027, 3, 29): "Tweede paasdag",
        date(2027, 4, 27): "Koningsdag",
        date(2027, 5, 6): "Hemelvaartsdag",
        date(2027, 5, 16): "Eerste pinksterdag",
        date(2027, 5, 17): "Tweede pinksterdag",
        date(2027, 12, 25): "Eerste kerstdag",
        date(2027, 12, 26): "Tweede kerstdag",
    }


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2027, 4, 27), "Koningsdag"),  # a Tuesday
        (date(2027, 5, 6), "Hemelvaartsdag"),  # a Thursday, 39 days after Easter (28 March)
        (date(2027, 3, 26), "Goede vrijdag"),  # Friday before Easter
    ],
)
def test_public_holiday_excludes_the_day(day: date, name: str) -> None:
    s = settings(
        start=date(2027, 3, 1), end=date(2027, 5, 31), public_holidays=True, school_holidays=False
    )
    problem = one_network(s)
    assert holiday_reason(s, "midden", day) == name
    assert network_day_allowed(problem, problem.network_by_id["a"], day) is False
    assert day not in candidate_dates(problem, "a")
    # the working day before is allowed (none of the three follows a holiday)
    before = day - timedelta(days=1)
    assert network_day_allowed(problem, problem.network_by_id["a"], before) is True


def test_public_holidays_in_spring_2027_count() -> None:
    # Mon 2027-03-22 .. Fri 2027-05-14: 8 weeks = 40 workdays. Public holidays
    # on workdays: Goede vrijdag 26/3, Tweede paasdag 29/3, Koningsdag 27/4,
    # Hemelvaartsdag 6/5 -> 36 dates.
    s = settings(
        start=date(2027, 3, 22), end=date(2027, 5, 14), public_holidays=True, school_holidays=False
    )
    found = candidate_dates(one_network(s), "a")
    assert len(found) == 36
    assert sorted(set(workdays(s.start, s.end)) - set(found)) == [
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 4, 27),
        date(2027, 5, 6),
    ]
    # With school holidays (midden): the Meivakantie 24/4..2/5 also takes
    # 26, 28, 29 and 30 April (27 April is Koningsdag already) -> 32 dates.
    s_school = replace(s, school_holidays=True)
    assert len(candidate_dates(one_network(s_school), "a")) == 32


def test_liberation_day_only_in_lustrum_years() -> None:
    s2027 = Settings(start=date(2027, 1, 1), end=date(2027, 12, 31), school_holidays=False)
    assert date(2027, 5, 5) not in public_holidays(s2027)
    assert holiday_reason(s2027, "midden", date(2027, 5, 5)) is None
    # 2027-05-05 is a Wednesday outside every school holiday: a normal working day
    problem = one_network(replace(s2027, school_holidays=True))
    assert date(2027, 5, 5) in candidate_dates(problem, "a")
    s2030 = Settings(start=date(2030, 1, 1), end=date(2030, 12, 31))
    assert public_holidays(s2030)[date(2030, 5, 5)] == "Bevrijdingsdag"
    s2025 = Settings(start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert public_holidays(s2025)[date(2025, 5, 5)] == "Bevrijdingsdag"


# ------------------------------------------------------------- school holidays
@pytest.mark.parametrize(
    ("region", "first", "last"),
    [
        ("noord", date(2027, 10, 16), date(2027, 10, 24)),
        ("midden", date(2027, 10, 16), date(2027, 10, 24)),
        ("zuid", date(2027, 10, 23), date(2027, 10, 31)),
    ],
)
def test_autumn_holiday_2027(region: str, first: date, last: date) -> None:
    # Herfstvakantie: Saturday to Sunday, nine days.
    found = named(
        school_holidays(SCHOOL_YEAR, region),
        "Herfstvakantie",
        date(2027, 10, 1),
        date(2027, 11, 30),
    )
    assert found == days(first, last)
    assert len(found) == 9


@pytest.mark.parametrize("region", ["noord", "midden", "zuid"])
def test_christmas_holiday_crosses_new_year(region: str) -> None:
    # Kerstvakantie 2027-12-25 (Sat) .. 2028-01-09 (Sun), the same everywhere: 16 days.
    found = named(
        school_holidays(SCHOOL_YEAR, region),
        "Kerstvakantie",
        date(2027, 12, 1),
        date(2028, 1, 31),
    )
    assert found == days(date(2027, 12, 25), date(2028, 1, 9))
    assert len(found) == 16
    # The public holiday takes precedence in the reason; the days between are school holiday.
    assert holiday_reason(SCHOOL_YEAR, region, date(2027, 12, 25)) == "Eerste kerstdag"
    assert holiday_reason(SCHOOL_YEAR, region, date(2027, 12, 27)) == "Kerstvakantie"
    assert holiday_reason(SCHOOL_YEAR, region, date(2028, 1, 1)) == "Nieuwjaarsdag"
    assert holiday_reason(SCHOOL_YEAR, region, date(2028, 1, 5)) == "Kerstvakantie"
    assert holiday_reason(SCHOOL_YEAR, region, date(2028, 1, 10)) is None


def test_christmas_candidate_dates_across_new_year() -> None:
    # Mon 2027-12-20 .. Fri 2028-01-14: workdays 20-24 Dec (5) are free, the
    # holiday takes 27-31 Dec and 3-7 Jan, school starts again Mon 10 Jan (5).
    s = Settings(start=date(2027, 12, 20), end=date(2028, 1, 14), region="zuid")
    problem = one_network(s, region="zuid")
    assert candidate_dates(problem, "a") == (
        *workdays(date(2027, 12, 20), date(2027, 12, 24)),
        *workdays(date(2028, 1, 10), date(2028, 1, 14)),
    )


def test_christmas_holiday_with_a_horizon_in_the_new_year_only() -> None:
    # Horizon Mon 2028-01-03 .. Fri 2028-01-14 covers only the year 2028: the
    # package still knows the 2028 part of the holiday (1-9 January), so the
    # first candidate date is Monday 10 January: 5 dates in all.
    s = Settings(start=date(2028, 1, 3), end=date(2028, 1, 14))
    assert candidate_dates(one_network(s), "a") == tuple(workdays(date(2028, 1, 10), s.end))


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        # 2027-08-30 (Mon) .. 2028-07-14 (Fri): 320 days = 45 weeks + Mon..Fri,
        # so 45 x 5 + 5 = 230 workdays. Every region loses 5 workdays each to
        # the autumn, spring and May holidays, 10 to Christmas and 5 to public
        # holidays on workdays (Goede vrijdag 14/4, Tweede paasdag 17/4,
        # Koningsdag 27/4, Hemelvaart 25/5, Tweede pinksterdag 5/6): 230 - 30 = 200.
        ("noord", 200),  # summer ended 22/8 and starts 15/7: nothing more
        ("midden", 195),  # summer 2028 starts 8/7: 10-14 July go too
        ("zuid", 195),  # summer 2027 runs to 5/9: 30 Aug - 3 Sep go too
    ],
)
def test_school_year_candidate_dates_per_region(region: str, expected: int) -> None:
    problem = one_network(replace(SCHOOL_YEAR, region=region), region=region)
    assert len(horizon(problem.settings)) == 320
    assert len(candidate_dates(problem, "a")) == expected


def test_switching_holidays_off() -> None:
    koningsdag = date(2027, 4, 27)  # also inside the Meivakantie 24/4..2/5
    hemelvaart = date(2027, 5, 6)  # not inside a school holiday
    both = Settings(start=date(2027, 1, 1), end=date(2027, 12, 31))
    assert holiday_reason(both, "midden", koningsdag) == "Koningsdag"
    no_public = replace(both, public_holidays=False)
    assert public_holidays(no_public) == {}
    assert holiday_reason(no_public, "midden", koningsdag) == "Meivakantie"
    assert holiday_reason(no_public, "midden", hemelvaart) is None
    no_school = replace(both, school_holidays=False)
    assert school_holidays(no_school, "midden") == {}
    assert holiday_reason(no_school, "midden", date(2027, 4, 28)) is None  # Meivakantie day
    assert holiday_reason(no_school, "midden", hemelvaart) == "Hemelvaartsdag"
    neither = replace(both, public_holidays=False, school_holidays=False)
    assert holiday_reason(neither, "midden", koningsdag) is None
    # Spring 2027 with neither: every one of the 40 workdays of 22/3..14/5 is a candidate.
    s = settings(start=date(2027, 3, 22), end=date(2027, 5, 14))
    assert len(candidate_dates(one_network(s), "a")) == 40


# ------------------------------------------------------------- candidate dates
# conftest's settings(): Mon 2027-09-06 .. Fri 2027-10-01, no holidays: 20 workdays.
SEPTEMBER = workdays(date(2027, 9, 6), date(2027, 10, 1))


def test_candidate_dates_plain_and_by_weekday() -> None:
    assert candidate_dates(one_network(settings()), "a") == tuple(SEPTEMBER)
    # Tuesdays and Thursdays only: two a week, 8 in four weeks.
    tue_thu = one_network(settings(), weekdays=frozenset({1, 3}))
    assert candidate_dates(tue_thu, "a") == (
        date(2027, 9, 7),
        date(2027, 9, 9),
        date(2027, 9, 14),
        date(2027, 9, 16),
        date(2027, 9, 21),
        date(2027, 9, 23),
        date(2027, 9, 28),
        date(2027, 9, 30),
    )
    # A Saturday-only network in a horizon of workdays cannot meet at all.
    assert candidate_dates(one_network(settings(), weekdays=frozenset({5})), "a") == ()


def test_candidate_dates_with_venue_closures() -> None:
    closed_goes = replace(GOES, unavailable=frozenset(days(date(2027, 9, 7), date(2027, 9, 10))))
    closed_mid = replace(MIDDELBURG, unavailable=frozenset({date(2027, 9, 8), date(2027, 9, 9)}))

    def problem(*venues: str) -> Problem:
        return Problem(
            settings=settings(),
            networks=(network("a", venues=venues),),
            people=(person("p"),),
            venues=(closed_goes, closed_mid),
            memberships=(Membership("a", "p"),),
        )

    # Goes alone: closed Tue 7 .. Fri 10 September, 4 workdays -> 16 dates.
    only_goes = candidate_dates(problem("goes"), "a")
    assert len(only_goes) == 16
    assert set(SEPTEMBER) - set(only_goes) == set(days(date(2027, 9, 7), date(2027, 9, 10)))
    # Goes or Middelburg: a date is lost only when both are closed: 8 and 9 September.
    both = candidate_dates(problem("goes", "middelburg"), "a")
    assert set(SEPTEMBER) - set(both) == {date(2027, 9, 8), date(2027, 9, 9)}
    assert len(both) == 18
    assert venue_open_on(closed_goes, date(2027, 9, 8)) is False
    assert venue_open_on(closed_mid, date(2027, 9, 7)) is True


def test_candidate_dates_with_venue_weekdays() -> None:
    # Goes open Monday to Thursday only: the 4 Fridays go, 16 dates remain.
    goes = replace(GOES, weekdays=frozenset({0, 1, 2, 3}))
    p = Problem(
        settings=settings(),
        networks=(network("a"),),
        people=(person("p"),),
        venues=(goes,),
        memberships=(Membership("a", "p"),),
    )
    found = candidate_dates(p, "a")
    assert len(found) == 16
    assert all(d.weekday() != 4 for d in found)
    assert venue_open_on(goes, date(2027, 9, 10)) is False  # a Friday


def test_candidate_dates_with_members_unavailable() -> None:
    # Required p is away 15 September and 20..22 September: 4 dates go.
    # Optional q is away 16 and 27 September: no effect.
    p = Problem(
        settings=settings(),
        networks=(network("a"),),
        people=(
            person(
                "p",
                unavailable=frozenset(
                    {date(2027, 9, 15), *days(date(2027, 9, 20), date(2027, 9, 22))}
                ),
            ),
            person("q", unavailable=frozenset({date(2027, 9, 16), date(2027, 9, 27)})),
        ),
        venues=(GOES,),
        memberships=(Membership("a", "p"), Membership("a", "q", Role.OPTIONAL)),
    )
    found = candidate_dates(p, "a")
    assert len(found) == 16
    assert set(SEPTEMBER) - set(found) == {
        date(2027, 9, 15),
        date(2027, 9, 20),
        date(2027, 9, 21),
        date(2027, 9, 22),
    }
    assert date(2027, 9, 16) in found
    assert date(2027, 9, 27) in found


def test_candidate_dates_stay_in_the_horizon() -> None:
    p = one_network(settings())
    net = p.network_by_id["a"]
    assert network_day_allowed(p, net, date(2027, 9, 3)) is False  # Friday before start
    assert network_day_allowed(p, net, date(2027, 10, 4)) is False  # Monday after end
    assert network_day_allowed(p, net, date(2027, 9, 6)) is True  # the start itself
    assert network_day_allowed(p, net, date(2027, 10, 1)) is True  # the end itself


# ------------------------------------------------------- max_meetings_possible
@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        (0, 20),  # every workday
        (1, 20),  # consecutive workdays are 1 day apart
        (3, 8),  # Mon, Thu of each week: 6/9, 13/16, 20/23, 27/30 (Mon->Thu 3, Thu->Mon 4)
        (7, 4),  # the four Mondays 6, 13, 20, 27 September
        (10, 3),  # 6/9, 16/9, 27/9 (26/9 is a Sunday)
        (14, 2),  # 6/9, 20/9; 4/10 is past the end
        (26, 1),  # 6/9 + 26 = 2/10, past the end
        (25, 2),  # 6/9 and 1/10, exactly 25 days apart
    ],
)
def test_max_meetings_possible_on_september(gap: int, expected: int) -> None:
    assert max_meetings_possible(tuple(SEPTEMBER), gap) == expected


def test_max_meetings_possible_edge_cases() -> None:
    assert max_meetings_possible((), 7) == 0
    assert max_meetings_possible((date(2027, 9, 6),), 365) == 1
    # Tuesdays and Thursdays of September with gap 7: Tue 7, 14, 21, 28 -> 4;
    # with gap 9: 7/9, 16/9 (Thu), 28/9 (Tue; 25/9 is a Saturday) -> 3.
    tue_thu = candidate_dates(one_network(settings(), weekdays=frozenset({1, 3})), "a")
    assert max_meetings_possible(tue_thu, 7) == 4
    assert max_meetings_possible(tue_thu, 9) == 3


def test_max_meetings_possible_over_the_school_year() -> None:
    # Zuid, gap 35 (five weeks), greedy from the first school day Mon 6/9/2027:
    # 6/9, 11/10, 15/11, 20/12, 24/1; 28/2 falls in the spring holiday
    # (26/2..5/3), so Mon 6/3; then 10/4, 15/5, 19/6; 24/7 is past the end
    # -> 9 meetings.
    problem = one_network(replace(SCHOOL_YEAR, region="zuid"), region="zuid")
    found = candidate_dates(problem, "a")
    assert found[0] == date(2027, 9, 6)
    assert max_meetings_possible(found, 35) == 9


# ------------------------------------------------------------------- warnings
def test_calendar_warnings_beyond_the_package() -> None:
    # The package knows school holidays up to 2030; a school year 2030-2031 lacks 2031.
    s = Settings(start=date(2030, 9, 2), end=date(2031, 7, 11))
    assert calendar_warnings(s) == [
        "school holidays of 2031 are not known to the holidays package; "
        "meetings may be planned in them"
    ]
    assert calendar_warnings(replace(s, school_holidays=False)) == []
    assert calendar_warnings(SCHOOL_YEAR) == []
    assert school_holidays(s, "midden") != {}  # 2030's are still known
    assert all(d.year == 2030 for d in school_holidays(s, "midden"))


def test_max_meetings_possible_counts_dates_unless_the_gap_is_zero() -> None:
    """Mon 6, Tue 7 and Mon 13 Sep: gap 7 fits two (6 and 13), gap 1 three; gap 0 lets
    a network meet several times a date, so the 5 meetings wanted fit, and with no date
    none do."""
    days = (date(2027, 9, 6), date(2027, 9, 7), date(2027, 9, 13))
    assert max_meetings_possible(days, 7, wanted=5) == 2
    assert max_meetings_possible(days, 1, wanted=5) == 3
    assert max_meetings_possible(days, 0, wanted=5) == 5
    assert max_meetings_possible((), 0, wanted=5) == 0
