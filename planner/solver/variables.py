"""The CP-SAT variables of one model, in one container.

A model decides the meetings of a :class:`Scope` (all free meetings for the
whole problem, a few for a neighbourhood or a repair, one day's for the
timing); every other placed meeting is a constant. Every variable has a
readable name (``x[swv-zld#2,d41,goes]``) so that a model dump or a core can
be read by a person. :meth:`Variables.hint` turns a plan into a hint;
:meth:`Variables.extract` turns a solution back into placements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.solver.instance import MINUTES_PER_DAY, Instance, PersonGroup, Slot
from planner.solver.state import PlanState

Candidate = tuple[int, str]
"""``(day, venue)`` a meeting may take."""


@dataclass(frozen=True)
class Scope:
    """The meetings a model decides and the (day, venue) pairs each may take.

    Attributes
    ----------
    free
        Meeting indices, ascending.
    candidates
        Per free meeting, its ``(day, venue)`` pairs (sorted).
    starts
        Optional per free meeting: only these start minutes (e.g. for timing
        steps that keep each meeting near its place); default every allowed start.
    exact
        Model each group's days as routes (exact travel, idle, travel gaps; see
        :mod:`planner.solver.routes`) instead of the lighter form for search steps.
    no_long_waits
        Groups (indices of :attr:`~planner.solver.instance.Instance.groups`) that may
        not wait longer than ``long_wait`` between two meetings (with ``exact`` only:
        how :mod:`planner.solver.waits` asks whether a day can be timed without a wait).
    """

    free: tuple[int, ...]
    candidates: Mapping[int, tuple[Candidate, ...]]
    starts: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    exact: bool = False
    no_long_waits: frozenset[int] = frozenset()

    @classmethod
    def whole(
        cls, inst: Instance, meetings: tuple[int, ...] | None = None, *, exact: bool = False
    ) -> Scope:
        """Every (day, venue) pair of the domain for ``meetings`` (default: all free ones)."""
        free = inst.free if meetings is None else tuple(sorted(meetings))
        return cls(free, {m: full_candidates(inst, m) for m in free}, exact=exact)


def full_candidates(inst: Instance, m: int) -> tuple[Candidate, ...]:
    """Every ``(day, venue)`` pair of meeting ``m``'s domain."""
    spec = inst.meetings[m]
    return tuple(sorted((d, u) for k, u in enumerate(spec.venues) for d in spec.venue_days[k]))


