"""Lower bounds on the figures any plan can reach: how far is a plan from the best?

**Trips.** A required member's meetings fit on no fewer than
``D = max(ceil(meetings / max_meetings_per_day), most meetings of one of their
networks)`` days (a network with ``min_gap_days`` >= 1 meets at most once a
date), so ``trips >= sum of D`` over members.

**Travel.** A member's day is a round trip home -> venues -> home, at least
``c(v) = km(home -> v) + km(v -> home)`` for *every* venue ``v`` of the day
(legs measured on the shortest paths through venues, so that a ``travel``
table that breaks the triangle inequality cannot undercut this). Hence, for
weights ``lam >= 0`` and ``w[n] >= 0`` per network, with ``lam`` plus the sum of
the ``k`` largest ``w`` at most 1 (``k``: most meetings the member can have on one
day), a day costs at least ``lam x c(nearest venue) + sum over its meetings of
w[network] x c(venue)``. Summed over the member's days (at least ``D``) and
over members, and with each meeting at the venue cheapest for these weighted
costs (capacity respected), that is a lower bound on ``travel_km`` of every
plan without hard violations, whatever the weights. The weights that give the
largest bound come from one linear program (GLOP); the bound is then
recomputed exactly from them, clipped to be feasible, so solver tolerances
cannot make it invalid. With ``lam = 1`` it is the simple bound (days x the
nearest venue); with ``w = 1/k`` each member pays a ``k``-th of every meeting at
the best venue for the whole network. It is tight when every member's day is
a full relay at one venue; the gap that remains is the price of the networks'
different memberships (on low overlap it is a few per cent).

Where the sets of networks that can share a day are few (high overlap, small
inputs), :mod:`planner.bounds_days` gives a second, often stronger bound on
both figures; the larger of the two is reported.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from planner.bounds_days import day_set_bounds
from planner.check_distances import Distances
from planner.problem import Network, Problem


@dataclass(frozen=True, slots=True)
class Bounds:
    """Lower bounds on ``trips`` and ``travel_km``."""

    trips: int
    travel_km: float


@dataclass(frozen=True, slots=True)
class _Member:
    """One required member: networks, least days, most meetings a day, cheapest trip."""

    networks: tuple[str, ...]
    days: int
    per_day: int
    nearest_km: float
    repeats: frozenset[str]
    """Networks that may meet twice on one date (``min_gap_days`` 0)."""


@functools.lru_cache(maxsize=4)
def lower_bounds(problem: Problem) -> Bounds:
    """Lower bounds on the trips and travel of every plan of ``problem``.

    Parameters
    ----------
    problem
        The validated problem.

    Returns
    -------
    Bounds
        ``trips`` and ``travel_km`` that no plan without hard violations goes below
        (km: float noise below 1e-6 km ignored, then rounded down to 3 decimals).
        Cached per problem: ``dakpan plan`` asks for them twice (its summary line and
        the report), at XL about 1.5 s each.
    """
    venues = _venues(problem)
    cost = _RoundTrips(problem)
    parts = _Parts(problem, venues, cost, _members(problem, venues, cost))
    trips = sum(m.days for m in parts.members.values())
    km = _value(parts, *_weights(parts))
    by_day_sets = day_set_bounds(problem, venues, cost)
    if by_day_sets is not None:
        trips = max(trips, math.ceil(round(by_day_sets[0], 6)))
        km = max(km, by_day_sets[1])
    return Bounds(trips=trips, travel_km=math.floor(round(max(0.0, km), 6) * 1000) / 1000)


# ----------------------------------------------------------------- the pieces
def _venues(problem: Problem) -> dict[str, tuple[str, ...]]:
    """Per network: the venues it may use that have room for all its members."""
    out = {}
    for net in problem.networks:
        size = len(problem.members(net.id))
        roomy = tuple(v for v in net.venues if problem.venue_by_id[v].capacity >= size)
        out[net.id] = roomy or net.venues
    return out


def _members(
    problem: Problem, venues: Mapping[str, tuple[str, ...]], cost: _RoundTrips
) -> dict[str, _Member]:
    cap = problem.settings.max_meetings_per_day
    nets_of: dict[str, list[Network]] = {}
    for net in problem.networks:
        for p in problem.required_members(net.id):
            nets_of.setdefault(p, []).append(net)
    out = {}
    for p, nets in sorted(nets_of.items()):
        count = sum(n.meetings for n in nets)
        repeats = frozenset(n.id for n in nets if n.min_gap_days == 0)
        once = [n.meetings for n in nets if n.id not in repeats]
        usable = {v for n in nets for v in venues[n.id]}
        out[p] = _Member(
            networks=tuple(n.id for n in nets),
            days=max(math.ceil(count / cap), max(once, default=0)),
            per_day=cap if repeats else min(cap, len(nets)),
            nearest_km=min(cost(p, v) for v in usable),
            repeats=repeats,
        )
    return out


@dataclass(frozen=True, slots=True)
class _Parts:
    """What the travel bound is computed from."""

    problem: Problem
    venues: Mapping[str, tuple[str, ...]]
    cost: _RoundTrips
    members: Mapping[str, _Member]


class _RoundTrips:
    """``c(p, v)``: home -> v -> home, each leg on the shortest path through venues."""

    def __init__(self, problem: Problem) -> None:
        self._d = Distances(problem)
        self._venues = [v.id for v in problem.venues]
        self._index = {v: i for i, v in enumerate(self._venues)}
        self._closure: np.ndarray | None = None
        if problem.travel:
            m = np.array([[self._d.km(a, b) for b in self._venues] for a in self._venues])
            for k in range(len(self._venues)):
                m = np.minimum(m, m[:, k, None] + m[None, k, :])
            self._closure = m
        self._rows: dict[str, np.ndarray] = {}

    def __call__(self, p: str, v: str) -> float:
        """Round-trip km from ``p``'s home to venue ``v``."""
        if self._closure is None:
            return self._d.km(p, v) + self._d.km(v, p)
        row = self._rows.get(p)
        if row is None:
            out = np.array([self._d.km(p, u) for u in self._venues])
            back = np.array([self._d.km(u, p) for u in self._venues])
            row = (out[:, None] + self._closure).min(axis=0)
            row = row + (self._closure + back[None, :]).min(axis=1)
            self._rows[p] = row
        return float(row[self._index[v]])


