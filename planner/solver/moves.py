"""Compound moves for the relocation search: a whole network re-planned at once.

A network's meetings fall on different days (its least gap is at least one
day), so with the rest of the plan kept, the cost of each of its meetings
depends only on its own (day, venue, start): the person-days it joins. The
best dates for all of them together are then a shortest path over (rank,
day) with the network's least gap between ranks (:func:`_chain`). This
moves a whole network onto the days its members meet anyway in one step,
which single-meeting moves cannot do when the network's order and gap
block every meeting on its own. The result is judged exactly (person-days,
the network's terms, its relay wishes) and kept only when it is better.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.solver.evaluate import SCALE
from planner.solver.instance import Instance, Slot
from planner.solver.state import PlanState

if TYPE_CHECKING:
    from planner.solver.construct import Builder, Work
    from planner.solver.local import Relocator

NEAR_EMPTY = 6
"""Days nearest to each meeting's even point tried even when no member meets there."""

STARTS = 4
"""Starts tried per (day, venue): next to the members' meetings first."""

WINDOW = 35
"""Days either side of a shaken meeting within which its linked meetings are revisited."""

Costs = dict[int, tuple[int, Slot]]
"""Per day: the cheapest insertion cost and its slot."""


def replan_networks(
    inst: Instance,
    state: PlanState,
    reloc: Relocator,
    builder: Builder,
    *,
    rng: random.Random,
    work: Work,
    networks: Sequence[str] | None = None,
) -> int:
    """Re-plan each network (in a seeded order) whose new dates lower the objective.

    Returns the number of networks moved.
    """
    order = sorted(networks if networks is not None else inst.by_network)
    rng.shuffle(order)
    made = 0
    for network in order:
        if work.exhausted:
            break
        made += replan_network(inst, state, reloc, builder, network, work=work)
    return made


def replan_network(
    inst: Instance,
    state: PlanState,
    reloc: Relocator,
    builder: Builder,
    network: str,
    *,
    work: Work,
) -> bool:
    """Take the network's free meetings out, put them back on the cheapest chain of
    days; keep the change only when the exact objective drops."""
    ms = sorted(
        (m for m in inst.by_network[network] if not inst.meetings[m].fixed and m in state.at),
        key=lambda m: inst.meetings[m].order,
    )
    if not ms:
        return False
    old = {m: state.at[m] for m in ms}
    before = reloc._network(network, state.at) + reloc._wishes(network, state.at)
    for m in ms:
        state.remove(m)
        reloc._drop(m, old[m][0])
    before += sum(_insert_cost(inst, state, reloc, m, old[m]) for m in ms)
    costs = _day_costs(inst, state, reloc, builder, ms, old=old, work=work)
    chain = _chain(inst, builder, ms, costs)
    if chain is None or all(chain[m] == old[m] for m in ms):
        _put(state, reloc, old)
        return False
    after = sum(_insert_cost(inst, state, reloc, m, chain[m]) for m in ms)
    if not _put(state, reloc, chain):
        _take(state, reloc, chain)
        _put(state, reloc, old)
        return False
    after += reloc._network(network, state.at) + reloc._wishes(network, state.at)
    if after < before:
        return True
    _take(state, reloc, chain)
    _put(state, reloc, old)
    return False


def _put(state: PlanState, reloc: Relocator, slots: dict[int, Slot]) -> bool:
    """Place each meeting that fits; ``False`` (with the rest placed) when one does not."""
    ok = True
    for m, slot in slots.items():
        if state.fits(m, slot):
            state.place(m, slot)
            reloc._add(m, slot[0])
        else:
            ok = False
    return ok


def _take(state: PlanState, reloc: Relocator, slots: dict[int, Slot]) -> None:
    for m in slots:
        if m in state.at:
            d = state.remove(m)[0]
            reloc._drop(m, d)


def _insert_cost(inst: Instance, state: PlanState, reloc: Relocator, m: int, slot: Slot) -> int:
    """Change of the person-day and session terms when ``m`` (not placed) goes to ``slot``."""
    d, _, u = slot
    at = state.at
    spec = inst.meetings[m]
    cost = 0
    at[m] = slot
    try:
        for p in spec.required + spec.optional:
            ms = reloc.days.get((p, d), set())
            cost += reloc._person_day(p, ms | {m}, at) - reloc.day_cost(p, d)
    finally:
        del at[m]
    w = reloc.w
    if w.venue_cost and not state.at_venue(u, d):
        cost += round(SCALE * w.venue_cost * inst.problem.venue_by_id[u].cost)
    return cost


