"""Contract audit (FORMAT.md v1.1): input forms, hand-computed figures and the baseline.

Every expected figure below is derived by hand from the contract's text in
the comment beside it, not copied from dakpan's output. The inputs are tiny
and no test solves (the checker and the baseline are deterministic and fast).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from cli.app import app
from planner.read import read_problem_with_warnings
from planner.workbook import PALETTE, schedule_workbook_bytes
from planner.workbook_views import Sheet

runner = CliRunner()

# A small input that uses every table and most columns: accents and a curly
# quote (Windows-1252 has them all), a euro sign, decimals, `;` lists, a date
# range, v1.1 time ranges, a fixed meeting, travel overrides and a relay wish.
BASE = {
    "networks": "id,name,meetings,duration,min_gap_days,weekdays,earliest,latest,venues,region\n"
    "na,Netwerk Één,2,60,3,ma;di;wo;do,,,v1;v2,\n"
    "nb,Café Noord,1,90,,,10:00,15:30,,zuid\n"
    "nc,Überleg,1,45,,mon;wed;fri,,,,\n",
    "people": "id,name,organisation,email,lat,lon,unavailable\n"
    "p1,José Müller,Stichting ’t Hof,jm@example.nl,51.49,3.61,2027-09-07;2027-09-13 13:00-14:30\n"
    "p2,Anne,,,51.5,3.7,\n"
    "p3,Bert,,,51.6,3.8,2027-09-08..2027-09-09\n",
    "memberships": "network,person,role\nna,p1,\nna,p2,required\nnb,p1,\nnb,p3,optional\n"
    "nc,p2,\nnc,p3,\n",
    "venues": "id,name,address,lat,lon,capacity,rooms,weekdays,open,close,unavailable,cost\n"
    'v1,Zaal €uro,"Markt 1, Goes",51.50,3.89,10,1,,,,,12.5\n'
    'v2,Huis,"Dorp 2, Vlissingen",51.44,3.57,10,2,ma;di;wo;do;vr,09:30,16:00,'
    "2027-09-10;2027-09-14 09:00-12:00,\n",
    "fixed": "network,date,start,venue\nna,2027-09-06,10:00,v1\n",
    "travel": "from,to,km,minutes\np1,v1,25.5,\nv1,v2,30,40\n",
    "together": "networks,times,order,hard\nna;nb,1,yes,no\n",
    "settings": "key,value\nstart,2027-09-06\nend,2027-09-17\nmin_gap_days,3\ntime_limit,3\n",
}


def _rows(table: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(BASE[table])))


def _write(
    folder: Path,
    *,
    sep: str = ",",
    encoding: str = "utf-8",
    newline: str = "\n",
    decimal_comma: bool = False,
    header: bool = False,
) -> Path:
    """Write BASE as CSV files in one of the forms the contract allows."""
    folder.mkdir()
    for table in BASE:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=sep, lineterminator=newline)
        for i, cells in enumerate(_rows(table)):
            row = cells
            if header and i == 0:  # column names are case-insensitive
                row = [f" {name.upper()} " if j % 2 else name.title() for j, name in enumerate(row)]
            if decimal_comma:  # accepted in a `;`-separated file
                row = [c.replace(".", ",") if re.fullmatch(r"\d+\.\d+", c) else c for c in row]
            writer.writerow(row)
        (folder / f"{table}.csv").write_bytes(out.getvalue().encode(encoding))
    return folder


def _workbook(path: Path, *, typed: bool) -> Path:
    """Write BASE as a workbook: every cell text, or numbers, dates and times typed."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in BASE:
        sheet = book.create_sheet(table)
        for i, row in enumerate(_rows(table)):
            sheet.append([_typed(c) if typed and i else (c or None) for c in row])
    book.save(path)
    return path


