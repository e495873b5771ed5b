"""``dakpan import-availability``: polls and calendars into a copy of the input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cli.app import app
from planner.check import check
from planner.read import read_problem
from planner.schedule import Schedule
from planner.solver import SolveOptions, plan

runner = CliRunner()
POLLS = Path(__file__).parent / "polls"

# people.csv as Dutch Excel saves it: BOM, ';', decimal commas, CRLF; anna has absences already.
PEOPLE = (
    "\ufeffid;name;email;lat;lon;unavailable\r\n"
    'anna;Anna de Vries;anna@school.nl;51,4426;3,5736;"2027-09-16;2027-12-24..2027-12-31"\r\n'
    "bram;Bram Jansen;;51,5040;3,8880;\r\n"
    "chloe;Chloé Dubois;chloe@example.nl;51,4988;3,6136;\r\n"
    "dirk;Dirk van den Berg;;51,3358;3,8283;\r\n"
)
OTHER = {
    "networks.csv": "id,name,meetings,duration,venues\na,Netwerk A,1,60,goes\n",
    "memberships.csv": "network,person\na,anna\na,bram\na,chloe\na,dirk\n",
    "venues.csv": "id,name,lat,lon,capacity\ngoes,Goes,51.5040,3.8880,20\n",
    "settings.csv": "key,value\nstart,2027-09-06\nend,2028-04-28\n"
    "public_holidays,false\nschool_holidays,false\n",
}


def write_input(folder: Path, people: str = PEOPLE, **other: str) -> Path:
    """The four-person input as CSV files."""
    folder.mkdir()
    (folder / "people.csv").write_bytes(people.encode("utf-8"))
    for name, text in {**OTHER, **other}.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


def test_four_polls_into_a_csv_folder(tmp_path: Path) -> None:
    """Rallly nl/en, Framadate and Doodle merged per person; people.csv keeps its form.

    anna: 09-14 and 09-16 (Rallly nl; 09-16 was there), 09-20 09:00-12:00
    (Framadate), 10-26 14:00-16:00 (Doodle). bram (name with odd spacing):
    both 09-15 slots (nl), 09-17 (en), 10-25 slot and 11-02 (Doodle); his
    "If need be" for 09-15 09:00-10:00 (en) loses to his "Nee" (nl). chloe is
    matched without her accent. Jan Smit, "Dirk van den Burg" and the
    formula-named voter match nobody and are listed.
    """
    inp = write_input(tmp_path / "in")
    out = tmp_path / "new"
    polls = [str(POLLS / n) for n in ("rallly-nl.csv", "rallly-en.csv", "framadate.csv")]
    result = runner.invoke(
        app, ["import-availability", str(inp), *polls, str(POLLS / "doodle.csv"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "anna (Anna de Vries): unavailable + 2027-09-14, 2027-09-20 09:00-12:00, "
        "2027-10-26 14:00-16:00; if need be + 2027-09-15 14:00-15:30, 2027-09-21, 2027-11-02",
        "bram (Bram Jansen): unavailable + 2027-09-15 09:00-10:00, 2027-09-15 14:00-15:30, "
        "2027-09-17, 2027-10-25 09:00-11:00, 2027-11-02",
        "chloe (Chloé Dubois): unavailable + 2027-09-14, 2027-09-15 09:00-10:00; "
        "if need be + 2027-09-17",
        "dirk (Dirk van den Berg): unavailable + 2027-09-20 13:00-17:00, 2027-09-21",
        f"Written to {out}.",
    ]
    assert result.stderr.splitlines() == [
        "unknown voter 'Jan Smit <jan@smit.nl>' (rallly-nl.csv row 4) matches no person",
        "unknown voter 'Dirk van den Burg' (rallly-en.csv row 3) matches no person; "
        "did you mean Dirk van den Berg (dirk)?",
        "unknown voter \"=cmd|' /C calc'!A0\" (framadate.csv row 5) matches no person",
    ]
    assert (out / "people.csv").read_bytes().decode("utf-8") == (
        "\ufeffid;name;email;lat;lon;unavailable;if_need_be\r\n"
        "anna;Anna de Vries;anna@school.nl;51,4426;3,5736;"
        '"2027-09-14;2027-09-16;2027-09-20 09:00-12:00;2027-10-26 14:00-16:00;'
        '2027-12-24..2027-12-31";"2027-09-15 14:00-15:30;2027-09-21;2027-11-02"\r\n'
        "bram;Bram Jansen;;51,5040;3,8880;"
        '"2027-09-15 09:00-10:00;2027-09-15 14:00-15:30;2027-09-17;2027-10-25 09:00-11:00;'
        '2027-11-02";\r\n'
        'chloe;Chloé Dubois;chloe@example.nl;51,4988;3,6136;"2027-09-14;2027-09-15 09:00-10:00";'
        "2027-09-17\r\n"
        'dirk;Dirk van den Berg;;51,3358;3,8283;"2027-09-20 13:00-17:00;2027-09-21";\r\n'
    )
    for name in OTHER:
        assert (out / name).read_bytes() == (inp / name).read_bytes()
    assert (inp / "people.csv").read_bytes() == PEOPLE.encode("utf-8")  # the original untouched


def test_calendars_into_a_workbook(tmp_path: Path) -> None:
    """A folder of .ics files, matched by file name, into a workbook; other sheets unchanged."""
    src = tmp_path / "in.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "networks"
    wb["networks"].append(["id", "name", "meetings", "duration", "venues"])
    wb["networks"].append(["a", "Netwerk A", 1, 60, "goes"])
    sheets = {
        "people": [
            ["id", "name", "lat", "lon", "unavailable"],
            ["anna", "Anna de Vries", 51.4426, 3.5736, date(2027, 12, 20)],
            ["bram", "Bram Jansen", 51.504, 3.888, None],
        ],
        "memberships": [["network", "person"], ["a", "anna"], ["a", "bram"]],
        "venues": [["id", "name", "lat", "lon", "capacity"], ["goes", "Goes", 51.504, 3.888, 20]],
        "settings": [["key", "value"], ["start", date(2027, 9, 6)], ["end", date(2028, 4, 28)]],
    }
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(src)
    out = tmp_path / "out.xlsx"
    result = runner.invoke(
        app, ["import-availability", str(src), str(POLLS / "calendars"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    new = openpyxl.load_workbook(out)
    people = [[c.value for c in row] for row in new["people"].iter_rows()]
    # anna's 2027-12-20 (a date cell) is kept as text and not repeated
    assert people[1][4] == (
        "2027-10-29 10:00-11:00;2027-11-01 09:00-10:00;2027-11-10 22:00-24:00;"
        "2027-11-11 00:00-02:00;2027-12-20;2027-12-21;2028-01-10 13:00-14:00;"
        "2028-01-24 13:00-14:00;2028-03-20 09:00-10:00;2028-03-24 09:00-10:00;"
        "2028-03-27 10:00-11:00"
    )
    assert people[2][4] == ("2027-10-29 09:00-11:00;2027-11-01 08:00-10:00;2028-03-27 09:00-11:00")
    old = openpyxl.load_workbook(src)
    for title in ("networks", "memberships", "venues", "settings"):
        assert [[c.value for c in r] for r in new[title].iter_rows()] == [
            [c.value for c in r] for r in old[title].iter_rows()
        ]


def test_person_option_names_the_calendar_owner(tmp_path: Path) -> None:
    """--person gives a calendar whose file name is nobody's to that person."""
    inp = write_input(tmp_path / "in")
    cal = tmp_path / "agenda.ics"
    cal.write_bytes((POLLS / "calendars" / "bram.ics").read_bytes())
    out = tmp_path / "new"
    result = runner.invoke(
        app, ["import-availability", str(inp), str(cal), "--person", "dirk", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "dirk (Dirk van den Berg): unavailable + 2027-10-29 09:00-11:00, "
        "2027-11-01 08:00-10:00, 2028-03-27 09:00-11:00"
    )


def test_malformed_export_writes_nothing(tmp_path: Path) -> None:
    """A bad answer: exit 2, the file, row and column named, no output written."""
    inp = write_input(tmp_path / "in")
    out = tmp_path / "new"
    result = runner.invoke(
        app,
        ["import-availability", str(inp), str(POLLS / "rallly-bad.csv"), "--out", str(out)],
    )
    assert result.exit_code == 2
    assert "rallly-bad.csv row 3, column E: 'Wellicht' is not an answer" in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_existing_output_is_never_overwritten(tmp_path: Path) -> None:
    """--out naming an existing path is refused (exit 2); --in-place replaces the input."""
    inp = write_input(tmp_path / "in")
    taken = tmp_path / "taken"
    taken.mkdir()
    poll = str(POLLS / "doodle.csv")
    result = runner.invoke(app, ["import-availability", str(inp), poll, "--out", str(taken)])
    assert result.exit_code == 2
    assert f"{taken} exists; choose a new name, or use --in-place" in result.stderr
    assert list(taken.iterdir()) == []
    wrong = tmp_path / "copy.xlsx"
    result = runner.invoke(app, ["import-availability", str(inp), poll, "--out", str(wrong)])
    assert result.exit_code == 2
    assert "the input is a folder of CSV files (no .xlsx name)" in result.stderr
    result = runner.invoke(app, ["import-availability", str(inp), poll, "--in-place"])
    assert result.exit_code == 0, result.output
    assert "bram;Bram Jansen;;51,5040;3,8880;" in (inp / "people.csv").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "taken"]


