"""``dakpan plan``: planning a tiny input end to end through the CLI."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from cli.app import app
from cli.commands_plan import (
    ProgressView,
    figure_mismatches,
    output_problem,
    solve_with_display,
    solver_info,
)
from planner.check import check, great_circle_km
from planner.planfile import read_plan
from planner.problem import Problem
from planner.read import read_problem
from planner.solver import PlanResult, Progress, SolveOptions, Status
from tests.conftest import schedule_of, two_networks_one_member

runner = CliRunner()

# tests.conftest.two_networks_one_member as CSV files: networks a (at Goes) and b (at Goes or
# Middelburg), one 60-minute meeting each; p (Vlissingen) is required in both, q (Goes) in a,
# r optional in b. Four weeks of workdays, 2027-09-06..2027-10-01, no holidays.
NETWORKS = "id,name,meetings,duration,venues\na,{a},1,60,goes\nb,Netwerk B,1,60,goes;middelburg\n"
INPUT = {
    "people.csv": "id,name,lat,lon\np,P,51.4426,3.5736\nq,Q,51.5040,3.8880\nr,R,51.4426,3.5736\n",
    "memberships.csv": "network,person,role\na,p,\na,q,\nb,p,\nb,r,optional\n",
    "venues.csv": "id,name,lat,lon,capacity\n"
    "goes,Goes,51.5040,3.8880,20\n"
    "middelburg,Middelburg,51.4988,3.6136,20\n",
    "settings.csv": "key,value\nstart,2027-09-06\nend,2027-10-01\npublic_holidays,false\n"
    "school_holidays,false\nmin_gap_days,7\ntime_limit,10\n",
}

# The optimum: both meetings on one day at Goes, back to back (15 minutes changeover between).
# p travels Vlissingen -> Goes -> Vlissingen, q lives in Goes: 2 trips, 15 idle minutes, one
# session, and 2 x great-circle(Vlissingen, Goes) x 1.3 road km (about 59.334).
BEST_KM = round(2 * great_circle_km(51.4426, 3.5736, 51.5040, 3.8880) * 1.3, 3)


# a wants 5 meetings at least 21 days apart in a horizon of 4 weeks.
INFEASIBLE = (
    "id,name,meetings,duration,min_gap_days,venues\n"
    "a,Netwerk A,5,60,21,goes\n"
    "b,Netwerk B,1,60,,goes;middelburg\n"
)


def write_input(folder: Path, *, a_name: str = "Netwerk A", networks: str | None = None) -> Path:
    folder.mkdir()
    files = dict(INPUT)
    files["networks.csv"] = networks if networks is not None else NETWORKS.format(a=a_name)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def plan_args(inp: Path, out: Path, *extra: str) -> list[str]:
    return ["plan", str(inp), "--out", str(out), "--time-limit", "5", "--seed", "3", *extra]


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_best_km_is_the_derived_value() -> None:
    # The constant the other tests rely on, to the metre: 2 x 22.8208... km x 1.3.
    assert BEST_KM == 59.334


def test_plan_writes_the_folder(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    out = tmp_path / "plan"
    result = runner.invoke(app, plan_args(inp, out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        ".dakpan",
        "ics",
        "plan.json",
        "report.html",
        "schedule.csv",
        "schedule.xlsx",
    ]
    assert (out / "ics" / "all.ics").is_file()
    # Exactly the derived optimum: one session at Goes holding both meetings.
    plan = read_plan(out)
    assert sorted((m.network, m.venue) for m in plan.schedule) == [("a", "goes"), ("b", "goes")]
    first, second = plan.schedule.meetings
    # spread_days: the horizon has L = 26 days, so a lone meeting's even point is
    # 2027-09-06 + floor(0.5 x 26) = 2027-09-19, a Sunday; the nearest workday is Monday
    # 2027-09-20 (1 day off, against 2 for Friday the 17th).
    assert first.date == second.date == date(2027, 9, 20)
    assert second.start == first.end + 15  # the changeover
    assert plan.solver is not None
    assert plan.solver.status == "optimal"
    assert plan.solver.seed == 3
    assert plan.solver.time_limit == 5.0
    assert (plan.figures["travel_km"], plan.figures["trips"], plan.figures["idle_minutes"]) == (
        BEST_KM,
        2,
        15,
    )
    assert plan.figures["sessions"] == 1
    assert plan.figures["spread_days"] == 2  # 1 day off for each network
    assert plan.figures["hard_violations"] == 0
    assert plan.baseline is not None
    assert "Plan written to" in result.stdout
    assert "2 of 2 networks share a session" in result.stdout
    assert "No hard violations." in result.stdout
    assert "Status optimal, gap 0.00%" in result.stdout
    # Every plan sends p (in a, only at Goes) to Goes once: at least BEST_KM, and p and q
    # one trip each (tests/test_report.py derives it); this plan reaches both.
    assert (
        "Lower bound: no plan travels less than 59 km or makes fewer than 2 trips; "
        "this plan is +0% / +0% above." in result.stdout
    )
    # No progress display when standard error is not a terminal: nothing on it.
    assert result.stderr == ""
    # The written folder passes the judge through the CLI too.
    checked = runner.invoke(app, ["check", str(inp), str(out)])
    assert checked.exit_code == 0, checked.output
    assert "No hard violations." in checked.stdout


def test_same_seed_gives_same_bytes(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    one, two = tmp_path / "one", tmp_path / "two"
    assert runner.invoke(app, plan_args(inp, one)).exit_code == 0
    assert runner.invoke(app, plan_args(inp, two)).exit_code == 0
    a, b = folder_bytes(one), folder_bytes(two)
    names = [n for n in a if n == "schedule.csv" or n.startswith("ics/")]
    # schedule.csv, ics/all.ics and one file per person (3), network (2) and venue (2).
    assert len(names) == 9
    assert sorted(a) == sorted(b)
    for name in names:
        assert a[name] == b[name], name


def test_replanning_into_the_same_folder_keeps_the_calendars(tmp_path: Path) -> None:
    # Same plan again into the same folder: every event keeps its SEQUENCE, so the calendar
    # files come out byte for byte the same (the previous ics/ is read before it is replaced).
    inp = write_input(tmp_path / "in")
    out = tmp_path / "plan"
    assert runner.invoke(app, plan_args(inp, out)).exit_code == 0
    before = folder_bytes(out)
    assert runner.invoke(app, plan_args(inp, out)).exit_code == 0
    after = folder_bytes(out)
    for name in before:
        if name.startswith("ics/") or name == "schedule.csv":
            assert before[name] == after[name], name
    assert "SEQUENCE:0" in after["ics/all.ics"].decode()


def test_infeasible_input_explains_and_writes_nothing(tmp_path: Path) -> None:
    # At most 2 of a's 5 meetings fit: three would span 42 days, the horizon has 26.
    inp = write_input(tmp_path / "in", networks=INFEASIBLE)
    out = tmp_path / "plan"
    result = runner.invoke(app, plan_args(inp, out))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "No plan: the input cannot be planned."
    assert lines[-1] == f"Nothing was written to {out}."
    explanation = "\n".join(lines[1:-1])
    assert "Network 'a' (Netwerk A) needs 5 meetings at least 21 days apart" in explanation
    assert "only 2 fit" in explanation
    assert not out.exists()
    assert not list(tmp_path.glob(".plan*"))  # no temporary folder left behind
    assert result.stdout == ""


def test_infeasible_input_leaves_an_existing_plan_alone(tmp_path: Path) -> None:
    good = write_input(tmp_path / "good")
    out = tmp_path / "plan"
    assert runner.invoke(app, plan_args(good, out)).exit_code == 0
    before = folder_bytes(out)
    bad = write_input(tmp_path / "bad", networks=INFEASIBLE)
    assert runner.invoke(app, plan_args(bad, out)).exit_code == 1
    assert folder_bytes(out) == before


def test_bad_input_exit_2_names_file_row_column(tmp_path: Path) -> None:
    networks = NETWORKS.format(a="Netwerk A").replace("a,Netwerk A,1,", "a,Netwerk A,two,")
    inp = write_input(tmp_path / "in", networks=networks)
    out = tmp_path / "plan"
    result = runner.invoke(app, plan_args(inp, out))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{inp}: cannot be read (1 problem(s)):",
        "networks.csv row 2, column meetings: 'two' is not a whole number (expected e.g. 3)",
    ]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_output_that_is_not_a_plan_folder_is_refused_before_solving(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    result = runner.invoke(app, plan_args(inp, inp))  # the input folder itself
    assert result.exit_code == 2
    assert result.stderr == (
        f"{inp} is not a plan folder written by dakpan (it holds memberships.csv, networks.csv, "
        "people.csv ...); refusing to replace it: choose a new or empty folder\n"
    )
    assert sorted(p.name for p in inp.iterdir()) == sorted(["networks.csv", *INPUT])


def test_output_problem_rules(tmp_path: Path) -> None:
    assert output_problem(tmp_path / "new") is None
    (tmp_path / "empty").mkdir()
    assert output_problem(tmp_path / "empty") is None
    (tmp_path / "file").write_text("x")
    assert output_problem(tmp_path / "file") == (
        f"{tmp_path / 'file'} exists and is not a folder; choose another folder"
    )
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / ".dakpan").write_text("")
    assert output_problem(tmp_path / "old") is None
    # a schedule.csv alone does not make a folder dakpan's (it held the user's input)
    (tmp_path / "input").mkdir()
    (tmp_path / "input" / "schedule.csv").write_text("")
    assert output_problem(tmp_path / "input") == (
        f"{tmp_path / 'input'} is not a plan folder written by dakpan (it holds schedule.csv); "
        "refusing to replace it: choose a new or empty folder"
    )


def test_hint_from_a_previous_plan(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    first = tmp_path / "first"
    assert runner.invoke(app, plan_args(inp, first)).exit_code == 0
    second = tmp_path / "second"
    result = runner.invoke(app, plan_args(inp, second, "--hint", str(first)))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # same input: no note
    # Starting from the optimum, the solver keeps it.
    assert (second / "schedule.csv").read_bytes() == (first / "schedule.csv").read_bytes()


def test_hint_from_another_input_is_noted(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    first = tmp_path / "first"
    assert runner.invoke(app, plan_args(inp, first)).exit_code == 0
    other = write_input(tmp_path / "other", a_name="Netwerk A (nieuw)")
    result = runner.invoke(app, plan_args(other, tmp_path / "second", "--hint", str(first)))
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"note: {first} was planned for a different input; its meetings that still fit are "
        "used as a start\n"
    )


def test_hint_that_is_not_a_plan_exit_2(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    result = runner.invoke(app, plan_args(inp, tmp_path / "plan", "--hint", str(inp)))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{inp}: cannot be read (1 problem(s)):",
        f"{inp / 'plan.json'} does not exist: {inp} is not a plan folder",
    ]
    assert not (tmp_path / "plan").exists()


def test_report_names_networks_escaped(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in", a_name="<script>alert(1)</script> & Co")
    out = tmp_path / "plan"
    result = runner.invoke(app, plan_args(inp, out, "--quiet"))
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "Netwerk B" in page
    assert "<script" not in page


def test_time_limit_must_be_positive(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    result = runner.invoke(
        app, ["plan", str(inp), "--out", str(tmp_path / "p"), "--time-limit", "0"]
    )
    assert result.exit_code == 2
    assert "--time-limit" in result.stderr
    assert "must be > 0" in result.stderr


def test_solver_info_and_mismatches() -> None:
    problem = two_networks_one_member()
    schedule = schedule_of(
        problem, ("a", "2027-09-06", "09:00", "goes"), ("b", "2027-09-06", "10:15", "goes")
    )
    figures = {
        "travel_km": BEST_KM + 0.005,
        "trips": 2.0,
        "idle_minutes": 14.0,
        "spread_days": 20.5,
    }
    result = PlanResult(
        Status.FEASIBLE,
        schedule=schedule,
        objective=100.0,
        bound=90.0,
        figures=figures,
        wall_seconds=1.5,
        first_solution_seconds=0.25,
        time_limit=5.0,
        seed=7,
        workers=2,
    )
    info = solver_info(result)
    # gap = (100 - 90) / 100
    assert (info.status, info.objective, info.bound, info.gap) == ("feasible", 100.0, 90.0, 0.1)
    assert (info.wall_seconds, info.first_solution_seconds, info.seed, info.workers) == (
        1.5,
        0.25,
        7,
        2,
    )
    assert dict(info.objective_terms) == figures
    # travel_km is within 0.01 of the checker's; idle_minutes is 14 against the checker's 15;
    # spread_days: the even point is 2027-09-19 for both networks, 13 days after 09-06.
    assert figure_mismatches(result, check(problem, schedule)) == [
        "idle_minutes: the planner says 14, the checker 15",
        "spread_days: the planner says 20.5, the checker 26",
    ]


def test_input_files_are_the_tiny_problem(tmp_path: Path) -> None:
    assert read_problem(write_input(tmp_path / "in")) == two_networks_one_member()


def test_progress_view_line() -> None:
    """The live line speaks of phases, meetings placed and savings against the baseline."""
    view = ProgressView(10.0, started=100.0, baseline_km=1000.0, baseline_trips=40)
    assert view.line(now=102.5) == "  2.5 / 10 s   checking the input ..."
    view.update(Progress(1.0, 0.0, 0.0, 0, phase="start", placed=12, total=20))
    assert view.line(now=103.0) == ("  3.0 / 10 s   building a first plan   12/20 meetings placed")
    view.update(
        Progress(2.0, 5.0, 0.0, 3, phase="improve", placed=20, total=20, travel_km=750.4, trips=30)
    )
    # travel (750.4 - 1000) / 1000 = -25%, trips (30 - 40) / 40 = -25%
    assert view.line(now=104.0) == (
        "  4.0 / 10 s   improving: fewer trips and km   20/20 meetings placed"
        "   travel 750 km (-25% vs baseline)   30 trips (-25% vs baseline)"
    )
    # Past the time limit the planner is wrapping up.
    assert view.line(now=111.0).startswith(" 11.0 / 10 s (finishing)   improving")


def test_live_display_on_a_terminal() -> None:
    problem = two_networks_one_member()
    screen = StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    options = SolveOptions(time_limit=5, seed=3)
    shown = solve_with_display(problem, options, show=True, console=console)
    plain = solve_with_display(problem, options, show=False, console=console)
    assert shown.status is plain.status is Status.OPTIMAL
    assert shown.schedule == plain.schedule
    assert "Planning" in screen.getvalue()


def test_no_plan_in_time_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A solver that runs out of time before a first plan (too slow to provoke for real here).
    def no_plan(problem: Problem, options: SolveOptions) -> PlanResult:
        return PlanResult(
            Status.UNKNOWN,
            explanation=("No plan found within 5 s. Try a longer --time-limit.",),
            time_limit=5.0,
        )

    monkeypatch.setattr("cli.commands_plan.plan", no_plan)
    inp = write_input(tmp_path / "in")
    out = tmp_path / "plan"
    result = runner.invoke(app, plan_args(inp, out))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "No plan found within 5 s (status unknown).",
        "  - No plan found within 5 s. Try a longer --time-limit.",
        f"Nothing was written to {out}.",
    ]
    assert not out.exists()


def test_hard_violations_in_the_plan_are_loud(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A (buggy) solver whose plan makes p attend two meetings at once: the folder is written
    # for inspection, the clash is printed and the exit code is 1.
    def buggy(problem: Problem, options: SolveOptions) -> PlanResult:
        schedule = schedule_of(
            problem,
            ("a", "2027-09-06", "09:00", "goes"),
            ("b", "2027-09-06", "09:30", "middelburg"),
        )
        return PlanResult(Status.FEASIBLE, schedule=schedule, time_limit=5.0, seed=3)

    monkeypatch.setattr("cli.commands_plan.plan", buggy)
    inp = write_input(tmp_path / "in")
    out = tmp_path / "plan"
    result = runner.invoke(app, plan_args(inp, out))
    assert result.exit_code == 1
    assert (out / "report.html").is_file()
    assert read_plan(out).figures["hard_violations"] == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "BUG: the planner's schedule breaks 1 hard rule(s). The folder was written so it can "
        "be inspected; please report this."
    )
    assert lines[1].startswith("  - clash: P is nodig bij twee bijeenkomsten tegelijk")
    assert result.stdout.splitlines()[-1] == "1 hard violation(s)."


def test_long_waits_are_judged_in_the_output_and_plan_json(tmp_path: Path) -> None:
    """A wait the changeover forces over ``long_wait`` is judged "cannot go" (proven), in the
    CLI's line and in plan.json's ``judged_waits``."""
    # With long_wait 10 the optimum above (both meetings back to back at Goes) has p wait
    # the changeover, 15 minutes > 10: one long wait (10 km), still cheaper than a second
    # trip. No timing brings it under 10: the changeover is a hard rule, so it is "fixed".
    inp = write_input(tmp_path / "in")
    settings = inp / "settings.csv"
    settings.write_text(settings.read_text(encoding="utf-8") + "long_wait,10\n", encoding="utf-8")
    out = tmp_path / "plan"
    result = runner.invoke(app, plan_args(inp, out))
    assert result.exit_code == 0, result.output
    assert (
        "Long waits on 1 person-day(s): 1 cannot go by re-timing their day (proven; only "
        "moving a meeting to another date or venue could), 0 could, 0 not judged."
    ) in " ".join(result.stdout.split())
    plan = read_plan(out)
    assert plan.solver is not None
    day = plan.schedule.meetings[0].date
    assert plan.solver.judged_waits == (("p", day, "fixed", None),)
    assert plan.figures["long_waits"] == 1
