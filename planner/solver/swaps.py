"""Swap and session moves for the relocation search.

**Swap: two meetings trade places.**

When a relay day is full (the members' daily cap, the venue's hours or
rooms), no single meeting can join it, however much that would save: a
meeting of the day must leave first. A swap takes meeting ``m`` to the day
and venue of a meeting ``q`` of another network, and ``q`` to ``m``'s day and
venue, each at a start that fits next to what stays (its old start or one
next to its members' meetings). The change in the objective is computed
exactly on the person-days, networks and sessions the two meetings touch,
and the best improving swap of each meeting is made.

**Session move: a whole session goes to another venue.** The meetings of one
(date, venue) keep their date and starts and move together to the venue,
among those every one of them may use, that lowers the objective most: the
members' travel to a relay day depends on the venue of the whole relay, which
moving one meeting at a time cannot change without first splitting it.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from planner.solver.instance import Instance, Slot
from planner.solver.state import PlanState

if TYPE_CHECKING:
    from planner.solver.construct import Builder, Work
    from planner.solver.local import Relocator

STARTS = 4
"""Starts tried per meeting and (day, venue), besides the start it takes over."""

COST_UNITS = 1
"""Work units for judging one compound move (its cost before and after, on top of the
placement tests), so that a work unit costs about the same time in every move."""


def swap_meetings(
    inst: Instance,
    state: PlanState,
    reloc: Relocator,
    builder: Builder,
    *,
    rng: random.Random,
    work: Work,
) -> int:
    """Make the best improving swap of each free meeting, in a seeded order.

    Returns the number of swaps made.
    """
    order = list(inst.free)
    rng.shuffle(order)
    made = 0
    for m in order:
        if work.exhausted:
            break
        best = _best_swap(inst, state, reloc, builder, m, work=work)
        if best is None:
            continue
        _, q, slot_m, slot_q = best
        reloc.take(m)
        reloc.take(q)
        reloc.put(m, slot_m)
        reloc.put(q, slot_q)
        made += 1
    return made


def _partners(inst: Instance, state: PlanState, reloc: Relocator, m: int) -> list[int]:
    """Meetings of other networks in the sessions (day and venue) where ``m``'s
    required members meet on other days."""
    spec = inst.meetings[m]
    here = state.at[m][0]
    allowed = set(spec.days)
    sessions = {
        (d, state.at[q][2])
        for p in spec.required
        for d in reloc.dates.get(p, {})
        if d != here and d in allowed
        for _, q in state.day_of_person(p, d)
    }
    out: list[int] = []
    for d, u in sorted(sessions):
        for _, q in state.at_venue(u, d):
            other = inst.meetings[q]
            if other.fixed or other.network == spec.network or here not in other.days:
                continue
            out.append(q)
    return out


def _best_swap(
    inst: Instance,
    state: PlanState,
    reloc: Relocator,
    builder: Builder,
    m: int,
    *,
    work: Work,
) -> tuple[int, int, Slot, Slot] | None:
    """The best improving swap of ``m`` with a meeting on a day its members meet:
    ``(gain, q, new slot of m, new slot of q)``."""
    best: tuple[int, int, Slot, Slot] | None = None
    for q in _partners(inst, state, reloc, m):
        if work.exhausted:
            break
        found = _swap(inst, state, reloc, builder, m, q=q, work=work)
        if found is not None and found[0] < 0 and (best is None or found[0] < best[0]):
            best = (found[0], q, found[1], found[2])
    return best


def _swap(
    inst: Instance,
    state: PlanState,
    reloc: Relocator,
    builder: Builder,
    m: int,
    *,
    q: int,
    work: Work,
) -> tuple[int, Slot, Slot] | None:
    """``m`` and ``q`` trade (day, venue) at the first fitting starts: the change of
    the objective and the two new slots (``None``: no fitting starts). The plan is
    left as it was."""
    sm, sq = state.at[m], state.at[q]
    if not (_allowed(inst, m, sq) and _allowed(inst, q, sm)):
        return None
    scope = reloc.scope((m, q), (sm, sq))
    work.done += COST_UNITS
    before = reloc.cost(*scope, moved={m: sm, q: sq})
    reloc.take(m)
    reloc.take(q)
    try:
        slot_m = _first_fit(inst, state, builder, m, taken=sq, work=work)
        if slot_m is None:
            return None
        reloc.put(m, slot_m)
        slot_q = _first_fit(inst, state, builder, q, taken=sm, work=work)
        if slot_q is None:
            reloc.take(m)
            return None
        reloc.put(q, slot_q)
        after = reloc.cost(*scope, moved={m: slot_m, q: slot_q})
        reloc.take(m)
        reloc.take(q)
        return after - before, slot_m, slot_q
    finally:
        reloc.put(m, sm)
        reloc.put(q, sq)


def _allowed(inst: Instance, m: int, slot: Slot) -> bool:
    """Whether ``m``'s domain holds ``slot``'s day at its venue."""
    spec = inst.meetings[m]
    d, _, u = slot
    return u in spec.venues and d in spec.venue_days[spec.venues.index(u)]


def _first_fit(
    inst: Instance, state: PlanState, builder: Builder, m: int, *, taken: Slot, work: Work
) -> Slot | None:
    """The first fitting start of ``m`` on ``taken``'s day and venue: the start it
    takes over, then those next to its members' meetings."""
    d, t0, u = taken
    starts = builder.starts(m, d, u)
    allowed = set(starts)
    tries = ([t0] if t0 in allowed else []) + [t for t in starts[:STARTS] if t != t0]
    for t in tries:
        work.done += 1
        if state.fits(m, (d, t, u)):
            return (d, t, u)
    return None


