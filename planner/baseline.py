"""The uncoordinated baseline: every network plans alone, as coordinators do today.

Exactly the contract's **baseline** paragraph:

- Networks are taken in file order, numbered ``n = 0, 1, 2, ...``; network
  ``n`` has phase ``f(n) = (n * 6180339887 mod 10**10) / 10**10`` (an exact
  fraction).
- Its venue is the allowed venue (in the venues' file order) with room for
  all its members (required and optional) that has the least sum of
  great-circle km x ``road_factor`` from its required members' homes (the
  ``travel`` table is not used; sums are compared rounded to 9 decimals so
  that float noise cannot break a tie; ties: first in file order). If none
  has room: the largest allowed, ties first in file order.
- A network with ``K`` meetings of which ``F`` are fixed keeps the fixed ones
  and places ``M = K - F`` meetings: the ``i``-th (``i = 0..M-1``) has even
  point ``start + floor((i + f(n)) * L / M)`` days, ``L`` the horizon's
  length in days (exact integer arithmetic), and falls on the first date at
  or after both its even point and (the previously *placed* meeting's date +
  ``min_gap_days``) that is in the horizon, on one of the network's
  weekdays, not a holiday of its region, a day its venue is open, not an
  unavailable date of a required member, and not a date of one of its fixed
  meetings. It starts at ``max(network earliest, venue open)``. A meeting
  that finds no such date is left out.

The baseline ignores every other network, so it may break hard rules.
"""

from __future__ import annotations

from datetime import date, timedelta

from planner.calendar import network_day_allowed, venue_open_on
from planner.check import great_circle_km
from planner.problem import Network, Problem, Venue
from planner.schedule import Schedule

PHASE_NUMERATOR = 6180339887
"""``0.6180339887`` x 10**10: the golden-ratio step of the phases."""
PHASE_DENOMINATOR = 10**10


def phase(n: int) -> tuple[int, int]:
    """Phase ``f(n)`` of the ``n``-th network as an exact fraction ``(numerator, denominator)``.

    ``f(n) = frac(n x 0.6180339887) = (n x 6180339887 mod 10**10) / 10**10``.
    """
    return (n * PHASE_NUMERATOR) % PHASE_DENOMINATOR, PHASE_DENOMINATOR


def even_point(start: date, length: int, i: int, n: int, count: int) -> date:
    """Even point of the ``i``-th of ``count`` meetings of network ``n``.

    ``start + floor((i + f(n)) * length / count)`` days, computed with integers.

    Parameters
    ----------
    start
        First day of the horizon.
    length
        Days in the horizon, ``end - start + 1``.
    i
        Index of the meeting, ``0..count-1``.
    n
        Index of the network in file order (for its phase).
    count
        Number of meetings to place.
    """
    num, den = phase(n)
    return start + timedelta(days=((i * den + num) * length) // (count * den))


def baseline_venue(problem: Problem, network: Network) -> Venue:
    """The venue the network would pick alone (see the module docstring)."""
    allowed = [v for v in problem.venues if v.id in network.venues]
    size = len(problem.members(network.id))
    homes = [problem.place(p) for p in problem.required_members(network.id)]
    factor = problem.settings.road_factor
    roomy = [v for v in allowed if v.capacity >= size]
    if not roomy:
        best = allowed[0]
        for v in allowed[1:]:
            if v.capacity > best.capacity:
                best = v
        return best
    best_venue = roomy[0]
    best_km: float | None = None
    for v in roomy:
        km = round(sum(great_circle_km(lat, lon, v.lat, v.lon) * factor for lat, lon in homes), 9)
        if best_km is None or km < best_km:
            best_venue, best_km = v, km
    return best_venue


def baseline_dates(problem: Problem, network: Network, n: int, venue: Venue) -> list[date]:
    """Dates of the network's non-fixed meetings in the baseline (fewer if some find none).

    Parameters
    ----------
    problem
        The problem.
    network
        The network.
    n
        Its index in file order.
    venue
        Its baseline venue (:func:`baseline_venue`).
    """
    s = problem.settings
    fixed_dates = {f.date for f in problem.fixed_of(network.id)}
    count = network.meetings - len(problem.fixed_of(network.id))
    length = s.horizon_days
    out: list[date] = []
    for i in range(count):
        day = even_point(s.start, length, i, n, count)
        if out:
            day = max(day, out[-1] + timedelta(days=network.min_gap_days))
        while day <= s.end and not (
            day not in fixed_dates
            and network_day_allowed(problem, network, day)
            and venue_open_on(venue, day)
        ):
            day += timedelta(days=1)
        if day > s.end:
            break  # this one and (being later) every following one find no date
        out.append(day)
    return out


def baseline(problem: Problem) -> Schedule:
    """The uncoordinated plan of the contract.

    Parameters
    ----------
    problem
        The planning problem.

    Returns
    -------
    Schedule
        Fixed meetings as given plus each network's placed meetings; meetings
        that find no date are left out.
    """
    placements: list[tuple[str, date, int, str]] = []
    for n, network in enumerate(problem.networks):
        for f in problem.fixed_of(network.id):
            placements.append((network.id, f.date, f.start, f.venue))
        venue = baseline_venue(problem, network)
        start = max(network.earliest, venue.open)
        for day in baseline_dates(problem, network, n, venue):
            placements.append((network.id, day, start, venue.id))
    return Schedule.build(problem, placements)
