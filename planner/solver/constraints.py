"""The hard rules of the CP-SAT model, one function per family.

Rules that are pure filters (holidays, weekdays, unavailable members, venue
capacity and allowed venues, the time grid and window, fixed meetings) are
already in the variables' domains (see :mod:`planner.solver.instance`).
Each function here adds the constraints of one family and says the rule in
its docstring.
"""

from __future__ import annotations

import itertools

from ortools.sat.python import cp_model

from planner.solver.variables import Variables


def add_choice(v: Variables) -> None:
    """Each meeting falls on exactly one day and at exactly one venue open that day.

    ``day`` and ``venue_index`` are tied to their one-hot literals, and a day
    literal implies one of the venues open on that day.
    """
    model, inst = v.model, v.inst
    venue_pos = {venue.id: k for k, venue in enumerate(inst.problem.venues)}
    for m in inst.meetings:
        days, venues = v.on_day[m.index], v.at_venue[m.index]
        model.add_exactly_one(days.values())
        model.add_exactly_one(venues.values())
        model.add(v.day[m.index] == sum(d * lit for d, lit in days.items()))
        model.add(v.venue_index[m.index] == sum(venue_pos[u] * lit for u, lit in venues.items()))
        if len(m.venues) > 1:
            for d, lit in days.items():
                open_here = [
                    venues[u] for u, vd in zip(m.venues, m.venue_days, strict=True) if d in vd
                ]
                if len(open_here) < len(m.venues):
                    model.add_bool_or(open_here).only_enforce_if(lit)


def add_venue_hours(v: Variables) -> None:
    """A meeting at a venue starts at or after its opening and ends by its closing time."""
    model, inst = v.model, v.inst
    for m in inst.meetings:
        for u, lit in v.at_venue[m.index].items():
            venue = inst.problem.venue_by_id[u]
            if venue.open > m.starts[0]:
                model.add(v.start[m.index] >= venue.open).only_enforce_if(lit)
            if venue.close < m.starts[-1] + m.duration:
                model.add(v.start[m.index] + m.duration <= venue.close).only_enforce_if(lit)


def add_network_sequence(v: Variables) -> None:
    """A network's free meetings follow each other at least ``min_gap_days`` apart.

    They are numbered in date order, which also breaks their symmetry. (Days
    too close to a fixed meeting are already out of the domains.)
    """
    model, inst = v.model, v.inst
    for net in inst.problem.networks:
        free = [i for i in inst.by_network[net.id] if not inst.meetings[i].fixed]
        gap = max(net.min_gap_days, 1)
        for a, b in itertools.pairwise(free):
            model.add(v.day[b] >= v.day[a] + gap)


def add_same_day_links(v: Variables) -> None:
    """Two meetings that share a required member are on one day only at one venue.

    ``same_day[(a, b)]`` holds exactly when both fall on one day; then they
    are at one venue (a dakpan session), so nobody travels between venues
    within a day. Two fixed meetings keep whatever venues they were given.
    """
    model, inst = v.model, v.inst
    for (a, b), lit in v.same_day.items():
        model.add(v.day[a] == v.day[b]).only_enforce_if(lit)
        model.add(v.day[a] != v.day[b]).only_enforce_if(~lit)
        if not (inst.meetings[a].fixed and inst.meetings[b].fixed):
            model.add(v.venue_index[a] == v.venue_index[b]).only_enforce_if(lit)


def add_person_no_overlap(v: Variables) -> None:
    """A required member's meetings never overlap, with ``changeover`` minutes after each.

    One no-overlap constraint per distinct set of meetings of a person group,
    on the absolute time line (day x 1440 + minute).
    """
    seen: set[tuple[int, ...]] = set()
    for group in v.inst.groups:
        if len(group.meetings) > 1 and group.meetings not in seen:
            seen.add(group.meetings)
            v.model.add_no_overlap([v.interval[m] for m in group.meetings])


