"""Tiny named instances shared by the tests.

Each builder returns a fresh :class:`planner.problem.Problem`. Keep them tiny
so that every expected figure can be derived by hand in the test's comment.
Coordinates: Goes (51.5040, 3.8880), Middelburg (51.4988, 3.6136), Vlissingen
(51.4426, 3.5736), Terneuzen (51.3358, 3.8283).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from planner.problem import (
    Membership,
    Network,
    Person,
    Problem,
    Role,
    Settings,
    Venue,
)
from planner.schedule import Schedule, ScheduledMeeting, meeting_id, session_id

WORKDAYS = frozenset({0, 1, 2, 3, 4})


def settings(**kw: Any) -> Settings:
    """Settings for a short horizon, no holidays, unless overridden."""
    base = Settings(
        start=date(2027, 9, 6),  # a Monday
        end=date(2027, 10, 1),  # a Friday, four weeks later
        public_holidays=False,
        school_holidays=False,
        min_gap_days=7,
        time_limit=10,
    )
    return replace(base, **kw)


def network(id_: str, **kw: Any) -> Network:
    """A network with one 60-minute meeting, any workday, 09:00-17:00, venue ``goes``."""
    base = Network(
        id=id_,
        name=f"Netwerk {id_.upper()}",
        meetings=1,
        duration=60,
        min_gap_days=7,
        weekdays=WORKDAYS,
        earliest=9 * 60,
        latest=17 * 60,
        venues=("goes",),
        region="midden",
    )
    return replace(base, **kw)


def venue(id_: str, lat: float, lon: float, **kw: Any) -> Venue:
    """A venue open workdays 09:00-17:00, capacity 20, one room."""
    base = Venue(
        id=id_,
        name=id_.capitalize(),
        lat=lat,
        lon=lon,
        capacity=20,
        weekdays=WORKDAYS,
        open=9 * 60,
        close=17 * 60,
    )
    return replace(base, **kw)


GOES = venue("goes", 51.5040, 3.8880)
MIDDELBURG = venue("middelburg", 51.4988, 3.6136)


def person(id_: str, lat: float = 51.4426, lon: float = 3.5736, **kw: Any) -> Person:
    """A person living in Vlissingen unless told otherwise."""
    return replace(Person(id=id_, name=id_.capitalize(), lat=lat, lon=lon), **kw)


def two_networks_one_member() -> Problem:
    """Networks ``a`` and ``b``, one meeting each, sharing required member ``p``.

    ``q`` is required in ``a`` only; ``r`` is optional in ``b``.
    """
    return Problem(
        settings=settings(),
        networks=(network("a"), network("b", venues=("goes", "middelburg"))),
        people=(person("p"), person("q", 51.5040, 3.8880), person("r")),
        venues=(GOES, MIDDELBURG),
        memberships=(
            Membership("a", "p"),
            Membership("a", "q"),
            Membership("b", "p"),
            Membership("b", "r", Role.OPTIONAL),
        ),
    )


@pytest.fixture
def tiny() -> Problem:
    """:func:`two_networks_one_member` as a fixture."""
    return two_networks_one_member()


def schedule_of(problem: Problem, *rows: tuple[str, ...]) -> Schedule:
    """A schedule in the given row order, from ``(network, "YYYY-MM-DD", "HH:MM", venue)`` rows.

    A fifth item ``"HH:MM"`` sets the end (default: start + the network's
    duration, or 60 minutes for a network the problem lacks). Meetings are
    numbered per network in row order; attendees are the network's members.
    """
    out: list[ScheduledMeeting] = []
    seqs: dict[str, int] = {}
    for network, day, start, venue_id, *rest in rows:
        h, m = start.split(":")
        begin = int(h) * 60 + int(m)
        net = problem.network_by_id.get(network)
        if rest:
            eh, em = rest[0].split(":")
            end = int(eh) * 60 + int(em)
        else:
            end = begin + (net.duration if net is not None else 60)
        seqs[network] = seqs.get(network, 0) + 1
        d = date.fromisoformat(day)
        out.append(
            ScheduledMeeting(
                meeting=meeting_id(network, seqs[network]),
                network=network,
                seq=seqs[network],
                date=d,
                start=begin,
                end=end,
                venue=venue_id,
                session=session_id(d, venue_id),
                attendees=problem.members(network),
            )
        )
    return Schedule(tuple(out))
