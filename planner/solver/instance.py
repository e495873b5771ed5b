"""The solver's view of a problem: meetings to place, their domains, who links them.

Built once from a :class:`~planner.problem.Problem` and shared by every phase
(start plan, CP-SAT steps, sequencing, explanations). Days are indices from
the horizon's start; times are minutes after midnight; distances are metres.

The domains hold exactly what the contract's rules allow for one meeting on
its own (weekdays, holidays, closures, whole-day unavailability, capacity,
the network's venues, window and grid, venue hours, fixed meetings and the
network's least gap to them). The k-th free meeting of a network (in date
order) is limited to the days on which a k-th meeting can fall at all; this
removes no plan, it only names the meetings in date order.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from planner.calendar import network_day_allowed, venue_open_on
from planner.problem import Network, Problem, Venue

if TYPE_CHECKING:
    from planner.solver.preferences import Preferences

EARTH_RADIUS_KM = 6371.0
MINUTES_PER_DAY = 24 * 60

Slot = tuple[int, int, str]
"""``(day, start, venue)`` of one placed meeting."""


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
        Rank among the network's free meetings in date order (``-1``: fixed).
    fixed
        Whether date, start and venue are given.
    days
        Day indices it may fall on (sorted).
    venues
        Venue ids it may use.
    venue_days
        For each venue (same order as ``venues``), the days it is open for this meeting.
    starts
        Start minutes on the grid within the network's window (fixed: the given one).
    duration
        Minutes.
    required, optional
        Person ids of the network's required and optional members.
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
    required: tuple[str, ...]
    optional: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PersonGroup:
    """Required members with the same networks: every rule treats them as one.

    ``round_trip_m[v]`` is the summed round trip home -> venue -> home of all
    its persons in whole metres.
    """

    persons: tuple[str, ...]
    networks: tuple[str, ...]
    meetings: tuple[int, ...]
    round_trip_m: Mapping[str, int]

    @property
    def size(self) -> int:
        """Number of persons in the group."""
        return len(self.persons)


# ------------------------------------------------------------------ distances
def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle km between two ``(lat, lon)`` points (earth radius 6371.0 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class Distances:
    """Road km and travel minutes between people and venues, as the solver uses them."""

    def __init__(self, problem: Problem) -> None:
        self._problem = problem
        self._table: dict[tuple[str, str], tuple[float, float | None]] = {}
        for t in problem.travel:
            self._table[(t.origin, t.destination)] = (t.km, t.minutes)
        for t in problem.travel:
            self._table.setdefault((t.destination, t.origin), (t.km, t.minutes))
        self._km: dict[tuple[str, str], float] = {}
        self._min: dict[tuple[str, str], int] = {}

    def km(self, a: str, b: str) -> float:
        """Road km from ``a`` to ``b`` (travel table, else great circle x road factor)."""
        if a == b:
            return 0.0
        hit = self._km.get((a, b))
        if hit is None:
            row = self._table.get((a, b))
            if row is not None:
                hit = row[0]
            else:
                p = self._problem
                hit = great_circle_km(p.place(a), p.place(b)) * p.settings.road_factor
            self._km[(a, b)] = hit
        return hit

    def metres(self, a: str, b: str) -> int:
        """Road distance in whole metres."""
        return round(self.km(a, b) * 1000)

    def minutes(self, a: str, b: str) -> int:
        """Travel minutes, rounded up (ignoring float noise)."""
        if a == b:
            return 0
        hit = self._min.get((a, b))
        if hit is None:
            row = self._table.get((a, b))
            raw = (
                row[1]
                if row is not None and row[1] is not None
                else self.km(a, b) / self._problem.settings.speed_kmh * 60
            )
            hit = math.ceil(round(raw, 9))
            self._min[(a, b)] = hit
        return hit


# ------------------------------------------------------------------ domains
def chain_bounds(days: list[int], count: int, gap: int) -> tuple[list[int], list[int]] | None:
    """Earliest and latest day of each of ``count`` meetings on sorted ``days``.

    ``None`` when ``count`` meetings ``gap`` days apart do not fit.
    """
    if count == 0:
        return [], []
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


def may_share_day(problem: Problem, meetings: Sequence[MeetingSpec], a: int, b: int) -> bool:
    """Whether meetings ``a`` and ``b`` may fall on one date: of two networks, or of one
    network with ``min_gap_days`` 0."""
    na, nb = meetings[a].network, meetings[b].network
    return na != nb or problem.network_by_id[na].min_gap_days == 0


def grid_starts(problem: Problem, net: Network) -> list[int]:
    """Start minutes on the grid from ``day_start`` within the network's window."""
    s = problem.settings
    first = s.day_start - ((s.day_start - net.earliest) // s.slot) * s.slot
    return list(range(first, net.latest - net.duration + 1, s.slot))


def _venue_days(
    problem: Problem, net: Network, venues: list[Venue], starts: list[int], fixed_days: list[int]
) -> tuple[list[int], list[set[int]]]:
    """Days the network may meet (away from its fixed meetings) and per venue its open days."""
    s = problem.settings
    gap = net.min_gap_days
    allowed: list[int] = []
    per_venue: list[set[int]] = [set() for _ in venues]
    fits = [any(t >= v.open and t + net.duration <= v.close for t in starts) for v in venues]
    for day in range(s.horizon_days):
        when = s.start + timedelta(days=day)
        if any(abs(day - fd) < gap for fd in fixed_days):
            continue
        if not network_day_allowed(problem, net, when):
            continue
        hit = False
        for k, v in enumerate(venues):
            if fits[k] and venue_open_on(v, when):
                per_venue[k].add(day)
                hit = True
        if hit:
            allowed.append(day)
    return allowed, per_venue


# ------------------------------------------------------------------ instance
@dataclass(frozen=True)
class Instance:
    """Everything the solver needs, precomputed once."""

    problem: Problem
    meetings: tuple[MeetingSpec, ...]
    by_network: Mapping[str, tuple[int, ...]]
    groups: tuple[PersonGroup, ...]
    group_of: Mapping[str, int]
    """Person id -> index of their group (required members only)."""
    horizon: int
    day0: date
    distances: Distances
    linked: Mapping[int, tuple[int, ...]] = field(repr=False)
    """Per meeting: the meetings of other networks that share a required member with it."""
    _starts_cache: dict[tuple[int, int, str], tuple[int, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def date_of(self, day: int) -> date:
        """Calendar date of a day index."""
        return self.day0 + timedelta(days=day)

    def day_of(self, when: date) -> int:
        """Day index of a calendar date."""
        return (when - self.day0).days

    @cached_property
    def preferences(self) -> Preferences:
        """Members' "if need be" answers and published placements, per meeting."""
        from planner.solver.preferences import build_preferences

        return build_preferences(self)

    @cached_property
    def free(self) -> tuple[int, ...]:
        """Indices of the meetings to place (not fixed)."""
        return tuple(m.index for m in self.meetings if not m.fixed)

    @cached_property
    def venue_minutes(self) -> Mapping[tuple[str, str], int]:
        """Travel minutes between every two venues."""
        ids = [v.id for v in self.problem.venues]
        return {(a, b): self.distances.minutes(a, b) for a in ids for b in ids}

    @cached_property
    def meetings_of(self) -> Mapping[str, tuple[tuple[int, ...], frozenset[int]]]:
        """Person id -> their meetings (required or optional, ascending) and the optional ones."""
        mine: dict[str, list[int]] = {}
        optional: dict[str, set[int]] = {}
        for spec in self.meetings:
            for p in spec.required + spec.optional:
                mine.setdefault(p, []).append(spec.index)
            for p in spec.optional:
                optional.setdefault(p, set()).add(spec.index)
        return {p: (tuple(ms), frozenset(optional.get(p, ()))) for p, ms in mine.items()}

    @cached_property
    def venue_metres(self) -> Mapping[tuple[str, str], int]:
        """Road metres between every two venues (built once: exact models read it)."""
        ids = [v.id for v in self.problem.venues]
        return {(a, b): self.distances.metres(a, b) for a in ids for b in ids}

    @cached_property
    def most_venue_metres(self) -> int:
        """The largest of :attr:`venue_metres`."""
        return max(self.venue_metres.values())

    @cached_property
    def one_place(self) -> bool:
        """Whether every two venues are 0 travel minutes apart (one building)."""
        return all(v == 0 for v in self.venue_minutes.values())

    @cached_property
    def metric(self) -> bool:
        """Whether venue travel minutes obey the triangle inequality.

        Then a person's travel gaps between every two meetings of a day
        (what the model asks) equal the gaps between consecutive ones (what
        the contract asks), so a model without a plan proves there is none.
        """
        ids = [v.id for v in self.problem.venues]
        if len(ids) > 80:
            return False
        t = self.venue_minutes
        return all(t[(a, c)] <= t[(a, b)] + t[(b, c)] for a in ids for b in ids for c in ids)

    @cached_property
    def nearest_venues(self) -> Mapping[str, tuple[str, ...]]:
        """Per network, its (up to) four venues nearest to its required members."""
        dist = self.distances
        out: dict[str, tuple[str, ...]] = {}
        for network, ids in self.by_network.items():
            if not ids:
                out[network] = ()
                continue
            spec = self.meetings[ids[0]]
            venues = sorted({u for i in ids for u in self.meetings[i].venues})
            venues.sort(key=lambda u: (sum(dist.km(p, u) for p in spec.required), u))
            out[network] = tuple(venues[:4])
        return out

    def starts_at(self, m: int, day: int, venue: str) -> tuple[int, ...]:
        """Start minutes meeting ``m`` may take at ``venue`` on ``day``.

        The grid within the window and the venue's hours, minus starts that
        overlap a time range in which the venue is closed or a required
        member is unavailable (contract v1.1).
        """
        key = (m, day, venue)
        hit = self._starts_cache.get(key)
        if hit is None:
            hit = self._compute_starts(self.meetings[m], day, venue)
            self._starts_cache[key] = hit
        return hit

    def _compute_starts(self, spec: MeetingSpec, day: int, venue: str) -> tuple[int, ...]:
        v = self.problem.venue_by_id[venue]
        when = self.date_of(day)
        blocked = [(a, b) for d, a, b in getattr(v, "unavailable_times", ()) if d == when]
        for p in spec.required:
            person = self.problem.person_by_id[p]
            blocked += [(a, b) for d, a, b in getattr(person, "unavailable_times", ()) if d == when]
        dur = spec.duration
        return tuple(
            t
            for t in spec.starts
            if (spec.fixed or (t >= v.open and t + dur <= v.close))
            and all(t + dur <= a or t >= b for a, b in blocked)
        )

    def even_day(self, network: str, rank: int) -> int:
        """The even point of a network's ``rank``-th meeting (0-based, all meetings)."""
        k = len(self.by_network[network])
        return ((2 * rank + 1) * self.horizon) // (2 * k)


def build_instance(problem: Problem) -> Instance:
    """Precompute the solver's view of ``problem``.

    A meeting that cannot be placed at all gets empty domains, which the
    caller reports (see :mod:`planner.solver.explain`).
    """
    s = problem.settings
    meetings: list[MeetingSpec] = []
    by_network: dict[str, list[int]] = {}
    for net in problem.networks:
        by_network[net.id] = _network_meetings(problem, net, meetings)
    groups, group_of = _groups(problem, by_network)
    linked: dict[int, set[int]] = {m.index: set() for m in meetings}
    for g in groups:
        for a in g.meetings:
            linked[a].update(
                b for b in g.meetings if b != a and may_share_day(problem, meetings, a, b)
            )
    return Instance(
        problem=problem,
        meetings=tuple(meetings),
        by_network={k: tuple(v) for k, v in by_network.items()},
        groups=tuple(groups),
        group_of=group_of,
        horizon=s.horizon_days,
        day0=s.start,
        distances=Distances(problem),
        linked={k: tuple(sorted(v)) for k, v in linked.items()},
    )


def _network_meetings(problem: Problem, net: Network, out: list[MeetingSpec]) -> list[int]:
    s = problem.settings
    size = len(problem.members(net.id))
    venues = [problem.venue_by_id[v] for v in net.venues if problem.venue_by_id[v].capacity >= size]
    starts = grid_starts(problem, net)
    fixed = problem.fixed_of(net.id)
    fixed_days = [(f.date - s.start).days for f in fixed]
    allowed, per_venue = _venue_days(problem, net, venues, starts, fixed_days)
    required = tuple(problem.required_members(net.id))
    optional = tuple(problem.optional_members(net.id))
    free = net.meetings - len(fixed)
    bounds = chain_bounds(allowed, free, net.min_gap_days)
    ids: list[int] = []
    for j in range(free):
        dom = [d for d in allowed if bounds[0][j] <= d <= bounds[1][j]] if bounds else []
        dom_set = set(dom)
        keep = [(v.id, frozenset(vd & dom_set)) for v, vd in zip(venues, per_venue, strict=True)]
        keep = [(v, d) for v, d in keep if d]
        out.append(
            MeetingSpec(
                index=len(out),
                network=net.id,
                order=j,
                fixed=False,
                days=tuple(dom),
                venues=tuple(v for v, _ in keep),
                venue_days=tuple(d for _, d in keep),
                starts=tuple(starts),
                duration=net.duration,
                required=required,
                optional=optional,
            )
        )
        ids.append(len(out) - 1)
    for f, fd in zip(fixed, fixed_days, strict=True):
        out.append(
            MeetingSpec(
                index=len(out),
                network=net.id,
                order=-1,
                fixed=True,
                days=(fd,),
                venues=(f.venue,),
                venue_days=(frozenset({fd}),),
                starts=(f.start,),
                duration=net.duration,
                required=required,
                optional=optional,
            )
        )
        ids.append(len(out) - 1)
    return ids


def _groups(
    problem: Problem, by_network: Mapping[str, list[int]]
) -> tuple[list[PersonGroup], dict[str, int]]:
    """Group required members with identical networks (file order)."""
    dist = Distances(problem)
    signature: dict[tuple[str, ...], list[str]] = {}
    for person in problem.people:
        nets = tuple(
            n for n in problem.networks_of(person.id) if person.id in problem.required_members(n)
        )
        if nets:
            signature.setdefault(nets, []).append(person.id)
    groups: list[PersonGroup] = []
    group_of: dict[str, int] = {}
    for nets, persons in signature.items():
        ms = tuple(sorted(m for n in nets for m in by_network[n]))
        trip = {
            v.id: sum(dist.metres(p, v.id) + dist.metres(v.id, p) for p in persons)
            for v in problem.venues
        }
        for p in persons:
            group_of[p] = len(groups)
        groups.append(PersonGroup(tuple(persons), nets, ms, trip))
    return groups, group_of


def linked_groups(keys: Sequence[Iterable[Hashable]]) -> list[list[int]]:
    """Items ``0 .. len(keys) - 1`` grouped by a shared key, directly or through others
    (union-find): each group ascending, the groups by their first item."""
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[Hashable, int] = {}
    for i, mine in enumerate(keys):
        for key in mine:
            a, b = root(i), root(first.setdefault(key, i))
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(len(keys)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())
