"""A small CP-SAT model that re-places a few meetings while all others stay put.

Used by the large-neighbourhood search (:mod:`planner.solver.lns`). The model
holds only the freed meetings; the rest of the plan enters as constants:

- a freed meeting may take a (day, venue) only if every one of its person
  groups is, that day, either absent or at that same venue (one venue per
  person per day), and the group's meetings that day stay within
  ``max_meetings_per_day``;
- its time on that day avoids the groups' other meetings and the venue's
  other meetings (with ``changeover``), as fixed intervals;
- the network's other meetings bound its day (``min_gap_days`` and order).

Its objective is the change in travel, trips, spread and venue cost that the
freed meetings cause; optional members' clashes and idle time are left to
the exact evaluation of the whole plan, which decides whether a step is kept.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from ortools.sat.python import cp_model

from planner.solver.instance import MINUTES_PER_DAY, Instance
from planner.solver.model import step_solver

Slot = tuple[int, int, str]


def _context(
    inst: Instance, chosen: Mapping[int, Slot], free: set[int]
) -> tuple[
    dict[tuple[int, int], list[int]],
    dict[tuple[str, int], list[int]],
    dict[int, list[int]],
]:
    """Meetings that stay, by (group, day) and by (venue, day); groups of each meeting."""
    groups_of: dict[int, list[int]] = {}
    for g, group in enumerate(inst.groups):
        for m in group.meetings:
            groups_of.setdefault(m, []).append(g)
    by_group_day: dict[tuple[int, int], list[int]] = {}
    by_venue_day: dict[tuple[str, int], list[int]] = {}
    for m, (d, _, u) in chosen.items():
        if m in free:
            continue
        for g in groups_of.get(m, []):
            by_group_day.setdefault((g, d), []).append(m)
        by_venue_day.setdefault((u, d), []).append(m)
    return by_group_day, by_venue_day, groups_of


def solve_neighbourhood(
    inst: Instance,
    chosen: Mapping[int, Slot],
    free: set[int],
    *,
    seed: int,
    det_limit: float,
) -> tuple[dict[int, Slot] | None, bool, float]:
    """Re-place the ``free`` meetings; return (new plan or None, proved optimal, det time)."""
    problem = inst.problem
    s = problem.settings
    w = s.weights
    co, cap = s.changeover, s.max_meetings_per_day
    by_group_day, by_venue_day, groups_of = _context(inst, chosen, free)
    model = cp_model.CpModel()
    frees = sorted(free)

    # ---- day bounds from the network's other meetings
    lower: dict[int, int] = {}
    upper: dict[int, int] = {}
    for net in problem.networks:
        ids = [i for i in inst.by_network[net.id] if not inst.meetings[i].fixed]
        gap = max(net.min_gap_days, 1)
        for pos, i in enumerate(ids):
            if i not in free:
                continue
            before = [chosen[j][0] for j in ids[:pos] if j not in free]
            after = [chosen[j][0] for j in ids[pos + 1 :] if j not in free]
            lower[i] = max(before) + gap if before else -(10**9)
            upper[i] = min(after) - gap if after else 10**9

    combo: dict[int, dict[tuple[int, str], cp_model.IntVar]] = {}
    day: dict[int, cp_model.IntVar] = {}
    start: dict[int, cp_model.IntVar] = {}
    when: dict[int, cp_model.IntVar] = {}
    interval: dict[int, cp_model.IntervalVar] = {}
    at: dict[int, dict[str, cp_model.LinearExpr]] = {}
    on: dict[int, dict[int, cp_model.LinearExpr]] = {}
    for m in frees:
        spec = inst.meetings[m]
        options: dict[tuple[int, str], cp_model.IntVar] = {}
        for u, vdays in zip(spec.venues, spec.venue_days, strict=True):
            for d in vdays:
                if not lower[m] <= d <= upper[m]:
                    continue
                ok = True
                for g in groups_of.get(m, []):
                    here = by_group_day.get((g, d), [])
                    if len(here) >= cap or any(chosen[j][2] != u for j in here):
                        ok = False
                        break
                if ok:
                    options[(d, u)] = model.new_bool_var(f"c{m},{d},{u}")
        if not options:
            return None, False, 0.0
        combo[m] = options
        model.add_exactly_one(options.values())
        days = sorted({d for d, _ in options})
        day[m] = model.new_int_var_from_domain(cp_model.Domain.from_values(days), f"d{m}")
        model.add(day[m] == sum(d * lit for (d, _), lit in options.items()))
        start[m] = model.new_int_var_from_domain(cp_model.Domain.from_values(spec.starts), f"t{m}")
        for (_, u), lit in options.items():
            venue = problem.venue_by_id[u]
            model.add(start[m] >= venue.open).only_enforce_if(lit)
            model.add(start[m] + spec.duration <= venue.close).only_enforce_if(lit)
        when[m] = model.new_int_var(
            days[0] * MINUTES_PER_DAY, days[-1] * MINUTES_PER_DAY + MINUTES_PER_DAY, f"w{m}"
        )
        model.add(when[m] == day[m] * MINUTES_PER_DAY + start[m])
        interval[m] = model.new_fixed_size_interval_var(when[m], spec.duration + co, f"i{m}")
        at_lits: dict[str, list[cp_model.IntVar]] = {}
        on_lits: dict[int, list[cp_model.IntVar]] = {}
        for (d, u), lit in options.items():
            at_lits.setdefault(u, []).append(lit)
            on_lits.setdefault(d, []).append(lit)
        at[m] = {u: cp_model.LinearExpr.sum(ls) for u, ls in at_lits.items()}
        on[m] = {d: cp_model.LinearExpr.sum(ls) for d, ls in on_lits.items()}
        model.add_hint(day[m], chosen[m][0])
        model.add_hint(start[m], chosen[m][1])
        model.add_hint(when[m], chosen[m][0] * MINUTES_PER_DAY + chosen[m][1])
        for (d, u), lit in options.items():
            model.add_hint(lit, int((d, u) == (chosen[m][0], chosen[m][2])))

    # ---- order within a network
    for net in problem.networks:
        ids = [i for i in inst.by_network[net.id] if i in free]
        gap = max(net.min_gap_days, 1)
        for a, b in itertools.pairwise(ids):
            model.add(day[b] >= day[a] + gap)

    # ---- pairs of freed meetings that share a group
    same: dict[tuple[int, int], cp_model.IntVar] = {}
    for a, b in inst.pairs:
        if a in free and b in free:
            lit = model.new_bool_var(f"s{a},{b}")
            model.add_hint(lit, int(chosen[a][0] == chosen[b][0]))
            same[(a, b)] = lit
            model.add(day[a] == day[b]).only_enforce_if(lit)
            model.add(day[a] != day[b]).only_enforce_if(~lit)
            for u in sorted(set(at[a]) | set(at[b])):
                if u in at[a] and u in at[b]:
                    model.add(at[a][u] == at[b][u]).only_enforce_if(lit)
                else:
                    model.add((at[a] if u in at[a] else at[b])[u] == 0).only_enforce_if(lit)

    # ---- no overlap per group and per venue, with the fixed context
    def fixed_interval(j: int) -> cp_model.IntervalVar:
        d, t, _ = chosen[j]
        spec = inst.meetings[j]
        return model.new_fixed_size_interval_var(
            d * MINUTES_PER_DAY + t, spec.duration + co, f"f{j}"
        )

    for g, group in enumerate(inst.groups):
        mine = [m for m in group.meetings if m in free]
        if not mine:
            continue
        days_used = {d for m in mine for d, _ in combo[m]}
        context = sorted({j for d in days_used for j in by_group_day.get((g, d), [])})
        if len(mine) + len(context) > 1:
            model.add_no_overlap([interval[m] for m in mine] + [fixed_interval(j) for j in context])
        for d in days_used:
            exprs = [on[m][d] for m in mine if d in on[m]]
            taken = len(by_group_day.get((g, d), []))
            if taken + len(exprs) > cap:
                model.add(cp_model.LinearExpr.sum(exprs) <= cap - taken)
    for venue in problem.venues:
        mine = [m for m in frees if venue.id in at[m]]
        if not mine:
            continue
        days_used = {d for m in mine for d, u in combo[m] if u == venue.id}
        context = sorted({j for d in days_used for j in by_venue_day.get((venue.id, d), [])})
        optional = []
        for m in mine:
            present = model.new_bool_var(f"p{m},{venue.id}")
            model.add(present == at[m][venue.id])
            model.add_hint(present, int(chosen[m][2] == venue.id))
            optional.append(
                model.new_optional_fixed_size_interval_var(
                    when[m], inst.meetings[m].duration + co, present, f"o{m},{venue.id}"
                )
            )
        items = optional + [fixed_interval(j) for j in context]
        if len(items) > venue.rooms:
            if venue.rooms == 1:
                model.add_no_overlap(items)
            else:
                model.add_cumulative(items, [1] * len(items), venue.rooms)

    # ---- objective: new trips and their travel, spread, venue cost
    travel: list[cp_model.LinearExprT] = []
    trips: list[cp_model.LinearExprT] = []
    for g, group in enumerate(inst.groups):
        mine = [m for m in group.meetings if m in free]
        for m in mine:
            present_days = [lit for (d, _), lit in combo[m].items() if by_group_day.get((g, d))]
            earlier = [same[(a, m)] for a in mine if a < m and (a, m) in same]
            first = model.new_bool_var(f"first{g},{m}")
            is_first = not by_group_day.get((g, chosen[m][0])) and not any(
                chosen[a][0] == chosen[m][0] for a in mine if a < m and (a, m) in same
            )
            model.add_hint(first, int(is_first))
            for lit in present_days + earlier:
                model.add_implication(first, ~lit)
            model.add_bool_or([first, *present_days, *earlier])
            trips.append(group.size * first)
            for u, expr in at[m].items():
                both = model.new_bool_var(f"z{g},{m},{u}")
                model.add_hint(both, int(is_first and chosen[m][2] == u))
                model.add(both + 1 >= first + expr)
                model.add(both <= first)
                model.add(both <= expr)
                travel.append(group.travel_m[u] * both)
    spread: list[cp_model.LinearExprT] = []
    for net in problem.networks:
        all_ids = inst.by_network[net.id]
        k = len(all_ids)
        fixed_days = [inst.meetings[i].days[0] for i in all_ids if inst.meetings[i].fixed]
        for i in all_ids:
            if i not in free:
                continue
            order = inst.meetings[i].order
            points = [((2 * r + 1) * inst.horizon) // (2 * k) for r in range(k)]
            if fixed_days:
                later = []
                rank_now = order + sum(chosen[i][0] > fd for fd in fixed_days)
                for fd in fixed_days:
                    lit = model.new_bool_var(f"after{i},{fd}")
                    model.add_hint(lit, int(chosen[i][0] > fd))
                    model.add(day[i] > fd).only_enforce_if(lit)
                    model.add(day[i] < fd).only_enforce_if(~lit)
                    later.append(lit)
                rank = model.new_int_var(0, k - 1, f"rank{i}")
                model.add(rank == order + sum(later))
                point = model.new_int_var(min(points), max(points), f"ep{i}")
                model.add_element(rank, points, point)
                model.add_hint(rank, rank_now)
                model.add_hint(point, points[rank_now])
                target: cp_model.IntVar | int = point
                target_now = points[rank_now]
            else:
                target = points[order]
                target_now = points[order]
            dev = model.new_int_var(0, inst.horizon, f"dev{i}")
            model.add_hint(dev, abs(chosen[i][0] - target_now))
            model.add_abs_equality(dev, day[i] - target)
            spread.append(dev)
    costs: list[cp_model.LinearExprT] = []
    for venue in problem.venues:
        cents = round(venue.cost * 100)
        if cents <= 0:
            continue
        uses: dict[int, list[cp_model.IntVar]] = {}
        for m in frees:
            for (d, u), lit in combo[m].items():
                if u == venue.id and not by_venue_day.get((u, d)):
                    uses.setdefault(d, []).append(lit)
        for d, lits in uses.items():
            used = model.new_bool_var(f"u{venue.id},{d}")
            model.add_hint(
                used, int(any(chosen[m][:1] == (d,) and chosen[m][2] == venue.id for m in frees))
            )
            for lit in lits:
                model.add_implication(lit, used)
            costs.append(cents * used)
    model.minimize(
        w.travel_km * cp_model.LinearExpr.sum(travel)
        + 1000 * w.trips * cp_model.LinearExpr.sum(trips)
        + 1000 * w.spread_days * cp_model.LinearExpr.sum(spread)
        + 10 * w.venue_cost * cp_model.LinearExpr.sum(costs)
    )

    solver = step_solver(seed, det_limit)
    status = solver.solve(model)
    det = float(solver.deterministic_time)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False, det
    out = dict(chosen)
    for m in frees:
        (d, u) = next(k for k, lit in combo[m].items() if solver.value(lit))
        out[m] = (d, int(solver.value(start[m])), u)
    return out, status == cp_model.OPTIMAL, det
