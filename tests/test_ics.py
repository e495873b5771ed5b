"""Calendar files (``planner/ics.py``, ``dakpan export-ics``), read by real parsers.

Besides icalendar, the files are read by Mozilla's ical.js (Thunderbird's
parser, from ``tests/js``), the strict parser of the Python ``ical`` package
and ``vobject`` with validation. The CalDAV round trip is in
``test_ics_caldav.py``.

The sample plan (:func:`sample`) has five meetings; Amsterdam is UTC+2 until
the last Sunday of October 2027 (the 31st) and UTC+1 after, so:

========  ==========  ===========  ==================  ==========
meeting   date        local        UTC                 venue
========  ==========  ===========  ==================  ==========
A-1       2027-09-14  09:00-10:00  07:00-08:00         goes
a-1       2027-09-14  10:00-11:00  08:00-09:00         goes
b-1       2027-09-14  11:15-12:15  09:15-10:15         goes
a-2       2027-11-16  10:00-11:00  09:00-10:00         goes
b-2       2027-11-17  09:00-10:00  08:00-09:00         middelburg
========  ==========  ===========  ==================  ==========
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from typer.testing import CliRunner

from cli.app import app
from planner.ics import (
    calendar_files,
    file_names,
    fingerprint,
    ics_writer,
    long_date,
    next_sequences,
    person_calendar,
    slug,
    uid_for,
    unique_slugs,
    write_calendars,
)
from planner.ics_format import IcsError, escape_text, fold_line, vtimezone_lines
from planner.planfile import write_plan_folder
from planner.problem import Membership, Problem, Role
from planner.schedule import Schedule
from tests.conftest import GOES, MIDDELBURG, network, person, settings

H = "20270906-20271217."  # the sample plan's horizon, in front of every UID

JS_DIR = Path(__file__).parent / "js"

NAME_A = "Zeeuwse Scholen; Noord, Zuid \\ Café"  # one backslash
ADDRESS = "Stationsplein 1\n4461 HN Goes"
LOCATION_GOES = "Goes, Stationsplein 1\n4461 HN Goes"

# Meeting -> (UID, UTC start, UTC end), as derived in the module docstring.
EXPECTED: dict[str, tuple[str, datetime, datetime]] = {
    "A-1": (
        f"{H}a~559aead0-1@dakpan",
        datetime(2027, 9, 14, 7, 0, tzinfo=UTC),
        datetime(2027, 9, 14, 8, 0, tzinfo=UTC),
    ),
    "a-1": (
        f"{H}a-1@dakpan",
        datetime(2027, 9, 14, 8, 0, tzinfo=UTC),
        datetime(2027, 9, 14, 9, 0, tzinfo=UTC),
    ),
    "b-1": (
        f"{H}b-1@dakpan",
        datetime(2027, 9, 14, 9, 15, tzinfo=UTC),
        datetime(2027, 9, 14, 10, 15, tzinfo=UTC),
    ),
    "a-2": (
        f"{H}a-2@dakpan",
        datetime(2027, 11, 16, 9, 0, tzinfo=UTC),
        datetime(2027, 11, 16, 10, 0, tzinfo=UTC),
    ),
    "b-2": (
        f"{H}b-2@dakpan",
        datetime(2027, 11, 17, 8, 0, tzinfo=UTC),
        datetime(2027, 11, 17, 9, 0, tzinfo=UTC),
    ),
}

# File -> its meetings, in schedule order. "a" and "A" slugify alike, so both
# get the first 8 hex digits of the sha256 of their id; "ü/../x" becomes "u-x".
FILES: dict[str, list[str]] = {
    "person-p.ics": ["a-1", "b-1", "a-2", "b-2"],
    "person-q.ics": ["a-1", "a-2"],
    "person-r.ics": ["A-1", "b-1", "b-2"],
    "person-s.ics": [],
    "network-a-ca978112.ics": ["a-1", "a-2"],
    "network-b.ics": ["b-1", "b-2"],
    "network-a-559aead0.ics": ["A-1"],
    "network-u-x.ics": [],
    "venue-goes.ics": ["A-1", "a-1", "b-1", "a-2"],
    "venue-middelburg.ics": ["b-2"],
    "all.ics": ["A-1", "a-1", "b-1", "a-2", "b-2"],
}

# The relay of the 14 September session as person p reads meeting a-1.
DESCRIPTION_P_A1 = (
    f"{NAME_A}, bijeenkomst 1 van 2.\n"
    "\n"
    "Alle bijeenkomsten in Goes op dinsdag 14 september 2027:\n"
    "09:00–10:00  Andere A\n"
    f"10:00–11:00  {NAME_A}  ← deze bijeenkomst\n"
    "11:15–12:15  Netwerk B  ← ook jouw bijeenkomst"
)
# Person r is optional in b and A.
DESCRIPTION_R_B1 = (
    "Netwerk B, bijeenkomst 1 van 2.\n"
    "Je bent optioneel lid van dit netwerk.\n"
    "\n"
    "Alle bijeenkomsten in Goes op dinsdag 14 september 2027:\n"
    "09:00–10:00  Andere A  ← ook jouw bijeenkomst, optioneel\n"
    f"10:00–11:00  {NAME_A}\n"
    "11:15–12:15  Netwerk B  ← deze bijeenkomst"
)


def sample(language: str = "nl", timezone: str = "Europe/Amsterdam") -> Problem:
    """Networks a (tricky name), b, A (slug twin of a) and ü/../x (no meetings)."""
    return Problem(
        settings=settings(
            start=date(2027, 9, 6),
            end=date(2027, 12, 17),
            language=language,
            timezone=timezone,
            min_gap_days=7,
        ),
        networks=(
            network("a", name=NAME_A, meetings=2),
            network("b", meetings=2, venues=("goes", "middelburg")),
            network("A", name="Andere A"),
            network("ü/../x", name="Ünïcode"),
        ),
        people=(
            person("p", name="José Müller"),
            person("q", 51.5040, 3.8880),
            person("r"),
            person("s", name="Sanne"),
        ),
        venues=(replace(GOES, address=ADDRESS), MIDDELBURG),
        memberships=(
            Membership("a", "p"),
            Membership("a", "q"),
            Membership("b", "p"),
            Membership("b", "r", Role.OPTIONAL),
            Membership("A", "r", Role.OPTIONAL),
        ),
    )


def placements(b1_start: int = 11 * 60 + 15) -> list[tuple[str, date, int, str]]:
    """The five meetings of the module docstring; ``b1_start`` moves b-1."""
    return [
        ("A", date(2027, 9, 14), 9 * 60, "goes"),
        ("a", date(2027, 9, 14), 10 * 60, "goes"),
        ("b", date(2027, 9, 14), b1_start, "goes"),
        ("a", date(2027, 11, 16), 10 * 60, "goes"),
        ("b", date(2027, 11, 17), 9 * 60, "middelburg"),
    ]


def sample_schedule(problem: Problem, b1_start: int = 11 * 60 + 15) -> Schedule:
    """:func:`placements` as a schedule."""
    return Schedule.build(problem, placements(b1_start))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample plan's ``ics/`` folder, written once for the read-only tests."""
    problem = sample()
    out = tmp_path_factory.mktemp("export") / "ics"
    write_calendars(out, problem, sample_schedule(problem))
    return out


