"""The Dutch calendar: holidays, school holidays and candidate dates.

Public holidays are the ``public`` category of the ``holidays`` package for
``NL`` (Good Friday included; Liberation Day only in lustrum years). School
holidays are its ``school`` category for the subdivisions ``Noord``,
``Midden`` and ``Zuid``; the package knows them for a limited range of years
and :func:`calendar_warnings` says when the horizon goes beyond.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from planner.problem import Network, Problem, Settings, Venue


def horizon(settings: Settings) -> tuple[date, ...]:
    """Every date from ``start`` to ``end``, inclusive."""
    return tuple(settings.start + timedelta(days=i) for i in range(settings.horizon_days))


@lru_cache(maxsize=64)
def _public(years: tuple[int, ...]) -> dict[date, str]:
    h = holidays.country_holidays("NL", categories=("public",), years=years, language="nl")
    return {d: str(name) for d, name in h.items()}


@lru_cache(maxsize=64)
def _school(region: str, years: tuple[int, ...]) -> dict[date, str]:
    h = holidays.country_holidays(
        "NL", subdiv=region.capitalize(), categories=("school",), years=years, language="nl"
    )
    return {d: str(name) for d, name in h.items()}


def _years(settings: Settings) -> tuple[int, ...]:
    return tuple(range(settings.start.year, settings.end.year + 1))


def public_holidays(settings: Settings) -> dict[date, str]:
    """Dutch public holidays in the horizon's years (empty if switched off)."""
    if not settings.public_holidays:
        return {}
    return _public(_years(settings))


def school_holidays(settings: Settings, region: str) -> dict[date, str]:
    """School holidays of ``region`` in the horizon's years (empty if switched off)."""
    if not settings.school_holidays:
        return {}
    return _school(region, _years(settings))


def holiday_reason(settings: Settings, region: str, day: date) -> str | None:
    """Name of the public or school holiday that excludes ``day``, or ``None``."""
    name = public_holidays(settings).get(day)
    if name is not None:
        return name
    return school_holidays(settings, region).get(day)


def calendar_warnings(settings: Settings) -> list[str]:
    """Warnings about years whose school holidays the ``holidays`` package lacks."""
    if not settings.school_holidays:
        return []
    out = []
    for year in _years(settings):
        known = [d for d in _school("midden", (year,)) if d.year == year]
        if not known:
            out.append(
                f"school holidays of {year} are not known to the holidays package; "
                "meetings may be planned in them"
            )
    return out


def venue_open_on(venue: Venue, day: date) -> bool:
    """Whether ``venue`` is open on ``day`` (weekday and closures)."""
    return day.weekday() in venue.weekdays and day not in venue.unavailable


def network_day_allowed(problem: Problem, network: Network, day: date) -> bool:
    """Whether ``network`` may meet on ``day`` regardless of venue.

    The day must be in the horizon, on one of the network's weekdays, not a
    holiday of its region, and no required member may be unavailable.
    """
    s = problem.settings
    if not s.start <= day <= s.end or day.weekday() not in network.weekdays:
        return False
    if holiday_reason(s, network.region, day) is not None:
        return False
    return all(
        day not in problem.person_by_id[p].unavailable for p in problem.required_members(network.id)
    )


def candidate_dates(problem: Problem, network_id: str) -> tuple[date, ...]:
    """Dates on which a network can meet at one or more of its venues."""
    net = problem.network_by_id[network_id]
    venues = [problem.venue_by_id[v] for v in net.venues]
    return tuple(
        day
        for day in horizon(problem.settings)
        if network_day_allowed(problem, net, day) and any(venue_open_on(v, day) for v in venues)
    )


def max_meetings_possible(
    days: tuple[date, ...], min_gap_days: int, *, wanted: int | None = None
) -> int:
    """Most meetings that fit on ``days`` (sorted) with ``min_gap_days`` between them,
    one a date.

    Greedy earliest-first is optimal for this interval-packing question. With
    ``min_gap_days`` 0 a network may meet several times a date, so the dates
    bound nothing: given ``wanted`` (the meetings asked for), that is the answer
    when there is a date.
    """
    if min_gap_days == 0 and wanted is not None:
        return wanted if days else 0
    count = 0
    last: date | None = None
    for day in days:
        if last is None or (day - last).days >= min_gap_days:
            count += 1
            last = day
    return count


def time_range_overlap(
    times: frozenset[tuple[date, int, int]], day: date, start: int, end: int
) -> tuple[date, int, int] | None:
    """The first (earliest) unavailable time range that overlaps ``[start, end)`` on ``day``.

    Contract v1.1: a range ``(day, t0, t1)`` overlaps a meeting ``[start,
    end)`` on the same date when ``t0 < end`` and ``start < t1``; touching
    ends (``t1 == start`` or ``end == t0``) do not overlap.

    Parameters
    ----------
    times
        The ranges (a person's or venue's ``unavailable_times``).
    day, start, end
        The meeting's date and its start and end in minutes after midnight.

    Returns
    -------
    tuple[date, int, int] | None
        The overlapping range that starts first, or ``None``.
    """
    for t in sorted(times):
        if t[0] == day and t[1] < end and start < t[2]:
            return t
    return None
