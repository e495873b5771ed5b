"""Poll exports and calendars read as unavailable dates and times (hand-written fixtures).

The fixtures in ``tests/polls`` are written by hand after the formats in
issue 12: Rallly (Dutch and English labels), Framadate with slots, Doodle,
and calendar files with busy times on both sides of the changes to and from
summer time (EU: Sun 2027-10-31 and Sun 2028-03-26; US: Sun 2028-03-12).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from planner.busy import read_busy
from planner.polls import Ballot, local_options, read_poll
from planner.read import InputError

POLLS = Path(__file__).parent / "polls"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def answers(ballots: list[Ballot]) -> list[tuple[str, list[str], list[str]]]:
    """(voter, "No" items, "If need be" items) of every ballot."""
    return [(b.name, [o.item() for o in b.no], [o.item() for o in b.if_need_be]) for b in ballots]


def test_rallly_dutch_labels() -> None:
    """Nee on a day is that date, Nee on a slot that slot, Optioneel is "if need be"."""
    ballots = read_poll(POLLS / "rallly-nl.csv", AMSTERDAM)
    assert answers(ballots) == [
        ("Anna de Vries", ["2027-09-14", "2027-09-16"], ["2027-09-15 14:00-15:30"]),
        ("bram  jansen", ["2027-09-15 09:00-10:00", "2027-09-15 14:00-15:30"], []),
        ("Jan Smit", ["2027-09-14", "2027-09-15 09:00-10:00"], []),
    ]
    assert [b.email for b in ballots] == ["ANNA@school.nl", "", "jan@smit.nl"]
    assert [b.source for b in ballots] == [f"rallly-nl.csv row {n}" for n in (2, 3, 4)]


def test_rallly_english_labels_and_london_times() -> None:
    """Slots in the header's zone (London, BST) become Amsterdam times: 08:00 is 09:00."""
    assert answers(read_poll(POLLS / "rallly-en.csv", AMSTERDAM)) == [
        ("chloe dubois", ["2027-09-14", "2027-09-15 09:00-10:00"], ["2027-09-17"]),
        ("Dirk van den Burg", ["2027-09-14"], []),
        ("Bram Jansen", ["2027-09-17"], ["2027-09-15 09:00-10:00"]),
    ]


def test_framadate_with_slots() -> None:
    """Dates repeated per slot, slot labels, Ifneedbe, and the '= guard taken off."""
    assert answers(read_poll(POLLS / "framadate.csv", AMSTERDAM)) == [
        ("Anna de Vries", ["2027-09-20 09:00-12:00"], ["2027-09-21"]),
        ("Dirk van den Berg", ["2027-09-20 13:00-17:00", "2027-09-21"], []),
        (
            "=cmd|' /C calc'!A0",
            ["2027-09-20 09:00-12:00", "2027-09-20 13:00-17:00", "2027-09-21"],
            [],
        ),
    ]


DOODLE = [
    (
        "Anna de Vries",
        ["2027-10-26 14:00-16:00"],  # empty cell: no
        ["2027-11-02"],  # (OK): if need be; the whole day (no time range)
    ),
    ("Bram Jansen", ["2027-10-25 09:00-11:00", "2027-11-02"], []),
]


def test_doodle_csv() -> None:
    """Month row carried forward (Tue 2 is November), AM/PM ranges, (OK) and empty cells."""
    assert answers(read_poll(POLLS / "doodle.csv", AMSTERDAM)) == DOODLE


