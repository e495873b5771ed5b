"""Ctrl-C through a real pseudo-terminal: the best plan is written and checked, or nothing.

``dakpan plan`` runs in a child process whose controlling terminal is a
pseudo-terminal; the test types Ctrl-C (``\\x03``) into it at several moments
(while the start plan is built, during the search, late in the search or
the sequencing), exactly as a user would. Every run must end either with
exit 0, "Interrupted: this is the best plan found so far." and a plan folder
that ``dakpan check`` passes, or with exit 130, "interrupted before a first
plan was found" and nothing written, within a few seconds of the key press,
never with a traceback or a crash.

CP-SAT installs its own SIGINT handler in every solver unless
``catch_sigint_signal`` is off; the planner turns it off in every solver
(``planner.solver.model.make_solver``) and stops on its ``stop`` event.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

#: Seconds a run may take after Ctrl-C before it counts as having ignored it
#: (about 2 s on an idle machine: stop the search, write and check the plan;
#: generous because the test suite runs on two busy cores).
AFTER_CTRL_C = 30.0

NETWORKS = 8
PEOPLE = 20


def write_input(folder: Path) -> Path:
    """8 networks of 4 meetings, 20 people, 3 venues: a first plan in well under a second."""
    folder.mkdir()
    nets = [f"n{i}" for i in range(NETWORKS)]
    (folder / "networks.csv").write_text(
        "id,name,meetings,duration,min_gap_days\n"
        + "".join(f"{n},Netwerk {n},4,60,14\n" for n in nets),
        encoding="utf-8",
    )
    (folder / "people.csv").write_text(
        "id,name,lat,lon\n"
        + "".join(
            f"p{i},Persoon {i},{51.5 + (i * 7 % 20) / 40:.4f},{5.0 + (i * 11 % 20) / 25:.4f}\n"
            for i in range(PEOPLE)
        ),
        encoding="utf-8",
    )
    rows = [(n, f"p{(k * 3 + j * 4) % PEOPLE}") for k, n in enumerate(nets) for j in range(5)]
    (folder / "memberships.csv").write_text(
        "network,person\n" + "".join(f"{n},{p}\n" for n, p in dict.fromkeys(rows)),
        encoding="utf-8",
    )
    (folder / "venues.csv").write_text(
        "id,name,lat,lon,capacity\nv1,Een,51.6,5.2,30\nv2,Twee,51.8,5.5,30\nv3,Drie,51.7,5.7,30\n",
        encoding="utf-8",
    )
    (folder / "settings.csv").write_text(
        "key,value\nstart,2027-09-06\nend,2027-12-17\npublic_holidays,false\n"
        "school_holidays,false\n",
        encoding="utf-8",
    )
    return folder


def run_with_ctrl_c(argv: list[str], wait_for: bytes, delay: float) -> tuple[int, str]:
    """Run ``argv`` on a pseudo-terminal; type Ctrl-C ``delay`` s after ``wait_for`` appears.

    Returns the exit code (negative: killed by that signal) and everything printed.
    """
    pid, fd = pty.fork()
    if pid == 0:  # the child: its terminal is the pseudo-terminal
        os.execv(argv[0], argv)
    out = b""
    seen_at: float | None = None
    sent_at: float | None = None
    started = time.monotonic()
    while True:
        now = time.monotonic()
        if seen_at is None and wait_for in out:
            seen_at = now
        if sent_at is None and seen_at is not None and now - seen_at >= delay:
            os.write(fd, b"\x03")
            sent_at = now
        if (sent_at is not None and now - sent_at > AFTER_CTRL_C) or now - started > 120:
            os.kill(pid, signal.SIGKILL)
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                chunk = b""
            if not chunk:
                break
            out += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("moment", "wait_for", "delay"),
    [
        ("start plan", b"Planning", 0.0),
        ("search", b"meetings placed", 0.3),
        ("late search or timing", b"meetings placed", 2.5),
    ],
)
def test_ctrl_c_writes_the_best_plan_or_nothing(
    tmp_path: Path, moment: str, wait_for: bytes, delay: float
) -> None:
    """Ctrl-C at each moment ends with a checked plan (exit 0) or nothing written (exit 130)."""
    inp = write_input(tmp_path / "in")
    out = tmp_path / "plan"
    argv = [sys.executable, "-c", "from cli.app import main; main()"]
    argv += ["plan", str(inp), "--out", str(out), "--time-limit", "20"]
    code, text = run_with_ctrl_c(argv, wait_for, delay)
    assert "Traceback" not in text
    if code == 0:
        assert "Interrupted: this is the best plan found so far." in text, text[-800:]
        checked = CliRunner().invoke(app, ["check", str(out), str(out)])
        assert checked.exit_code == 0, checked.output
    else:
        assert code == 130, f"{moment}: exit {code}\n{text[-800:]}"
        assert "No plan: interrupted before a first plan was found." in text
        assert not out.exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]
