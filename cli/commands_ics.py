"""Commands of the ics group: ``dakpan export-ics PLAN_DIR [--out DIR]``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from cli.safety import check_output
from planner.ics import next_sequences, write_calendars
from planner.ics_format import IcsError
from planner.planfile import read_plan, read_schedule_csv
from planner.read import InputError

#: Exit code for a plan folder that cannot be read.
EXIT_INPUT = 2
#: Exit code for calendar files that cannot be written (a refused or unwritable folder).
EXIT_OUTPUT = 2


def export_ics(
    plan_dir: Annotated[
        Path,
        typer.Argument(
            metavar="PLAN_DIR",
            help="Plan folder (with plan.json) written by `dakpan plan`.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder to write the .ics files to (replaced as a whole). Default: PLAN_DIR/ics.",
            show_default=False,
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="ics folder of an earlier export whose SEQUENCE numbers to carry on "
            "(default: the --out folder as it is now).",
            show_default=False,
        ),
    ] = None,
    schedule_csv: Annotated[
        bool,
        typer.Option(
            "--schedule-csv",
            help="Take the meetings from the folder's schedule.csv (edited by hand) "
            "instead of plan.json.",
        ),
    ] = False,
    schedule: Annotated[
        Path | None,
        typer.Option(
            "--schedule",
            help="Take the meetings from this schedule.csv or schedule.xlsx (edited by hand) "
            "instead of plan.json.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the calendar files of a plan: per person, network and venue, and all.ics."""
    try:
        plan = read_plan(plan_dir, schedule_from_csv=schedule_csv)
        if schedule is not None:
            plan = replace(plan, schedule=read_schedule_csv(schedule, plan.problem))
    except InputError as exc:
        typer.echo(f"{plan_dir}: cannot read the plan:", err=True)
        for line in exc.lines():
            typer.echo(line, err=True)
        raise typer.Exit(EXIT_INPUT) from None
    if previous is not None and not previous.is_dir():
        typer.echo(f"{previous}: no such folder (--previous names an earlier ics folder)", err=True)
        raise typer.Exit(EXIT_INPUT)
    folder = plan_dir if plan_dir.is_dir() else plan_dir.parent
    target = out if out is not None else folder / "ics"
    check_output(target, "ics")
    before = previous if previous is not None else target
    try:
        sequence = next_sequences(before if before.is_dir() else None, plan.problem, plan.schedule)
        paths = write_calendars(target, plan.problem, plan.schedule, sequence=sequence)
    except IcsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_OUTPUT) from None
    changed = sum(1 for s in sequence.values() if s > 0)
    typer.echo(
        f"Wrote {len(paths)} calendar files for {len(plan.schedule)} meetings to {target}"
        + (f" ({changed} with SEQUENCE > 0)." if changed else ".")
    )


def register(app: typer.Typer) -> None:
    """Add ``export-ics`` to ``app``."""
    app.command("export-ics")(export_ics)