def _typed(cell: str) -> object:
    if not cell:
        return None
    if re.fullmatch(r"\d+", cell):
        return int(cell)
    if re.fullmatch(r"\d+\.\d+", cell):
        return float(cell)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", cell):
        return dt.datetime.fromisoformat(cell)
    if re.fullmatch(r"\d\d:\d\d", cell):
        return dt.time(int(cell[:2]), int(cell[3:]))
    return cell


FORMS: dict[str, dict[str, Any]] = {
    "semicolon, decimal comma, Windows-1252, CRLF": {
        "sep": ";",
        "encoding": "cp1252",
        "newline": "\r\n",
        "decimal_comma": True,
    },
    "semicolon, UTF-8 with BOM": {"sep": ";", "encoding": "utf-8-sig"},
    "comma, Windows-1252": {"encoding": "cp1252"},
    "comma, UTF-8 with BOM, CRLF": {"encoding": "utf-8-sig", "newline": "\r\n"},
    "header names in other case and with spaces": {"header": True},
}


@pytest.mark.parametrize("form", list(FORMS))
def test_every_allowed_csv_form_reads_as_the_plain_form(tmp_path: Path, form: str) -> None:
    """Each CSV form FORMAT.md allows gives the same problem as plain UTF-8 `,` files."""
    plain, _ = read_problem_with_warnings(_write(tmp_path / "plain"))
    other, warnings = read_problem_with_warnings(_write(tmp_path / "other", **FORMS[form]))
    assert other == plain
    assert warnings == []
    assert plain.people[0].name == "José Müller"
    assert plain.people[0].organisation == "Stichting ’t Hof"
    assert plain.venues[0].name == "Zaal €uro"
    assert plain.venues[0].cost == 12.5


@pytest.mark.parametrize("typed", [True, False])
def test_workbook_reads_as_the_csv_files(tmp_path: Path, typed: bool) -> None:
    """A workbook of the tables, typed (Excel dates, times, numbers) or all text, reads as CSV."""
    plain, _ = read_problem_with_warnings(_write(tmp_path / "plain"))
    book, warnings = read_problem_with_warnings(_workbook(tmp_path / "in.xlsx", typed=typed))
    assert book == plain
    assert warnings == []


def test_settings_toml_and_header_only_optional_tables_read_as_the_csv_files(
    tmp_path: Path,
) -> None:
    """settings.toml for settings.csv, and optional tables with only a header, change nothing."""
    plain, _ = read_problem_with_warnings(_write(tmp_path / "plain"))
    folder = _write(tmp_path / "toml")
    (folder / "settings.csv").unlink()
    (folder / "settings.toml").write_text(
        'start = 2027-09-06\nend = "2027-09-17"\nmin_gap_days = 3\ntime_limit = 3\n',
        encoding="utf-8",
    )
    toml, warnings = read_problem_with_warnings(folder)
    assert toml == plain
    assert warnings == []
    # Without the fixed, travel and together rows, and once more with the
    # header rows only: the same problem either way.
    for table in ("fixed", "travel", "together"):
        (folder / f"{table}.csv").unlink()
    absent, _ = read_problem_with_warnings(folder)
    for table in ("fixed", "travel", "together"):
        (folder / f"{table}.csv").write_text(BASE[table].split("\n")[0] + "\n", encoding="utf-8")
    header_only, _ = read_problem_with_warnings(folder)
    assert header_only == absent
    assert (absent.fixed, absent.travel, absent.together) == ((), (), ())


