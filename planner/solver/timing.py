"""Day timing: the parts of a day whose starts can be re-timed independently.

Re-timing keeps every meeting's date and venue and changes only starts. Two
meetings of one day interact only through a member they share (required or
optional: travel, waiting, clashes), the venue they share (its rooms) or
their network; so a day falls apart into *parts* linked that way, and each
part can be re-timed on its own model without changing what the best timing
of another part is. At province size a day's meetings spread over the whole
province, and one model per part is far smaller than one per day.

A part's re-timing is judged by the objective of its own meetings plus the
terms that span parts, counted over the whole plan (relay wishes: sessions
judged by the order of several networks; re-planning: a member counted once
over all their moved meetings), which are cheap to count
(:func:`part_value`): no whole-plan evaluation per part.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Mapping

from planner.solver.evaluate import HARD_WISH, SCALE, objective, optional_clashes
from planner.solver.instance import Instance, Slot, linked_groups
from planner.solver.model import Model, StepResult, build_scope, solve_built
from planner.solver.parallel import pipeline
from planner.solver.preferences import maybe_count, moved_counts
from planner.solver.state import PlanState
from planner.solver.variables import Scope
from planner.solver.wishes import shortfall

Item = tuple[int, tuple[int, ...]]
"""A day and a part of its meetings."""
Ready = tuple[tuple[int, ...], dict[int, Slot], Model]
"""A part's free meetings, their placements and the model that re-times them."""

STEP_LIMIT = 0.05
"""Deterministic seconds of one part's model (measured at XL: the same gains as with
0.5 on 80 parts, for half the work; most parts are proven optimal well within it)."""


def day_parts(inst: Instance, state: PlanState) -> list[tuple[int, tuple[int, ...]]]:
    """``(day, part)`` for the parts of linked meetings (fixed ones included) worth re-timing.

    Parts with a free meeting and something to gain (:func:`room`); single
    meetings only when a start can matter alone (members' "if need be" time
    ranges, re-planning's published starts). Ordered by what they may gain,
    most first, then by day and meetings (ascending within a part).
    """
    by_day: dict[int, list[int]] = {}
    for m, (d, _, _) in state.at.items():
        by_day.setdefault(d, []).append(m)
    alone = bool(inst.preferences.times or inst.preferences.previous)
    scored: list[tuple[int, int, tuple[int, ...]]] = []
    for d in sorted(by_day):
        for part in parts_of_day(inst, state, sorted(by_day[d])):
            free = [m for m in part if not inst.meetings[m].fixed]
            if not free or (len(part) == 1 and not alone):
                continue
            gain = room(inst, state, part)
            if gain > 0:
                scored.append((-gain, d, part))
    return [(d, part) for _, d, part in sorted(scored)]


def room(inst: Instance, state: PlanState, part: tuple[int, ...]) -> int:
    """A measure of what re-timing ``part`` may gain, 0 only when it can gain nothing.

    Counted in weight units: the idle minutes of its members' days beyond the
    changeovers their meetings need anyway (``changeover`` after each but
    the last), their long waits, a km-equivalent for every member's day at
    several venues (the order may shorten the route), optional members'
    clashes and "if need be" answers, meetings at their published date and
    venue but another start (re-planning), and ordered relay wishes with two
    or more of their networks in the part. When all are 0 every term
    re-timing can change is at its least, so the part is left as it is; parts
    are tried in descending order of this figure.
    """
    settings = inst.problem.settings
    w, co, limit = settings.weights, settings.changeover, settings.long_wait
    days: dict[str, list[tuple[int, int, str]]] = {}
    for m in part:
        _, t, u = state.at[m]
        spec = inst.meetings[m]
        for p in spec.required:
            days.setdefault(p, []).append((t, t + spec.duration, u))
    total = 0
    for rows in days.values():
        rows.sort()
        spare = sum(max(0, b[0] - a[1] - co) for a, b in itertools.pairwise(rows))
        waits = sum(b[0] - a[1] > limit for a, b in itertools.pairwise(rows))
        total += w.idle_minutes * spare + w.long_waits * waits
        total += w.travel_km * (len({u for _, _, u in rows}) > 1)
    at = {m: state.at[m] for m in part}
    total += w.optional_clashes * optional_clashes(inst, at)
    total += w.if_need_be * maybe_count(inst, at)
    previous = inst.preferences.previous
    retimed = sum(
        1
        for m, (d, t, u) in at.items()
        if (old := previous.get(m)) is not None and old[0] == d and old[2] == u and old[1] != t
    )
    total += (w.moved_meeting + w.moved_member) * retimed
    networks = {inst.meetings[m].network for m in part}
    for wish in inst.problem.together:
        if wish.order and len(networks.intersection(wish.networks)) > 1:
            total += HARD_WISH if wish.hard else w.together
    return total


