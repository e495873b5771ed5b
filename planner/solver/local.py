"""Relocation descent: move single meetings onto days where their members meet anyway.

A fast improvement phase without CP-SAT: for each meeting in a seeded order
it tries the days on which its required members already have a meeting
(and the venues used there, and its network's nearest venues), at starts
next to those meetings, keeps every hard rule through
:class:`~planner.solver.state.PlanState`, and makes the best move that
lowers the objective. The change in the objective is computed exactly on the
person-days, networks and sessions the move touches (the same definitions as
:mod:`planner.solver.evaluate`).
"""

from __future__ import annotations

import itertools
import random
from collections import ChainMap
from collections.abc import Iterable, Mapping

from planner.solver.construct import Builder, Work
from planner.solver.evaluate import HARD_WISH, SCALE
from planner.solver.instance import Instance, Slot
from planner.solver.moves import descend_around, replan_networks
from planner.solver.state import PlanState
from planner.solver.swaps import move_sessions, swap_meetings
from planner.solver.wishes import sessions_held

KICK_UNITS_PER_MEETING = 2
"""A kick copies the plan and evaluates it whole: one work unit per this many meetings,
so that a work unit costs about the same time at every size."""


class Relocator:
    """Exact move evaluation on a :class:`PlanState` (all roles indexed per person-day)."""

    def __init__(self, inst: Instance, state: PlanState) -> None:
        self.inst, self.state = inst, state
        w = inst.problem.settings.weights
        self.w = w
        self.days: dict[tuple[str, int], set[int]] = {}
        self.dates: dict[str, dict[int, int]] = {}
        """Per required member: day -> number of their meetings that day."""
        self._cost: dict[tuple[str, int], int] = {}
        """Per person-day: its cost as the plan stands (dropped when its meetings change)."""
        self._without: dict[tuple[str, int], dict[int, int]] = {}
        """Per person-day: its cost with one of its meetings taken out, by that meeting."""
        for m, (d, _, _) in state.at.items():
            self._add(m, d)

    def _add(self, m: int, d: int) -> None:
        for p in self._people(m):
            self.days.setdefault((p, d), set()).add(m)
            self._cost.pop((p, d), None)
            self._without.pop((p, d), None)
        for p in self.inst.meetings[m].required:
            mine = self.dates.setdefault(p, {})
            mine[d] = mine.get(d, 0) + 1

    def _drop(self, m: int, d: int) -> None:
        for p in self._people(m):
            self.days[(p, d)].discard(m)
            self._cost.pop((p, d), None)
            self._without.pop((p, d), None)
        for p in self.inst.meetings[m].required:
            self.dates[p][d] -= 1
            if not self.dates[p][d]:
                del self.dates[p][d]

    def _people(self, m: int) -> tuple[str, ...]:
        spec = self.inst.meetings[m]
        return spec.required + spec.optional

    def _person_day(self, p: str, ms: Iterable[int], at: Mapping[int, Slot]) -> int:
        """Weighted cost of one person's day: trip, route, idle (required) and optional clashes."""
        inst, w = self.inst, self.w
        meetings = inst.meetings
        req, opt = [], []
        for m in ms:
            _, t, u = at[m]
            spec = meetings[m]
            if p in spec.optional:
                opt.append((t, t + spec.duration))
            else:
                req.append((t, t + spec.duration, u))
        cost = 0
        if req:
            req.sort()
            route = [p, *(u for _, _, u in req), p]
            way = inst.distances.metres
            metres = sum(way(a, b) for a, b in itertools.pairwise(route) if a != b)
            covered, last = 0, req[0][0]
            for t, e, _ in req:
                covered += max(0, e - max(t, last))
                last = max(last, e)
            idle = last - req[0][0] - covered
            cost += w.travel_km * metres + SCALE * (w.trips + w.idle_minutes * idle)
            if len(req) > 1 and w.long_waits:
                limit = inst.problem.settings.long_wait
                waits = sum(1 for a, b in itertools.pairwise(req) if b[0] - a[1] > limit)
                cost += SCALE * w.long_waits * waits
        if not opt:  # clashes count only where an optional meeting takes part
            return cost
        rows = [(t, e, False) for t, e, _ in req] + [(t, e, True) for t, e in opt]
        clashes = sum(
            1
            for (t1, e1, o1), (t2, e2, o2) in itertools.combinations(rows, 2)
            if (o1 or o2) and t1 < e2 and t2 < e1
        )
        return cost + SCALE * w.optional_clashes * clashes

    def day_cost(self, p: str, d: int) -> int:
        """:meth:`_person_day` of ``p`` on day ``d`` as the plan stands (cached: every change
        of the plan goes through :meth:`_add` and :meth:`_drop`, which drop it)."""
        hit = self._cost.get((p, d))
        if hit is None:
            ms = self.days.get((p, d))
            hit = self._cost[(p, d)] = self._person_day(p, ms, self.state.at) if ms else 0
        return hit

    def _day_cost_without(self, p: str, d: int, m: int) -> int:
        """:meth:`day_cost` with meeting ``m`` taken out (cached likewise)."""
        mine = self._without.setdefault((p, d), {})
        hit = mine.get(m)
        if hit is None:
            ms = self.days.get((p, d), set()) - {m}
            hit = mine[m] = self._person_day(p, ms, self.state.at) if ms else 0
        return hit

    def _network(self, network: str, at: Mapping[int, Slot]) -> int:
        inst = self.inst
        days = sorted(at[i][0] for i in inst.by_network[network] if i in at)
        spread = sum(abs(d - inst.even_day(network, r)) for r, d in enumerate(days))
        return SCALE * self.w.spread_days * spread

    def _wishes(self, network: str, at: Mapping[int, Slot]) -> int:
        out = 0
        for wish in self.inst.problem.together:
            if network in wish.networks:
                short = max(0, wish.times - sessions_held(self.inst, wish, at))
                out += HARD_WISH * short if wish.hard else SCALE * self.w.together * short
        return out

    def _sessions(self, keys: set[tuple[int, str]], m: int, slot: Slot | None) -> int:
        """Cost of the sessions ``keys`` that are used when ``m`` is at ``slot`` (``None``:
        where it is now); from the state's venue-day index, not a scan of the plan."""
        out = 0
        for d, u in keys:
            present = self.state.at_venue(u, d)
            if slot is None:
                used = bool(present)
            else:
                used = (slot[0], slot[2]) == (d, u) or any(q != m for _, q in present)
            if used:
                out += round(SCALE * self.w.venue_cost * self.inst.problem.venue_by_id[u].cost)
        return out

    def delta(self, m: int, slot: Slot) -> int:
        """Change of the objective when ``m`` moves to ``slot`` (negative: better)."""
        at = self.state.at
        old = at[m]
        new_at: Mapping[int, Slot] = ChainMap({m: slot}, at)  # no copy of the plan
        people = self._people(m)
        before = after = 0
        for d in {old[0], slot[0]}:
            for p in people:
                before += self.day_cost(p, d)
                if d == slot[0]:
                    after += self._person_day(p, self.days.get((p, d), set()) | {m}, new_at)
                else:  # the others' slots are unchanged
                    after += self._day_cost_without(p, d, m)
        net = self.inst.meetings[m].network
        before += self._network(net, at) + self._wishes(net, at)
        after += self._network(net, new_at) + self._wishes(net, new_at)
        if self.w.venue_cost:
            keys = {(old[0], old[2]), (slot[0], slot[2])}
            before += self._sessions(keys, m, None)
            after += self._sessions(keys, m, slot)
        if self.inst.preferences.any:
            before += self._preferences(m, old, at)
            after += self._preferences(m, slot, new_at)
        return after - before

    def _preferences(self, m: int, slot: Slot, at: Mapping[int, Slot]) -> int:
        """ "If need be" of ``m`` at ``slot``, and (re-planning) its move and the
        members whose calendars change because of it."""
        inst, w = self.inst, self.w
        prefs = inst.preferences
        d, t, _ = slot
        cost = w.if_need_be * prefs.maybe(m, d, t, inst.meetings[m].duration)
        if prefs.moved(m, slot):
            cost += w.moved_meeting
            cost += w.moved_member * sum(
                1 for p in prefs.members[m] if not self._moved_other(p, m, at)
            )
        return SCALE * cost

    def _moved_other(self, p: str, m: int, at: Mapping[int, Slot]) -> bool:
        """Whether member ``p`` has a moved meeting other than ``m``."""
        prefs = self.inst.preferences
        for network in self.inst.problem.networks_of(p):
            for q in self.inst.by_network[network]:
                if q != m and q in at and prefs.moved(q, at[q]):
                    return True
        return False

    def move(self, m: int, slot: Slot) -> None:
        """Move ``m`` to ``slot`` in the state and the index."""
        old = self.state.remove(m)
        self.state.place(m, slot)
        self._drop(m, old[0])
        self._add(m, slot[0])

    def take(self, m: int) -> Slot:
        """Take ``m`` out of the state and the index; return where it was."""
        old = self.state.remove(m)
        self._drop(m, old[0])
        return old

    def put(self, m: int, slot: Slot) -> None:
        """Place ``m`` at ``slot`` in the state and the index (no checks)."""
        self.state.place(m, slot)
        self._add(m, slot[0])

    def scope(
        self, meetings: Iterable[int], slots: Iterable[Slot]
    ) -> tuple[set[tuple[str, int]], set[str], set[tuple[int, str]]]:
        """What moving ``meetings`` among ``slots`` can change: their people's days,
        their networks and the slots' sessions."""
        slots = list(slots)
        days = {d for d, _, _ in slots}
        pairs = {(p, d) for m in meetings for p in self._people(m) for d in days}
        nets = {self.inst.meetings[m].network for m in meetings}
        return pairs, nets, {(d, u) for d, _, u in slots}

    def cost(
        self,
        pairs: set[tuple[str, int]],
        nets: set[str],
        keys: set[tuple[int, str]],
        *,
        moved: Mapping[int, Slot],
    ) -> int:
        """The objective's terms on ``pairs`` (person-days), ``nets`` (spread and relay
        wishes), ``keys`` (sessions) and the preferences of ``moved``, as the plan stands."""
        at = self.state.at
        out = 0
        for p, d in pairs:
            out += self.day_cost(p, d)
        out += sum(self._network(n, at) + self._wishes(n, at) for n in nets)
        if self.w.venue_cost:
            out += self._sessions(keys, -1, None)
        if self.inst.preferences.any:
            out += sum(self._preferences(m, slot, at) for m, slot in moved.items())
        return out


