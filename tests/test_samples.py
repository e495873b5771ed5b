"""The realistic samples in ``samples/``: current, readable, sized as documented, plannable.

The sizes and overlap asserted here are the ones ``samples/README.md`` states.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.calendar import candidate_dates, max_meetings_possible
from planner.check import check
from planner.problem import FixedMeeting, Membership, Problem, Role
from planner.read import read_problem_with_warnings
from planner.schedule import Schedule
from samples.generate import (
    HERE,
    Sample,
    Stats,
    build_all,
    most_meetings,
    stats,
    to_problem,
    verify,
    witness,
    write_sample,
)
from tests.conftest import GOES, network, person, settings

NAMES = ("zeeland", "randstad", "achterhoek", "veluwe")


@cache
def sample(name: str) -> Sample:
    """The generator's sample ``name`` (built once)."""
    return {s.name: s for s in build_all()}[name]


@cache
def problem(name: str) -> Problem:
    """The sample as read by the project's reader from the committed files."""
    return read_problem_with_warnings(HERE / sample(name).target)[0]


def files_of(root: Path, s: Sample) -> list[Path]:
    """Files of a written sample, relative to ``root``."""
    target = root / s.target
    paths = [target] if target.is_file() else sorted(target.iterdir())
    return [p.relative_to(root) for p in paths]


# ------------------------------------------------------------ generated files
def test_generator_is_deterministic_and_files_are_current(tmp_path: Path) -> None:
    # Writing the samples again gives byte-identical files: the committed
    # files are the generator's output (regenerate with samples/generate.py).
    for s in build_all():
        written = write_sample(s, tmp_path)
        assert sorted(p.relative_to(tmp_path) for p in written) == files_of(HERE, s)
        for path in written:
            rel = path.relative_to(tmp_path)
            assert path.read_bytes() == (HERE / rel).read_bytes(), f"{rel} is out of date"


@pytest.mark.parametrize("name", NAMES)
def test_reader_reads_what_the_generator_means(name: str) -> None:
    # The project's reader and the generator's own contract-following
    # conversion agree on every field, with no warnings.
    read, warnings = read_problem_with_warnings(HERE / sample(name).target)
    assert warnings == []
    mine = to_problem(sample(name))
    assert read.settings == mine.settings
    assert read.networks == mine.networks
    assert read.people == mine.people
    assert read.venues == mine.venues
    assert read.memberships == mine.memberships
    assert read.fixed == mine.fixed
    assert read.travel == mine.travel


