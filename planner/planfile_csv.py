"""``schedule.csv``: writing it byte for byte the same, and reading it back tolerantly.

The layout and the tolerance of :func:`read_schedule_csv` are described in
:mod:`planner.planfile`, which offers every name of this module; a path
ending in ``.xlsx`` is read through :func:`planner.workbook.read_schedule_sheet`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from planner.problem import Problem, fmt_time
from planner.read import InputError, InputIssue, parse_date, parse_int, parse_time, read_csv_table
from planner.safety import neutralise_cell
from planner.schedule import Schedule, ScheduledMeeting, meeting_id, session_id

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
    # date, start, venue; meetings that start together at one venue keep the file's
    # row order, which the contract's rooms rule counts by ("then of schedule row")
    return Schedule(tuple(sorted(meetings, key=lambda m: (m.date, m.start, m.venue))))
