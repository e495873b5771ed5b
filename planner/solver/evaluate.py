"""The model's objective for a complete plan, computed directly (no solver).

It mirrors :mod:`planner.solver.objective` term by term, so the search can
compare plans cheaply; :func:`planner.solver.solve.term_values` checks the
final plan against the CP-SAT model itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from planner.solver.instance import Instance

Slot = tuple[int, int, str]


def terms(inst: Instance, chosen: Mapping[int, Slot], *, exact_idle: bool) -> dict[str, int]:
    """Values of the objective's terms (travel in metres, venue cost in cents)."""
    travel = trips = idle = 0
    for group in inst.groups:
        days: dict[int, list[int]] = {}
        for m in group.meetings:
            days.setdefault(chosen[m][0], []).append(m)
        for ms in days.values():
            first = min(ms) if not exact_idle else min(ms, key=lambda m: chosen[m][1])
            travel += group.travel_m[chosen[first][2]]
            trips += group.size
            if exact_idle:
                lo = min(chosen[m][1] for m in ms)
                hi = max(chosen[m][1] + inst.meetings[m].duration for m in ms)
                idle += group.size * (hi - lo - sum(inst.meetings[m].duration for m in ms))
    travel += inst.route_extra[1 if exact_idle else 0][0]
    clashes = 0
    for (a, b), count in inst.optional_pairs.items():
        if (a, b) in _pair_set(inst):
            continue
        (da, ta, _), (db, tb, _) = chosen[a], chosen[b]
        if da == db and ta < tb + inst.meetings[b].duration and tb < ta + inst.meetings[a].duration:
            clashes += count
    cents = 0
    costly = {v.id: round(v.cost * 100) for v in inst.problem.venues if v.cost > 0}
    if costly:
        used = {(d, u) for d, _, u in chosen.values() if u in costly}
        cents = sum(costly[u] for _, u in used)
    spread = 0
    for ids in inst.by_network.values():
        k = len(ids)
        order = sorted(ids, key=lambda i: (chosen[i][0], i))
        for rank, i in enumerate(order):
            spread += abs(chosen[i][0] - ((2 * rank + 1) * inst.horizon) // (2 * k))
    return {
        "travel_m": travel,
        "trips": trips,
        "idle_minutes": idle,
        "optional_clashes": clashes,
        "venue_cost_cents": cents,
        "spread_days": spread,
    }


_PAIRS: dict[int, frozenset[tuple[int, int]]] = {}


def _pair_set(inst: Instance) -> frozenset[tuple[int, int]]:
    key = id(inst)
    hit = _PAIRS.get(key)
    if hit is None:
        hit = frozenset(inst.pairs)
        _PAIRS.clear()
        _PAIRS[key] = hit
    return hit


def objective(inst: Instance, chosen: Mapping[int, Slot], *, exact_idle: bool) -> int:
    """The weighted objective in model units (see :func:`planner.solver.objective.weighted`)."""
    t = terms(inst, chosen, exact_idle=exact_idle)
    w = inst.problem.settings.weights
    return (
        w.travel_km * t["travel_m"]
        + 1000 * w.trips * t["trips"]
        + 1000 * w.idle_minutes * t["idle_minutes"]
        + 1000 * w.optional_clashes * t["optional_clashes"]
        + 10 * w.venue_cost * t["venue_cost_cents"]
        + 1000 * w.spread_days * t["spread_days"]
    )
