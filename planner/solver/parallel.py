"""Work beside the search on a second core, with the same plans as without.

The search itself is Python and runs on one core; CP-SAT releases Python's
lock while it solves, so a CP-SAT model can be solved on a thread while the
main thread goes on. Two places gain from that at province and country size
(measured in BENCHMARKS.md, session 25):

* the day-type start (:mod:`planner.solver.daytypes`) runs beside the
  first construction, which it does not depend on. Both are largely Python,
  which on two threads would wait for each other's lock (measured: no gain
  on partial-national), so on Linux it runs in a forked child process
  (:class:`Forked`), elsewhere on a thread (:class:`Beside`);
* the day timing builds the next part's model while the current part's
  model is solved (:func:`pipeline`).

Both give exactly the plans of the sequential order: what runs beside is
what would run next anyway, from the same inputs, and its result is taken
(or dropped, with its work uncounted) at the point where the sequential
search would have made it. ``SolveOptions.workers`` of 1 turns both off.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
import traceback
import warnings
from collections import deque
from collections.abc import Callable, Iterable
from functools import partial
from typing import Generic, TypeVar

T = TypeVar("T")
P = TypeVar("P")
R = TypeVar("R")

POLL = 0.05
"""Seconds between looks at the user's stop event while waiting for a result."""


class Beside(Generic[T]):
    """``job(cancel)`` started on a daemon thread; :meth:`result` waits for it.

    ``job`` should look at its ``cancel`` event between steps: it is set when
    the result is no longer wanted (:meth:`cancel`) or when the user stops
    the search while the main thread waits (:meth:`result`).
    """

    def __init__(self, job: Callable[[threading.Event], T]) -> None:
        self.cancelled = threading.Event()
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = job(self.cancelled)
            except BaseException as exc:  # handed to the waiting thread
                self._error = exc
            finally:
                self._done.set()

        self._thread = threading.Thread(target=run, name="dakpan-beside", daemon=True)
        self._thread.start()

    def result(self, stop: threading.Event | None = None) -> T:
        """The job's value (its exception raised here); a set ``stop`` cancels it."""
        while not self._done.wait(POLL):
            if stop is not None and stop.is_set():
                self.cancelled.set()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    def cancel(self) -> None:
        """Say the result is no longer wanted (the thread ends at its next look)."""
        self.cancelled.set()


class ChildLostError(RuntimeError):
    """The child process ended without sending a result (killed, e.g. out of memory)."""


class Forked(Generic[T]):
    """``job()`` in a forked child process; :meth:`result` waits for its value.

    The child is a copy of this process (nothing is pickled but the value it
    sends back), ignores Ctrl-C (the parent stops it) and is killed when its
    result is no longer wanted: :meth:`cancel`, or the user's stop while the
    parent waits, which then returns ``cancelled``.
    """

    def __init__(self, job: Callable[[], T], cancelled: T) -> None:
        ctx = multiprocessing.get_context("fork")
        self._cancelled = cancelled
        self._recv, send = ctx.Pipe(duplex=False)
        sys.stdout.flush()  # or the child flushes the parent's buffered output again
        sys.stderr.flush()
        self._proc = ctx.Process(target=_child, args=(job, send), daemon=True)
        with warnings.catch_warnings():
            # Python 3.12+ warns of forking a process with threads (e.g. a live display):
            # the child takes no lock they hold (it prints nothing, reads no input)
            warnings.filterwarnings("ignore", ".*fork", DeprecationWarning)
            self._proc.start()
        send.close()

    def result(self, stop: threading.Event | None = None) -> T:
        """The job's value (its failure raised here as ``RuntimeError``; :class:`ChildLostError`
        when the child died without a word)."""
        while not self._recv.poll(POLL):
            if stop is not None and stop.is_set():
                self.cancel()
                return self._cancelled
        try:
            ok, value = self._recv.recv()
        except EOFError:  # the child's end closed without a word: it died
            self._proc.join()
            code = self._proc.exitcode
            raise ChildLostError(
                f"the work beside the search ended without a result (exit code {code})"
            ) from None
        finally:
            self._recv.close()
        self._proc.join()
        if not ok:
            raise RuntimeError(f"the work beside the search failed:\n{value}")
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child if it still runs."""
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._recv.close()


def _child(job: Callable[[], object], send: multiprocessing.connection.Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        send.send((True, job()))
    except BaseException:
        send.send((False, traceback.format_exc()))


def beside(job: Callable[[threading.Event | None], T], cancelled: T) -> Forked[T] | Beside[T]:
    """``job`` beside the search: in a forked child on Linux (``job(None)``), else on a
    thread (``job(cancel)``)."""
    if sys.platform.startswith("linux"):
        return Forked(partial(job, None), cancelled)
    return Beside(job)


def _ignore_cancel(solve: Callable[[P], R], ready: P, _cancel: threading.Event) -> R:
    return solve(ready)


def pipeline(
    items: Iterable[T],
    prepare: Callable[[T], P],
    solve: Callable[[P], R],
    settle: Callable[[T, P, R], None],
    go_on: Callable[[], bool],
    *,
    beside: bool,
) -> None:
    """For each item in order while ``go_on()``: ``prepare`` it (main thread),
    ``solve`` it and ``settle`` its result (main thread).

    With ``beside``, item k+1 is prepared and its ``solve`` started on a
    second thread before item k is settled; a solved item whose turn never
    comes (``go_on()`` said no) is dropped unsettled. That equals the
    sequential order exactly when preparing an item does not read what
    settling the items before it changes.
    """
    if not beside:
        for item in items:
            if not go_on():
                return
            ready = prepare(item)
            settle(item, ready, solve(ready))
        return
    queue: deque[tuple[T, P, Beside[R]]] = deque()
    todo = deque(items)
    try:
        while True:
            while todo and len(queue) < 2:
                nxt = todo.popleft()
                ready = prepare(nxt)
                queue.append((nxt, ready, Beside(partial(_ignore_cancel, solve, ready))))
            if not queue or not go_on():
                return
            item, ready, job = queue.popleft()
            settle(item, ready, job.result())
    finally:
        for _, _, job in queue:
            job.cancel()
