"""Plan files: ``schedule.csv``, ``plan.json`` and the plan folder.

``schedule.csv`` (written by :func:`write_schedule_csv`)
    One row a meeting with exactly the columns
    ``meeting,network,seq,date,start,end,venue,session,attendees``, sorted by
    date, start, venue (then network). Dates ``YYYY-MM-DD``, times ``HH:MM``,
    attendees (person ids, required and optional) ``;``-separated. The file
    is UTF-8 *without* a byte-order mark, separated by ``,``, with ``\\n``
    line ends and CSV quoting only where a cell needs it; the same schedule
    always gives the same bytes.

    :func:`read_schedule_csv` is tolerant of what a coordinator's Excel may do
    to the file: UTF-8 with a BOM or Windows-1252, ``;`` (or tab) as the
    separator, column names in any case and order, extra columns (ignored),
    empty rows, ``D-M-YYYY`` dates, ``H:MM``/``HH:MM:SS`` times and
    ``,``-separated attendees. Only ``network``, ``date``, ``start`` and
    ``venue`` are required; ``end`` may be left out when a problem is given
    (start + the network's duration), ``seq`` and ``meeting`` are then
    numbered per network by date and start, ``session`` is derived from date
    and venue and ``attendees`` from the memberships. Faults raise
    :class:`~planner.read.InputError` naming file, row (header is row 1) and
    column.

``plan.json`` (written by :func:`write_plan_json`)
    The format marker and version, the dakpan version, the sha256
    :func:`input_hash` of the input, the whole input problem
    (:func:`problem_to_dict`, so a plan folder is self-contained), the
    settings, the meetings (as in ``schedule.csv``), the figures of
    :func:`planner.check.check`, the baseline's figures and the ratios plan /
    baseline, and the solver's :class:`SolverInfo`. There is no wall-clock
    timestamp: the same plan gives the same bytes except for the solver's
    timings.

A plan folder is written by :func:`write_plan_folder` through
:func:`atomic_output_dir`: into a temporary sibling folder that replaces the
target only when everything was written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from planner import __version__
from planner.baseline import baseline as build_baseline
from planner.check import CheckReport, check, ratios
from planner.outdir import PLAN_FILES, OutputFolderError, atomic_folder
from planner.problem import (
    WEEKDAY_NAMES,
    FixedMeeting,
    Membership,
    Network,
    Person,
    Problem,
    ProblemError,
    Role,
    Settings,
    Together,
    TravelOverride,
    Venue,
    fmt_time,
)
from planner.read import InputError, InputIssue, parse_date, parse_int, parse_time, read_csv_table
from planner.safety import json_depth_problem, neutralise_cell, read_file_bytes
from planner.schedule import Schedule, ScheduledMeeting, meeting_id, session_id
from planner.weights import Weights

SCHEDULE_COLUMNS: tuple[str, ...] = (
    "meeting",
    "network",
    "seq",
    "date",
    "start",
    "end",
    "venue",
    "session",
    "attendees",
)
"""Columns of ``schedule.csv``, in order."""

SCHEDULE_CSV = "schedule.csv"
PLAN_JSON = "plan.json"
PLAN_FORMAT = "dakpan-plan"
PLAN_FORMAT_VERSION = 1
"""Version of the ``plan.json`` layout this module writes (and the newest it reads)."""

SOLVER_STATUSES: tuple[str, ...] = ("optimal", "feasible", "infeasible", "unknown", "baseline")


# =============================================================== solver info
@dataclass(frozen=True, slots=True)
class SolverInfo:
    """How a schedule was found.

    Attributes
    ----------
    status
        ``optimal``, ``feasible``, ``infeasible``, ``unknown`` or ``baseline``.
    objective
        Objective value of the schedule, if any.
    bound
        Best proven lower bound, if any.
    gap
        Relative gap ``(objective - bound) / objective``, if known.
    wall_seconds
        Solver wall time in seconds (a duration, not a timestamp).
    first_solution_seconds
        Seconds until the first solution, if known.
    time_limit
        The time limit in seconds.
    seed
        The random seed.
    workers
        Number of search workers.
    objective_terms
        Value of each term of the objective (e.g. ``travel_km``).

    In ``plan.json`` a non-finite ``objective``, ``bound``, ``gap`` or
    ``first_solution_seconds`` (e.g. an infinite gap) is written as ``null``.
    """

    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    wall_seconds: float
    first_solution_seconds: float | None
    time_limit: float
    seed: int
    workers: int
    objective_terms: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in SOLVER_STATUSES:
            raise ValueError(
                f"solver status {self.status!r} is not one of {', '.join(SOLVER_STATUSES)}"
            )

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (objective terms sorted by name)."""
        return {
            "status": self.status,
            "objective": _opt_float(self.objective),
            "bound": _opt_float(self.bound),
            "gap": _opt_float(self.gap),
            "wall_seconds": float(self.wall_seconds),
            "first_solution_seconds": _opt_float(self.first_solution_seconds),
            "time_limit": float(self.time_limit),
            "seed": int(self.seed),
            "workers": int(self.workers),
            "objective_terms": {
                k: float(self.objective_terms[k]) for k in sorted(self.objective_terms)
            },
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SolverInfo:
        """Inverse of :meth:`to_dict`."""
        return cls(
            status=str(d["status"]),
            objective=_opt_float(d.get("objective")),
            bound=_opt_float(d.get("bound")),
            gap=_opt_float(d.get("gap")),
            wall_seconds=float(d["wall_seconds"]),
            first_solution_seconds=_opt_float(d.get("first_solution_seconds")),
            time_limit=float(d["time_limit"]),
            seed=int(d["seed"]),
            workers=int(d["workers"]),
            objective_terms={str(k): float(v) for k, v in d.get("objective_terms", {}).items()},
        )


def _opt_float(value: Any) -> float | None:
    """``None`` stays ``None``; so does a non-finite number (JSON has no inf or NaN)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# =============================================================== schedule.csv
def _meeting_row(m: ScheduledMeeting) -> list[str]:
    """One row of ``schedule.csv``; text cells neutralised against formula injection."""
    return [
        neutralise_cell(m.meeting),
        neutralise_cell(m.network),
        str(m.seq),
        m.date.isoformat(),
        fmt_time(m.start),
        fmt_time(m.end),
        neutralise_cell(m.venue),
        neutralise_cell(m.session),
        neutralise_cell(";".join(m.attendees)),
    ]


def schedule_csv_text(schedule: Schedule) -> str:
    """The text of ``schedule.csv`` for a schedule (see the module docstring)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=",", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(SCHEDULE_COLUMNS)
    for m in sorted(schedule.meetings, key=ScheduledMeeting.sort_key):
        writer.writerow(_meeting_row(m))
    return buf.getvalue()


def write_schedule_csv(path: str | Path, schedule: Schedule) -> None:
    """Write ``schedule.csv``: UTF-8 without BOM, ``,``-separated, ``\\n`` line ends.

    Parameters
    ----------
    path
        File to write (replaced if present).
    schedule
        The meetings; written sorted by date, start, venue (then network).
    """
    Path(path).write_bytes(schedule_csv_text(schedule).encode("utf-8"))


def _parse_date(text: str) -> date:
    return parse_date(text, slashes=True)


@dataclass(slots=True)
class _RawRow:
    number: int
    network: str
    day: date
    start: int
    end: int
    venue: str
    meeting: str
    seq: int | None
    session: str
    attendees: tuple[str, ...] | None


def _attendees(text: str, problem: Problem | None) -> tuple[str, ...]:
    """The person ids of an ``attendees`` cell: ``;``-separated, or ``,`` when Excel made it so.

    A cell without ``;`` that is one known person id (ids may hold ``,``)
    is that one person.
    """
    if ";" not in text and problem is not None and text.strip() in problem.person_by_id:
        return (text.strip(),)
    separator = ";" if ";" in text else ","
    return tuple(a.strip() for a in text.split(separator) if a.strip())


def _schedule_row(
    name: str, number: int, cells: list[str], cols: Mapping[str, int], problem: Problem | None
) -> tuple[_RawRow | None, list[InputIssue]]:
    """Parse one data row of ``schedule.csv``; ``None`` and the faults if it is bad."""
    issues: list[InputIssue] = []

    def cell(col: str) -> str:
        i = cols.get(col)
        return cells[i] if i is not None and i < len(cells) else ""

    def parse(col: str, parser: Callable[[str], Any]) -> Any:
        value = cell(col)
        if not value:
            return None
        try:
            return parser(value)
        except ValueError as exc:
            issues.append(InputIssue(name, number, col, str(exc)))
            return None

    empty = "the cell is empty; a value is required"
    network = cell("network")
    venue = cell("venue")
    for col in ("network", "venue", "date", "start"):
        if not cell(col):
            issues.append(InputIssue(name, number, col, empty))
    day: date | None = parse("date", _parse_date)
    start: int | None = parse("start", parse_time)
    end: int | None = parse("end", parse_time)
    seq: int | None = parse("seq", parse_int)
    if not cell("end"):
        net = problem.network_by_id.get(network) if problem is not None else None
        if start is not None and net is not None:
            end = start + net.duration
        elif network:
            why = "no problem given" if problem is None else f"network {network!r} is unknown"
            issues.append(
                InputIssue(name, number, "end", f"the cell is empty and cannot be derived ({why})")
            )
    attendees: tuple[str, ...] | None = None
    if "attendees" in cols:
        attendees = _attendees(cell("attendees"), problem)
    if issues or day is None or start is None or end is None:
        return None, issues
    return (
        _RawRow(
            number=number,
            network=network,
            day=day,
            start=start,
            end=end,
            venue=venue,
            meeting=cell("meeting"),
            seq=seq,
            session=cell("session"),
            attendees=attendees,
        ),
        issues,
    )


def _read_schedule_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and rows of a ``schedule.csv``, or of sheet ``schedule`` of an ``.xlsx``."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from planner.workbook import read_schedule_sheet

        if not path.is_file():
            raise FileNotFoundError(path)
        return read_schedule_sheet(path)
    return read_csv_table(path)


def read_schedule_csv(path: str | Path, problem: Problem | None = None) -> Schedule:
    """Read a ``schedule.csv`` (or a schedule workbook), tolerant of what Excel does to it.

    A path ending in ``.xlsx`` or ``.xlsm`` is read as a workbook whose sheet
    ``schedule`` has the columns of ``schedule.csv`` (contract v1.1); dates
    and times may be Excel dates and times or text, other sheets are ignored.

    Parameters
    ----------
    path
        The file.
    problem
        The problem the schedule belongs to. Needed only to fill in columns
        that are absent or empty: ``end`` (start + duration) and
        ``attendees`` (the network's members). Network and venue ids are
        *not* validated here (the checker reports unknown ones).

    Returns
    -------
    Schedule
        The meetings, sorted by date, start, venue (then network).

    Raises
    ------
    InputError
        Listing every fault: unreadable file, missing column, bad cell (file,
        row as Excel shows it with the header as row 1, column).
    """
    p = Path(path)
    name = p.name
    try:
        header, rows = _read_schedule_table(p)
    except FileNotFoundError:
        raise InputError([InputIssue(str(p), None, None, "does not exist")]) from None
    except OSError as exc:
        raise InputError([InputIssue(str(p), None, None, f"cannot be read: {exc}")]) from None
    except ValueError as exc:
        raise InputError([InputIssue(name, None, None, str(exc))]) from None
    if not header:
        raise InputError(
            [
                InputIssue(
                    name, None, None, f"is empty (expected the header {','.join(SCHEDULE_COLUMNS)})"
                )
            ]
        )
    cols: dict[str, int] = {}
    issues: list[InputIssue] = []
    for i, h in enumerate(header):
        if h in SCHEDULE_COLUMNS:
            if h in cols:
                issues.append(InputIssue(name, 1, h, f"column {h!r} appears twice"))
            cols.setdefault(h, i)
    required = ["network", "date", "start", "venue"]
    if problem is None:
        required.append("end")
    for col in required:
        if col not in cols:
            found = ", ".join(h for h in header if h) or "nothing"
            issues.append(
                InputIssue(name, 1, col, f"required column {col!r} is missing (found: {found})")
            )
    if issues:
        raise InputError(issues)

    raw: list[_RawRow] = []
    for number, cells in rows:
        parsed, row_issues = _schedule_row(name, number, cells, cols, problem)
        if parsed is None:
            issues.extend(row_issues)
        else:
            raw.append(parsed)
    if issues:
        raise InputError(issues)

    # Number each network's meetings by date and start where seq is missing.
    order: dict[str, list[_RawRow]] = {}
    for r in raw:
        order.setdefault(r.network, []).append(r)
    derived_seq: dict[int, int] = {}
    for items in order.values():
        for k, r in enumerate(sorted(items, key=lambda r: (r.day, r.start, r.number)), start=1):
            derived_seq[r.number] = k
    meetings = []
    for r in raw:
        seq = r.seq if r.seq is not None else derived_seq[r.number]
        attendees = r.attendees
        if not attendees and problem is not None:
            attendees = problem.members(r.network)
        meetings.append(
            ScheduledMeeting(
                meeting=r.meeting or meeting_id(r.network, seq),
                network=r.network,
                seq=seq,
                date=r.day,
                start=r.start,
                end=r.end,
                venue=r.venue,
                session=r.session or session_id(r.day, r.venue),
                attendees=attendees or (),
            )
        )
    return Schedule(tuple(sorted(meetings, key=ScheduledMeeting.sort_key)))


# =============================================================== problem dict
def _dates_text(days: frozenset[date]) -> list[str]:
    """Sorted dates as ``YYYY-MM-DD`` and ``YYYY-MM-DD..YYYY-MM-DD`` runs."""
    out: list[str] = []
    ordered = sorted(days)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] - ordered[j] == timedelta(days=1):
            j += 1
        first, last = ordered[i], ordered[j]
        out.append(first.isoformat() if i == j else f"{first.isoformat()}..{last.isoformat()}")
        i = j + 1
    return out


