"""``schedule.xlsx``: its sheets, cells and colours, and an edited copy read back by ``check``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cli.app import app
from planner.baseline import baseline
from planner.check import check
from planner.planfile import read_schedule_csv, write_plan_folder
from planner.problem import Problem
from planner.read import InputError
from planner.workbook import (
    SCHEDULE_SHEET_COLUMNS,
    SCHEDULE_XLSX,
    schedule_workbook_bytes,
    sessions_holding,
    workbook_sheets,
)
from tests.conftest import schedule_of, two_networks_one_member

runner = CliRunner()

HOSTILE = '=HYPERLINK("http://evil.example","klik")'
# p is in a and b; a at 09:00-10:00 and b at 10:00-11:00 in Goes: one session, relay order 1, 2.
ROWS = (("a", "2027-09-06", "09:00", "goes"), ("b", "2027-09-06", "10:15", "goes"))

INPUT = {
    "networks.csv": "id,name,meetings,duration,venues\n"
    "a,Netwerk A,1,60,goes\n"
    "b,Netwerk B,1,60,goes;middelburg\n",
    "people.csv": "id,name,lat,lon\np,P,51.4426,3.5736\nq,Q,51.5040,3.8880\nr,R,51.4426,3.5736\n",
    "memberships.csv": "network,person,role\na,p,\na,q,\nb,p,\nb,r,optional\n",
    "venues.csv": "id,name,lat,lon,capacity\n"
    "goes,Goes,51.5040,3.8880,20\n"
    "middelburg,Middelburg,51.4988,3.6136,20\n",
    "settings.csv": "key,value\nstart,2027-09-06\nend,2027-10-01\npublic_holidays,false\n"
    "school_holidays,false\nmin_gap_days,7\ntime_limit,10\n",
}


def hostile_problem(language: str = "nl") -> Problem:
    """The tiny problem with person p named by a formula, in ``language``."""
    tiny = two_networks_one_member()
    people = tuple(replace(x, name=HOSTILE) if x.id == "p" else x for x in tiny.people)
    return replace(tiny, people=people, settings=replace(tiny.settings, language=language))


def write_plan(folder: Path, problem: Problem) -> Path:
    """A plan folder of ``ROWS`` for ``problem``."""
    sched = schedule_of(problem, *ROWS)
    write_plan_folder(folder, problem, sched, baseline_report=check(problem, baseline(problem)))
    return folder


def write_input(folder: Path) -> Path:
    """The tiny problem as CSV files."""
    folder.mkdir()
    for name, text in INPUT.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_sheets_headers_dates_and_hostile_text(tmp_path: Path) -> None:
    """Every plan folder holds schedule.xlsx with Dutch sheets, real dates and formulas as text."""
    plan = write_plan(tmp_path / "plan", hostile_problem())
    wb = openpyxl.load_workbook(plan / SCHEDULE_XLSX)
    assert wb.sheetnames == ["schedule", "per netwerk", "per persoon", "per locatie", "kengetallen"]
    ws = wb["schedule"]
    header = [c.value for c in ws[1]]
    assert header == [
        *SCHEDULE_SHEET_COLUMNS,
        "dag",
        "netwerk (naam)",
        "locatie (naam)",
        "volgorde",
        "deelnemers (namen)",
    ]
    row = [c.value for c in ws[3]]
    assert row[:9] == [
        "b-1",
        "b",
        1,
        datetime(2027, 9, 6),
        time(10, 15),
        time(11, 15),
        "goes",
        "2027-09-06@goes",
        "p;r",
    ]
    assert row[9:13] == ["ma", "Netwerk B", "Goes", 2]
    assert ws["D3"].is_date and ws["D3"].number_format == "dd-mm-yyyy"
    assert ws["E3"].number_format == "hh:mm"
    # the formula-like name is stored as a string, never as a formula
    names = ws["N3"]
    assert (names.value, names.data_type) == (f"{HOSTILE}; R", "s")
    person = wb["per persoon"]
    assert [c.value for c in person[1]][:3] == ["persoon", "naam", "datum"]
    assert (person["B2"].value, person["B2"].data_type) == (HOSTILE, "s")
    assert person["B2"].quotePrefix is True
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:N3"
    # one colour per network: a's rows and b's rows differ
    assert ws["A2"].fill.fgColor.rgb != ws["A3"].fill.fgColor.rgb
    figures = wb["kengetallen"]
    assert [c.value for c in figures[1]] == [
        "kengetal",
        "betekenis",
        "plan",
        "ieder apart",
        "verhouding",
    ]
    assert [c.value for c in figures[2]][:3] == ["hard_violations", "Harde overtredingen", 0]


def test_english_headers_and_same_bytes_twice(tmp_path: Path) -> None:
    """With language en the sheets are English, and the workbook's bytes are deterministic."""
    problem = hostile_problem("en")
    a = write_plan(tmp_path / "a", problem)
    b = write_plan(tmp_path / "b", problem)
    assert (a / SCHEDULE_XLSX).read_bytes() == (b / SCHEDULE_XLSX).read_bytes()
    wb = openpyxl.load_workbook(a / SCHEDULE_XLSX)
    assert wb.sheetnames == ["schedule", "by network", "by person", "by venue", "figures"]
    assert [c.value for c in wb["by venue"][1]][:3] == ["venue", "name", "date"]
    assert wb["schedule"]["D2"].number_format == "yyyy-mm-dd"


