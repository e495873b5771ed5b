"""Hostile, broken and faulty situations: exit code, located message, no traceback, no damage.

One table holds every case of issue 14 (and is meant to keep growing). Each
case builds its files in a fresh folder, runs one ``dakpan`` command through
Typer's ``CliRunner`` and asserts: the exact exit code; every expected line
(file, row, column and cause) on standard error; no traceback; and that the
output is untouched: nothing written where there was nothing, the old plan
byte for byte where there was one, the user's files where they were.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app

runner = CliRunner()

NETWORKS = (
    "id,name,meetings,duration,min_gap_days,venues\na,Netwerk A,1,60,,goes\nb,Netwerk B,1,60,,\n"
)
PEOPLE = "id,name,lat,lon\np,P,51.4426,3.5736\nq,Q,51.5040,3.8880\n"
MEMBERSHIPS = "network,person\na,p\na,q\nb,p\n"
VENUES = "id,name,lat,lon,capacity\ngoes,Goes,51.5040,3.8880,20\n"
SETTINGS = (
    "key,value\nstart,2027-09-06\nend,2027-10-01\npublic_holidays,false\nschool_holidays,false\n"
)
FILES = {
    "networks.csv": NETWORKS,
    "people.csv": PEOPLE,
    "memberships.csv": MEMBERSHIPS,
    "venues.csv": VENUES,
    "settings.csv": SETTINGS,
}


def write_input(folder: Path, **changes: str) -> Path:
    """The small valid input, with ``changes`` (file stem -> text) applied."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem, text in {**{n.removesuffix(".csv"): t for n, t in FILES.items()}, **changes}.items():
        (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes); empty when it does not exist."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@dataclass
class Setup:
    """What a case prepared: the command line and the folders that must not change."""

    args: list[str]
    keep: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class Case:
    """One hostile situation: how to build it, the exit code and the lines expected."""

    name: str
    build: Callable[[Path], Setup]
    code: int
    lines: tuple[str, ...]


# ------------------------------------------------------------------ builders
def _plan(inp: Path, out: Path, *more: str) -> list[str]:
    return ["plan", str(inp), "--out", str(out), "--time-limit", "2", "--quiet", *more]


