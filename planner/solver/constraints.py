"""The hard rules of the CP-SAT model, one function per family.

Each function states its rule in plain words and adds it for the meetings of
the model's scope, with every other placed meeting as a constant, so the
same functions build the whole problem, a neighbourhood, a repair and a
day's timing. Rules that are pure filters of one meeting (horizon, weekdays,
holidays, whole-day unavailability, capacity, allowed venues, window and
grid, fixed meetings) are already in the domains (:mod:`planner.solver.instance`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from planner.solver.instance import MINUTES_PER_DAY
from planner.solver.variables import Variables


def add_choice(v: Variables) -> None:
    """Each meeting falls on exactly one of its (day, venue) pairs; ``day`` follows."""
    model = v.model
    for m, xs in v.x.items():
        model.add_exactly_one(xs.values())
        model.add(v.day[m] == sum(d * lit for (d, _), lit in xs.items()))


def add_start_domains(v: Variables) -> None:
    """A meeting starts on the grid, within its window and its venue's opening hours,
    and overlaps no time range in which the venue is closed or a required member
    is unavailable (contract v1.1)."""
    model, inst = v.model, v.inst
    for m, xs in v.x.items():
        base = set(v.scope.starts.get(m) or inst.meetings[m].starts)
        for (d, u), lit in xs.items():
            allowed = [t for t in inst.starts_at(m, d, u) if t in base]
            if len(allowed) < len(base):
                model.add_linear_expression_in_domain(
                    v.start[m], cp_model.Domain.from_values(allowed)
                ).only_enforce_if(lit)


def add_network_order(v: Variables) -> None:
    """A network's free meetings keep their date order, at least ``min_gap_days`` apart.

    Between two decided meetings this is a constraint; against a kept one it
    removes the days too close to it. With ``min_gap_days`` 0 two meetings of a
    network may share a date (the contract allows it); its members' no-overlap
    and travel gaps keep them apart in time.
    """
    model, inst = v.model, v.inst
    for net in inst.problem.networks:
        ids = [i for i in inst.by_network[net.id] if not inst.meetings[i].fixed]
        gap = net.min_gap_days
        inside = [i for i in ids if i in v.x]
        for a, b in itertools.pairwise(inside):
            model.add(v.day[b] >= v.day[a] + gap)
        for m in inside:
            order = inst.meetings[m].order
            for q, (dq, _, _) in v.constants(tuple(ids)):
                before = inst.meetings[q].order < order
                for (d, _), lit in v.x[m].items():
                    if (before and d < dq + gap) or (not before and d > dq - gap):
                        model.add(lit == 0)


def add_person_no_overlap(v: Variables) -> None:
    """A required member's meetings never overlap, with ``changeover`` minutes after each.

    One no-overlap constraint per group of members with the same networks, on
    the absolute time line (day x 1440 + minute), with the group's kept
    meetings on the days its decided meetings may take as fixed intervals.
    """
    model, inst = v.model, v.inst
    co = inst.problem.settings.changeover
    for g, group in v.groups():
        inside = [m for m in group.meetings if m in v.x]
        if not inside:
            continue
        days = {d for m in inside for d, _ in v.x[m]}
        intervals = [v.busy[m] for m in inside]
        for q, (d, t, _) in v.constants(group.meetings):
            if d in days:
                size = inst.meetings[q].duration + co
                intervals.append(
                    model.new_fixed_size_interval_var(
                        d * MINUTES_PER_DAY + t, size, f"kept[g{g},{q}]"
                    )
                )
        if len(intervals) > 1:
            model.add_no_overlap(intervals)


def add_travel_gaps(v: Variables) -> None:
    """Between two meetings of a required member on one day at different venues there
    are at least ``changeover`` plus the travel minutes between the venues.

    The model asks this of every two meetings of a day; with travel minutes that
    obey the triangle inequality that is the contract's rule on consecutive ones.
    """
    inst = v.inst
    if inst.one_place:
        return
    for m in v.x:
        for q in inst.linked[m]:
            if q in v.x:
                if m < q:
                    _gap_between_decided(v, m, q)
            elif q in v.state.at:
                _gap_to_kept(v, m, q)


def _gap_to_kept(v: Variables, m: int, q: int) -> None:
    inst, model = v.inst, v.model
    co = inst.problem.settings.changeover
    dq, tq, uq = v.state.at[q]
    dur_m, dur_q = inst.meetings[m].duration, inst.meetings[q].duration
    for (d, u), lit in v.x[m].items():
        if d != dq or u == uq:
            continue
        to_q, from_q = inst.venue_minutes[(u, uq)], inst.venue_minutes[(uq, u)]
        if to_q == 0 and from_q == 0:
            continue
        bad_lo = tq - dur_m - co - to_q  # starts after this clash unless after q
        bad_hi = tq + dur_q + co + from_q
        allowed = cp_model.Domain(-MINUTES_PER_DAY, bad_lo).union_with(
            cp_model.Domain(bad_hi, 2 * MINUTES_PER_DAY)
        )
        model.add_linear_expression_in_domain(v.start[m], allowed).only_enforce_if(lit)


def _gap_between_decided(v: Variables, a: int, b: int) -> None:
    inst, model = v.inst, v.model
    common = {d for d, _ in v.x[a]} & {d for d, _ in v.x[b]}
    if not common:
        return
    va = sorted({u for _, u in v.x[a]})
    vb = sorted({u for _, u in v.x[b]})
    tab_ab = [inst.venue_minutes[(u, w)] for u in va for w in vb]
    tab_ba = [inst.venue_minutes[(w, u)] for u in va for w in vb]
    if not any(tab_ab) and not any(tab_ba):
        return
    co = inst.problem.settings.changeover
    index = _venue_index(v, a, va) * len(vb) + _venue_index(v, b, vb)
    t_ab = model.new_int_var(min(tab_ab), max(tab_ab), f"tt[{a},{b}]")
    t_ba = model.new_int_var(min(tab_ba), max(tab_ba), f"tt[{b},{a}]")
    model.add_element(index, tab_ab, t_ab)
    model.add_element(index, tab_ba, t_ba)
    same = model.new_bool_var(f"same_day[{a},{b}]")
    model.add(v.day[a] == v.day[b]).only_enforce_if(same)
    model.add(v.day[a] != v.day[b]).only_enforce_if(~same)
    first = model.new_bool_var(f"first[{a},{b}]")
    dur_a, dur_b = inst.meetings[a].duration, inst.meetings[b].duration
    model.add(v.when[b] >= v.when[a] + dur_a + co + t_ab).only_enforce_if([same, first])
    model.add(v.when[a] >= v.when[b] + dur_b + co + t_ba).only_enforce_if([same, ~first])


def _venue_index(v: Variables, m: int, venues: list[str]) -> Any:
    if len(venues) == 1:
        return 0
    return sum(k * v.at_venue[(m, u)] for k, u in enumerate(venues))


def add_daily_cap(v: Variables) -> None:
    """A required member has at most ``max_meetings_per_day`` meetings on one day."""
    model, inst = v.model, v.inst
    cap = inst.problem.settings.max_meetings_per_day
    for _, group in v.groups():
        inside = [m for m in group.meetings if m in v.x]
        if not inside:
            continue
        kept: dict[int, int] = {}
        for _, (d, _, _) in v.constants(group.meetings):
            kept[d] = kept.get(d, 0) + 1
        per_day: dict[int, list[cp_model.IntVar]] = {}
        for m in inside:
            for d in {d for d, _ in v.x[m]}:
                per_day.setdefault(d, []).append(v.on_day[(m, d)])
        for d, lits in per_day.items():
            if len(lits) + kept.get(d, 0) > cap:
                model.add(sum(lits) <= cap - kept.get(d, 0))


def add_rooms(v: Variables) -> None:
    """At most ``rooms`` meetings occupy a venue at once, each until ``changeover`` after it."""
    model, inst = v.model, v.inst
    co = inst.problem.settings.changeover
    for venue in inst.problem.venues:
        inside = [m for m in v.x if (m, venue.id) in v.at_venue]
        if not inside:
            continue
        days = {d for m in inside for d, u in v.x[m] if u == venue.id}
        intervals = [
            model.new_optional_fixed_size_interval_var(
                v.when[m],
                inst.meetings[m].duration + co,
                v.at_venue[(m, venue.id)],
                f"room[{venue.id},{m}]",
            )
            for m in inside
        ]
        for d in sorted(days):
            for t, q in v.state.at_venue(venue.id, d):
                if q not in v.x:
                    intervals.append(
                        model.new_fixed_size_interval_var(
                            d * MINUTES_PER_DAY + t,
                            inst.meetings[q].duration + co,
                            f"room_kept[{venue.id},{q}]",
                        )
                    )
        if len(intervals) <= venue.rooms:
            continue
        if venue.rooms == 1:
            model.add_no_overlap(intervals)
        else:
            model.add_cumulative(intervals, [1] * len(intervals), venue.rooms)


ALL_RULES: tuple[Callable[[Variables], None], ...] = (
    add_choice,
    add_start_domains,
    add_network_order,
    add_person_no_overlap,
    add_travel_gaps,
    add_daily_cap,
    add_rooms,
)
"""Every constraint family, in the order the model adds them."""