@dataclass
class Variables:
    """All decision and auxiliary variables of one model.

    Attributes
    ----------
    x
        ``x[m][(d, u)]``: meeting ``m`` is on day ``d`` at venue ``u``.
    day, start, when
        Day index, start minute, and ``day x 1440 + start`` of each meeting.
    busy
        Each meeting's occupation of its members and room on the absolute time
        line: from its start until ``changeover`` minutes after its end.
    on_day, at_venue
        Literals ``on_day[(m, d)]`` and ``at_venue[(m, u)]``.
    """

    inst: Instance
    state: PlanState
    scope: Scope
    model: cp_model.CpModel
    x: dict[int, dict[Candidate, cp_model.IntVar]] = field(default_factory=dict)
    day: dict[int, cp_model.IntVar] = field(default_factory=dict)
    start: dict[int, cp_model.IntVar] = field(default_factory=dict)
    when: dict[int, cp_model.IntVar] = field(default_factory=dict)
    busy: dict[int, cp_model.IntervalVar] = field(default_factory=dict)
    on_day: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    at_venue: dict[tuple[int, str], cp_model.IntVar] = field(default_factory=dict)
    _groups: list[tuple[int, PersonGroup]] | None = field(default=None, repr=False)

    @classmethod
    def create(
        cls, model: cp_model.CpModel, inst: Instance, state: PlanState, scope: Scope
    ) -> Variables:
        """Create the per-meeting variables of ``scope``."""
        v = cls(inst=inst, state=state, scope=scope, model=model)
        co = inst.problem.settings.changeover
        for m in scope.free:
            spec = inst.meetings[m]
            name = label(inst, m)
            cands = scope.candidates[m]
            v.x[m] = {c: model.new_bool_var(f"x[{name},d{c[0]},{c[1]}]") for c in cands}
            days = sorted({d for d, _ in cands})
            starts = scope.starts.get(m) or spec.starts
            v.day[m] = model.new_int_var_from_domain(
                cp_model.Domain.from_values(days), f"day[{name}]"
            )
            v.start[m] = model.new_int_var_from_domain(
                cp_model.Domain.from_values(starts), f"start[{name}]"
            )
            lo = days[0] * MINUTES_PER_DAY + min(starts)
            hi = days[-1] * MINUTES_PER_DAY + max(starts)
            v.when[m] = model.new_int_var(lo, hi, f"when[{name}]")
            model.add(v.when[m] == v.day[m] * MINUTES_PER_DAY + v.start[m])
            v.busy[m] = model.new_fixed_size_interval_var(
                v.when[m], spec.duration + co, f"busy[{name}]"
            )
            for (_, d), lit in _indicators(model, v.x[m], name, 0, "on").items():
                v.on_day[(m, int(d))] = lit
            for (_, u), lit in _indicators(model, v.x[m], name, 1, "at").items():
                v.at_venue[(m, str(u))] = lit
        return v

    def groups(self) -> list[tuple[int, PersonGroup]]:
        """``(index, group)`` of the member groups with a decided meeting, by index.

        A meeting belongs to the groups of its required members, so this is found
        from the decided meetings alone (not by scanning every group: at province
        size a small model would otherwise spend most of its build there).
        """
        if self._groups is None:
            inst = self.inst
            ids = {inst.group_of[p] for m in self.x for p in inst.meetings[m].required}
            self._groups = [(g, inst.groups[g]) for g in sorted(ids)]
        return self._groups

    def constants(self, meetings: tuple[int, ...]) -> list[tuple[int, Slot]]:
        """The placed meetings among ``meetings`` that this model keeps where they are."""
        free = self.scope.candidates
        at = self.state.at
        return [(q, at[q]) for q in meetings if q not in free and q in at]

    # ----------------------------------------------------------------- hints
    def hint(self, chosen: Mapping[int, Slot]) -> None:
        """Hint the scope's variables from a plan (meetings it lacks are not hinted)."""
        model = self.model
        model.clear_hints()  # type: ignore[no-untyped-call]
        for m in self.scope.free:
            slot = chosen.get(m)
            if slot is None or (slot[0], slot[2]) not in self.x[m]:
                continue
            d, t, u = slot
            if t not in self.inst.starts_at(m, d, u):
                continue
            for c, lit in self.x[m].items():
                model.add_hint(lit, c == (d, u))
            model.add_hint(self.day[m], d)
            model.add_hint(self.start[m], t)
            model.add_hint(self.when[m], d * MINUTES_PER_DAY + t)

    # ---------------------------------------------------------------- extract
    def extract(
        self, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback
    ) -> dict[int, Slot]:
        """Per meeting of the scope, ``(day, start, venue)`` of the solution in ``solver``."""
        out: dict[int, Slot] = {}
        for m in self.scope.free:
            d, u = next(c for c, lit in self.x[m].items() if solver.boolean_value(lit))
            out[m] = (d, int(solver.value(self.start[m])), u)
        return out


def _indicators(
    model: cp_model.CpModel, x: Mapping[Candidate, cp_model.IntVar], name: str, part: int, word: str
) -> dict[tuple[int, int | str], cp_model.IntVar]:
    """One literal per day (``part`` 0) or venue (``part`` 1): the sum of its ``x``."""
    groups: dict[int | str, list[cp_model.IntVar]] = {}
    for c, lit in x.items():
        groups.setdefault(c[part], []).append(lit)
    out: dict[tuple[int, int | str], cp_model.IntVar] = {}
    for key, lits in groups.items():
        if len(lits) == 1:
            out[(0, key)] = lits[0]
            continue
        ind = model.new_bool_var(f"{word}[{name},{key}]")
        model.add(ind == sum(lits))
        out[(0, key)] = ind
    return out


def label(inst: Instance, index: int) -> str:
    """A readable name of a meeting: ``network#k`` (``network#fixed`` for a fixed one)."""
    m = inst.meetings[index]
    return f"{m.network}#{m.order + 1}" if not m.fixed else f"{m.network}#fixed{index}"