def test_a_file_mixing_utf8_and_windows_1252_is_refused(tmp_path: Path) -> None:
    """A file both UTF-8 and Windows-1252 in places: exit 2, a located message, nothing written.

    Read as Windows-1252 it decodes without error, but its UTF-8 names would
    become mojibake (``JosÃ© MÃ¼ller``): the contract allows either encoding
    for a file, not both in one.
    """
    folder = _write(tmp_path / "in")
    people = folder / "people.csv"
    # Line 2 (p1) is UTF-8; line 3 gets a Windows-1252 e-diaeresis (0xeb).
    people.write_bytes(people.read_bytes().replace(b"Anne", "Zoë".encode("cp1252")))
    out = tmp_path / "plan"
    result = runner.invoke(app, ["plan", str(folder), "--out", str(out), "--quiet"])
    assert result.exit_code == 2
    assert result.output.splitlines()[1:] == [
        "people.csv mixes two encodings: line 2 is UTF-8 but line 3 is not (byte 0xeb, "
        "Windows-1252?); save the file as CSV UTF-8"
    ]
    assert not out.exists()


# ------------------------------------------------------ figures by hand (check)
# The input for the checks: BASE with a cap of 1 meeting a person a day,
# long_wait 30, v2 holding 1 person, and the relay wish hard and wanted twice.
def _check_input(tmp_path: Path) -> Path:
    folder = _write(tmp_path / "in")
    (folder / "settings.csv").write_text(
        BASE["settings"] + "max_meetings_per_day,1\nlong_wait,30\n", encoding="utf-8"
    )
    venues = BASE["venues"].replace("51.44,3.57,10,2", "51.44,3.57,1,2")
    (folder / "venues.csv").write_text(venues, encoding="utf-8")
    (folder / "together.csv").write_text(
        "networks,times,order,hard\nna;nb,2,yes,yes\n", encoding="utf-8"
    )
    return folder


def _check_json(tmp_path: Path, schedule: str) -> dict[str, object]:
    path = tmp_path / "schedule.csv"
    path.write_text("network,date,start,end,venue\n" + schedule, encoding="utf-8")
    result = runner.invoke(app, ["check", str(_check_input(tmp_path)), str(path), "--json"])
    assert result.exit_code == 1, result.output
    figures: dict[str, object] = json.loads(result.stdout)
    return figures


def test_check_figures_of_a_hand_made_schedule(tmp_path: Path) -> None:
    """Every kind and figure of a hand-made schedule, computed by hand from FORMAT.md."""
    figures = _check_json(
        tmp_path,
        "na,2027-09-06,10:00,11:00,v1\n"  # A, the fixed meeting
        "na,2027-09-07,09:30,10:30,v2\n"  # B
        "nb,2027-09-07,12:00,13:30,v2\n"  # C
        "nc,2027-09-07,11:00,11:45,v1\n"  # D
        "nc,2027-09-13,13:00,13:45,v1\n"  # E
        "nb,2027-09-13,13:30,15:00,v1\n"  # F
        "na,2027-09-13,14:30,15:30,v1\n"  # G
        "zz,2027-09-08,09:00,10:00,v1\n",  # H, a network the input lacks
    )
    violations = {k: v for k, v in figures["violations"].items() if v}  # type: ignore[attr-defined]
    assert violations == {
        "count": 4,  # na 3 != 2, nb 2 != 1, nc 2 != 1, and zz
        "weekday": 1,  # D: nc meets mon;wed;fri, 09-07 is a Tuesday
        # p1 (required in na, nb) on 09-07 (B, C) and F overlapping 13:00-14:30;
        # G starts at 14:30, touching the range: no overlap.
        "unavailable": 3,
        "min_gap": 1,  # na A 09-06 -> B 09-07: 1 < 3 days
        "clash": 1,  # p1: F 13:30-15:00 and G 14:30-15:30
        # p2: B ends 10:30 at v2, D starts 11:00 at v1; needs 40 (table) + 15.
        "travel_gap": 1,
        "per_day_cap": 4,  # p1 and p2 on 09-07 and 09-13 (p3 is optional in F)
        # v1 (1 room) on 09-13: F starts while E occupies it until 14:00, G
        # while F occupies it until 15:15.
        "rooms": 2,
        "capacity": 2,  # B and C: 2 members each (optional p3 counts) in v2 for 1
        "together": 1,  # held only on 09-07@v2 (na ends 10:30, nb starts 12:00): 1 < 2
    }
    assert figures["hard_violations"] == 20
    # Required person-days: p1 09-06 [v1], 09-07 [v2 v2], 09-13 [v1 v1];
    # p2 09-06 [v1], 09-07 [v2 v1], 09-13 [v1 v1]; p3 09-07 [v1], 09-13 [v1].
    assert figures["trips"] == 8
    # p1 09-07: 09:30-13:30 less 150 covered = 90; p2 09-07: 135 - 105 = 30;
    # p2 09-13: 150 - 105 = 45; p1 09-13: covered throughout.
    assert figures["idle_minutes"] == 165
    # max(0, idle - 15 x (k - 1)), k = 2 on each day: 75 + 15 + 30.
    assert figures["excess_idle_minutes"] == 120
    # Waits over 30 minutes: p1 90 (09-07), p2 45 (09-13); p2's 30 is not longer.
    assert figures["long_waits"] == 2
    # Home legs: p1-v1 25.5 (table, both ways), v1-v2 30 (table), others
    # great-circle km x 1.3 (p1-v2 8.076, p2-v1 17.097, p2-v2 14.569,
    # p3-v1 16.565): 51 + 16.152 + 51 + 34.194 + 61.666 + 34.194 + 66.26.
    assert figures["travel_km"] == 314.468
    assert figures["sessions"] == 5  # 09-06@v1, 09-07@v1, 09-07@v2, 09-08@v1, 09-13@v1
    assert figures["venue_cost"] == 50.0  # v1 (12.5 a day) on 4 dates
    assert figures["optional_clashes"] == 1  # p3: E (required) and F (optional)
    assert (figures["together_met"], figures["together_held"]) == (0, [1])


