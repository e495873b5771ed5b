"""A (partial) plan with exact, incremental checks of every hard rule.

The start plan places meetings one by one in a :class:`PlanState`; the
search uses it to test moves and to merge results. :meth:`PlanState.conflicts`
says which placed meetings stand in the way of a placement under the
contract's rules: a person's clash, travel gap (changeover plus travel
minutes between the venues of consecutive meetings) and daily cap, a
venue's rooms, and a network's order and least gap. Domain rules (dates,
venues, hours, windows, unavailability, capacity) are in the instance's
domains (:meth:`Instance.starts_at`).
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable, Mapping
from typing import Any

from planner.solver.instance import Instance, Slot


class PlanState:
    """Placements of some meetings, indexed by person-day and venue-day.

    Parameters
    ----------
    inst
        The instance.
    placed
        Initial placements (fixed meetings are always placed).
    """

    def __init__(self, inst: Instance, placed: Mapping[int, Slot] | None = None) -> None:
        self.inst = inst
        self.at: dict[int, Slot] = {}
        self._person_day: dict[tuple[str, int], list[tuple[int, int]]] = {}
        self._venue_day: dict[tuple[str, int], list[tuple[int, int]]] = {}
        self._days_of: dict[str, set[int]] = {}
        p = inst.problem.settings
        self.changeover = p.changeover
        self.cap = p.max_meetings_per_day
        self._rooms = {v.id: v.rooms for v in inst.problem.venues}
        self._gap = {n.id: n.min_gap_days for n in inst.problem.networks}
        for m in inst.meetings:
            if m.fixed:
                self.place(m.index, (m.days[0], m.starts[0], m.venues[0]))
        for i, slot in (placed or {}).items():
            if i not in self.at:
                self.place(i, slot)

    def copy(self) -> PlanState:
        """An independent copy."""
        out = PlanState.__new__(PlanState)
        out.inst, out.changeover, out.cap = self.inst, self.changeover, self.cap
        out._rooms, out._gap = self._rooms, self._gap
        out.at = dict(self.at)
        out._person_day = {k: list(v) for k, v in self._person_day.items()}
        out._venue_day = {k: list(v) for k, v in self._venue_day.items()}
        out._days_of = {k: set(v) for k, v in self._days_of.items()}
        return out

    # ------------------------------------------------------------ updates
    def place(self, m: int, slot: Slot) -> None:
        """Record meeting ``m`` at ``slot`` (no checks)."""
        day, start, venue = slot
        self.at[m] = slot
        for p in self.inst.meetings[m].required:
            insort(self._person_day.setdefault((p, day), []), (start, m))
            self._days_of.setdefault(p, set()).add(day)
        insort(self._venue_day.setdefault((venue, day), []), (start, m))

    def remove(self, m: int) -> Slot:
        """Take meeting ``m`` out; return where it was."""
        day, start, venue = slot = self.at.pop(m)
        for p in self.inst.meetings[m].required:
            self._person_day[(p, day)].remove((start, m))
            if not self._person_day[(p, day)]:
                self._days_of[p].discard(day)
        self._venue_day[(venue, day)].remove((start, m))
        return slot

    def person_days(self, person: str) -> list[tuple[tuple[str, int], list[tuple[int, int]]]]:
        """Every day of a person with meetings: ``((person, day), [(start, meeting)])``."""
        days = self._days_of.get(person, ())
        return [((person, d), self._person_day[(person, d)]) for d in sorted(days)]

    def day_of_person(self, person: str, day: int) -> list[tuple[int, int]]:
        """``(start, meeting)`` of a person's meetings on a day, by start."""
        return self._person_day.get((person, day), [])

    def at_venue(self, venue: str, day: int) -> list[tuple[int, int]]:
        """``(start, meeting)`` of the meetings at a venue on a day, by start."""
        return self._venue_day.get((venue, day), [])

    # ------------------------------------------------------------ checks
    def fits(self, m: int, slot: Slot) -> bool:
        """Whether ``m`` may be placed at ``slot`` next to every placed meeting."""
        return not self.conflicts(m, slot, first_only=True)

    def conflicts(self, m: int, slot: Slot, *, first_only: bool = False) -> set[int]:
        """Placed meetings that stand in the way of ``m`` at ``slot`` (empty: it fits).

        For the daily cap and rooms, every meeting that shares the day (or
        the occupied time) is named, since removing any of them helps.
        """
        out = self._network_conflicts(m, slot)
        if out and first_only:
            return out
        out |= self._person_conflicts(m, slot, first_only)
        if out and first_only:
            return out
        return out | self._room_conflicts(m, slot)

    def _network_conflicts(self, m: int, slot: Slot) -> set[int]:
        """A network's meetings keep their date order and ``min_gap_days`` apart."""
        spec = self.inst.meetings[m]
        gap = self._gap[spec.network]
        out: set[int] = set()
        for j in self.inst.by_network[spec.network]:
            other = self.at.get(j)
            if other is None or j == m:
                continue
            oj = self.inst.meetings[j]
            if oj.fixed or spec.fixed:
                bad = abs(other[0] - slot[0]) < gap
            elif oj.order < spec.order:
                bad = other[0] > slot[0] - gap
            else:
                bad = other[0] < slot[0] + gap
            if bad:
                out.add(j)
        return out

    def _person_conflicts(self, m: int, slot: Slot, first_only: bool = False) -> set[int]:
        """No clash, a travel gap to the neighbours of the day, at most ``cap`` a day
        (with ``first_only``, the conflicts of the first person who has any)."""
        day, start, venue = slot
        spec = self.inst.meetings[m]
        end = start + spec.duration
        minutes = self.inst.venue_minutes
        co = self.changeover
        out: set[int] = set()
        meetings = self.inst.meetings
        for p in spec.required:
            mine = self._person_day.get((p, day))
            if not mine:
                continue
            # one pass over the day, by start: overlaps, then the meetings before and after
            earlier: list[tuple[int, int]] = []
            later: list[tuple[int, int]] = []
            others = 0
            for s, q in mine:
                if q == m:
                    continue
                others += 1
                if s < end and start < s + meetings[q].duration:
                    out.add(q)
                elif s < start:
                    earlier.append((s, q))
                else:
                    later.append((s, q))
            if others >= self.cap:
                out.update(q for _, q in mine if q != m)
            # the travel gap to the nearest meeting before and after that does not overlap;
            # when that one is in the way, the next one becomes the neighbour once it is out
            for s, q in reversed(earlier):
                if s + meetings[q].duration + co + minutes[(self.at[q][2], venue)] <= start:
                    break
                out.add(q)
            for s, q in later:
                if end + co + minutes[(venue, self.at[q][2])] <= s:
                    break
                out.add(q)
            if out and first_only:
                return out
        return out

    def _room_conflicts(self, m: int, slot: Slot) -> set[int]:
        """At most ``rooms`` meetings occupy a venue at once, each until ``changeover``
        after its end."""
        day, start, venue = slot
        co = self.changeover
        end = start + self.inst.meetings[m].duration + co
        busy = [
            (s, s + self.inst.meetings[q].duration + co, q)
            for s, q in self._venue_day.get((venue, day), ())
            if q != m
        ]
        hits = [(s, e, q) for s, e, q in busy if s < end and start < e]
        rooms = self._rooms[venue]
        if len(hits) < rooms:
            return set()
        points = [start] + [s for s, _, _ in hits if start < s < end]
        for t in points:
            if sum(1 for s, e, _ in hits if s <= t < e) >= rooms:
                return {q for _, _, q in hits}
        return set()

    # ------------------------------------------------------------ views
    def complete(self) -> bool:
        """Whether every meeting is placed."""
        return len(self.at) == len(self.inst.meetings)

    def missing(self) -> list[int]:
        """Meetings not placed, in index order."""
        return [m.index for m in self.inst.meetings if m.index not in self.at]

    def meetings_on(self, days: Iterable[int]) -> list[int]:
        """Placed meetings on any of ``days``."""
        wanted = set(days)
        return sorted(m for m, slot in self.at.items() if slot[0] in wanted)


def state_from_placements(inst: Instance, hint: Iterable[tuple[Any, ...]]) -> PlanState:
    """A plan state of the ``(network, date, start, venue)`` placements that fit this
    instance (a hint, a previous plan, a schedule), matched per network in date order."""
    state = PlanState(inst)
    by_net: dict[str, list[Slot]] = {}
    for network, when, start, venue in hint:
        by_net.setdefault(network, []).append((inst.day_of(when), start, venue))
    for network, ids in inst.by_network.items():
        kept = {
            (inst.meetings[i].days[0], inst.meetings[i].starts[0])
            for i in ids
            if inst.meetings[i].fixed
        }
        given = sorted(p for p in by_net.get(network, []) if (p[0], p[1]) not in kept)
        free = [i for i in ids if not inst.meetings[i].fixed]
        for i, slot in zip(free, given, strict=False):
            d, t, u = slot
            spec = inst.meetings[i]
            ok = u in spec.venues and d in spec.venue_days[spec.venues.index(u)]
            if ok and t in inst.starts_at(i, d, u) and state.fits(i, slot):
                state.place(i, slot)
    return state