def iterate(
    inst: Instance, state: PlanState, *, rng: random.Random, work: Work, objective: object
) -> tuple[PlanState, int]:
    """Iterated descent: descend, then repeatedly shake a few linked meetings loose
    (re-placed by the start plan's rules, perturbed by the seed) and descend again,
    keeping the better plan, until the work is spent. Returns the best plan and the
    number of improvements."""
    value = objective  # the evaluator, passed in to keep this module free of it
    assert callable(value)
    best, _ = descend(inst, state, rng=rng, work=work)
    best_value = value(inst, best.at)
    improvements = 0
    while not work.exhausted:
        trial = best.copy()
        work.done += len(inst.meetings) // KICK_UNITS_PER_MEETING  # copy and evaluation
        group = inst.groups[rng.randrange(len(inst.groups))] if inst.groups else None
        pool = [m for m in (group.meetings if group else inst.free) if not inst.meetings[m].fixed]
        if not pool:
            break
        centre = trial.at[rng.choice(pool)][0]
        shaken = [m for m in pool if abs(trial.at[m][0] - centre) <= 28][: rng.randint(2, 5)]
        old = {m: trial.remove(m) for m in shaken}
        builder = Builder(inst, trial, rng)
        for m in shaken:
            if not builder.place_best(m, work, wide=True):
                if not trial.fits(m, old[m]):
                    break
                trial.place(m, old[m])
        if not trial.complete() or all(trial.at[m] == old[m] for m in shaken):
            continue
        descend_around(inst, trial, shaken, rng=rng, work=work, days=[s[0] for s in old.values()])
        trial_value = value(inst, trial.at)
        if trial_value < best_value:
            best, best_value = trial, trial_value
            improvements += 1
    return best, improvements