def _dates_from(items: Sequence[str]) -> frozenset[date]:
    out: set[date] = set()
    for item in items:
        if ".." in item:
            a, _, b = item.partition("..")
            first, last = date.fromisoformat(a), date.fromisoformat(b)
            if last < first:
                raise ValueError(f"date range {item!r} ends before it starts")
            out.update(first + timedelta(days=k) for k in range((last - first).days + 1))
        else:
            out.add(date.fromisoformat(item))
    return frozenset(out)


def _times_text(times: frozenset[tuple[date, int, int]]) -> list[str]:
    """Sorted time ranges as ``YYYY-MM-DD HH:MM-HH:MM`` (contract v1.1)."""
    return [f"{d.isoformat()} {fmt_time(t0)}-{fmt_time(t1)}" for d, t0, t1 in sorted(times)]


def _times_from(items: Sequence[str]) -> frozenset[tuple[date, int, int]]:
    out: set[tuple[date, int, int]] = set()
    for item in items:
        day, _, span = str(item).partition(" ")
        first, _, last = span.partition("-")
        out.add((date.fromisoformat(day), _time_from(first), _time_from(last)))
    return frozenset(out)


def _together_from(items: Sequence[Mapping[str, Any]]) -> tuple[Together, ...]:
    return tuple(
        Together(
            networks=tuple(str(n) for n in w["networks"]),
            times=int(w["times"]),
            order=bool(w.get("order", False)),
            hard=bool(w.get("hard", False)),
        )
        for w in items
    )


