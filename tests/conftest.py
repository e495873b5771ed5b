"""Tiny named instances shared by the tests.

Each builder returns a fresh :class:`planner.problem.Problem`. Keep them tiny
so that every expected figure can be derived by hand in the test's comment.
Coordinates: Goes (51.5040, 3.8880), Middelburg (51.4988, 3.6136), Vlissingen
(51.4426, 3.5736), Terneuzen (51.3358, 3.8283).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from planner.problem import (
    FixedMeeting,
    Membership,
    Network,
    Person,
    Problem,
    Role,
    Settings,
    Together,
    TravelOverride,
    Venue,
)
from planner.schedule import Schedule, ScheduledMeeting, meeting_id, session_id
from planner.weights import Weights

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


# ---------------------------------------------------------------------------
# Solver test instances (tests/test_solve_*.py, tests/test_complete_instance.py)
# ---------------------------------------------------------------------------
ZEELAND: tuple[tuple[float, float], ...] = (
    (51.5040, 3.8880),  # Goes
    (51.4988, 3.6136),  # Middelburg
    (51.4426, 3.5736),  # Vlissingen
    (51.3358, 3.8283),  # Terneuzen
    (51.6500, 3.9190),  # Zierikzee
    (51.2800, 4.0530),  # Hulst
    (51.5400, 3.7000),  # Veere
    (51.4000, 3.9500),  # Kapelle-ish
)
"""Homes of the generated people, in turn."""


def overlapping_networks(
    networks: int = 6, people: int = 15, meetings: int = 3, weeks: int = 8
) -> Problem:
    """``networks`` networks of 5 members each that overlap like a chain, over ``weeks`` weeks.

    Person ``pNN`` lives at ``ZEELAND[NN % 8]``. Network ``nK`` (K = 0, 1, ...)
    has the five people ``p(3K) .. p(3K + 4)`` (modulo ``people``), the last
    of them optional, so neighbouring networks share two members. Every
    network has ``meetings`` 60-minute meetings, at least 7 days apart, at
    ``goes`` (one room) or ``middelburg`` (two rooms). The horizon starts on
    Mon 2027-09-06 and lasts ``weeks`` weeks (Monday to Friday), with the
    2027 school holidays of region midden (autumn: 10-16 .. 10-24).
    """
    end = date(2027, 9, 6) + timedelta(days=7 * weeks - 3)
    persons = tuple(person(f"p{i:02d}", *ZEELAND[i % len(ZEELAND)]) for i in range(people))
    nets: list[Network] = []
    members: list[Membership] = []
    for k in range(networks):
        nid = f"n{k}"
        nets.append(network(nid, meetings=meetings, venues=("goes", "middelburg")))
        for j in range(5):
            role = Role.OPTIONAL if j == 4 else Role.REQUIRED
            members.append(Membership(nid, f"p{(3 * k + j) % people:02d}", role))
    return Problem(
        settings=settings(end=end, school_holidays=True),
        networks=tuple(nets),
        people=persons,
        venues=(GOES, replace(MIDDELBURG, rooms=2)),
        memberships=tuple(members),
    )


def complete_instance() -> Problem:
    """One problem that uses every feature of the input format.

    Horizon Mon 2027-04-12 .. Fri 2027-05-28 with Dutch public holidays
    (Koningsdag 04-27, Ascension 05-06, Whit Monday 05-17) and school
    holidays (May holiday 04-24 .. 05-02) on; default region ``noord``;
    day 08:30-17:30, slot 15, changeover 10, min_gap_days 14, at most 2
    meetings a person a day, road factor 1.25, 50 km/h, seed 7, language
    ``en``, every weight set. Three venues with costs, rooms, weekdays,
    hours and closures; eight people (one only optional, some unavailable);
    six networks with windows, weekdays, venue lists, regions and optional
    members, one without members; two fixed meetings; travel overrides
    between people and venues (one pair given in both directions with
    different km) and between two venues. Contract v1.1: ``long_wait`` 75,
    ``weight_together``, a person's and a venue's unavailable time range
    that no plan can break (a Saturday; from the venue's closing time), and
    two soft relay wishes (one with ``order``).

    ``tests/test_complete_instance.py`` writes the same problem as CSV files
    by hand and reads it back.
    """
    s = Settings(
        start=date(2027, 4, 12),
        end=date(2027, 5, 28),
        region="noord",
        weekdays=frozenset({0, 1, 2, 3, 4}),
        day_start=8 * 60 + 30,
        day_end=17 * 60 + 30,
        slot=15,
        changeover=10,
        min_gap_days=14,
        max_meetings_per_day=2,
        long_wait=75,
        public_holidays=True,
        school_holidays=True,
        road_factor=1.25,
        speed_kmh=50.0,
        time_limit=5.0,
        seed=7,
        timezone="Europe/Amsterdam",
        language="en",
        weights=Weights(
            travel_km=12,
            trips=80,
            idle_minutes=4,
            optional_clashes=300,
            venue_cost=5,
            spread_days=2,
            together=250,
        ),
    )
    day = 8 * 60 + 30
    venues = (
        Venue(
            id="goes",
            name="Het Goese Huis",
            lat=51.5040,
            lon=3.8880,
            capacity=12,
            weekdays=frozenset({0, 1, 2, 3, 4}),
            open=day,
            close=17 * 60 + 30,
            rooms=2,
            address="Stationsplein 1, 4461 HP Goes",
            unavailable=frozenset({date(2027, 4, 15), date(2027, 5, 10), date(2027, 5, 11)}),
            cost=25.0,
            # v1.1: from closing time on (touching ends: any meeting there may end at 17:30)
            unavailable_times=frozenset({(date(2027, 4, 20), 17 * 60 + 30, 19 * 60)}),
        ),
        Venue(
            id="middelburg",
            name="Zeeuwse Bibliotheek",
            lat=51.4988,
            lon=3.6136,
            capacity=6,
            weekdays=frozenset({0, 1, 3}),
            open=9 * 60,
            close=16 * 60,
        ),
        Venue(
            id="terneuzen",
            name="Scheldepoort",
            lat=51.3358,
            lon=3.8283,
            capacity=20,
            weekdays=frozenset({0, 2, 4}),
            open=day,
            close=17 * 60 + 30,
            unavailable=frozenset({date(2027, 5, 21)}),
            cost=10.5,
        ),
    )
    people = (
        Person(
            "anna",
            "Anna de Wit",
            51.4426,
            3.5736,
            organisation="Stichting Walcheren",
            email="anna@example.nl",
            unavailable=frozenset(
                {date(2027, 4, 19), date(2027, 5, 3), date(2027, 5, 4), date(2027, 5, 5)}
            ),
        ),
        Person("bert", "Bert Jansen", 51.5040, 3.8880, organisation="Onderwijsgroep Goes"),
        Person("carla", "Carla Ünal", 51.4988, 3.6136, email="carla@example.nl"),
        Person(
            "dirk",
            "Dirk de Vries, MBA",
            51.3358,
            3.8283,
            organisation="Stichting Zeeuws-Vlaanderen",
            unavailable=frozenset({date(2027, 4, 14)}),
            # v1.1: a Saturday morning (no network meets on Saturdays)
            unavailable_times=frozenset({(date(2027, 4, 17), 9 * 60, 12 * 60)}),
        ),
        Person("eva", "Eva 't Hart", 51.6500, 3.9190),
        Person("frank", "Frank Smet", 51.2800, 4.0530),
        Person("gina", "Gina Bakker", 51.4426, 3.5736),
        Person("henk", "Henk Visser", 51.5040, 3.8880),
    )
    workdays = frozenset({0, 1, 2, 3, 4})
    networks = (
        Network("swv-wal", "SWV Walcheren", 3, 90, 14, workdays, day, 17 * 60 + 30,
                ("middelburg", "goes"), "noord"),
        Network("swv-osb", "SWV Oosterschelde", 2, 60, 21, frozenset({0, 1, 2}), 9 * 60,
                12 * 60, ("goes",), "midden"),
        Network("po-zvl", "PO Zeeuws-Vlaanderen", 2, 120, 14, frozenset({2, 4}), 13 * 60,
                17 * 60 + 30, ("terneuzen", "goes"), "zuid"),
        Network("vo-zld", "VO Zeeland", 3, 60, 10, workdays, day, 16 * 60,
                ("goes", "middelburg", "terneuzen"), "noord"),
        Network("bestuur", "Bestuurdersoverleg", 2, 45, 14, workdays, day, 17 * 60 + 30,
                ("goes",), "noord"),
        Network("leeg", "Werkgroep zonder leden", 1, 30, 14, workdays, day, 17 * 60 + 30,
                ("terneuzen",), "noord"),
    )  # fmt: skip
    opt = Role.OPTIONAL
    memberships = (
        Membership("swv-wal", "anna"),
        Membership("swv-wal", "carla"),
        Membership("swv-wal", "gina"),
        Membership("swv-wal", "henk", opt),
        Membership("swv-osb", "bert"),
        Membership("swv-osb", "eva"),
        Membership("swv-osb", "anna"),
        Membership("swv-osb", "henk", opt),
        Membership("po-zvl", "dirk"),
        Membership("po-zvl", "frank"),
        Membership("po-zvl", "carla", opt),
        Membership("vo-zld", "anna"),
        Membership("vo-zld", "bert"),
        Membership("vo-zld", "carla"),
        Membership("vo-zld", "dirk"),
        Membership("vo-zld", "eva"),
        Membership("vo-zld", "frank"),
        Membership("vo-zld", "gina", opt),
        Membership("bestuur", "bert"),
        Membership("bestuur", "dirk"),
        Membership("bestuur", "anna", opt),
    )
    fixed = (
        FixedMeeting("bestuur", date(2027, 4, 21), 10 * 60, "goes"),
        FixedMeeting("swv-wal", date(2027, 5, 24), 9 * 60, "middelburg"),
    )
    travel = (
        TravelOverride("anna", "goes", 35.0, 40.0),
        TravelOverride("goes", "anna", 38.0),
        TravelOverride("bert", "terneuzen", 28.5),
        TravelOverride("goes", "middelburg", 22.0, 25.0),
        TravelOverride("frank", "terneuzen", 30.0, 35.0),
    )
    return Problem(
        settings=s,
        networks=networks,
        people=people,
        venues=venues,
        memberships=memberships,
        fixed=fixed,
        travel=travel,
        # v1.1 relay wishes, soft (any plan satisfies them; they only count in figures)
        together=(
            Together(("swv-wal", "vo-zld"), 1, order=True),
            Together(("swv-osb", "bestuur", "vo-zld"), 2),
        ),
    )


def three_networks_one_venue(**windows: tuple[int, int]) -> Problem:
    """Networks ``a``, ``b``, ``c`` (one 60-minute meeting each) at ``goes`` (one room).

    ``p`` is required in ``a`` and ``c``, ``r`` in ``b`` only. ``windows`` sets a
    network's ``(earliest, latest)`` minutes (default 09:00-17:00).
    """
    nets = tuple(
        network(n, **dict(zip(("earliest", "latest"), windows[n], strict=True)))
        if n in windows
        else network(n)
        for n in ("a", "b", "c")
    )
    return Problem(
        settings=settings(),
        networks=nets,
        people=(person("p"), person("r")),
        venues=(GOES,),
        memberships=(Membership("a", "p"), Membership("b", "r"), Membership("c", "p")),
    )
