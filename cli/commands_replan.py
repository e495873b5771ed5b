"""``dakpan replan PLAN_DIR INPUT --from DATE --out DIR``: re-plan mid-year, least disruption.

The command reads the published plan folder and the changed input, keeps
every meeting before ``--from`` exactly, keeps the later ones where they are
unless the new input forces a move or a move pays more than it costs
(settings ``weight_moved_meeting``, ``weight_moved_member``), writes the new
plan folder with ``changes.csv`` and prints what changed, in the plan's
language.

Exit codes: 0 a plan was written; 1 no plan (nothing written), or the new
plan breaks a hard rule outside the kept history (a bug); 2 the plan folder,
the input, the date or the output folder is unusable (nothing written).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.commands_check import InputArgument, _fail_input, load_problem
from cli.safety import SEED_RANGE, TimeLimitOption, check_output
from planner.changes import counts
from planner.ics_format import IcsError
from planner.planfile import read_plan
from planner.read import InputError
from planner.replan import ReplanError, Replanned, history_violations, replan, write_replanned
from planner.safety import printable

EXIT_NO_PLAN = 1
EXIT_INPUT = 2

_SUMMARY: dict[str, dict[str, str]] = {
    "nl": {
        "written": "Herplanning geschreven naar {out} (vanaf {cutoff}).",
        "counts": (
            "{unchanged} ongewijzigd, {moved} verplaatst, {retimed} op een andere tijd, "
            "{added} toegevoegd, {cancelled} geannuleerd; {members} leden merken het."
        ),
        "travel": "Reisafstand: {before} km voor, {after} km na de herplanning.",
        "details": "Details per bijeenkomst: {path}",
        "warning": "let op: {text}",
        "no_plan": "Geen planning gevonden ({status}); er is niets geschreven naar {out}.",
        "kept": "De invoer is niet veranderd: de planning blijft zoals gepubliceerd.",
    },
    "en": {
        "written": "Re-plan written to {out} (from {cutoff}).",
        "counts": (
            "{unchanged} unchanged, {moved} moved, {retimed} retimed, {added} added, "
            "{cancelled} cancelled; {members} members affected."
        ),
        "travel": "Travel: {before} km before, {after} km after the re-plan.",
        "details": "Per meeting: {path}",
        "warning": "warning: {text}",
        "no_plan": "No plan found ({status}); nothing was written to {out}.",
        "kept": "The input did not change: the plan is kept as published.",
    },
}


def _texts(language: str) -> dict[str, str]:
    return _SUMMARY["en" if language == "en" else "nl"]


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


def summary_lines(done: Replanned, out: Path) -> list[str]:
    """The CLI summary of a re-plan, in the plan's language."""
    t = _texts(done.prepared.problem.settings.language)
    c = counts(done.changes)
    before = done.before.figures.travel_km
    after = done.report.figures.travel_km if done.report is not None else 0.0
    lines = [
        t["written"].format(out=out, cutoff=done.prepared.cutoff.isoformat()),
        t["counts"].format(**c),
        t["travel"].format(before=f"{before:,.1f}", after=f"{after:,.1f}"),
        t["details"].format(path=out / "changes.csv"),
    ]
    return [*lines, t["kept"]] if done.kept else lines


def replan_command(
    plan_dir: Annotated[
        Path, typer.Argument(help="The published plan folder.", show_default=False)
    ],
    input: InputArgument,
    *,
    from_: Annotated[
        str,
        typer.Option(
            "--from",
            help="First date that may change (YYYY-MM-DD); earlier meetings are kept exactly.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", help="Plan folder to write.", show_default=False),
    ],
    time_limit: TimeLimitOption = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", **SEED_RANGE, help="Random seed.", show_default=False),
    ] = None,
) -> None:
    """Re-plan a published plan from a date with as few changes as possible.

    Writes the plan folder with changes.csv (what moved and whom it touches).
    Exit code 0: written; 1: no plan; 2: unusable plan folder, input, date or
    output folder (nothing written).
    """
    cutoff = _date(from_)
    check_output(out)
    try:
        old = read_plan(plan_dir)
    except InputError as exc:
        raise _fail_input(plan_dir, exc) from None
    try:
        new = load_problem(input)
    except InputError as exc:
        raise _fail_input(input, exc) from None
    where = {"plan": printable(str(plan_dir)), "input": printable(str(input))}
    try:
        done = replan(old, new, cutoff, time_limit=time_limit, seed=seed, where=where)
    except ReplanError as exc:
        for line in exc.messages:
            typer.echo(printable(line), err=True)
        typer.echo(f"Nothing was written to {printable(str(out))}.", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    t = _texts(done.prepared.problem.settings.language)
    for line in done.prepared.warnings:
        typer.echo(printable(t["warning"].format(text=line)), err=True)
    if done.schedule is None or done.report is None:
        typer.echo(t["no_plan"].format(status=done.result.status.value, out=out), err=True)
        for line in done.result.explanation:
            typer.echo(printable(f"  - {line}"), err=True)
        raise typer.Exit(EXIT_NO_PLAN)
    try:
        write_replanned(out, plan_dir, old, done)
    except (IcsError, OSError) as exc:
        typer.echo(f"{out}: cannot write the plan folder: {exc}", err=True)
        typer.echo(f"Nothing was written to {out}.", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    for line in summary_lines(done, out):
        typer.echo(printable(line))
    _, others = history_violations(done.report, done.prepared.history)
    if others:
        for v in others:
            typer.echo(printable(f"BUG: {v.kind}: {v.reason}"), err=True)
        raise typer.Exit(EXIT_NO_PLAN)


def register(app: typer.Typer) -> None:
    """Add ``replan`` to the app."""
    app.command("replan")(replan_command)
