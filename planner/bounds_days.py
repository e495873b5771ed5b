"""A stronger lower bound on trips and travel from the sets of networks that can share a day.

On any date of a plan, the networks that meet form a set in which no required
member has more than ``max_meetings_per_day`` of their networks (when every
network meets at most once a date) and whose networks share a weekday. Split
by shared members, the set falls apart into *connected* sets (networks linked
by members), whose trips and travel simply add up: members of one part meet
nobody of another. So every plan is a choice of connected sets, one per date
and part, in which each network appears exactly ``meetings`` times, and its
trips and travel are the sum of the sets' costs:

- trips of a set: the number of its networks' required members;
- travel of a set: at least ``min over venues of its networks of sum over its
  members of max over their networks in the set of c(member, venue)``, with
  ``c`` the round trip of :mod:`planner.bounds` (a day costs at least the round
  trip to its farthest venue).

The cheapest fractional choice (a linear program over all connected sets)
bounds every plan from below; so does the cheapest *whole* choice (a set is
used on a whole number of dates), which CP-SAT bounds within a small,
deterministic time (its proven bound, not its best answer, is taken; costs are
rounded down to whole metres first). It sees what the per-member bound cannot: that
a member in eight of twelve networks cannot have three of them on every day
when the others' members are capped too. The sets are enumerated, so the
bound is computed only when they are few (high overlap keeps them small;
inputs with many sets get ``None`` and keep the per-member bound).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from planner.problem import Problem

MAX_SETS = 5_000
"""Most connected sets enumerated; beyond, no bound (``None``)."""

INTEGER_DET_SECONDS = 1.0
"""Deterministic seconds CP-SAT may spend on the whole choice (per figure)."""

MAX_COMBINATIONS = 4_096
"""Most venue combinations costed exactly for one set; beyond, a weaker cost."""


def day_set_bounds(
    problem: Problem,
    venues: Mapping[str, tuple[str, ...]],
    cost: Callable[[str, str], float],
) -> tuple[float, float] | None:
    """Lower bounds ``(trips, travel_km)`` from connected day sets, or ``None`` when they are
    too many or a network may meet twice on one date.

    Parameters
    ----------
    problem
        The validated problem.
    venues
        Per network, the venues with room for it.
    cost
        Round-trip km from a person's home to a venue.
    """
    nets = [n for n in problem.networks if n.meetings > 0]
    if any(n.min_gap_days == 0 for n in nets):
        return None
    members = [frozenset(problem.required_members(n.id)) for n in nets]
    sets, complete = connected_sets(
        members, [frozenset(n.weekdays) for n in nets], problem.settings.max_meetings_per_day
    )
    if not complete:
        return None
    ids = [n.id for n in nets]
    costs = _SetCosts(members, [venues[i] for i in ids], cost)
    trips = [len(frozenset().union(*(members[j] for j in s))) for s in sets]
    travel = [costs.travel(s) for s in sets]
    wanted = [n.meetings for n in nets]
    return (
        max(_cheapest(sets, trips, wanted), _whole(sets, trips, wanted, 1)),
        max(_cheapest(sets, travel, wanted), _whole(sets, travel, wanted, 1000)),
    )


def connected_sets(
    members: Sequence[frozenset[str]],
    weekdays: Sequence[frozenset[int]],
    cap: int,
    limit: int | None = None,
) -> tuple[list[tuple[int, ...]], bool]:
    """Sets of networks linked by shared members, with a common weekday and no member over
    ``cap`` networks, smallest first; at most ``limit`` of them. Returns the sets and whether
    they are all of them (``limit`` defaults to :data:`MAX_SETS`)."""
    limit = MAX_SETS if limit is None else limit
    n = len(members)
    linked = [{k for k in range(n) if k != j and members[j] & members[k]} for j in range(n)]
    seen: set[frozenset[int]] = set()
    frontier = [frozenset([j]) for j in range(n)]
    seen.update(frontier)
    complete = True
    while frontier and complete:
        grown = []
        for s in frontier:
            for k in sorted(set().union(*(linked[j] for j in s)) - s):
                t = s | {k}
                if t in seen or not _fits(t, members, weekdays, cap):
                    continue
                if len(seen) >= limit:
                    complete = False
                    break
                seen.add(t)
                grown.append(t)
            if not complete:
                break
        frontier = grown
    return sorted((tuple(sorted(s)) for s in seen), key=lambda s: (len(s), s)), complete


def _fits(
    s: frozenset[int],
    members: Sequence[frozenset[str]],
    weekdays: Sequence[frozenset[int]],
    cap: int,
) -> bool:
    if not frozenset.intersection(*(weekdays[j] for j in s)):
        return False
    load: dict[str, int] = {}
    for j in s:
        for p in members[j]:
            load[p] = load.get(p, 0) + 1
            if load[p] > cap:
                return False
    return True


class _SetCosts:
    """Least travel of one day set: each network at one of its venues, each member paying the
    round trip to the farthest venue of their networks in the set."""

    def __init__(
        self,
        members: Sequence[frozenset[str]],
        venues: Sequence[tuple[str, ...]],
        cost: Callable[[str, str], float],
    ) -> None:
        self.members = members
        people = sorted(frozenset().union(*members))
        self.index = {p: i for i, p in enumerate(people)}
        self.rows = []
        """Per network: per venue, each person's round trip (0 if not a member)."""
        for mine, places in zip(members, venues, strict=True):
            r = np.zeros((len(places), len(people)))
            for p in mine:
                r[:, self.index[p]] = [cost(p, v) for v in places]
            self.rows.append(r)

    def travel(self, s: tuple[int, ...]) -> float:
        """The least travel of the day set ``s`` (network indices)."""
        cols = sorted(self.index[p] for p in frozenset().union(*(self.members[j] for j in s)))
        rows = [self.rows[j][:, cols] for j in s]
        if math.prod(len(r) for r in rows) > MAX_COMBINATIONS:
            return self._weak(rows)
        worst = rows[0]
        for r in rows[1:]:
            worst = np.maximum(worst[:, None, :], r[None, :, :]).reshape(-1, len(cols))
        return float(worst.sum(axis=1).min())

    @staticmethod
    def _weak(rows: list[np.ndarray]) -> float:
        """A cheaper bound: the dearest network alone, or each member at their nearest."""
        alone = max(float(r.sum(axis=1).min()) for r in rows)
        nearest = np.max(np.stack([r.min(axis=0) for r in rows]), axis=0).sum()
        return max(alone, float(nearest))


