"""Proofs that a hard relay wish cannot be held, from its own networks alone.

A session holds a wish when every listed network meets at one venue on one
date (with ``order``: one after another in the listed order). Looking only at
the wish's networks, that needs, in turn:

1. no required member in more of its networks than ``max_meetings_per_day``;
2. a venue every network may use that seats each network's members;
3. at such a venue, start times on the slot grid within each network's
   window and the venue's hours, with ``changeover`` minutes between two
   meetings that share a required member (``travel_gap``, same venue) or
   share a one-room venue (``rooms``);
4. enough dates on which all networks may meet there (weekdays, holidays,
   closures, required members' unavailable dates), at each network's
   ``min_gap_days``, for ``times`` sessions.

Each test leaves out everything else (other networks, partial-day
unavailability, rooms beyond one), so a wish that fails one cannot be held
in any schedule: a proof, named in the coordinator's terms.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import date

from planner.calendar import horizon, max_meetings_possible, network_day_allowed, venue_open_on
from planner.problem import Network, Problem, Together, Venue, fmt_time

MAX_ORDERS = 720
"""Unordered wishes of up to six networks try every order at a venue; larger ones skip test 3."""


@dataclass(frozen=True, slots=True)
class _Run:
    """The earliest back-to-back run of a wish's meetings at one venue, in one order."""

    venue: Venue
    order: tuple[Network, ...]
    starts: tuple[int, ...]
    late: int  # minutes the worst meeting ends after its own limit (<= 0: it fits)


def must_follow(problem: Problem, first: str, then: str, venue: Venue) -> bool:
    """Whether a meeting of ``then`` that starts after one of ``first`` at ``venue`` on the
    same date must wait ``changeover`` minutes after its end: the two networks share a
    required member (the travel gap at one venue) or the venue has one room (it stays
    occupied that long). The model's ordered sessions use the same rule."""
    shared = set(problem.required_members(first)) & set(problem.required_members(then))
    return bool(shared) or venue.rooms == 1


def wish_faults(problem: Problem) -> list[str]:
    """Reasons why hard relay wishes cannot be held, one line per wish that cannot."""
    out = []
    for wish in problem.together:
        if wish.hard:
            text = _wish_fault(problem, wish)
            if text:
                out.append(text)
    return out


def wish_label(wish: Together) -> str:
    """The wish as coordinators read it: networks, kind, times and order."""
    order = ", in this order" if wish.order else ""
    return f"The relay wish {' + '.join(wish.networks)} (hard, {wish.times} time(s){order})"


def _wish_fault(problem: Problem, wish: Together) -> str | None:
    nets = [problem.network_by_id[n] for n in wish.networks]
    label = wish_label(wish)
    fault = _daily_cap(problem, nets)
    if fault:
        return f"{label} cannot be held: {fault}"
    venues = [
        v
        for v in problem.venues
        if all(v.id in n.venues and v.capacity >= len(problem.members(n.id)) for n in nets)
    ]
    if not venues:
        return (
            f"{label} cannot be held: no venue is allowed for all of its networks with seats "
            "for each network's members. Allow a common venue (network venues) or make the "
            "wish soft (hard = no)."
        )
    runs = [_best_run(problem, nets, v, wish.order) for v in venues]
    fitting = [r.venue for r in runs if r.late <= 0]
    if not fitting:
        worst = min(runs, key=_worst)
        return f"{label} cannot be held: {_timing_text(problem, worst, wish.order)}"
    dates = _common_dates(problem, nets, fitting)
    most = min(
        min(n.meetings, max_meetings_possible(dates, n.min_gap_days, wanted=n.meetings))
        for n in nets
    )
    if most >= wish.times:
        return None
    return (
        f"{label} cannot be held {wish.times} time(s): its networks can all meet at a common "
        f"venue on only {len(dates)} date(s) (weekdays, holidays, venue closures, required "
        f"members' unavailable dates), room for {most} session(s) at their meetings and least "
        "gaps. Lower times, allow more weekdays or venues, or make the wish soft (hard = no)."
    )