def test_file_formats() -> None:
    # zeeland: one workbook with the seven sheets in contract order.
    wb = load_workbook(HERE / "zeeland.xlsx", read_only=True)
    assert wb.sheetnames == [
        "networks",
        "people",
        "memberships",
        "venues",
        "fixed",
        "travel",
        "settings",
    ]
    wb.close()
    # randstad: Dutch Excel: ';', Windows-1252 (not valid UTF-8), decimal commas.
    people = (HERE / "randstad" / "people.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        people.decode("utf-8")
    text = people.decode("cp1252")
    assert text.splitlines()[0] == "id;name;organisation;email;lat;lon;unavailable"
    assert "Öztürk" in text
    assert ";52,3676;4,9041;" in text  # Amsterdam
    assert "\r\n" in text
    assert sorted(p.name for p in (HERE / "randstad").iterdir()) == [
        "fixed.csv",
        "memberships.csv",
        "networks.csv",
        "people.csv",
        "settings.csv",
        "travel.csv",
        "venues.csv",
    ]
    # achterhoek: ',' and UTF-8 without BOM; no travel file (it is optional).
    ach = (HERE / "achterhoek" / "people.csv").read_bytes()
    assert not ach.startswith(b"\xef\xbb\xbf")
    assert ach.decode("utf-8").splitlines()[0] == "id,name,organisation,email,lat,lon,unavailable"
    assert not (HERE / "achterhoek" / "travel.csv").exists()
    # veluwe: places instead of coordinates (contract v1.1), ';' and UTF-8.
    vel = (HERE / "veluwe" / "people.csv").read_bytes().decode("utf-8")
    assert vel.splitlines()[0] == "id;name;organisation;email;place;unavailable"
    assert ";Putten, Gelderland;" in vel  # Putten is also a place in Noord-Brabant
    venues = (HERE / "veluwe" / "venues.csv").read_bytes().decode("utf-8")
    assert venues.splitlines()[0].startswith("id;name;address;place;capacity;")


# ------------------------------------------------------------- sizes, overlap
EXPECTED = {
    "zeeland": Stats(
        networks=12,
        people=30,
        venues=5,
        memberships=222,
        optional=16,
        meetings=70,
        fixed=2,
        travel=4,
        network_sizes=(11, 27),
        networks_per_person=(5, 10),
        people_by_count=((5, 9), (6, 3), (7, 2), (8, 6), (9, 3), (10, 7)),
        min_slack=2,
    ),
    "randstad": Stats(
        networks=29,
        people=209,
        venues=9,
        memberships=407,
        optional=39,
        meetings=153,
        fixed=2,
        travel=2,
        network_sizes=(8, 25),
        networks_per_person=(1, 4),
        people_by_count=((1, 75), (2, 81), (3, 42), (4, 11)),
        min_slack=3,
    ),
    "achterhoek": Stats(
        networks=9,
        people=91,
        venues=6,
        memberships=99,
        optional=3,
        meetings=47,
        fixed=1,
        travel=0,
        network_sizes=(8, 14),
        networks_per_person=(1, 2),
        people_by_count=((1, 83), (2, 8)),
        min_slack=3,
    ),
    "veluwe": Stats(
        networks=4,
        people=30,
        venues=3,
        memberships=40,
        optional=1,
        meetings=20,
        fixed=0,
        travel=0,
        network_sizes=(9, 12),
        networks_per_person=(1, 3),
        people_by_count=((1, 21), (2, 8), (3, 1)),
        min_slack=4,
    ),
}


@pytest.mark.parametrize("name", NAMES)
def test_sizes_as_documented(name: str) -> None:
    assert stats(problem(name)) == EXPECTED[name]


def sharing_pairs(p: Problem) -> int:
    """Pairs of networks with a required member in common."""
    ids = [n.id for n in p.networks]
    return sum(1 for a, b in itertools.combinations(ids, 2) if p.shared_members(a, b))


def in_at_least(p: Problem, count: int) -> int:
    """People in ``count`` or more networks (any role)."""
    return sum(1 for x in p.people if len(p.networks_of(x.id)) >= count)


def test_zeeland_high_overlap() -> None:
    p = problem("zeeland")
    # 30 of 30 people (100% >= 80%) sit in 3 or more networks (in fact 5 to 10),
    # and every one of the 12 x 11 / 2 = 66 network pairs shares a required member.
    assert in_at_least(p, 3) == 30
    assert in_at_least(p, 3) >= 0.8 * len(p.people)
    assert sharing_pairs(p) == 66
    assert len({x.organisation for x in p.people}) == 27  # boards


def test_randstad_partial_overlap() -> None:
    p = problem("randstad")
    # 75 people in one network, 134 in two or more; 95 of 29 x 28 / 2 = 406
    # network pairs share a required member.
    assert in_at_least(p, 2) == 134
    assert in_at_least(p, 3) == 53
    assert sharing_pairs(p) == 95
    # City networks never share with another city's networks; the cross-city
    # networks do.
    city = {"ams", "rtd", "dh", "utr"}

    def prefix(network_id: str) -> str:
        return network_id.split("-", maxsplit=1)[0]

    for a, b in itertools.combinations([n.id for n in p.networks], 2):
        if prefix(a) in city and prefix(b) in city and prefix(a) != prefix(b):
            assert p.shared_members(a, b, role=None) == (), (a, b)
    # The G4 network shares members with city networks of all four cities.
    g4_partners = {
        prefix(n.id)
        for n in p.networks
        if prefix(n.id) in city and p.shared_members("g4-gka", n.id)
    }
    assert g4_partners == city


def test_veluwe_places_only() -> None:
    """The veluwe sample gives places only; they resolve inside the Veluwe, Putten in Gelderland."""
    p = problem("veluwe")
    assert all(x.place for x in p.people) and all(v.place for v in p.venues)
    assert [(v.id, v.lat, v.lon) for v in p.venues] == [
        ("apeldoorn", 52.21, 5.96944),
        ("ede", 52.03333, 5.65833),
        ("harderwijk", 52.34167, 5.62083),
    ]
    assert in_at_least(p, 2) == 9
    assert in_at_least(p, 3) == 1
    assert sharing_pairs(p) == 5


def test_achterhoek_low_overlap() -> None:
    p = problem("achterhoek")
    # 8 of 91 people (under 10%) sit in two networks, nobody in three; 5 of
    # 9 x 8 / 2 = 36 network pairs share a member.
    assert in_at_least(p, 2) == 8
    assert in_at_least(p, 3) == 0
    assert sharing_pairs(p) == 5


def test_regions() -> None:
    # Zeeland: zuid. Amsterdam (Noord-Holland): noord; Rotterdam, Den Haag,
    # Utrecht: midden. Twente (Overijssel): noord; Achterhoek (Gelderland): midden.
    assert {n.region for n in problem("zeeland").networks} == {"zuid"}
    randstad = {n.id: n.region for n in problem("randstad").networks}
    assert sorted(i for i, r in randstad.items() if r == "noord") == [
        "ams-gka",
        "ams-oab",
        "ams-ral",
        "ams-rea",
        "ams-stt",
        "ams-swv-po",
        "ams-swv-vo",
    ]
    assert sum(r == "midden" for r in randstad.values()) == 22
    achterhoek = {n.id: n.region for n in problem("achterhoek").networks}
    assert sorted(i for i, r in achterhoek.items() if r == "noord") == [
        "twe-oab",
        "twe-stt",
        "twe-swv-po",
        "twe-swv-vo",
    ]


BOXES = {  # (lat min, lat max, lon min, lon max) of the area
    "zeeland": (51.2, 51.8, 3.3, 4.3),
    "randstad": (51.8, 52.6, 4.2, 5.3),
    "achterhoek": (51.85, 52.45, 6.2, 7.1),
    "veluwe": (51.9, 52.55, 5.5, 6.2),
}


@pytest.mark.parametrize("name", NAMES)
def test_realistic_values(name: str) -> None:
    p = problem(name)
    s = p.settings
    assert (s.start, s.end) == (date(2027, 8, 30), date(2028, 7, 14))
    lat0, lat1, lon0, lon1 = BOXES[name]
    places = [(x.lat, x.lon) for x in p.people] + [(v.lat, v.lon) for v in p.venues]
    assert all(lat0 <= lat <= lat1 and lon0 <= lon <= lon1 for lat, lon in places)
    emails = [x.email for x in p.people]
    assert len(set(emails)) == len(emails)
    assert all(e.endswith("@example.nl") and e.isascii() for e in emails)
    for n in p.networks:
        assert 4 <= n.meetings <= 8
        assert 60 <= n.duration <= 150 and n.duration % 15 == 0
        assert 21 <= n.min_gap_days <= 42
        assert 8 <= len(p.members(n.id)) <= 27


# --------------------------------------------------------------- plannability
@pytest.mark.parametrize("name", NAMES)
def test_every_network_fits_its_dates(name: str) -> None:
    p = problem(name)
    for n in p.networks:
        days = candidate_dates(p, n.id)
        # the contract's own measure, ignoring fixed meetings, with room to spare
        assert max_meetings_possible(days, n.min_gap_days) >= n.meetings + 2, n.id
        # and around the fixed meetings, at venues whose hours hold a meeting
        assert most_meetings(p, n.id) >= n.meetings + 2, n.id


@pytest.mark.parametrize("name", NAMES)
def test_capacity_and_fixed_meetings_are_sound(name: str) -> None:
    p = problem(name)
    for n in p.networks:
        size = len(p.members(n.id))
        assert all(p.venue_by_id[v].capacity >= size for v in n.venues), n.id
    assert verify(p) == []


@pytest.mark.parametrize("name", NAMES)
def test_a_plan_without_hard_violations_exists(name: str) -> None:
    # The generator's greedy witness is a complete plan; the checker finds no
    # hard violation in it, so the planner has a feasible problem.
    p = problem(name)
    placements, faults = witness(p)
    assert faults == []
    schedule = Schedule.build(p, placements)
    assert len(schedule) == EXPECTED[name].meetings
    report = check(p, schedule)
    assert report.hard_violations == 0, {k: v for k, v in report.by_kind.items() if v}


# ------------------------------------------------------ the generator's judge
def tiny(meetings: int, gap: int, fixed: tuple[date, ...] = ()) -> Problem:
    """One network at Goes over conftest's four September weeks (20 workdays)."""
    return Problem(
        settings=settings(),
        networks=(network("a", meetings=meetings, min_gap_days=gap),),
        people=(person("p"),),
        venues=(GOES,),
        memberships=(Membership("a", "p"),),
        fixed=tuple(FixedMeeting("a", d, 9 * 60, "goes") for d in fixed),
    )


def test_most_meetings_counts_around_fixed_meetings() -> None:
    # Gap 10 over Mon 6/9 .. Fri 1/10: 6/9, 16/9, 27/9 -> 3.
    assert most_meetings(tiny(2, 10), "a") == 3
    # Fixed Mon 13/9: nothing fits before it (3/9 is outside), after it the
    # first date >= 23/9 is Thu 23/9 and 3/10 is outside -> 1 + 1 = 2.
    assert most_meetings(tiny(2, 10, (date(2027, 9, 13),)), "a") == 2
    # Two fixed meetings 7 days apart break the gap of 10 themselves.
    assert most_meetings(tiny(2, 10, (date(2027, 9, 6), date(2027, 9, 13))), "a") == -1


def test_verify_reports_an_overfull_network() -> None:
    # 3 fit (see above); asking for 3 leaves no slack, asking for 4 cannot work.
    assert verify(tiny(2, 10)) == []
    assert verify(tiny(3, 10)) == ["a: 3 meetings but at most 3 fit (no slack)"]
    faults = verify(tiny(4, 10))
    assert faults == [
        "a: greedy plan placed 3 of 4",
        "a: 4 meetings but at most 3 fit (no slack)",
    ]


def test_verify_reports_a_too_small_venue() -> None:
    p = tiny(1, 10)
    small = replace(p, venues=(replace(GOES, capacity=1),))
    bigger = replace(
        small,
        people=(person("p"), person("q")),
        memberships=(Membership("a", "p"), Membership("a", "q", Role.OPTIONAL)),
    )
    assert verify(small) == []
    # the optional member counts toward capacity: 2 people, room for 1
    assert verify(bigger) == ["a: 2 members do not fit venue(s) ['goes']"]
