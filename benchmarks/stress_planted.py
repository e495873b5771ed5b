"""Planted shapes for ``benchmarks/stress.py``: tight problems built around a known plan.

A plan is planted first (every meeting on an allowed date, in a free room, no
member clashing, changeover kept, at most 3 meetings a person a day), then
the problem is tightened around it: each person is unavailable on most dates
they have no planted meeting, and on their planted dates before their first
and after their last planted meeting; venues close on many of their unused
dates; sessions the plan holds become hard relay wishes. The planted plan is
the witness: ``dakpan check`` accepts it, so the problem has a plan and
"cannot be planned" on it is wrong.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from benchmarks.stress_shapes import (
    Row,
    Shape,
    base_settings,
    network,
    people_near,
    venue,
    witness_row,
)

FIRST, LAST = date(2027, 9, 6), date(2027, 12, 17)
HOLIDAY = (date(2027, 10, 16), date(2027, 10, 24))  # midden autumn break
DAY_START, DAY_END, CHANGEOVER, CAP = 9 * 60, 17 * 60, 15, 3


def _dates() -> list[date]:
    out, day = [], FIRST
    while day <= LAST:
        if day.weekday() < 5 and not HOLIDAY[0] <= day <= HOLIDAY[1]:
            out.append(day)
        day += timedelta(days=1)
    return out


@dataclass
class _Book:
    """Who and what is busy when, while planting."""

    person: dict[tuple[str, date], list[tuple[int, int]]] = field(default_factory=dict)
    room: dict[tuple[str, date], list[tuple[int, int]]] = field(default_factory=dict)

    def fits(self, who: list[str], vid: str, day: date, start: int, end: int) -> bool:
        rooms = self.room.get((vid, day), [])
        if any(start < e + CHANGEOVER and s < end + CHANGEOVER for s, e in rooms):
            return False
        for pid in who:
            busy = self.person.get((pid, day), [])
            if len(busy) >= CAP:
                return False
            if any(start < e + CHANGEOVER and s < end + CHANGEOVER for s, e in busy):
                return False
        return True

    def take(self, who: list[str], vid: str, day: date, start: int, end: int) -> None:
        self.room.setdefault((vid, day), []).append((start, end))
        for pid in who:
            self.person.setdefault((pid, day), []).append((start, end))


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _plant(
    rng: random.Random,
    nets: list[Row],
    members: dict[str, list[str]],
    venues: list[str],
    *,
    spread: int,
) -> list[Row]:
    """Plant each network's meetings; lowers ``meetings`` to what was placed."""
    book, dates, plan = _Book(), _dates(), []
    for row in nets:
        nid, gap, dur = row["id"], int(row["min_gap_days"]), int(row["duration"])
        placed, earliest = 0, FIRST
        for _ in range(int(row["meetings"])):
            days = [d for d in dates if d >= earliest]
            spot = _spot(rng, book, members[nid], venues, days, dur=dur, spread=spread)
            if spot is None:
                break
            day, vid, start = spot
            book.take(members[nid], vid, day, start, start + dur)
            placed += 1
            plan.append(witness_row(nid, placed, day, (_hm(start), _hm(start + dur)), vid, who=[]))
            earliest = day + timedelta(days=gap)
        row["meetings"] = str(placed)
    return plan


def _spot(
    rng: random.Random,
    book: _Book,
    who: list[str],
    venues: list[str],
    days: list[date],
    *,
    dur: int,
    spread: int,
) -> tuple[date, str, int] | None:
    for _ in range(300):
        if not days:
            return None
        day = rng.choice(days[:spread])
        vid = rng.choice(venues)
        start = rng.randrange(DAY_START, DAY_END - dur + 1, 15)
        if book.fits(who, vid, day, start, start + dur):
            return day, vid, start
    return None


