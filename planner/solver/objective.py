"""The objective of the CP-SAT model: one exact expression per term.

Every term equals, at every solution (not only at the optimum), the figure
the checker computes for the resulting schedule; the weights come from
:class:`planner.weights.Weights`. Travel is counted in metres, so the model
minimises ``1000 x`` the weighted sum of the docstring of ``Weights`` (with
travel in km), which keeps every coefficient an integer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solver.variables import AuxRule, Chosen, Variables

SCALE = 1000
"""Objective units per weight unit: travel is in metres, other terms are whole."""


@dataclass(frozen=True)
class Terms:
    """Linear expressions of the objective's terms (travel in metres, venue cost in cents)."""

    travel_m: cp_model.LinearExprT
    trips: cp_model.LinearExprT
    idle_minutes: cp_model.LinearExprT
    optional_clashes: cp_model.LinearExprT
    venue_cost_cents: cp_model.LinearExprT
    spread_days: cp_model.LinearExprT


def travel_and_trips(v: Variables) -> tuple[cp_model.LinearExprT, cp_model.LinearExprT]:
    """Round trips home -> venue -> home of every required member's day, and their count.

    A group's day opens with its ``first`` meeting; all meetings of that day
    are at that meeting's venue (one venue per person per day), so the day
    costs the round trip to that venue. Groups with no linked meetings travel
    to every meeting. Days on which fixed meetings put a person at two venues
    add their exact route as a constant (:attr:`Instance.route_extra`).
    """
    model, inst = v.model, v.inst
    travel: list[cp_model.LinearExprT] = []
    trips: list[cp_model.LinearExprT] = []
    for g, group in enumerate(inst.groups):
        for m in group.meetings:
            first = v.first.get((g, m))
            at = v.at_venue[m]
            if first is None:
                trips.append(group.size)
                travel.append(sum(group.travel_m[u] * lit for u, lit in at.items()))
                continue
            trips.append(group.size * first)
            if len(at) == 1:
                ((u, _),) = at.items()
                travel.append(group.travel_m[u] * first)
                continue
            for u, lit in at.items():
                both = model.new_bool_var(f"trip[g{g},{m},{u}]")
                model.add_bool_and([first, lit]).only_enforce_if(both)
                model.add_bool_or([~first, ~lit, both])
                v.aux.append((both, _and_rule(first, lit)))
                travel.append(group.travel_m[u] * both)
    extra = inst.route_extra[1 if v.exact_idle else 0][0]
    return cp_model.LinearExpr.sum(travel) + extra, cp_model.LinearExpr.sum(trips)


def idle_minutes(v: Variables) -> cp_model.LinearExprT:
    """Minutes between consecutive meetings of a required member's day, summed over persons."""
    if not v.exact_idle:
        return 0
    sizes = [g.size for g in v.inst.groups]
    return sum(sizes[g] * var for (g, _, _), var in v.idle.items())


def optional_clashes(v: Variables) -> cp_model.LinearExprT:
    """Pairs of overlapping meetings an optional member is in, counted per such member.

    ``overlap`` holds exactly when both meetings are on one day and their
    times ``[start, end)`` intersect. Pairs that share a required member
    never overlap (a hard rule) and are left out.
    """
    model, inst = v.model, v.inst
    out: list[cp_model.LinearExprT] = []
    for (a, b), count in inst.optional_pairs.items():
        if (a, b) in v.same_day:
            continue
        ma, mb = inst.meetings[a], inst.meetings[b]
        overlap = model.new_bool_var(f"optional_overlap[{a},{b}]")
        before = model.new_bool_var(f"ends_before[{a},{b}]")
        after = model.new_bool_var(f"starts_after[{a},{b}]")
        other_day = model.new_bool_var(f"other_day[{a},{b}]")
        model.add(v.start[a] + ma.duration <= v.start[b]).only_enforce_if(before)
        model.add(v.start[a] + ma.duration > v.start[b]).only_enforce_if(~before)
        model.add(v.start[b] + mb.duration <= v.start[a]).only_enforce_if(after)
        model.add(v.start[b] + mb.duration > v.start[a]).only_enforce_if(~after)
        model.add(v.day[a] != v.day[b]).only_enforce_if(other_day)
        model.add(v.day[a] == v.day[b]).only_enforce_if(~other_day)
        model.add_bool_or([overlap, before, after, other_day])
        model.add_implication(overlap, ~before)
        model.add_implication(overlap, ~after)
        model.add_implication(overlap, ~other_day)
        v.aux.append((before, _ends_before(a, ma.duration, b)))
        v.aux.append((after, _ends_before(b, mb.duration, a)))
        v.aux.append((other_day, _other_day(a, b)))
        v.aux.append((overlap, _overlaps(a, ma.duration, b, mb.duration)))
        out.append(count * overlap)
    return sum(out)


def venue_cost(v: Variables) -> cp_model.LinearExprT:
    """Cost (in cents) of every (day, venue) session used, for venues that cost something."""
    model, inst = v.model, v.inst
    out: list[cp_model.LinearExprT] = []
    for venue in inst.problem.venues:
        cents = round(venue.cost * 100)
        if cents <= 0:
            continue
        uses: dict[int, list[cp_model.IntVar]] = {}
        for m in inst.meetings:
            at = v.at_venue[m.index].get(venue.id)
            if at is None:
                continue
            for d, on in v.on_day[m.index].items():
                both = model.new_bool_var(f"uses[{venue.id},{d},{m.index}]")
                model.add_bool_and([at, on]).only_enforce_if(both)
                model.add_bool_or([~at, ~on, both])
                v.aux.append((both, _and_rule(at, on)))
                uses.setdefault(d, []).append(both)
        for d, lits in uses.items():
            used = model.new_bool_var(f"session[{venue.id},{d}]")
            model.add_max_equality(used, lits)
            v.aux.append((used, _or_rule(lits)))
            out.append(cents * used)
    return sum(out)


