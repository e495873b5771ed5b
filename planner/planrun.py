"""Write the plan folder of a solve the way ``dakpan plan`` does (for the CLI and the web app).

:func:`solver_info` turns a :class:`~planner.solver.PlanResult` into the
:class:`~planner.planfile.SolverInfo` that ``plan.json`` records, and
:func:`write_planned` checks the schedule, builds the baseline and writes the
folder atomically with its calendar files and report.
"""

from __future__ import annotations

from pathlib import Path

from planner.baseline import baseline as build_baseline
from planner.check import CheckReport, check
from planner.ics import ics_writer
from planner.planfile import SolverInfo, write_plan_folder
from planner.problem import Problem
from planner.report import report_writer
from planner.schedule import Schedule
from planner.solver import PlanResult


def solver_info(result: PlanResult) -> SolverInfo:
    """The :class:`~planner.planfile.SolverInfo` of a solve."""
    return SolverInfo(
        status=result.status.value,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        wall_seconds=result.wall_seconds,
        first_solution_seconds=result.first_solution_seconds,
        time_limit=result.time_limit,
        seed=result.seed,
        workers=result.workers,
        objective_terms=dict(result.figures),
        judged_waits=tuple((j.person, j.day, j.verdict.value, j.extra_km) for j in result.waits),
    )


def write_planned(
    out: str | Path,
    problem: Problem,
    schedule: Schedule,
    info: SolverInfo | None,
    *,
    report: CheckReport | None = None,
    baseline_report: CheckReport | None = None,
) -> tuple[CheckReport, CheckReport]:
    """Write a plan folder: schedule, workbook, ``plan.json``, ``ics/`` and ``report.html``.

    Calendar ``SEQUENCE`` numbers carry on from ``out/ics`` when ``out``
    already holds a plan. The folder is written atomically (nothing is
    half-written when a writer fails).

    Parameters
    ----------
    out
        The plan folder to create or replace.
    problem, schedule
        The plan.
    info
        How it was found (see :func:`solver_info`), or ``None``.
    report, baseline_report
        ``check`` of the schedule and of the baseline, when already computed.

    Returns
    -------
    tuple[CheckReport, CheckReport]
        The check reports of the schedule and of the baseline.

    Raises
    ------
    planner.ics_format.IcsError, OSError
        When the folder cannot be written.
    """
    if report is None:
        report = check(problem, schedule)
    if baseline_report is None:
        baseline_report = check(problem, build_baseline(problem))
    writers = (
        ics_writer(problem, schedule, previous=Path(out) / "ics"),
        report_writer(problem, schedule, report, baseline_report, info),
    )
    write_plan_folder(
        out,
        problem,
        schedule,
        solver=info,
        extra=writers,
        report=report,
        baseline_report=baseline_report,
    )
    return report, baseline_report
