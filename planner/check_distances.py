"""The checker's distances: great-circle km, the road factor, travel overrides and minutes.

Part of the independent checker (:mod:`planner.check`): shares no code with
the solver's own distances (:mod:`planner.solver.instance`), so that the two
can be compared.
"""

from __future__ import annotations

import math

from planner.problem import Problem

EARTH_RADIUS_KM = 6371.0
"""Earth radius of the contract's great-circle distance."""


# --------------------------------------------------------------------- distances
def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in km on a sphere of radius 6371.0 km.

    Parameters
    ----------
    lat1, lon1, lat2, lon2
        WGS84 degrees of the two points.

    Returns
    -------
    float
        The distance in km (not multiplied by ``road_factor``).
    """
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def ceil_minutes(minutes: float) -> int:
    """Round minutes up to a whole minute, ignoring float noise.

    ``31.000000000000004`` gives 31: the value is rounded to 9 decimals before
    the ceiling is taken.
    """
    return math.ceil(round(minutes, 9))


class Distances:
    """Road km and travel minutes between people's homes and venues.

    Great-circle km x ``road_factor``, unless the ``travel`` table gives the
    pair; the table is symmetric unless both directions are given. Travel
    minutes are the table's, else km / ``speed_kmh`` x 60, rounded up to a
    whole minute. From a place (id) to itself both are 0.

    Parameters
    ----------
    problem
        The problem whose places, settings and travel table are used.
    """

    __slots__ = ("_km", "_minutes", "_problem", "_table")

    def __init__(self, problem: Problem) -> None:
        self._problem = problem
        table: dict[tuple[str, str], tuple[float, float | None]] = {}
        for t in problem.travel:
            table[(t.origin, t.destination)] = (t.km, t.minutes)
        self._table = table
        self._km: dict[tuple[str, str], float] = {}
        self._minutes: dict[tuple[str, str], int] = {}

    def _override(self, a: str, b: str) -> tuple[float, float | None] | None:
        hit = self._table.get((a, b))
        if hit is None:
            hit = self._table.get((b, a))
        return hit

    def km(self, a: str, b: str) -> float:
        """Road km from place ``a`` to place ``b`` (person or venue ids)."""
        if a == b:
            return 0.0
        key = (a, b)
        cached = self._km.get(key)
        if cached is not None:
            return cached
        hit = self._override(a, b)
        value = float(hit[0]) if hit is not None else self.road_km(a, b)
        self._km[key] = value
        return value

    def road_km(self, a: str, b: str) -> float:
        """Great-circle km x ``road_factor`` from ``a`` to ``b``, ignoring the travel table."""
        if a == b:
            return 0.0
        lat1, lon1 = self._problem.place(a)
        lat2, lon2 = self._problem.place(b)
        return great_circle_km(lat1, lon1, lat2, lon2) * self._problem.settings.road_factor

    def minutes(self, a: str, b: str) -> int:
        """Whole travel minutes (rounded up) from place ``a`` to place ``b``."""
        if a == b:
            return 0
        key = (a, b)
        cached = self._minutes.get(key)
        if cached is not None:
            return cached
        hit = self._override(a, b)
        if hit is not None and hit[1] is not None:
            raw = float(hit[1])
        else:
            raw = self.km(a, b) / self._problem.settings.speed_kmh * 60
        value = ceil_minutes(raw)
        self._minutes[key] = value
        return value


def travel_km_between(problem: Problem, a: str, b: str) -> float:
    """Road km between two places (person or venue ids), per the contract.

    Parameters
    ----------
    problem
        The problem (places, ``road_factor``, ``travel`` table).
    a, b
        Person or venue ids.

    Returns
    -------
    float
        The ``travel`` table's km for the pair, else great-circle km x
        ``road_factor``; 0 when ``a == b``.
    """
    return Distances(problem).km(a, b)


def travel_minutes_between(problem: Problem, a: str, b: str) -> int:
    """Whole travel minutes between two places (person or venue ids), per the contract.

    Parameters
    ----------
    problem
        The problem (places, ``road_factor``, ``speed_kmh``, ``travel`` table).
    a, b
        Person or venue ids.

    Returns
    -------
    int
        The ``travel`` table's minutes, else km / ``speed_kmh`` x 60, rounded
        up (float noise ignored); 0 when ``a == b``.
    """
    return Distances(problem).minutes(a, b)
