"""Commands of the plan group: ``dakpan plan INPUT --out DIR``.

The command reads the input, runs the planner with a live progress display
(on standard error, only when it is a terminal), writes the plan folder
atomically (``schedule.csv``, ``plan.json``, ``ics/``, ``report.html``) and
prints the plan's figures beside the uncoordinated baseline's.

Exit codes: 0 a plan was written; 1 no plan (infeasible, or none found in
time: the explanation is printed and nothing is written), or the checker
found hard violations in the planner's schedule (a bug: the folder is
written all the same so it can be inspected); 2 the input, the hint or the
output folder is unusable.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from cli.commands_check import (
    InputArgument,
    _fail_input,
    figures_table,
    fmt_figure,
    load_problem,
)
from cli.safety import (
    EXIT_INTERRUPTED,
    SEED_RANGE,
    TimeLimitOption,
    check_output,
    stop_on_sigint,
)
from planner.baseline import baseline as build_baseline
from planner.bounds import lower_bounds
from planner.check import KINDS, CheckReport, check
from planner.ics_format import IcsError
from planner.outdir import folder_problem
from planner.planfile import input_hash, read_plan
from planner.planrun import solver_info, write_planned
from planner.problem import Problem
from planner.read import InputError
from planner.safety import printable
from planner.schedule import Schedule
from planner.solver import PlanResult, Progress, SolveOptions, Status, WaitVerdict, plan
from planner.solver.result import PHASES

#: Exit code when a plan was written and the checker found no hard violation.
EXIT_OK = 0
#: Exit code when there is no plan (infeasible, none found in time) or it breaks hard rules.
EXIT_NO_PLAN = 1
#: Exit code when the input, the hint or the output folder is unusable.
EXIT_INPUT = 2

#: Printed when the wall-clock safety cap, not the work budget, ended the search.
WALL_CAPPED = (
    "warning: the search ran into the wall-clock safety cap (3 x the time limit + 30 s), "
    "so another run with the same seed may give another plan. Try a longer --time-limit."
)

#: Largest difference between the model's and the checker's ``travel_km`` taken as equal.
KM_TOLERANCE = 0.01


# ------------------------------------------------------------------ progress
class ProgressView:
    """What the live display shows, in a coordinator's terms: elapsed time, the phase,
    meetings placed, and travel and trips of the best plan against the baseline.

    :meth:`update` is called from the solver's thread; rich's refresh thread
    renders the view (through :meth:`__rich__`) several times a second, so
    the elapsed time moves on between improvements.

    Parameters
    ----------
    time_limit
        The solver's time limit in seconds (the length of the bar).
    started
        ``time.perf_counter()`` at the start of the solve.
    baseline_km, baseline_trips
        The baseline's travel and trips, to say what the plan saves.
    """

    def __init__(
        self,
        time_limit: float,
        started: float,
        baseline_km: float | None = None,
        baseline_trips: int | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._time_limit = time_limit
        self._started = started
        self._baseline = (baseline_km, baseline_trips)
        self._spinner = Spinner("dots", style="cyan")
        self.latest: Progress | None = None

    def update(self, progress: Progress) -> None:
        """Record a progress report (thread-safe)."""
        with self._lock:
            self.latest = progress

    def line(self, now: float | None = None) -> str:
        """The figures part of the display as plain text."""
        elapsed = (time.perf_counter() if now is None else now) - self._started
        with self._lock:
            p = self.latest
        text = f"{elapsed:5.1f} / {self._time_limit:g} s"
        if elapsed > self._time_limit:
            text += " (finishing)"
        if p is None:
            return f"{text}   checking the input ..."
        phase = PHASES.get(p.phase, (p.phase, p.phase))[0]
        text += f"   {phase}   {p.placed}/{p.total} meetings placed"
        if p.travel_km is not None:
            text += f"   travel {p.travel_km:,.0f} km{_versus(p.travel_km, self._baseline[0])}"
        if p.trips is not None:
            text += f"   {p.trips:,} trips{_versus(p.trips, self._baseline[1])}"
        return text

    def __rich__(self) -> RenderableType:
        elapsed = time.perf_counter() - self._started
        grid = Table.grid(padding=(0, 1))
        grid.add_row(
            self._spinner,
            Text("Planning", style="bold"),
            ProgressBar(
                total=max(self._time_limit, 1e-9),
                completed=min(elapsed, self._time_limit),
                width=24,
            ),
            Text(self.line()),
        )
        return Group(grid)


def _versus(value: float, base: float | None) -> str:
    """`` (-27% vs baseline)`` when the baseline is known and not zero."""
    if not base:
        return ""
    return f" ({(value - base) / base:+.0%} vs baseline)"


# ------------------------------------------------------------------ helpers
def output_problem(out: Path) -> str | None:
    """Why ``out`` cannot become a plan folder, or ``None`` when it can.

    The rule of :func:`planner.outdir.folder_problem`, checked before the
    (long) solve: ``out`` may be missing (in a writable folder), an empty
    folder or a plan folder dakpan wrote.
    """
    return folder_problem(out, "plan")


def figure_mismatches(result: PlanResult, report: CheckReport) -> list[str]:
    """Where the model's own figures differ from the checker's (a planner bug).

    ``travel_km`` and ``venue_cost`` may differ by :data:`KM_TOLERANCE`;
    the other figures must be equal.
    """
    checked = report.figures_dict()
    out = []
    for name, value in sorted(result.figures.items()):
        if name not in checked:
            continue
        tolerance = KM_TOLERANCE if name in {"travel_km", "venue_cost"} else 0.0
        if abs(float(value) - float(checked[name])) > tolerance + 1e-9:
            out.append(
                f"{name}: the planner says {fmt_figure(float(value))}, "
                f"the checker {fmt_figure(float(checked[name]))}"
            )
    return out


def _solve_line(result: PlanResult) -> str:
    gap = result.gap
    gap_text = "-" if gap is None or not math.isfinite(gap) else f"{gap:.2%}"
    first = result.first_solution_seconds
    first_text = "" if first is None else f", first plan after {first:.1f} s"
    return (
        f"Status {result.status.value}, gap {gap_text}, wall time {result.wall_seconds:.1f} s"
        f"{first_text}, {result.solutions} improving plan(s); seed {result.seed}, "
        f"{result.workers} worker(s), time limit {result.time_limit:g} s."
    )


def _bounds_line(problem: Problem, report: CheckReport) -> str:
    """What no plan can undercut (:func:`planner.bounds.lower_bounds`) and this plan's distance."""
    b = lower_bounds(problem)
    f = report.figures

    def above(value: float, bound: float) -> str:
        return f"+{value / bound - 1:.0%}" if bound > 0 else "-"

    return (
        f"Lower bound: no plan travels less than {b.travel_km:,.0f} km or makes fewer than "
        f"{b.trips:,} trips; this plan is {above(f.travel_km, b.travel_km)} / "
        f"{above(f.trips, b.trips)} above."
    )