def unfold(data: bytes) -> list[str]:
    """Content lines of a file (CRLF + space joins)."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def events_of(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


# ------------------------------------------------------------- small functions
def test_escape_text_escapes_backslash_semicolon_comma_and_line_breaks() -> None:
    assert escape_text("a\\b;c,d\r\ne\rf\ng\x07h") == "a\\\\b\\;c\\,d\\ne\\nf\\ng h"


def test_fold_line_counts_octets_and_keeps_utf8_characters_whole() -> None:
    # "DESCRIPTION:" is 12 octets and "é" 2: the first line takes 31 é (74
    # octets; a 32nd would make 76), a continuation line " " + 37 é (75),
    # the last " " + the remaining 100 - 31 - 37 = 32 é (65).
    data = fold_line("DESCRIPTION:" + "é" * 100)
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    assert [len(line) for line in lines[:-1]] == [74, 75, 65]
    assert [line.decode("utf-8")[:1] for line in lines[1:-1]] == [" ", " "]
    assert data.decode("utf-8").replace("\r\n ", "") == "DESCRIPTION:" + "é" * 100 + "\r\n"


def test_fold_line_keeps_an_escape_pair_on_one_line() -> None:
    # "X:" + 72 "a" is 74 octets; the 2-octet escape "\;" would make 76, so
    # it moves to the next line whole: " \;" is 3 octets.
    data = fold_line("X:" + "a" * 72 + "\\;")
    assert data == b"X:" + b"a" * 72 + b"\r\n \\;\r\n"


def test_short_line_is_not_folded() -> None:
    assert fold_line("VERSION:2.0") == b"VERSION:2.0\r\n"


def test_uid_depends_on_network_and_number_only_and_ignores_case_safely() -> None:
    assert uid_for("swv-zld", 3) == "swv-zld-3@dakpan"
    # Upper case: lower-cased plus "~" and sha256("SWV-ZLD")[:8].
    expected_hash = hashlib.sha256(b"SWV-ZLD").hexdigest()[:8]
    assert uid_for("SWV-ZLD", 3) == f"swv-zld~{expected_hash}-3@dakpan"
    assert uid_for("a b/é", 2) == "a%20b%2f%c3%a9-2@dakpan"
    assert uid_for("a", 1).lower() != uid_for("A", 1).lower()


def test_slug_is_ascii_without_separators() -> None:
    assert slug("Café/../x") == "cafe-x"
    assert slug("..\\CON") == "con"
    assert slug("") == "id"
    assert slug("///") == "id"
    assert slug("x" * 80) == "x" * 60


def test_unique_slugs_hash_the_ids_whose_slugs_coincide() -> None:
    # "a" and "A" both slugify to "a": each gets sha256(id)[:8].
    assert unique_slugs(["a", "A", "b"]) == {"a": "a-ca978112", "A": "a-559aead0", "b": "b"}


def test_unique_slugs_hash_everything_longer_when_a_hashed_slug_meets_a_plain_one() -> None:
    ids = ["a", "A", "a-ca978112"]  # "a" hashed would be "a-ca978112", taken by the third
    expected = {i: f"{slug(i)}-{hashlib.sha256(i.encode()).hexdigest()[:16]}" for i in ids}
    assert unique_slugs(ids) == expected
    assert expected["a"] == "a-ca978112ca1bbdca"


def test_file_names_are_unique_and_safe() -> None:
    names = file_names(sample())
    assert sorted(names.values()) == sorted(FILES)
    assert all(re.fullmatch(r"[a-z0-9-]+\.ics", n) for n in names.values())


def test_person_files_are_named_after_email_where_given() -> None:
    # The contract: a person's email names their own calendar file. Without an
    # email the id does; two people with the same email still get two files.
    problem = sample()
    first, second, *rest = problem.people
    people = (
        replace(first, email="J.deVries@example.nl"),
        replace(second, email="J.deVries@example.nl"),
        *rest,
    )
    names = file_names(replace(problem, people=people))
    mine = names[("person", first.id)]
    theirs = names[("person", second.id)]
    assert mine.startswith("person-j-devries-example-nl")
    assert theirs.startswith("person-j-devries-example-nl")
    assert mine != theirs
    plain = file_names(replace(problem, people=(replace(first, email="a@b.nl"), *people[1:])))
    assert plain[("person", first.id)] == "person-a-b-nl.ics"
    for other in rest:
        assert names[("person", other.id)] == f"person-{other.id}.ics"


def test_long_date_in_dutch_and_english() -> None:
    assert long_date(date(2027, 11, 16), "nl") == "dinsdag 16 november 2027"
    assert long_date(date(2027, 11, 16), "en") == "Tuesday 16 November 2027"


# ------------------------------------------------------------------ time zones
AMSTERDAM_VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Amsterdam",
    "X-LIC-LOCATION:Europe/Amsterdam",
    "BEGIN:DAYLIGHT",
    "TZNAME:CEST",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZNAME:CET",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def test_amsterdam_vtimezone_is_the_compact_rrule_form() -> None:
    # 29 March and 25 October 1970 were the last Sundays of those months.
    assert vtimezone_lines("Europe/Amsterdam", range(2027, 2029)) == AMSTERDAM_VTIMEZONE


def _offsets_agree(tzid: str, years: range) -> list[datetime]:
    """Instants (every 6 hours, and around each transition) where the VTIMEZONE disagrees."""
    text = "\r\n".join(vtimezone_lines(tzid, years)) + "\r\n"
    built = icalendar.Timezone.from_ical(text).to_tz(lookup_tzid=False)  # not zoneinfo
    zone = ZoneInfo(tzid)
    bad = []
    instant = datetime(years.start, 1, 1, tzinfo=UTC)
    while instant < datetime(years.stop, 1, 1, tzinfo=UTC):
        for probe in (instant, instant + timedelta(minutes=59)):
            if probe.astimezone(built).utcoffset() != probe.astimezone(zone).utcoffset():
                bad.append(probe)
        instant += timedelta(hours=6)
    return bad


@pytest.mark.parametrize(
    ("tzid", "form"),
    [
        ("Europe/Amsterdam", "RRULE"),
        ("America/New_York", "RRULE"),
        ("Australia/Sydney", "RRULE"),  # daylight time spans the new year
        ("Europe/Dublin", "RRULE"),  # "daylight" offset below standard
        ("Asia/Tokyo", "none"),  # no daylight time
        ("America/Nuuk", "explicit"),  # POSIX rule times -1 and 0: one observance each
    ],
)
def test_vtimezone_gives_zoneinfo_offsets(tzid: str, form: str) -> None:
    lines = vtimezone_lines(tzid, range(2027, 2030))
    assert not any(line.startswith("RDATE") for line in lines)
    rrules = sum(line.startswith("RRULE") for line in lines)
    observances = sum(line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT") for line in lines)
    if form == "RRULE":
        assert (rrules, observances) == (2, 2)
    elif form == "none":
        assert (rrules, observances) == (0, 1)
    else:
        # From 2026 (a year early) to 2029: one opening observance and two
        # transitions a year, 1 + 2 x 4 = 9.
        assert (rrules, observances) == (0, 9)
    assert _offsets_agree(tzid, range(2027, 2030)) == []


def test_unknown_time_zone_is_an_error() -> None:
    with pytest.raises(IcsError, match="unknown time zone 'Mars/Olympus'"):
        vtimezone_lines("Mars/Olympus", [2027])


# ------------------------------------------------------------- the files' form
def test_every_file_is_well_formed(exported: Path) -> None:
    assert sorted(p.name for p in exported.iterdir()) == sorted(FILES)
    for name, meetings in FILES.items():
        data = (exported / name).read_bytes()
        physical = data.split(b"\r\n")
        assert physical[-1] == b"", name  # ends in CRLF
        assert b"\n" not in data.replace(b"\r\n", b""), name  # no bare LF
        assert b"\r" not in data.replace(b"\r\n", b""), name  # no bare CR
        for line in physical[:-1]:
            assert len(line) <= 75, (name, line)
            line.decode("utf-8")  # each physical line is whole UTF-8
        lines = unfold(data)
        assert lines[:10] == [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//dakpan//dakpan planner//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            lines[5],
            lines[6],
            "X-WR-TIMEZONE:Europe/Amsterdam",
            "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
            "X-PUBLISHED-TTL:PT12H",
        ]
        assert lines[5].startswith("NAME:dakpan: ")
        assert lines[6] == "X-WR-" + "CAL" + lines[5]
        assert lines[10:28] == AMSTERDAM_VTIMEZONE
        assert lines[-1] == "END:VCALENDAR"
        assert not [line for line in lines if re.match(r"(ATTENDEE|ORGANIZER)[;:]", line)]
        assert [line for line in lines if line.startswith("METHOD")] == ["METHOD:PUBLISH"]
        calendar = icalendar.Calendar.from_ical(data)
        assert calendar.get_missing_tzids() == set()
        assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [
            EXPECTED[m][0] for m in meetings
        ], name


def test_calendar_names_follow_the_language(exported: Path, tmp_path: Path) -> None:
    def name(folder: Path, file: str) -> str:
        return str(icalendar.Calendar.from_ical((folder / file).read_bytes())["X-WR-CALNAME"])

    assert name(exported, "person-p.ics") == "dakpan: José Müller"
    assert name(exported, "venue-goes.ics") == "dakpan: Goes (locatie)"
    assert name(exported, "all.ics") == "dakpan: alle bijeenkomsten"
    problem = sample("en")
    write_calendars(tmp_path / "ics", problem, sample_schedule(problem))
    assert name(tmp_path / "ics", "venue-goes.ics") == "dakpan: Goes (venue)"
    assert name(tmp_path / "ics", "all.ics") == "dakpan: all meetings"


def test_event_properties(exported: Path) -> None:
    event = events_of((exported / "person-p.ics").read_bytes())[0]
    assert str(event["UID"]) == f"{H}a-1@dakpan"
    assert event["DTSTAMP"].to_ical() == b"20270906T000000Z"  # 00:00 UTC, horizon start
    assert int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].to_ical() == b"20270914T100000"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event["DTEND"].to_ical() == b"20270914T110000"
    assert str(event["SUMMARY"]) == NAME_A
    assert str(event["LOCATION"]) == LOCATION_GOES
    assert event["GEO"].to_ical() == "51.504;3.888"
    # Category labels drop "," ";" "\" (see planner.ics_events._label).
    assert event["CATEGORIES"].cats == ["dakpan", "Zeeuwse Scholen Noord Zuid Café"]
    assert str(event["DESCRIPTION"]) == DESCRIPTION_P_A1
    raw = [line for line in unfold((exported / "person-p.ics").read_bytes()) if "GEO" in line]
    assert raw[0] == "GEO:51.504000;3.888000"


def test_optional_member_sees_her_role(exported: Path) -> None:
    events = events_of((exported / "person-r.ics").read_bytes())
    b1 = events[1]
    assert str(b1["UID"]) == f"{H}b-1@dakpan"
    assert str(b1["DESCRIPTION"]) == DESCRIPTION_R_B1
    assert b1["CATEGORIES"].cats == ["dakpan", "Netwerk B", "optioneel"]


def test_network_and_venue_files_mark_only_the_meeting_itself(exported: Path) -> None:
    event = events_of((exported / "venue-goes.ics").read_bytes())[2]  # b-1
    assert str(event["DESCRIPTION"]) == (
        "Netwerk B, bijeenkomst 1 van 2.\n"
        "\n"
        "Alle bijeenkomsten in Goes op dinsdag 14 september 2027:\n"
        "09:00–10:00  Andere A\n"
        f"10:00–11:00  {NAME_A}\n"
        "11:15–12:15  Netwerk B  ← deze bijeenkomst"
    )


def test_english_description(tmp_path: Path) -> None:
    problem = sample("en")
    data = person_calendar(problem, sample_schedule(problem), "r")
    b1 = events_of(data)[1]
    assert str(b1["DESCRIPTION"]) == (
        "Netwerk B, meeting 1 of 2.\n"
        "You are an optional member of this network.\n"
        "\n"
        "All meetings at Goes on Tuesday 14 September 2027:\n"
        "09:00–10:00  Andere A  ← also your meeting, optional\n"
        f"10:00–11:00  {NAME_A}\n"
        "11:15–12:15  Netwerk B  ← this meeting"
    )
    assert b1["CATEGORIES"].cats == ["dakpan", "Netwerk B", "optional"]


def test_other_time_zone_is_used_for_tzid_and_vtimezone() -> None:
    problem = sample(timezone="America/New_York")
    data = person_calendar(problem, sample_schedule(problem), "q")
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.get_missing_tzids() == set()
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    # 10:00 EDT (UTC-4) on 14 September 2027 is 14:00 UTC.
    start = calendar.walk("VEVENT")[0].DTSTART
    assert start.astimezone(UTC) == datetime(2027, 9, 14, 14, 0, tzinfo=UTC)


def test_naive_dtstamp_is_refused_and_aware_one_is_written_in_utc() -> None:
    problem = sample()
    schedule = sample_schedule(problem)
    with pytest.raises(IcsError, match="aware"):
        calendar_files(problem, schedule, dtstamp=datetime(2027, 6, 1, 12))
    stamp = datetime(2027, 6, 1, 14, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    data = person_calendar(problem, schedule, "q", dtstamp=stamp)
    # 14:30 CEST = 12:30 UTC.
    assert [e["DTSTAMP"].to_ical() for e in events_of(data)] == [b"20270601T123000Z"] * 2


# --------------------------------------------------------- determinism, SEQUENCE
def _read_all(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_plan_gives_the_same_bytes(tmp_path: Path, exported: Path) -> None:
    problem = sample()
    first = write_calendars(tmp_path / "one", problem, sample_schedule(problem))
    write_calendars(tmp_path / "two", problem, sample_schedule(problem))
    assert [p.name for p in first] == list(FILES)
    assert _read_all(tmp_path / "one") == _read_all(tmp_path / "two") == _read_all(exported)
    # Exporting again into the same folder keeps every SEQUENCE (nothing changed).
    write_calendars(tmp_path / "one", problem, sample_schedule(problem))
    assert _read_all(tmp_path / "one") == _read_all(exported)
    # No temporary folders left beside the output.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "two"]


def test_moved_meeting_keeps_its_uid_and_gets_a_higher_sequence(tmp_path: Path) -> None:
    problem = sample()
    out = tmp_path / "ics"
    write_calendars(out, problem, sample_schedule(problem))
    moved = sample_schedule(problem, b1_start=11 * 60 + 30)  # b-1 from 11:15 to 11:30
    # b-1 changed; a-1 and A-1 show b-1's time in their relay, so they changed
    # too; a-2 and b-2 are on other days and did not.
    assert next_sequences(out, problem, moved) == {
        "A-1": 1,
        "a-1": 1,
        "b-1": 1,
        "a-2": 0,
        "b-2": 0,
    }
    write_calendars(out, problem, moved)
    events = {str(e["UID"]): e for e in events_of((out / "all.ics").read_bytes())}
    assert sorted(events) == sorted(uid for uid, _, _ in EXPECTED.values())
    assert events[f"{H}b-1@dakpan"]["DTSTART"].to_ical() == b"20270914T113000"
    assert {u: int(e["SEQUENCE"]) for u, e in events.items()} == {
        f"{H}a~559aead0-1@dakpan": 1,
        f"{H}a-1@dakpan": 1,
        f"{H}b-1@dakpan": 1,
        f"{H}a-2@dakpan": 0,
        f"{H}b-2@dakpan": 0,
    }
    # Moving it again bumps once more; re-exporting the same plan does not.
    write_calendars(out, problem, sample_schedule(problem))
    write_calendars(out, problem, sample_schedule(problem))
    seqs = {str(e["UID"]): int(e["SEQUENCE"]) for e in events_of((out / "all.ics").read_bytes())}
    assert seqs[f"{H}b-1@dakpan"] == 2
    assert seqs[f"{H}b-2@dakpan"] == 0


def test_fingerprint_follows_membership_roles() -> None:
    problem = sample()
    changed = replace(
        problem,
        memberships=tuple(
            Membership("b", "r") if m == Membership("b", "r", Role.OPTIONAL) else m
            for m in problem.memberships
        ),
    )
    before = fingerprint(problem, sample_schedule(problem))
    after = fingerprint(changed, sample_schedule(changed))
    assert sorted(m for m in before if before[m] != after[m]) == ["b-1", "b-2"]


def test_ics_writer_carries_sequences_into_a_plan_folder(tmp_path: Path) -> None:
    problem = sample()
    write_calendars(tmp_path / "old" / "ics", problem, sample_schedule(problem))
    writer = ics_writer(problem, sample_schedule(problem, 11 * 60 + 30), tmp_path / "old" / "ics")
    (tmp_path / "new").mkdir()
    writer(tmp_path / "new")
    events = events_of((tmp_path / "new" / "ics" / "network-b.ics").read_bytes())
    assert [(str(e["UID"]), int(e["SEQUENCE"])) for e in events] == [
        (f"{H}b-1@dakpan", 1),
        (f"{H}b-2@dakpan", 0),
    ]


def test_folder_with_other_files_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "ics"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    problem = sample()
    with pytest.raises(IcsError, match="is not a calendar folder written by dakpan"):
        write_calendars(out, problem, sample_schedule(problem))
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ics"]


# --------------------------------------------------------------- other parsers
def test_ical_package_strict_parser_accepts_every_file(exported: Path) -> None:
    for name, meetings in FILES.items():
        calendar = IcsCalendarStream.calendar_from_ics((exported / name).read_text("utf-8"))
        assert [e.uid for e in calendar.events] == [EXPECTED[m][0] for m in meetings], name
        assert [(e.dtstart.astimezone(UTC), e.dtend.astimezone(UTC)) for e in calendar.events] == [
            EXPECTED[m][1:] for m in meetings
        ], name


def test_vobject_with_validation_accepts_every_file_and_reads_the_times(exported: Path) -> None:
    for name, meetings in FILES.items():
        calendar = vobject.readOne((exported / name).read_text("utf-8"), validate=True)
        events = list(getattr(calendar, "vevent_list", []))
        assert [str(e.uid.value) for e in events] == [EXPECTED[m][0] for m in meetings], name
        # vobject builds its tzinfo from the file's VTIMEZONE.
        assert [
            (e.dtstart.value.astimezone(UTC), e.dtend.value.astimezone(UTC)) for e in events
        ] == [EXPECTED[m][1:] for m in meetings], name


def test_text_survives_the_round_trip_in_python_parsers(exported: Path) -> None:
    text = (exported / "person-p.ics").read_text("utf-8")
    ours = events_of(text.encode("utf-8"))[0]
    strict = IcsCalendarStream.calendar_from_ics(text).events[0]
    vobj = vobject.readOne(text, validate=True).vevent
    assert (str(ours["SUMMARY"]), str(ours["LOCATION"]), str(ours["DESCRIPTION"])) == (
        NAME_A,
        LOCATION_GOES,
        DESCRIPTION_P_A1,
    )
    assert (strict.summary, strict.location, strict.description) == (
        NAME_A,
        LOCATION_GOES,
        DESCRIPTION_P_A1,
    )
    assert (vobj.summary.value, vobj.location.value, vobj.description.value) == (
        NAME_A,
        LOCATION_GOES,
        DESCRIPTION_P_A1,
    )


# ----------------------------------------------------------------- ical.js
def _install_ical_js() -> None:
    """Install the pinned ical.js (tests/js/package-lock.json) once, as CI does.

    The README's test command then works on a fresh machine with Node.js; a
    parallel worker that finds the install running waits for it (a lock file).
    """
    npm = shutil.which("npm")
    if npm is None:
        return
    lock = JS_DIR / ".install.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        if not (JS_DIR / "node_modules" / "ical.js" / "package.json").is_file():
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--silent"],
                cwd=JS_DIR,
                capture_output=True,
                timeout=300,
                check=False,
            )


def read_with_ical_js(paths: list[Path]) -> list[dict[str, object]]:
    """Run ``tests/js/read_ics.mjs`` (ical.js) on files; skip without Node."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the ical.js (Thunderbird parser) check needs it")
    marker = JS_DIR / "node_modules" / "ical.js" / "package.json"
    if not marker.is_file():
        _install_ical_js()
    if not marker.is_file():
        pytest.fail("tests/js/node_modules/ical.js is missing: run (cd tests/js && npm ci)")
    result = subprocess.run(
        [node, str(JS_DIR / "read_ics.mjs"), *map(str, paths)],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out: list[dict[str, object]] = json.loads(result.stdout)
    return out


def test_ical_js_reads_every_file_with_the_plans_utc_times(exported: Path) -> None:
    files = read_with_ical_js([exported / name for name in FILES])
    for name, parsed in zip(FILES, files, strict=True):
        meetings = FILES[name]
        assert parsed["timezones"] == ["Europe/Amsterdam"], name
        assert (parsed["version"], parsed["method"]) == ("2.0", "PUBLISH")
        assert (parsed["refresh"], parsed["ttl"]) == ("PT12H", "PT12H")
        assert parsed["name"] == parsed["calname"]
        events = parsed["events"]
        assert isinstance(events, list)
        assert [
            (
                e["uid"],
                datetime.fromtimestamp(e["start_utc"], UTC),
                datetime.fromtimestamp(e["end_utc"], UTC),
            )
            for e in events
        ] == [EXPECTED[m] for m in meetings], name
        for e in events:
            # The TZID resolved to the file's own VTIMEZONE (not floating time).
            assert (e["tzid"], e["resolved"]) == ("Europe/Amsterdam", True)
            assert (e["attendees"], e["organizers"], e["sequence"]) == (0, 0, 0)


def test_ical_js_round_trips_text(exported: Path) -> None:
    (parsed,) = read_with_ical_js([exported / "person-p.ics"])
    events = parsed["events"]
    assert isinstance(events, list)
    first = events[0]
    assert parsed["calname"] == "dakpan: José Müller"
    assert (first["summary"], first["location"], first["description"]) == (
        NAME_A,
        LOCATION_GOES,
        DESCRIPTION_P_A1,
    )
    assert first["categories"] == ["dakpan", "Zeeuwse Scholen Noord Zuid Café"]
    assert first["geo"] == [51.504, 3.888]


# ------------------------------------------------------------------------ CLI
@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    problem = sample()
    out = tmp_path / "plan"
    write_plan_folder(out, problem, sample_schedule(problem))
    return out


def test_cli_export_ics_writes_the_plan_folders_ics(plan_dir: Path, exported: Path) -> None:
    result = CliRunner().invoke(app, ["export-ics", str(plan_dir)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 11 calendar files for 5 meetings to {plan_dir / 'ics'}.\n"
    assert _read_all(plan_dir / "ics") == _read_all(exported)


def test_cli_export_ics_out_and_previous(plan_dir: Path, tmp_path: Path) -> None:
    problem = sample()
    old = tmp_path / "old-ics"
    write_calendars(old, problem, sample_schedule(problem, 11 * 60 + 30))
    out = tmp_path / "elsewhere"
    result = CliRunner().invoke(
        app, ["export-ics", str(plan_dir), "--out", str(out), "--previous", str(old)]
    )
    assert result.exit_code == 0, result.output
    # Against the old export b-1 moved back, which changes A-1, a-1 and b-1.
    assert (
        result.output == f"Wrote 11 calendar files for 5 meetings to {out} (3 with SEQUENCE > 0).\n"
    )
    seqs = [int(e["SEQUENCE"]) for e in events_of((out / "all.ics").read_bytes())]
    assert seqs == [1, 1, 1, 0, 0]


def test_cli_export_ics_without_a_plan_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export-ics", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a plan folder" in result.output
    assert "Traceback" not in result.output


def test_cli_export_ics_refuses_a_foreign_folder(plan_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "letter.docx").write_bytes(b"x")
    result = CliRunner().invoke(app, ["export-ics", str(plan_dir), "--out", str(tmp_path / "docs")])
    assert result.exit_code == 2
    assert "is not a calendar folder written by dakpan (it holds letter.docx)" in result.output


def test_cli_export_ics_missing_previous_folder_exits_2(plan_dir: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    result = CliRunner().invoke(app, ["export-ics", str(plan_dir), "--previous", str(missing)])
    assert result.exit_code == 2
    assert result.output == f"{missing}: no such folder (--previous names an earlier ics folder)\n"
    assert not (plan_dir / "ics").exists()


def test_cli_export_ics_from_an_edited_schedule_csv(plan_dir: Path) -> None:
    csv_path = plan_dir / "schedule.csv"
    text = csv_path.read_text("utf-8")
    # b-2 moved by hand from 09:00-10:00 to 13:00-14:00; 13:00 CET is 12:00 UTC.
    edited = text.replace("2027-11-17,09:00,10:00", "2027-11-17,13:00,14:00")
    assert edited != text
    csv_path.write_text(edited, "utf-8")
    result = CliRunner().invoke(app, ["export-ics", str(plan_dir), "--schedule-csv"])
    assert result.exit_code == 0, result.output
    events = events_of((plan_dir / "ics" / "network-b.ics").read_bytes())
    assert [e["DTSTART"].to_ical() for e in events] == [b"20270914T111500", b"20271117T130000"]
    assert events[1].DTSTART.astimezone(UTC) == datetime(2027, 11, 17, 12, 0, tzinfo=UTC)


def test_one_calendar_of_an_unknown_person_is_an_error() -> None:
    problem = sample()
    with pytest.raises(IcsError, match="no person 'zz' in the problem"):
        person_calendar(problem, sample_schedule(problem), "zz")