def _old_plan(tmp: Path) -> Path:
    """A plan folder written by ``dakpan baseline`` (no solver needed)."""
    out = tmp / "old"
    result = runner.invoke(app, ["baseline", str(write_input(tmp / "base")), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def huge_cell(tmp: Path) -> Setup:
    people = PEOPLE + "r," + "x" * 200_000 + ",51.5,3.9\n"
    out = tmp / "out"
    return Setup(_plan(write_input(tmp / "in", people=people), out), [out])


def long_cell(tmp: Path) -> Setup:
    people = PEOPLE + "r," + "x" * 40_000 + ",51.5,3.9\n"
    return Setup(["validate", str(write_input(tmp / "in", people=people))])


def huge_cell_in_schedule(tmp: Path) -> Setup:
    old = _old_plan(tmp)
    bad = tmp / "schedule.csv"
    bad.write_text("network,date,start,venue\n" + "a" * 140_000 + ",2027-09-06,10:00,goes\n")
    return Setup(["check", str(old), str(bad)], [old])


def number(stem: str, text: str) -> Callable[[Path], Setup]:
    def build(tmp: Path) -> Setup:
        out = tmp / "out"
        return Setup(_plan(write_input(tmp / "in", **{stem: text}), out), [out])

    return build


def option(*more: str) -> Callable[[Path], Setup]:
    def build(tmp: Path) -> Setup:
        out = tmp / "out"
        return Setup(_plan(write_input(tmp / "in"), out, *more), [out])

    return build


def deep_plan_json(tmp: Path) -> Setup:
    folder = tmp / "deep"
    folder.mkdir()
    (folder / "plan.json").write_text('{"format": "dakpan-plan", "x": ' + "[" * 100_000)
    return Setup(["export-ics", str(folder)], [folder])


def bad_meeting_in_plan_json(tmp: Path) -> Setup:
    old = _old_plan(tmp)
    data = json.loads((old / "plan.json").read_text())
    data["meetings"][0]["date"] = "2027-13-45"
    (old / "plan.json").write_text(json.dumps(data))
    return Setup(["export-ics", str(old)], [old])


def hostile_id(stem: str, text: str) -> Callable[[Path], Setup]:
    def build(tmp: Path) -> Setup:
        return Setup(["validate", str(write_input(tmp / "in", **{stem: text}))])

    return build


def special_file(kind: str) -> Callable[[Path], Setup]:
    def build(tmp: Path) -> Setup:
        inp = write_input(tmp / "in")
        (inp / "people.csv").unlink()
        if kind == "fifo":
            os.mkfifo(inp / "people.csv")
        elif kind == "dir":
            (inp / "people.csv").mkdir()
        else:
            (inp / "people.csv").symlink_to("/dev/zero")
        return Setup(["validate", str(inp)])

    return build


def workbook(tmp: Path, fill: Callable[[object], None]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    for name, text in FILES.items():
        ws = wb.create_sheet(name.removesuffix(".csv"))
        for line in text.splitlines():
            ws.append(line.split(","))
    wb.remove(first)
    fill(wb)
    path = tmp / "in.xlsx"
    wb.save(path)
    return path


def formula_without_value(tmp: Path) -> Setup:
    def fill(wb: object) -> None:
        wb["venues"]["E2"] = "=10+10"  # type: ignore[index]

    return Setup(["validate", str(workbook(tmp, fill))])


def too_many_sheets(tmp: Path) -> Setup:
    def fill(wb: object) -> None:
        for i in range(70):
            wb.create_sheet(f"extra{i}")  # type: ignore[attr-defined]

    return Setup(["validate", str(workbook(tmp, fill))])


def bomb_workbook(tmp: Path) -> Setup:
    path = tmp / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/sharedStrings.xml", "<sst><si><t>" + "a" * 20_000_000 + "</t></si></sst>")
    assert path.stat().st_size < 100_000
    return Setup(["validate", str(path)])


def foreign_out(files: dict[str, str]) -> Callable[[Path], Setup]:
    def build(tmp: Path) -> Setup:
        out = tmp / "mine"
        out.mkdir()
        for name, text in files.items():
            (out / name).write_text(text)
        return Setup(_plan(write_input(tmp / "in"), out), [out])

    return build


def out_is_input(tmp: Path) -> Setup:
    inp = write_input(tmp / "in")
    (inp / "schedule.csv").write_text("network,date,start,venue\n")
    return Setup(_plan(inp, inp), [inp])


def baseline_into_foreign(tmp: Path) -> Setup:
    out = tmp / "docs"
    out.mkdir()
    (out / "schedule.csv").write_text("mine")
    (out / "thesis.docx").write_text("precious")
    return Setup(["baseline", str(write_input(tmp / "in")), "--out", str(out)], [out])


def unwritable_out(tmp: Path) -> Setup:
    blocker = tmp / "afile"
    blocker.write_text("x")
    return Setup(_plan(write_input(tmp / "in"), blocker / "plan"), [blocker])


def ics_into_foreign(tmp: Path) -> Setup:
    old = _old_plan(tmp)
    docs = tmp / "docs"
    docs.mkdir()
    (docs / "letter.docx").write_text("x")
    return Setup(["export-ics", str(old), "--out", str(docs)], [old, docs])


def template_over_folder(tmp: Path) -> Setup:
    folder = tmp / "t.xlsx"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    return Setup(["template", str(folder), "--force"], [folder])


CASES = [
    Case(
        "CSV cell over the csv module's field limit",
        huge_cell,
        2,
        (
            "people.csv line 4: a cell holds more than 131,072 characters; cells are limited "
            "to 32,767",
        ),
    ),
    Case(
        "CSV cell over Excel's cell limit",
        long_cell,
        2,
        ("people.csv line 4: a cell holds 40,000 characters; cells are limited to 32,767",),
    ),
    Case(
        "schedule.csv cell over the field limit",
        huge_cell_in_schedule,
        2,
        (
            "schedule.csv line 2: a cell holds more than 131,072 characters; cells are "
            "limited to 32,767",
        ),
    ),
    Case(
        "venue cost 1e14",
        number("venues", "id,name,lat,lon,capacity,cost\ngoes,Goes,51.5,3.9,20,1e14\n"),
        2,
        ("venues.csv row 2, column cost: '1e14' is too large (expected a number up to 1,000,000)",),
    ),
    Case(
        "travel km 1e18 and 1e15",
        number("travel", "from,to,km\np,goes,1e18\nq,goes,1e15\n"),
        2,
        (
            "travel.csv row 2, column km: '1e18' is too large (expected a number up to 40,000)",
            "travel.csv row 3, column km: '1e15' is too large (expected a number up to 40,000)",
        ),
    ),
    Case(
        "meetings 10 to the 30th",
        number("networks", "id,name,meetings,duration\na,A,1000000000000000000000000000000,60\n"),
        2,
        (
            "networks.csv row 2, column meetings: '100000000000000000000000000000'... is too "
            "long for a number (expected e.g. 3)",
        ),
    ),
    Case(
        "seed 2147483648 in the settings",
        number("settings", SETTINGS + "seed,2147483648\n"),
        2,
        (
            "settings.csv row 6, column value: seed: '2147483648' is too large (expected a "
            "number up to 2,147,483,647)",
        ),
    ),
    Case(
        "a horizon of a thousand years",
        number("settings", "key,value\nstart,2027-09-06\nend,3027-09-06\n"),
        2,
        (
            "settings.csv row 3, column value: the horizon 2027-09-06..3027-09-06 spans "
            "365,243 days; at most 3,660 days (ten years) are planned at once",
        ),
    ),
    Case(
        "--seed 2147483648",
        option("--seed", "2147483648"),
        2,
        ("less than or equal to 2147483647",),
    ),
    Case("--seed -1", option("--seed", "-1"), 2, ("greater than or equal to 0",)),
    Case("--time-limit inf", option("--time-limit", "inf"), 2, ("got inf",)),
    Case("--time-limit nan", option("--time-limit", "nan"), 2, ("got nan",)),
    Case("--workers 1000", option("--workers", "1000"), 2, ("less than or equal to 64",)),
    Case(
        "plan.json nested 100,000 deep",
        deep_plan_json,
        2,
        ("plan.json line 1: nested more than 32 levels deep; not a dakpan plan",),
    ),
    Case(
        "plan.json with a bad meeting date",
        bad_meeting_in_plan_json,
        2,
        ("plan.json, column meetings[0] (a-1): month must be in 1..12",),
    ),
    Case(
        "person id with the list separator",
        hostile_id("people", "id,name,lat,lon\np;3,P,51.4,3.5\np,P,51.4,3.5\nq,Q,51.5,3.9\n"),
        2,
        (
            "people.csv row 2, column id: person id 'p;3' holds ';', the separator of lists "
            "(attendees, venues); choose an id without it",
        ),
    ),
    Case(
        "network id with an escape sequence",
        hostile_id("networks", NETWORKS + '"x\x1b[2J",X,1,60,,goes\n'),
        2,
        (
            "networks.csv row 4, column id: network id 'x\\x1b[2J' holds the control "
            "character U+001B (a line break, tab, escape or similar); ids must be plain text",
        ),
    ),
    Case(
        "venue id with a line break",
        hostile_id("venues", VENUES + '"ede\nwest",Ede,52.0,5.6,10\n'),
        2,
        (
            "venues.csv row 3, column id: venue id 'ede\\nwest' holds the control character "
            "U+000A (a line break, tab, escape or similar); ids must be plain text",
        ),
    ),
    Case(
        "a network whose venues cell names none",
        hostile_id("networks", "id,name,meetings,duration,venues\nn1,N,1,60,;\n"),
        2,
        (
            "networks.csv row 2, column venues: ';' names no venue; leave the cell empty to "
            "allow every venue, or list venue ids separated by ';'",
        ),
    ),
    Case(
        "people.csv is a named pipe",
        special_file("fifo"),
        2,
        ("people.csv is a named pipe (FIFO), not a file",),
    ),
    Case("people.csv is a folder", special_file("dir"), 2, ("people.csv is a folder, not a file",)),
    Case(
        "people.csv links to /dev/zero",
        special_file("zero"),
        2,
        ("people.csv is a device (a symbolic link to '/dev/zero'), not a file",),
    ),
    Case(
        "an unbalanced quote",
        hostile_id("people", 'id,name,lat,lon\np,"P,51.4,3.5\nq,Q,51.5,3.9\n'),
        2,
        (
            'people.csv line 2: a quote (") opens a cell that is never closed, so the rest of '
            "the file would be one cell; close the quote or remove it",
        ),
    ),
    Case(
        "a formula cell without a saved result",
        formula_without_value,
        2,
        (
            "in.xlsx, sheet venues, row 2, column capacity: holds the formula '=10+10' without "
            "a saved result (the file was saved by a program that does not calculate "
            "formulas): open and save it in Excel or LibreOffice, or type the value",
        ),
    ),
    Case(
        "a workbook of 75 sheets",
        too_many_sheets,
        2,
        ("in.xlsx has 75 sheets; workbooks with more than 64 are not read",),
    ),
    Case(
        "a small workbook that unpacks to 20 MB",
        bomb_workbook,
        2,
        (
            "bomb.xlsx unpacks to 20,000,035 bytes; workbooks over 16,777,216 bytes unpacked "
            "are not read (is there a huge cell or an image in it?)",
        ),
    ),
    Case(
        "--out holds a schedule.csv and a thesis",
        foreign_out({"schedule.csv": "x", "thesis.docx": "precious"}),
        2,
        ("is not a plan folder written by dakpan (it holds schedule.csv, thesis.docx)",),
    ),
    Case(
        "--out is the input folder with a schedule.csv",
        out_is_input,
        2,
        ("is not a plan folder written by dakpan (it holds memberships.csv, networks.csv,",),
    ),
    Case(
        "baseline --out into a foreign folder",
        baseline_into_foreign,
        2,
        ("is not a plan folder written by dakpan (it holds schedule.csv, thesis.docx)",),
    ),
    Case("--out below a file", unwritable_out, 2, ("is not a folder; cannot create",)),
    Case(
        "export-ics --out into a foreign folder",
        ics_into_foreign,
        2,
        ("is not a calendar folder written by dakpan (it holds letter.docx)",),
    ),
    Case(
        "template --force over a folder",
        template_over_folder,
        2,
        ("t.xlsx: cannot write (Is a directory)",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(tmp_path: Path, case: Case) -> None:
    """Each case: its exit code, its located lines on stderr, no traceback, nothing damaged."""
    setup = case.build(tmp_path)
    before = {p: snapshot(p) for p in setup.keep}
    entries = sorted(p.name for p in tmp_path.iterdir())
    result = runner.invoke(app, setup.args)
    assert result.exit_code == case.code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for line in case.lines:
        assert line in result.output, result.output
    for path, files in before.items():
        assert snapshot(path) == files
    assert sorted(p.name for p in tmp_path.iterdir()) == entries  # no temp folders left


def test_internal_error_gives_exit_3_a_short_message_and_a_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug (any unexpected exception) ends with exit 3, two lines and a log with the traceback."""
    import cli.commands_check

    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli.commands_check, "check", broken)
    monkeypatch.setenv("DAKPAN_LOG_DIR", str(tmp_path / "logs"))
    out = tmp_path / "out"
    result = runner.invoke(app, ["baseline", str(write_input(tmp_path / "in")), "--out", str(out)])
    assert result.exit_code == 3
    [log] = sorted((tmp_path / "logs").iterdir())
    assert result.stderr.splitlines() == [
        "internal error: ZeroDivisionError: division by zero",
        f"This is a bug in dakpan; the details are in {log}. Please report it with that file.",
    ]
    text = log.read_text()
    assert "Traceback (most recent call last)" in text
    assert text.rstrip().endswith("ZeroDivisionError: division by zero")
    assert not out.exists()


def test_leftovers_of_a_killed_run_are_repaired_and_reported(tmp_path: Path) -> None:
    """An unfinished temp folder is removed, an old plan beside a missing --out is put back."""
    old = _old_plan(tmp_path)
    kept = snapshot(old)
    moved = tmp_path / ".old.dakpan-0123abcd.old"
    old.rename(moved)  # killed between the two renames: no --out, the old plan aside
    unfinished = tmp_path / ".old.dakpan-89abcdef.new"
    unfinished.mkdir()
    (unfinished / ".dakpan-unfinished").touch()
    (unfinished / "schedule.csv").write_text("half")
    result = runner.invoke(
        app, ["export-ics", str(moved), "--out", str(tmp_path / "cal")]
    )  # any run that writes beside them repairs only its own --out's leftovers
    assert result.exit_code == 0, result.output
    assert moved.exists() and unfinished.exists()
    result = runner.invoke(
        app, ["baseline", str(write_input(tmp_path / "base")), "--out", str(old)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"note: restored {old} from .old.dakpan-0123abcd.old, left by an interrupted run",
        "note: removed .old.dakpan-89abcdef.new, an unfinished folder of an interrupted run",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base", "cal", "old"]
    assert snapshot(old)["plan.json"] == kept["plan.json"]  # the same input, the same plan
