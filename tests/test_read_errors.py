"""Bad inputs, table-driven, through ``dakpan validate``: exit 2, one line per fault.

Each case edits the small input of ``test_read.py`` (row numbers as Excel
shows them: header row 1, so ``swv-zld`` is networks row 2, ``goes`` venues
row 2, settings ``start`` row 2) and names the exact line it must produce and
how many faults the input has in all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from planner.read import InputError, read_problem
from tests.test_read import Tables, base, drop_column, set_cell, write_csv, write_xlsx

runner = CliRunner()


@dataclass(frozen=True)
class Bad:
    """One bad input: how to make it, the line it must give, the number of faults."""

    name: str
    edit: Callable[[Tables], None]
    line: str
    count: int = 1
    xlsx: bool = False
    post: Callable[[Path], Path] | None = None


def cell(table: str, row: int, column: str, value: str) -> Callable[[Tables], None]:
    """An edit that sets one cell."""
    return lambda t: set_cell(t, table, row, column, value)


def nothing(t: Tables) -> None:
    """No edit: the fault is made by ``post``."""


def without(table: str) -> Callable[[Tables], None]:
    """An edit that removes a table."""
    return lambda t: t.pop(table) and None


def add_row(table: str, row: list[str]) -> Callable[[Tables], None]:
    """An edit that appends a row."""
    return lambda t: t[table].append(row)


def setting(key: str, value: str | None) -> Callable[[Tables], None]:
    """An edit that sets (or with ``None`` removes) a setting."""

    def edit(t: Tables) -> None:
        rows = [r for r in t["settings"] if r[0] != key]
        if value is not None:
            rows.append([key, value])
        t["settings"] = rows

    return edit


def write_file(name: str, data: bytes) -> Callable[[Path], Path]:
    """A ``post`` step that (over)writes one file of the folder."""

    def post(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder

    return post


def both(*edits: Callable[[Tables], None]) -> Callable[[Tables], None]:
    """Several edits in a row."""

    def edit(t: Tables) -> None:
        for e in edits:
            e(t)

    return edit


CASES = [
    Bad(
        "missing file",
        without("people"),
        "people.csv is missing in folder <DIR> (CSV files found: fixed.csv, memberships.csv, "
        "networks.csv, settings.csv, travel.csv, venues.csv)",
    ),
    Bad(
        "missing sheet in xlsx",
        without("venues"),
        "input.xlsx, sheet venues is missing (sheets found: networks, people, memberships, "
        "fixed, travel, settings)",
        xlsx=True,
    ),
    Bad(
        "missing column",
        lambda t: drop_column(t, "networks", "duration"),
        "networks.csv row 1, column duration: required column 'duration' is missing (found: id, "
        "name, meetings, min_gap_days, weekdays, earliest, latest, venues, region)",
    ),
    Bad(
        "duplicate id",
        cell("people", 4, "id", "quinta"),
        "people.csv row 4, column id: person id 'quinta' appears twice (first in row 3)",
        count=2,  # and memberships row 5 names rene, who is gone
    ),
    Bad(
        "unknown network with did-you-mean",
        cell("memberships", 3, "network", "swv-zl"),
        "memberships.csv row 3, column network: 'swv-zl' is not a network id "
        "(did you mean 'swv-zld'?)",
    ),
    Bad(
        "unknown network in xlsx",
        cell("memberships", 3, "network", "SWV-ZLD"),
        "input.xlsx, sheet memberships, row 3, column network: 'SWV-ZLD' is not a network id "
        "(did you mean 'swv-zld'?)",
        xlsx=True,
    ),
    Bad(
        "unknown person with did-you-mean",
        cell("memberships", 5, "person", "Rene"),
        "memberships.csv row 5, column person: 'Rene' is not a person id (did you mean 'rene'?)",
    ),
    Bad(
        "person id where a network id belongs",
        cell("memberships", 2, "network", "piet"),
        "memberships.csv row 2, column network: 'piet' is not a network id (it is a person id, "
        "people.csv row 2)",
    ),
    Bad(
        "unknown venue in a network's list",
        cell("networks", 3, "venues", "goes;midelburg"),
        "networks.csv row 3, column venues: 'midelburg' is not a venue id "
        "(did you mean 'middelburg'?)",
    ),
    Bad(
        "venue list separated by commas",
        cell("networks", 3, "venues", "goes,middelburg"),
        "networks.csv row 3, column venues: 'goes,middelburg' is not a venue id "
        "(separate a list with ';', not ',')",
    ),
    Bad(
        "unknown venue in fixed",
        cell("fixed", 2, "venue", "vlissingen"),
        "fixed.csv row 2, column venue: 'vlissingen' is not a venue id",
    ),
    Bad(
        "unknown id in travel",
        cell("travel", 3, "to", "middleburg"),
        "travel.csv row 3, column to: 'middleburg' is not a person or venue id "
        "(did you mean 'middelburg'?)",
    ),
    Bad(
        "id both person and venue",
        both(cell("people", 4, "id", "goes"), cell("memberships", 5, "person", "goes")),
        "people.csv row 4, column id: 'goes' is also a venue id (venues.csv row 2); people and "
        "venues share one id space",
        # memberships row 5 is no second fault: a rejected id still counts as known
    ),
    Bad(
        "duplicate membership",
        add_row("memberships", ["po-mid", "piet", "optional"]),
        "memberships.csv row 7, column person: 'piet' is listed twice in network 'po-mid' "
        "(first in row 4)",
    ),
    Bad(
        "bad date",
        cell("people", 2, "unavailable", "2027-09-10;2027-13-01"),
        "people.csv row 2, column unavailable: '2027-13-01' is not a date or date range "
        "(expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD, separated by ';')",
    ),
    Bad(
        "bad date in fixed",
        cell("fixed", 2, "date", "14 september"),
        "fixed.csv row 2, column date: '14 september' is not a date (expected YYYY-MM-DD, "
        "e.g. 2027-09-06)",
    ),
    Bad(
        "range ends before it starts",
        cell("venues", 3, "unavailable", "2027-09-22..2027-09-20"),
        "venues.csv row 3, column unavailable: range '2027-09-22..2027-09-20' ends before "
        "it starts",
    ),
    Bad(
        "bad time",
        cell("networks", 2, "earliest", "25:00"),
        "networks.csv row 2, column earliest: '25:00' is not a time (expected HH:MM, e.g. 09:30)",
    ),
    Bad(
        "bad weekday",
        cell("networks", 4, "weekdays", "wo;thu;xyz"),
        "networks.csv row 4, column weekdays: 'xyz' is not a weekday (expected mon tue wed thu "
        "fri sat sun or ma di wo do vr za zo, separated by ';')",
    ),
    Bad(
        "bad number",
        cell("venues", 2, "capacity", "twenty"),
        "venues.csv row 2, column capacity: 'twenty' is not a whole number (expected e.g. 3)",
    ),
    Bad(
        "bad float",
        cell("travel", 2, "km", "40 km"),
        "travel.csv row 2, column km: '40 km' is not a number (expected e.g. 51.49 or 51,49)",
    ),
    Bad(
        "meetings zero",
        cell("networks", 2, "meetings", "0"),
        "networks.csv row 2, column meetings: '0' is too small (expected a number >= 1)",
    ),
    Bad(
        "duration not a multiple of slot",
        cell("networks", 3, "duration", "50"),
        "networks.csv row 3, column duration: 50 minutes is not a multiple of the slot "
        "(15 minutes)",
    ),
    Bad(
        "duration longer than the window",
        cell("networks", 3, "duration", "420"),
        "networks.csv row 3, column duration: a meeting of 420 minutes does not fit between "
        "earliest 09:30 and latest 16:00",
    ),
    Bad(
        "earliest after latest",
        cell("networks", 3, "earliest", "16:30"),
        "networks.csv row 3, column latest: latest 16:00 must be after earliest 16:30",
    ),
    Bad(
        "lat out of range",
        cell("people", 3, "lat", "95"),
        "people.csv row 3, column lat: '95' is out of range (expected a number from -90 to 90)",
    ),
    Bad(
        "lon out of range",
        cell("venues", 2, "lon", "-200,5"),
        "venues.csv row 2, column lon: '-200,5' is out of range "
        "(expected a number from -180 to 180)",
    ),
    Bad(
        "capacity zero",
        cell("venues", 3, "capacity", "0"),
        "venues.csv row 3, column capacity: '0' is too small (expected a number >= 1)",
    ),
    Bad(
        "rooms zero",
        cell("venues", 3, "rooms", "0"),
        "venues.csv row 3, column rooms: '0' is too small (expected a number >= 1)",
    ),
    Bad(
        "close before open",
        cell("venues", 3, "close", "07:00"),
        "venues.csv row 3, column close: close 07:00 must be after open 08:00",
    ),
    Bad(
        "bad region",
        cell("networks", 2, "region", "west"),
        "networks.csv row 2, column region: 'west' is not a region (expected noord, midden, zuid)",
    ),
    Bad(
        "bad role",
        cell("memberships", 2, "role", "maybe"),
        "memberships.csv row 2, column role: 'maybe' is not a role (expected required or optional)",
    ),
    Bad(
        "empty required cell",
        cell("venues", 2, "name", ""),
        "venues.csv row 2, column name: the cell is empty; a value is required",
    ),
    Bad(
        "more fixed meetings than meetings",
        add_row("fixed", ["po-mid", "2027-09-28", "10:00", "goes"]),
        "fixed.csv row 3, column network: network 'po-mid' has 2 fixed meetings but its "
        "meetings is 1",
    ),
    Bad(
        "empty networks table",
        lambda t: t["networks"].__delitem__(slice(1, None)),
        "networks.csv has no rows: the input is empty (fill in at least one network, its "
        "people, memberships and venues)",
        # the memberships and fixed rows that name networks are no further faults
    ),
    Bad(
        "settings missing start",
        setting("start", None),
        "settings.csv lacks the required setting 'start': add a row start with the first date "
        "of the planning horizon as YYYY-MM-DD",
    ),
    Bad(
        "settings end before start",
        setting("end", "2027-09-01"),
        "settings.csv row 9, column value: end 2027-09-01 is before start 2027-09-06",
    ),
    Bad(
        "settings bad boolean",
        setting("public_holidays", "misschien"),
        "settings.csv row 9, column value: public_holidays: 'misschien' is not a yes/no value "
        "(expected true/false, yes/no, ja/nee or 1/0)",
    ),
    Bad(
        "settings negative weight",
        setting("weight_trips", "-1"),
        "settings.csv row 9, column value: weight_trips: '-1' is too small "
        "(expected a number >= 0)",
    ),
    Bad(
        "settings bad time zone",
        setting("timezone", "Europe/Goes"),
        "settings.csv row 10, column value: timezone: 'Europe/Goes' is not a time zone "
        "(expected e.g. Europe/Amsterdam)",
    ),
    Bad(
        "settings without value column",
        lambda t: drop_column(t, "settings", "value"),
        "settings.csv row 1, column value: column 'value' is missing: the settings table has "
        "the header row key,value (found: key)",
        # start and end are then missing too, but that follows from the one fault
    ),
    Bad(
        "no settings at all",
        without("settings"),
        "settings.csv is missing: the settings (a table with the header key,value, or "
        "settings.toml beside the CSV files) must give at least start and end, the planning "
        "horizon",
    ),
    Bad(
        "settings.csv and settings.toml",
        nothing,
        "settings.toml and settings.csv are both present; keep one of them",
        post=write_file("settings.toml", b"start = 2027-09-06\n"),
    ),
    Bad(
        "bad settings.toml",
        without("settings"),
        "settings.toml cannot be read as TOML (Invalid value (at line 1, column 9))",
        post=write_file("settings.toml", b"start = \n"),
    ),
    Bad(
        "row with too many cells",
        nothing,
        "travel.csv row 2: the row has 5 or more cells but the header has 4 (extra: '45'); is a "
        "value with a separator missing its quotes?",
        post=write_file("travel.csv", b"from,to,km,minutes\npiet,goes,40,5,45\n"),
    ),
    Bad(
        "undecodable bytes",
        nothing,
        "people.csv cannot be decoded as UTF-8 or Windows-1252 (byte 0x81 in line 2); save "
        "it as CSV UTF-8",
        # memberships are not checked against an unreadable people table
        post=write_file("people.csv", b"id,name\nx,\x81\x9d\n"),
    ),
    Bad(
        "blank people file",
        nothing,
        "people.csv is blank: it needs the header row id,name,organisation,email,place,lat,lon,"
        "unavailable,if_need_be",
        post=write_file("people.csv", b""),
    ),
    Bad(
        "workbook in the folder instead of CSV files",
        lambda t: t.clear(),
        "networks.csv is missing in folder <DIR> (CSV files found: none; workbooks found: "
        "input.xlsx)",
        count=5,  # networks, people, memberships, venues and the settings
        post=write_file("input.xlsx", b"PK"),
    ),
    Bad(
        "an xlsx renamed to csv",
        nothing,
        "venues.csv is an Excel workbook or zip file, not a CSV file (save it as CSV)",
        post=write_file("venues.csv", b"PK\x03\x04rest"),
    ),
    Bad(
        "unreadable workbook",
        nothing,
        "input.xlsx cannot be read as an Excel workbook (BadZipFile: File is not a zip file)",
        xlsx=True,
        post=lambda p: write_file(p.name, b"not a workbook")(p.parent) / p.name,
    ),
    Bad(
        "path does not exist",
        nothing,
        "<DIR>/nowhere does not exist",
        post=lambda p: p / "nowhere",
    ),
    Bad(
        "a csv file instead of the folder",
        nothing,
        "networks.csv is not a folder of CSV files or an .xlsx workbook; pass the folder that "
        "holds it (<DIR>)",
        post=lambda p: p / "networks.csv",
    ),
]


def make(case: Bad, tmp_path: Path) -> tuple[Path, Path]:
    """Write the case's input; return (path to validate, folder holding it)."""
    t = base()
    case.edit(t)
    path = write_xlsx(tmp_path / "input.xlsx", t) if case.xlsx else write_csv(tmp_path / "in", t)
    if case.post is not None:
        path = case.post(path)
    return path, tmp_path / "in"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gives_exit_2_and_names_file_row_column(case: Bad, tmp_path: Path) -> None:
    path, folder = make(case, tmp_path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"{path}: the input has {case.count} problem(s):"
    assert case.line.replace("<DIR>", str(folder)) in lines[1:], result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_at_least_twenty_distinct_bad_inputs() -> None:
    assert len({c.name for c in CASES}) == len(CASES) >= 20


def test_all_faults_of_an_input_in_one_pass(tmp_path: Path) -> None:
    t = base()
    set_cell(t, "networks", 2, "meetings", "two")
    set_cell(t, "people", 3, "lon", "east")
    set_cell(t, "memberships", 6, "network", "008")
    set_cell(t, "venues", 3, "cost", "-5")
    t["settings"][1][1] = "2027-9-6x"
    with pytest.raises(InputError) as exc:
        read_problem(write_csv(tmp_path / "in", t))
    # ordered settings first, then networks, people, memberships, venues
    assert [str(i) for i in exc.value.issues] == [
        "settings.csv row 2, column value: start: '2027-9-6x' is not a date (expected "
        "YYYY-MM-DD, e.g. 2027-09-06)",
        "networks.csv row 2, column meetings: 'two' is not a whole number (expected e.g. 3)",
        "people.csv row 3, column lon: 'east' is not a number (expected e.g. 51.49 or 51,49)",
        "memberships.csv row 6, column network: '008' is not a network id (did you mean '007'?)",
        "venues.csv row 3, column cost: '-5' is too small (expected a number >= 0)",
    ]


def test_more_than_fifty_faults_are_capped(tmp_path: Path) -> None:
    t = base()
    for i in range(60):
        t["memberships"].append([f"net{i}", "piet", ""])
    result = runner.invoke(app, ["validate", str(write_csv(tmp_path / "in", t))])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    # the header line, 50 faults, then the rest counted: 60 - 50 = 10
    assert len(lines) == 52
    assert lines[0].endswith("the input has 60 problem(s):")
    assert lines[1] == "memberships.csv row 7, column network: 'net0' is not a network id"
    assert lines[-1] == "... and 10 more"


LENIENT = {
    "Windows-1252 with é": lambda p: write_csv(p, base(), encoding="cp1252"),
    "semicolons and decimal commas": lambda p: write_csv(
        p, base(), sep=";", encoding="cp1252", decimal_comma=True
    ),
    "UTF-8 with BOM": lambda p: write_csv(p, base(), encoding="utf-8-sig"),
    "UTF-16 with BOM, tab-separated": lambda p: write_csv(p, base(), sep="\t", encoding="utf-16"),
}


@pytest.mark.parametrize("name", list(LENIENT))
def test_encodings_and_separators_that_read_fine(name: str, tmp_path: Path) -> None:
    path = LENIENT[name](tmp_path / "in")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}: valid. Horizon 2027-09-06..2027-10-01 (26 days)." in result.stdout