def spread_days(v: Variables) -> cp_model.LinearExprT:
    """Days between each meeting and its even point, summed.

    A network with K meetings has its i-th meeting (in date order, counted
    from 0) ideally on day ``floor((i + 1/2) L / K)`` of an L-day horizon.
    Free meetings are numbered in date order; where fixed meetings interleave,
    a meeting's rank adds the fixed meetings before it.
    """
    model, inst = v.model, v.inst
    horizon = inst.horizon
    out: list[cp_model.LinearExprT] = []
    for net in inst.problem.networks:
        ids = inst.by_network[net.id]
        k = len(ids)
        points = [((2 * i + 1) * horizon) // (2 * k) for i in range(k)]
        free = [i for i in ids if not inst.meetings[i].fixed]
        fixed = sorted(
            (i for i in ids if inst.meetings[i].fixed), key=lambda i: inst.meetings[i].days[0]
        )
        later: dict[tuple[int, int], cp_model.IntVar] = {}
        for j in free:
            for f in fixed:
                lit = model.new_bool_var(f"after_fixed[{j},{f}]")
                fd = inst.meetings[f].days[0]
                model.add(v.day[j] > fd).only_enforce_if(lit)
                model.add(v.day[j] < fd).only_enforce_if(~lit)
                v.aux.append((lit, _after_day(j, fd)))
                later[(j, f)] = lit
        fixed_days = [inst.meetings[f].days[0] for f in fixed]
        for rank_free, j in enumerate(free):
            rank = rank_free + sum(later[(j, f)] for f in fixed) if fixed else rank_free
            out.append(
                _deviation(
                    v,
                    j,
                    rank,
                    _rank_free(rank_free, j, fixed_days),
                    points,
                )
            )
        for rank_fixed, f in enumerate(fixed):
            rank = rank_fixed + sum(1 - later[(j, f)] for j in free) if free else rank_fixed
            fd = inst.meetings[f].days[0]
            out.append(
                _deviation(
                    v,
                    f,
                    rank,
                    _rank_fixed(rank_fixed, fd, free),
                    points,
                )
            )
    return sum(out)


def _deviation(
    v: Variables,
    m: int,
    rank: cp_model.LinearExprT,
    rank_of: Callable[[Chosen], int],
    points: list[int],
) -> cp_model.LinearExprT:
    """``|day[m] - points[rank]|`` as a variable, with hint rules."""
    model = v.model
    dev = model.new_int_var(0, v.inst.horizon, f"spread[{m}]")
    if isinstance(rank, int):
        model.add_abs_equality(dev, v.day[m] - points[rank])
    else:
        index = model.new_int_var(0, len(points) - 1, f"rank[{m}]")
        model.add(index == rank)
        point = model.new_int_var(min(points), max(points), f"even_point[{m}]")
        model.add_element(index, points, point)
        model.add_abs_equality(dev, v.day[m] - point)
        v.aux.append((index, lambda c, _o: rank_of(c)))
        v.aux.append((point, lambda c, _o: points[rank_of(c)]))
    v.aux.append((dev, lambda c, _o: abs(c[m][0] - points[rank_of(c)])))
    return dev


def _ends_before(a: int, duration: int, b: int) -> AuxRule:
    return lambda c, _o: int(c[a][1] + duration <= c[b][1])


def _other_day(a: int, b: int) -> AuxRule:
    return lambda c, _o: int(c[a][0] != c[b][0])


def _overlaps(a: int, da: int, b: int, db: int) -> AuxRule:
    return lambda c, _o: int(
        c[a][0] == c[b][0] and c[a][1] < c[b][1] + db and c[b][1] < c[a][1] + da
    )


def _after_day(j: int, day: int) -> AuxRule:
    return lambda c, _o: int(c[j][0] > day)


def _rank_free(rank: int, j: int, fixed_days: list[int]) -> Callable[[Chosen], int]:
    return lambda c: rank + sum(fd < c[j][0] for fd in fixed_days)


def _rank_fixed(rank: int, day: int, free: list[int]) -> Callable[[Chosen], int]:
    return lambda c: rank + sum(c[j][0] < day for j in free)


def _and_rule(x: cp_model.IntVar, y: cp_model.IntVar) -> AuxRule:
    return lambda _c, o: int(bool(o[x]) and bool(o[y]))


def _or_rule(lits: list[cp_model.IntVar]) -> AuxRule:
    return lambda _c, o: int(any(o[lit] for lit in lits))


def build_terms(v: Variables) -> Terms:
    """Add the auxiliary variables of every term and return the terms."""
    travel, trips = travel_and_trips(v)
    return Terms(
        travel_m=travel,
        trips=trips,
        idle_minutes=idle_minutes(v),
        optional_clashes=optional_clashes(v),
        venue_cost_cents=venue_cost(v),
        spread_days=spread_days(v),
    )


def weighted(terms: Terms, v: Variables) -> cp_model.LinearExprT:
    """The weighted sum CP-SAT minimises (see :class:`planner.weights.Weights`)."""
    w = v.inst.problem.settings.weights
    return cp_model.LinearExpr.sum(
        [
            w.travel_km * terms.travel_m,
            SCALE * w.trips * terms.trips,
            SCALE * w.idle_minutes * terms.idle_minutes,
            SCALE * w.optional_clashes * terms.optional_clashes,
            (SCALE // 100) * w.venue_cost * terms.venue_cost_cents,
            SCALE * w.spread_days * terms.spread_days,
        ]
    )