def _worst(run: _Run) -> tuple[int, str]:
    return (run.late, run.venue.id)


def _daily_cap(problem: Problem, nets: list[Network]) -> str | None:
    cap = problem.settings.max_meetings_per_day
    counts = Counter(p for n in nets for p in set(problem.required_members(n.id)))
    over = sorted(p for p, c in counts.items() if c > cap)
    if not over:
        return None
    return (
        f"{over[0]} is a required member of {counts[over[0]]} of its networks but may have "
        f"at most {cap} meetings a day (max_meetings_per_day). Raise the cap, make the "
        "membership optional, or make the wish soft (hard = no)."
    )


def _common_dates(problem: Problem, nets: list[Network], venues: list[Venue]) -> tuple[date, ...]:
    """Dates on which every network may meet (or has a fixed meeting) and a venue is open."""
    fixed = {n.id: {f.date for f in problem.fixed_of(n.id)} for n in nets}
    return tuple(
        day
        for day in horizon(problem.settings)
        if any(venue_open_on(v, day) for v in venues)
        and all(day in fixed[n.id] or network_day_allowed(problem, n, day) for n in nets)
    )


def _best_run(problem: Problem, nets: list[Network], venue: Venue, ordered: bool) -> _Run:
    """The run at ``venue`` that ends least late: the listed order, or the best of all orders.

    Each meeting starts at the first grid time at or after its own earliest
    start (window and venue hours) and every earlier meeting it must follow:
    with ``order`` the previous one's end, and any earlier one it conflicts
    with (a shared required member, or a one-room venue) plus ``changeover``.
    For a fixed order the earliest starts are the best possible, so a run
    that ends late proves no schedule of that order fits; without ``order``
    every order is tried (any schedule's order of starts is one of them).
    """
    if ordered:
        return _run(problem, tuple(nets), venue, ordered=True)
    if len(nets) > 6:
        return _Run(venue, tuple(nets), (), 0)
    best: _Run | None = None
    for perm in itertools.islice(itertools.permutations(nets), MAX_ORDERS):
        run = _run(problem, perm, venue, ordered=False)
        if best is None or run.late < best.late:
            best = run
        if run.late <= 0:
            break
    assert best is not None
    return best


def _run(problem: Problem, order: tuple[Network, ...], venue: Venue, *, ordered: bool) -> _Run:
    s = problem.settings
    starts: list[int] = []
    late = -(10**9)
    for j, net in enumerate(order):
        start = max(net.earliest, venue.open)
        for i in range(j):
            end = starts[i] + order[i].duration
            if ordered and i == j - 1:
                start = max(start, end)
            if must_follow(problem, order[i].id, net.id, venue):
                start = max(start, end + s.changeover)
        start = s.day_start + -(-(start - s.day_start) // s.slot) * s.slot
        starts.append(start)
        late = max(late, start + net.duration - min(net.latest, venue.close))
    return _Run(venue, order, tuple(starts), late)


def _timing_text(problem: Problem, run: _Run, ordered: bool) -> str:
    """Why the least-late run does not fit, with its times."""
    co = problem.settings.changeover
    parts = ", then ".join(
        f"{n.id} {fmt_time(t)}-{fmt_time(t + n.duration)}"
        for n, t in zip(run.order, run.starts, strict=True)
    )
    limits = "; ".join(
        f"{n.id} must end by {fmt_time(min(n.latest, run.venue.close))}"
        for n, t in zip(run.order, run.starts, strict=True)
        if t + n.duration > min(n.latest, run.venue.close)
    )
    where = "in the listed order" if ordered else "in the best order"
    return (
        f"its meetings do not fit one after another within the day at any common venue. "
        f"At {run.venue.id}, the closest to fitting, {where} they run at the earliest {parts} "
        f"(earliest starts, venue hours, {co} minutes changeover between meetings that share "
        f"a member or a one-room venue) but {limits}: {run.late} minutes too late. Widen the "
        "networks' time windows or the venue hours, shorten a meeting, or make the wish soft "
        "(hard = no)."
    )
