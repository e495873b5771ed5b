"""The judge: every hard rule and every figure of the data contract.

:func:`check` recomputes, from a :class:`~planner.problem.Problem` and a
:class:`~planner.schedule.Schedule` alone, each hard-rule violation (one
function per kind, counted exactly as the contract's "one count per" column
says) and each figure (``travel_km``, ``trips``, ``idle_minutes``,
``sessions`` plus our extensions ``optional_clashes``, ``venue_cost`` and
``spread_days``). It shares only the data model, the schedule and the
calendar with the rest of dakpan and never imports the solver, so that it
can judge the solver.

The hard rules live here; the rows and context they share live in
:mod:`planner.check_context` and the figures (with :func:`day_figures` and
:func:`if_need_be_pairs`) in :mod:`planner.check_figures`.

Conventions (the contract's, made explicit):

- A meeting occupies ``[start, end)`` with the ``end`` the schedule gives,
  measured in absolute minutes (``date`` and time), so meetings on different
  dates never overlap.
- A person's meetings are the meetings of the networks in which they are a
  *required* member; only these count for clashes, travel gaps, the daily
  cap, unavailability and the travel figures. The ``attendees`` column of the
  schedule is not used: membership comes from the problem.
- "In order of start" breaks ties by end, then by schedule row.
- A meeting of a network the problem lacks counts once under ``count`` (per
  network id) and takes part only in ``horizon``, the slot part of ``grid``,
  ``venue_list`` (when its venue is unknown too), ``venue_closed``,
  ``rooms`` and ``sessions``. A meeting at an unknown venue counts under
  ``venue_list`` and is skipped by every venue-based rule and by the routes
  of the travel figures (travel to or from it counts as 0 minutes).
- ``optional_clashes`` counts one per (person, pair of overlapping meetings
  of theirs in any role) where the person is an *optional* member of one or
  both of the two networks; pairs where they are required in both are hard
  ``clash`` violations instead.

Contract v1.1 (see ``docs/FORMAT-NOTES.md``): ``unavailable`` and
``venue_closed`` also count meetings that overlap a time range (touching
ends do not overlap; still one count per (member, meeting) and per meeting);
hard kind ``together`` and figure ``together_met`` (:mod:`planner.together`);
the waiting figures ``excess_idle_minutes`` and ``long_waits``, taken
literally from the day's meetings in order of start.

Extension (``docs/FORMAT-NOTES.md``): the figure ``if_need_be`` counts the
(required member, meeting) pairs where the member answered "if need be" for
the meeting's date (``people.if_need_be``) or for a time range that overlaps
the meeting (touching ends do not overlap), one count per pair.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from dataclasses import replace
from datetime import date

from planner.calendar import holiday_reason, time_range_overlap
from planner.check_context import _M, _Ctx, _overlapping_pairs, _v
from planner.check_distances import (
    EARTH_RADIUS_KM,
    Distances,
    ceil_minutes,
    great_circle_km,
    travel_km_between,
    travel_minutes_between,
)
from planner.check_figures import _figures, day_figures, if_need_be_pairs
from planner.check_report import (
    FIGURE_NAMES,
    KINDS,
    CheckReport,
    DayFigures,
    Figures,
    NetworkFigures,
    PersonFigures,
    Violation,
    headline,
    ratios,
)
from planner.problem import (
    WEEKDAY_NAMES,
    WEEKDAY_NAMES_NL,
    Problem,
    fmt_time,
)
from planner.schedule import Schedule
from planner.together import held_counts

__all__ = [
    "EARTH_RADIUS_KM",
    "FIGURE_NAMES",
    "KINDS",
    "CheckReport",
    "DayFigures",
    "Distances",
    "Figures",
    "NetworkFigures",
    "PersonFigures",
    "Violation",
    "ceil_minutes",
    "check",
    "day_figures",
    "great_circle_km",
    "headline",
    "if_need_be_pairs",
    "ratios",
    "travel_km_between",
    "travel_minutes_between",
    "violations_of",
]
"""Everything :mod:`planner.check` offers, its report types and distances included."""


# --------------------------------------------------------------------- hard rules
def _count(c: _Ctx) -> list[Violation]:
    out: list[Violation] = []
    for net in c.problem.networks:
        rows = c.by_network.get(net.id, [])
        if len(rows) != net.meetings:
            out.append(
                _v(
                    "count",
                    rows,
                    c.t(
                        f"{net.name} has {len(rows)} meetings in the schedule, "
                        f"but needs {net.meetings}",
                        f"{net.name} heeft {len(rows)} bijeenkomsten in het rooster, "
                        f"maar moet er {net.meetings} hebben",
                    ),
                )
            )
    for network_id, rows in c.by_network.items():
        if network_id not in c.problem.network_by_id:
            out.append(
                _v(
                    "count",
                    rows,
                    c.t(
                        f"network {network_id!r} is in the schedule ({len(rows)} meetings) "
                        "but not in the input",
                        f"netwerk {network_id!r} staat in het rooster ({len(rows)} "
                        "bijeenkomsten) maar niet in de invoer",
                    ),
                )
            )
    return out


def _horizon(c: _Ctx) -> list[Violation]:
    s = c.settings
    return [
        _v(
            "horizon",
            [r],
            c.t(
                f"{c.describe(r)} is outside the horizon {s.start}..{s.end}",
                f"{c.describe(r)} valt buiten de planperiode {s.start}..{s.end}",
            ),
            day=r.m.date,
        )
        for r in c.rows
        if not s.start <= r.m.date <= s.end
    ]


def _window(c: _Ctx) -> list[Violation]:
    out = []
    for r in c.rows:
        net = r.net
        if net is None:
            continue
        if r.m.start < net.earliest or r.m.end > net.latest:
            window = f"{fmt_time(net.earliest)}-{fmt_time(net.latest)}"
            out.append(
                _v(
                    "window",
                    [r],
                    c.t(
                        f"{c.describe(r)} is outside the network's time window {window}",
                        f"{c.describe(r)} valt buiten het tijdvenster {window} van het netwerk",
                    ),
                    day=r.m.date,
                )
            )
    return out


def _grid(c: _Ctx) -> list[Violation]:
    s = c.settings
    out = []
    for r in c.rows:
        off_grid = (r.m.start - s.day_start) % s.slot != 0
        wrong_end = r.net is not None and r.m.end != r.m.start + r.net.duration
        if not (off_grid or wrong_end):
            continue
        parts = []
        if off_grid:
            parts.append(
                c.t(
                    f"its start is not a whole number of {s.slot}-minute slots after "
                    f"{fmt_time(s.day_start)}",
                    f"de begintijd ligt niet een geheel aantal tijdvakken van {s.slot} "
                    f"minuten na {fmt_time(s.day_start)}",
                )
            )
        if wrong_end and r.net is not None:
            parts.append(
                c.t(
                    f"it lasts {r.m.end - r.m.start} minutes instead of {r.net.duration}",
                    f"de duur is {r.m.end - r.m.start} minuten in plaats van {r.net.duration}",
                )
            )
        out.append(_v("grid", [r], f"{c.describe(r)}: {'; '.join(parts)}", day=r.m.date))
    return out


def _weekday(c: _Ctx) -> list[Violation]:
    names = WEEKDAY_NAMES_NL if c.nl else WEEKDAY_NAMES
    out = []
    for r in c.rows:
        if r.net is None or r.m.date.weekday() in r.net.weekdays:
            continue
        allowed = ";".join(names[d] for d in sorted(r.net.weekdays))
        out.append(
            _v(
                "weekday",
                [r],
                c.t(
                    f"{c.describe(r)} is on a {names[r.m.date.weekday()]}; "
                    f"the network meets on {allowed}",
                    f"{c.describe(r)} valt op een {names[r.m.date.weekday()]}; "
                    f"het netwerk komt samen op {allowed}",
                ),
                day=r.m.date,
            )
        )
    return out


def _venue_list(c: _Ctx) -> list[Violation]:
    out = []
    for r in c.rows:
        if r.venue is None:
            reason = c.t(
                f"{c.describe(r)}: {r.m.venue!r} is not a venue of the input",
                f"{c.describe(r)}: {r.m.venue!r} is geen locatie uit de invoer",
            )
        elif r.net is not None and r.m.venue not in r.net.venues:
            reason = c.t(
                f"{c.describe(r)}: the network may not use this venue",
                f"{c.describe(r)}: het netwerk mag deze locatie niet gebruiken",
            )
        else:
            continue
        out.append(_v("venue_list", [r], reason, day=r.m.date))
    return out


def _venue_closed(c: _Ctx) -> list[Violation]:
    names = WEEKDAY_NAMES_NL if c.nl else WEEKDAY_NAMES
    out = []
    for r in c.rows:
        v = r.venue
        if v is None:
            continue
        parts = []
        if r.m.start < v.open or r.m.end > v.close:
            hours = f"{fmt_time(v.open)}-{fmt_time(v.close)}"
            parts.append(c.t(f"it is open {hours}", f"die is open van {hours}"))
        if r.m.date.weekday() not in v.weekdays:
            day = names[r.m.date.weekday()]
            parts.append(c.t(f"it is closed on {day}", f"die is op {day} gesloten"))
        if r.m.date in v.unavailable:
            parts.append(
                c.t(f"it is closed on {r.m.date}", f"die is op {r.m.date} niet beschikbaar")
            )
        hit = time_range_overlap(v.unavailable_times, r.m.date, r.m.start, r.m.end)
        if hit is not None:
            span = f"{hit[0]} {fmt_time(hit[1])}-{fmt_time(hit[2])}"
            parts.append(c.t(f"it is closed {span}", f"die is {span} niet beschikbaar"))
        if parts:
            out.append(
                _v(
                    "venue_closed",
                    [r],
                    c.t(
                        f"{c.describe(r)}, but {v.name} is closed then: {'; '.join(parts)}",
                        f"{c.describe(r)}, maar {v.name} is dan dicht: {'; '.join(parts)}",
                    ),
                    day=r.m.date,
                )
            )
    return out


def _holiday_name(c: _Ctx, region: str, day: date) -> str | None:
    s = c.settings
    if s.start.year <= day.year <= s.end.year:
        return holiday_reason(s, region, day)
    # A date outside the horizon's years: ask the calendar for that year.
    year = replace(s, start=date(day.year, 1, 1), end=date(day.year, 12, 31))
    return holiday_reason(year, region, day)


def _holiday(c: _Ctx) -> list[Violation]:
    out = []
    for r in c.rows:
        if r.net is None:
            continue
        name = _holiday_name(c, r.net.region, r.m.date)
        if name is not None:
            out.append(
                _v(
                    "holiday",
                    [r],
                    c.t(
                        f"{c.describe(r)} falls on a holiday ({name}, region {r.net.region})",
                        f"{c.describe(r)} valt in een vakantie of op een feestdag "
                        f"({name}, regio {r.net.region})",
                    ),
                    day=r.m.date,
                )
            )
    return out


def _unavailable(c: _Ctx) -> list[Violation]:
    """One count per (required member, meeting) on an unavailable date or time range."""
    out = []
    for r in c.rows:
        if r.net is None:
            continue
        for pid in c.problem.required_members(r.net.id):
            person = c.problem.person_by_id[pid]
            if r.m.date in person.unavailable:
                when = str(r.m.date)
            else:
                hit = time_range_overlap(person.unavailable_times, r.m.date, r.m.start, r.m.end)
                if hit is None:
                    continue
                when = f"{hit[0]} {fmt_time(hit[1])}-{fmt_time(hit[2])}"
            out.append(
                _v(
                    "unavailable",
                    [r],
                    c.t(
                        f"{c.person_name(pid)} is unavailable on {when} but is "
                        f"required at {c.describe(r)}",
                        f"{c.person_name(pid)} is niet beschikbaar op {when} maar is "
                        f"nodig bij {c.describe(r)}",
                    ),
                    person=pid,
                    day=r.m.date,
                )
            )
    return out


def _min_gap(c: _Ctx) -> list[Violation]:
    out = []
    for net in c.problem.networks:
        rows = sorted(c.by_network.get(net.id, []), key=lambda r: (r.m.date, r.order))
        for a, b in itertools.pairwise(rows):
            gap = (b.m.date - a.m.date).days
            if gap < net.min_gap_days:
                out.append(
                    _v(
                        "min_gap",
                        [a, b],
                        c.t(
                            f"{net.name} meets on {a.m.date} and {b.m.date}, {gap} days apart; "
                            f"at least {net.min_gap_days} days are needed",
                            f"{net.name} komt samen op {a.m.date} en {b.m.date}, {gap} dagen "
                            f"na elkaar; er moeten minstens {net.min_gap_days} dagen tussen zitten",
                        ),
                        day=b.m.date,
                    )
                )
    return out


def _clash(c: _Ctx) -> list[Violation]:
    out = []
    for person in c.problem.people:
        rows = c.required.get(person.id, [])
        for a, b in _overlapping_pairs(rows):
            out.append(
                _v(
                    "clash",
                    [a, b],
                    c.t(
                        f"{person.name} is required at two meetings at once: "
                        f"{c.describe(a)} and {c.describe(b)}",
                        f"{person.name} is nodig bij twee bijeenkomsten tegelijk: "
                        f"{c.describe(a)} en {c.describe(b)}",
                    ),
                    person=person.id,
                    day=a.m.date,
                )
            )
    return out


def _travel_gap(c: _Ctx) -> list[Violation]:
    out = []
    changeover = c.settings.changeover
    for person in c.problem.people:
        for day, rows in c.days_of(person.id).items():
            for a, b in itertools.pairwise(rows):
                if a.t0 < b.t1 and b.t0 < a.t1:
                    continue  # overlapping: a clash, not a travel gap
                travel = 0
                if a.venue is not None and b.venue is not None:
                    travel = c.dist.minutes(a.m.venue, b.m.venue)
                need = travel + changeover
                gap = b.m.start - a.m.end
                if gap < need:
                    out.append(
                        _v(
                            "travel_gap",
                            [a, b],
                            c.t(
                                f"{person.name} has {gap} minutes between {c.describe(a)} and "
                                f"{c.describe(b)}, but needs {need} ({travel} travel + "
                                f"{changeover} changeover)",
                                f"{person.name} heeft {gap} minuten tussen {c.describe(a)} en "
                                f"{c.describe(b)}, maar heeft er {need} nodig ({travel} reistijd "
                                f"+ {changeover} wisseltijd)",
                            ),
                            person=person.id,
                            day=day,
                        )
                    )
    return out


def _per_day_cap(c: _Ctx) -> list[Violation]:
    out = []
    cap = c.settings.max_meetings_per_day
    for person in c.problem.people:
        for day, rows in c.days_of(person.id).items():
            if len(rows) > cap:
                out.append(
                    _v(
                        "per_day_cap",
                        rows,
                        c.t(
                            f"{person.name} has {len(rows)} meetings on {day}; "
                            f"at most {cap} are allowed",
                            f"{person.name} heeft {len(rows)} bijeenkomsten op {day}; "
                            f"er mogen er hoogstens {cap} zijn",
                        ),
                        person=person.id,
                        day=day,
                    )
                )
    return out


def _rooms(c: _Ctx) -> list[Violation]:
    out = []
    changeover = c.settings.changeover
    by_venue: dict[str, list[_M]] = defaultdict(list)
    for r in c.rows:
        if r.venue is not None:
            by_venue[r.m.venue].append(r)
    for venue in c.problem.venues:
        rows = sorted(by_venue.get(venue.id, []), key=lambda r: (r.t0, r.row))
        starts = [r.t0 for r in rows]
        # A meeting that started ``reach`` or more minutes earlier is gone.
        reach = max((r.t1 - r.t0 for r in rows), default=0) + changeover
        for i, r in enumerate(rows):
            first = bisect.bisect_left(starts, r.t0 - reach, 0, i)
            busy = [b for b in rows[first:i] if r.t0 < b.t1 + changeover]
            if len(busy) >= venue.rooms:
                out.append(
                    _v(
                        "rooms",
                        [*busy, r],
                        c.t(
                            f"{c.describe(r)} starts while {len(busy)} other meeting(s) occupy "
                            f"{venue.name}, which has {venue.rooms} room(s)",
                            f"{c.describe(r)} begint terwijl {len(busy)} andere bijeenkomst(en) "
                            f"{venue.name} bezet houden, en die heeft {venue.rooms} zaal/zalen",
                        ),
                        day=r.m.date,
                    )
                )
    return out


def _capacity(c: _Ctx) -> list[Violation]:
    out = []
    for r in c.rows:
        if r.net is None or r.venue is None:
            continue
        size = len(c.problem.members(r.net.id))
        if size > r.venue.capacity:
            out.append(
                _v(
                    "capacity",
                    [r],
                    c.t(
                        f"{c.describe(r)}: the network has {size} members but "
                        f"{r.venue.name} holds {r.venue.capacity}",
                        f"{c.describe(r)}: het netwerk heeft {size} leden maar in "
                        f"{r.venue.name} passen er {r.venue.capacity}",
                    ),
                    day=r.m.date,
                )
            )
    return out


def _fixed(c: _Ctx) -> list[Violation]:
    present = {(r.m.network, r.m.date, r.m.start, r.m.venue) for r in c.rows}
    out = []
    for f in c.problem.fixed:
        if (f.network, f.date, f.start, f.venue) in present:
            continue
        where = c.venue_name(f.venue)
        out.append(
            Violation(
                kind="fixed",
                meetings=(),
                person=None,
                date=f.date,
                reason=c.t(
                    f"the agreed meeting of {c.net_name(f.network)} on {f.date} at "
                    f"{fmt_time(f.start)} in {where} is not in the schedule",
                    f"de vastgelegde bijeenkomst van {c.net_name(f.network)} op {f.date} om "
                    f"{fmt_time(f.start)} in {where} staat niet in het rooster",
                ),
            )
        )
    return out


def _together(c: _Ctx) -> list[Violation]:
    """One count per hard relay wish held by fewer than ``times`` sessions (v1.1)."""
    out = []
    counts = held_counts(c.problem, (r.m for r in c.rows))
    for wish, held in zip(c.problem.together, counts, strict=True):
        if not wish.hard or held >= wish.times:
            continue
        names = ", ".join(c.net_name(n) for n in wish.networks)
        order = c.t(" back to back in this order", " direct na elkaar in deze volgorde")
        order = order if wish.order else ""
        rows = [r for n in wish.networks for r in c.by_network.get(n, [])]
        out.append(
            _v(
                "together",
                sorted(rows, key=lambda r: r.order),
                c.t(
                    f"the relay wish {names}{order} is held by {held} session(s); "
                    f"{wish.times} are required",
                    f"de dakpanwens {names}{order} wordt in {held} sessie(s) gehaald; "
                    f"er zijn er {wish.times} vereist",
                ),
            )
        )
    return out


_RULES = {
    "count": _count,
    "horizon": _horizon,
    "window": _window,
    "grid": _grid,
    "weekday": _weekday,
    "venue_list": _venue_list,
    "venue_closed": _venue_closed,
    "holiday": _holiday,
    "unavailable": _unavailable,
    "min_gap": _min_gap,
    "clash": _clash,
    "travel_gap": _travel_gap,
    "per_day_cap": _per_day_cap,
    "rooms": _rooms,
    "capacity": _capacity,
    "fixed": _fixed,
    "together": _together,
}


# --------------------------------------------------------------------- entry point
def violations_of(problem: Problem, schedule: Schedule, kind: str) -> list[Violation]:
    """The violations of one hard-rule kind.

    Parameters
    ----------
    problem, schedule
        What to judge.
    kind
        One of :data:`KINDS`.

    Raises
    ------
    KeyError
        If ``kind`` is not a known kind.
    """
    return _RULES[kind](_Ctx(problem, schedule))


def check(problem: Problem, schedule: Schedule) -> CheckReport:
    """Judge a schedule: every hard rule of the contract and every figure.

    Parameters
    ----------
    problem
        The planning problem.
    schedule
        The schedule to judge (any schedule: planned, baseline or hand-edited).

    Returns
    -------
    CheckReport
        Violations (counted per the contract), counts by kind and figures.
    """
    c = _Ctx(problem, schedule)
    violations: list[Violation] = []
    by_kind: dict[str, int] = {}
    for kind, rule in _RULES.items():
        found = rule(c)
        by_kind[kind] = len(found)
        violations.extend(found)
    return CheckReport(violations=tuple(violations), by_kind=by_kind, figures=_figures(c))
