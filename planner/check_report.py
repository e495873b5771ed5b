"""What the checker reports: hard-rule kinds, violations, figures and the report.

The data types of :mod:`planner.check` (which computes them) and the figures'
headline and ratio helpers used by the plan file, the report and the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

KINDS: tuple[str, ...] = (
    "count",
    "horizon",
    "window",
    "grid",
    "weekday",
    "venue_list",
    "venue_closed",
    "holiday",
    "unavailable",
    "min_gap",
    "clash",
    "travel_gap",
    "per_day_cap",
    "rooms",
    "capacity",
    "fixed",
    "together",
)
"""Every hard-rule kind, in the contract's order (``together``: contract v1.1)."""

FIGURE_NAMES: tuple[str, ...] = (
    "hard_violations",
    "travel_km",
    "trips",
    "idle_minutes",
    "excess_idle_minutes",
    "long_waits",
    "sessions",
    "together_met",
    "if_need_be",
    "optional_clashes",
    "venue_cost",
    "spread_days",
)
"""The headline figures, in the order reports show them."""


# --------------------------------------------------------------------- results
@dataclass(frozen=True, slots=True)
class Violation:
    """One counted breach of a hard rule.

    Attributes
    ----------
    kind
        One of :data:`KINDS`.
    meetings
        Ids of the meetings involved (for ``count``: the network's meetings
        in the schedule; for ``fixed``: empty).
    person
        The person concerned, for person rules (``unavailable``, ``clash``,
        ``travel_gap``, ``per_day_cap``), else ``None``.
    date
        The date concerned, when there is one.
    reason
        A readable sentence (in the problem's ``language``) naming who, when
        and where.
    """

    kind: str
    meetings: tuple[str, ...]
    person: str | None
    date: date | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "kind": self.kind,
            "meetings": list(self.meetings),
            "person": self.person,
            "date": None if self.date is None else self.date.isoformat(),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class PersonFigures:
    """Travel and waiting figures of one person (zeros without required meetings).

    ``excess_idle_minutes`` and ``long_waits`` are the contract v1.1 waiting
    figures summed over the person's days (see :class:`Figures`);
    ``if_need_be`` the person's meetings at times they answered "if need be".
    """

    person: str
    travel_km: float
    trips: int
    idle_minutes: int
    excess_idle_minutes: int = 0
    long_waits: int = 0
    if_need_be: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "person": self.person,
            "travel_km": self.travel_km,
            "trips": self.trips,
            "idle_minutes": self.idle_minutes,
            "excess_idle_minutes": self.excess_idle_minutes,
            "long_waits": self.long_waits,
            "if_need_be": self.if_need_be,
        }


@dataclass(frozen=True, slots=True)
class DayFigures:
    """Travel figures of one person on one date with a required meeting of theirs.

    Summed over a person's dates they give the person's :class:`PersonFigures`
    (one trip a date).

    Attributes
    ----------
    person
        The person.
    date
        The date.
    travel_km
        Home, each venue of the day in order of start, home (not rounded).
    idle_minutes
        Minutes from the first start to the last end that none of the
        person's meetings covers.
    excess_idle_minutes
        ``max(0, idle_minutes - changeover x (k - 1))`` for the day's k
        meetings (contract v1.1).
    long_waits
        Waits (a meeting's end to the next one's start, in order of start,
        when positive) longer than the ``long_wait`` setting (contract v1.1).
    """

    person: str
    date: date
    travel_km: float
    idle_minutes: int
    excess_idle_minutes: int = 0
    long_waits: int = 0


@dataclass(frozen=True, slots=True)
class NetworkFigures:
    """Figures of one network.

    ``shared_sessions`` is the number of distinct sessions (date, venue) of
    this network's meetings that also hold a meeting of another network.
    """

    network: str
    meetings: int
    shared_sessions: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "network": self.network,
            "meetings": self.meetings,
            "shared_sessions": self.shared_sessions,
        }