def _tighten(
    rng: random.Random,
    people: list[Row],
    venues: list[Row],
    plan: list[Row],
    members: dict[str, list[str]],
    *,
    free: float,
    dense: bool = False,
) -> None:
    """Close most unused dates of people and venues, and the ends of people's planted days."""
    dates = _dates()
    spans: dict[str, dict[str, tuple[str, str]]] = {}
    used_venue: dict[str, set[str]] = {}
    for row in plan:
        used_venue.setdefault(row["venue"], set()).add(row["date"])
        for pid in members[row["network"]]:
            first, last = spans.setdefault(pid, {}).get(row["date"], (row["start"], row["end"]))
            spans[pid][row["date"]] = (min(first, row["start"]), max(last, row["end"]))
    for p in people:
        mine = spans.get(p["id"], {})
        items = [d.isoformat() for d in dates if d.isoformat() not in mine and rng.random() > free]
        for day, (first, last) in sorted(mine.items()) if not dense else ():
            if first > _hm(DAY_START):
                items.append(f"{day} {_hm(DAY_START)}-{first}")
            if last < _hm(DAY_END):
                items.append(f"{day} {last}-{_hm(DAY_END)}")
        p["unavailable"] = ";".join(items)
    for v in venues:
        used = used_venue.get(v["id"], set())
        keep = 0.0 if dense else 0.5
        closed = [d.isoformat() for d in dates if d.isoformat() not in used and rng.random() > keep]
        v["unavailable"] = ";".join(closed)


def planted(rng: random.Random, count: int, name: str, free: float, dense: bool = False) -> Shape:
    """A planted problem of ``count`` networks; people free on ``free`` of their unused dates.

    ``dense``: venues open only on the dates the plan uses them, people's
    planted days not narrowed (a packing problem of the plan's venue-days).
    """
    people = people_near(rng, count * 2)
    pids = [p["id"] for p in people]
    nets, members, rows = [], {}, []
    for i in range(count):
        nid = f"n{i:03d}"
        base = (i * 2) % len(pids)
        window = list(dict.fromkeys(pids[(base + k) % len(pids)] for k in range(8)))
        members[nid] = sorted(rng.sample(window, rng.randint(2, 5)))
        gap = rng.choice((7, 14, 21, 28))
        nets.append(
            network(nid, rng.randint(2, 5), rng.choice((60, 90, 120)), min_gap_days=str(gap))
        )
        rows += [{"network": nid, "person": pid, "role": ""} for pid in members[nid]]
    vcount = 2 if dense else max(2, count // 8)
    venue_rows = [venue(f"v{i:02d}", "52.0907", "5.1214", 12, rooms="1") for i in range(vcount)]
    plan = _plant(rng, nets, members, [v["id"] for v in venue_rows], spread=4 if dense else 15)
    for row in plan:
        row["attendees"] = ";".join(members[row["network"]])
    _tighten(rng, people, venue_rows, plan, members, free=free, dense=dense)
    together = _relays(plan)
    kept = [n for n in nets if n["meetings"] != "0"]
    rows = [m for m in rows if any(n["id"] == m["network"] for n in kept)]
    tables = {
        "networks": kept,
        "people": people,
        "memberships": rows,
        "venues": venue_rows,
        "together": together,
    }
    return Shape(
        name,
        f"{len(kept)} networks around a planted plan; people free on {free:.0%} of unused dates"
        + (", venues open only on the plan's dates" if dense else ""),
        base_settings(FIRST.isoformat(), LAST.isoformat(), region="midden"),
        tables,
        witness=sorted(plan, key=lambda r: (r["date"], r["start"], r["venue"])),
        big=count > 40,
    )


def _relays(plan: list[Row]) -> list[Row]:
    """Hard wishes for up to five sessions of the plan that hold two or more networks."""
    sessions: dict[tuple[str, str], list[Row]] = {}
    for row in plan:
        sessions.setdefault((row["date"], row["venue"]), []).append(row)
    out = []
    for key in sorted(sessions):
        nets = sorted({r["network"] for r in sessions[key]})
        if len(nets) >= 2 and len(out) < 5:
            ordered = [r["network"] for r in sorted(sessions[key], key=lambda r: r["start"])]
            out.append(
                {
                    "networks": ";".join(dict.fromkeys(ordered)),
                    "times": "1",
                    "order": "yes",
                    "hard": "yes",
                }
            )
    return out


def planted_small(rng: random.Random) -> Shape:
    """20 networks, people free on a quarter of their unused dates."""
    return planted(rng, 20, "planted_small", 0.25)


def planted_tight(rng: random.Random) -> Shape:
    """20 networks, people free on none of their unused dates: the planted days only."""
    return planted(rng, 20, "planted_tight", 0.0)


def planted_big(rng: random.Random) -> Shape:
    """120 networks, people free on a tenth of their unused dates."""
    return planted(rng, 120, "planted_big", 0.1)


def planted_dense(rng: random.Random) -> Shape:
    """40 networks, 2 one-room venues open only on the plan's dates, people free."""
    return planted(rng, 40, "planted_dense", 1.0, dense=True)
