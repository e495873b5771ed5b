"""``dakpan check`` and ``dakpan baseline``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.app import app
from planner.baseline import baseline
from planner.check import KINDS, check
from planner.planfile import read_plan, write_plan_folder, write_schedule_csv
from planner.read import read_problem
from tests.conftest import schedule_of, two_networks_one_member

runner = CliRunner()

# The input of tests.conftest.two_networks_one_member as CSV files.
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
GOOD = (("a", "2027-09-06", "09:00", "goes"), ("b", "2027-09-08", "11:00", "middelburg"))
# b overlaps a on Monday: p clashes once.
CLASH = (GOOD[0], ("b", "2027-09-06", "09:30", "middelburg"))


def write_input(folder: Path) -> Path:
    folder.mkdir()
    for name, text in INPUT.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def write_csv(path: Path, *rows: tuple[str, ...]) -> Path:
    write_schedule_csv(path, schedule_of(two_networks_one_member(), *rows))
    return path


def test_input_files_are_the_tiny_problem(tmp_path: Path) -> None:
    assert read_problem(write_input(tmp_path / "in")) == two_networks_one_member()


def test_check_clean_schedule(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    result = runner.invoke(app, ["check", str(inp), str(write_csv(tmp_path / "s.csv", *GOOD))])
    assert result.exit_code == 0, result.output
    assert "No hard violations." in result.stdout
    assert "travel_km" in result.stdout
    assert result.stderr == ""


def test_check_violations_exit_1(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    result = runner.invoke(app, ["check", str(inp), str(write_csv(tmp_path / "s.csv", *CLASH))])
    assert result.exit_code == 1
    assert "clash (1)" in result.stdout
    assert (
        "P is nodig bij twee bijeenkomsten tegelijk: Netwerk A (a-1) op 2027-09-06 "
        "09:00-10:00 in Goes en Netwerk B (b-1) op 2027-09-06 09:30-10:30 in Middelburg"
    ) in result.stdout
    assert "1 hard violation(s): clash 1" in result.stdout


def test_check_json(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    result = runner.invoke(
        app, ["check", str(inp), str(write_csv(tmp_path / "s.csv", *CLASH)), "--json"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    problem = two_networks_one_member()
    assert data["hard_violations"] == 1
    assert data["violations"] == {k: (1 if k == "clash" else 0) for k in KINDS}
    assert data["violation_list"][0]["person"] == "p"
    assert data["baseline"] == check(problem, baseline(problem)).figures_dict()
    # trips: (p, Mon), (q, Mon) = 2; the baseline has (p, 09-06), (q, 09-06),
    # (p, 09-22) = 3: ratio 2 / 3.
    assert (data["trips"], data["baseline"]["trips"], data["ratios"]["trips"]) == (2, 3, 0.6667)


def test_check_plan_folder_as_schedule_and_input(tmp_path: Path) -> None:
    problem = two_networks_one_member()
    plan = tmp_path / "plan"
    write_plan_folder(plan, problem, schedule_of(problem, *CLASH))
    inp = write_input(tmp_path / "in")
    result = runner.invoke(app, ["check", str(inp), str(plan), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["violations"]["clash"] == 1
    # The plan folder also serves as the input (it embeds the problem).
    result = runner.invoke(app, ["check", str(plan), str(plan)])
    assert result.exit_code == 1
    assert "clash (1)" in result.stdout


def test_check_unreadable_schedule_exit_2(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    bad = tmp_path / "schedule.csv"
    bad.write_text("network,date,start,venue\na,2027-09-06,09:00,goes\nb,2027-13-01,11:00,goes\n")
    result = runner.invoke(app, ["check", str(inp), str(bad)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bad}: cannot be read (1 problem(s)):",
        "schedule.csv row 3, column date: '2027-13-01' is not a date that exists "
        "(expected YYYY-MM-DD)",
    ]
    assert "Traceback" not in result.output


def test_check_unreadable_input_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nothing"
    result = runner.invoke(app, ["check", str(missing), str(tmp_path / "s.csv")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{missing}: cannot be read (1 problem(s)):",
        f"{missing} does not exist",
    ]


def test_check_folder_without_schedule_exit_2(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["check", str(inp), str(empty)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"{empty / 'schedule.csv'} does not exist"


def test_baseline_command(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    out = tmp_path / "base"
    result = runner.invoke(app, ["baseline", str(inp), "--out", str(out)])
    assert result.exit_code == 0, result.output
    # a on 2027-09-06 at Goes, b on 2027-09-22 at Middelburg (see test_baseline).
    assert "2 of 2 meetings placed, 0 hard violation(s)" in result.stdout
    plan = read_plan(out)
    problem = two_networks_one_member()
    assert plan.problem == problem
    assert plan.schedule == baseline(problem)
    assert plan.solver is not None
    assert (plan.solver.status, plan.solver.wall_seconds, plan.solver.workers) == (
        "baseline",
        0.0,
        0,
    )
    assert plan.figures == plan.baseline == check(problem, baseline(problem)).figures_dict()
    # Same input, same bytes.
    first = (out / "plan.json").read_bytes()
    assert runner.invoke(app, ["baseline", str(inp), "--out", str(out)]).exit_code == 0
    assert (out / "plan.json").read_bytes() == first


def test_baseline_refuses_a_folder_that_is_not_a_plan(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in")
    result = runner.invoke(app, ["baseline", str(inp), "--out", str(inp)])
    assert result.exit_code == 2
    assert "refusing to replace it" in result.stderr
    assert sorted(p.name for p in inp.iterdir()) == sorted(INPUT)