def _cheapest(sets: Sequence[tuple[int, ...]], costs: Sequence[float], wanted: list[int]) -> float:
    """The least total cost of sets covering each network exactly ``wanted`` times (LP)."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    x = [lp.NumVar(0, lp.infinity(), "") for _ in sets]
    rows = [lp.Constraint(w, w) for w in wanted]
    objective = lp.Objective()
    for var, s, c in zip(x, sets, costs, strict=True):
        objective.SetCoefficient(var, c)
        for j in s:
            rows[j].SetCoefficient(var, 1)
    objective.SetMinimization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return 0.0
    return _dual_bound([r.dual_value() for r in rows], sets, costs, wanted)


def _dual_bound(
    y: Sequence[float],
    sets: Sequence[tuple[int, ...]],
    costs: Sequence[float],
    wanted: Sequence[int],
) -> float:
    """A bound recomputed exactly from the LP's duals ``y``: ``sum wanted x y``, less what each
    set's reduced cost falls below 0 times the most that set can be used (the least ``wanted``
    of its networks), so that solver tolerances cannot make it invalid."""
    total = sum(w * v for w, v in zip(wanted, y, strict=True))
    for s, c in zip(sets, costs, strict=True):
        reduced = c - sum(y[j] for j in s)
        if reduced < 0:
            total += reduced * min(wanted[j] for j in s)
    return max(0.0, total)


def _whole(
    sets: Sequence[tuple[int, ...]], costs: Sequence[float], wanted: list[int], per_unit: int
) -> float:
    """A lower bound on the least total cost of sets covering each network exactly ``wanted``
    times, each used a whole number of times: CP-SAT's proven bound on the costs rounded down
    to ``1 / per_unit`` (0 when it proves nothing within :data:`INTEGER_DET_SECONDS`)."""
    model = cp_model.CpModel()
    x = [model.new_int_var(0, min(wanted[j] for j in s), "") for s in sets]
    covering: list[list[cp_model.IntVar]] = [[] for _ in wanted]
    for var, s in zip(x, sets, strict=True):
        for j in s:
            covering[j].append(var)
    for j, want in enumerate(wanted):
        model.add(sum(covering[j]) == want)
    units = [math.floor(c * per_unit + 1e-9) for c in costs]  # 1e-9: float noise of whole units
    model.minimize(sum(u * var for u, var in zip(units, x, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = INTEGER_DET_SECONDS
    solver.parameters.max_time_in_seconds = 60 * INTEGER_DET_SECONDS  # a guard only
    solver.parameters.catch_sigint_signal = False
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0.0  # no proof of anything within the limit (or sets that cannot cover)
    return max(0.0, solver.best_objective_bound) / per_unit