@dataclass(frozen=True, slots=True)
class Figures:
    """The contract's figures plus dakpan's extensions.

    Attributes
    ----------
    travel_km
        For every required person and day: home, each venue of the day in
        order of start, home; rounded to 3 decimals.
    trips
        Number of (required person, date) pairs with a meeting.
    idle_minutes
        Per required person and day, minutes from the first start to the last
        end that none of their meetings covers.
    sessions
        Number of distinct (date, venue) pairs used.
    optional_clashes
        (person, pair of overlapping meetings of theirs in any role) where
        they are optional in one or both networks.
    venue_cost
        Sum of the venue's ``cost`` over distinct (date, venue) pairs used
        (rounded to 3 decimals).
    spread_days
        Over networks and their K meetings i = 0..K-1 in date order, the sum
        of ``|date - (start + floor((i + 0.5) * L / K))|`` in days, L the
        horizon's length in days.
    together_met
        Relay wishes (table ``together``) held by at least ``times``
        sessions (contract v1.1; :mod:`planner.together`).
    excess_idle_minutes
        Over required persons' days with k meetings, the sum of
        ``max(0, idle minutes - changeover x (k - 1))`` (contract v1.1).
    long_waits
        Waits longer than ``long_wait`` minutes: a wait is the gap from a
        meeting's end to the next one's start in a person's day, in order of
        start, when positive (contract v1.1).
    if_need_be
        (required member, meeting) pairs where the member answered "if need
        be" for the meeting's date or for a time range overlapping it
        (extension; see ``docs/FORMAT-NOTES.md``).
    together_held
        Per wish, in file order, the number of sessions that hold it.
    per_person
        One entry per person of the problem, in file order.
    per_network
        One entry per network of the problem, in file order.
    """

    travel_km: float
    trips: int
    idle_minutes: int
    sessions: int
    optional_clashes: int
    venue_cost: float
    spread_days: int
    together_met: int = 0
    excess_idle_minutes: int = 0
    long_waits: int = 0
    if_need_be: int = 0
    together_held: tuple[int, ...] = ()
    per_person: tuple[PersonFigures, ...] = ()
    per_network: tuple[NetworkFigures, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (headline figures, then ``per_person`` and ``per_network``)."""
        return {
            "travel_km": self.travel_km,
            "trips": self.trips,
            "idle_minutes": self.idle_minutes,
            "sessions": self.sessions,
            "optional_clashes": self.optional_clashes,
            "venue_cost": self.venue_cost,
            "spread_days": self.spread_days,
            "together_met": self.together_met,
            "excess_idle_minutes": self.excess_idle_minutes,
            "long_waits": self.long_waits,
            "if_need_be": self.if_need_be,
            "together_held": list(self.together_held),
            "per_person": [p.to_dict() for p in self.per_person],
            "per_network": [n.to_dict() for n in self.per_network],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Figures:
        """Inverse of :meth:`to_dict` (extra keys are ignored; v1.1 keys may be absent)."""
        return cls(
            travel_km=float(d["travel_km"]),
            trips=int(d["trips"]),
            idle_minutes=int(d["idle_minutes"]),
            sessions=int(d["sessions"]),
            optional_clashes=int(d["optional_clashes"]),
            venue_cost=float(d["venue_cost"]),
            spread_days=int(d["spread_days"]),
            together_met=int(d.get("together_met", 0)),
            excess_idle_minutes=int(d.get("excess_idle_minutes", 0)),
            long_waits=int(d.get("long_waits", 0)),
            if_need_be=int(d.get("if_need_be", 0)),
            together_held=tuple(int(k) for k in d.get("together_held", ())),
            per_person=tuple(
                PersonFigures(
                    person=str(p["person"]),
                    travel_km=float(p["travel_km"]),
                    trips=int(p["trips"]),
                    idle_minutes=int(p["idle_minutes"]),
                    excess_idle_minutes=int(p.get("excess_idle_minutes", 0)),
                    long_waits=int(p.get("long_waits", 0)),
                    if_need_be=int(p.get("if_need_be", 0)),
                )
                for p in d.get("per_person", ())
            ),
            per_network=tuple(
                NetworkFigures(
                    network=str(n["network"]),
                    meetings=int(n["meetings"]),
                    shared_sessions=int(n["shared_sessions"]),
                )
                for n in d.get("per_network", ())
            ),
        )


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What :func:`check` finds.

    Attributes
    ----------
    violations
        Every counted violation, by kind (contract order), then as found.
    by_kind
        Count per kind; every kind of :data:`KINDS` is present (0 when none).
    figures
        The figures of the schedule.
    """

    violations: tuple[Violation, ...]
    by_kind: Mapping[str, int]
    figures: Figures

    @property
    def hard_violations(self) -> int:
        """Sum of all hard-rule counts."""
        return sum(self.by_kind.values())

    def figures_dict(self) -> dict[str, Any]:
        """The figures as ``plan.json`` holds them.

        ``hard_violations``, ``violations`` (count by kind), then the keys of
        :meth:`Figures.to_dict`.
        """
        out: dict[str, Any] = {
            "hard_violations": self.hard_violations,
            "violations": {k: self.by_kind[k] for k in KINDS},
        }
        out.update(self.figures.to_dict())
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form: :meth:`figures_dict` plus the list of violations."""
        out = self.figures_dict()
        out["violation_list"] = [v.to_dict() for v in self.violations]
        return out


def headline(figures: Mapping[str, Any]) -> dict[str, float]:
    """The headline figures (:data:`FIGURE_NAMES`) of a :meth:`CheckReport.figures_dict`."""
    return {name: figures[name] for name in FIGURE_NAMES}


def ratios(plan: Mapping[str, Any], baseline: Mapping[str, Any]) -> dict[str, float | None]:
    """Ratio plan / baseline of each headline figure, rounded to 4 decimals.

    Parameters
    ----------
    plan, baseline
        Figures as :meth:`CheckReport.figures_dict` gives them.

    Returns
    -------
    dict
        One entry per name of :data:`FIGURE_NAMES`; ``None`` where the
        baseline's figure is 0 (or either lacks it, as a plan written before
        contract v1.1 lacks its figures).
    """
    out: dict[str, float | None] = {}
    for name in FIGURE_NAMES:
        if plan.get(name) is None or baseline.get(name) is None:
            out[name] = None
            continue
        base = float(baseline[name])
        out[name] = None if base == 0 else round(float(plan[name]) / base, 4)
    return out