def _weekdays_text(days: frozenset[int]) -> list[str]:
    return [WEEKDAY_NAMES[d] for d in sorted(days)]


def _weekdays_from(items: Sequence[str]) -> frozenset[int]:
    return frozenset(WEEKDAY_NAMES.index(str(d)) for d in items)


def _time_from(text: str) -> int:
    return parse_time(str(text))


def _place_entry(place: str) -> dict[str, str]:
    # The `place` a person's or venue's lat/lon were resolved from (contract v1.1), only
    # when there is one: plan.json and the input hash of an input without places stay as
    # they were.
    return {"place": place} if place else {}


def _if_need_be_entry(person: Person) -> dict[str, Any]:
    # A person's "if need be" dates and times (extension), only when there are some:
    # plan.json and the input hash of an input without them stay as they were.
    out: dict[str, Any] = {}
    if person.if_need_be:
        out["if_need_be"] = _dates_text(person.if_need_be)
    if person.if_need_be_times:
        out["if_need_be_times"] = _times_text(person.if_need_be_times)
    return out


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    """The whole problem as a JSON-safe dict, losslessly.

    Dates are ISO (``unavailable`` as sorted dates and ``a..b`` runs), times
    ``HH:MM``, weekdays names (``mon`` ...), numbers typed (floats always as
    floats), weights as ``weight_<name>`` settings keys. Tables keep their
    file order. :func:`problem_from_dict` inverts it.
    """
    s = problem.settings
    settings: dict[str, Any] = {
        "start": s.start.isoformat(),
        "end": s.end.isoformat(),
        "region": s.region,
        "weekdays": _weekdays_text(s.weekdays),
        "day_start": fmt_time(s.day_start),
        "day_end": fmt_time(s.day_end),
        "slot": int(s.slot),
        "changeover": int(s.changeover),
        "min_gap_days": int(s.min_gap_days),
        "max_meetings_per_day": int(s.max_meetings_per_day),
        "long_wait": int(s.long_wait),
        "public_holidays": bool(s.public_holidays),
        "school_holidays": bool(s.school_holidays),
        "road_factor": float(s.road_factor),
        "speed_kmh": float(s.speed_kmh),
        "time_limit": float(s.time_limit),
        "seed": int(s.seed),
        "timezone": s.timezone,
        "language": s.language,
    }
    for f in fields(Weights):
        settings[f"weight_{f.name}"] = int(getattr(s.weights, f.name))
    return {
        "settings": settings,
        "networks": [
            {
                "id": n.id,
                "name": n.name,
                "meetings": int(n.meetings),
                "duration": int(n.duration),
                "min_gap_days": int(n.min_gap_days),
                "weekdays": _weekdays_text(n.weekdays),
                "earliest": fmt_time(n.earliest),
                "latest": fmt_time(n.latest),
                "venues": list(n.venues),
                "region": n.region,
            }
            for n in problem.networks
        ],
        "people": [
            {
                "id": p.id,
                "name": p.name,
                "organisation": p.organisation,
                "email": p.email,
                "lat": float(p.lat),
                "lon": float(p.lon),
                "unavailable": _dates_text(p.unavailable),
                "unavailable_times": _times_text(p.unavailable_times),
                **_place_entry(p.place),
                **_if_need_be_entry(p),
            }
            for p in problem.people
        ],
        "memberships": [
            {"network": m.network, "person": m.person, "role": m.role.value}
            for m in problem.memberships
        ],
        "venues": [
            {
                "id": v.id,
                "name": v.name,
                "address": v.address,
                "lat": float(v.lat),
                "lon": float(v.lon),
                "capacity": int(v.capacity),
                "rooms": int(v.rooms),
                "weekdays": _weekdays_text(v.weekdays),
                "open": fmt_time(v.open),
                "close": fmt_time(v.close),
                "unavailable": _dates_text(v.unavailable),
                "unavailable_times": _times_text(v.unavailable_times),
                "cost": float(v.cost),
                **_place_entry(v.place),
            }
            for v in problem.venues
        ],
        "fixed": [
            {
                "network": f.network,
                "date": f.date.isoformat(),
                "start": fmt_time(f.start),
                "venue": f.venue,
            }
            for f in problem.fixed
        ],
        "travel": [
            {
                "from": t.origin,
                "to": t.destination,
                "km": float(t.km),
                "minutes": _opt_float(t.minutes),
            }
            for t in problem.travel
        ],
        "together": [
            {"networks": list(w.networks), "times": int(w.times), "order": w.order, "hard": w.hard}
            for w in problem.together
        ],
    }


