"""Tests of ``dakpan analyze`` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.app import app
from planner.baseline import baseline
from planner.planfile import write_plan_folder
from planner.read import read_problem

ROOT = Path(__file__).resolve().parent.parent
ACHTERHOEK = ROOT / "samples" / "achterhoek"

runner = CliRunner()


def tiny_csv(folder: Path) -> Path:
    """Two networks sharing p over four weeks at one venue, written as a CSV folder."""
    folder.mkdir()
    files = {
        "networks.csv": "id,name,meetings,duration\nx,Netwerk X,1,60\ny,Netwerk Y,1,60\n",
        "people.csv": "id,name,lat,lon\np,P,51.4426,3.5736\nq,Q,51.504,3.888\n",
        "memberships.csv": "network,person\nx,p\nx,q\ny,p\n",
        "venues.csv": "id,name,lat,lon,capacity\ngoes,Goes,51.504,3.888,20\n",
        "settings.csv": (
            "key,value\nstart,2027-09-06\nend,2027-10-01\npublic_holidays,false\n"
            "school_holidays,false\n"
        ),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_json_lists_each_group_with_networks_and_setting() -> None:
    """--json --no-plan on Achterhoek: four low groups, their networks, baseline figures only."""
    result = runner.invoke(app, ["analyze", str(ACHTERHOEK), "--no-plan", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(g["id"], g["networks"], g["setting"]) for g in data["groups"]] == [
        ("A", ["ach-swv-po", "ach-rea", "twe-swv-po", "grens"], "low"),
        ("B", ["ach-swv-vo", "ach-stt"], "low"),
        ("C", ["twe-swv-vo", "twe-stt"], "low"),
        ("D", ["twe-oab"], "low"),
    ]
    assert data["plan_source"] == "none"
    assert data["groups"][3]["plan"] is None
    assert data["groups"][3]["baseline"]["trips"] == 56


def test_plan_folder_is_compared_with_the_baseline(tmp_path: Path) -> None:
    """--plan with the baseline's own plan folder: per-group figures equal, savings 0."""
    problem = read_problem(ACHTERHOEK)
    folder = tmp_path / "plan"
    write_plan_folder(folder, problem, baseline(problem))
    result = runner.invoke(app, ["analyze", str(ACHTERHOEK), "--plan", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["plan_source"] == "given"
    for g in data["groups"]:
        assert g["plan"] == g["baseline"]
        assert g["saving"] == {"travel_km": 0.0, "trips": 0.0, "sessions": 0.0}
    # a plan folder as INPUT brings its own schedule
    again = runner.invoke(app, ["analyze", str(folder), "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["groups"] == data["groups"]


def test_tables_and_verdicts_are_printed() -> None:
    """Without --json: the groups table and one verdict line per group."""
    result = runner.invoke(app, ["analyze", str(ACHTERHOEK), "--no-plan"])
    assert result.exit_code == 0, result.output
    assert "Groups" in result.stdout
    assert (
        "Groep D (1 netwerk, 8 leden): laag — 0% van de leden zit in 2 of meer netwerken; "
        "gemiddelde overlap 0,00." in result.stdout
    )


def test_thresholds_are_settable_on_the_command_line() -> None:
    """--low-share 0.05: Achterhoek's groups with 2/19 and 4/43 in two networks turn partial."""
    result = runner.invoke(
        app, ["analyze", str(ACHTERHOEK), "--no-plan", "--json", "--low-share", "0.05"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [g["setting"] for g in data["groups"]] == ["partial", "partial", "partial", "low"]
    assert data["thresholds"]["low_share"] == 0.05
    assert data["groups"][0]["evidence"][-1] == {
        "measure": "multi_share",
        "value": 0.093,
        "op": "<",
        "threshold": 0.05,
        "holds": False,
    }


def test_bad_thresholds_and_inputs_exit_2(tmp_path: Path) -> None:
    """A threshold out of range, a missing input or a foreign --out folder: exit 2, no traceback."""
    bad = runner.invoke(app, ["analyze", str(ACHTERHOEK), "--high-share", "2"])
    assert bad.exit_code == 2
    assert "error: high_share must lie in 0..1, got 2.0" in bad.stderr
    missing = runner.invoke(app, ["analyze", str(tmp_path / "nothing"), "--no-plan"])
    assert missing.exit_code == 2
    assert "Traceback" not in missing.output
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("x", encoding="utf-8")
    refused = runner.invoke(
        app, ["analyze", str(ACHTERHOEK), "--no-plan", "--out", str(tmp_path / "mine")]
    )
    assert refused.exit_code == 2
    assert "holds no analysis" in refused.stderr
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["keep.txt"]


def test_quick_plan_without_plan_option(tmp_path: Path) -> None:
    """No --plan: one quick plan (2 s); the shared member p travels once, not twice."""
    folder = tiny_csv(tmp_path / "input")
    out = tmp_path / "analysis"
    result = runner.invoke(
        app, ["analyze", str(folder), "--time-limit", "2", "--json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["plan_source"] == "quick"
    (group,) = data["groups"]
    assert (group["networks"], group["setting"]) == (["x", "y"], "partial")
    assert group["plan"]["hard_violations"] == 0
    # baseline: x and y on different days, p travels twice, q once; plan: one session.
    assert (group["baseline"]["trips"], group["plan"]["trips"]) == (3, 2)
    assert (group["baseline"]["sessions"], group["plan"]["sessions"]) == (2, 1)
    assert (out / "together.csv").read_text(encoding="utf-8") == (
        "networks,times,order,hard\nx;y,1,no,no\n"
    )
