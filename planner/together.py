"""Relay wishes (contract v1.1, table ``together``): which sessions hold a wish.

A *session* is one (date, venue) pair of a schedule. A session *holds* a
wish when every network the wish lists has a meeting there; with ``order``,
the first meeting (by start, then end) of each listed network there starts
at or after the end of the previous listed network's first meeting there.

The checker (:mod:`planner.check`) takes ``together_met`` and the hard kind
``together`` from here; the planner may use :func:`together_short` for its
soft goal (see :class:`planner.weights.Weights`).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from planner.problem import Problem, Together
from planner.schedule import ScheduledMeeting

__all__ = ["held_counts", "holds", "sessions_holding", "together_met", "together_short"]


def _sessions(
    meetings: Iterable[ScheduledMeeting],
) -> dict[tuple[date, str], list[ScheduledMeeting]]:
    out: dict[tuple[date, str], list[ScheduledMeeting]] = defaultdict(list)
    for m in meetings:
        out[(m.date, m.venue)].append(m)
    return out


def holds(wish: Together, session: Sequence[ScheduledMeeting]) -> bool:
    """Whether one session's meetings hold a wish.

    Parameters
    ----------
    wish
        The relay wish.
    session
        The meetings of one (date, venue) pair.

    Returns
    -------
    bool
        Every listed network has a meeting in ``session``; with ``order``,
        each listed network's first meeting starts at or after the end of the
        previous listed network's first meeting.
    """
    first: dict[str, ScheduledMeeting] = {}
    for m in sorted(session, key=lambda m: (m.start, m.end)):
        first.setdefault(m.network, m)
    if any(n not in first for n in wish.networks):
        return False
    if not wish.order:
        return True
    chain = [first[n] for n in wish.networks]
    return all(b.start >= a.end for a, b in itertools.pairwise(chain))


def sessions_holding(
    wish: Together, meetings: Iterable[ScheduledMeeting]
) -> tuple[tuple[date, str], ...]:
    """The sessions (date, venue), sorted, whose meetings hold ``wish``."""
    return tuple(
        key for key, session in sorted(_sessions(meetings).items()) if holds(wish, session)
    )


def held_counts(problem: Problem, meetings: Iterable[ScheduledMeeting]) -> tuple[int, ...]:
    """Per wish of ``problem.together`` (in file order), the number of sessions holding it."""
    sessions = sorted(_sessions(meetings).items())
    return tuple(sum(1 for _key, s in sessions if holds(w, s)) for w in problem.together)


def together_met(problem: Problem, meetings: Iterable[ScheduledMeeting]) -> int:
    """Figure ``together_met``: the wishes held by at least ``times`` sessions."""
    counts = held_counts(problem, meetings)
    return sum(1 for w, k in zip(problem.together, counts, strict=True) if k >= w.times)


def together_short(problem: Problem, meetings: Iterable[ScheduledMeeting]) -> int:
    """Objective term: over soft wishes, the sessions each lacks, ``max(0, times - held)``."""
    counts = held_counts(problem, meetings)
    return sum(
        max(0, w.times - k) for w, k in zip(problem.together, counts, strict=True) if not w.hard
    )
