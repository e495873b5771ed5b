"""Relay wishes (contract v1.1 ``together``) in the solver.

A session (day, venue) *holds* a wish when every listed network has a
meeting there; with ``order`` each listed network's meeting there starts at
or after the end of the previous one's (a network's first meeting there, when
``min_gap_days`` 0 lets it meet twice). Hard wishes need ``times`` sessions;
soft ones cost ``weight_together`` for every session they lack.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from ortools.sat.python import cp_model

from planner.problem import Together
from planner.solver.evaluate import SCALE
from planner.solver.instance import Instance, Slot
from planner.solver.variables import Variables
from planner.solver.wishproof import must_follow


def sessions_held(inst: Instance, wish: Together, chosen: Mapping[int, Slot]) -> int:
    """Sessions of the plan ``chosen`` that hold ``wish``."""
    at: dict[tuple[int, str], dict[str, tuple[int, int]]] = {}
    wanted = set(wish.networks)
    for m, (d, t, u) in chosen.items():
        spec = inst.meetings[m]
        if spec.network in wanted:
            nets = at.setdefault((d, u), {})
            first = nets.get(spec.network)
            if first is None or t < first[0]:  # a network's first meeting there
                nets[spec.network] = (t, t + spec.duration)
    held = 0
    for nets in at.values():
        if len(nets) < len(wanted):
            continue
        chain = [nets[n] for n in wish.networks]
        if not wish.order or all(b[0] >= a[1] for a, b in itertools.pairwise(chain)):
            held += 1
    return held


def shortfall(inst: Instance, chosen: Mapping[int, Slot]) -> tuple[int, int]:
    """Sessions the soft wishes lack, and the hard wishes lack, in the plan ``chosen``."""
    soft = hard = 0
    for wish in inst.problem.together:
        short = max(0, wish.times - sessions_held(inst, wish, chosen))
        if wish.hard:
            hard += short
        else:
            soft += short
    return soft, hard


def add_wishes(v: Variables) -> list[Any]:
    """Hard wishes hold in ``times`` sessions; returns the weighted shortfall of soft ones.

    Per wish and (day, venue) where every listed network can meet, a literal
    ``held`` implies each network's meeting there (with ``order``, in the
    listed order, back to back or later); sessions that the kept meetings
    already hold count as constants.
    """
    inst, model = v.inst, v.model
    weight = inst.problem.settings.weights.together
    terms: list[Any] = []
    for k, wish in enumerate(inst.problem.together):
        ids = [m for n in wish.networks for m in inst.by_network.get(n, ())]
        if not any(m in v.x for m in ids):
            if wish.hard and fixed_short(inst, wish):
                model.add_bool_or([])  # fixed meetings alone decide it, and fall short
            continue
        kept = {m: slot for m, slot in v.constants(tuple(ids))}
        held: list[Any] = [sessions_held(inst, wish, kept)]
        for d, u in _sessions(v, wish, ids):
            lit = model.new_bool_var(f"wish[{k},d{d},{u}]")
            held.append(lit)
            if not _link(v, wish, ids, kept, (d, u), lit=lit):
                model.add(lit == 0)
        count = sum(held)
        if wish.hard:
            model.add(count >= wish.times)
        elif weight:
            short = model.new_int_var(0, wish.times, f"wish_short[{k}]")
            model.add(short >= wish.times - count)
            terms.append(SCALE * weight * short)
    return terms


def fixed_short(inst: Instance, wish: Together) -> bool:
    """Whether every meeting of ``wish``'s networks is fixed and they hold it too rarely
    (then no plan holds it: a proof)."""
    specs = [inst.meetings[m] for n in wish.networks for m in inst.by_network.get(n, ())]
    if not all(spec.fixed for spec in specs):
        return False
    fixed = {spec.index: (spec.days[0], spec.starts[0], spec.venues[0]) for spec in specs}
    return sessions_held(inst, wish, fixed) < wish.times


def _sessions(v: Variables, wish: Together, ids: list[int]) -> list[tuple[int, str]]:
    """(day, venue) pairs where every listed network can meet and some meeting is decided."""
    per_net: dict[str, set[tuple[int, str]]] = {n: set() for n in wish.networks}
    decided: set[tuple[int, str]] = set()
    for m in ids:
        net = v.inst.meetings[m].network
        if m in v.x:
            per_net[net].update(v.x[m])
            decided.update(v.x[m])
        elif m in v.state.at:
            d, _, u = v.state.at[m]
            per_net[net].add((d, u))
    common = set.intersection(*per_net.values()) if per_net else set()
    return sorted(common & decided)


def _link(
    v: Variables,
    wish: Together,
    ids: list[int],
    kept: Mapping[int, Slot],
    session: tuple[int, str],
    *,
    lit: cp_model.IntVar,
) -> bool:
    """Tie ``lit`` to each network's meeting at the session; ``False`` if one cannot be there."""
    inst, model = v.inst, v.model
    d, u = session
    there: dict[str, list[tuple[Any, Any, int]]] = {}
    starts: dict[str, list[int]] = {}
    for m in ids:
        net, dur = inst.meetings[m].network, inst.meetings[m].duration
        if m in v.x and (d, u) in v.x[m]:
            there.setdefault(net, []).append((v.x[m][(d, u)], v.start[m], dur))
            starts.setdefault(net, []).extend(v.scope.starts.get(m) or inst.meetings[m].starts)
        elif m in kept and kept[m][0] == d and kept[m][2] == u:
            there.setdefault(net, []).append((1, kept[m][1], dur))
            starts.setdefault(net, []).append(kept[m][1])
    if any(n not in there for n in wish.networks):
        return False
    if wish.order and not _run_fits(inst, wish, starts, u):
        return False
    for n in wish.networks:
        model.add(sum(x for x, _, _ in there[n]) >= 1).only_enforce_if(lit)
    if wish.order:
        for a, b in itertools.pairwise(wish.networks):
            gap = _order_gap(inst, a, b, u)
            for xa, sa, da in there[a]:
                for xb, sb, _ in there[b]:
                    enforce = [lit, *(x for x in (xa, xb) if not isinstance(x, int))]
                    model.add(sb >= sa + da + gap).only_enforce_if(enforce)
    return True


def _run_fits(inst: Instance, wish: Together, starts: Mapping[str, list[int]], venue: str) -> bool:
    """Whether the listed networks can run in order at ``venue`` as their start times allow.

    Each network's meeting starts at the earliest of its possible starts there
    (its grid starts within the venue's hours; a kept meeting's own start)
    that is at or after the previous one's end plus :func:`_order_gap`; the
    run fits when every network has such a start. A necessary condition: a
    session that fails it cannot hold the wish, so the model need not search
    to find that out (for an impossible wish, a proof in the model itself).
    """
    p = inst.problem
    v = p.venue_by_id[venue]
    ready = -(10**9)
    previous = ""
    for n in wish.networks:
        duration = p.network_by_id[n].duration
        if previous:
            ready += _order_gap(inst, previous, n, venue)
        fits = [t for t in starts[n] if t >= max(ready, v.open) and t + duration <= v.close]
        if not fits:
            return False
        ready = min(fits) + duration
        previous = n
    return True


def _order_gap(inst: Instance, first: str, then: str, venue: str) -> int:
    """Least minutes between ``first``'s end and ``then``'s start in an ordered session:
    ``changeover`` when :func:`~planner.solver.wishproof.must_follow`, else 0. Implied by
    the hard rules, stated here so that the order alone propagates (a proof in one step)."""
    p = inst.problem
    return p.settings.changeover if must_follow(p, first, then, p.venue_by_id[venue]) else 0
