"""The solver's view of a problem: meetings to place, their domains, and who links them.

Built once from a :class:`~planner.problem.Problem` and shared by the greedy
start and the CP-SAT model. Days are indices from the horizon's start; times
are minutes after midnight; distances are whole metres.

Two planning policies shape the domains (both keep every hard rule intact):

- **one venue per person per day**: meetings of two networks that share a
  required member are on different dates or at the same venue. This is what a
  dakpan session is; it makes travel exact per person-day (home, venue, home)
  and removes travel time between meetings from the model.
- **even windows**: a network's j-th free meeting lies in the j-th part of the
  horizon, widened by a quarter of a part on both sides (falling back to the whole
  feasible range when that leaves no room).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from planner.calendar import network_day_allowed, venue_open_on
from planner.problem import Network, Problem, Role

EARTH_RADIUS_KM = 6371.0
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class MeetingSpec:
    """One meeting to place.

    Attributes
    ----------
    index
        Position in :attr:`Instance.meetings`.
    network
        Network id.
    order
        Index among the network's free meetings (``-1`` for a fixed one).
    fixed
        Whether date, start and venue are given.
    days
        Day indices it may fall on (at least one of its venues open).
    venues
        Venue ids it may use.
    venue_days
        For each venue (same order as ``venues``), the allowed days.
    starts
        Start times (minutes) on the grid within the network's window.
    duration
        Minutes.
    """

    index: int
    network: str
    order: int
    fixed: bool
    days: tuple[int, ...]
    venues: tuple[str, ...]
    venue_days: tuple[frozenset[int], ...]
    starts: tuple[int, ...]
    duration: int


@dataclass(frozen=True, slots=True)
class PersonGroup:
    """Required members with the same networks: the model treats them as one.

    ``travel_m[v]`` is the summed round trip (home -> venue -> home) of all
    its persons in whole metres (what the model optimises); ``travel_km[v]``
    the same in km without rounding (what the planner reports).
    """

    persons: tuple[str, ...]
    networks: tuple[str, ...]
    meetings: tuple[int, ...]
    travel_m: Mapping[str, int]
    travel_km: Mapping[str, float]

    @property
    def size(self) -> int:
        """Number of persons in the group."""
        return len(self.persons)


@dataclass(frozen=True, slots=True)
class Instance:
    """Everything the solver needs, precomputed."""

    problem: Problem
    meetings: tuple[MeetingSpec, ...]
    by_network: Mapping[str, tuple[int, ...]]
    groups: tuple[PersonGroup, ...]
    pairs: tuple[tuple[int, int], ...]
    """Meeting pairs ``(a, b)``, ``a < b``, that share a required member and may share a day."""
    optional_pairs: Mapping[tuple[int, int], int]
    """Meeting pairs that an optional member may have to attend both of, with how many."""
    horizon: int
    day0: date
    distances: Distances
    group_pairs: tuple[tuple[tuple[int, int], ...], ...]
    """Per group: the pairs of :attr:`pairs` among its meetings."""
    route_extra: tuple[tuple[int, float], tuple[int, float]] = ((0, 0.0), (0, 0.0))
    """Travel the round-trip count misses, ``(metres, km)``, when fixed meetings put
    a person at two venues on one day (such a day holds only fixed meetings):
    first for days opened by the lowest-index meeting, then by the earliest start."""

    def date_of(self, day: int) -> date:
        """Calendar date of a day index."""
        return self.day0 + timedelta(days=day)

    def day_of(self, when: date) -> int:
        """Day index of a calendar date."""
        return (when - self.day0).days


# ------------------------------------------------------------------ distances
def _great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class Distances:
    """Road km and minutes between people and venues, as the solver uses them."""

    def __init__(self, problem: Problem) -> None:
        self._problem = problem
        self._table: dict[tuple[str, str], tuple[float, float | None]] = {}
        for t in problem.travel:
            self._table[(t.origin, t.destination)] = (t.km, t.minutes)
        for t in problem.travel:
            self._table.setdefault((t.destination, t.origin), (t.km, t.minutes))

    def km(self, a: str, b: str) -> float:
        """Road km from ``a`` to ``b`` (travel table, else great circle x road factor)."""
        if a == b:
            return 0.0
        hit = self._table.get((a, b))
        if hit is not None:
            return hit[0]
        p = self._problem
        return _great_circle_km(p.place(a), p.place(b)) * p.settings.road_factor

    def metres(self, a: str, b: str) -> int:
        """Road distance in whole metres."""
        return round(self.km(a, b) * 1000)

    def minutes(self, a: str, b: str) -> int:
        """Travel minutes, rounded up (ignoring float noise)."""
        if a == b:
            return 0
        hit = self._table.get((a, b))
        raw = (
            hit[1]
            if hit is not None and hit[1] is not None
            else self.km(a, b) / self._problem.settings.speed_kmh * 60
        )
        return math.ceil(round(raw, 9))


# ------------------------------------------------------------------ windows
def _chain_bounds(days: list[int], count: int, gap: int) -> tuple[list[int], list[int]] | None:
    """Earliest and latest day of each of ``count`` meetings on sorted ``days``."""
    if count == 0:
        return [], []
    if not days:
        return None
    lo: list[int] = []
    prev: int | None = None
    for _ in range(count):
        nxt = next((d for d in days if prev is None or d >= prev + gap), None)
        if nxt is None:
            return None
        lo.append(nxt)
        prev = nxt
    hi: list[int] = []
    prev = None
    for _ in range(count):
        nxt = next((d for d in reversed(days) if prev is None or d <= prev - gap), None)
        if nxt is None:
            return None
        hi.append(nxt)
        prev = nxt
    hi.reverse()
    return lo, hi


def _windows(
    days: list[int], count: int, gap: int, horizon: int, spread: bool
) -> list[list[int]] | None:
    """Day domain of each free meeting of a network, ``None`` if they cannot fit."""
    if count == 0:
        return []
    bounds = _chain_bounds(days, count, gap)
    if bounds is None:
        return None
    lo, hi = bounds
    wide = [[d for d in days if lo[j] <= d <= hi[j]] for j in range(count)]
    if not spread:
        return wide
    part = horizon / count
    slack = part / 4
    narrow = [
        [d for d in wide[j] if j * part - slack <= d < (j + 1) * part + slack] for j in range(count)
    ]
    prev: int | None = None
    for dom in narrow:  # forward pass: is the narrowed chain still feasible?
        nxt = next((d for d in dom if prev is None or d >= prev + gap), None)
        if nxt is None:
            return wide
        prev = nxt
    return narrow


def _starts(problem: Problem, net: Network) -> list[int]:
    s = problem.settings
    first = s.day_start - ((s.day_start - net.earliest) // s.slot) * s.slot
    return list(range(first, net.latest - net.duration + 1, s.slot))


def _pairs_within(
    pairs: tuple[tuple[int, int], ...], meetings: tuple[int, ...]
) -> tuple[tuple[int, int], ...]:
    inside = set(meetings)
    return tuple(p for p in pairs if p[0] in inside and p[1] in inside)


# ------------------------------------------------------------------ building
def build_instance(problem: Problem, *, even_windows: bool = True) -> Instance:
    """Precompute the solver's view of ``problem``.

    Raises
    ------
    ValueError
        Never for a valid problem; meetings that cannot be placed get empty
        domains, which the caller reports (see :mod:`planner.solver.explain`).
    """
    s = problem.settings
    horizon = s.horizon_days
    dist = Distances(problem)
    meetings: list[MeetingSpec] = []
    by_network: dict[str, list[int]] = {}

    for net in problem.networks:
        size = len(problem.members(net.id))
        venues = [
            problem.venue_by_id[v] for v in net.venues if problem.venue_by_id[v].capacity >= size
        ]
        starts = _starts(problem, net)
        fixed = problem.fixed_of(net.id)
        fixed_days = [(f.date - s.start).days for f in fixed]
        gap = max(net.min_gap_days, 1)
        allowed: list[int] = []
        venue_days: list[set[int]] = [set() for _ in venues]
        for day in range(horizon):
            when = s.start + timedelta(days=day)
            if any(abs(day - fd) < gap for fd in fixed_days):
                continue
            if not network_day_allowed(problem, net, when):
                continue
            hit = False
            for k, v in enumerate(venues):
                fits = any(t >= v.open and t + net.duration <= v.close for t in starts)
                if fits and venue_open_on(v, when):
                    venue_days[k].add(day)
                    hit = True
            if hit:
                allowed.append(day)
        ids: list[int] = []
        free = net.meetings - len(fixed)
        windows = _windows(allowed, free, gap, horizon, even_windows) or [[] for _ in range(free)]
        for j, dom in enumerate(windows):
            dom_set = set(dom)
            keep = [
                (v.id, frozenset(vd & dom_set))
                for v, vd in zip(venues, venue_days, strict=True)
                if vd & dom_set
            ]
            meetings.append(
                MeetingSpec(
                    index=len(meetings),
                    network=net.id,
                    order=j,
                    fixed=False,
                    days=tuple(dom),
                    venues=tuple(v for v, _ in keep),
                    venue_days=tuple(d for _, d in keep),
                    starts=tuple(starts),
                    duration=net.duration,
                )
            )
            ids.append(len(meetings) - 1)
        for f, fd in zip(fixed, fixed_days, strict=True):
            meetings.append(
                MeetingSpec(
                    index=len(meetings),
                    network=net.id,
                    order=-1,
                    fixed=True,
                    days=(fd,),
                    venues=(f.venue,),
                    venue_days=(frozenset({fd}),),
                    starts=(f.start,),
                    duration=net.duration,
                )
            )
            ids.append(len(meetings) - 1)
        by_network[net.id] = ids

    # groups of required members with identical networks
    signature: dict[tuple[str, ...], list[str]] = {}
    for person in problem.people:
        nets = tuple(
            n for n in problem.networks_of(person.id) if person.id in problem.required_members(n)
        )
        if nets:
            signature.setdefault(nets, []).append(person.id)
    groups: list[PersonGroup] = []
    for nets, persons in signature.items():
        ms = tuple(sorted(m for n in nets for m in by_network[n]))
        travel = {
            v.id: sum(dist.metres(p, v.id) + dist.metres(v.id, p) for p in persons)
            for v in problem.venues
        }
        travel_km = {
            v.id: sum(dist.km(p, v.id) + dist.km(v.id, p) for p in persons) for v in problem.venues
        }
        groups.append(PersonGroup(tuple(persons), nets, ms, travel, travel_km))

    linked: set[tuple[int, int]] = set()
    for g in groups:
        for i, a in enumerate(g.meetings):
            for b in g.meetings[i + 1 :]:
                linked.add((a, b))
    day_sets = [set(m.days) for m in meetings]
    pairs = tuple(
        sorted(
            (a, b)
            for a, b in linked
            if meetings[a].network != meetings[b].network and day_sets[a] & day_sets[b]
        )
    )
    optional: dict[tuple[int, int], int] = {}
    for person in problem.people:
        roles = {
            n: (Role.OPTIONAL if person.id in problem.optional_members(n) else Role.REQUIRED)
            for n in problem.networks_of(person.id)
        }
        if Role.OPTIONAL not in roles.values():
            continue
        mine = sorted(m for n in roles for m in by_network[n])
        for i, a in enumerate(mine):
            for b in mine[i + 1 :]:
                na, nb = meetings[a].network, meetings[b].network
                if na == nb or not (day_sets[a] & day_sets[b]):
                    continue
                if roles[na] is Role.REQUIRED and roles[nb] is Role.REQUIRED:
                    continue
                optional[(a, b)] = optional.get((a, b), 0) + 1
    return Instance(
        problem=problem,
        meetings=tuple(meetings),
        by_network={k: tuple(v) for k, v in by_network.items()},
        groups=tuple(groups),
        pairs=pairs,
        optional_pairs=optional,
        horizon=horizon,
        day0=s.start,
        distances=dist,
        group_pairs=tuple(_pairs_within(pairs, g.meetings) for g in groups),
        route_extra=_route_extra(meetings, groups, dist),
    )


def _route_extra(
    meetings: list[MeetingSpec], groups: list[PersonGroup], dist: Distances
) -> tuple[tuple[int, float], tuple[int, float]]:
    by_index = [0, 0.0]
    by_start = [0, 0.0]
    for group in groups:
        days: dict[int, list[MeetingSpec]] = {}
        for i in group.meetings:
            m = meetings[i]
            if m.fixed:
                days.setdefault(m.days[0], []).append(m)
        for ms in days.values():
            if len({m.venues[0] for m in ms}) < 2:
                continue
            ordered = sorted(ms, key=lambda m: (m.starts[0], m.starts[0] + m.duration, m.index))
            for person in group.persons:
                route = [person, *(m.venues[0] for m in ordered), person]
                km = sum(dist.km(a, b) for a, b in itertools.pairwise(route))
                metres = sum(dist.metres(a, b) for a, b in itertools.pairwise(route))
                for first, acc in (
                    (min(ms, key=lambda m: m.index), by_index),
                    (ordered[0], by_start),
                ):
                    venue = first.venues[0]
                    acc[0] += metres - dist.metres(person, venue) - dist.metres(venue, person)
                    acc[1] += km - dist.km(person, venue) - dist.km(venue, person)
    return (int(by_index[0]), float(by_index[1])), (int(by_start[0]), float(by_start[1]))