def test_check_kinds_of_a_second_hand_made_schedule(tmp_path: Path) -> None:
    """The remaining kinds (horizon, window, grid, venue_list, venue_closed, fixed) by hand."""
    figures = _check_json(
        tmp_path,
        "na,2027-09-03,10:00,11:00,v1\n"  # before start, a Friday
        "na,2027-09-08,08:45,09:45,v2\n"  # before earliest 09:00 and v2's 09:30
        "nb,2027-09-09,10:10,11:40,v1\n"  # 70 minutes after day_start
        "nc,2027-09-10,09:00,09:30,v2\n"  # 30 minutes instead of 45; v2 closed
        "nc,2027-09-17,09:00,09:45,v9\n"  # an unknown venue
        "nb,2027-09-14,10:00,11:30,v2\n"  # v2 closed 09:00-12:00
        "nc,2027-09-15,10:00,10:45,v1\n"  # starts with the next in 1-room v1
        "nb,2027-09-15,10:00,11:30,v1\n",
    )
    violations = {k: v for k, v in figures["violations"].items() if v}  # type: ignore[attr-defined]
    assert violations == {
        "count": 2,  # nb 3, nc 3 (na has its 2)
        "horizon": 1,
        "window": 1,  # 08:45 (its grid offset -15 is a whole slot: no grid count)
        "grid": 2,  # 10:10, and the 30-minute nc
        "weekday": 1,  # na on a Friday
        "venue_list": 1,  # v9
        "venue_closed": 3,  # 08:45 before 09:30, 09-10 closed, 09-14 09:00-12:00
        "min_gap": 2,  # nb 09-14 -> 09-15, nc 09-15 -> 09-17
        "rooms": 1,  # two meetings starting together in one room count once
        "capacity": 3,  # the three v2 meetings, 2 members each, capacity 1
        "fixed": 1,  # na 09-06 10:00 v1 is missing
        "together": 1,  # no session holds na and nb
    }
    assert figures["hard_violations"] == 19


