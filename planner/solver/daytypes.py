"""A start plan from day types: which networks meet on one date, at which venue, in which order.

Coordinators of high-overlap regions plan "dakpan" days: a few networks that
share members meet one after another at one place. This start plan chooses
such days for the whole year at once, seeing travel per person-day over the
year rather than one meeting at a time:

1. **Types.** A day type is a set of networks linked by shared members that
   may meet on one date (no required member over ``max_meetings_per_day``, a
   weekday all allow), one venue all may use, and the order of their meetings
   that fits their windows and costs least. Its cost is the objective's for
   such a day: each member's round trip, trip, waiting and long waits.
2. **How many of each** (CP-SAT): every network gets its free meetings, at
   least total cost.
3. **Dates** (CP-SAT): each day a date that is open for all its networks at
   its venue; days that share a member on different dates; each network's days
   ``min_gap_days`` apart (also from its fixed meetings, and off its members'
   fixed dates); then, in rounds, each network's days drawn towards its even
   points (ranked by the previous round's dates).

The answer is a seed for :func:`planner.solver.construct.construct`, which
keeps what fits the hard rules (time ranges, rooms, travel gaps) and places
the rest; the search then improves it. Networks that share no member (even
through others) never share a day type, so the dates are chosen per batch of
such parts (:func:`_batches`), each with a share of the limits by its
meetings: a province of fifty separate regions costs a few mid-sized models,
not one large one. The sets of networks are enumerated smallest first, up to
:data:`MAX_SETS` in all; parts of more than :data:`MAX_MEETINGS` meetings and
inputs with hard relay wishes are left to the construction.
Deterministic: one CP-SAT worker and deterministic time limits.
"""

from __future__ import annotations

import bisect
import itertools
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.bounds_days import connected_sets
from planner.problem import Network
from planner.solver.evaluate import SCALE
from planner.solver.instance import Instance, MeetingSpec, linked_groups
from planner.solver.model import make_solver

MAX_SETS = 10_000
"""Most sets of networks enumerated (the smallest first: every network alone, then pairs
that share members, ...)."""

ORDER_ALL = 4
"""Sets of up to this many networks try every order; larger ones go by earliest start."""

MAX_MEETINGS = 1_200
"""Parts (networks linked by shared members) with more free meetings get no day types and
are left to the construction: one model of 3,600 meetings (600 networks) found no dates
within its share of the budget (measured), so it only cost time."""

COUNT_SHARE = 0.3
"""Share of the limits for choosing how many days of each type (the rest: their dates)."""

BATCH_DAYS = 300
"""Days whose dates are chosen in one model, at least (whole parts; see :func:`_batches`)."""

COUNT_SECONDS_PER_TYPE = 1e-5
"""Least deterministic seconds per type for choosing how many days of each type (more than
the share when the types are many)."""

SPREAD_ROUNDS = 3
"""Rounds of drawing each network's days towards its even points."""

Placement = tuple[str, int, int, str]
"""``(network, day, start, venue)``."""


@dataclass(frozen=True, slots=True)
class DayType:
    """Networks (indices) meeting at ``venue`` in this order, from these starts, at this cost."""

    networks: tuple[int, ...]
    venue: str
    starts: tuple[int, ...]
    cost: int
    room: int
    """Dates it may fall on."""


