"""What every command shares for safety: output checks, option limits, Ctrl-C, internal errors.

- :func:`check_output` runs before any long work: it repairs what an
  interrupted earlier run left beside the output folder (and says so), and
  refuses an output folder that dakpan may not replace (exit 2).
- :func:`time_limit_option` validates ``--time-limit`` (finite, > 0, at most
  a week); ``--seed`` uses :data:`SEED_RANGE`.
- :func:`stop_on_sigint` is the Ctrl-C handler, installed only while the
  planner runs.
- :func:`guarded` wraps every command: an unexpected exception ends with exit
  code 3, one short message and the path of a log file with the traceback,
  never a raw traceback.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, TypeVar

import typer

from planner import __version__
from planner.outdir import CalendarFiles, folder_problem, recover
from planner.safety import MAX_SEED, MAX_TIME_LIMIT, printable
from planner.solver import SolveOptions

#: Exit code when the output cannot be written (or the input not read).
EXIT_INPUT = 2
#: Exit code of an internal error (a bug): a short message and a log file.
EXIT_INTERNAL = 3
#: Exit code after Ctrl-C when nothing was written.
EXIT_INTERRUPTED = 130
#: Environment variable naming the folder for internal-error logs (default: the temp folder).
LOG_DIR_VARIABLE = "DAKPAN_LOG_DIR"
#: ``--seed`` range (CP-SAT takes a 32-bit signed seed).
SEED_RANGE: dict[str, int] = {"min": 0, "max": MAX_SEED}

F = TypeVar("F", bound=Callable[..., Any])

#: Exceptions that end a command on purpose (an exit code, a usage error): passed on as they are.
_DELIBERATE: tuple[type[BaseException], ...] = (
    typer.Exit,
    typer.Abort,
    *(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"),
)


def echo_err(text: str) -> None:
    """Print one line on standard error, control characters made visible."""
    typer.echo(printable(text), err=True)


# ------------------------------------------------------------------ output
def check_output(out: Path, kind: str = "plan") -> None:
    """Repair leftovers of an interrupted run at ``out``, then refuse an unusable ``out``.

    Parameters
    ----------
    out
        The output folder of ``plan``, ``baseline`` or ``export-ics``.
    kind
        ``"plan"`` or ``"ics"``.

    Raises
    ------
    typer.Exit
        With :data:`EXIT_INPUT` when ``out`` is not a folder dakpan may
        write (the reason on standard error), before any work is done.
    """
    owned = CalendarFiles() if kind == "ics" else None
    notes = recover(out) if owned is None else recover(out, owned=owned)
    for note in notes:
        echo_err(f"note: {note}")
    why = folder_problem(out, kind)
    if why is not None:
        echo_err(why)
        raise typer.Exit(EXIT_INPUT)


# ------------------------------------------------------------------ options
def time_limit_option(value: float | None) -> float | None:
    """Typer callback of ``--time-limit``: finite, > 0 and at most a week."""
    if value is None:
        return None
    if not math.isfinite(value) or not 0 < value <= MAX_TIME_LIMIT:
        raise typer.BadParameter(f"must be > 0 and <= {MAX_TIME_LIMIT:g} seconds, got {value!r}")
    return value


TimeLimitOption = Annotated[
    float | None,
    typer.Option(
        "--time-limit",
        help="Solver seconds (default: the time_limit setting).",
        show_default=False,
        callback=time_limit_option,
    ),
]
"""The ``--time-limit`` option of every command that plans."""


# ------------------------------------------------------------------ Ctrl-C
@dataclasses.dataclass(slots=True)
class Interrupt:
    """Whether Ctrl-C came while planning (set by the handler of :func:`stop_on_sigint`)."""

    pressed: int = 0


def _stop_field() -> str | None:
    names = {f.name for f in dataclasses.fields(SolveOptions)}
    return "stop" if "stop" in names else None


@contextmanager
def stop_on_sigint(options: SolveOptions) -> Iterator[tuple[SolveOptions, Interrupt]]:
    """Install the Ctrl-C handler for the duration of a solve.

    When :class:`~planner.solver.SolveOptions` has a ``stop`` event, the
    first Ctrl-C sets it (the planner stops and returns its best plan) and
    a second one raises :class:`KeyboardInterrupt`. Without it (the planner
    as it is now) Ctrl-C raises :class:`KeyboardInterrupt` in the main
    thread, which the planner catches in its search loops to return its
    best plan. Outside the main thread nothing is installed.

    Yields
    ------
    tuple[SolveOptions, Interrupt]
        The options to solve with and the record of Ctrl-C presses.
    """
    seen = Interrupt()
    if threading.current_thread() is not threading.main_thread():
        yield options, seen
        return
    field = _stop_field()
    event = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        seen.pressed += 1
        event.set()
        if field is None or seen.pressed > 1:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        if field is not None:
            extra: dict[str, Any] = {field: event}
            options = dataclasses.replace(options, **extra)
        yield options, seen
    finally:
        signal.signal(signal.SIGINT, previous)


# ------------------------------------------------------------------ errors
def _log_dir() -> Path:
    folder = os.environ.get(LOG_DIR_VARIABLE)
    return Path(folder) if folder else Path(tempfile.gettempdir())


def write_error_log(exc: BaseException) -> Path | None:
    """Write the traceback of an internal error to a new log file; its path (``None`` if none)."""
    text = f"dakpan {__version__}\ncommand: {' '.join(map(repr, sys.argv))}\n\n" + "".join(
        traceback.format_exception(exc)
    )
    try:
        folder = _log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="dakpan-error-", suffix=".log", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError:
        return None
    return Path(name)


def guarded(command: F) -> F:
    """Wrap a command: Ctrl-C gives exit 130, an unexpected exception exit 3 and a log file."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except _DELIBERATE:
            raise
        except KeyboardInterrupt:
            echo_err("Interrupted: nothing (more) was written.")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:
            log = write_error_log(exc)
            where = f"the details are in {log}" if log else "no log file could be written"
            first = (str(exc).splitlines() or [""])[0][:200]
            echo_err(f"internal error: {type(exc).__name__}: {first}")
            echo_err(f"This is a bug in dakpan; {where}. Please report it with that file.")
            raise typer.Exit(EXIT_INTERNAL) from None

    return run  # type: ignore[return-value]
