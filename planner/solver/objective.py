"""The objective of the CP-SAT model: one expression per term.

The model minimises, in units of 1/``SCALE`` of a weight unit (see
:class:`planner.weights.Weights`)::

    w_km x travel_m + SCALE x (w_trips x trips + w_idle x idle + w_spread x spread)
        + SCALE x w_cost x venue_cost

over the decided meetings (kept meetings add constants, left out). Per group
of members with the same networks and per day:

- ``trips``: 1 per member when the group has a decided meeting that day and
  no kept one;
- ``travel_m``: a round trip home -> venue -> home per member for every venue
  of the day that no kept meeting already brings them to. On a day with one
  venue this is the contract's travel; on a day with several it counts more
  than the route home -> A -> B -> home, which makes one venue a day cheaper,
  as coordinators prefer (the figures reported come from the exact
  evaluator, :mod:`planner.solver.evaluate`);
- ``idle``: per member, the time from the day's first start to its last end
  minus the minutes of its meetings (exact at the optimum).

``spread`` is each meeting's distance in days from its even point and
``venue_cost`` each used (date, venue) pair's cost. Optional members' clashes
and long waits are judged by the evaluator only (exact in
:mod:`planner.solver.routes`). Members' "if need be" answers and, when
re-planning, moved meetings and the members they touch are exact
(:func:`if_need_be`, :func:`moves`; see :mod:`planner.solver.preferences`).
"""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from planner.solver.evaluate import SCALE
from planner.solver.variables import Variables


def travel_and_trips(v: Variables) -> cp_model.LinearExprT:
    """Weighted round trips and trips of every group's decided days."""
    model, inst = v.model, v.inst
    w = inst.problem.settings.weights
    terms: list[cp_model.LinearExprT] = []
    for g, group in v.groups():
        inside = [m for m in group.meetings if m in v.x]
        if not inside:
            continue
        kept: dict[int, set[str]] = {}
        for _, (d, _, u) in v.constants(group.meetings):
            kept.setdefault(d, set()).add(u)
        venues_of_day: dict[int, dict[str, list[cp_model.IntVar]]] = {}
        for m in inside:
            for (d, u), lit in v.x[m].items():
                venues_of_day.setdefault(d, {}).setdefault(u, []).append(lit)
        for d, per_venue in venues_of_day.items():
            there = kept.get(d, set())
            used = []
            for u, lits in per_venue.items():
                if u in there:
                    continue
                y = lits[0] if len(lits) == 1 else model.new_bool_var(f"trip[g{g},d{d},{u}]")
                for lit in lits:
                    if lit is not y:
                        model.add_implication(lit, y)
                used.append(y)
                terms.append(w.travel_km * group.round_trip_m[u] * y)
            if there or not used:
                continue
            z = used[0] if len(used) == 1 else model.new_bool_var(f"day[g{g},d{d}]")
            for y in used:
                if y is not z:
                    model.add_implication(y, z)
            terms.append(SCALE * w.trips * group.size * z)
    return cp_model.LinearExpr.sum(terms)


def idle(v: Variables) -> cp_model.LinearExprT:
    """Weighted idle minutes of every group's days with two or more meetings."""
    inst = v.inst
    w = inst.problem.settings.weights
    if w.idle_minutes == 0:
        return 0
    terms: list[cp_model.LinearExprT] = []
    for g, group in v.groups():
        inside = [m for m in group.meetings if m in v.x]
        if not inside:
            continue
        kept: dict[int, list[tuple[int, int]]] = {}
        for q, (d, t, _) in v.constants(group.meetings):
            kept.setdefault(d, []).append((t, t + inst.meetings[q].duration))
        per_day: dict[int, list[int]] = {}
        for m in inside:
            for d in {d for d, _ in v.x[m]}:
                per_day.setdefault(d, []).append(m)
        for d, ms in per_day.items():
            fixed = kept.get(d, [])
            if len(ms) + len(fixed) < 2:
                continue
            terms.append(SCALE * w.idle_minutes * group.size * _day_idle(v, g, d, ms, fixed))
    return cp_model.LinearExpr.sum(terms)