def descend(
    inst: Instance, state: PlanState, *, rng: random.Random, work: Work, rounds: int = 20
) -> tuple[PlanState, int]:
    """Improving relocations until none is found or the work is spent; returns the plan
    (a copy) and the number of moves made."""
    state = state.copy()
    reloc = Relocator(inst, state)
    builder = Builder(inst, state, None)
    moves = 0
    for _ in range(rounds):
        order = list(inst.free)
        rng.shuffle(order)
        improved = False
        for m in order:
            if work.exhausted:
                return state, moves
            best = _best_move(inst, state, reloc, builder, m, work=work)
            if best is not None:
                reloc.move(m, best[1])
                moves += 1
                improved = True
        moves += _empty_days(inst, state, reloc, builder, rng=rng, work=work)
        moves += replan_networks(inst, state, reloc, builder, rng=rng, work=work)
        swapped = swap_meetings(inst, state, reloc, builder, rng=rng, work=work)
        swapped += move_sessions(inst, state, reloc, rng=rng, work=work)
        moves += swapped
        if not improved and not swapped:
            break
    return state, moves


def _empty_days(
    inst: Instance,
    state: PlanState,
    reloc: Relocator,
    builder: Builder,
    *,
    rng: random.Random,
    work: Work,
    only: list[tuple[str, int]] | None = None,
) -> int:
    """Empty a member's day (of ``only``, default all): move all its (at most three)
    meetings to days their members meet anyway, kept only when the moves together lower
    the objective."""
    if only is None:
        per_person = sorted(reloc.dates.items())
        days = [(p, d) for p, per in per_person for d in sorted(per) if per[d] <= 3]
    else:
        days = [(p, d) for p, d in only if 0 < reloc.dates.get(p, {}).get(d, 0) <= 3]
    rng.shuffle(days)
    made = 0
    for p, d in days:
        if work.exhausted:
            break
        ms = [m for _, m in state.day_of_person(p, d)]
        if not ms or any(inst.meetings[m].fixed for m in ms):
            continue
        total, done = 0, []
        for m in ms:
            best = _best_move(inst, state, reloc, builder, m, work=work, avoid=d, improving=False)
            if best is None:
                break
            done.append((m, state.at[m]))
            reloc.move(m, best[1])
            total += best[0]
        if len(done) == len(ms) and total < 0:
            made += len(done)
            continue
        for m, old in reversed(done):
            reloc.move(m, old)
    return made