def test_workbook_read_back_equals_the_schedule(tmp_path: Path) -> None:
    """Reading schedule.xlsx gives exactly the schedule that was written."""
    problem = two_networks_one_member()
    plan = write_plan(tmp_path / "plan", problem)
    assert read_schedule_csv(plan / SCHEDULE_XLSX, problem) == schedule_of(problem, *ROWS)


def edited(plan: Path, out: Path, day: object, start: object) -> Path:
    """A copy of the plan's workbook with meeting b-1 (row 3) moved to ``day`` at ``start``."""
    wb = openpyxl.load_workbook(plan / SCHEDULE_XLSX)
    ws = wb["schedule"]
    assert ws["A3"].value == "b-1"
    ws["D3"].value = day
    ws["E3"].value = start
    ws["F3"].value = None  # end: derived from the network's duration
    wb.save(out)
    return out


def test_edited_workbook_with_a_clash_fails_check(tmp_path: Path) -> None:
    """b-1 moved onto a's hour (p in both) fails `dakpan check`, naming b-1; exit 1."""
    plan = write_plan(tmp_path / "plan", two_networks_one_member())
    bad = edited(plan, tmp_path / "bad.xlsx", date(2027, 9, 6), time(9, 30))
    result = runner.invoke(app, ["check", str(write_input(tmp_path / "in")), str(bad)])
    assert result.exit_code == 1, result.output
    assert "clash" in result.stdout and "(b-1)" in result.stdout


def test_edited_workbook_with_a_valid_move_passes(tmp_path: Path) -> None:
    """b-1 moved to Tuesday 10:00, typed as text, passes; export-ics --schedule publishes it."""
    plan = write_plan(tmp_path / "plan", two_networks_one_member())
    good = edited(plan, tmp_path / "good.xlsx", "2027-09-07", "10:00")
    result = runner.invoke(app, ["check", str(write_input(tmp_path / "in")), str(good)])
    assert result.exit_code == 0, result.output
    assert "No hard violations." in result.stdout
    out = tmp_path / "ics"
    result = runner.invoke(
        app, ["export-ics", str(plan), "--out", str(out), "--schedule", str(good)]
    )
    assert result.exit_code == 0, result.output
    text = (out / "network-b.ics").read_text(encoding="utf-8")
    assert "DTSTART;TZID=Europe/Amsterdam:20270907T100000" in text


def test_workbook_without_schedule_sheet_is_a_located_error(tmp_path: Path) -> None:
    """A workbook with no sheet `schedule` is refused, naming the file and the sheets found."""
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Blad1"
    wb.save(path)
    with pytest.raises(InputError) as err:
        read_schedule_csv(path, two_networks_one_member())
    assert err.value.lines() == ["other.xlsx has no sheet 'schedule' (sheets found: Blad1)"]


def test_relay_wishes_sheet_when_the_problem_has_them() -> None:
    """A problem with relay wishes gets their sheet; held counts follow the contract."""

    class Wish:
        networks = ("a", "b")
        times = 1
        order = True
        hard = False

    problem = two_networks_one_member()
    sched = schedule_of(problem, *ROWS)
    # a 09:00-10:00, then b 10:15 in the same session: held once in order, not in reverse
    assert sessions_holding(sched, ("a", "b"), ordered=True) == 1
    assert sessions_holding(sched, ("b", "a"), ordered=True) == 0
    assert sessions_holding(sched, ("b", "a"), ordered=False) == 1

    class WithWishes:
        def __init__(self, inner: Problem) -> None:
            self.inner = inner
            self.together = (Wish(),)

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

    report = check(problem, sched)
    sheets = workbook_sheets(WithWishes(problem), sched, report)  # type: ignore[arg-type]
    wishes = sheets[-1]
    assert wishes.title == "estafettewensen"
    assert wishes.rows == (("Netwerk A; Netwerk B", 1, "ja", "nee", 1, "ja"),)
    assert schedule_workbook_bytes(sheets)[:2] == b"PK"