def test_travel_minutes_round_up_without_float_noise_and_tables_per_direction(
    tmp_path: Path,
) -> None:
    """travel_gap rounds minutes up ignoring float noise; a table row per direction wins."""
    folder = tmp_path / "in"
    folder.mkdir()
    files = {
        "networks": "id,name,meetings,duration\nn1,N1,1,60\nn2,N2,1,60\nn3,N3,1,60\n",
        "people": "id,name,lat,lon\np,P,52.0,5.0\n",
        "memberships": "network,person\nn1,p\nn2,p\nn3,p\n",
        "venues": "id,name,lat,lon,capacity\na,A,52.0,5.1,10\nb,B,52.1,5.1,10\nc,C,52.0,5.3,10\n",
        # a-b 31 km: 31 / 60 x 60 = 31.000000000000004 minutes, which is 31.
        # c->a 20 minutes, a->c 20.5 km = 20.5 minutes, so 21.
        "travel": "from,to,km,minutes\na,b,31,\nc,a,10,20\na,c,20.5,\n",
        "settings": "key,value\nstart,2027-09-06\nend,2027-09-30\nslot,1\nmin_gap_days,0\n",
    }
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    cases = {
        ("a", "10:46", "b"): 0,  # 46 = 31 + 15
        ("a", "10:45", "b"): 1,
        ("b", "10:46", "a"): 0,  # b->a is a->b: the table is symmetric
        ("c", "10:35", "a"): 0,  # 35 = 20 + 15
        ("a", "10:35", "c"): 1,  # needs 21 + 15
        ("a", "10:36", "c"): 0,
    }
    for (first, start, second), expected in cases.items():
        end = f"{int(start[:2]) + 1}:{start[3:]}"
        path = tmp_path / "schedule.csv"
        path.write_text(
            "network,date,start,end,venue\n"
            f"n1,2027-09-06,09:00,10:00,{first}\n"
            f"n2,2027-09-06,{start},{end},{second}\n"
            "n3,2027-09-07,09:00,10:00,a\n",
            encoding="utf-8",
        )
        result = runner.invoke(app, ["check", str(folder), str(path), "--json"])
        figures = json.loads(result.stdout)
        assert figures["violations"]["travel_gap"] == expected, (first, start, second)
        assert figures["hard_violations"] == expected


# ------------------------------------------------------------ baseline by hand
BASELINE_INPUT = {
    "networks": "id,name,meetings,duration,min_gap_days,weekdays,earliest,venues\n"
    "n0,N0,3,60,10,ma;di;wo;do,,\n"
    "n1,N1,2,60,,,10:00,vC;vB\n"
    "n2,N2,1,60,,,,\n"
    "n3,N3,2,60,,,,\n",
    "people": "id,name,lat,lon,unavailable\nr1,R1,52.0,5.0,2027-09-06\nr2,R2,52.0,5.02,\n"
    "o1,O1,52.0,5.04,\nr3,R3,52.0,5.3,\nr4,R4,52.0,5.0,\n",
    "memberships": "network,person,role\nn0,r1,\nn0,r2,\nn0,o1,optional\n"
    "n1,r1,\nn1,r2,\nn1,r3,\nn1,r4,\nn3,r3,\n",
    "venues": "id,name,lat,lon,capacity,open,unavailable\nvA,A,52.0,5.01,2,,\n"
    "vB,B,52.1,5.0,3,09:30,2027-10-12..2027-10-13\nvC,C,52.0,5.3,3,,\n",
    "fixed": "network,date,start,venue\nn3,2027-09-08,14:00,vC\n",
    "settings": "key,value\nstart,2027-09-06\nend,2027-10-29\n",
}


