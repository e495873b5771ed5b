"""Formula injection, terminal escapes and a full disk: outputs stay safe and whole.

- ids that a spreadsheet would run as formulas (``=cmd|' /C calc'!A0``,
  ``@SUM(1)``, ``+1``, ``-2``) are written to ``schedule.csv`` with a leading
  ``'`` (OWASP's advice) and read back unchanged, so ``check`` still matches;
- names with escape sequences are printed with the escapes made visible;
- ``template`` on a full disk (a real 64 KiB tmpfs, when the test may mount
  one) says so, leaves no file and prints no traceback.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from planner.planfile import read_plan, read_schedule_csv
from planner.safety import neutralise_cell, printable, restore_cell

runner = CliRunner()

EVIL_NETWORK = "=cmd|' /C calc'!A0"
INPUT = {
    "networks.csv": f'id,name,meetings,duration,venues\n"{EVIL_NETWORK}",Netwerk,1,60,@SUM(1)\n'
    "plain,Plain,1,60,\n",
    "people.csv": "id,name,lat,lon\n+1,Een,51.44,3.57\n-2,Twee,51.50,3.88\n",
    "memberships.csv": f'network,person\n"{EVIL_NETWORK}",+1\n"{EVIL_NETWORK}",-2\nplain,+1\n',
    "venues.csv": "id,name,lat,lon,capacity\n@SUM(1),Goes,51.50,3.88,20\n",
    "settings.csv": "key,value\nstart,2027-09-06\nend,2027-10-01\n",
}


def test_neutralise_and_restore_are_inverse() -> None:
    """Dangerous first characters get one quote (Dutch 's-names do not); restore undoes it."""
    values = ("=1+1", "+1", "-2", "@SUM(1)", "\t=x", "\r=x", "'=x", "''", "'", "'s-Hertogenbosch")
    for value in (*values, "plain", ""):
        assert restore_cell(neutralise_cell(value)) == value
    cells = ("=1", "+1", "-1", "@a", "'=b", "''", "'s-Gravenhage")
    assert [neutralise_cell(v) for v in cells] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "''=b",
        "'" + "''",
        "'s-Gravenhage",
    ]


def test_schedule_csv_neutralises_formulas_and_check_reads_them_back(tmp_path: Path) -> None:
    """Formula-like ids get a leading quote in schedule.csv; check matches them all the same."""
    inp = tmp_path / "in"
    inp.mkdir()
    for name, text in INPUT.items():
        (inp / name).write_text(text, encoding="utf-8")
    out = tmp_path / "plan"
    result = runner.invoke(app, ["baseline", str(inp), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((out / "schedule.csv").read_text(encoding="utf-8"))))
    cells = {c for row in rows[1:] for c in row}
    assert {"'=cmd|' /C calc'!A0", "'@SUM(1)", "'+1;-2", "'=cmd|' /C calc'!A0-1"} <= cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    plan = read_plan(out)
    assert read_schedule_csv(out / "schedule.csv", plan.problem) == plan.schedule
    checked = runner.invoke(app, ["check", str(out), str(out), "--json"])
    assert json.loads(checked.stdout)["hard_violations"] == 0
    assert checked.exit_code == 0


def test_printable_shows_escapes_instead_of_sending_them() -> None:
    """ESC, BEL, DEL and bidi overrides become visible text; line ends and tabs stay."""
    assert printable("a\x1b[2Jb\x07c\x7fd\u202ee\tf\ng") == "a\\x1b[2Jb\\x07c\\x7fd?e\tf\ng"


def test_validate_prints_no_escape_from_a_name(tmp_path: Path) -> None:
    """A venue name with an escape sequence that breaks a rule is shown, not executed."""
    inp = tmp_path / "in"
    inp.mkdir()
    for name, text in INPUT.items():
        (inp / name).write_text(text, encoding="utf-8")
    (inp / "venues.csv").write_text(
        'id,name,lat,lon,capacity\n@SUM(1),"Goes\x1b[2J",51.50,3.88,zero\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", str(inp)])
    assert result.exit_code == 2
    assert "\x1b" not in result.output
    assert result.stderr.splitlines()[1:] == [
        "venues.csv row 2, column capacity: 'zero' is not a whole number (expected e.g. 3)"
    ]


@contextlib.contextmanager
def tiny_disk(folder: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs mounted at ``folder`` (skips the test when mounting is not allowed)."""
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_template_on_a_full_disk_leaves_nothing_and_no_traceback(tmp_path: Path) -> None:
    """ENOSPC: one message, exit 2, no workbook, no temporary file, nothing on stderr besides."""
    with tiny_disk(tmp_path / "disk") as disk:
        (disk / "filler").write_bytes(b"x" * 60_000)
        target = disk / "input.xlsx"
        done = subprocess.run(
            [sys.executable, "-c", "from cli.app import main; main()", "template", str(target)],
            capture_output=True,
            check=False,
            cwd=Path(__file__).resolve().parent.parent,
        )
        assert done.returncode == 2
        assert done.stderr.decode() == f"{target}: cannot write (No space left on device)\n"
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]
