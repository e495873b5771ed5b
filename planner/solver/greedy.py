"""A quick greedy plan that the CP-SAT search starts from.

Meetings are placed round by round (every network's first meeting, then every
second one, ...), networks with the most shared members first. Each meeting
takes the (day, venue, start) that adds the least weighted cost: a member
whose day already has a session at that venue travels nothing extra and only
waits; otherwise the member makes a new round trip. Every rule of the model
is respected (including its policies), so a complete greedy plan is a valid
hint; a meeting that finds no place is left out and the search places it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from planner.solver.instance import Instance
from planner.solver.objective import SCALE

Slot = tuple[int, int, str]
"""``(day, start, venue)``."""


@dataclass
class _State:
    """What has been placed so far."""

    group_day: dict[tuple[int, int], str] = field(default_factory=dict)
    group_busy: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict)
    venue_busy: dict[tuple[str, int], list[tuple[int, int]]] = field(default_factory=dict)
    chosen: dict[int, Slot] = field(default_factory=dict)
    work: int = 0
    """Candidate start times examined: a machine-independent measure of effort."""


def greedy_with_work(
    inst: Instance, rng: random.Random | None = None
) -> tuple[dict[int, Slot], int]:
    """Place as many meetings as possible.

    Returns ``{meeting index: (day, start, venue)}`` and the work done (start
    times examined, counted per member group: a machine-independent measure).
    With ``rng``, networks of equal rank are taken in a random order, and each
    round's order is perturbed (for multi-start).
    """
    problem = inst.problem
    s = problem.settings
    w = s.weights
    co = s.changeover
    cap = s.max_meetings_per_day
    groups_of: dict[int, list[int]] = {}
    for g, group in enumerate(inst.groups):
        for index in group.meetings:
            groups_of.setdefault(index, []).append(g)
    state = _State()

    def place(index: int, slot: Slot) -> None:
        day, start, venue = slot
        end = start + inst.meetings[index].duration
        state.chosen[index] = slot
        for g in groups_of.get(index, []):
            state.group_day[(g, day)] = venue
            state.group_busy.setdefault((g, day), []).append((start, end + co))
        state.venue_busy.setdefault((venue, day), []).append((start, end + co))

    for spec in inst.meetings:
        if spec.fixed:
            place(spec.index, (spec.days[0], spec.starts[0], spec.venues[0]))

    shared = {
        net.id: sum(len(problem.networks_of(p)) for p in problem.required_members(net.id))
        for net in problem.networks
    }
    noise = {n.id: (rng.random() if rng is not None else 0.0) for n in problem.networks}
    networks = sorted(problem.networks, key=lambda n: (-shared[n.id] * (1 + noise[n.id]), n.id))
    rounds = max((len(ids) for ids in inst.by_network.values()), default=0)
    previous: dict[str, int] = {}
    for r in range(rounds):
        for net in networks:
            free = [i for i in inst.by_network[net.id] if not inst.meetings[i].fixed]
            if r >= len(free):
                continue
            m = inst.meetings[free[r]]
            gap = max(net.min_gap_days, 1)
            earliest = previous.get(net.id, -(10**9)) + gap
            best: tuple[int, Slot] | None = None
            for venue, vdays in zip(m.venues, m.venue_days, strict=True):
                v = problem.venue_by_id[venue]
                starts = [t for t in m.starts if t >= v.open and t + m.duration <= v.close]
                for day in sorted(vdays):
                    if day < earliest:
                        continue
                    base = 0
                    ok = True
                    for g in groups_of.get(m.index, []):
                        group = inst.groups[g]
                        at = state.group_day.get((g, day))
                        if at is None:
                            base += group.travel_m[venue] * w.travel_km
                            base += SCALE * w.trips * group.size
                        elif at != venue or len(state.group_busy[(g, day)]) >= cap:
                            ok = False
                            break
                    if not ok or (best is not None and base >= best[0]):
                        continue
                    spread = abs(day - _even_point(inst, net.id, r))
                    slot = _best_start(
                        inst,
                        state,
                        m=m.index,
                        day=day,
                        venue=venue,
                        starts=starts,
                        groups_of=groups_of,
                    )
                    if slot is None:
                        continue
                    start, idle = slot
                    cost = base + SCALE * (w.idle_minutes * idle + w.spread_days * spread)
                    if best is None or cost < best[0]:
                        best = (cost, (day, start, venue))
            if best is None:
                continue
            place(m.index, best[1])
            previous[net.id] = best[1][0]
    return state.chosen, state.work


def _even_point(inst: Instance, network: str, r: int) -> int:
    k = len(inst.by_network[network])
    return ((2 * r + 1) * inst.horizon) // (2 * k)


def _best_start(
    inst: Instance,
    state: _State,
    *,
    m: int,
    day: int,
    venue: str,
    starts: list[int],
    groups_of: dict[int, list[int]],
) -> tuple[int, int] | None:
    """Start with the least added idle time for the members, or ``None``."""
    spec = inst.meetings[m]
    co = inst.problem.settings.changeover
    rooms = inst.problem.venue_by_id[venue].rooms
    taken = state.venue_busy.get((venue, day), [])
    busy = [state.group_busy.get((g, day), []) for g in groups_of.get(m, [])]
    sizes = [inst.groups[g].size for g in groups_of.get(m, [])]
    best: tuple[int, int] | None = None
    state.work += len(starts) * (1 + len(busy))
    for t in starts:
        end = t + spec.duration + co
        if sum(1 for a, b in taken if a < end and t < b) >= rooms:
            continue
        if any(a < end and t < b for lst in busy for a, b in lst):
            continue
        idle = 0
        for lst, size in zip(busy, sizes, strict=True):
            if not lst:
                continue
            lo = min(a for a, _ in lst)
            hi = max(b - co for _, b in lst)
            covered = sum(b - co - a for a, b in lst)
            before = hi - lo - covered
            after = max(hi, t + spec.duration) - min(lo, t) - covered - spec.duration
            idle += size * (after - before)
        if best is None or idle < best[1]:
            best = (t, idle)
    return best
