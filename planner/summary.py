"""What `dakpan validate` says about an input: per network its candidate dates, the overlap."""

from __future__ import annotations

from dataclasses import dataclass

from planner.problem import (
    Problem,
    Role,
)


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    """How one network looks to the planner before planning.

    Attributes
    ----------
    id, name
        The network.
    meetings
        Meetings it must have.
    required, optional
        Number of required and optional members.
    candidate_dates
        Dates on which it can meet (:func:`planner.calendar.candidate_dates`).
    max_meetings
        Most meetings that fit on those dates with its ``min_gap_days``.
    largest_room
        Largest capacity among its allowed venues.
    """

    id: str
    name: str
    meetings: int
    required: int
    optional: int
    candidate_dates: int
    max_meetings: int
    largest_room: int

    @property
    def fits(self) -> bool:
        """Whether its meetings fit on its candidate dates with its minimum gap."""
        return self.max_meetings >= self.meetings

    @property
    def room_fits(self) -> bool:
        """Whether one of its venues holds all its members."""
        return self.largest_room >= self.required + self.optional


@dataclass(frozen=True, slots=True)
class InputSummary:
    """Counts and overlap figures of a problem, as ``dakpan validate`` shows them.

    Attributes
    ----------
    networks, people, venues, fixed, travel
        Row counts.
    required_memberships, optional_memberships
        Memberships by role.
    per_network
        One :class:`NetworkSummary` per network, in file order.
    people_in_several
        People who are a member (any role) of two or more networks.
    mean_networks_per_person
        Memberships (any role) divided by people (0 without people).
    sharing_pairs
        Unordered network pairs that share one or more required members.
    top_pairs
        Up to ten ``(network, network, shared required members)``, most shared
        first, ties in file order.
    """

    networks: int
    people: int
    venues: int
    fixed: int
    travel: int
    required_memberships: int
    optional_memberships: int
    per_network: tuple[NetworkSummary, ...]
    people_in_several: int
    mean_networks_per_person: float
    sharing_pairs: int
    top_pairs: tuple[tuple[str, str, int], ...]


def summarize(problem: Problem, top: int = 10) -> InputSummary:
    """Summarise a problem: counts, per-network feasibility and membership overlap.

    Parameters
    ----------
    problem
        The problem.
    top
        Most network pairs to list in :attr:`InputSummary.top_pairs`.

    Returns
    -------
    InputSummary
        The figures.
    """
    from planner.calendar import candidate_dates, max_meetings_possible

    per_network = []
    for n in problem.networks:
        days = candidate_dates(problem, n.id)
        per_network.append(
            NetworkSummary(
                id=n.id,
                name=n.name,
                meetings=n.meetings,
                required=len(problem.required_members(n.id)),
                optional=len(problem.optional_members(n.id)),
                candidate_dates=len(days),
                max_meetings=max_meetings_possible(days, n.min_gap_days, wanted=n.meetings),
                largest_room=max((problem.venue_by_id[v].capacity for v in n.venues), default=0),
            )
        )
    order = {n.id: i for i, n in enumerate(problem.networks)}
    required_of: dict[str, list[str]] = {}
    for m in problem.memberships:
        if m.role is Role.REQUIRED:
            required_of.setdefault(m.person, []).append(m.network)
    shared: dict[tuple[str, str], int] = {}
    for nets in required_of.values():
        mine = sorted(nets, key=order.__getitem__)
        for i, a in enumerate(mine):
            for b in mine[i + 1 :]:
                shared[a, b] = shared.get((a, b), 0) + 1
    ranked = sorted(shared.items(), key=lambda kv: (-kv[1], order[kv[0][0]], order[kv[0][1]]))
    n_people = len(problem.people)
    required = sum(1 for m in problem.memberships if m.role is Role.REQUIRED)
    return InputSummary(
        networks=len(problem.networks),
        people=n_people,
        venues=len(problem.venues),
        fixed=len(problem.fixed),
        travel=len(problem.travel),
        required_memberships=required,
        optional_memberships=len(problem.memberships) - required,
        per_network=tuple(per_network),
        people_in_several=sum(1 for p in problem.people if len(problem.networks_of(p.id)) >= 2),
        mean_networks_per_person=len(problem.memberships) / n_people if n_people else 0.0,
        sharing_pairs=len(shared),
        top_pairs=tuple((a, b, k) for (a, b), k in ranked[:top]),
    )
