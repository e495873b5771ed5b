"""``dakpan import-availability INPUT POLL... [--out NEW_INPUT] [--in-place] [--person ID]``.

Reads date-poll exports (Rallly, Framadate, Doodle) and calendar files, and
writes the members' unavailable dates and times (and their "if need be"
answers) into a copy of the input; see :mod:`planner.availability`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.availability import ImportResult, import_availability, read_ballots
from planner.inputcopy import OutputError, people_cells, write_input_copy
from planner.read import InputError, read_problem_with_warnings

#: Exit code when an input, poll or calendar cannot be read, or the copy not written.
EXIT_INPUT = 2


def _fail(what: str, exc: InputError) -> typer.Exit:
    typer.echo(f"{what}: cannot be read ({len(exc.issues)} problem(s)); nothing written:", err=True)
    for line in exc.lines():
        typer.echo(line, err=True)
    return typer.Exit(EXIT_INPUT)


def _print(result: ImportResult, names: dict[str, str]) -> None:
    if not result.additions:
        typer.echo("Nothing new to add.")
    for a in result.additions:
        parts = []
        if a.unavailable:
            parts.append("unavailable + " + ", ".join(a.unavailable))
        if a.if_need_be:
            parts.append("if need be + " + ", ".join(a.if_need_be))
        typer.echo(f"{a.person} ({names[a.person]}): {'; '.join(parts)}")
    for u in result.unmatched:
        who = u.name + (f" <{u.email}>" if u.email else "")
        hint = f"; did you mean {u.suggestion}?" if u.suggestion else ""
        typer.echo(f"unknown voter {who!r} ({u.source}) {u.reason}{hint}", err=True)


def import_availability_command(
    input: Annotated[
        Path,
        typer.Argument(
            help="The input: a folder of CSV files or an .xlsx workbook.", show_default=False
        ),
    ],
    polls: Annotated[
        list[Path],
        typer.Argument(
            metavar="POLL...",
            help="Poll exports (Rallly or Framadate .csv, Doodle .csv/.xlsx), .ics files "
            "or folders of .ics files.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Where to write the new input (must not exist). "
            "Default: INPUT's name with -availability.",
            show_default=False,
        ),
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Replace INPUT itself instead of writing a copy.")
    ] = False,
    person: Annotated[
        str | None,
        typer.Option(
            "--person",
            help="The person id the calendars belong to (default: each file's name); "
            "with polls, import only this person's answers.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Add the unavailable dates and times from date polls and calendars to a copy of the input.

    Exit code 0: written (or nothing to add); 2: an input, poll or calendar cannot be
    read, or the copy cannot be written (then nothing is written).
    """
    if in_place and out is not None:
        typer.echo("--out and --in-place exclude each other", err=True)
        raise typer.Exit(EXIT_INPUT)
    try:
        problem, warnings = read_problem_with_warnings(input)
    except InputError as exc:
        raise _fail(str(input), exc) from None
    for w in warnings:
        typer.echo(f"warning: {w}", err=True)
    if person is not None and person not in problem.person_by_id:
        typer.echo(f"--person {person!r} is not a person id of {input}", err=True)
        raise typer.Exit(EXIT_INPUT)
    try:
        ballots = read_ballots(problem, polls, person)
    except InputError as exc:
        raise _fail("poll", exc) from None
    result = import_availability(problem, ballots, people_cells(input), only=person)
    _print(result, {p.id: p.name for p in problem.people})
    if not result.additions:
        return
    try:
        written = write_input_copy(input, out, result.cells, in_place=in_place)
    except OutputError as exc:
        typer.echo(f"error: {exc}; nothing written", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    typer.echo(f"Written to {written}.")


def register(app: typer.Typer) -> None:
    """Add ``import-availability`` to ``app``."""
    app.command("import-availability")(import_availability_command)
