"""The "if need be" preference: the people column ``if_need_be``, the checker's figure, outputs."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from cli.app import app
from planner.baseline import baseline
from planner.check import check, if_need_be_pairs
from planner.planfile import read_plan, write_plan_folder
from planner.problem import Problem
from planner.read import read_problem
from planner.report import report_html
from planner.schedule import Schedule
from planner.solver import SolveOptions, Status, plan
from tests.conftest import schedule_of, two_networks_one_member
from tests.test_report import Parsed

runner = CliRunner()

NETWORKS = "id,name,meetings,duration,venues\na,Netwerk A,1,60,goes\n"
MEMBERS = "network,person\na,anna\na,bram\n"
VENUES = "id,name,lat,lon,capacity\ngoes,Goes,51.5040,3.8880,20\n"
# One week, Mon 2027-09-06 .. Fri 2027-09-10, no holidays.
SETTINGS = (
    "key,value\nstart,2027-09-06\nend,2027-09-10\npublic_holidays,false\nschool_holidays,false\n"
)


def write_input(folder: Path, people: bytes) -> Path:
    """A one-network input (anna and bram in ``a``) with the given people.csv bytes."""
    folder.mkdir()
    (folder / "people.csv").write_bytes(people)
    for name, text in {
        "networks.csv": NETWORKS,
        "memberships.csv": MEMBERS,
        "venues.csv": VENUES,
        "settings.csv": SETTINGS,
    }.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def figure_rows(stdout: str) -> dict[str, list[str]]:
    """The CLI figures table: figure -> [plan, baseline, ratio]."""
    return {
        cells[0]: cells[1:]
        for line in stdout.splitlines()
        if len(cells := [c.strip() for c in re.split(r"[│┃]", line)[1:-1]]) == 4
    }


# ------------------------------------------------------------------------ reading
def test_semicolon_windows_1252_csv_reads_dates_ranges_and_times(tmp_path: Path) -> None:
    """A Dutch-Excel people.csv (';', cp1252, CRLF) gives if_need_be dates and time ranges."""
    people = (
        "id;name;lat;lon;unavailable;if_need_be\r\n"
        'anna;Anna Désirée;51,4426;3,5736;2027-09-10;"2027-09-06;2027-09-08..2027-09-09;'
        '2027-09-07 13:00-14:00"\r\n'
        "bram;Bram Jansen;51,5040;3,8880;;\r\n"
    ).encode("cp1252")
    problem = read_problem(write_input(tmp_path / "in", people))
    anna, bram = problem.people
    assert anna.name == "Anna Désirée"
    assert anna.unavailable == {date(2027, 9, 10)}
    assert anna.if_need_be == {date(2027, 9, 6), date(2027, 9, 8), date(2027, 9, 9)}
    assert anna.if_need_be_times == {(date(2027, 9, 7), 13 * 60, 14 * 60)}
    assert (bram.if_need_be, bram.if_need_be_times) == (frozenset(), frozenset())


def test_workbook_if_need_be_date_cell_and_text(tmp_path: Path) -> None:
    """In a workbook the column takes a real date cell as well as text with a time range."""
    wb = openpyxl.Workbook()
    sheets = {
        "networks": [["id", "name", "meetings", "duration", "venues"], ["a", "A", 1, 60, "goes"]],
        "people": [
            ["id", "name", "lat", "lon", "if_need_be"],
            ["anna", "Anna", 51.4426, 3.5736, datetime(2027, 9, 8)],
            ["bram", "Bram", 51.504, 3.888, "2027-09-06 09:00-12:00; 2027-09-07"],
        ],
        "memberships": [["network", "person"], ["a", "anna"], ["a", "bram"]],
        "venues": [["id", "name", "lat", "lon", "capacity"], ["goes", "Goes", 51.504, 3.888, 20]],
        "settings": [["key", "value"], ["start", date(2027, 9, 6)], ["end", date(2027, 9, 10)]],
    }
    assert wb.active is not None
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(tmp_path / "in.xlsx")
    problem = read_problem(tmp_path / "in.xlsx")
    anna, bram = problem.people
    assert (anna.if_need_be, anna.if_need_be_times) == ({date(2027, 9, 8)}, frozenset())
    assert bram.if_need_be == {date(2027, 9, 7)}
    assert bram.if_need_be_times == {(date(2027, 9, 6), 9 * 60, 12 * 60)}


def test_bad_if_need_be_cells_are_located(tmp_path: Path) -> None:
    """A bad date and a backwards time range: exit 2, each named by file, row and column."""
    people = (
        "id,name,lat,lon,if_need_be\n"
        "anna,Anna,51.4426,3.5736,2027-09-31\n"
        'bram,Bram,51.504,3.888,"2027-09-06 13:00-12:00"\n'
    )
    inp = write_input(tmp_path / "in", people.encode())
    result = runner.invoke(app, ["validate", str(inp)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{inp}: the input has 2 problem(s):",
        "people.csv row 2, column if_need_be: '2027-09-31' is not a date or date range "
        "(expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD, separated by ';')",
        "people.csv row 3, column if_need_be: time range '2027-09-06 13:00-12:00' does not "
        "end after it starts (expected YYYY-MM-DD HH:MM-HH:MM, e.g. 2027-10-05 13:00-15:30)",
    ]
    assert "Traceback" not in result.output


# ------------------------------------------------------------------------ checking
def maybe_problem() -> Problem:
    """two_networks_one_member with "if need be" answers.

    p (required in a and b): all of Mon 2027-09-06, and Tue 09-07 12:00-13:00
    and 13:00-14:00. q (required in a): Mon 09-06 10:00-11:00. r (optional in
    b): all of Mon 09-06.
    """
    base = two_networks_one_member()
    p, q, r = base.people
    monday, tuesday = date(2027, 9, 6), date(2027, 9, 7)
    people = (
        replace(
            p,
            if_need_be=frozenset({monday}),
            if_need_be_times=frozenset({(tuesday, 720, 780), (tuesday, 780, 840)}),
        ),
        replace(q, if_need_be_times=frozenset({(monday, 600, 660)})),
        replace(r, if_need_be=frozenset({monday})),
    )
    return replace(base, people=people)


# a 09:00-10:00 and b 10:15-11:15, both on Monday at Goes.
MONDAY = (("a", "2027-09-06", "09:00", "goes"), ("b", "2027-09-06", "10:15", "goes"))


def test_if_need_be_counts_required_member_meeting_pairs() -> None:
    """Monday: 2 (p in a and b); Tuesday 12:30: 1 (two ranges, one count); Wednesday: 0.

    Monday (a 09:00-10:00, b 10:15-11:15): p answered the whole date, so
    (p, a) and (p, b) count: 2. q's 10:00-11:00 only touches a's end at
    10:00 (touching ends do not overlap): 0. r is optional in b: not
    counted. Tuesday (a 09:00, b 12:30-13:30): b overlaps both of p's
    ranges, 12:00-13:00 and 13:00-14:00, but the pair (p, b) counts once: 1.
    Wednesday: nobody answered anything: 0. None of it is a hard violation.
    """
    problem = maybe_problem()
    monday = check(problem, schedule_of(problem, *MONDAY))
    assert if_need_be_pairs(problem, schedule_of(problem, *MONDAY)) == (
        ("p", "a-1"),
        ("p", "b-1"),
    )
    assert (monday.hard_violations, monday.figures.if_need_be) == (0, 2)
    assert [(f.person, f.if_need_be) for f in monday.figures.per_person] == [
        ("p", 2),
        ("q", 0),
        ("r", 0),
    ]
    tuesday = schedule_of(
        problem, ("a", "2027-09-07", "09:00", "goes"), ("b", "2027-09-07", "12:30", "goes")
    )
    assert check(problem, tuesday).figures.if_need_be == 1
    assert if_need_be_pairs(problem, tuesday) == (("p", "b-1"),)
    wednesday = schedule_of(
        problem, ("a", "2027-09-08", "09:00", "goes"), ("b", "2027-09-08", "10:15", "goes")
    )
    free = check(problem, wednesday)
    assert (free.hard_violations, free.figures.if_need_be) == (0, 0)
    assert free.figures_dict()["if_need_be"] == 0


def test_plan_folder_cli_report_and_workbook_show_the_figure(tmp_path: Path) -> None:
    """plan.json keeps the answers and the figure; check, report.html and schedule.xlsx show it.

    The plan is MONDAY (figure 2, all p's, see above). The baseline places a
    on Mon 2027-09-06 at Goes and b on Wed 2027-09-22 at Middelburg: only
    (p, a) counts, 1. Ratio 2 / 1 = 2.00 (200%).
    """
    problem = maybe_problem()
    schedule = schedule_of(problem, *MONDAY)
    base = check(problem, baseline(problem))
    assert base.figures.if_need_be == 1
    plan_dir = tmp_path / "plan"
    write_plan_folder(plan_dir, problem, schedule, baseline_report=base)
    back = read_plan(plan_dir)
    assert back.problem == problem  # the answers survive plan.json
    data = json.loads((plan_dir / "plan.json").read_text(encoding="utf-8"))
    assert data["problem"]["people"][0]["if_need_be"] == ["2027-09-06"]
    assert data["problem"]["people"][0]["if_need_be_times"] == [
        "2027-09-07 12:00-13:00",
        "2027-09-07 13:00-14:00",
    ]
    assert "if_need_be" not in data["problem"]["people"][1]  # q has times only
    assert data["figures"]["if_need_be"] == 2
    assert data["figures"]["per_person"][0]["if_need_be"] == 2
    assert (data["baseline"]["if_need_be"], data["ratios"]["if_need_be"]) == (1, 2.0)

    result = runner.invoke(app, ["check", str(plan_dir), str(plan_dir)])
    assert result.exit_code == 0, result.output
    assert figure_rows(result.stdout)["if_need_be"] == ["2", "1", "2.00"]

    html = Parsed(report_html(problem, schedule, check(problem, schedule), base, None))
    rows = html.rows["figures"]
    assert ["Als het moet (lid × bijeenkomst)", "2", "1", "200%"] in rows
    people = html.rows["people"]
    assert people[0][-1] == "Als het moet"
    assert [r[-1] for r in people[1:4]] == ["2", "0", "0"]
    # p's own agenda marks both meetings; q's meeting a is not marked (it only touches)
    assert html.rows["p0"][1][1] == (
        "09:00–10:00 Netwerk A (Goes, als het moet) 10:15–11:15 Netwerk B (Goes, als het moet)"
    )
    assert html.rows["p1"][1][1] == "09:00–10:00 Netwerk A (Goes)"

    sheet = openpyxl.load_workbook(plan_dir / "schedule.xlsx")["kengetallen"]
    found = [[c.value for c in row] for row in sheet.iter_rows() if row[0].value == "if_need_be"]
    assert found == [["if_need_be", "Als het moet (lid × bijeenkomst)", 2, 1, 2.0]]


def test_english_labels_and_no_row_without_answers() -> None:
    """In English the row reads "If need be"; an input without answers has no such row."""
    problem = maybe_problem()
    english = replace(problem, settings=replace(problem.settings, language="en"))
    schedule = schedule_of(english, *MONDAY)
    rows = Parsed(report_html(english, schedule, check(english, schedule), None, None)).rows
    assert ["If need be (member × meeting)", "2"] in rows["figures"]
    plain = two_networks_one_member()
    schedule = schedule_of(plain, *MONDAY)
    rows = Parsed(report_html(plain, schedule, check(plain, schedule), None, None)).rows
    assert not [r for r in rows["figures"] if r[0].startswith("Als het moet")]
    assert "Als het moet" not in rows["people"][0]


# ------------------------------------------------------------------------ round trip
PEOPLE = "id,name,email,lat,lon\nanna,Anna de Vries,anna@school.nl,51.4426,3.5736\n" + (
    "bram,Bram Jansen,,51.5040,3.8880\n"
)


def rallly(path: Path, anna: str, bram: str) -> Path:
    """A Rallly export of the week Mon 2027-09-06 .. Fri 09-10 (whole days)."""
    path.write_text(
        "Name,Email,Responded on (Europe/Amsterdam),Mon 6 Sep 2027,Tue 7 Sep 2027,"
        "Wed 8 Sep 2027,Thu 9 Sep 2027,Fri 10 Sep 2027\n"
        f"Anna de Vries,anna@school.nl,2027-08-30 10:12,{anna}\n"
        f"Bram Jansen,,2027-08-30 11:05,{bram}\n",
        encoding="utf-8",
    )
    return path


def test_poll_to_plan_round_trip(tmp_path: Path) -> None:
    """Rallly "If need be" -> import-availability -> plan -> the checker's figure 1.

    anna answers "If need be" for Mon 2027-09-06 and Yes for the rest; bram
    says No to Tue .. Fri. The one meeting of a can only be on Monday (bram),
    where anna comes if need be: the figure is exactly 1 (anna, a-1), and the
    plan has no hard violation.
    """
    inp = write_input(tmp_path / "in", PEOPLE.encode())
    poll = rallly(tmp_path / "rallly.csv", "If need be,Yes,Yes,Yes,Yes", "Yes,No,No,No,No")
    new = tmp_path / "new"
    result = runner.invoke(app, ["import-availability", str(inp), str(poll), "--out", str(new)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "anna (Anna de Vries): if need be + 2027-09-06",
        "bram (Bram Jansen): unavailable + 2027-09-07, 2027-09-08, 2027-09-09, 2027-09-10",
    ]
    assert read_problem(new).person_by_id["anna"].if_need_be == {date(2027, 9, 6)}
    out = tmp_path / "plan"
    result = runner.invoke(
        app, ["plan", str(new), "--out", str(out), "--time-limit", "2", "--workers", "1", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert [m["date"] for m in data["meetings"]] == ["2027-09-06"]
    assert (data["figures"]["hard_violations"], data["figures"]["if_need_be"]) == (0, 1)
    assert [p["if_need_be"] for p in data["figures"]["per_person"]] == [1, 0]
    assert data["solver"]["objective_terms"]["if_need_be"] == 1.0  # the planner's own figure
    result = runner.invoke(app, ["check", str(new), str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["if_need_be"] == 1


def solved(problem: Problem) -> tuple[Schedule, dict[str, float]]:
    """The planner's one call in this module (seed 0, one worker, 2 s): schedule and figures."""
    result = plan(problem, SolveOptions(time_limit=2, seed=0, workers=1))
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert result.schedule is not None
    return result.schedule, dict(result.figures)


def test_planner_avoids_if_need_be_when_a_free_date_is_as_good(tmp_path: Path) -> None:
    """Tue and Thu are equally good but anna comes Thu only if need be: Tue 2027-09-07.

    The week Mon 09-06 .. Fri 09-10 has L = 5 days, so the one meeting's
    even point is 09-06 + floor(5 / 2) = Wed 09-08, where bram says No. Tue
    and Thu are one day off it (0.1 km each), Mon and Fri two; travel and
    trips are the same on every day. anna answers "If need be" for Thu,
    which costs 30 km: the planner takes Tue (figure 0, spread 1). With
    ``weight_if_need_be`` 0 the two days tie and this planner takes Thu
    (figure 1): it is the weight that moves the meeting. The planner's
    figure equals the checker's in both.
    """
    inp = write_input(tmp_path / "in", PEOPLE.encode())
    poll = rallly(tmp_path / "rallly.csv", "Yes,Yes,Yes,If need be,Yes", "Yes,Yes,No,Yes,Yes")
    new = tmp_path / "new"
    result = runner.invoke(app, ["import-availability", str(inp), str(poll), "--out", str(new)])
    assert result.exit_code == 0, result.output
    problem = read_problem(new)
    assert problem.person_by_id["anna"].if_need_be == {date(2027, 9, 9)}
    free = replace(problem.settings.weights, if_need_be=0)
    for weights, day, count in ((problem.settings.weights, 7, 0), (free, 9, 1)):
        p = replace(problem, settings=replace(problem.settings, weights=weights))
        schedule, figures = solved(p)
        assert [m.date for m in schedule] == [date(2027, 9, day)]
        report = check(p, schedule)
        assert report.hard_violations == 0
        assert (figures["if_need_be"], figures["spread_days"]) == (count, 1.0)
        assert (report.figures.if_need_be, report.figures.spread_days) == (count, 1)


def test_planner_and_checker_agree_on_a_time_range() -> None:
    """Only "if need be" times are left: the planner's figure equals the checker's, 2.

    p (required in a and b) answered "if need be" for 09:00-17:00 on every
    workday of the horizon (the whole window of both networks), so each of
    the two meetings costs one pair, wherever it goes: 2 by both counts.
    """
    base = two_networks_one_member()
    s = base.settings
    days = [s.start + timedelta(days=i) for i in range(s.horizon_days)]
    p = replace(base.people[0], if_need_be_times=frozenset((d, 9 * 60, 17 * 60) for d in days))
    problem = replace(base, people=(p, *base.people[1:]))
    schedule, figures = solved(problem)
    report = check(problem, schedule)
    assert report.hard_violations == 0
    assert figures["if_need_be"] == report.figures.if_need_be == 2
