"""Replacing output folders: only dakpan's own, always the old or the new plan, even when killed.

The kill tests run ``write_plan_folder`` in a child process that sends
itself SIGKILL at a chosen moment (while writing, right after the swap,
between the two renames of the fallback scheme), then check that ``--out``
holds the old or the new plan byte for byte, and that :func:`recover`
leaves exactly one plan folder and nothing else.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from planner.outdir import (
    MARKER,
    OutputFolderError,
    atomic_file,
    atomic_folder,
    exchange,
    folder_problem,
    recover,
)

CHILD = """
import os, signal, sys
from pathlib import Path
import planner.outdir as outdir
from planner.planfile import write_plan_folder
from tests.conftest import two_networks_one_member
from tests.test_planfile import tiny_schedule

moment, out = sys.argv[1], Path(sys.argv[2])
problem = two_networks_one_member()

def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)

if moment == "fallback-between" or moment == "fallback-after":
    outdir.exchange = lambda a, b: False
    real = os.rename
    calls = []

    def rename(a, b):
        real(a, b)
        calls.append(a)
        if (moment == "fallback-between" and len(calls) == 1) or len(calls) == 2:
            die()

    outdir.os.rename = rename
elif moment == "after-exchange":
    real_exchange = outdir.exchange

    def swap(a, b):
        real_exchange(a, b)
        die()

    outdir.exchange = swap
extra = [lambda folder: die()] if moment == "writing" else []
write_plan_folder(out, problem, tiny_schedule(), extra=extra)
"""


def _write(out: Path, seq_note: str) -> bytes:
    """Write a plan folder at ``out`` (in this process); its plan.json bytes."""
    from planner.planfile import write_plan_folder
    from tests.conftest import two_networks_one_member
    from tests.test_planfile import tiny_schedule

    write_plan_folder(out, two_networks_one_member(), tiny_schedule())
    (out / "notes.txt").write_text(seq_note, encoding="utf-8")  # the user's own file
    return (out / "plan.json").read_bytes()


@pytest.mark.parametrize(
    "moment", ["writing", "after-exchange", "fallback-between", "fallback-after"]
)
def test_a_kill_at_any_moment_leaves_the_old_or_the_new_plan(tmp_path: Path, moment: str) -> None:
    """After SIGKILL and recover(): one plan folder (old or new, whole), the user's file kept."""
    if moment == "after-exchange" and not exchange(tmp_path, tmp_path):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here")
    out = tmp_path / "plan"
    old_json = _write(out, "mine")
    # make the old plan distinguishable from the new one
    data = json.loads(old_json)
    data["dakpan_version"] = "old"
    old_json = json.dumps(data).encode()
    (out / "plan.json").write_bytes(old_json)
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", CHILD, moment, str(out)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    if moment == "fallback-between":
        assert not out.exists()  # the only gap of the fallback scheme ...
    else:
        assert (out / "plan.json").is_file()  # ... with the exchange there is none
    assert recover(out)  # says what it repaired
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]
    names = sorted(p.name for p in out.iterdir())
    assert names == [".dakpan", "notes.txt", "plan.json", "schedule.csv", "schedule.xlsx"]
    assert (out / "notes.txt").read_text() == "mine"
    now = (out / "plan.json").read_bytes()
    if moment in ("writing", "fallback-between"):
        assert now == old_json
    else:
        assert now != old_json
        assert json.loads(now)["dakpan_version"] != "old"


def test_recover_leaves_a_folder_another_run_is_writing(tmp_path: Path) -> None:
    """A temporary folder locked by a running write is not touched by another run's recover()."""
    out = tmp_path / "plan"
    with atomic_folder(out) as tmp:
        assert recover(out) == []
        assert tmp.is_dir()
        (tmp / "schedule.csv").write_text("x")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "schedule.csv"]


def test_folder_rules(tmp_path: Path) -> None:
    """Missing, empty and dakpan's folders may be written; others, files and links are refused."""
    assert folder_problem(tmp_path / "new" / "deeper") is None
    (tmp_path / "empty").mkdir()
    assert folder_problem(tmp_path / "empty") is None
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "plan.json").write_text('{\n  "format": "dakpan-plan",\n  "x": 1}')
    (legacy / "thesis.docx").write_text("x")
    assert folder_problem(legacy) is None  # a plan folder of an older dakpan
    (tmp_path / "link").symlink_to(legacy)
    assert folder_problem(tmp_path / "link") == (
        f"{tmp_path / 'link'} is a symbolic link; refusing to replace it: choose another folder"
    )
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "plan.json").write_text('{"format": "other"}')
    assert folder_problem(fake) == (
        f"{fake} is not a plan folder written by dakpan (it holds plan.json); refusing to "
        "replace it: choose a new or empty folder"
    )
    cal = tmp_path / "cal"
    cal.mkdir()
    (cal / "all.ics").write_text("")
    assert folder_problem(cal, "ics") is None
    with (
        pytest.raises(OutputFolderError, match="not a plan folder written by dakpan"),
        atomic_folder(cal),
    ):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cal",
        "empty",
        "fake",
        "legacy",
        "link",
    ]


def test_atomic_file_failure_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    """A writer that fails halfway leaves the old bytes and no temporary file."""
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old")

    def half(tmp: Path) -> None:
        tmp.write_bytes(b"ne")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        atomic_file(target, half)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


def test_leftovers_of_an_older_dakpan_are_reported_not_touched(tmp_path: Path) -> None:
    """``.plan.<hex>.old`` of the earlier scheme is named in a note and left where it is."""
    (tmp_path / ".plan.1a2b3c4d.old").mkdir()
    (tmp_path / ".other.1a2b3c4d.old").mkdir()
    assert recover(tmp_path / "plan") == [
        f"{tmp_path / '.plan.1a2b3c4d.old'} was left by an interrupted run of an older dakpan "
        "(the replaced output); remove it when you no longer need it"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".other.1a2b3c4d.old",
        ".plan.1a2b3c4d.old",
    ]
