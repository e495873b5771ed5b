"""The checker's shared internals: the schedule rows and the context of one check.

:class:`_Ctx` resolves each schedule row (:class:`_M`) to its network and
venue in absolute minutes and groups the rows per network and per person;
the hard rules (:mod:`planner.check`) and the figures
(:mod:`planner.check_figures`) both read from it. Like the rest of the judge
it never imports the solver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from planner.check_distances import Distances
from planner.check_report import Violation
from planner.problem import Network, Problem, Role, Venue, fmt_time
from planner.schedule import Schedule, ScheduledMeeting

_DAY = 24 * 60


# --------------------------------------------------------------------- internals
@dataclass(frozen=True, slots=True)
class _M:
    """A schedule row with its resolved network and venue."""

    row: int
    m: ScheduledMeeting
    net: Network | None
    venue: Venue | None
    t0: int
    t1: int

    @property
    def order(self) -> tuple[int, int, int]:
        """Order of start, then end, then schedule row."""
        return (self.t0, self.t1, self.row)


class _Ctx:
    """Everything the rule functions share for one check."""

    def __init__(self, problem: Problem, schedule: Schedule) -> None:
        self.problem = problem
        self.settings = problem.settings
        self.nl = problem.settings.language == "nl"
        self.dist = Distances(problem)
        rows: list[_M] = []
        for i, m in enumerate(schedule.meetings):
            base = m.date.toordinal() * _DAY
            rows.append(
                _M(
                    row=i,
                    m=m,
                    net=problem.network_by_id.get(m.network),
                    venue=problem.venue_by_id.get(m.venue),
                    t0=base + m.start,
                    t1=base + m.end,
                )
            )
        self.rows = rows
        by_network: dict[str, list[_M]] = defaultdict(list)
        for r in rows:
            by_network[r.m.network].append(r)
        self.by_network = by_network
        # A person's meetings (required role), and all meetings in any role.
        required: dict[str, list[_M]] = defaultdict(list)
        anyrole: dict[str, list[tuple[_M, Role]]] = defaultdict(list)
        roles: dict[str, list[tuple[str, Role]]] = defaultdict(list)
        for ms in problem.memberships:
            roles[ms.network].append((ms.person, ms.role))
        for r in rows:
            for person, role in roles.get(r.m.network, ()):
                anyrole[person].append((r, role))
                if role is Role.REQUIRED:
                    required[person].append(r)
        self.required = {p: sorted(v, key=lambda r: r.order) for p, v in required.items()}
        self.anyrole = {p: sorted(v, key=lambda x: x[0].order) for p, v in anyrole.items()}

    # ---------------------------------------------------------------- texts
    def t(self, en: str, nl: str) -> str:
        return nl if self.nl else en

    def net_name(self, network_id: str) -> str:
        net = self.problem.network_by_id.get(network_id)
        return net.name if net is not None else network_id

    def person_name(self, person_id: str) -> str:
        p = self.problem.person_by_id.get(person_id)
        return p.name if p is not None else person_id

    def venue_name(self, venue_id: str) -> str:
        v = self.problem.venue_by_id.get(venue_id)
        return v.name if v is not None else venue_id

    def describe(self, r: _M) -> str:
        m = r.m
        when = f"{m.date.isoformat()} {fmt_time(m.start)}-{fmt_time(m.end)}"
        return self.t(
            f"{self.net_name(m.network)} ({m.meeting}) on {when} at {self.venue_name(m.venue)}",
            f"{self.net_name(m.network)} ({m.meeting}) op {when} in {self.venue_name(m.venue)}",
        )

    def days_of(self, person: str) -> dict[date, list[_M]]:
        out: dict[date, list[_M]] = {}
        for r in self.required.get(person, ()):
            out.setdefault(r.m.date, []).append(r)
        return out


def _v(
    kind: str,
    rows: Sequence[_M],
    reason: str,
    *,
    person: str | None = None,
    day: date | None = None,
) -> Violation:
    return Violation(
        kind=kind,
        meetings=tuple(r.m.meeting for r in rows),
        person=person,
        date=day,
        reason=reason,
    )


def _overlapping_pairs(rows: Sequence[_M]) -> Iterable[tuple[_M, _M]]:
    """Pairs of rows (sorted by order) whose non-empty intervals overlap."""
    for i, a in enumerate(rows):
        if a.t1 <= a.t0:
            continue
        for b in rows[i + 1 :]:
            if b.t0 >= a.t1:
                break
            if b.t1 > b.t0:
                yield a, b