def _day_idle(
    v: Variables, g: int, d: int, ms: list[int], fixed: list[tuple[int, int]]
) -> cp_model.IntVar:
    """``idle >= last end - first start - minutes in meetings`` for one group's day."""
    model, inst = v.model, v.inst
    lo = model.new_int_var(0, 24 * 60, f"first_start[g{g},d{d}]")
    hi = model.new_int_var(0, 24 * 60, f"last_end[g{g},d{d}]")
    gap = model.new_int_var(0, 24 * 60, f"idle[g{g},d{d}]")
    busy: list[Any] = []
    for m in ms:
        on = v.on_day[(m, d)]
        dur = inst.meetings[m].duration
        model.add(lo <= v.start[m]).only_enforce_if(on)
        model.add(hi >= v.start[m] + dur).only_enforce_if(on)
        busy.append(dur * on)
    for t, e in fixed:
        model.add(lo <= t)
        model.add(hi >= e)
        busy.append(e - t)
    model.add(gap >= hi - lo - sum(busy))
    return gap


def spread_and_cost(v: Variables) -> cp_model.LinearExprT:
    """Weighted days from the even points, and the cost of each used (date, venue).

    A network's free meeting of rank k on day d has rank k plus the number of
    its fixed meetings before d among all its meetings, so its distance from
    its even point is a constant per (meeting, day).
    """
    model, inst = v.model, v.inst
    w = inst.problem.settings.weights
    terms: list[cp_model.LinearExprT] = []
    session: dict[tuple[int, str], list[cp_model.IntVar]] = {}
    for m, xs in v.x.items():
        spec = inst.meetings[m]
        fixed = [
            inst.meetings[j].days[0]
            for j in inst.by_network[spec.network]
            if inst.meetings[j].fixed
        ]
        for (d, u), lit in xs.items():
            rank = spec.order + sum(1 for f in fixed if f < d)
            dev = abs(d - inst.even_day(spec.network, rank))
            if dev and w.spread_days:
                terms.append(SCALE * w.spread_days * dev * lit)
            if inst.problem.venue_by_id[u].cost > 0:
                session.setdefault((d, u), []).append(lit)
    terms += _fixed_ranks(v)
    for (d, u), lits in session.items():
        if v.state.at_venue(u, d) and any(q not in v.x for _, q in v.state.at_venue(u, d)):
            continue
        used = model.new_bool_var(f"session[d{d},{u}]")
        for lit in lits:
            model.add_implication(lit, used)
        terms.append(round(SCALE * w.venue_cost * inst.problem.venue_by_id[u].cost) * used)
    return cp_model.LinearExpr.sum(terms)


def _fixed_ranks(v: Variables) -> list[cp_model.LinearExprT]:
    """A fixed meeting's rank counts the network's free meetings before it, so its
    distance from its even point depends on them: a table indexed by that count."""
    model, inst = v.model, v.inst
    w = inst.problem.settings.weights.spread_days
    out: list[cp_model.LinearExprT] = []
    if not w:
        return out
    for network, ids in inst.by_network.items():
        free = [m for m in ids if not inst.meetings[m].fixed]
        if not any(m in v.x for m in free):
            continue
        fixed = sorted(inst.meetings[m].days[0] for m in ids if inst.meetings[m].fixed)
        for k, fd in enumerate(fixed):
            before: list[cp_model.LinearExprT] = []
            for m in free:
                if m in v.x:
                    before.append(sum(lit for (d, _), lit in v.x[m].items() if d < fd))
                elif m in v.state.at and v.state.at[m][0] < fd:
                    before.append(1)
            table = [abs(fd - inst.even_day(network, k + c)) for c in range(len(free) + 1)]
            count = model.new_int_var(0, len(free), f"free_before[{network},{fd}]")
            model.add(count == sum(before))
            dev = model.new_int_var(min(table), max(table), f"spread_fixed[{network},{fd}]")
            model.add_element(count, table, dev)
            out.append(SCALE * w * dev)
    return out


