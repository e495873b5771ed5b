"""The CP-SAT variables of the planner, in one container.

Every variable has a readable name (``day[swv-zld#2]``, ``first[g3,swv-zld#2]``)
so that a model dump or an infeasibility core can be read by a person.
:meth:`Variables.hint` turns a plan into a complete hint;
:meth:`Variables.extract` turns a solution back into placements.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from planner.solver.instance import MINUTES_PER_DAY, Instance

Placement = tuple[str, date, int, str]
"""``(network, date, start, venue)`` of one meeting."""

Chosen = Mapping[int, tuple[int, int, str]]
"""Per meeting index: ``(day, start, venue)``."""

AuxRule = Callable[[Chosen, Mapping[cp_model.IntVar, int]], int]


@dataclass
class Variables:
    """All decision and auxiliary variables of one model.

    Attributes
    ----------
    day
        Day index of each meeting.
    start
        Start minute of each meeting.
    on_day
        ``on_day[m][d]`` is true when meeting ``m`` falls on day ``d``.
    at_venue
        ``at_venue[m][v]`` is true when meeting ``m`` is at venue ``v``.
    when
        Start on the absolute time line: ``day x 1440 + start``.
    venue_index
        Index (in ``problem.venues``) of each meeting's venue.
    interval
        Each meeting's occupation on the absolute time line (day x 1440 +
        minute), from its start until ``changeover`` minutes after its end.
    same_day
        For each linked pair ``(a, b)``: true when both fall on one day.
    first, last
        ``first[(g, m)]``: meeting ``m`` opens the day of person group ``g``
        (its persons travel from home to it); ``last``: closes it.
    arc
        ``arc[(g, a, b)]``: for group ``g``, meeting ``b`` directly follows ``a``
        on the same day.
    idle
        ``idle[(g, a, b)]``: minutes between ``a``'s end and ``b``'s start when
        ``arc[(g, a, b)]`` holds, else 0.
    """

    inst: Instance
    model: cp_model.CpModel
    exact_idle: bool = True
    day: list[cp_model.IntVar] = field(default_factory=list)
    start: list[cp_model.IntVar] = field(default_factory=list)
    on_day: list[dict[int, cp_model.IntVar]] = field(default_factory=list)
    at_venue: list[dict[str, cp_model.IntVar]] = field(default_factory=list)
    venue_index: list[cp_model.IntVar] = field(default_factory=list)
    when: list[cp_model.IntVar] = field(default_factory=list)
    interval: list[cp_model.IntervalVar] = field(default_factory=list)
    same_day: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    first: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    last: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    arc: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    idle: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    aux: list[tuple[cp_model.IntVar, AuxRule]] = field(default_factory=list)
    """Auxiliary variables with the rule that computes their value from a plan."""

    @classmethod
    def create(
        cls, model: cp_model.CpModel, inst: Instance, *, exact_idle: bool = True
    ) -> Variables:
        """Create the per-meeting, per-pair and per-group variables.

        With ``exact_idle`` each person group's days are chains of ``arc``
        variables (exact idle time); without, ``first[(g, m)]`` marks the
        first meeting of a group's day in index order and idle time is left
        to the per-session sequencing (:mod:`planner.solver.sequence`).
        """
        v = cls(inst=inst, model=model, exact_idle=exact_idle)
        problem = inst.problem
        venue_pos = {venue.id: k for k, venue in enumerate(problem.venues)}
        co = problem.settings.changeover
        for m in inst.meetings:
            name = _name(inst, m.index)
            day = model.new_int_var_from_domain(cp_model.Domain.from_values(m.days), f"day[{name}]")
            start = model.new_int_var_from_domain(
                cp_model.Domain.from_values(m.starts), f"start[{name}]"
            )
            v.day.append(day)
            v.start.append(start)
            v.on_day.append({d: model.new_bool_var(f"on[{name},{d}]") for d in m.days})
            v.at_venue.append({u: model.new_bool_var(f"at[{name},{u}]") for u in m.venues})
            v.venue_index.append(
                model.new_int_var_from_domain(
                    cp_model.Domain.from_values([venue_pos[u] for u in m.venues]),
                    f"venue[{name}]",
                )
            )
            when = model.new_int_var(
                m.days[0] * MINUTES_PER_DAY + m.starts[0] if m.days else 0,
                m.days[-1] * MINUTES_PER_DAY + m.starts[-1] if m.days else 0,
                f"when[{name}]",
            )
            model.add(when == day * MINUTES_PER_DAY + start)
            v.when.append(when)
            v.interval.append(
                model.new_fixed_size_interval_var(when, m.duration + co, f"busy[{name}]")
            )
        for a, b in inst.pairs:
            v.same_day[(a, b)] = model.new_bool_var(f"same_day[{_name(inst, a)},{_name(inst, b)}]")
        for g, group in enumerate(inst.groups):
            if not inst.group_pairs[g]:
                continue
            for i in group.meetings:
                v.first[(g, i)] = model.new_bool_var(f"first[g{g},{_name(inst, i)}]")
                if exact_idle:
                    v.last[(g, i)] = model.new_bool_var(f"last[g{g},{_name(inst, i)}]")
            if not exact_idle:
                continue
            for a, b in inst.group_pairs[g]:
                for x, y in ((a, b), (b, a)):
                    key = (g, x, y)
                    label = f"g{g},{_name(inst, x)}->{_name(inst, y)}"
                    v.arc[key] = model.new_bool_var(f"arc[{label}]")
                    v.idle[key] = model.new_int_var(0, MINUTES_PER_DAY, f"idle[{label}]")
        return v

    # ----------------------------------------------------------------- hints
    def hint(self, chosen: Chosen) -> int:
        """Hint the variables from a (possibly partial) plan; return how many were hinted.

        ``chosen`` maps meeting indices to ``(day, start, venue)``; derived
        variables are hinted only where every meeting they depend on is given.
        """
        values = self.values(chosen)
        model = self.model
        model.clear_hints()  # type: ignore[no-untyped-call]
        for var, value in values.items():
            model.add_hint(var, value)
        return len(values)

    def match(self, placements: Iterable[Placement]) -> dict[int, tuple[int, int, str]]:
        """Match an earlier plan's placements to this model's meetings.

        Per network, fixed meetings are matched by date and start, the others
        in date order; a placement outside its meeting's domain is dropped.
        """
        inst = self.inst
        by_net: dict[str, list[tuple[int, int, str]]] = {}
        for network, when, start, venue in placements:
            by_net.setdefault(network, []).append((inst.day_of(when), start, venue))
        chosen: dict[int, tuple[int, int, str]] = {}
        for network, ids in inst.by_network.items():
            given = sorted(by_net.get(network, []))
            fixed = {
                (inst.meetings[i].days[0], inst.meetings[i].starts[0])
                for i in ids
                if inst.meetings[i].fixed
            }
            rest = [p for p in given if (p[0], p[1]) not in fixed]
            free_ids = [i for i in ids if not inst.meetings[i].fixed]
            for i in ids:
                spec = inst.meetings[i]
                if spec.fixed:
                    chosen[i] = (spec.days[0], spec.starts[0], spec.venues[0])
            for i, p in zip(free_ids, rest, strict=False):
                m = inst.meetings[i]
                if p[0] in m.days and p[1] in m.starts and p[2] in m.venues:
                    chosen[i] = p
        return chosen

    def values(self, chosen: Chosen) -> dict[cp_model.IntVar, int]:
        """Values of the variables that ``chosen`` determines."""
        inst = self.inst
        chosen = dict(chosen)
        for m in inst.meetings:
            if m.fixed:
                chosen[m.index] = (m.days[0], m.starts[0], m.venues[0])
        venue_pos = {venue.id: k for k, venue in enumerate(inst.problem.venues)}
        out: dict[cp_model.IntVar, int] = {}
        for i, (d, t, u) in chosen.items():
            out[self.day[i]] = d
            out[self.start[i]] = t
            out[self.when[i]] = d * MINUTES_PER_DAY + t
            out[self.venue_index[i]] = venue_pos[u]
            for dd, lit in self.on_day[i].items():
                out[lit] = int(dd == d)
            for uu, lit in self.at_venue[i].items():
                out[lit] = int(uu == u)
        for (a, b), lit in self.same_day.items():
            if a in chosen and b in chosen:
                out[lit] = int(chosen[a][0] == chosen[b][0])
        for g, group in enumerate(inst.groups):
            if not inst.group_pairs[g] or any(i not in chosen for i in group.meetings):
                continue
            days: dict[int, list[int]] = {}
            for i in group.meetings:
                days.setdefault(chosen[i][0], []).append(i)
                out[self.first[(g, i)]] = 0
            if not self.exact_idle:
                for ms in days.values():
                    out[self.first[(g, min(ms))]] = 1
                continue
            for i in group.meetings:
                out[self.last[(g, i)]] = 0
            for a, b in inst.group_pairs[g]:
                for key in ((g, a, b), (g, b, a)):
                    out[self.arc[key]] = 0
                    out[self.idle[key]] = 0
            for ms in days.values():
                ms.sort(key=lambda m: chosen[m][1])
                out[self.first[(g, ms[0])]] = 1
                out[self.last[(g, ms[-1])]] = 1
                for a, b in itertools.pairwise(ms):
                    key = (g, a, b)
                    if key in self.arc:
                        out[self.arc[key]] = 1
                        out[self.idle[key]] = (
                            chosen[b][1] - chosen[a][1] - inst.meetings[a].duration
                        )
        for var, rule in self.aux:
            try:
                out[var] = rule(chosen, out)
            except KeyError:
                continue
        return out

    # ---------------------------------------------------------------- extract
    def extract(
        self, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback
    ) -> dict[int, tuple[int, int, str]]:
        """Per meeting index, ``(day, start, venue)`` of the solution in ``solver``."""
        venues = self.inst.problem.venues
        return {
            m.index: (
                int(solver.value(self.day[m.index])),
                int(solver.value(self.start[m.index])),
                venues[int(solver.value(self.venue_index[m.index]))].id,
            )
            for m in self.inst.meetings
        }


def _name(inst: Instance, index: int) -> str:
    m = inst.meetings[index]
    return f"{m.network}#{m.order + 1}" if not m.fixed else f"{m.network}#fixed{index}"
