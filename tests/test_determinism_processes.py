"""Same input and seed give the same plan files, also across processes.

Python salts string hashes per process (``PYTHONHASHSEED``), so iterating a
set of ids could change the order in which the model is built, and with it
CP-SAT's search. Two processes with different salts must still write the same
bytes. The achterhoek sample is large enough that the neighbourhood search
runs (not only the whole-model search).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _plan(out: Path, salt: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": salt}
    code = "from cli.app import main; main()"
    args = [sys.executable, "-c", code, "plan", str(ROOT / "samples" / "achterhoek")]
    args += ["--out", str(out), "--time-limit", "4", "--seed", "3", "--quiet"]
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_two_processes_with_other_hash_salts_write_the_same_files(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    _plan(first, "1")
    _plan(second, "2")
    assert (first / "schedule.csv").read_bytes() == (second / "schedule.csv").read_bytes()
    for ics in sorted((first / "ics").glob("*.ics")):
        assert ics.read_bytes() == (second / "ics" / ics.name).read_bytes(), ics.name
    # the report differs only in the solver's timings (seconds)
    timing = re.compile(r"<td class='num'>[0-9.,]+ s</td>")
    one = timing.sub("", (first / "report.html").read_text(encoding="utf-8"))
    two = timing.sub("", (second / "report.html").read_text(encoding="utf-8"))
    assert one == two