def test_whole_days_keep_the_planner_away(tmp_path: Path) -> None:
    """Whole-day "No"s are read back as unavailable dates; the plan avoids them (checked).

    One network of anna and bram, one meeting in the week Mon 2027-09-06 ..
    Fri 09-10. anna says No to Mon-Wed, bram to Thu: only Fri 09-10 is left.
    """
    people = "id,name,lat,lon\nanna,Anna de Vries,51.4426,3.5736\nbram,Bram Jansen,51.504,3.888\n"
    settings = OTHER["settings.csv"].replace("2028-04-28", "2027-09-10")
    inp = write_input(
        tmp_path / "in",
        people,
        **{"memberships.csv": "network,person\na,anna\na,bram\n", "settings.csv": settings},
    )
    poll = tmp_path / "framadate.csv"
    poll.write_text(
        '"","2027-09-06","2027-09-07","2027-09-08","2027-09-09","2027-09-10",\r\n'
        '"","","","","","",\r\n'
        '"Anna de Vries","No","No","No","Yes","Yes",\r\n'
        '"Bram Jansen","Yes","Yes","Yes","No","Yes",\r\n',
        encoding="utf-8",
    )
    out = tmp_path / "new"
    result = runner.invoke(app, ["import-availability", str(inp), str(poll), "--out", str(out)])
    assert result.exit_code == 0, result.output
    problem = read_problem(out)
    assert problem.person_by_id["anna"].unavailable == {date(2027, 9, d) for d in (6, 7, 8)}
    assert problem.person_by_id["bram"].unavailable == {date(2027, 9, 9)}
    planned = plan(problem, SolveOptions(time_limit=2, seed=0, workers=1))
    assert planned.schedule is not None
    assert [m.date for m in planned.schedule] == [date(2027, 9, 10)]
    assert check(problem, planned.schedule).hard_violations == 0