def test_doodle_xlsx(tmp_path: Path) -> None:
    """The same export saved as a workbook (numbers typed by Excel) reads the same."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (
        ['Poll "Bestuurdersoverleg 2027"'],
        ["https://doodle.com/meeting/participate/id/abc123"],
        [None, "October 2027", None, "November 2027"],
        [None, "Mon 25", "Tue 26", "Tue 2"],
        [None, "9:00 AM – 11:00 AM", "2:00 PM – 4:00 PM", None],
        ["Anna de Vries", "OK", None, "(OK)"],
        ["Bram Jansen", None, "OK", None],
        ["Count", 1, 1, 0],
    ):
        ws.append(row)
    wb.save(tmp_path / "doodle.xlsx")
    assert answers(read_poll(tmp_path / "doodle.xlsx", AMSTERDAM)) == DOODLE


def test_calendar_busy_times_across_summer_time() -> None:
    """Busy events in UTC, New York and Amsterdam time, in Amsterdam time, across DST.

    UTC 08:00 is 10:00 in Amsterdam on Fri 2027-10-29 (CEST) and 09:00 on Mon
    2027-11-01 (CET); the same hour is 09:00 on Fri 2028-03-24 and 10:00 on
    Mon 2028-03-27. New York 04:00 on Mon 2028-03-20 is 08:00 UTC (US summer
    time began on 03-12) and 09:00 in Amsterdam (not yet summer time). The
    night shift splits at midnight; the all-day event's DTEND is exclusive;
    the weekly event skips its EXDATE; transparent and cancelled events are
    not busy.
    """
    items = [o.item() for o in read_busy(POLLS / "calendars" / "anna.ics", AMSTERDAM, None)]
    assert items == [
        "2027-10-29 10:00-11:00",
        "2027-11-01 09:00-10:00",
        "2027-11-10 22:00-24:00",
        "2027-11-11 00:00-02:00",
        "2027-12-20",
        "2027-12-21",
        "2028-01-10 13:00-14:00",
        "2028-01-24 13:00-14:00",
        "2028-03-20 09:00-10:00",
        "2028-03-24 09:00-10:00",
        "2028-03-27 10:00-11:00",
    ]


def test_freebusy_periods() -> None:
    """VFREEBUSY: BUSY periods (and untyped ones) count, FREE ones do not; UTC to Amsterdam."""
    items = [o.item() for o in read_busy(POLLS / "calendars" / "bram.ics", AMSTERDAM, None)]
    # 07:00Z +2h: 09:00-11:00 CEST (10-29, 03-27); 07:00Z-09:00Z on 11-01: 08:00-10:00 CET
    assert items == ["2027-10-29 09:00-11:00", "2027-11-01 08:00-10:00", "2028-03-27 09:00-11:00"]


def test_repeating_event_stops_at_the_horizon(tmp_path: Path) -> None:
    """A daily event without end is expanded only up to the horizon's last date."""
    (tmp_path / "daily.ics").write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//NL\r\nBEGIN:VEVENT\r\nUID:d@t\r\n"
        "DTSTAMP:20270801T000000Z\r\nDTSTART;VALUE=DATE:20270906\r\n"
        "RRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    items = read_busy(tmp_path / "daily.ics", AMSTERDAM, date(2027, 9, 8))
    assert [o.item() for o in items] == ["2027-09-06", "2027-09-07", "2027-09-08"]


def test_malformed_rallly_is_located() -> None:
    """An answer that is not Yes, If need be or No is named by file, row and column."""
    with pytest.raises(InputError) as err:
        read_poll(POLLS / "rallly-bad.csv", AMSTERDAM)
    assert err.value.lines() == [
        "rallly-bad.csv row 3, column E: 'Wellicht' is not an answer "
        "(expected Yes, If need be or No)"
    ]


def test_malformed_framadate_slot_and_date_are_located(tmp_path: Path) -> None:
    """A slot that is not a time range and a date that does not exist: both named."""
    path = tmp_path / "f.csv"
    path.write_text('"","2027-09-20","2027-02-30",\r\n"","ochtend","",\r\n"A","No","No",\r\n')
    with pytest.raises(InputError) as err:
        read_poll(path, AMSTERDAM)
    assert err.value.lines() == [
        "f.csv row 1, column C: '2027-02-30' is not a date that exists",
        "f.csv row 2, column B: 'ochtend' is not a time range (expected HH:MM-HH:MM); "
        "a slot must be a time range or empty for the whole day",
    ]


def test_busy_hour_in_the_repeated_night_hour() -> None:
    """00:30Z-01:30Z on 2027-10-31 is 02:30 CEST to 02:30 CET: kept as 02:30-03:30."""
    start = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    items = [o.item() for o in local_options(start, start + timedelta(hours=1), AMSTERDAM)]
    assert items == ["2027-10-31 02:30-03:30"]


def test_event_without_start_is_located(tmp_path: Path) -> None:
    """A VEVENT without DTSTART is named by file, the line of its UID and the property."""
    path = tmp_path / "x.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//NL\r\nBEGIN:VEVENT\r\n"
        "UID:no-start@t\r\nDTSTAMP:20270801T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_busy(path, AMSTERDAM, None)
    assert err.value.lines() == [
        "x.ics row 5, column DTSTART: VEVENT no-start@t: cannot be read ('DTSTART')"
    ]


def test_calendar_that_is_not_one_is_an_error(tmp_path: Path) -> None:
    """A file that is not iCalendar text is refused with its name."""
    path = tmp_path / "x.ics"
    path.write_text("hello\r\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_busy(path, AMSTERDAM, None)
    assert err.value.lines()[0].startswith("x.ics is not an iCalendar file")