def test_baseline_placed_by_hand(tmp_path: Path) -> None:
    """The baseline's dates, venues and starts follow FORMAT.md's recipe step by step."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in BASELINE_INPUT.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "baseline"
    result = runner.invoke(app, ["baseline", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = (out / "schedule.csv").read_text(encoding="utf-8").splitlines()
    # L = 54 days (09-06..10-29); the midden autumn break is 10-16..10-24.
    # n0 (f = 0, K = 3): vA holds 2 of its 3 members; vB is nearer r1 and r2
    # than vC. Points +0, +18, +36 days: 09-06 (r1 away) -> 09-07; 09-24 is a
    # Friday -> 09-27; 10-12 (vB closed to 10-13) -> 10-14. Starts at vB's 09:30.
    # n1 (f = 0.6180339887, K = 2): 4 members, no venue holds them: the
    # largest, vB and vC, tie: vB is first in the venues file. Points
    # floor(0.618.. x 27) = 16 -> 09-22 and floor(1.618.. x 27) = 43 -> 10-19
    # (autumn break) -> 10-25. Starts at its earliest 10:00 (vB opens 09:30).
    # n2 (f = 0.2360679774, no members): every venue ties at 0 km: vA.
    # Point floor(0.236.. x 54) = 12 -> 09-18, a Saturday -> 09-20.
    # n3 (f = 0.8541019661): keeps its fixed 09-08 meeting; its one other
    # meeting (K - F = 1) at vC, nearest r3: floor(0.854.. x 54) = 46 ->
    # 10-22 (autumn break) -> 10-25.
    assert rows[1:] == [
        "n0-1,n0,1,2027-09-07,09:30,10:30,vB,2027-09-07@vB,r1;r2;o1",
        "n3-1,n3,1,2027-09-08,14:00,15:00,vC,2027-09-08@vC,r3",
        "n2-1,n2,1,2027-09-20,09:00,10:00,vA,2027-09-20@vA,",
        "n1-1,n1,1,2027-09-22,10:00,11:00,vB,2027-09-22@vB,r1;r2;r3;r4",
        "n0-2,n0,2,2027-09-27,09:30,10:30,vB,2027-09-27@vB,r1;r2;o1",
        "n0-3,n0,3,2027-10-14,09:30,10:30,vB,2027-10-14@vB,r1;r2;o1",
        "n3-2,n3,2,2027-10-25,09:00,10:00,vC,2027-10-25@vC,r3",
        "n1-2,n1,2,2027-10-25,10:00,11:00,vB,2027-10-25@vB,r1;r2;r3;r4",
    ]


# ------------------------------------------------------ schedule.xlsx styles
def test_workbook_cells_keep_their_own_style_when_styles_are_reused() -> None:
    """Each cell has its row's network colour and its value's format, though styles are shared."""
    day, at = dt.date(2027, 9, 6), dt.time(9, 30)
    rows = (
        ("=cmd", day, at, 3, None),  # network a: quoted text, date, time, number, empty
        ("plain", day, at, 4, "x"),  # a again: the same styles, reused
        ("-1", day, at, 5, "+y"),  # b: quoted text again, in b's colour
        ("text", day, at, 6, None),  # no network: no colour
    )
    sheet = Sheet("schedule", ("t", "d", "h", "n", "e"), rows, ("a", "a", "b", None))
    data = schedule_workbook_bytes([sheet], language="nl", network_order=["a", "b"])
    ws = openpyxl.load_workbook(io.BytesIO(data))["schedule"]
    colours = [
        [c.fill.fgColor.rgb if c.fill.fill_type else None for c in r] for r in ws.iter_rows(2)
    ]
    a, b = (f"00{PALETTE[0]}", f"00{PALETTE[1]}")
    assert colours == [[a] * 5, [a] * 5, [b] * 5, [None] * 5]
    formats = [[c.number_format for c in r] for r in ws.iter_rows(2)]
    assert formats == [["General", "dd-mm-yyyy", "hh:mm", "General", "General"]] * 4
    quoted = [[c.quotePrefix for c in r] for r in ws.iter_rows(2)]
    assert quoted == [
        [True, False, False, False, False],
        [False, False, False, False, False],
        [True, False, False, False, True],
        [False, False, False, False, False],
    ]
