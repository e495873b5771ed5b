"""Input shapes for ``benchmarks/stress.py``: what the sample generators never make.

Every shape is a function ``(rng) -> Shape`` that builds one planning problem
per the data contract (v1.1) from a seeded :class:`random.Random`, so the same
seed gives the same files. A shape says what the planner should do with it
(``expect``: ``"plan"``, or ``"infeasible"`` with the proof in ``why``), how
big it is (the time limit the runner uses) and, where the shape was built
around one, a witness schedule that ``dakpan check`` must accept (so
"cannot be planned" on it is provably wrong).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from samples.generate import COLUMNS as SAMPLE_COLUMNS

Row = dict[str, str]

#: Real Dutch towns (lat, lon); people and venues are placed near them.
TOWNS = (
    ("utrecht", 52.0907, 5.1214),
    ("amersfoort", 52.1561, 5.3878),
    ("zwolle", 52.5168, 6.0830),
    ("arnhem", 51.9851, 5.8987),
    ("nijmegen", 51.8126, 5.8372),
    ("eindhoven", 51.4416, 5.4697),
    ("tilburg", 51.5555, 5.0913),
    ("breda", 51.5719, 4.7683),
    ("groningen", 53.2194, 6.5665),
    ("leeuwarden", 53.2012, 5.7999),
    ("haarlem", 52.3874, 4.6462),
    ("den-haag", 52.0705, 4.3007),
    ("maastricht", 50.8514, 5.6910),
    ("middelburg", 51.4988, 3.6136),
)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DUTCH_DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
COLUMNS: dict[str, tuple[str, ...]] = {
    **{name: cols for name, cols in SAMPLE_COLUMNS.items() if name != "settings"},
    "together": ("networks", "times", "order", "hard"),
}
"""Columns of each input table written (the samples' and the contract v1.1 ``together``)."""


@dataclass
class Shape:
    """One generated problem and what the planner should make of it."""

    name: str
    about: str
    settings: dict[str, str]
    tables: dict[str, list[Row]]
    expect: str = "plan"
    why: str = ""
    big: bool = False
    form: str = "csv"  # csv | semicolon | xlsx
    witness: list[Row] = field(default_factory=list)
    same_plan_as: str = ""
    fill: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ builders
def near(rng: random.Random, town: int, spread: float = 0.08) -> tuple[str, str]:
    """Coordinates near town ``town`` (index into :data:`TOWNS`), 4 decimals."""
    _, lat, lon = TOWNS[town % len(TOWNS)]
    return f"{lat + rng.uniform(-spread, spread):.4f}", f"{lon + rng.uniform(-spread, spread):.4f}"


def person(pid: str, lat: str, lon: str, unavailable: str = "") -> Row:
    """A people row."""
    return {
        "id": pid,
        "name": f"Bestuurder {pid}",
        "organisation": f"Stichting {pid.upper()}",
        "email": f"{pid}@example.nl",
        "lat": lat,
        "lon": lon,
        "unavailable": unavailable,
    }


def venue(vid: str, lat: str, lon: str, capacity: int, **extra: str) -> Row:
    """A venues row (``extra`` sets rooms, weekdays, open, close, unavailable, cost)."""
    return {
        "id": vid,
        "name": f"Zaal {vid}",
        "address": f"Marktplein 1, {vid}",
        "lat": lat,
        "lon": lon,
        "capacity": str(capacity),
        **extra,
    }


def network(nid: str, meetings: int, duration: int, **extra: str) -> Row:
    """A networks row (``extra`` sets the optional columns)."""
    return {
        "id": nid,
        "name": f"Netwerk {nid}",
        "meetings": str(meetings),
        "duration": str(duration),
        **extra,
    }


def people_near(rng: random.Random, count: int, towns: int = 6, prefix: str = "p") -> list[Row]:
    """``count`` people spread over the first ``towns`` towns."""
    return [person(f"{prefix}{i:03d}", *near(rng, i % towns)) for i in range(count)]


def venues_near(rng: random.Random, count: int, capacity: int = 30, **extra: str) -> list[Row]:
    """``count`` venues in towns 0.. (one a town, wrapping)."""
    return [venue(f"v{i:02d}", *near(rng, i, 0.02), capacity, **extra) for i in range(count)]


def overlapping(rng: random.Random, networks: list[str], people: list[str], size: int) -> list[Row]:
    """Memberships: each network ``size`` people drawn from a window, so neighbours share."""
    rows = []
    for n, nid in enumerate(networks):
        base = (n * max(1, size // 2)) % len(people)
        window = list(dict.fromkeys(people[(base + k) % len(people)] for k in range(size * 2)))
        for pid in sorted(rng.sample(window, min(size, len(window)))):
            rows.append({"network": nid, "person": pid, "role": ""})
    return rows


def weekdays_between(first: date, last: date, weekday: int) -> list[date]:
    """Every date in ``first..last`` on ``weekday`` (0 = Monday)."""
    out, day = [], first
    while day <= last:
        if day.weekday() == weekday:
            out.append(day)
        day += timedelta(days=1)
    return out


def witness_row(
    nid: str, seq: int, day: date, when: tuple[str, str], vid: str, *, who: list[str]
) -> Row:
    """One schedule.csv row of a witness plan."""
    start, end = when
    return {
        "meeting": f"{nid}-{seq}",
        "network": nid,
        "seq": str(seq),
        "date": day.isoformat(),
        "start": start,
        "end": end,
        "venue": vid,
        "session": f"{day.isoformat()}@{vid}",
        "attendees": ";".join(who),
    }


def base_settings(start: str, end: str, **extra: str) -> dict[str, str]:
    """Settings with the horizon, seed 0 and ``extra``."""
    return {"start": start, "end": end, "seed": "0", **extra}


ShapeFn = Callable[[random.Random], Shape]
