"""A schedule: the planned meetings, as ``schedule.csv`` holds them.

Reading and writing ``schedule.csv`` and ``plan.json`` lives in
:mod:`planner.planfile`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from planner.problem import Problem


@dataclass(frozen=True, slots=True)
class ScheduledMeeting:
    """One meeting of a network, placed at a date, a time and a venue.

    ``start`` and ``end`` are minutes after midnight; ``seq`` counts a
    network's meetings from 1 in order of date; ``session`` names the
    (date, venue) block; ``attendees`` are person ids, required and optional.
    """

    meeting: str
    network: str
    seq: int
    date: date
    start: int
    end: int
    venue: str
    session: str
    attendees: tuple[str, ...]

    def sort_key(self) -> tuple[dt.date, int, str, str]:
        """Order of ``schedule.csv``: date, start, venue (then network)."""
        return (self.date, self.start, self.venue, self.network)


def meeting_id(network: str, seq: int) -> str:
    """Id of a network's ``seq``-th meeting, e.g. ``swv-zld-3``."""
    return f"{network}-{seq}"


def session_id(day: date, venue: str) -> str:
    """Name of the session at ``venue`` on ``day``, e.g. ``2027-10-05@goes``."""
    return f"{day.isoformat()}@{venue}"


@dataclass(frozen=True, slots=True)
class Schedule:
    """The planned meetings, sorted as ``schedule.csv`` sorts them."""

    meetings: tuple[ScheduledMeeting, ...]

    def __iter__(self) -> Iterator[ScheduledMeeting]:
        return iter(self.meetings)

    def __len__(self) -> int:
        return len(self.meetings)

    @classmethod
    def build(cls, problem: Problem, placements: Iterable[tuple[str, date, int, str]]) -> Schedule:
        """Build a schedule from ``(network, date, start, venue)`` placements.

        Numbers each network's meetings by date and start, sets ``end`` from
        the network's duration, names sessions and lists attendees.
        """
        by_network: dict[str, list[tuple[date, int, str]]] = {}
        for network, day, start, venue in placements:
            by_network.setdefault(network, []).append((day, start, venue))
        out: list[ScheduledMeeting] = []
        for network, items in by_network.items():
            net = problem.network_by_id[network]
            attendees = problem.members(network)
            for seq, (day, start, venue) in enumerate(sorted(items), start=1):
                out.append(
                    ScheduledMeeting(
                        meeting=meeting_id(network, seq),
                        network=network,
                        seq=seq,
                        date=day,
                        start=start,
                        end=start + net.duration,
                        venue=venue,
                        session=session_id(day, venue),
                        attendees=attendees,
                    )
                )
        return cls(tuple(sorted(out, key=ScheduledMeeting.sort_key)))