def add_person_days(v: Variables) -> None:
    """Each person group's meetings of one day form one chain, in order of start.

    A circuit per group through a depot: ``first`` arcs leave home, ``last``
    arcs return home, ``arc[(g, a, b)]`` means ``b`` directly follows ``a``
    on the same day, at least ``changeover`` (plus travel time between two
    fixed meetings at different venues) after ``a`` ends. Two meetings on one
    day cannot both open it, so every day of a person is exactly one chain;
    ``idle`` is the gap along each arc.
    """
    if not v.exact_idle:
        _add_first_of_day(v)
        return
    model, inst = v.model, v.inst
    co = inst.problem.settings.changeover
    for g, group in enumerate(inst.groups):
        pairs = inst.group_pairs[g]
        if not pairs:
            continue
        node = {m: k + 1 for k, m in enumerate(group.meetings)}
        arcs: list[tuple[int, int, cp_model.LiteralT]] = []
        for m in group.meetings:
            arcs.append((0, node[m], v.first[(g, m)]))
            arcs.append((node[m], 0, v.last[(g, m)]))
        for a, b in pairs:
            same = v.same_day[(a, b)]
            model.add_bool_or([~same, ~v.first[(g, a)], ~v.first[(g, b)]])
            model.add_bool_or([~same, ~v.last[(g, a)], ~v.last[(g, b)]])
            for x, y in ((a, b), (b, a)):
                lit = v.arc[(g, x, y)]
                idle = v.idle[(g, x, y)]
                arcs.append((node[x], node[y], lit))
                model.add_implication(lit, same)
                end_x = v.start[x] + inst.meetings[x].duration
                model.add(v.start[y] >= end_x + co + _fixed_travel(v, x, y)).only_enforce_if(lit)
                model.add(idle == v.start[y] - end_x).only_enforce_if(lit)
                model.add(idle == 0).only_enforce_if(~lit)
        model.add_multiple_circuit(arcs)


def _add_first_of_day(v: Variables) -> None:
    """Without chains: ``first[(g, m)]`` holds exactly when no meeting of group ``g``
    with a lower index falls on ``m``'s day."""
    model, inst = v.model, v.inst
    for g, group in enumerate(inst.groups):
        pairs = inst.group_pairs[g]
        if not pairs:
            continue
        earlier: dict[int, list[cp_model.IntVar]] = {m: [] for m in group.meetings}
        for a, b in pairs:
            earlier[b].append(v.same_day[(a, b)])
        for m, lits in earlier.items():
            first = v.first[(g, m)]
            for lit in lits:
                model.add_implication(first, ~lit)
            model.add_bool_or([first, *lits])


def _fixed_travel(v: Variables, a: int, b: int) -> int:
    ma, mb = v.inst.meetings[a], v.inst.meetings[b]
    if ma.fixed and mb.fixed and ma.venues[0] != mb.venues[0]:
        return v.inst.distances.minutes(ma.venues[0], mb.venues[0])
    return 0


def add_daily_cap(v: Variables) -> None:
    """A required member has at most ``max_meetings_per_day`` meetings on one day."""
    model, inst = v.model, v.inst
    cap = inst.problem.settings.max_meetings_per_day
    seen: set[tuple[int, ...]] = set()
    for group in inst.groups:
        if len(group.meetings) <= cap or group.meetings in seen:
            continue
        seen.add(group.meetings)
        per_day: dict[int, list[cp_model.IntVar]] = {}
        for m in group.meetings:
            for d, lit in v.on_day[m].items():
                per_day.setdefault(d, []).append(lit)
        for lits in per_day.values():
            if len(lits) > cap:
                model.add(sum(lits) <= cap)


def add_rooms(v: Variables) -> None:
    """At most ``rooms`` meetings occupy a venue at once, each until ``changeover`` after it."""
    model, inst = v.model, v.inst
    co = inst.problem.settings.changeover
    for venue in inst.problem.venues:
        intervals = []
        for m in inst.meetings:
            lit = v.at_venue[m.index].get(venue.id)
            if lit is None:
                continue
            intervals.append(
                model.new_optional_fixed_size_interval_var(
                    v.when[m.index],
                    m.duration + co,
                    lit,
                    f"room[{venue.id},{m.index}]",
                )
            )
        if len(intervals) <= venue.rooms:
            continue
        if venue.rooms == 1:
            model.add_no_overlap(intervals)
        else:
            model.add_cumulative(intervals, [1] * len(intervals), venue.rooms)


ALL_RULES = (
    add_choice,
    add_venue_hours,
    add_network_sequence,
    add_same_day_links,
    add_person_no_overlap,
    add_person_days,
    add_daily_cap,
    add_rooms,
)
"""Every constraint family, in the order the model adds them."""