def problem_from_dict(d: Mapping[str, Any]) -> Problem:
    """Rebuild a problem from :func:`problem_to_dict`'s output.

    Raises
    ------
    ValueError
        If the dict is malformed (the message names the table and entry);
        :class:`~planner.problem.ProblemError` (a ``ValueError``) if the
        problem it describes is invalid.
    """
    where = "settings"
    try:
        s = d["settings"]
        settings = Settings(
            start=date.fromisoformat(s["start"]),
            end=date.fromisoformat(s["end"]),
            region=str(s["region"]),
            weekdays=_weekdays_from(s["weekdays"]),
            day_start=_time_from(s["day_start"]),
            day_end=_time_from(s["day_end"]),
            slot=int(s["slot"]),
            changeover=int(s["changeover"]),
            min_gap_days=int(s["min_gap_days"]),
            max_meetings_per_day=int(s["max_meetings_per_day"]),
            long_wait=int(s.get("long_wait", 60)),
            public_holidays=bool(s["public_holidays"]),
            school_holidays=bool(s["school_holidays"]),
            road_factor=float(s["road_factor"]),
            speed_kmh=float(s["speed_kmh"]),
            time_limit=float(s["time_limit"]),
            seed=int(s["seed"]),
            timezone=str(s["timezone"]),
            language=str(s["language"]),
            weights=Weights(
                **{
                    f.name: int(s.get(f"weight_{f.name}", getattr(Weights(), f.name)))
                    for f in fields(Weights)
                }
            ),
        )
        networks = []
        for i, n in enumerate(d["networks"]):
            where = f"networks[{i}]"
            networks.append(
                Network(
                    id=str(n["id"]),
                    name=str(n["name"]),
                    meetings=int(n["meetings"]),
                    duration=int(n["duration"]),
                    min_gap_days=int(n["min_gap_days"]),
                    weekdays=_weekdays_from(n["weekdays"]),
                    earliest=_time_from(n["earliest"]),
                    latest=_time_from(n["latest"]),
                    venues=tuple(str(v) for v in n["venues"]),
                    region=str(n["region"]),
                )
            )
        people = []
        for i, p in enumerate(d["people"]):
            where = f"people[{i}]"
            people.append(
                Person(
                    id=str(p["id"]),
                    name=str(p["name"]),
                    lat=float(p["lat"]),
                    lon=float(p["lon"]),
                    organisation=str(p.get("organisation", "")),
                    email=str(p.get("email", "")),
                    unavailable=_dates_from(p.get("unavailable", [])),
                    unavailable_times=_times_from(p.get("unavailable_times", [])),
                    place=str(p.get("place", "")),
                    if_need_be=_dates_from(p.get("if_need_be", [])),
                    if_need_be_times=_times_from(p.get("if_need_be_times", [])),
                )
            )
        memberships = []
        for i, m in enumerate(d["memberships"]):
            where = f"memberships[{i}]"
            memberships.append(
                Membership(str(m["network"]), str(m["person"]), Role(m.get("role", "required")))
            )
        venues = []
        for i, v in enumerate(d["venues"]):
            where = f"venues[{i}]"
            venues.append(
                Venue(
                    id=str(v["id"]),
                    name=str(v["name"]),
                    lat=float(v["lat"]),
                    lon=float(v["lon"]),
                    capacity=int(v["capacity"]),
                    weekdays=_weekdays_from(v["weekdays"]),
                    open=_time_from(v["open"]),
                    close=_time_from(v["close"]),
                    rooms=int(v.get("rooms", 1)),
                    address=str(v.get("address", "")),
                    unavailable=_dates_from(v.get("unavailable", [])),
                    cost=float(v.get("cost", 0.0)),
                    unavailable_times=_times_from(v.get("unavailable_times", [])),
                    place=str(v.get("place", "")),
                )
            )
        fixed = []
        for i, f in enumerate(d.get("fixed", [])):
            where = f"fixed[{i}]"
            fixed.append(
                FixedMeeting(
                    network=str(f["network"]),
                    date=date.fromisoformat(f["date"]),
                    start=_time_from(f["start"]),
                    venue=str(f["venue"]),
                )
            )
        travel = []
        for i, t in enumerate(d.get("travel", [])):
            where = f"travel[{i}]"
            travel.append(
                TravelOverride(
                    origin=str(t["from"]),
                    destination=str(t["to"]),
                    km=float(t["km"]),
                    minutes=_opt_float(t.get("minutes")),
                )
            )
        where = "together"
        together = _together_from(d.get("together", []))
    except ProblemError:
        raise
    except KeyError as exc:
        raise ValueError(f"problem.{where}: key {exc.args[0]!r} is missing") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"problem.{where}: {exc}") from None
    return Problem(
        settings=settings,
        networks=tuple(networks),
        people=tuple(people),
        venues=tuple(venues),
        memberships=tuple(memberships),
        fixed=tuple(fixed),
        travel=tuple(travel),
        together=together,
    )