@dataclass
class _Run:
    """What the stages share: the instance, its networks with free meetings (index ``j``),
    their required members, the seed, the limits and the deterministic seconds spent."""

    inst: Instance
    nets: list[Network]
    members: list[frozenset[str]]
    seed: int
    limits: tuple[float, float]
    spent: float = 0.0
    open_days: dict[tuple[int, str], frozenset[int]] = field(default_factory=dict)
    """Per (network, venue): days a free meeting may use, off its fixed meetings' gaps."""
    busy: dict[str, set[int]] = field(default_factory=dict)
    """Per person: the dates of their fixed meetings."""
    specs: dict[int, MeetingSpec] = field(default_factory=dict)
    trips: dict[tuple[str, str], int] = field(default_factory=dict)

    def days_of(self, j: int, venue: str) -> frozenset[int]:
        """The days network ``j`` may meet at ``venue`` (cached)."""
        key = (j, venue)
        if key not in self.open_days:
            inst, net = self.inst, self.nets[j]
            days: set[int] = set()
            for i in inst.by_network[net.id]:
                spec = inst.meetings[i]
                if spec.fixed:
                    continue
                if venue in spec.venues:
                    days |= spec.venue_days[spec.venues.index(venue)]
            for i in inst.by_network[net.id]:
                if inst.meetings[i].fixed:
                    f = inst.meetings[i].days[0]
                    days -= set(range(f - net.min_gap_days + 1, f + net.min_gap_days))
            self.open_days[key] = frozenset(days)
        return self.open_days[key]

    def domain(self, t: DayType) -> set[int]:
        """Days on which every network of ``t`` may meet at its venue, off its members'
        fixed dates."""
        days = set(self.days_of(t.networks[0], t.venue))
        for j in t.networks[1:]:
            days &= self.days_of(j, t.venue)
        for j in t.networks:
            for p in self.members[j]:
                days -= self.busy.get(p, set())
        return days

    def solve(self, model: cp_model.CpModel, share: float) -> cp_model.CpSolver | None:
        """Solve ``model`` with ``share`` of the limits; the solver when it found a solution."""
        det, wall = self.limits
        solver = make_solver(self.seed, share * det, share * wall, whole=True)
        status = solver.solve(model)
        self.spent += solver.deterministic_time
        return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None

    def spec(self, j: int) -> MeetingSpec:
        """The first free meeting of network ``j`` (the free ones share duration, window and
        venues; a fixed one has only its own venue and start); cached."""
        hit = self.specs.get(j)
        if hit is None:
            meetings = self.inst.meetings
            hit = self.specs[j] = next(
                meetings[i] for i in self.inst.by_network[self.nets[j].id] if not meetings[i].fixed
            )
        return hit

    def round_trip(self, person: str, venue: str) -> int:
        """Metres home -> ``venue`` -> home (cached)."""
        hit = self.trips.get((person, venue))
        if hit is None:
            there_and_back = self.inst.distances.metres(person, venue)
            hit = there_and_back + self.inst.distances.metres(venue, person)
            self.trips[person, venue] = hit
        return hit


def day_type_start(
    inst: Instance,
    *,
    seed: int,
    det_limit: float,
    wall_limit: float,
    max_sets: int = MAX_SETS,
    stop: threading.Event | None = None,
) -> tuple[tuple[Placement, ...] | None, float]:
    """Placements of a day-type plan of the free meetings (``None`` when no dates are found
    within the limits) and the deterministic seconds spent.

    Parameters
    ----------
    inst
        The instance.
    seed
        CP-SAT's random seed.
    det_limit, wall_limit
        Deterministic and wall seconds for the two CP-SAT stages together.
    max_sets
        Most sets of networks to consider (smallest first).
    stop
        When set (Ctrl-C), no day types: ``None`` at the next step.
    """
    if any(w.hard for w in inst.problem.together):
        return None, 0.0
    nets = [n for n in inst.problem.networks if _free_count(inst, n.id)]
    members = [frozenset(inst.problem.required_members(n.id)) for n in nets]
    run = _Run(inst, nets, members, seed, (det_limit, wall_limit))
    for spec in inst.meetings:
        if spec.fixed:
            for p in spec.required:
                run.busy.setdefault(p, set()).add(spec.days[0])
    parts = _parts(members)
    large = {j for part in parts if _free_in(run, part) > MAX_MEETINGS for j in part}
    small = [j for j in range(len(nets)) if j not in large]  # a large part spends no sets
    cap = inst.problem.settings.max_meetings_per_day
    sets, _ = connected_sets(
        [members[j] for j in small], [nets[j].weekdays for j in small], cap, max_sets
    )
    types = []
    for ns in sets:
        if stop is not None and stop.is_set():
            return None, run.spent
        types += _types(run, tuple(small[k] for k in ns))
    counts = _how_many(run, types, large) if types else None
    if counts is None:
        return None, run.spent
    placements: list[Placement] = []
    for days in _batches(parts, [t for t, k in zip(types, counts, strict=True) for _ in range(k)]):
        if stop is not None and stop.is_set():
            return None, run.spent
        dated = _dates(run, days, sum(len(t.networks) for t in days) / len(inst.free))
        if dated is not None:
            placements += [
                (nets[j].id, d, t, day.venue)
                for day, d in zip(days, dated, strict=True)
                for j, t in zip(day.networks, day.starts, strict=True)
            ]
    return (tuple(placements) if placements else None), run.spent