def _weights(parts: _Parts) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """The weights of the largest bound: maximise ``sum lam x D x nearest + sum over
    networks of meetings x z`` with ``z <= sum over members w x c(v)`` for each venue and,
    per member, ``lam + k x t + sum s <= 1``, ``w <= t + s`` (the sum of any ``k`` weights
    at most ``1 - lam``; a network that may meet twice a date gets no ``s``)."""
    problem, venues, cost, members = parts.problem, parts.venues, parts.cost, parts.members
    lp = pywraplp.Solver.CreateSolver("GLOP")
    objective = lp.Objective()
    lam, w = {}, {}
    for p, mem in members.items():
        lam[p] = lp.NumVar(0, 1, "")
        objective.SetCoefficient(lam[p], mem.days * mem.nearest_km)
        t = lp.NumVar(0, 1, "")
        row = lp.Constraint(-lp.infinity(), 1)
        row.SetCoefficient(lam[p], 1)
        row.SetCoefficient(t, mem.per_day)
        for n in mem.networks:
            w[p, n] = lp.NumVar(0, 1, "")
            link = lp.Constraint(-lp.infinity(), 0)
            link.SetCoefficient(w[p, n], 1)
            link.SetCoefficient(t, -1)
            if n not in mem.repeats:
                s = lp.NumVar(0, 1, "")
                row.SetCoefficient(s, 1)
                link.SetCoefficient(s, -1)
    for net in problem.networks:
        required = problem.required_members(net.id)
        if not required:
            continue
        z = lp.NumVar(0, lp.infinity(), "")
        objective.SetCoefficient(z, net.meetings)
        for v in venues[net.id]:
            row = lp.Constraint(-lp.infinity(), 0)
            row.SetCoefficient(z, 1)
            for p in required:
                row.SetCoefficient(w[p, net.id], -cost(p, v))
    objective.SetMaximization()
    if lp.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return {p: 1.0 for p in members}, {k: 0.0 for k in w}
    return (
        {p: v.solution_value() for p, v in lam.items()},
        {k: v.solution_value() for k, v in w.items()},
    )


def _value(parts: _Parts, lam: Mapping[str, float], w: Mapping[tuple[str, str], float]) -> float:
    """The bound of the given weights, computed exactly after making them feasible."""
    members, cost = parts.members, parts.cost
    lam2, w2 = {}, {}
    for p, mem in members.items():
        lp_ = min(1.0, max(0.0, lam[p]))
        ws = {n: min(1.0, max(0.0, w[p, n])) for n in mem.networks}
        worst = _largest_sum(ws, mem)
        scale = 1.0 if lp_ + worst <= 1.0 else max(0.0, 1.0 - lp_) / worst
        lam2[p] = lp_
        w2.update({(p, n): x * scale for n, x in ws.items()})
    km = sum(lam2[p] * mem.days * mem.nearest_km for p, mem in members.items())
    for net in parts.problem.networks:
        required = parts.problem.required_members(net.id)
        if required:
            paid = (sum(w2[p, net.id] * cost(p, v) for p in required) for v in parts.venues[net.id])
            km += net.meetings * min(paid)
    return km


def _largest_sum(ws: Mapping[str, float], mem: _Member) -> float:
    """The most the weights of one day's meetings can add up to: the ``per_day`` largest,
    a network that may meet twice a date counted as often as it fills the day."""
    pool = [x for n, x in ws.items() if n not in mem.repeats]
    pool += [max((ws[n] for n in mem.repeats), default=0.0)] * mem.per_day
    return sum(sorted(pool, reverse=True)[: mem.per_day])
