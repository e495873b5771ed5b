"""The analyze command: ``dakpan analyze INPUT [--plan PLAN_DIR] [--out DIR] [--json]``.

Which setting (low, high, partial) is each group of networks in, what would
coordinated planning save per group, and which networks to pair in relay
days. Exit codes: 0 done; 2 the input, plan or thresholds are unusable, or
the output folder cannot be written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.commands_check import InputArgument, _fail_input, fmt_figure, load_problem, load_schedule
from planner.analyze import SAVING_FIGURES, Analysis, Thresholds, analyze
from planner.analyze_figures import QUICK_TIME_LIMIT, quick_plan
from planner.analyze_html import verdict, write_analysis_folder
from planner.planfile import PLAN_JSON, SCHEDULE_CSV
from planner.problem import Problem
from planner.read import InputError
from planner.schedule import Schedule

#: Exit code when the input, the plan or an option is unusable, or the output cannot be written.
EXIT_INPUT = 2

_DEFAULT = Thresholds()


def _plan_of(
    input: Path, plan: Path | None, problem: Problem, *, no_plan: bool, time_limit: float
) -> tuple[Schedule | None, str]:
    """The plan to compare with the baseline, and where it came from."""
    if plan is not None:
        try:
            return load_schedule(plan, problem), "given"
        except InputError as exc:
            raise _fail_input(plan, exc) from None
    if input.is_dir() and (input / PLAN_JSON).is_file() and (input / SCHEDULE_CSV).is_file():
        try:
            return load_schedule(input, problem), "given"
        except InputError as exc:
            raise _fail_input(input, exc) from None
    if no_plan:
        return None, "none"
    typer.echo(f"Planning quickly ({time_limit:g} s) to compare with the baseline ...", err=True)
    schedule = quick_plan(problem, time_limit)
    if schedule is None:
        typer.echo("No quick plan found: the baseline's figures only.", err=True)
        return None, "none"
    return schedule, "quick"


def _groups_table(analysis: Analysis) -> Table:
    table = Table(title="Groups")
    for name in ("group", "networks", "members", "in 2+", "nets/member", "density", "jaccard"):
        table.add_column(name, justify="left" if name == "group" else "right")
    table.add_column("setting")
    for g in analysis.groups:
        table.add_row(
            g.id,
            str(len(g.networks)),
            str(g.members),
            f"{g.multi_share:.0%}",
            f"{g.networks_per_member:.2f}",
            f"{g.density:.2f}",
            f"{g.mean_jaccard:.2f}",
            g.setting,
        )
    return table


def _figures_table(analysis: Analysis) -> Table:
    table = Table(title="Plan against the baseline, per group (the checker's figures)")
    for name in ("group", "figure", "baseline", "plan", "saving"):
        table.add_column(
            name, justify="right" if name in ("baseline", "plan", "saving") else "left"
        )
    for g in analysis.groups:
        saving = g.saving()
        for name in SAVING_FIGURES:
            base = None if g.baseline is None else float(getattr(g.baseline, name))
            plan = None if g.plan is None else float(getattr(g.plan, name))
            ratio = saving[name]
            table.add_row(
                g.id,
                name,
                fmt_figure(base),
                fmt_figure(plan),
                "-" if ratio is None else f"{ratio:.0%}",
            )
    return table


def _print(console: Console, problem: Problem, analysis: Analysis) -> None:
    lang = problem.settings.language
    console.print(_groups_table(analysis))
    for g in analysis.groups:
        console.print(Text(f"  {', '.join(g.networks)}", style="dim"))
    console.print(_figures_table(analysis))
    for g in analysis.groups:
        console.print(Text(verdict(g, lang)))
    span = analysis.spanning_plan
    if span is not None:
        console.print(
            Text(
                f"Days spanning groups in the plan: {span.days} person-days, "
                f"{span.travel_km:,.1f} km; sessions spanning groups: {span.sessions}."
            )
        )
    for g in analysis.groups:
        for s in (*g.pairs, *g.triples):
            note = "" if s.possible else f" (not possible: no common {s.reason})"
            console.print(
                Text(
                    f"Suggestion {g.id}: {' + '.join(s.networks)} together {s.times}x, "
                    f"{s.shared} shared members, {s.trips_saved} trips saved{note}"
                )
            )
    for n in analysis.bridges()[:5]:
        console.print(
            Text(
                f"Bridge: {n.network} (group {n.group}) links {n.linking_members} member(s) "
                f"to group(s) {', '.join(n.links)}"
            )
        )


def analyze_command(  # noqa: PLR0917 - one option per threshold
    input: InputArgument,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan", help="A plan folder (or schedule.csv) to compare with the baseline."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for analysis.html, the .svg pictures, analysis.json, together.csv.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the whole analysis as one JSON object.")
    ] = False,
    no_plan: Annotated[
        bool, typer.Option("--no-plan", help="Without --plan: compare nothing, do not plan.")
    ] = False,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Seconds for the quick plan (without --plan).")
    ] = QUICK_TIME_LIMIT,
    high_share: Annotated[
        float, typer.Option(help="High: least share of members in 2+ of the group's networks.")
    ] = _DEFAULT.high_share,
    high_jaccard: Annotated[
        float, typer.Option(help="High: least mean Jaccard overlap of the group's links.")
    ] = _DEFAULT.high_jaccard,
    low_share: Annotated[
        float, typer.Option(help="Low: share of members in 2+ networks below this.")
    ] = _DEFAULT.low_share,
    split_min: Annotated[
        int, typer.Option(help="Least networks of a component before splitting it.")
    ] = _DEFAULT.split_min,
    min_modularity: Annotated[
        float, typer.Option(help="Least modularity for a component's communities to be kept.")
    ] = _DEFAULT.min_modularity,
    suggestions: Annotated[
        int, typer.Option(help="Pairs and triples to suggest per group.")
    ] = _DEFAULT.pairs,
) -> None:
    """Which setting (low, high, partial) each group of networks is in; what coordination saves.

    Exit code 0: done; 2: unreadable input or plan, bad option, or unwritable output.
    """
    thresholds = Thresholds(
        high_share=high_share,
        high_jaccard=high_jaccard,
        low_share=low_share,
        split_min=split_min,
        min_modularity=min_modularity,
        pairs=suggestions,
    )
    faults = thresholds.validate()
    if time_limit <= 0:
        faults.append(f"--time-limit must be > 0, got {time_limit}")
    if faults:
        for fault in faults:
            typer.echo(f"error: {fault}", err=True)
        raise typer.Exit(EXIT_INPUT)
    try:
        problem = load_problem(input)
    except InputError as exc:
        raise _fail_input(input, exc) from None
    schedule, source = _plan_of(input, plan, problem, no_plan=no_plan, time_limit=time_limit)
    analysis = analyze(problem, thresholds, schedule, plan_source=source)
    if out is not None:
        try:
            names = write_analysis_folder(out, problem, analysis)
        except OSError as exc:
            typer.echo(f"{out}: cannot write the analysis: {exc}", err=True)
            raise typer.Exit(EXIT_INPUT) from None
        typer.echo(f"Analysis written to {out}: {', '.join(names)}", err=True)
    if as_json:
        typer.echo(json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print(Console(highlight=False, soft_wrap=True), problem, analysis)


def register(app: typer.Typer) -> None:
    """Add ``analyze`` to the app."""
    app.command("analyze")(analyze_command)
