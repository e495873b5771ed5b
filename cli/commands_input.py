"""Commands of the input group: ``dakpan validate INPUT`` and ``dakpan template OUT.xlsx``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.calendar import calendar_warnings
from planner.place_summary import far_apart_warnings, resolved_places
from planner.places import ATTRIBUTION
from planner.problem import Problem
from planner.read import InputError, InputSummary, read_problem_with_warnings, summarize
from planner.safety import printable
from planner.template import write_template

#: Exit code for input that cannot be read or a refused command.
EXIT_INPUT = 2


def validate(
    input: Annotated[
        Path, typer.Argument(help="Folder of CSV files or .xlsx workbook.", show_default=False)
    ],
) -> None:
    """Read an input, list every fault or warning, and summarise it."""
    try:
        problem, warnings = read_problem_with_warnings(input)
    except InputError as exc:
        typer.echo(printable(f"{input}: the input has {len(exc.issues)} problem(s):"), err=True)
        for line in exc.lines():
            typer.echo(line, err=True)
        raise typer.Exit(EXIT_INPUT) from None
    console = Console(highlight=False, soft_wrap=False)
    for w in [*warnings, *calendar_warnings(problem.settings), *far_apart_warnings(problem)]:
        console.print(Text(f"warning: {w}", style="yellow"), soft_wrap=True)
    s = problem.settings
    console.print(
        Text(f"{input}: valid. Horizon {s.start}..{s.end} ({s.horizon_days} days).", style="bold"),
        soft_wrap=True,
    )
    _print_summary(console, summarize(problem))
    _print_places(console, problem)


def _print_places(console: Console, problem: Problem) -> None:
    resolved = resolved_places(problem)
    if not resolved:
        return
    table = Table(title="Places", caption=ATTRIBUTION)
    for col, justify in (
        ("table", "left"),
        ("id", "left"),
        ("place", "left"),
        ("GeoNames", "left"),
        ("province", "left"),
        ("lat", "right"),
        ("lon", "right"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in resolved:
        table.add_row(
            r.table,
            Text(r.id),
            Text(r.text),
            Text(r.place.name),
            r.place.province,
            f"{r.place.lat:.5f}",
            f"{r.place.lon:.5f}",
        )
    console.print(table)


def _print_summary(console: Console, summary: InputSummary) -> None:
    counts = Table(title="Input", show_header=False)
    counts.add_column("what")
    counts.add_column("count", justify="right")
    for label, value in (
        ("networks", summary.networks),
        ("people", summary.people),
        ("venues", summary.venues),
        ("memberships, required", summary.required_memberships),
        ("memberships, optional", summary.optional_memberships),
        ("fixed meetings", summary.fixed),
        ("travel overrides", summary.travel),
    ):
        counts.add_row(label, str(value))
    console.print(counts)

    nets = Table(
        title="Networks",
        caption="dates: candidate dates; max fit: most meetings that fit on them with the "
        "network's min_gap_days; room: largest capacity among its venues; no fit: fewer "
        "than its meetings fit; no room: no venue of it holds all its members",
    )
    for col, justify in (
        ("network", "left"),
        ("meetings", "right"),
        ("required", "right"),
        ("optional", "right"),
        ("dates", "right"),
        ("max fit", "right"),
        ("room", "right"),
        ("", "left"),
    ):
        nets.add_column(col, justify=justify)  # type: ignore[arg-type]
    for n in summary.per_network:
        flags = []
        if not n.fits:
            flags.append("no fit")
        if not n.room_fits:
            flags.append("no room")
        nets.add_row(
            Text(n.id),
            str(n.meetings),
            str(n.required),
            str(n.optional),
            str(n.candidate_dates),
            str(n.max_meetings),
            str(n.largest_room),
            Text("; ".join(flags), style="bold red") if flags else Text("ok", style="green"),
        )
    console.print(nets)

    share = summary.people_in_several / summary.people if summary.people else 0.0
    console.print(
        f"Overlap: {summary.people_in_several} of {summary.people} people "
        f"({share:.0%}) are in 2 or more networks; "
        f"{summary.mean_networks_per_person:.2f} networks per person on average; "
        f"{summary.sharing_pairs} network pairs share required members.",
        soft_wrap=True,
    )
    if summary.top_pairs:
        pairs = Table(title="Network pairs sharing the most required members")
        pairs.add_column("network")
        pairs.add_column("network")
        pairs.add_column("shared", justify="right")
        for a, b, k in summary.top_pairs:
            pairs.add_row(Text(a), Text(b), str(k))
        console.print(pairs)

    bad = [n.id for n in summary.per_network if not n.fits]
    if bad:
        console.print(
            Text(
                f"{len(bad)} network(s) cannot fit their meetings with their minimum gap on "
                f"their candidate dates: {', '.join(bad)}",
                style="bold red",
            ),
            soft_wrap=True,
        )
    crowded = [n.id for n in summary.per_network if not n.room_fits]
    if crowded:
        console.print(
            Text(
                f"{len(crowded)} network(s) have more members than any of their venues holds: "
                f"{', '.join(crowded)}",
                style="bold red",
            ),
            soft_wrap=True,
        )


def template(
    out: Annotated[Path, typer.Argument(help="The .xlsx file to write.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write an empty input workbook with every sheet, column and a Dutch explanation."""
    if out.suffix.lower() != ".xlsx":
        typer.echo(
            f"{out}: the template is an Excel workbook; give a name ending in .xlsx", err=True
        )
        raise typer.Exit(EXIT_INPUT)
    if out.exists() and not force:
        typer.echo(f"{out} already exists; use --force to overwrite it", err=True)
        raise typer.Exit(EXIT_INPUT)
    if not out.parent.is_dir():
        typer.echo(f"{out}: folder {out.parent} does not exist", err=True)
        raise typer.Exit(EXIT_INPUT)
    try:
        write_template(out)
    except OSError as exc:
        typer.echo(f"{out}: cannot write ({exc.strerror})", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    typer.echo(f"wrote {out}; fill it in, then run: dakpan validate {out}")


def register(app: typer.Typer) -> None:
    """Add ``validate`` and ``template`` to ``app``."""
    app.command("validate")(validate)
    app.command("template")(template)
