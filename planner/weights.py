"""Weights of the planner's objective."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Weights:
    r"""Weights of the terms of the planner's objective (all integers, all >= 0).

    The planner minimises

    .. math::

        W = w_{km}\,\mathrm{travel\_km} + w_{trip}\,\mathrm{trips}
            + w_{idle}\,\mathrm{idle\_minutes} + w_{opt}\,\mathrm{optional\_clashes}
            + w_{cost}\,\mathrm{venue\_cost} + w_{spread}\,\mathrm{spread\_days}
            + w_{tog}\,\mathrm{together\_short}
            + w_{wait}\,\mathrm{long\_waits} + w_{inb}\,\mathrm{if\_need\_be}
            + w_{mm}\,\mathrm{moved\_meetings} + w_{mp}\,\mathrm{moved\_members}

    where

    - ``travel_km`` is the contract's figure: for every required person and
      day, home -> each venue of the day in order of start -> home, in km;
    - ``trips`` is the number of (required person, date) pairs with a meeting;
    - ``idle_minutes`` is, per required person and day, the minutes between
      the first start and the last end that none of their meetings covers;
    - ``optional_clashes`` counts (optional member, pair of overlapping
      meetings of theirs);
    - ``venue_cost`` is the sum of ``cost`` (euros) over used (date, venue)
      sessions;
    - ``spread_days`` is, over all meetings, the absolute difference in days
      between a meeting's date and its even point in the horizon (see
      :func:`planner.calendar.even_points`);
    - ``together_short`` is, over the *soft* relay wishes of the ``together``
      table (contract v1.1), the sessions each still lacks:
      :math:`\sum_w \max(0, \mathrm{times}_w - \mathrm{held}_w)` with
      :math:`\mathrm{held}_w` the number of sessions (date, venue) that hold
      wish :math:`w` (see :func:`planner.together.sessions_holding`). Hard
      wishes are rules, not terms;
    - ``long_waits`` is the contract's figure: waits between two consecutive
      meetings of a required person's day longer than the setting
      ``long_wait`` (default 60 minutes);
    - ``if_need_be`` counts (required member, meeting) pairs where the member
      answered "if need be" for the meeting's date (``people.if_need_be``) or
      for a time range that overlaps the meeting;
    - ``moved_meetings`` and ``moved_members`` (re-planning only, see
      :attr:`planner.problem.Problem.previous`): the free meetings not at their
      published date, start and venue, and the members (required or
      optional) with at least one of them.

    The defaults make one km of travel the unit: a person-day (trip) costs as
    much as 10 km, an hour of idle time as much as 30 km, an optional
    member's clash as 50 km, one euro of venue cost 1 km, one day away from
    even spacing 0.1 km and a session a relay wish still lacks 30 km (about
    what two members save by travelling once instead of twice). A wait over
    ``long_wait`` minutes costs 10 km on top of its idle minutes. A member's
    "if need be" costs 30 km; re-planning, a moved meeting 50 km and each
    member whose calendar changes 20 km. Weights can
    be set in the settings sheet with the keys ``weight_travel_km``,
    ``weight_trips``, ``weight_idle_minutes``, ``weight_optional_clashes``,
    ``weight_venue_cost``, ``weight_spread_days``, ``weight_together``,
    ``weight_long_waits``, ``weight_if_need_be``, ``weight_moved_meeting`` and
    ``weight_moved_member``
    (values in units of 1/10 km).

    Attributes are in tenths of a km-equivalent so that every weight is an
    integer, which CP-SAT needs.
    """

    travel_km: int = 10
    trips: int = 100
    idle_minutes: int = 5
    optional_clashes: int = 500
    venue_cost: int = 10
    spread_days: int = 1
    together: int = 300
    long_waits: int = 100
    if_need_be: int = 300
    moved_meeting: int = 500
    moved_member: int = 200

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"weight {f.name} must be an integer >= 0, got {value!r}")

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """Settings keys (``weight_<name>``) that set these weights."""
        return tuple(f"weight_{f.name}" for f in fields(cls))