def move_sessions(
    inst: Instance,
    state: PlanState,
    reloc: Relocator,
    *,
    rng: random.Random,
    work: Work,
) -> int:
    """Move each session (in a seeded order) to the venue that lowers the objective most.

    Returns the number of sessions moved.
    """
    sessions = sorted({(d, u) for m, (d, _, u) in state.at.items() if not inst.meetings[m].fixed})
    rng.shuffle(sessions)
    made = 0
    for d, u in sessions:
        if work.exhausted:
            break
        ms = [q for _, q in state.at_venue(u, d)]
        if not ms or any(inst.meetings[q].fixed for q in ms):
            continue
        best = _best_venue(inst, state, reloc, ms, work=work)
        if best is not None:
            for q in ms:
                reloc.take(q)
            for q, slot in best[1].items():
                reloc.put(q, slot)
            made += 1
    return made


def _best_venue(
    inst: Instance, state: PlanState, reloc: Relocator, ms: list[int], *, work: Work
) -> tuple[int, dict[int, Slot]] | None:
    """The best improving venue for the session of ``ms``: ``(gain, new slots)``."""
    old = {q: state.at[q] for q in ms}
    d = next(iter(old.values()))[0]
    here = next(iter(old.values()))[2]
    venues = set.intersection(
        *(
            {
                u
                for k, u in enumerate(inst.meetings[q].venues)
                if d in inst.meetings[q].venue_days[k]
            }
            for q in ms
        )
    )
    venues.discard(here)
    best: tuple[int, dict[int, Slot]] | None = None
    for u in sorted(venues):
        new = {q: (d, t, u) for q, (_, t, _) in old.items()}
        if any(t not in inst.starts_at(q, d, u) for q, (_, t, _) in new.items()):
            continue
        work.done += len(ms) + COST_UNITS
        scope = reloc.scope(ms, [*old.values(), *new.values()])
        before = reloc.cost(*scope, moved=old)
        for q in ms:
            reloc.take(q)
        placed: list[int] = []
        for q in ms:
            if not state.fits(q, new[q]):
                break
            reloc.put(q, new[q])
            placed.append(q)
        if len(placed) == len(ms):
            gain = reloc.cost(*scope, moved=new) - before
            if gain < 0 and (best is None or gain < best[0]):
                best = (gain, new)
        for q in placed:
            reloc.take(q)
        for q in ms:
            reloc.put(q, old[q])
    return best
