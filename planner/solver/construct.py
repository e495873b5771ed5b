"""The start plan: place every meeting whenever it can, quickly.

Meetings are placed round by round (every network's first meeting, then
every second one, ...), each at the cheapest (day, venue, start) near its
even point that fits every hard rule next to what is already placed:
joining a session of its members on that day costs no extra trip. Preferences
are relaxed step by step (a wider window, every venue, every start). A
meeting that still finds no place is put where the fewest placed meetings
stand in its way, and those are taken out and placed again (an ejection
chain with a tabu list), so that the start plan gives up only when a
bounded amount of work is spent. Everything is deterministic for a seed.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from dataclasses import dataclass

from planner.solver.evaluate import SCALE
from planner.solver.instance import Instance, Slot
from planner.solver.state import PlanState

NEAR_DAYS = 24
"""Days nearest to the even point looked at before the whole range."""


EJECT_TESTS = 6000
"""Placement tests one ejection step may make (once it has some place)."""
PREFERENCE_TRIES = 4
"""Further fitting starts tried when the first costs an "if need be" or a move."""


@dataclass
class Work:
    """Deterministic work units spent (one per placement test or slot costed).

    ``stop`` (the user's Ctrl-C) and ``deadline`` (a ``time.perf_counter()``
    wall-clock cap, a safety net) end the work early.
    """

    done: int = 0
    budget: float = float("inf")
    stop: threading.Event | None = None
    deadline: float = float("inf")

    @property
    def exhausted(self) -> bool:
        """Whether the budget is spent, the user stopped, or the wall cap passed."""
        if self.done >= self.budget:
            return True
        if self.stop is not None and self.stop.is_set():
            return True
        return self.deadline < float("inf") and time.perf_counter() > self.deadline


class Builder:
    """Places meetings into a :class:`PlanState`, cheapest fitting slot first."""

    def __init__(self, inst: Instance, state: PlanState, rng: random.Random | None) -> None:
        self.inst = inst
        self.state = state
        self.rng = rng
        s = inst.problem.settings
        w = s.weights
        self.w_metre = w.travel_km
        self.w_trip = SCALE * w.trips
        self.w_idle = SCALE * w.idle_minutes
        self.w_spread = SCALE * w.spread_days
        self.co = s.changeover
        self._near = inst.nearest_venues
        self._partners: dict[str, set[str]] = {}
        for wish in inst.problem.together:
            for n in wish.networks:
                self._partners.setdefault(n, set()).update(x for x in wish.networks if x != n)
        self.w_wish = SCALE * max(w.together, w.trips)

    # ------------------------------------------------------------ ranges
    def day_range(self, m: int) -> tuple[int, int]:
        """Days ``m`` may take given the placed meetings of its network."""
        inst, at = self.inst, self.state.at
        spec = inst.meetings[m]
        gap = inst.problem.network_by_id[spec.network].min_gap_days
        lo, hi = spec.days[0], spec.days[-1]
        for j in inst.by_network[spec.network]:
            oj = inst.meetings[j]
            if j == m or oj.fixed or j not in at:
                continue
            if oj.order < spec.order:
                lo = max(lo, at[j][0] + gap)
            else:
                hi = min(hi, at[j][0] - gap)
        return lo, hi

    def target(self, m: int) -> int:
        """The even point of ``m``: its rank counts the network's fixed meetings before it."""
        inst = self.inst
        spec = inst.meetings[m]
        point = inst.even_day(spec.network, spec.order)
        ids = inst.by_network[spec.network]
        fixed = [inst.meetings[j].days[0] for j in ids if inst.meetings[j].fixed]
        rank = spec.order + sum(1 for d in fixed if d < point)
        return inst.even_day(spec.network, rank)

    # ------------------------------------------------------------ costs
    def _venue_cost(self, m: int, day: int, venue: str) -> int:
        """Extra travel and trips for the members if ``m`` is at ``venue`` on ``day``."""
        inst, state = self.inst, self.state
        dist = inst.distances
        cost = 0
        for p in inst.meetings[m].required:
            mine = state.day_of_person(p, day)
            if not mine:
                cost += self.w_trip + self.w_metre * 2 * dist.metres(p, venue)
                continue
            last = state.at[mine[-1][1]][2]
            if last != venue:
                cost += self.w_metre * 2 * dist.metres(last, venue)
        partners = self._partners.get(inst.meetings[m].network)
        if partners and any(
            inst.meetings[q].network in partners for _, q in state.at_venue(venue, day)
        ):
            cost -= self.w_wish
        return cost

    def _preference_cost(self, m: int, slot: Slot) -> int:
        """Members' "if need be" and, re-planning, leaving the published slot."""
        prefs = self.inst.preferences
        if not prefs.any:
            return 0
        d, t, _ = slot
        w = self.inst.problem.settings.weights
        maybe = prefs.maybe(m, d, t, self.inst.meetings[m].duration)
        return SCALE * (w.if_need_be * maybe + w.moved_meeting * prefs.moved(m, slot))

    def _idle_cost(self, m: int, day: int, start: int) -> int:
        inst, state = self.inst, self.state
        spec = inst.meetings[m]
        end = start + spec.duration
        cost = 0
        for p in spec.required:
            mine = state.day_of_person(p, day)
            if not mine:
                continue
            first = mine[0][0]
            last = max(s + inst.meetings[q].duration for s, q in mine)
            span = max(last, end) - min(first, start)
            cost += span - (last - first) - spec.duration
        return self.w_idle * max(0, cost)

    def starts(self, m: int, day: int, venue: str) -> list[int]:
        """Starts worth trying first: next to members' meetings that day, then the rest."""
        inst, state = self.inst, self.state
        spec = inst.meetings[m]
        allowed = inst.starts_at(m, day, venue)
        if not allowed:
            return []
        wish: set[int] = set()
        for p in spec.required:
            for s, q in state.day_of_person(p, day):
                qv = state.at[q][2]
                wish.add(s + inst.meetings[q].duration + self.co + inst.venue_minutes[(qv, venue)])
                wish.add(s - self.co - spec.duration - inst.venue_minutes[(venue, qv)])
        for s, q in state.at_venue(venue, day):
            wish.add(s + inst.meetings[q].duration + self.co)
            wish.add(s - self.co - spec.duration)
        allowed_set = set(allowed)
        first = sorted(t for t in wish if t in allowed_set)
        return first + [t for t in allowed if t not in wish]

    # ------------------------------------------------------------ placing
    def candidates(self, m: int, wide: bool) -> list[tuple[int, int, str]]:
        """``(cost, day, venue)`` to try, cheapest first."""
        inst, state = self.inst, self.state
        spec = inst.meetings[m]
        lo, hi = self.day_range(m)
        target = self.target(m)
        days = [d for d in spec.days if lo <= d <= hi]
        days.sort(key=lambda d: (abs(d - target), d))
        if not wide:
            days = days[:NEAR_DAYS]
        near = self._near[spec.network]
        out: list[tuple[int, int, str]] = []
        for d in days:
            venues = set(near) if not wide else set(spec.venues)
            for p in spec.required:
                venues.update(state.at[q][2] for _, q in state.day_of_person(p, d))
            for k, u in enumerate(spec.venues):
                if u in venues and d in spec.venue_days[k]:
                    cost = self._venue_cost(m, d, u) + self.w_spread * abs(d - target)
                    out.append((cost, d, u))
        if self.rng is not None:
            out = [(c + self.rng.randrange(self.w_trip // 2 + 1), d, u) for c, d, u in out]
        out.sort()
        return out

    def place_best(self, m: int, work: Work, *, wide: bool = False) -> bool:
        """Place ``m`` at its cheapest fitting slot; ``False`` when none fits."""
        state = self.state
        best: tuple[int, Slot] | None = None
        candidates = self.candidates(m, wide)
        work.done += len(candidates)
        for cost, d, u in candidates:
            if best is not None and cost >= best[0]:
                break
            tries = 0
            for t in self.starts(m, d, u):
                work.done += 1
                if state.fits(m, (d, t, u)):
                    extra = self._preference_cost(m, (d, t, u))
                    total = cost + self._idle_cost(m, d, t) + extra
                    if best is None or total < best[0]:
                        best = (total, (d, t, u))
                    tries += 1
                    if not extra or tries > PREFERENCE_TRIES:
                        break
        if best is None:
            return False
        state.place(m, best[1])
        return True

    def eject_place(self, m: int, work: Work, tabu: deque[int]) -> list[int]:
        """Put ``m`` where the fewest movable meetings stand in its way; return those taken out."""
        inst, state = self.inst, self.state
        spec = inst.meetings[m]
        best: tuple[float, Slot, set[int]] | None = None
        pairs = [(d, u) for k, u in enumerate(spec.venues) for d in spec.venue_days[k]]
        if self.rng is not None:
            self.rng.shuffle(pairs)
        limit = work.done + EJECT_TESTS
        for d, u in pairs:
            if work.done > limit and best is not None:
                break
            for t in inst.starts_at(m, d, u):
                work.done += 1
                blockers = state.conflicts(m, (d, t, u))
                if any(inst.meetings[b].fixed for b in blockers):
                    continue
                score = len(blockers) + sum(3 for b in blockers if b in tabu)
                if best is None or score < best[0]:
                    best = (score, (d, t, u), blockers)
                    if score == 0:
                        break
            if best is not None and best[0] <= 1:
                break
        if best is None:
            return []
        for b in sorted(best[2]):
            state.remove(b)
        state.place(m, best[1])
        return sorted(best[2])


def construct(
    inst: Instance,
    *,
    rng: random.Random | None = None,
    work: Work | None = None,
    start: PlanState | None = None,
    max_ejections: int = 20_000,
) -> PlanState:
    """A start plan: every meeting placed when the work budget allows.

    Parameters
    ----------
    inst
        The instance.
    rng
        Perturbs the order and costs (``None``: the plain deterministic order).
    work
        Work budget shared with the caller.
    start
        A partial plan to complete (e.g. an earlier plan's meetings that still fit).
    max_ejections
        Most meetings taken out by the ejection chain.
    """
    work = work or Work()
    state = start.copy() if start is not None else PlanState(inst)
    builder = Builder(inst, state, rng)
    todo = [i for i in inst.free if i not in state.at]
    links = {i: len(inst.linked[i]) for i in todo}
    jitter = {i: (rng.random() if rng is not None else 0.0) for i in todo}
    todo.sort(key=lambda i: (inst.meetings[i].order, -links[i] - jitter[i], i))
    queue: deque[int] = deque()
    for m in todo:
        if not builder.place_best(m, work) and not builder.place_best(m, work, wide=True):
            queue.append(m)
    tabu: deque[int] = deque(maxlen=30)
    ejected = 0
    while queue and ejected < max_ejections and not work.exhausted:
        m = queue.popleft()
        if m in state.at:
            continue
        if builder.place_best(m, work, wide=True):
            continue
        out = builder.eject_place(m, work, tabu)
        if m not in state.at:
            continue  # cannot be placed even alone: left to the exact model
        tabu.append(m)
        ejected += len(out)
        queue.extend(out)
    _drop_conflicts(state)
    return state


def _drop_conflicts(state: PlanState) -> None:
    """Take out every free meeting that breaks a rule next to the meetings before it (a
    guard: a start plan holds no conflict even if a placement test ever missed one; the
    meetings taken out are placed again by the next start or the repair)."""
    inst = state.inst
    for m in sorted(state.at):
        if not inst.meetings[m].fixed and state.conflicts(m, state.at[m], first_only=True):
            state.remove(m)
