"""Plan files: schedule.csv, plan.json, the plan folder and the problem dict."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from planner.baseline import baseline
from planner.check import check
from planner.planfile import (
    PlanFolderError,
    SolverInfo,
    atomic_output_dir,
    input_hash,
    problem_from_dict,
    problem_to_dict,
    read_plan,
    read_schedule_csv,
    write_plan_folder,
    write_schedule_csv,
)
from planner.problem import FixedMeeting, Problem, TravelOverride
from planner.read import InputError, InputIssue, read_problem
from planner.schedule import Schedule
from planner.weights import Weights
from tests.conftest import GOES, MIDDELBURG, person, schedule_of, settings, two_networks_one_member

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# b at Middelburg on Wednesday, a at Goes on Monday: given out of order.
ROWS = (
    ("b", "2027-09-08", "11:00", "middelburg"),
    ("a", "2027-09-06", "09:00", "goes"),
)
CSV_TEXT = (
    "meeting,network,seq,date,start,end,venue,session,attendees\n"
    "a-1,a,1,2027-09-06,09:00,10:00,goes,2027-09-06@goes,p;q\n"
    "b-1,b,1,2027-09-08,11:00,12:00,middelburg,2027-09-08@middelburg,p;r\n"
)


def tiny_schedule() -> Schedule:
    return schedule_of(two_networks_one_member(), *ROWS)


def sorted_schedule() -> Schedule:
    s = tiny_schedule()
    return Schedule((s.meetings[1], s.meetings[0]))


def rich_problem() -> Problem:
    """The tiny problem with every optional part filled in."""
    p = two_networks_one_member()
    return replace(
        p,
        settings=settings(
            road_factor=1.25,
            speed_kmh=55.5,
            time_limit=10,  # an int where a float is meant
            language="en",
            weights=Weights(travel_km=7, spread_days=0),
        ),
        people=(
            person(
                "p",
                organisation="Stichting Één",
                email="p@example.nl",
                unavailable=frozenset(
                    {date(2027, 9, 6), date(2027, 9, 7), date(2027, 9, 8), date(2027, 9, 10)}
                ),
            ),
            *p.people[1:],
        ),
        venues=(replace(GOES, cost=12.5, rooms=2, address="Markt 1, Goes"), MIDDELBURG),
        fixed=(FixedMeeting("a", date(2027, 9, 7), 9 * 60 + 15, "goes"),),
        travel=(
            TravelOverride("p", "goes", 31.4),
            TravelOverride("goes", "middelburg", 20.0, 22.5),
        ),
    )


# ------------------------------------------------------------------ schedule.csv
def test_write_schedule_csv_exact_bytes(tmp_path: Path) -> None:
    path = tmp_path / "schedule.csv"
    write_schedule_csv(path, tiny_schedule())
    assert path.read_bytes() == CSV_TEXT.encode("utf-8")
    first = path.read_bytes()
    write_schedule_csv(path, tiny_schedule())
    assert path.read_bytes() == first


def test_read_schedule_csv_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "schedule.csv"
    write_schedule_csv(path, tiny_schedule())
    assert read_schedule_csv(path) == sorted_schedule()
    assert read_schedule_csv(path, two_networks_one_member()) == sorted_schedule()


def test_read_schedule_csv_as_dutch_excel_saves_it(tmp_path: Path) -> None:
    # ';' separator, BOM, CRLF, capitalised headers in another order, an extra
    # column, D-M-YYYY dates, H:MM and HH:MM:SS times, an empty row.
    text = (
        "\ufeffNetwork;Meeting;Seq;Date;Start;End;Venue;Session;Attendees;Opmerking\r\n"
        'a;a-1;1;6-9-2027;9:00;10:00:00;goes;2027-09-06@goes;"p;q";let op\r\n'
        ";;;;;;;;;\r\n"
        'b;b-1;1;8-9-2027;11:00;12:00;middelburg;2027-09-08@middelburg;"p;r";\r\n'
    )
    path = tmp_path / "schedule.csv"
    path.write_bytes(text.encode("utf-8"))
    assert read_schedule_csv(path, two_networks_one_member()) == sorted_schedule()


def test_read_schedule_csv_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "schedule.csv"
    path.write_bytes(
        "network;date;start;end;venue\nb;2027-09-08;11:00;12:00;café\n".encode("cp1252")
    )
    (m,) = read_schedule_csv(path).meetings
    assert m.venue == "café"
    # Derived: seq 1, meeting b-1, session from date and venue, no attendees.
    assert (m.meeting, m.seq, m.session, m.attendees) == ("b-1", 1, "2027-09-08@café", ())


def test_read_schedule_csv_minimal_columns_with_problem(tmp_path: Path) -> None:
    # end = start + duration (60), seq by date per network, attendees from memberships.
    path = tmp_path / "schedule.csv"
    path.write_text(
        "network,date,start,venue\nb,2027-09-08,11:00,middelburg\na,2027-09-06,09:00,goes\n",
        encoding="utf-8",
    )
    assert read_schedule_csv(path, two_networks_one_member()) == sorted_schedule()


def test_read_schedule_csv_errors_name_file_row_column(tmp_path: Path) -> None:
    path = tmp_path / "schedule.csv"
    path.write_text(
        CSV_TEXT.replace("2027-09-08,11:00", "2027-09-31,11:00").replace("09:00,10", "9h,10"),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_schedule_csv(path)
    assert err.value.issues == (
        InputIssue("schedule.csv", 2, "start", "'9h' is not a time (expected HH:MM, e.g. 09:30)"),
        InputIssue(
            "schedule.csv",
            3,
            "date",
            "'2027-09-31' is not a date that exists (expected YYYY-MM-DD)",
        ),
    )


def test_read_schedule_csv_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "schedule.csv"
    path.write_text("meeting,network,date,start\na-1,a,2027-09-06,09:00\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_schedule_csv(path)
    assert [(i.row, i.column) for i in err.value.issues] == [(1, "venue"), (1, "end")]
    # With a problem, end can be derived: only venue is missing.
    with pytest.raises(InputError) as err:
        read_schedule_csv(path, two_networks_one_member())
    assert [(i.row, i.column) for i in err.value.issues] == [(1, "venue")]


def test_read_schedule_csv_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_schedule_csv(tmp_path / "nope.csv")
    assert err.value.issues[0].message == "does not exist"


# ------------------------------------------------------------------ problem dict
def test_problem_dict_round_trip_is_lossless() -> None:
    problem = rich_problem()
    d = problem_to_dict(problem)
    back = problem_from_dict(json.loads(json.dumps(d)))
    assert back == problem
    assert back.settings.weights == Weights(travel_km=7, spread_days=0)
    # Unavailable dates as runs; times HH:MM; weekdays by name; int setting as float.
    assert d["people"][0]["unavailable"] == ["2027-09-06..2027-09-08", "2027-09-10"]
    assert d["fixed"] == [{"network": "a", "date": "2027-09-07", "start": "09:15", "venue": "goes"}]
    assert d["networks"][0]["weekdays"] == ["mon", "tue", "wed", "thu", "fri"]
    assert d["settings"]["time_limit"] == 10.0
    assert d["travel"][0] == {"from": "p", "to": "goes", "km": 31.4, "minutes": None}


def test_input_hash_is_sha256_of_canonical_json() -> None:
    problem = rich_problem()
    canonical = json.dumps(problem_to_dict(problem), sort_keys=True, separators=(",", ":"))
    assert "\\u00c9\\u00e9n" in canonical  # "Één", escaped
    assert input_hash(problem) == hashlib.sha256(canonical.encode("ascii")).hexdigest()
    # time_limit 10 and 10.0 are the same input.
    same = replace(problem, settings=replace(problem.settings, time_limit=10.0))
    assert input_hash(same) == input_hash(problem)
    moved = replace(problem, people=(replace(problem.people[0], lat=51.0), *problem.people[1:]))
    assert input_hash(moved) != input_hash(problem)


def test_problem_from_dict_malformed() -> None:
    d = problem_to_dict(two_networks_one_member())
    del d["networks"][1]["duration"]
    with pytest.raises(ValueError, match=r"problem\.networks\[1\]: key 'duration' is missing"):
        problem_from_dict(d)


# ------------------------------------------------------------------ plan folder
SOLVER = SolverInfo(
    status="feasible",
    objective=1234.5,
    bound=1000.0,
    gap=0.19,
    wall_seconds=2.5,
    first_solution_seconds=0.5,
    time_limit=10.0,
    seed=0,
    workers=2,
    objective_terms={"trips": 300.0, "travel_km": 934.5},
)


def test_plan_folder_round_trip(tmp_path: Path) -> None:
    problem = rich_problem()
    schedule = schedule_of(problem, *ROWS)
    out = tmp_path / "plan"
    report = write_plan_folder(out, problem, schedule, solver=SOLVER)
    assert sorted(p.name for p in out.iterdir()) == [
        ".dakpan",
        "plan.json",
        "schedule.csv",
        "schedule.xlsx",
    ]
    plan = read_plan(out)
    assert plan.problem == problem
    assert plan.schedule == Schedule(tuple(sorted(schedule.meetings, key=lambda m: m.sort_key())))
    assert plan.solver == SOLVER
    assert dict(plan.figures) == json.loads(json.dumps(report.figures_dict()))
    assert check(plan.problem, plan.schedule).figures_dict() == plan.figures
    base = check(problem, baseline(problem)).figures_dict()
    assert plan.baseline == base
    assert plan.ratios is not None
    assert plan.hash_matches
    assert plan.input_hash == input_hash(problem)
    # Same plan, same bytes.
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    write_plan_folder(out, problem, schedule, solver=SOLVER)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_plan_json_layout(tmp_path: Path) -> None:
    problem = two_networks_one_member()
    out = tmp_path / "plan"
    write_plan_folder(out, problem, tiny_schedule())
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert list(data) == [
        "format",
        "format_version",
        "dakpan_version",
        "input_hash",
        "settings",
        "solver",
        "figures",
        "baseline",
        "ratios",
        "meetings",
        "problem",
    ]
    assert (data["format"], data["format_version"], data["solver"]) == ("dakpan-plan", 1, None)
    assert data["meetings"][1] == {
        "meeting": "b-1",
        "network": "b",
        "seq": 1,
        "date": "2027-09-08",
        "start": "11:00",
        "end": "12:00",
        "venue": "middelburg",
        "session": "2027-09-08@middelburg",
        "attendees": ["p", "r"],
    }
    figures = data["figures"]
    assert figures["hard_violations"] == 0
    assert figures["sessions"] == 2
    # Baseline (see test_baseline): a on 09-06 at Goes, b on 09-22 at
    # Middelburg: also 2 sessions, ratio 1.0.
    assert data["ratios"]["sessions"] == 1.0


def test_read_plan_schedule_from_csv(tmp_path: Path) -> None:
    problem = two_networks_one_member()
    out = tmp_path / "plan"
    write_plan_folder(out, problem, tiny_schedule())
    edited = CSV_TEXT.replace("2027-09-08,11:00,12:00", "2027-09-09,11:00,12:00").replace(
        "2027-09-08@", "2027-09-09@"
    )
    (out / "schedule.csv").write_text(edited, encoding="utf-8")
    assert read_plan(out).schedule == sorted_schedule()
    moved = read_plan(out, schedule_from_csv=True).schedule
    assert [m.date for m in moved] == [date(2027, 9, 6), date(2027, 9, 9)]


def test_atomic_replace_and_extra_writers(tmp_path: Path) -> None:
    problem = two_networks_one_member()
    out = tmp_path / "sub" / "plan"
    write_plan_folder(out, problem, tiny_schedule())
    (out / "stale.txt").write_text("old", encoding="utf-8")

    def html(folder: Path) -> None:
        (folder / "report.html").write_text("<p>ok</p>", encoding="utf-8")

    write_plan_folder(out, problem, tiny_schedule(), extra=[html])
    # the user's own file is carried into the new plan folder, never deleted
    assert sorted(p.name for p in out.iterdir()) == [
        ".dakpan",
        "plan.json",
        "report.html",
        "schedule.csv",
        "schedule.xlsx",
        "stale.txt",
    ]
    assert sorted(p.name for p in out.parent.iterdir()) == ["plan"]  # no temp folders left


def test_atomic_failure_leaves_the_old_folder(tmp_path: Path) -> None:
    problem = two_networks_one_member()
    out = tmp_path / "plan"
    write_plan_folder(out, problem, tiny_schedule())
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(folder: Path) -> None:
        (folder / "half.txt").write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_plan_folder(out, problem, baseline(problem), extra=[broken])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]
    # A new folder that fails is never created.
    with pytest.raises(RuntimeError), atomic_output_dir(tmp_path / "new") as tmp:
        assert tmp.parent == tmp_path
        raise RuntimeError("stop")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_atomic_refuses_a_folder_that_is_not_a_plan(tmp_path: Path) -> None:
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.docx").write_bytes(b"x")
    with pytest.raises(PlanFolderError, match="not a plan folder written by dakpan"):
        write_plan_folder(precious, two_networks_one_member(), tiny_schedule())
    assert [p.name for p in precious.iterdir()] == ["thesis.docx"]
    afile = tmp_path / "file.txt"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(PlanFolderError, match="is not a folder"):
        write_plan_folder(afile, two_networks_one_member(), tiny_schedule())
    # An empty folder is fine.
    empty = tmp_path / "empty"
    empty.mkdir()
    write_plan_folder(empty, two_networks_one_member(), tiny_schedule())
    assert (empty / "plan.json").is_file()


def test_read_plan_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a plan folder"):
        read_plan(tmp_path)
    (tmp_path / "plan.json").write_text(
        '{\n  "format": "dakpan-plan",\n  oops\n}', encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        read_plan(tmp_path)
    assert err.value.issues[0].row == 3
    (tmp_path / "plan.json").write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(InputError, match="not a dakpan plan"):
        read_plan(tmp_path)
    (tmp_path / "plan.json").write_text(
        '{"format": "dakpan-plan", "format_version": 99}', encoding="utf-8"
    )
    with pytest.raises(InputError, match="format version 99 is not supported"):
        read_plan(tmp_path)
    (tmp_path / "plan.json").write_text(
        '{"format": "dakpan-plan", "format_version": 1, "problem": {}}', encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        read_plan(tmp_path)
    assert err.value.issues[0].column == "problem"


def test_solver_info_infinite_gap_is_null() -> None:
    info = replace(SOLVER, gap=math.inf, bound=None)
    assert info.to_dict()["gap"] is None
    assert info.to_dict()["bound"] is None


def test_solver_info_status_is_checked() -> None:
    with pytest.raises(ValueError, match="solver status 'great'"):
        replace(SOLVER, status="great")


# ------------------------------------------------------------------ samples
def _samples() -> list[Path]:
    if not SAMPLES.is_dir():
        return []
    return sorted(
        p
        for p in SAMPLES.iterdir()
        if p.suffix == ".xlsx" or (p.is_dir() and (p / "networks.csv").is_file())
    )


@pytest.mark.parametrize("sample", _samples(), ids=lambda p: p.name)
def test_sample_baseline_round_trip(sample: Path, tmp_path: Path) -> None:
    problem = read_problem(sample)
    schedule = baseline(problem)
    report = check(problem, schedule)
    out = tmp_path / "plan"
    write_plan_folder(out, problem, schedule, report=report, baseline_report=report)
    plan = read_plan(out)
    assert plan.problem == problem
    assert plan.schedule == schedule
    assert read_schedule_csv(out / "schedule.csv", plan.problem) == schedule
    again = check(plan.problem, plan.schedule)
    assert again.figures_dict() == report.figures_dict() == plan.figures
    assert plan.baseline == plan.figures
    assert plan.hash_matches