def test_slots_are_judged_by_the_checker(tmp_path: Path) -> None:
    """A "No" on two morning slots: a meeting at 09:00 breaks `unavailable`, one at 11:00 not.

    One network of anna and bram, one 60-minute meeting on Mon 2027-09-06.
    anna is away 09:00-10:00 and 10:00-11:00 (Rallly, Dutch labels): a
    meeting 09:00-10:00 overlaps (one count, anna); 11:00-12:00 only touches
    the second range, which does not overlap. The reader's and the checker's
    side of v1.1 time ranges; skipped while the reader has none
    (``Person.unavailable_times``).
    """
    inp = write_input(
        tmp_path / "in",
        "id,name,lat,lon\nanna,Anna de Vries,51.4426,3.5736\nbram,Bram Jansen,51.504,3.888\n",
        **{
            "networks.csv": "id,name,meetings,duration,latest\na,Netwerk A,1,60,12:00\n",
            "memberships.csv": "network,person\na,anna\na,bram\n",
            "settings.csv": OTHER["settings.csv"].replace("2028-04-28", "2027-09-06"),
        },
    )
    poll = tmp_path / "rallly.csv"
    poll.write_text(
        "Naam,E-mail,Gereageerd op (Europe/Amsterdam),"
        "ma 6 sep 2027 09:00 - 10:00,ma 6 sep 2027 10:00 - 11:00,ma 6 sep 2027 11:00 - 12:00\n"
        "Anna de Vries,,2027-08-30 10:12,Nee,Nee,Ja\n",
        encoding="utf-8",
    )
    out = tmp_path / "new"
    result = runner.invoke(app, ["import-availability", str(inp), str(poll), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "people.csv").read_text(encoding="utf-8").splitlines() == [
        "id,name,lat,lon,unavailable",
        "anna,Anna de Vries,51.4426,3.5736,2027-09-06 09:00-10:00;2027-09-06 10:00-11:00",
        "bram,Bram Jansen,51.504,3.888,",
    ]
    if not hasattr(read_problem(inp).people[0], "unavailable_times"):
        pytest.skip("the reader has no v1.1 time ranges yet")
    problem = read_problem(out)
    early = Schedule.build(problem, [("a", date(2027, 9, 6), 9 * 60, "goes")])
    late = Schedule.build(problem, [("a", date(2027, 9, 6), 11 * 60, "goes")])
    found = [(v.kind, v.person) for v in check(problem, early).violations]
    assert found == [("unavailable", "anna")]
    assert check(problem, late).hard_violations == 0