def _best_move(
    inst: Instance,
    state: PlanState,
    reloc: Relocator,
    builder: Builder,
    m: int,
    *,
    work: Work,
    avoid: int | None = None,
    improving: bool = True,
) -> tuple[int, Slot] | None:
    """The best move of ``m`` to a day its members meet on (not ``avoid``; its own day
    too, at another start or venue), with its delta."""
    spec = inst.meetings[m]
    here = state.at[m]
    lo, hi = builder.day_range(m)
    days = {d for p in spec.required for d in reloc.dates.get(p, {})}
    allowed = set(spec.days)
    days = {d for d in days if lo <= d <= hi and d in allowed and d != avoid}
    best: tuple[int, Slot] | None = None
    venues_near = set(inst.nearest_venues[spec.network]) | {here[2]}
    for d in sorted(days):
        venues = set(venues_near)
        for p in spec.required:
            venues.update(state.at[q][2] for _, q in state.day_of_person(p, d))
        for k, u in enumerate(spec.venues):
            if u not in venues or d not in spec.venue_days[k]:
                continue
            starts = builder.starts(m, d, u)[:6]
            for t in starts:
                work.done += 1
                slot = (d, t, u)
                if slot == here or not state.fits(m, slot):
                    continue
                gain = reloc.delta(m, slot)
                if (gain < 0 or not improving) and (best is None or gain < best[0]):
                    best = (gain, slot)
                break
    return best