def _batches(parts: Sequence[frozenset[int]], days: Sequence[DayType]) -> list[list[DayType]]:
    """The days grouped by part, parts joined in input order into batches of at least
    :data:`BATCH_DAYS` days: the dates of each batch are one model (exact, since parts share
    no member), small parts share one (a model has a fixed cost however small)."""
    part_of = {j: k for k, part in enumerate(parts) for j in part}
    by_part: list[list[DayType]] = [[] for _ in parts]
    for t in days:
        by_part[part_of[t.networks[0]]].append(t)
    batches: list[list[DayType]] = [[]]
    for mine in by_part:
        if len(batches[-1]) >= BATCH_DAYS:
            batches.append([])
        batches[-1] += mine
    return [b for b in batches if b]


def _parts(members: Sequence[frozenset[str]]) -> list[frozenset[int]]:
    """Networks (indices) split into parts linked by shared required members, in input order:
    no day type spans two parts, so each part's dates are chosen on their own."""
    return [frozenset(group) for group in linked_groups([sorted(m) for m in members])]


def _free_in(run: _Run, part: frozenset[int]) -> int:
    return sum(_free_count(run.inst, run.nets[j].id) for j in part)


def _free_count(inst: Instance, network: str) -> int:
    return sum(1 for i in inst.by_network[network] if not inst.meetings[i].fixed)


# -------------------------------------------------------------------- types
def _types(run: _Run, ns: tuple[int, ...]) -> list[DayType]:
    """The cheapest order of ``ns`` (every order up to :data:`ORDER_ALL` networks, else by
    earliest start) at each venue they may all use."""
    venues = set(run.spec(ns[0]).venues)
    for j in ns[1:]:
        venues &= set(run.spec(j).venues)
    if len(ns) <= ORDER_ALL:
        orders = list(itertools.permutations(ns))
    else:
        orders = [tuple(sorted(ns, key=lambda j: (run.spec(j).starts[0], j)))]
    people = sorted(frozenset().union(*(run.members[j] for j in ns)))
    w = run.inst.problem.settings.weights
    out = []
    best_by_hours: dict[tuple[int, int], tuple[float, tuple[int, ...], tuple[int, ...]] | None] = {}
    waiting: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}
    shared = Counter(
        mine for p in people if len(mine := frozenset(j for j in ns if p in run.members[j])) > 1
    )
    for v in sorted(venues):
        ven = run.inst.problem.venue_by_id[v]
        hours = (ven.open, ven.close)
        if hours not in best_by_hours:  # the order and starts depend on the venue's hours only
            best_by_hours[hours] = _best_order(run, orders, hours, waiting, shared)
        best = best_by_hours[hours]
        if best is not None:
            metres = sum(run.round_trip(p, v) for p in people)
            cost = best[0] + w.travel_km * metres / SCALE + w.trips * len(people)
            room = len(run.domain(DayType(best[1], v, best[2], 0, 0)))
            if room:
                out.append(DayType(best[1], v, best[2], round(cost), room))
    return out


def _best_order(
    run: _Run,
    orders: Sequence[tuple[int, ...]],
    hours: tuple[int, int],
    waiting: dict[tuple[tuple[int, ...], tuple[int, ...]], float],
    shared: Counter[frozenset[int]],
) -> tuple[float, tuple[int, ...], tuple[int, ...]] | None:
    """The order (and its starts) of least waiting at a venue open during ``hours``
    (``waiting``: the costs computed so far, per order and starts)."""
    best: tuple[float, tuple[int, ...], tuple[int, ...]] | None = None
    for order in orders:
        starts = _timing(run, order, hours)
        if starts is None:
            continue
        cost = waiting.get((order, starts))
        if cost is None:
            cost = waiting[order, starts] = _waiting(run, order, starts, shared)
        if best is None or cost < best[0]:
            best = (cost, order, starts)
    return best


def _timing(run: _Run, order: tuple[int, ...], hours: tuple[int, int]) -> tuple[int, ...] | None:
    """Back-to-back starts (changeover between) on each network's grid, or ``None`` when one
    does not fit its window or the venue's ``(open, close)`` hours."""
    changeover = run.inst.problem.settings.changeover
    t, out = hours[0], []
    for j in order:
        spec = run.spec(j)
        k = bisect.bisect_left(spec.starts, t)
        if k == len(spec.starts) or spec.starts[k] + spec.duration > hours[1]:
            return None
        out.append(spec.starts[k])
        t = spec.starts[k] + spec.duration + changeover
    return tuple(out)


