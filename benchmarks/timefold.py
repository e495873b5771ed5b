"""Convert Timefold's meeting-scheduling benchmark problems to dakpan input, plan, check.

The problems (``../shared/data/timefold-meetingscheduling/*.json``, Apache 2.0)
become dakpan inputs per the data contract:

- each meeting a network with ``meetings`` 1 and its duration (grains x 15 min);
- required attendance a ``required`` member, preferred attendance an ``optional`` one;
- each room a venue with its capacity and 1 room, all at one address (so no travel);
- the problem's days as consecutive dates (every weekday allowed, no holidays),
  ``slot`` 15, ``day_start``/``day_end`` the first grain's start and the last
  grain's end; a day with fewer grains closes the rooms (a v1.1 time range) after
  its last grain;
- ``changeover`` 0 and no daily cap, as Timefold has neither.

``meetingscheduling-100-320-5.json`` (Timefold's score-director data set) is the
100-meeting problem with every meeting already assigned, breaking 31 hard rules
and pinning none; the assignment is not used, so it is planned from scratch.

Timefold's hard constraints (room conflict, required attendance conflict,
room capacity, start and end on one day) are then exactly dakpan's rules
``rooms``, ``clash``, ``capacity``, ``window``/``venue_closed``.

Usage::

    python benchmarks/timefold.py                      # convert all, plan at 30 s, check
    python benchmarks/timefold.py --time-limit 10 --only 50meetings
    python benchmarks/timefold.py --convert-only --out benchmarks/out/timefold
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "timefold-meetingscheduling"
FIRST_DATE = date(2027, 9, 6)
"""Date of the problem's first day (any date works: every weekday is allowed, no holidays)."""


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def _objects(node: Any, into: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every object with an ``@id`` (Jackson writes later uses as the bare id string)."""
    if isinstance(node, dict):
        if "@id" in node:
            into.setdefault(node["@id"], node)
        for value in node.values():
            _objects(value, into)
    elif isinstance(node, list):
        for value in node:
            _objects(value, into)
    return into


def convert(source: Path, out: Path) -> dict[str, int]:
    """Write the dakpan input folder for one Timefold problem; return its sizes."""
    data = json.loads(source.read_text(encoding="utf-8"))
    objects = _objects(data, {})
    day_list = [objects[x] if isinstance(x, str) else x for x in data["dayList"]]
    days = {d["@id"]: d["dayOfYear"] for d in day_list}
    first_day = min(days.values())
    grains: dict[int, list[int]] = {}
    for g in (objects[x] if isinstance(x, str) else x for x in data["timeGrainList"]):
        grains.setdefault(days[g["day"]], []).append(g["startingMinuteOfDay"])
    day_start = min(min(v) for v in grains.values())
    day_end = max(max(v) for v in grains.values()) + 15
    out.mkdir(parents=True, exist_ok=True)
    people: dict[int, str] = {}
    net_rows: list[list[Any]] = []
    member_rows: list[list[Any]] = []
    for m in (objects[x] if isinstance(x, str) else x for x in data["meetingList"]):
        nid = f"m{m['id']}"
        net_rows.append([nid, m.get("topic") or nid, 1, m["durationInGrains"] * 15])
        for role, key in (
            ("required", "requiredAttendanceList"),
            ("optional", "preferredAttendanceList"),
        ):
            for a in m.get(key, []):
                person = a["person"] if isinstance(a, dict) else objects[a]["person"]
                if isinstance(person, str):
                    person = objects[person]
                people[person["id"]] = person.get("fullName") or f"Person {person['id']}"
                member_rows.append([nid, f"p{person['id']}", role])
    closed = [
        f"{FIRST_DATE + timedelta(days=d - first_day)} {_hhmm(max(v) + 15)}-{_hhmm(day_end)}"
        for d, v in sorted(grains.items())
        if max(v) + 15 < day_end
    ]
    closed += [
        f"{FIRST_DATE + timedelta(days=d - first_day)}"
        for d in range(first_day, max(grains) + 1)
        if d not in grains
    ]
    venue_rows = [
        [
            f"r{r['id']}",
            r.get("name") or f"Room {r['id']}",
            "One building",
            52.09,
            5.12,
            r["capacity"],
            1,
            ";".join(closed),
        ]
        for r in (objects[x] if isinstance(x, str) else x for x in data["roomList"])
    ]
    _write(out / "networks.csv", ["id", "name", "meetings", "duration"], net_rows)
    _write(
        out / "people.csv",
        ["id", "name", "lat", "lon"],
        [[f"p{k}", v, 52.09, 5.12] for k, v in sorted(people.items())],
    )
    _write(out / "memberships.csv", ["network", "person", "role"], member_rows)
    _write(
        out / "venues.csv",
        ["id", "name", "address", "lat", "lon", "capacity", "rooms", "unavailable"],
        venue_rows,
    )
    last = FIRST_DATE + timedelta(days=max(grains) - first_day)
    settings = {
        "start": FIRST_DATE.isoformat(),
        "end": last.isoformat(),
        "weekdays": "mon;tue;wed;thu;fri;sat;sun",
        "day_start": _hhmm(day_start),
        "day_end": _hhmm(day_end),
        "slot": 15,
        "changeover": 0,
        "max_meetings_per_day": 99,
        "min_gap_days": 1,
        "public_holidays": "false",
        "school_holidays": "false",
        "time_limit": 30,
    }
    _write(out / "settings.csv", ["key", "value"], [[k, v] for k, v in settings.items()])
    return {"meetings": len(net_rows), "people": len(people), "rooms": len(venue_rows)}


def _size(name: str) -> int:
    """Meetings of a problem file by name: ``50meetings-...``, ``meetingscheduling-100-...``."""
    found = re.search(r"(\d+)", name)
    return int(found.group(1)) if found else 0


def main(argv: list[str] | None = None) -> int:
    """Convert, plan and check every problem; print a Markdown table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "timefold")
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default="", help="only files whose name contains this")
    ap.add_argument("--convert-only", action="store_true")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from planner.check import check
    from planner.read import read_problem
    from planner.solver import SolveOptions, plan

    files = sorted(DATA.glob("*.json"), key=lambda p: (_size(p.name), p.name))
    print("| problem | meetings | people | status | first plan (s) | wall (s) | hard violations |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for src in files:
        if args.only not in src.name:
            continue
        folder = args.out / src.stem
        sizes = convert(src, folder)
        if args.convert_only:
            print(f"| {src.stem} | {sizes['meetings']} | {sizes['people']} | converted | | | |")
            continue
        problem = read_problem(folder)
        started = time.perf_counter()
        result = plan(problem, SolveOptions(time_limit=args.time_limit, seed=args.seed))
        wall = time.perf_counter() - started
        hard = (
            "-" if result.schedule is None else str(check(problem, result.schedule).hard_violations)
        )
        first = result.first_solution_seconds
        print(
            f"| {src.stem} | {sizes['meetings']} | {sizes['people']} | {result.status.value} | "
            f"{'-' if first is None else f'{first:.1f}'} | {wall:.1f} | {hard} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
