"""Commands of the check group: ``dakpan check INPUT SCHEDULE`` and ``dakpan baseline INPUT``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.baseline import baseline as build_baseline
from planner.check import FIGURE_NAMES, KINDS, CheckReport, check, ratios
from planner.planfile import (
    PLAN_JSON,
    SCHEDULE_CSV,
    SolverInfo,
    read_plan,
    read_schedule_csv,
    write_plan_folder,
)
from planner.problem import Problem
from planner.read import InputError, read_problem_with_warnings
from planner.safety import printable
from planner.schedule import Schedule

#: Exit code when the checked schedule has no hard violation.
EXIT_OK = 0
#: Exit code when it has hard violations.
EXIT_VIOLATIONS = 1
#: Exit code when the input or the schedule cannot be read, or the output not written.
EXIT_INPUT = 2


InputArgument = Annotated[
    Path,
    typer.Argument(help="Folder of CSV files, .xlsx workbook, or plan folder.", show_default=False),
]
"""The ``INPUT`` argument of the commands that read an input or a plan folder's."""


def _fail_input(what: Path, exc: InputError) -> typer.Exit:
    typer.echo(f"{printable(str(what))}: cannot be read ({len(exc.issues)} problem(s)):", err=True)
    for line in exc.lines():
        typer.echo(line, err=True)
    return typer.Exit(EXIT_INPUT)


def load_problem(path: Path) -> Problem:
    """Read an input: a CSV folder, an ``.xlsx`` workbook, or a plan folder (its embedded input).

    Warnings about the input (unknown columns ...) go to standard error.

    Raises
    ------
    InputError
        When it cannot be read.
    """
    if path.is_dir() and (path / PLAN_JSON).is_file() and not (path / "networks.csv").is_file():
        return read_plan(path).problem
    if path.is_file() and path.name == PLAN_JSON:
        return read_plan(path).problem
    problem, warnings = read_problem_with_warnings(path)
    for w in warnings:
        typer.echo(printable(f"warning: {w}"), err=True)
    return problem


def load_schedule(path: Path, problem: Problem) -> Schedule:
    """Read a ``schedule.csv``, or the ``schedule.csv`` of a plan folder.

    Raises
    ------
    InputError
        When it cannot be read.
    """
    if path.is_dir():
        path = path / SCHEDULE_CSV
    return read_schedule_csv(path, problem)


def fmt_figure(value: float | None) -> str:
    """A figure for the terminal: ``-`` for none, thousands separated, at most 3 decimals."""
    if value is None:
        return "-"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def figures_table(
    report: CheckReport, base: CheckReport, *, title: str = "Figures", column: str = "schedule"
) -> Table:
    """The headline figures of a schedule beside the baseline's, with their ratio.

    Parameters
    ----------
    report
        The check of the schedule.
    base
        The check of the uncoordinated baseline.
    title
        The table's title.
    column
        The heading of the schedule's column.

    Returns
    -------
    Table
        One row per :data:`~planner.check.FIGURE_NAMES` entry;
        ``together_met`` reads "met of wishes" (e.g. ``5 of 6``).
    """
    plan_figures = report.figures_dict()
    base_figures = base.figures_dict()
    rel = ratios(plan_figures, base_figures)
    table = Table(title=title)
    table.add_column("figure")
    table.add_column(column, justify="right")
    table.add_column("baseline", justify="right")
    table.add_column("ratio", justify="right")
    wishes = len(report.figures.together_held)
    for name in FIGURE_NAMES:
        ratio = rel[name]
        plan_text = fmt_figure(float(plan_figures[name]))
        base_text = fmt_figure(float(base_figures[name]))
        if name == "together_met":
            plan_text, base_text = f"{plan_text} of {wishes}", f"{base_text} of {wishes}"
        table.add_row(name, plan_text, base_text, "-" if ratio is None else f"{ratio:.2f}")
    return table


def _print_report(console: Console, report: CheckReport, base: CheckReport) -> None:
    by_kind: dict[str, list[str]] = {}
    for v in report.violations:
        by_kind.setdefault(v.kind, []).append(v.reason)
    for kind in KINDS:
        reasons = by_kind.get(kind)
        if not reasons:
            continue
        console.print(Text(f"{kind} ({len(reasons)})", style="bold red"))
        for reason in reasons:
            console.print(Text(printable(f"  - {reason}")))
    console.print(figures_table(report, base))
    if report.hard_violations:
        kinds = ", ".join(f"{k} {n}" for k, n in report.by_kind.items() if n)
        console.print(
            Text(f"{report.hard_violations} hard violation(s): {kinds}", style="bold red")
        )
    else:
        console.print(Text("No hard violations.", style="bold green"))


def check_command(
    input: InputArgument,
    schedule: Annotated[
        Path,
        typer.Argument(
            help="A schedule.csv or schedule.xlsx, or a plan folder holding a schedule.csv.",
            show_default=False,
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
) -> None:
    """Check a schedule against every hard rule and compare its figures with the baseline.

    Exit code 0: no hard violation; 1: hard violations; 2: unreadable input or schedule.
    """
    try:
        problem = load_problem(input)
    except InputError as exc:
        raise _fail_input(input, exc) from None
    try:
        sched = load_schedule(schedule, problem)
    except InputError as exc:
        raise _fail_input(schedule, exc) from None
    report = check(problem, sched)
    base = check(problem, build_baseline(problem))
    if as_json:
        out = report.to_dict()
        out["baseline"] = base.figures_dict()
        out["ratios"] = ratios(report.figures_dict(), out["baseline"])
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        _print_report(Console(highlight=False, soft_wrap=True), report, base)
    raise typer.Exit(EXIT_VIOLATIONS if report.hard_violations else EXIT_OK)


def baseline_command(
    input: InputArgument,
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Plan folder to write (created or replaced).", show_default=False
        ),
    ],
) -> None:
    """Write the uncoordinated baseline (every network plans alone) as a plan folder."""
    from cli.safety import check_output

    check_output(out)
    try:
        problem = load_problem(input)
    except InputError as exc:
        raise _fail_input(input, exc) from None
    sched = build_baseline(problem)
    s = problem.settings
    info = SolverInfo(
        status="baseline",
        objective=None,
        bound=None,
        gap=None,
        wall_seconds=0.0,
        first_solution_seconds=None,
        time_limit=s.time_limit,
        seed=s.seed,
        workers=0,
        objective_terms={},
    )
    report = check(problem, sched)
    try:
        write_plan_folder(out, problem, sched, solver=info, report=report, baseline_report=report)
    except OSError as exc:
        typer.echo(f"{out}: cannot write the plan folder: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    placed = len(sched)
    wanted = sum(n.meetings for n in problem.networks)
    console = Console(highlight=False, soft_wrap=True)
    f = report.figures
    wishes = (
        f", relay wishes met {f.together_met} of {len(f.together_held)}"
        if (f.together_held)
        else ""
    )
    console.print(
        Text(
            f"Baseline written to {out}: {placed} of {wanted} meetings placed, "
            f"{report.hard_violations} hard violation(s), travel {f.travel_km:,.1f} "
            f"km, {f.sessions} sessions, {f.excess_idle_minutes:,} minutes of waiting "
            f"beyond the changeover, {f.long_waits} wait(s) over {problem.settings.long_wait} "
            f"minutes{wishes}."
        )
    )


def register(app: typer.Typer) -> None:
    """Add ``check`` and ``baseline`` to the app."""
    app.command("check")(check_command)
    app.command("baseline")(baseline_command)
