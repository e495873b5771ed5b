"""The report's list of long waits (planner/report_waits.py)."""

from __future__ import annotations

from planner.check import check
from planner.problem import Membership, Problem
from planner.report_waits import long_waits, waits_section
from tests.conftest import GOES, MIDDELBURG, network, person, schedule_of, settings


def _relay() -> Problem:
    """Three networks at ``goes``: ``p`` in ``a`` and ``c``, ``q`` in ``b`` only."""
    return Problem(
        settings=settings(),
        networks=(network("a"), network("b", duration=120), network("c")),
        people=(person("p"), person("q")),
        venues=(GOES, MIDDELBURG),
        memberships=(Membership("a", "p"), Membership("b", "q"), Membership("c", "p")),
    )


def test_a_wait_filled_by_another_network_is_listed_with_it() -> None:
    """A relay a 09:00-10:00, b 10:15-12:15, c 12:30-13:30: p waits 150 minutes
    (10:00 to 12:30 > long_wait 60) while b meets in between; the checker counts
    the same single wait."""
    problem = _relay()
    plan = schedule_of(
        problem,
        ("a", "2027-09-07", "09:00", "goes"),
        ("b", "2027-09-07", "10:15", "goes"),
        ("c", "2027-09-07", "12:30", "goes"),
    )
    waits = long_waits(problem, plan)
    assert [(w.person, w.after.network, w.before.network, w.minutes) for w in waits] == [
        ("p", "a", "c", 150)
    ]
    assert [m.network for m in waits[0].between] == ["b"]
    assert check(problem, plan).figures.long_waits == 1
    html = waits_section(problem, plan, "en")
    assert "1 times someone waits longer than 60 minutes" in html
    assert "Netwerk B 10:15–12:15 (Goes)" in html
    assert "weight_long_waits" in html


def test_a_wait_of_exactly_the_limit_is_not_listed() -> None:
    """a 09:00-10:00 and c 11:00-12:00: a wait of exactly 60 minutes is not over
    long_wait 60, so no row and the "nobody waits" line (in Dutch by default)."""
    problem = _relay()
    plan = schedule_of(
        problem,
        ("a", "2027-09-07", "09:00", "goes"),
        ("c", "2027-09-07", "11:00", "goes"),
    )
    assert long_waits(problem, plan) == []
    assert check(problem, plan).figures.long_waits == 0
    assert "Niemand wacht langer dan 60 minuten" in waits_section(problem, plan)


def test_a_wait_with_nothing_in_between_says_nothing() -> None:
    """a at goes 09:00-10:00, c at middelburg 14:00-15:00 and b elsewhere in time:
    p waits 240 minutes with no other meeting at either venue in between."""
    problem = _relay()
    plan = schedule_of(
        problem,
        ("a", "2027-09-07", "09:00", "goes"),
        ("b", "2027-09-07", "15:00", "goes"),
        ("c", "2027-09-07", "14:00", "middelburg"),
    )
    waits = long_waits(problem, plan)
    assert [(w.minutes, w.between) for w in waits] == [(240, ())]
    assert "<td>nothing</td>" in waits_section(problem, plan, "en")