def canonical_json(value: Any) -> str:
    """Canonical JSON: ``json.dumps(value, sort_keys=True, separators=(",", ":"))``.

    Non-ASCII characters are escaped (``ensure_ascii``, the default), so the
    text is plain ASCII.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def input_hash(problem: Problem) -> str:
    """sha256 hex digest of the canonical JSON of :func:`problem_to_dict`.

    That is ``sha256(json.dumps(problem_to_dict(problem), sort_keys=True,
    separators=(",", ":")).encode("ascii")).hexdigest()``.
    """
    return hashlib.sha256(canonical_json(problem_to_dict(problem)).encode("utf-8")).hexdigest()


# =============================================================== plan.json
def _meeting_dict(m: ScheduledMeeting) -> dict[str, Any]:
    return {
        "meeting": m.meeting,
        "network": m.network,
        "seq": m.seq,
        "date": m.date.isoformat(),
        "start": fmt_time(m.start),
        "end": fmt_time(m.end),
        "venue": m.venue,
        "session": m.session,
        "attendees": list(m.attendees),
    }


def _meeting_from(d: Mapping[str, Any]) -> ScheduledMeeting:
    return ScheduledMeeting(
        meeting=str(d["meeting"]),
        network=str(d["network"]),
        seq=int(d["seq"]),
        date=date.fromisoformat(d["date"]),
        start=_time_from(d["start"]),
        end=_time_from(d["end"]),
        venue=str(d["venue"]),
        session=str(d["session"]),
        attendees=tuple(str(a) for a in d["attendees"]),
    )


def plan_dict(
    problem: Problem,
    schedule: Schedule,
    *,
    solver: SolverInfo | None,
    report: CheckReport,
    baseline: CheckReport | None,
) -> dict[str, Any]:
    """The content of ``plan.json`` as a dict (see :func:`write_plan_json`)."""
    pdict = problem_to_dict(problem)
    figures = report.figures_dict()
    base = baseline.figures_dict() if baseline is not None else None
    return {
        "format": PLAN_FORMAT,
        "format_version": PLAN_FORMAT_VERSION,
        "dakpan_version": __version__,
        "input_hash": hashlib.sha256(canonical_json(pdict).encode("utf-8")).hexdigest(),
        "settings": pdict["settings"],
        "solver": solver.to_dict() if solver is not None else None,
        "figures": figures,
        "baseline": base,
        "ratios": ratios(figures, base) if base is not None else None,
        "meetings": [
            _meeting_dict(m) for m in sorted(schedule.meetings, key=ScheduledMeeting.sort_key)
        ],
        "problem": pdict,
    }


def write_plan_json(
    path: str | Path,
    problem: Problem,
    schedule: Schedule,
    *,
    solver: SolverInfo | None,
    report: CheckReport,
    baseline: CheckReport | None,
) -> None:
    """Write ``plan.json``.

    Keys, in order: ``format`` (``"dakpan-plan"``), ``format_version``,
    ``dakpan_version``, ``input_hash``, ``settings``, ``solver``
    (:meth:`SolverInfo.to_dict` or ``null``), ``figures``
    (:meth:`~planner.check.CheckReport.figures_dict` of ``report``),
    ``baseline`` (the same for the baseline, or ``null``), ``ratios``
    (:func:`planner.check.ratios`, or ``null``), ``meetings`` (as in
    ``schedule.csv``, attendees as a list) and ``problem``
    (:func:`problem_to_dict`). UTF-8, indented by 2, ``\\n`` line ends.

    Parameters
    ----------
    path
        File to write.
    problem, schedule
        The plan.
    solver
        How it was found (``None`` for a hand-made schedule).
    report
        ``check(problem, schedule)``.
    baseline
        ``check(problem, baseline(problem))``, or ``None``.
    """
    data = plan_dict(problem, schedule, solver=solver, report=report, baseline=baseline)
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    Path(path).write_bytes(text.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Plan:
    """A plan folder read back by :func:`read_plan`.

    Attributes
    ----------
    problem
        The input problem embedded in ``plan.json``.
    schedule
        The meetings (from ``plan.json``, or ``schedule.csv`` if asked).
    solver
        How it was found, or ``None``.
    figures
        ``plan.json``'s figures (as :meth:`~planner.check.CheckReport.figures_dict`).
    baseline
        The baseline's figures, or ``None``.
    ratios
        Plan / baseline per headline figure, or ``None``.
    input_hash
        The hash recorded in ``plan.json``.
    dakpan_version
        The dakpan version that wrote it.
    format_version
        Its ``plan.json`` layout version.
    """

    problem: Problem
    schedule: Schedule
    solver: SolverInfo | None
    figures: Mapping[str, Any]
    baseline: Mapping[str, Any] | None
    ratios: Mapping[str, float | None] | None
    input_hash: str
    dakpan_version: str
    format_version: int

    @property
    def hash_matches(self) -> bool:
        """Whether the recorded hash is the hash of the embedded problem."""
        return self.input_hash == input_hash(self.problem)


def read_plan(plan_dir: str | Path, *, schedule_from_csv: bool = False) -> Plan:
    """Read a plan folder (its ``plan.json``).

    Parameters
    ----------
    plan_dir
        The folder (or its ``plan.json`` itself).
    schedule_from_csv
        Take the meetings from the folder's ``schedule.csv`` (which people may
        have edited) instead of from ``plan.json``; the figures stay those of
        ``plan.json``.

    Returns
    -------
    Plan
        Problem, schedule, solver info and figures.

    Raises
    ------
    InputError
        If the folder holds no readable ``plan.json`` (or ``schedule.csv`` when
        asked for), naming the file and, where known, the line or key.
    """
    folder = Path(plan_dir)
    path = folder if folder.is_file() else folder / PLAN_JSON
    if path.is_file():
        folder = path.parent
    label = str(path)
    try:
        text = read_file_bytes(path).decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            [InputIssue(label, None, None, f"does not exist: {folder} is not a plan folder")]
        ) from None
    except (OSError, ValueError) as exc:
        raise InputError([InputIssue(label, None, None, f"cannot be read: {exc}")]) from None
    deep = json_depth_problem(text)
    if deep is not None:
        raise InputError([InputIssue(label, None, None, deep)])
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError([InputIssue(label, None, None, "is nested too deeply")]) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            [InputIssue(label, exc.lineno, None, f"not valid JSON: {exc.msg} (column {exc.colno})")]
        ) from None
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise InputError(
            [InputIssue(label, None, "format", f'not a dakpan plan (no "format": "{PLAN_FORMAT}")')]
        )
    version = data.get("format_version")
    if not isinstance(version, int) or version > PLAN_FORMAT_VERSION:
        raise InputError(
            [
                InputIssue(
                    label,
                    None,
                    "format_version",
                    f"format version {version!r} is not supported (this dakpan reads up to "
                    f"{PLAN_FORMAT_VERSION}; written by dakpan {data.get('dakpan_version')})",
                )
            ]
        )
    key = "problem"
    try:
        problem = problem_from_dict(data["problem"])
        key = "meetings"
        found = []
        for i, m in enumerate(data["meetings"]):
            key = f"meetings[{i}]" + (f" ({m.get('meeting')})" if isinstance(m, dict) else "")
            found.append(_meeting_from(m))
        key = "meetings"
        meetings = tuple(found)
        key = "solver"
        solver = SolverInfo.from_dict(data["solver"]) if data.get("solver") is not None else None
        key = "figures"
        figures = dict(data["figures"])
        baseline = dict(data["baseline"]) if data.get("baseline") is not None else None
        plan_ratios = dict(data["ratios"]) if data.get("ratios") is not None else None
        key = "input_hash"
        recorded = str(data["input_hash"])
    except KeyError as exc:
        raise InputError(
            [InputIssue(label, None, key, f"key {exc.args[0]!r} is missing")]
        ) from None
    except (TypeError, ValueError, AttributeError) as exc:
        messages = exc.messages if isinstance(exc, ProblemError) else [str(exc)]
        raise InputError([InputIssue(label, None, key, m) for m in messages]) from None
    schedule = Schedule(tuple(sorted(meetings, key=ScheduledMeeting.sort_key)))
    if schedule_from_csv:
        schedule = read_schedule_csv(folder / SCHEDULE_CSV, problem)
    return Plan(
        problem=problem,
        schedule=schedule,
        solver=solver,
        figures=figures,
        baseline=baseline,
        ratios=plan_ratios,
        input_hash=recorded,
        dakpan_version=str(data.get("dakpan_version", "")),
        format_version=version,
    )


# =============================================================== plan folder
#: The output path may not be written (see :func:`planner.outdir.folder_problem`).
PlanFolderError = OutputFolderError


@contextmanager
def atomic_output_dir(out: str | Path) -> Iterator[Path]:
    """Write a plan folder atomically: yield a temporary sibling, then swap it into place.

    See :func:`planner.outdir.atomic_folder`: ``out`` may be missing, empty
    or a plan folder dakpan wrote; it always holds the old or the new plan;
    only dakpan's own files of the old plan are removed.

    Parameters
    ----------
    out
        The folder to create or replace.

    Yields
    ------
    Path
        The temporary folder to write into.

    Raises
    ------
    PlanFolderError
        (before anything is written) if ``out`` may not be replaced.
    """
    with atomic_folder(out, owned=PLAN_FILES, kind="plan") as tmp:
        yield tmp


def _write_workbook(
    folder: Path, problem: Problem, schedule: Schedule, report: CheckReport, base: CheckReport
) -> None:
    """Write ``schedule.xlsx`` (see :mod:`planner.workbook`) into a plan folder."""
    from planner.workbook import workbook_writer

    workbook_writer(problem, schedule, report, base)(folder)


def write_plan_folder(
    out: str | Path,
    problem: Problem,
    schedule: Schedule,
    *,
    solver: SolverInfo | None = None,
    extra: Sequence[Callable[[Path], None]] = (),
    report: CheckReport | None = None,
    baseline_report: CheckReport | None = None,
) -> CheckReport:
    """Write a plan folder atomically: ``schedule.csv``, ``schedule.xlsx``, ``plan.json``, extras.

    Parameters
    ----------
    out
        The folder to create or replace (see :func:`atomic_output_dir`).
    problem, schedule
        The plan.
    solver
        How it was found, or ``None``.
    extra
        Writers called with the temporary folder after the two files (e.g.
        for ``ics/`` and ``report.html``); if one raises, nothing is written.
    report
        ``check(problem, schedule)`` if already computed (else computed here).
    baseline_report
        The baseline's check report if already computed (else the baseline
        is built and checked here).

    Returns
    -------
    CheckReport
        The check report of ``schedule``.
    """
    if report is None:
        report = check(problem, schedule)
    if baseline_report is None:
        baseline_report = check(problem, build_baseline(problem))
    with atomic_output_dir(out) as tmp:
        write_schedule_csv(tmp / SCHEDULE_CSV, schedule)
        _write_workbook(tmp, problem, schedule, report, baseline_report)
        write_plan_json(
            tmp / PLAN_JSON,
            problem,
            schedule,
            solver=solver,
            report=report,
            baseline=baseline_report,
        )
        for writer in extra:
            writer(tmp)
    return report