def _waiting(
    run: _Run, order: tuple[int, ...], starts: tuple[int, ...], shared: Counter[frozenset[int]]
) -> float:
    """The objective's waiting on such a day (units of ``SCALE``): per member the minutes
    between their first start and last end not in a meeting, and their long waits
    (``shared``: how many members are in each subset of two or more of the networks)."""
    s = run.inst.problem.settings
    w = s.weights
    span = {j: (t, t + run.spec(j).duration) for j, t in zip(order, starts, strict=True)}
    total = 0.0
    for mine, count in shared.items():
        rows = [span[j] for j in order if j in mine]
        idle = rows[-1][1] - rows[0][0] - sum(b - a for a, b in rows)
        waits = sum(1 for a, b in itertools.pairwise(rows) if b[0] - a[1] > s.long_wait)
        total += count * (w.idle_minutes * idle + w.long_waits * waits)
    return total


def _how_many(run: _Run, types: Sequence[DayType], large: set[int]) -> list[int] | None:
    """Days of each type: every network's free meetings covered (but those of ``large``
    parts, which have no types), least total cost."""
    model = cp_model.CpModel()
    wanted = [_free_count(run.inst, n.id) for n in run.nets]
    x = [model.new_int_var(0, min(t.room, *(wanted[j] for j in t.networks)), "") for t in types]
    covering: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for var, t in zip(x, types, strict=True):
        for j in t.networks:
            covering[j].append(var)
    for j, want in enumerate(wanted):
        if j not in large:
            model.add(sum(covering[j]) == want)
    model.minimize(sum(t.cost * var for var, t in zip(x, types, strict=True)))
    alone: dict[int, int] = {}  # a start CP-SAT can keep: each network on days of its own
    for k, t in enumerate(types):
        j = t.networks[0]
        single = len(t.networks) == 1 and t.room >= wanted[j]
        if single and (j not in alone or t.cost < types[alone[j]].cost):
            alone[j] = k
    for k, var in enumerate(x):
        model.add_hint(
            var, wanted[types[k].networks[0]] if alone.get(types[k].networks[0]) == k else 0
        )
    # many types need longer than the share (at 39,306 types, 0.1 s kept the start it was
    # given); a large input may need longer for a first answer: once more with three times
    share = max(COUNT_SHARE, COUNT_SECONDS_PER_TYPE * len(types) / max(run.limits[0], 1e-9))
    solver = run.solve(model, share) or run.solve(model, 3 * share)
    return None if solver is None else [solver.value(var) for var in x]


# -------------------------------------------------------------------- dates
def _dates(run: _Run, days: Sequence[DayType], weight: float) -> list[int] | None:
    """A day index for each day of one part: allowed for its networks at its venue, members'
    days on different dates, each network's days its gap apart; drawn to the even points in
    rounds (with ``weight`` of the limits)."""
    model = cp_model.CpModel()
    date = [
        model.new_int_var_from_domain(cp_model.Domain.from_values(sorted(run.domain(t))), "")
        for t in days
    ]
    by_person: dict[str, set[int]] = defaultdict(set)
    by_network: dict[int, list[int]] = defaultdict(list)
    for i, t in enumerate(days):
        for j in t.networks:
            by_network[j].append(i)
            for p in sorted(run.members[j]):  # in a fixed order (hash salts differ)
                by_person[p].add(i)
    for mine in by_person.values():
        if len(mine) > 1:
            model.add_all_different([date[i] for i in sorted(mine)])
    for j, ins in by_network.items():
        gap = run.nets[j].min_gap_days
        if gap > 0 and len(ins) > 1:
            model.add_no_overlap([model.new_fixed_size_interval_var(date[i], gap, "") for i in ins])
    share = weight * (1.0 - COUNT_SHARE) / (SPREAD_ROUNDS + 1)
    solver = run.solve(model, share)
    if solver is None:
        return None
    values = [solver.value(v) for v in date]
    for _ in range(SPREAD_ROUNDS):
        drawn = model.clone()
        var = [drawn.get_int_var_from_proto_index(v.index) for v in date]
        terms = []
        for j, ins in by_network.items():
            for rank, i in enumerate(sorted(ins, key=lambda i: (values[i], i))):
                dev = drawn.new_int_var(0, run.inst.horizon, "")
                drawn.add_abs_equality(dev, var[i] - run.inst.even_day(run.nets[j].id, rank))
                terms.append(dev)
        drawn.minimize(sum(terms))
        for v, value in zip(var, values, strict=True):
            drawn.add_hint(v, value)
        solver = run.solve(drawn, share)
        if solver is None:
            break
        values = [solver.value(v) for v in var]
    return values