def if_need_be(v: Variables) -> cp_model.LinearExprT:
    """Weighted (required member, meeting) pairs on a member's "if need be".

    A whole day costs on its day literal. Timed answers on day ``d``: with
    levels ``c_1 < c_2 < ...`` of the members a start overlaps, a literal
    ``b_i`` must hold when the meeting is on ``d`` at a start of level
    ``>= c_i``; ``sum (c_i - c_{i-1}) b_i`` is then the count at the optimum.
    """
    model, inst = v.model, v.inst
    prefs, w = inst.preferences, inst.problem.settings.weights.if_need_be
    terms: list[cp_model.LinearExprT] = []
    if not w:
        return 0
    for m in v.x:
        duration = inst.meetings[m].duration
        starts = v.scope.starts.get(m) or inst.meetings[m].starts
        for d, members in prefs.whole_days.get(m, {}).items():
            if (m, d) in v.on_day:
                terms.append(SCALE * w * len(members) * v.on_day[(m, d)])
        for d in prefs.times.get(m, {}):
            if (m, d) not in v.on_day:
                continue
            count = {t: prefs.maybe(m, d, t, duration) for t in starts}
            base = len(prefs.whole_days.get(m, {}).get(d, ()))
            below = 0
            for level in sorted({c for c in count.values() if c > base}):
                hit = model.new_bool_var(f"maybe[{m},d{d},{level}]")
                fine = cp_model.Domain.from_values([t for t, c in count.items() if c < level])
                model.add_linear_expression_in_domain(v.start[m], fine).only_enforce_if(
                    [v.on_day[(m, d)], ~hit]
                )
                terms.append(SCALE * w * (level - max(below, base)) * hit)
                below = level
    return cp_model.LinearExpr.sum(terms)


def moves(v: Variables) -> cp_model.LinearExprT:
    """Re-planning: weighted moved meetings, and members with a moved meeting.

    ``stay[m]`` may hold only when ``m`` is at its published (date, venue) and
    start; a member's ``changed[p]`` must hold when one of their meetings does
    not stay. Meetings the model cannot keep (published slot not a candidate)
    and kept meetings of the state are constants, left out.
    """
    model, inst = v.model, v.inst
    prefs, w = inst.preferences, inst.problem.settings.weights
    if not prefs.previous:
        return 0
    terms: list[cp_model.LinearExprT] = []
    moved: dict[int, Any] = {}
    for m in v.x:
        old = prefs.previous.get(m)
        if old is None or (old[0], old[2]) not in v.x[m]:
            continue
        stay = model.new_bool_var(f"stay[{m}]")
        model.add_implication(stay, v.x[m][(old[0], old[2])])
        model.add(v.start[m] == old[1]).only_enforce_if(stay)
        moved[m] = ~stay
        terms.append(SCALE * w.moved_meeting * moved[m])
    if not w.moved_member:
        return cp_model.LinearExpr.sum(terms)
    at = v.state.at
    for p in inst.problem.person_by_id:
        mine = [q for n in inst.problem.networks_of(p) for q in inst.by_network[n]]
        lits = [moved[q] for q in mine if q in moved]
        fixed = any(q not in v.x and q in at and prefs.moved(q, at[q]) for q in mine)
        if (
            not lits
            or fixed
            or any(q in v.x and q not in moved for q in mine if q in prefs.previous)
        ):
            continue
        changed = model.new_bool_var(f"changed[{p}]")
        for lit in lits:
            model.add_implication(lit, changed)
        terms.append(SCALE * w.moved_member * changed)
    return cp_model.LinearExpr.sum(terms)


ALL_TERMS = (travel_and_trips, idle, spread_and_cost, if_need_be, moves)
"""Every term of the objective."""
