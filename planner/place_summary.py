"""What ``dakpan validate`` says about places: where each resolved, and homes far apart.

The reader (:mod:`planner.read`) keeps the ``place`` text a person's or
venue's coordinates were resolved from; here it is resolved again (from the
cached index of :mod:`planner.places`) to show the GeoNames place, its
province and coordinates. The far-apart check looks at every network's
members: a home far from where the others live is most likely a typo (a
place in the wrong province, a swapped ``lat``/``lon``).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from planner.check import great_circle_km
from planner.places import Place, resolve
from planner.problem import Problem

__all__ = ["ResolvedPlace", "far_apart_warnings", "resolved_places"]

#: A home is "far" when more than this many km from the middle of its network ...
FAR_KM = 75.0
#: ... and more than this many times the distance within which half the members live.
FAR_FACTOR = 4.0


@dataclass(frozen=True, slots=True)
class ResolvedPlace:
    """A person or venue whose coordinates came from ``place``.

    Attributes
    ----------
    table
        ``people`` or ``venues``.
    id
        The person's or venue's id.
    text
        The ``place`` as written.
    place
        The GeoNames place it resolved to.
    """

    table: str
    id: str
    text: str
    place: Place


def resolved_places(problem: Problem) -> tuple[ResolvedPlace, ...]:
    """Every person, then every venue, that gave ``place`` (in file order)."""
    out = [
        ResolvedPlace("people", p.id, p.place, resolve(p.place)) for p in problem.people if p.place
    ]
    out += [
        ResolvedPlace("venues", v.id, v.place, resolve(v.place)) for v in problem.venues if v.place
    ]
    return tuple(out)


def far_apart_warnings(problem: Problem) -> list[str]:
    """Warnings about members who live unusually far from the rest of their network.

    For a network of 3 or more members (any role) the middle is the median
    latitude and longitude of their homes; a member more than
    :data:`FAR_KM` km from it, and more than :data:`FAR_FACTOR` times the
    median distance of the members from it, is reported.

    Returns
    -------
    list[str]
        One readable warning per (network, member), in file order.
    """
    out = []
    for network in problem.networks:
        people = [problem.person_by_id[pid] for pid in problem.members(network.id)]
        if len(people) < 3:
            continue
        lat = median(p.lat for p in people)
        lon = median(p.lon for p in people)
        km = [great_circle_km(lat, lon, p.lat, p.lon) for p in people]
        typical = median(km)
        for person, d in zip(people, km, strict=True):
            if d > FAR_KM and d > FAR_FACTOR * typical:
                where = repr(person.place) if person.place else f"{person.lat}, {person.lon}"
                out.append(
                    f"network {network.id!r}: person {person.id!r} ({where}) lives {d:.0f} km "
                    f"from the middle of the network's members (half of them live within "
                    f"{typical:.0f} km of it); a typo in place or lat/lon?"
                )
    return out
