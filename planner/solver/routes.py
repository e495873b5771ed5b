"""Exact person days for the whole model: each group's day as a route.

In exact mode (small problems searched as one model, where the planner may
say "optimal" or "cannot be planned") every group of members with the same
networks has its days modelled as routes through a depot (home): ``first``
arcs leave home, ``last`` arcs return, ``arc[(g, a, b)]`` means ``b``
directly follows ``a`` on one day. The travel gap of the contract (changeover
plus travel minutes between consecutive meetings) then lives on the arcs, and
travel (home -> each venue in order -> home), trips, idle time and long
waits are exact objective terms. Optional members' clashes are exact too.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from ortools.sat.python import cp_model

from planner.solver.evaluate import SCALE
from planner.solver.instance import MINUTES_PER_DAY, may_share_day
from planner.solver.variables import Variables

Expr = Any
"""A linear expression or a constant (CP-SAT's stubs type their arithmetic loosely)."""


class _Node:
    """A meeting in a group's routes: decided (variables) or kept (constants)."""

    def __init__(self, v: Variables, m: int) -> None:
        self.m = m
        inst = v.inst
        self.duration = inst.meetings[m].duration
        self.free = m in v.x
        if self.free:
            self.days = {d for d, _ in v.x[m]}
            self.venues = sorted({u for _, u in v.x[m]})
            self.when: Expr = v.when[m]
            self.start: Expr = v.start[m]
        else:
            d, t, u = v.state.at[m]
            self.days, self.venues = {d}, [u]
            self.when, self.start = d * MINUTES_PER_DAY + t, t

    def at(self, v: Variables, u: str) -> Expr:
        """1 when the node is at venue ``u``."""
        if not self.free:
            return int(self.venues[0] == u)
        return v.at_venue[(self.m, u)]

    def on(self, v: Variables, d: int) -> Expr:
        """1 when the node is on day ``d``."""
        if not self.free:
            return int(d in self.days)
        return v.on_day[(self.m, d)] if d in self.days else 0


def _nodes(v: Variables, g: int) -> list[_Node]:
    group = v.inst.groups[g]
    inside = [m for m in group.meetings if m in v.x]
    if not inside:
        return []
    days = {d for m in inside for d, _ in v.x[m]}
    kept = [q for q, slot in v.constants(group.meetings) if slot[0] in days]
    return [_Node(v, m) for m in [*inside, *kept]]


def _same_day(v: Variables, a: _Node, b: _Node) -> Expr:
    """1 when both nodes are on one day."""
    if not a.free and not b.free:
        return int(a.days == b.days)
    if not b.free:
        return a.on(v, next(iter(b.days)))
    if not a.free:
        return b.on(v, next(iter(a.days)))
    same = v.model.new_bool_var(f"same_day[{a.m},{b.m}]")
    v.model.add(v.day[a.m] == v.day[b.m]).only_enforce_if(same)
    v.model.add(v.day[a.m] != v.day[b.m]).only_enforce_if(~same)
    return same


def _table_value(
    v: Variables, a: _Node, b: _Node, table: Mapping[tuple[str, str], int], name: str
) -> Expr:
    """``table[venue of a, venue of b]`` as an expression."""
    values = [table[(u, w)] for u in a.venues for w in b.venues]
    if min(values) == max(values):
        return values[0]
    index = _index(v, a) * len(b.venues) + _index(v, b)
    out = v.model.new_int_var(min(values), max(values), f"{name}[{a.m},{b.m}]")
    v.model.add_element(index, values, out)
    return out


def _index(v: Variables, n: _Node) -> Expr:
    if len(n.venues) == 1:
        return 0
    return sum(k * v.at_venue[(n.m, u)] for k, u in enumerate(n.venues))


def _lit(model: cp_model.CpModel, value: Expr, name: str) -> cp_model.IntVar:
    """A literal for a 0/1 expression (the expression itself when it is one)."""
    if isinstance(value, cp_model.IntVar):
        return value
    lit = model.new_bool_var(name)
    model.add(lit == value)
    return lit


def add_person_days(v: Variables) -> list[Expr]:
    """Each group's meetings of one day form one route in order of start; between
    consecutive meetings there are ``changeover`` plus the travel minutes between
    their venues. Returns the weighted route terms (travel, trips, idle)."""
    model, inst = v.model, v.inst
    co, long_wait = inst.problem.settings.changeover, inst.problem.settings.long_wait
    w = inst.problem.settings.weights
    dist = inst.distances
    metres = inst.venue_metres
    terms: list[Expr] = []
    for g, group in v.groups():
        nodes = _nodes(v, g)
        if not nodes:
            continue
        arcs: list[tuple[int, int, cp_model.IntVar]] = []
        for k, n in enumerate(nodes, start=1):
            first = model.new_bool_var(f"first[g{g},{n.m}]")
            last = model.new_bool_var(f"last[g{g},{n.m}]")
            arcs += [(0, k, first), (k, 0, last)]
            terms.append(SCALE * w.trips * group.size * first)
            for u in n.venues:
                out_m = sum(dist.metres(p, u) for p in group.persons)
                in_m = sum(dist.metres(u, p) for p in group.persons)
                terms.append(w.travel_km * out_m * _both(v, first, n, u))
                terms.append(w.travel_km * in_m * _both(v, last, n, u))
        for (i, a), (j, b) in itertools.combinations(enumerate(nodes, start=1), 2):
            if not a.days & b.days:
                continue
            same = _same_day(v, a, b)
            if isinstance(same, int) and not same:
                continue
            lit = _lit(model, same, f"same[g{g},{a.m},{b.m}]")
            model.add_bool_or([~lit, ~arcs[2 * (i - 1)][2], ~arcs[2 * (j - 1)][2]])
            model.add_bool_or([~lit, ~arcs[2 * (i - 1) + 1][2], ~arcs[2 * (j - 1) + 1][2]])
            for (p, x), (q, y) in (((i, a), (j, b)), ((j, b), (i, a))):
                arc = model.new_bool_var(f"arc[g{g},{x.m}->{y.m}]")
                arcs.append((p, q, arc))
                model.add_implication(arc, lit)
                gap = _table_value(v, x, y, inst.venue_minutes, "tt")
                if not (x.free or y.free):
                    between = y.when - x.when - x.duration
                    if between < co + gap or (g in v.scope.no_long_waits and between > long_wait):
                        model.add(arc == 0)
                    continue
                model.add(y.when >= x.when + x.duration + co + gap).only_enforce_if(arc)
                idle = model.new_int_var(0, MINUTES_PER_DAY, f"idle[g{g},{x.m}->{y.m}]")
                model.add(idle == y.start - x.start - x.duration).only_enforce_if(arc)
                model.add(idle == 0).only_enforce_if(~arc)
                terms.append(SCALE * w.idle_minutes * group.size * idle)
                if g in v.scope.no_long_waits:
                    model.add(idle <= long_wait)
                if w.long_waits:
                    wait = model.new_bool_var(f"long_wait[g{g},{x.m}->{y.m}]")
                    model.add(idle <= long_wait).only_enforce_if(~wait)
                    terms.append(SCALE * w.long_waits * group.size * wait)
                km = _table_value(v, x, y, metres, "km")
                if isinstance(km, int):
                    terms.append(w.travel_km * group.size * km * arc)
                elif w.travel_km:
                    cost = model.new_int_var(0, inst.most_venue_metres, f"hop[g{g},{x.m}->{y.m}]")
                    model.add(cost >= km).only_enforce_if(arc)
                    terms.append(w.travel_km * group.size * cost)
        model.add_multiple_circuit(arcs)
    return terms


def _both(v: Variables, lit: cp_model.IntVar, n: _Node, u: str) -> Expr:
    """``lit`` and the node at ``u`` (``lit`` itself for a node with one venue)."""
    if len(n.venues) == 1:
        return lit
    both = v.model.new_bool_var(f"{lit.name}@{u}")
    v.model.add_implication(both, lit)
    v.model.add_implication(both, v.at_venue[(n.m, u)])
    v.model.add_bool_or([~lit, ~v.at_venue[(n.m, u)], both])
    return both


def optional_clashes(v: Variables) -> Expr:
    """Weighted (optional member, pair of overlapping meetings of theirs) counts.

    ``overlap`` holds exactly when both are on one day and their times
    ``[start, end)`` intersect; pairs that share a required member never
    overlap (a hard rule) and are left out.
    """
    model, inst = v.model, v.inst
    w = inst.problem.settings.weights.optional_clashes
    if not w:
        return 0
    # only members of a decided meeting can have a pair with one in it
    decided = {p for m in v.x for p in inst.meetings[m].required + inst.meetings[m].optional}
    count: dict[tuple[int, int], int] = {}
    for p in sorted(decided):
        mine, opt = inst.meetings_of[p]
        if not opt:
            continue
        for a, b in itertools.combinations(mine, 2):
            if (a in opt or b in opt) and (a in v.x or b in v.x):
                count[(a, b)] = count.get((a, b), 0) + 1
    terms: list[Expr] = []
    for (a, b), k in sorted(count.items()):
        na, nb = _Node(v, a), _Node(v, b)
        if not na.days & nb.days or not may_share_day(inst.problem, inst.meetings, a, b):
            continue
        same = _lit(model, _same_day(v, na, nb), f"opt_same[{a},{b}]")
        before = model.new_bool_var(f"ends_before[{a},{b}]")
        after = model.new_bool_var(f"starts_after[{a},{b}]")
        model.add(na.start + na.duration <= nb.start).only_enforce_if(before)
        model.add(nb.start + nb.duration <= na.start).only_enforce_if(after)
        overlap = model.new_bool_var(f"optional_overlap[{a},{b}]")
        model.add_bool_or([overlap, before, after, ~same])
        terms.append(SCALE * w * k * overlap)
    return cp_model.LinearExpr.sum(terms)
