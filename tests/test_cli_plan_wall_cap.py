"""``dakpan plan`` says so when the wall-clock cap, not the work budget, ended the search.

Only then may two runs with the same input and seed differ (README, Determinism), so
the user must be told; found by ``benchmarks/stress.py`` (shape ``planted_dense``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from cli.commands_plan import WALL_CAPPED
from planner.problem import Problem
from planner.solver import PlanResult, SolveOptions, Status
from tests.conftest import schedule_of
from tests.test_cli_plan import plan_args, write_input

runner = CliRunner()


def _solver(capped: bool) -> Callable[[Problem, SolveOptions], PlanResult]:
    def solve(problem: Problem, options: SolveOptions) -> PlanResult:
        schedule = schedule_of(
            problem,
            ("a", "2027-09-06", "09:00", "goes"),
            ("b", "2027-09-06", "10:15", "goes"),
        )
        return PlanResult(
            Status.FEASIBLE, schedule=schedule, time_limit=5.0, seed=0, wall_capped=capped
        )

    return solve


@pytest.mark.parametrize("capped", [True, False])
def test_wall_capped_plan_is_written_with_a_warning(
    capped: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wall-capped plan is written (exit 0) and warned about; an uncapped one is not."""
    monkeypatch.setattr("cli.commands_plan.plan", _solver(capped))
    inp = write_input(tmp_path / "in")
    out = tmp_path / "plan"
    result = runner.invoke(app, plan_args(inp, out))
    assert (result.exit_code, (out / "schedule.csv").is_file()) == (0, True)
    assert (WALL_CAPPED in result.stderr.replace("\n", " ")) is capped