def _waits_line(result: PlanResult) -> str:
    """What re-timing their day could do about the long waits (:mod:`planner.solver.waits`)."""
    counts = Counter(j.verdict for j in result.waits)
    extras = sorted(j.extra_km for j in result.waits if j.extra_km is not None)
    price = f", at {extras[0]:,.0f}-{extras[-1]:,.0f} km-equivalent more" if extras else ""
    return (
        f"Long waits on {len(result.waits)} person-day(s): "
        f"{counts[WaitVerdict.FIXED]} cannot go by re-timing their day (proven; only moving "
        f"a meeting to another date or venue could), {counts[WaitVerdict.RETIME]} could"
        f"{price}, {counts[WaitVerdict.UNJUDGED]} not judged."
    )


def _print_violations(console: Console, report: CheckReport) -> None:
    by_kind: dict[str, list[str]] = {}
    for v in report.violations:
        by_kind.setdefault(v.kind, []).append(v.reason)
    console.print(
        Text(
            f"BUG: the planner's schedule breaks {report.hard_violations} hard rule(s). "
            "The folder was written so it can be inspected; please report this.",
            style="bold red",
        )
    )
    for kind in KINDS:
        for reason in by_kind.get(kind, []):
            console.print(Text(printable(f"  - {kind}: {reason}"), style="red"))


def solve_with_display(
    problem: Problem, options: SolveOptions, *, show: bool, console: Console
) -> PlanResult:
    """Run :func:`planner.solver.plan`, with the live display on ``console`` when ``show``.

    Parameters
    ----------
    problem
        The problem to plan.
    options
        The solve options; their ``on_progress`` is replaced when ``show``.
    show
        Whether to show the live display (elapsed time, phase, meetings
        placed, travel and trips against the baseline), refreshed by a timer
        and at every improvement, and removed when the solve ends.
    console
        Where to show it (standard error).

    Returns
    -------
    PlanResult
        The solver's result.
    """
    if not show:
        return plan(problem, options)
    time_limit = problem.settings.time_limit if options.time_limit is None else options.time_limit
    base = check(problem, build_baseline(problem)).figures
    view = ProgressView(time_limit, time.perf_counter(), base.travel_km, base.trips)
    live_options = dataclasses.replace(options, on_progress=view.update)
    with Live(view, console=console, refresh_per_second=8, transient=True):
        return plan(problem, live_options)


def solve_interruptibly(
    problem: Problem, options: SolveOptions, *, show: bool, console: Console
) -> tuple[PlanResult | None, bool]:
    """Solve with the Ctrl-C handler of :func:`cli.safety.stop_on_sigint` installed.

    Returns
    -------
    tuple[PlanResult | None, bool]
        The result (``None`` when Ctrl-C ended the solve without one) and
        whether Ctrl-C was pressed.
    """
    with stop_on_sigint(options) as (stoppable, seen):
        try:
            result = solve_with_display(problem, stoppable, show=show, console=console)
        except KeyboardInterrupt:
            return None, True
    return result, seen.pressed > 0


