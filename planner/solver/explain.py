"""Explanations a coordinator can act on when there is no plan.

Two steps:

1. :func:`precheck` looks at each network alone: no allowed venue with room
   for its members, no start time that fits its window and a venue's hours,
   too few candidate dates for its meetings at its least gap, fixed meetings
   that break its own rules; and each hard relay wish with its own networks
   (:func:`planner.solver.wishproof.wish_faults`).
2. :func:`explain_infeasible` looks at the networks together: a deletion
   filter finds a smallest set of networks that cannot be planned together
   (dropping any one of them makes the rest plannable), then names the rules
   whose relaxation would make that set plannable.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from ortools.sat.python import cp_model

from planner.calendar import (
    candidate_dates,
    holiday_reason,
    horizon,
    max_meetings_possible,
    venue_open_on,
)
from planner.problem import (
    WEEKDAY_NAMES,
    FixedMeeting,
    Network,
    Problem,
    Settings,
    Together,
    fmt_time,
)
from planner.solver.instance import Instance
from planner.solver.state import PlanState
from planner.solver.wishes import fixed_short, sessions_held
from planner.solver.wishproof import wish_faults, wish_label


def precheck(problem: Problem) -> list[str]:
    """Reasons why single networks (or a hard relay wish's networks) cannot be planned."""
    out: list[str] = []
    for net in problem.networks:
        label = f"Network {net.id!r} ({net.name})"
        size = len(problem.members(net.id))
        roomy = [
            problem.venue_by_id[v] for v in net.venues if problem.venue_by_id[v].capacity >= size
        ]
        if not roomy:
            biggest = max(problem.venue_by_id[v].capacity for v in net.venues)
            out.append(
                f"{label} has {size} members but its venues seat at most {biggest}: "
                "allow a larger venue or raise a capacity."
            )
            continue
        fits = [
            v for v in roomy if max(net.earliest, v.open) + net.duration <= min(net.latest, v.close)
        ]
        if not fits:
            out.append(
                f"{label}: a {net.duration}-minute meeting does not fit between "
                f"{fmt_time(net.earliest)} and {fmt_time(net.latest)} at any of its venues' "
                "opening hours: widen the window or the hours, or shorten the meeting."
            )
            continue
        for f in problem.fixed_of(net.id):
            out += _fixed_faults(problem, net, f, label)
        fixed = problem.fixed_of(net.id)
        for a, b in itertools.pairwise(fixed):
            if (b.date - a.date).days < net.min_gap_days:
                out.append(
                    f"{label}: fixed meetings on {a.date} and {b.date} are fewer than "
                    f"{net.min_gap_days} days apart."
                )
        free = net.meetings - len(fixed)
        if free <= 0:
            continue
        days = [
            d
            for d in candidate_dates(problem, net.id)
            if all(abs((d - f.date).days) >= net.min_gap_days for f in fixed)
        ]
        most = max_meetings_possible(tuple(days), net.min_gap_days, wanted=free)
        if most < free:
            out.append(
                f"{label} needs {free} meetings at least {net.min_gap_days} days apart but "
                f"only {most} fit on its {len(days)} candidate dates (after weekdays, "
                "holidays, venue closures and its required members' unavailable days"
                f"{', and its fixed meetings' if fixed else ''}): lower 'meetings' or "
                "'min_gap_days', allow more weekdays or venues, or check who is unavailable."
                + _unavailable_text(problem, net)
            )
    return out + wish_faults(problem)


def _unavailable_text(problem: Problem, net: Network) -> str:
    """Which required members' unavailable dates take candidate dates from ``net``."""
    venues = [problem.venue_by_id[v] for v in net.venues]
    everyone = problem.required_members(net.id)
    open_days = [
        d
        for d in horizon(problem.settings)
        if d.weekday() in net.weekdays
        and holiday_reason(problem.settings, net.region, d) is None
        and any(venue_open_on(v, d) for v in venues)
    ]
    lost = sorted(
        (-n, p)
        for p in everyone
        if (n := sum(1 for d in open_days if d in problem.person_by_id[p].unavailable))
    )
    if not lost:
        return ""
    names = ", ".join(
        f"{problem.person_by_id[p].name} ({p}): {-n} of {len(open_days)}" for n, p in lost[:5]
    )
    return f" Dates its required members cannot come: {names}."


def _fixed_faults(problem: Problem, net: Network, f: FixedMeeting, label: str) -> list[str]:
    """Every rule of one meeting that a fixed meeting breaks, in words."""
    s = problem.settings
    where = f"{label}: fixed meeting on {f.date} at {fmt_time(f.start)}"
    end = f.start + net.duration
    out: list[str] = []
    if not s.start <= f.date <= s.end:
        out.append(f"{where} lies outside the horizon {s.start}..{s.end}.")
    if f.start < net.earliest or end > net.latest:
        out.append(
            f"{where} does not fit the network's window {fmt_time(net.earliest)}-"
            f"{fmt_time(net.latest)} (it ends at {fmt_time(end)})."
        )
    if (f.start - s.day_start) % s.slot:
        out.append(f"{where} is not on the {s.slot}-minute grid from {fmt_time(s.day_start)}.")
    if f.date.weekday() not in net.weekdays:
        out.append(f"{where} is on a {WEEKDAY_NAMES[f.date.weekday()]}, not a meeting day of it.")
    reason = holiday_reason(s, net.region, f.date)
    if reason is not None:
        out.append(f"{where} falls on {reason}.")
    if f.venue not in net.venues:
        out.append(f"{where} is at venue {f.venue!r}, which the network may not use.")
    venue = problem.venue_by_id[f.venue]
    if f.start < venue.open or end > venue.close:
        out.append(
            f"{where} is outside the opening hours of {venue.name} "
            f"({fmt_time(venue.open)}-{fmt_time(venue.close)})."
        )
    if f.date.weekday() not in venue.weekdays or f.date in venue.unavailable:
        out.append(f"{where}: {venue.name} is closed that day.")
    size = len(problem.members(net.id))
    if size > venue.capacity:
        out.append(f"{where}: {venue.name} seats {venue.capacity}, the network has {size}.")
    away = [
        p for p in problem.required_members(net.id) if f.date in problem.person_by_id[p].unavailable
    ]
    if away:
        out.append(f"{where}: required member(s) {', '.join(away)} are unavailable that day.")
    return out


def fixed_conflicts(inst: Instance) -> list[str]:
    """Fixed meetings that break a rule together (a clash, a travel gap, the daily
    cap, rooms): a proof that no plan exists, naming the meetings."""
    state = PlanState(inst)
    out: list[str] = []
    for m in inst.meetings:
        if not m.fixed:
            continue
        slot = state.remove(m.index)
        others = sorted(state.conflicts(m.index, slot))
        state.place(m.index, slot)
        for q in others:
            if q < m.index:
                continue
            a, b = inst.meetings[m.index], inst.meetings[q]
            da, db = inst.date_of(slot[0]), inst.date_of(state.at[q][0])
            out.append(
                f"The fixed meetings of {a.network!r} on {da} at {fmt_time(slot[1])} and of "
                f"{b.network!r} on {db} at {fmt_time(state.at[q][1])} cannot both be kept: they "
                "share required members or a room without the time between them that the "
                "changeover, the travel between their venues or the daily cap asks. "
                "Move one of them."
            )
    return out + [
        f"{wish_label(w)} is not held by the fixed meetings of its networks, and all their "
        "meetings are fixed: move a fixed meeting or make the wish soft (hard = no)."
        for w in inst.problem.together
        if w.hard and fixed_short(inst, w)
    ]


def _subproblem(
    problem: Problem,
    networks: list[str],
    settings: Settings,
    together: tuple[Together, ...] | None = None,
) -> Problem:
    keep = set(networks)
    together = problem.together if together is None else together
    return Problem(
        settings=settings,
        networks=tuple(n for n in problem.networks if n.id in keep),
        people=problem.people,
        venues=problem.venues,
        memberships=tuple(m for m in problem.memberships if m.network in keep),
        fixed=tuple(f for f in problem.fixed if f.network in keep),
        travel=problem.travel,
        together=tuple(w for w in together if all(n in keep for n in w.networks)),
    )


def _feasible(problem: Problem, det_limit: float) -> tuple[bool | None, float]:
    """Whether ``problem`` has a plan (``None``: not decided in time), and the
    deterministic seconds spent. The whole model, without objective, decides."""
    from planner.solver.instance import build_instance
    from planner.solver.model import build_model, make_solver, solve_step
    from planner.solver.state import PlanState
    from planner.solver.variables import Scope

    inst = build_instance(problem)
    if any(not m.days or not m.venues for m in inst.meetings):
        return False, 0.0
    built = build_model(inst, PlanState(inst), Scope.whole(inst, exact=True), objective=False)
    step = solve_step(built, make_solver(0, det_limit, 10 * det_limit + 2, whole=True))
    if step.placed is not None:
        return True, step.det_time
    if step.status == cp_model.INFEASIBLE:
        return False, step.det_time
    return None, step.det_time


RELAXATIONS: tuple[tuple[str, dict[str, object]], ...] = (
    ("max_meetings_per_day", {"max_meetings_per_day": 99}),
    ("changeover", {"changeover": 0}),
    ("school_holidays", {"school_holidays": False}),
    ("public_holidays", {"public_holidays": False}),
)


def explain_infeasible(
    problem: Problem, *, time_limit: float = 10.0, budget: float = 60.0
) -> list[str]:
    """Find a small set of networks that cannot be planned together, and why.

    A deletion filter: each network in turn is left out, and stays out when
    the others still cannot be planned. Each test gets at most ``time_limit``
    deterministic seconds, all tests together ``budget``; a test that is not
    decided in time keeps its network in the set, and the explanation then
    says the set may not be minimal (never wrong about the set being hard).
    Deterministic: the same input gives the same explanation.
    """
    keep = [n.id for n in problem.networks]
    settings = problem.settings
    wishes = _hard_wishes(problem, time_limit)
    if wishes:
        return wishes
    spent = 0.0
    minimal = True
    for nid in list(keep):
        trial = [k for k in keep if k != nid]
        if not trial:
            continue
        if spent >= budget:
            minimal = False
            break
        verdict, used = _feasible(_subproblem(problem, trial, settings), time_limit)
        spent += used
        if verdict is False:
            keep = trial
        elif verdict is None:
            minimal = False
    names = ", ".join(f"{k!r}" for k in keep)
    core = _subproblem(problem, keep, settings)
    shared = _shared_people(core)
    if len(keep) > 1:
        first = (
            f"These networks cannot be planned together: {names}"
            + (f" (shared required members: {', '.join(shared[:8])})" if shared else "")
            + (
                ". Dropping any one of them makes the rest plannable."
                if minimal
                else ". (Search time ran out before this set could be narrowed further.)"
            )
        )
    else:
        first = (
            f"Network {names} cannot be planned (together with the venues' rooms and "
            "hours and its members' other commitments)."
        )
    lines = [first]
    helps = []
    for label, change in RELAXATIONS:
        if spent >= budget:
            break
        relaxed = replace(settings, **change)  # type: ignore[arg-type]
        verdict, used = _feasible(_subproblem(problem, keep, relaxed), time_limit)
        spent += used
        if verdict:
            helps.append(label)
    if helps:
        lines.append("It becomes plannable when relaxing: " + ", ".join(helps) + ".")
    counts = {k: problem.network_by_id[k].meetings for k in keep}
    lines.append(
        "Meetings asked: "
        + ", ".join(f"{k}: {c}" for k, c in counts.items())
        + ". Consider fewer meetings, a smaller min_gap_days, more weekdays or venues."
    )
    return lines


def _hard_wishes(problem: Problem, time_limit: float) -> list[str]:
    """When dropping the hard relay wishes makes the problem plannable, name them."""
    hard = [w for w in problem.together if w.hard]
    if not hard:
        return []
    soft = tuple(w for w in problem.together if not w.hard)
    everyone = [n.id for n in problem.networks]
    verdict, _ = _feasible(_subproblem(problem, everyone, problem.settings, soft), time_limit)
    if not verdict:
        return []
    lines = []
    for wish in hard:
        alone = (*soft, wish)
        verdict, _ = _feasible(_subproblem(problem, everyone, problem.settings, alone), time_limit)
        if verdict is False:
            lines.append(
                f"The relay wish {' + '.join(wish.networks)} ({wish.times} time(s)"
                f"{', in this order' if wish.order else ''}) cannot be held together with "
                "the other rules: make it soft (hard = no), ask for fewer times, or give "
                "these networks more common dates and venues."
            )
    return lines or [
        "The hard relay wishes cannot all be held together: make some of them soft "
        "(hard = no) or ask for fewer times."
    ]


def _shared_people(problem: Problem) -> list[str]:
    ids = [n.id for n in problem.networks]
    seen: dict[str, int] = {}
    for nid in ids:
        for p in problem.required_members(nid):
            seen[p] = seen.get(p, 0) + 1
    return [p for p, c in seen.items() if c > 1]


def no_plan_text(time_limit: float, inst: Instance, state: PlanState) -> tuple[str, ...]:
    """Why there is no plan after ``time_limit`` seconds, with no proof: what is missing."""
    missing = state.missing()
    if not missing:
        return _wish_text(time_limit, inst, state)
    nets = sorted({inst.meetings[m].network for m in missing})
    return (
        f"No plan found in {time_limit:g} s; not proven infeasible. The best attempt "
        f"placed {len(state.at)} of {len(inst.meetings)} meetings; still unplaced: meetings "
        f"of {', '.join(repr(n) for n in nets[:10])}{' ...' if len(nets) > 10 else ''}.",
        "Try a longer --time-limit, or fewer meetings or a smaller min_gap_days for "
        "those networks, more weekdays, venues or rooms.",
    )


def _wish_text(time_limit: float, inst: Instance, state: PlanState) -> tuple[str, ...]:
    """Every meeting placed, but hard relay wishes short: name them."""
    short = [
        f"{' + '.join(w.networks)} together in {sessions_held(inst, w, state.at)} of "
        f"{w.times} session(s)"
        for w in inst.problem.together
        if w.hard and sessions_held(inst, w, state.at) < w.times
    ]
    return (
        f"No plan found in {time_limit:g} s; not proven infeasible. The best attempt "
        f"placed all {len(inst.meetings)} meetings but not every hard relay wish (together, "
        f"hard = yes): {'; '.join(short)}.",
        "Try a longer --time-limit, or make the wish soft (hard = no), lower its times, "
        "or check that its networks can meet on one date at one venue (members' daily "
        "cap, unavailable dates, the venue's hours and its networks' durations).",
    )