def _day_costs(
    inst: Instance,
    state: PlanState,
    reloc: Relocator,
    builder: Builder,
    ms: list[int],
    *,
    old: dict[int, Slot],
    work: Work,
) -> Costs:
    """Cheapest insertion per candidate day: days the members meet, the old days and
    the days nearest each meeting's even point."""
    m0 = ms[0]
    spec = inst.meetings[m0]
    allowed: set[int] = set()
    for m in ms:
        allowed.update(inst.meetings[m].days)
    days = {d for p in spec.required for d in reloc.dates.get(p, {})} & allowed
    days.update(slot[0] for slot in old.values())
    for m in ms:
        target = builder.target(m)
        near = sorted(inst.meetings[m].days, key=lambda d: (abs(d - target), d))
        days.update(near[:NEAR_EMPTY])
    near_venues = set(inst.nearest_venues[spec.network])
    olds = {(slot[0], slot[2]): slot for slot in old.values()}
    out: Costs = {}
    for d in sorted(days):
        venues = set(near_venues)
        for p in spec.required:
            venues.update(state.at[q][2] for _, q in state.day_of_person(p, d))
        best: tuple[int, Slot] | None = None
        m = next(q for q in ms if d in inst.meetings[q].days)
        own = inst.meetings[m]
        for k, u in enumerate(own.venues):
            if d not in own.venue_days[k] or (u not in venues and (d, u) not in olds):
                continue
            starts = builder.starts(m, d, u)[:STARTS]
            if (d, u) in olds and olds[(d, u)][1] not in starts:
                starts.append(olds[(d, u)][1])
            for t in starts:
                work.done += 1
                slot = (d, t, u)
                if not state.fits(m, slot):
                    continue
                c = _insert_cost(inst, state, reloc, m, slot)
                if best is None or c < best[0]:
                    best = (c, slot)
        if best is not None:
            out[d] = best
    return out


def _chain(inst: Instance, builder: Builder, ms: list[int], costs: Costs) -> dict[int, Slot] | None:
    """The cheapest days for the meetings in order, at least the network's gap apart
    (insertion cost plus the spread from each even point)."""
    network = inst.meetings[ms[0]].network
    # one meeting a date here even at min_gap_days 0: a heuristic, the other steps may pair them
    gap = max(inst.problem.network_by_id[network].min_gap_days, 1)
    w_spread = SCALE * inst.problem.settings.weights.spread_days
    days = sorted(costs)
    prev: dict[int, tuple[int, int | None]] = {}
    layers: list[dict[int, tuple[int, int | None]]] = []
    for r, m in enumerate(ms):
        spec = inst.meetings[m]
        allowed = set(spec.days)
        target = builder.target(m)
        layer: dict[int, tuple[int, int | None]] = {}
        best: tuple[int, int | None] | None = None
        j = 0
        prev_days = sorted(prev)
        for d in days:
            while r and j < len(prev_days) and prev_days[j] <= d - gap:
                v = prev[prev_days[j]][0]
                if best is None or v < best[0]:
                    best = (v, prev_days[j])
                j += 1
            if d not in allowed or (r and best is None):
                continue
            base = best[0] if (r and best is not None) else 0
            here = costs[d][0] + w_spread * abs(d - target) + base
            layer[d] = (here, best[1] if r and best is not None else None)
        if not layer:
            return None
        layers.append(layer)
        prev = layer
    end = min(prev, key=lambda d: (prev[d][0], d))
    out: dict[int, Slot] = {}
    day: int | None = end
    for r in range(len(ms) - 1, -1, -1):
        assert day is not None
        out[ms[r]] = costs[day][1]
        day = layers[r][day][1]
    return out


def descend_around(
    inst: Instance,
    state: PlanState,
    seeds: Sequence[int],
    *,
    rng: random.Random,
    work: Work,
    days: Sequence[int] = (),
    limit: int = 80,
) -> int:
    """Improving relocations of the meetings around ``seeds`` only (a work queue:
    a meeting that moves puts its linked meetings and network back in the queue),
    then the shaken members' days (``days`` and the seeds' new days) emptied where
    that pays. Returns the moves made.

    After a small shake most of the plan is still at a local optimum, so this
    costs a small part of a full descent and lets many more shakes run.
    """
    from planner.solver.construct import Builder
    from planner.solver.local import Relocator, _best_move, _empty_days

    reloc = Relocator(inst, state)
    builder = Builder(inst, state, None)
    queue = _around(inst, state, seeds)
    rng.shuffle(queue)
    queued = set(queue)
    moves = pops = 0
    while queue and pops < limit and not work.exhausted:
        m = queue.pop(0)
        queued.discard(m)
        pops += 1
        best = _best_move(inst, state, reloc, builder, m, work=work)
        if best is None:
            continue
        reloc.move(m, best[1])
        moves += 1
        for q in _around(inst, state, [m]):
            if q not in queued:
                queued.add(q)
                queue.append(q)
    only = sorted(
        {(p, d) for m in seeds for p in inst.meetings[m].required for d in (*days, state.at[m][0])}
    )
    moves += _empty_days(inst, state, reloc, builder, rng=rng, work=work, only=only)
    return moves


def _around(inst: Instance, state: PlanState, seeds: Sequence[int]) -> list[int]:
    """The free meetings linked to ``seeds`` (shared members) or of their networks,
    within ``WINDOW`` days of them."""
    out: set[int] = set()
    at = state.at
    for m in seeds:
        d = at[m][0]
        out.add(m)
        for q in (*inst.linked[m], *inst.by_network[inst.meetings[m].network]):
            if abs(at[q][0] - d) <= WINDOW:
                out.add(q)
    return sorted(q for q in out if not inst.meetings[q].fixed)
