"""Edge shapes for ``benchmarks/stress.py``: windows off the grid, whole-day meetings, proofs.

The infeasible ones carry their proof in ``why``; the planner must say
"cannot be planned" (exit 1, nothing written) on them, and give a plan on
the others.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from benchmarks.stress_shapes import (
    Shape,
    base_settings,
    near,
    network,
    overlapping,
    people_near,
    venue,
    venues_near,
)


def offgrid_windows(rng: random.Random) -> Shape:
    """Slot 60 from 08:00; windows and opening hours that are not on the grid."""
    people = people_near(rng, 12)
    rows = [
        network("a", 3, 60, min_gap_days="14", earliest="09:30", latest="16:45"),
        network("b", 3, 120, min_gap_days="14", earliest="08:10"),
        network("c", 2, 60, min_gap_days="14", latest="10:59"),
    ]
    venues = [
        venue("v00", *near(rng, 0, 0.02), 20, open="09:45", close="16:50"),
        venue("v01", *near(rng, 1, 0.02), 20, open="08:00", close="11:00"),
    ]
    return Shape(
        "offgrid_windows",
        "slot 60 from 08:00; earliest 09:30/08:10, latest 16:45/10:59, venue open 09:45-16:50",
        base_settings("2027-09-06", "2027-12-17", slot="60", day_start="08:00", day_end="18:00"),
        {
            "networks": rows,
            "people": people,
            "memberships": overlapping(rng, ["a", "b", "c"], [p["id"] for p in people], 4),
            "venues": venues,
        },
    )


def whole_day(rng: random.Random) -> Shape:
    """Meetings of the whole day (480 minutes), sharing members: one a day each."""
    nets = [f"n{i}" for i in range(4)]
    people = people_near(rng, 8)
    return Shape(
        "whole_day",
        "4 networks of 480-minute meetings (09-17), shared members, weekly",
        base_settings("2027-09-06", "2027-11-26", min_gap_days="7"),
        {
            "networks": [network(nid, 5, 480) for nid in nets],
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 4),
            "venues": venues_near(rng, 2, rooms="1"),
        },
    )


def holiday_only(rng: random.Random) -> Shape:
    """A horizon of Christmas Day and Boxing Day: no date to plan on."""
    people = people_near(rng, 3)
    return Shape(
        "holiday_only",
        "horizon 2027-12-25..2027-12-26 (public holidays), weekdays all",
        base_settings("2027-12-25", "2027-12-26", weekdays="mon;tue;wed;thu;fri;sat;sun"),
        {
            "networks": [network("a", 1, 60)],
            "people": people,
            "memberships": [{"network": "a", "person": p["id"], "role": ""} for p in people],
            "venues": venues_near(rng, 1, weekdays="mon;tue;wed;thu;fri;sat;sun"),
        },
        expect="infeasible",
        why="both dates are public holidays",
    )


def away_all_horizon(rng: random.Random) -> Shape:
    """A required member unavailable on every date of the horizon, in one date range."""
    people = people_near(rng, 6)
    first, last = date(2027, 9, 6), date(2027, 10, 29)
    people[0]["unavailable"] = f"{(first - timedelta(days=3)).isoformat()}..{last.isoformat()}"
    members = [{"network": "a", "person": p["id"], "role": ""} for p in people[:3]]
    members += [{"network": "b", "person": p["id"], "role": ""} for p in people[3:]]
    return Shape(
        "away_all_horizon",
        "p000, required in a, unavailable on a range covering the whole horizon",
        base_settings(first.isoformat(), last.isoformat()),
        {
            "networks": [network("a", 2, 60), network("b", 2, 60)],
            "people": people,
            "memberships": members,
            "venues": venues_near(rng, 1),
        },
        expect="infeasible",
        why="a's required member p000 is unavailable on every date",
    )


def saturday_default_venue(rng: random.Random) -> Shape:
    """A Saturday network whose venues keep the default weekdays (the setting's: mon-fri)."""
    people = people_near(rng, 4)
    return Shape(
        "saturday_default_venue",
        "network weekdays sat; venue weekdays default = the setting's mon-fri",
        base_settings("2027-09-06", "2027-12-17"),
        {
            "networks": [network("a", 1, 60, weekdays="sat")],
            "people": people,
            "memberships": [{"network": "a", "person": p["id"], "role": ""} for p in people],
            "venues": venues_near(rng, 2),
        },
        expect="infeasible",
        why="a venue is open on the setting's weekdays (mon-fri) by default; a meets on sat only",
    )


EDGE_SHAPES = {
    fn.__name__: fn
    for fn in (offgrid_windows, whole_day, holiday_only, away_all_horizon, saturday_default_venue)
}