def parts_of_day(inst: Instance, state: PlanState, meetings: list[int]) -> list[tuple[int, ...]]:
    """Meetings of one day (ascending) grouped by shared members, venue or network."""
    keys = [
        (
            *(("p", p) for p in inst.meetings[m].required + inst.meetings[m].optional),
            ("v", state.at[m][2]),
            ("n", inst.meetings[m].network),
        )
        for m in meetings
    ]
    return [tuple(meetings[i] for i in group) for group in linked_groups(keys)]


def part_value(inst: Instance, state: PlanState, part: tuple[int, ...]) -> int:
    """The objective of ``part``'s meetings alone, with the terms that span parts
    (relay wishes, re-planning's moves) counted over the whole plan instead.

    Differences of this value between two timings of the part equal the
    differences of the whole plan's objective: every person-day of a part's
    members on its day lies wholly inside the part, the terms that are not
    sums over person-days and meetings (spread over the year, venue cost per
    session) depend on dates and venues only, which re-timing keeps, and the
    spanning terms are counted over the whole plan.
    """
    at = {m: state.at[m] for m in part}
    return objective(inst, at) - _spanning(inst, at) + _spanning(inst, state.at)


def _spanning(inst: Instance, at: Mapping[int, Slot]) -> int:
    """The weighted terms of ``at`` that span parts: wishes' shortfalls and moves."""
    if not inst.problem.together and not inst.preferences.previous:
        return 0
    w = inst.problem.settings.weights
    soft, hard = shortfall(inst, at)
    moved, members = moved_counts(inst, at)
    return SCALE * (
        w.together * soft + HARD_WISH * hard + w.moved_meeting * moved + w.moved_member * members
    )


def retime_parts(
    inst: Instance,
    state: PlanState,
    parts: list[Item],
    *,
    seed: int,
    go_on: Callable[[float], bool],
    stop: threading.Event | None = None,
    beside: bool = False,
) -> float:
    """Re-time each ``(day, part)`` in order, in ``state`` (in place), keeping dates and
    venues, where CP-SAT finds starts that lower :func:`part_value`, while ``go_on(spent)``;
    returns the deterministic seconds spent.

    The state is changed in place (no copy of the whole plan: at province size a copy
    costs more than the model). With ``beside`` the next part's model is built while
    this one is solved (:func:`planner.solver.parallel.pipeline`): the same plans, since
    a part's model reads nothing another part's timing changes, except the terms that
    span parts (relay wishes, re-planning's moves), so then it is not used.
    """
    spent = 0.0

    def prepare(item: Item) -> Ready:
        day, part = item
        free = tuple(m for m in part if not inst.meetings[m].fixed)
        old = {m: state.remove(m) for m in free}
        built = build_scope(inst, state, Scope(free, {m: ((day, old[m][2]),) for m in free}), old)
        for m in free:
            state.place(m, old[m])
        return free, old, built

    def solve(ready: Ready) -> tuple[StepResult, float]:
        return solve_built(ready[2], seed=seed, det_limit=STEP_LIMIT, wall_limit=5.0, stop=stop)

    def settle(item: Item, ready: Ready, solved: tuple[StepResult, float]) -> None:
        nonlocal spent
        free, old, _ = ready
        result, cost = solved
        spent += cost
        if result.placed is None or result.placed == old:  # nothing to try
            return
        before = part_value(inst, state, item[1])
        _move(state, free, result.placed)
        if part_value(inst, state, item[1]) >= before:
            _move(state, free, old)

    spans = bool(inst.problem.together or inst.preferences.previous)
    pipeline(parts, prepare, solve, settle, lambda: go_on(spent), beside=beside and not spans)
    return spent


def _move(state: PlanState, meetings: tuple[int, ...], to: Mapping[int, Slot]) -> None:
    for m in meetings:
        state.remove(m)
    for m in meetings:
        state.place(m, to[m])
