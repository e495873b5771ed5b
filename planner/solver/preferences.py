"""Members' "if need be" answers and a published plan's placements (re-planning).

Two soft goals that cost per meeting and slot, in one place for the start
plan, the local search, the CP-SAT objective and the evaluator:

- **if need be**: a required member who answered "if need be" for a date
  (``Person.if_need_be``) or for a time range (``Person.if_need_be_times``)
  costs ``weight_if_need_be`` for each meeting of theirs on that date, or
  overlapping that range; a member counts once per meeting.
- **moved**: when re-planning (``Problem.previous``), a network's k-th free
  meeting in date order is *kept* at the k-th published placement of that
  network (date, start, venue); placed anywhere else it is *moved*
  (``weight_moved_meeting``), and every member (required or optional) with at
  least one moved meeting costs ``weight_moved_member`` once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.solver.instance import Instance, Slot


@dataclass(frozen=True, slots=True)
class Preferences:
    """Per meeting: its members' "if need be" days and times, and its published slot.

    Attributes
    ----------
    whole_days
        Per meeting, per day: the required members who said "if need be" for
        the whole day.
    times
        Per meeting, per day: ``(member, start, end)`` "if need be" ranges of
        required members (in minutes), for members not in ``whole_days``.
    previous
        Per free meeting: its published ``(day, start, venue)``.
    members
        Per meeting: every member (required and optional).
    """

    whole_days: Mapping[int, Mapping[int, frozenset[str]]]
    times: Mapping[int, Mapping[int, tuple[tuple[str, int, int], ...]]]
    previous: Mapping[int, Slot]
    members: Mapping[int, frozenset[str]]

    @property
    def any(self) -> bool:
        """Whether either goal applies at all."""
        return bool(self.whole_days or self.times or self.previous)

    def maybe(self, m: int, day: int, start: int, duration: int) -> int:
        """Required members of ``m`` who said "if need be" for its slot on ``day``."""
        whole = self.whole_days.get(m, {}).get(day, frozenset())
        timed = {
            p
            for p, lo, hi in self.times.get(m, {}).get(day, ())
            if lo < start + duration and start < hi
        }
        return len(whole) + len(timed - whole)

    def moved(self, m: int, slot: Slot) -> bool:
        """Whether ``m`` at ``slot`` is not at its published placement."""
        old = self.previous.get(m)
        return old is not None and old != slot


def build_preferences(inst: Instance) -> Preferences:
    """The :class:`Preferences` of an instance."""
    problem = inst.problem
    whole: dict[int, dict[int, frozenset[str]]] = {}
    times: dict[int, dict[int, tuple[tuple[str, int, int], ...]]] = {}
    for spec in inst.meetings:
        w: dict[int, set[str]] = {}
        t: dict[int, list[tuple[str, int, int]]] = {}
        for p in spec.required:
            person = problem.person_by_id[p]
            for when in person.if_need_be:
                w.setdefault(inst.day_of(when), set()).add(p)
            for when, lo, hi in person.if_need_be_times:
                t.setdefault(inst.day_of(when), []).append((p, lo, hi))
        if w:
            whole[spec.index] = {d: frozenset(ps) for d, ps in w.items()}
        if t:
            times[spec.index] = {d: tuple(sorted(rows)) for d, rows in t.items()}
    return Preferences(
        whole_days=whole,
        times=times,
        previous=_previous(inst),
        members={s.index: frozenset(s.required + s.optional) for s in inst.meetings},
    )


def _previous(inst: Instance) -> dict[int, Slot]:
    """Per network, its k-th free meeting -> the k-th published placement (date order)."""
    by_net: dict[str, list[Slot]] = {}
    for f in inst.problem.previous:
        by_net.setdefault(f.network, []).append((inst.day_of(f.date), f.start, f.venue))
    out: dict[int, Slot] = {}
    for network, slots in by_net.items():
        free = [i for i in inst.by_network.get(network, ()) if not inst.meetings[i].fixed]
        free.sort(key=lambda i: inst.meetings[i].order)
        for i, slot in zip(free, sorted(slots), strict=False):
            out[i] = slot
    return out


def maybe_count(inst: Instance, chosen: Mapping[int, Slot]) -> int:
    """The figure ``if_need_be``: (required member, meeting) pairs on an "if need be"."""
    prefs = inst.preferences
    return sum(prefs.maybe(m, d, t, inst.meetings[m].duration) for m, (d, t, _) in chosen.items())


def moved_counts(inst: Instance, chosen: Mapping[int, Slot]) -> tuple[int, int]:
    """Moved meetings, and members with at least one of them."""
    prefs = inst.preferences
    moved = [m for m, slot in chosen.items() if prefs.moved(m, slot)]
    members: set[str] = set()
    for m in moved:
        members |= prefs.members[m]
    return len(moved), len(members)
