"""Lower bounds on the figures any plan can reach: how far is a plan from the best?

Per required member: their meetings (one per meeting of each network they
are required in) fit on no fewer than ``ceil(meetings / max_meetings_per_day)``
days, so that many trips at least; and every trip costs at least the round
trip to the nearest venue any of their networks may use. Summed over members
these bound ``trips`` and ``travel_km`` of every plan from below (travel: when
distances obey the triangle inequality, as computed distances do; a ``travel``
table that breaks it may undercut the bound). Cheap, valid at every size, and
far from tight where networks cannot share days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner.check import travel_km_between
from planner.problem import Problem


@dataclass(frozen=True, slots=True)
class Bounds:
    """Lower bounds on ``trips`` and ``travel_km``."""

    trips: int
    travel_km: float


def lower_bounds(problem: Problem) -> Bounds:
    """Lower bounds on the trips and travel of every plan of ``problem``."""
    cap = problem.settings.max_meetings_per_day
    trips = 0
    km = 0.0
    for person in problem.people:
        nets = [
            n for n in problem.networks_of(person.id) if person.id in problem.required_members(n)
        ]
        if not nets:
            continue
        count = sum(problem.network_by_id[n].meetings for n in nets)
        days = math.ceil(count / cap)
        venues = {v for n in nets for v in problem.network_by_id[n].venues}
        nearest = min(
            travel_km_between(problem, person.id, v) + travel_km_between(problem, v, person.id)
            for v in venues
        )
        trips += days
        km += days * nearest
    return Bounds(trips=trips, travel_km=round(km, 3))