def _no_plan(err: Console, result: PlanResult | None, out: Path, *, interrupted: bool) -> NoReturn:
    """Say why there is no plan and exit: 130 after Ctrl-C, 1 otherwise."""
    if result is None or (result.status is not Status.INFEASIBLE and interrupted):
        err.print(Text("No plan: interrupted before a first plan was found.", style="bold red"))
        err.print(Text(f"Nothing was written to {out}."))
        raise typer.Exit(EXIT_INTERRUPTED)
    if result.status is Status.INFEASIBLE:
        err.print(Text("No plan: the input cannot be planned.", style="bold red"))
    elif result.interrupted:
        err.print(Text("No plan: interrupted before a first plan was found.", style="bold red"))
    else:
        err.print(
            Text(
                f"No plan found within {result.time_limit:g} s (status {result.status.value}).",
                style="bold red",
            )
        )
    for line in result.explanation:
        err.print(Text(f"  - {line}"))
    err.print(Text(f"Nothing was written to {out}."))
    raise typer.Exit(EXIT_INTERRUPTED if result.interrupted else EXIT_NO_PLAN)


# ------------------------------------------------------------------ command
def plan_command(
    input: InputArgument,
    *,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Plan folder to write (created, or replaced if it holds a plan).",
            show_default=False,
        ),
    ],
    time_limit: TimeLimitOption = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            **SEED_RANGE,
            help="Random seed (default: the seed setting).",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Search workers.")] = 2,
    hint: Annotated[
        Path | None,
        typer.Option(
            "--hint",
            help="A plan folder to start from (e.g. last week's plan).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No live progress display.")] = False,
    log: Annotated[bool, typer.Option("--log", help="Print the CP-SAT search log.")] = False,
) -> None:
    """Plan every network's meetings and write the plan folder.

    The folder holds schedule.csv, plan.json, ics/ (calendar files) and
    report.html. Exit code 0: plan written; 1: no plan (infeasible or none
    found in time; nothing written) or the plan breaks hard rules; 2:
    unreadable input or hint, or unusable output folder.
    """
    check_output(out)
    try:
        problem = load_problem(input)
    except InputError as exc:
        raise _fail_input(input, exc) from None
    placements: tuple[tuple[str, date, int, str], ...] = ()
    if hint is not None:
        try:
            hint_plan = read_plan(hint)
        except InputError as exc:
            raise _fail_input(hint, exc) from None
        if hint_plan.input_hash != input_hash(problem):
            typer.echo(
                f"note: {hint} was planned for a different input; its meetings that still fit "
                "are used as a start",
                err=True,
            )
        placements = tuple((m.network, m.date, m.start, m.venue) for m in hint_plan.schedule)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    console = Console(highlight=False, soft_wrap=True)
    show = not quiet and not log and err.is_terminal
    options = SolveOptions(
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        hint=placements,
        log=log,
    )
    result, pressed = solve_interruptibly(problem, options, show=show, console=err)
    if result is None or result.schedule is None:
        _no_plan(err, result, out, interrupted=pressed)

    schedule: Schedule = result.schedule
    report = check(problem, schedule)
    base = check(problem, build_baseline(problem))
    try:
        write_planned(
            out, problem, schedule, solver_info(result), report=report, baseline_report=base
        )
    except (IcsError, OSError) as exc:
        typer.echo(f"{out}: cannot write the plan folder: {exc}", err=True)
        typer.echo(f"Nothing was written to {out}.", err=True)
        raise typer.Exit(EXIT_INPUT) from None

    relay = sum(1 for n in report.figures.per_network if n.shared_sessions)
    console.print(
        Text(
            f"Plan written to {out}: {len(schedule)} meetings in {report.figures.sessions} "
            f"sessions; {relay} of {len(problem.networks)} networks share a session."
        )
    )
    if result.interrupted or pressed:
        console.print(Text("Interrupted: this is the best plan found so far.", style="yellow"))
    console.print(
        figures_table(report, base, title="Plan vs. uncoordinated baseline", column="plan")
    )
    console.print(Text(_bounds_line(problem, report)))
    if result.waits:
        console.print(Text(_waits_line(result)))
    console.print(Text(_solve_line(result)))
    if result.wall_capped:
        err.print(Text(WALL_CAPPED, style="yellow"))
    for line in figure_mismatches(result, report):
        err.print(Text(f"warning: planner and checker disagree on {line}", style="yellow"))
    if report.hard_violations:
        _print_violations(err, report)
        console.print(
            Text(f"{report.hard_violations} hard violation(s).", style="bold red"),
        )
        raise typer.Exit(EXIT_NO_PLAN)
    console.print(Text("No hard violations.", style="bold green"))


def register(app: typer.Typer) -> None:
    """Add ``plan`` to the app."""
    app.command("plan")(plan_command)
