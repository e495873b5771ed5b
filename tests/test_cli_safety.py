"""The Ctrl-C handler of ``dakpan plan``: what it does with and without a stop event.

The planner as it is now has no stop event in ``SolveOptions``: Ctrl-C must
raise ``KeyboardInterrupt`` (which its search loops catch). When the planner
gains ``SolveOptions.stop: threading.Event | None``, the first Ctrl-C sets
that event instead and only a second one raises. Either way the previous
handler is back after planning.
"""

from __future__ import annotations

import dataclasses
import signal
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli.safety
from cli.app import app
from cli.safety import stop_on_sigint


@dataclasses.dataclass(frozen=True, slots=True)
class PlainOptions:
    """Options of a planner without a stop event."""

    time_limit: float | None = None


def test_without_a_stop_event_ctrl_c_raises_keyboard_interrupt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """First Ctrl-C: KeyboardInterrupt, counted; afterwards the old handler is back."""
    monkeypatch.setattr(cli.safety, "SolveOptions", PlainOptions)
    before = signal.getsignal(signal.SIGINT)
    start = PlainOptions()
    with pytest.raises(KeyboardInterrupt), stop_on_sigint(start) as (options, seen):  # type: ignore[arg-type]
        assert options == start
        try:
            signal.raise_signal(signal.SIGINT)
        finally:
            assert seen.pressed == 1
    assert signal.getsignal(signal.SIGINT) is before


@dataclasses.dataclass(frozen=True, slots=True)
class StoppableOptions:
    """SolveOptions as the planner will have them: with a stop event."""

    time_limit: float | None = None
    stop: threading.Event | None = None


def test_with_a_stop_event_the_first_ctrl_c_sets_it_and_the_second_raises(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """First Ctrl-C sets options.stop (no exception); a second one raises KeyboardInterrupt."""
    monkeypatch.setattr(cli.safety, "SolveOptions", StoppableOptions)
    start = StoppableOptions(time_limit=3.0)
    with stop_on_sigint(start) as (options, seen):  # type: ignore[arg-type]
        assert isinstance(options, StoppableOptions)
        assert options.time_limit == 3.0
        assert options.stop is not None
        assert not options.stop.is_set()
        signal.raise_signal(signal.SIGINT)
        assert options.stop.is_set()
        assert seen.pressed == 1
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
        assert seen.pressed == 2


@pytest.mark.parametrize("command", ["plan", "replan"])
def test_time_limit_must_be_positive_for_every_planning_command(
    tmp_path: Path, command: str
) -> None:
    """`--time-limit 0` is refused by plan and replan alike (one shared option), exit 2."""
    args = [command, "samples/zeeland.xlsx", "--out", str(tmp_path / "out"), "--time-limit", "0"]
    if command == "replan":
        args[1:1] = [str(tmp_path / "published")]
        args += ["--from", "2028-01-10"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "must be > 0 and <= 604800 seconds, got 0.0" in result.output
    assert not (tmp_path / "out").exists()
