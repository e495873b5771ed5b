"""``schedule.xlsx``: the plan as the workbook a coordinator passes around.

:func:`write_schedule_workbook` writes one sheet per view:

``schedule``
    The year by date. Its first nine columns are exactly those of
    ``schedule.csv`` (contract v1.1 "Schedule workbook": an edited copy is
    accepted wherever a ``schedule.csv`` is), followed by columns for people
    (weekday, network and venue names, relay order in the session, attendee
    names) that the readers ignore.
per network, per person, per venue
    The same meetings seen from each network, person (their own dates,
    venues and the day's travel) and venue.
figures
    The plan's headline figures beside the baseline's, and their ratio.
relay wishes
    Only when the problem has relay wishes (a ``together`` table).

Headers are Dutch (English when ``language = en``), except the contract's
column names on sheet ``schedule``. Dates and times are real Excel dates and
times; every sheet has a frozen header row, a filter and column widths; every
network has its own colour. Text from the input is always stored as text:
one that starts with ``= + - @`` (or a tab or carriage return) is marked so
that Excel shows it and never evaluates it.

The file is deterministic: the same plan gives the same bytes (the zip
entries and the document properties carry a fixed time stamp).

:func:`read_schedule_sheet` reads the ``schedule`` sheet of such a workbook
back as the header and rows :func:`planner.planfile.read_schedule_csv` parses.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from planner.check import FIGURE_NAMES, CheckReport, day_figures, headline, ratios
from planner.problem import Problem, Role
from planner.schedule import Schedule, ScheduledMeeting
from planner.texts import WEEKDAYS_SHORT, language_or_default

SCHEDULE_XLSX = "schedule.xlsx"
"""File name of the workbook in a plan folder."""

SCHEDULE_SHEET = "schedule"
"""The sheet that holds the schedule (contract v1.1)."""

SCHEDULE_SHEET_COLUMNS: tuple[str, ...] = (
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
"""The contract's columns of ``schedule.csv``, first on sheet ``schedule``."""

PALETTE: tuple[str, ...] = (
    "DDEBF7",
    "FCE4D6",
    "E2EFDA",
    "FFF2CC",
    "EDE1F5",
    "D9F2F2",
    "F8D7E3",
    "E7E6E6",
    "DCE6C8",
    "FBE5C8",
    "D6DCF0",
    "F2DCDB",
)
"""Light fills, one per network in file order (repeating after twelve)."""

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_FIXED_STAMP = datetime(2000, 1, 1)
_ZIP_STAMP = (1980, 1, 1, 0, 0, 0)
_DATE_FORMAT = {"nl": "dd-mm-yyyy", "en": "yyyy-mm-dd"}
_TIME_FORMAT = "hh:mm"

_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "by_network": "per netwerk",
        "by_person": "per persoon",
        "by_venue": "per locatie",
        "figures": "kengetallen",
        "wishes": "estafettewensen",
        "weekday": "dag",
        "network_name": "netwerk (naam)",
        "venue_name": "locatie (naam)",
        "order": "volgorde",
        "attendee_names": "deelnemers (namen)",
        "network": "netwerk",
        "person": "persoon",
        "venue": "locatie",
        "name": "naam",
        "date": "datum",
        "start": "begin",
        "end": "einde",
        "session": "sessie",
        "seq": "nr",
        "role": "rol",
        "travel_km": "reiskm die dag",
        "networks": "netwerken",
        "meetings": "vergaderingen",
        "figure": "kengetal",
        "plan": "plan",
        "baseline": "ieder apart",
        "ratio": "verhouding",
        "times": "keer gewenst",
        "ordered": "op volgorde",
        "hard": "harde eis",
        "held": "keer gehaald",
        "met": "gehaald",
        "yes": "ja",
        "no": "nee",
        "required": "verplicht",
        "optional": "optioneel",
    },
    "en": {
        "by_network": "by network",
        "by_person": "by person",
        "by_venue": "by venue",
        "figures": "figures",
        "wishes": "relay wishes",
        "weekday": "day",
        "network_name": "network (name)",
        "venue_name": "venue (name)",
        "order": "order",
        "attendee_names": "attendees (names)",
        "network": "network",
        "person": "person",
        "venue": "venue",
        "name": "name",
        "date": "date",
        "start": "start",
        "end": "end",
        "session": "session",
        "seq": "no",
        "role": "role",
        "travel_km": "travel km that day",
        "networks": "networks",
        "meetings": "meetings",
        "figure": "figure",
        "plan": "plan",
        "baseline": "baseline",
        "ratio": "ratio",
        "times": "times wanted",
        "ordered": "in order",
        "hard": "hard rule",
        "held": "times held",
        "met": "met",
        "yes": "yes",
        "no": "no",
        "required": "required",
        "optional": "optional",
    },
}


# ------------------------------------------------------------------- sheets
@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet to write: title, header, rows and the network of each row (for its colour)."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    networks: tuple[str | None, ...] = ()


def is_dangerous(text: str) -> bool:
    """Whether Excel would read ``text`` typed into a cell as a formula or command."""
    return text.startswith(_DANGEROUS)


def _minutes_time(minutes: int) -> time:
    return time(23, 59) if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)


def _relay_order(schedule: Schedule) -> dict[str, int]:
    """Position (1, 2, ...) of each meeting in its session, by start then network."""
    by_session: dict[str, list[ScheduledMeeting]] = {}
    for m in schedule:
        by_session.setdefault(m.session, []).append(m)
    out: dict[str, int] = {}
    for items in by_session.values():
        for k, m in enumerate(sorted(items, key=ScheduledMeeting.sort_key), start=1):
            out[m.meeting] = k
    return out


class _Views:
    """Builds the rows of every sheet for one problem and schedule."""

    def __init__(self, problem: Problem, schedule: Schedule) -> None:
        self.p = problem
        self.s = schedule
        self.lang = language_or_default(problem.settings.language)
        self.t = _TEXTS[self.lang]
        self.order = _relay_order(schedule)
        self.meetings = sorted(schedule.meetings, key=ScheduledMeeting.sort_key)

    def net_name(self, nid: str) -> str:
        net = self.p.network_by_id.get(nid)
        return net.name if net is not None else nid

    def venue_name(self, vid: str) -> str:
        v = self.p.venue_by_id.get(vid)
        return v.name if v is not None else vid

    def person_name(self, pid: str) -> str:
        person = self.p.person_by_id.get(pid)
        return person.name if person is not None else pid

    def weekday(self, day: date) -> str:
        return WEEKDAYS_SHORT[self.lang][day.weekday()]

    def schedule_sheet(self) -> Sheet:
        t = self.t
        header = (
            *SCHEDULE_SHEET_COLUMNS,
            t["weekday"],
            t["network_name"],
            t["venue_name"],
            t["order"],
            t["attendee_names"],
        )
        rows = tuple(
            (
                m.meeting,
                m.network,
                m.seq,
                m.date,
                _minutes_time(m.start),
                _minutes_time(m.end),
                m.venue,
                m.session,
                ";".join(m.attendees),
                self.weekday(m.date),
                self.net_name(m.network),
                self.venue_name(m.venue),
                self.order[m.meeting],
                "; ".join(self.person_name(a) for a in m.attendees),
            )
            for m in self.meetings
        )
        return Sheet(SCHEDULE_SHEET, header, rows, tuple(m.network for m in self.meetings))

    def network_sheet(self) -> Sheet:
        t = self.t
        rank = {n.id: i for i, n in enumerate(self.p.networks)}
        items = sorted(self.meetings, key=lambda m: (rank.get(m.network, len(rank)), m.seq))
        header = (
            t["network"],
            t["name"],
            t["seq"],
            t["date"],
            t["weekday"],
            t["start"],
            t["end"],
            t["venue"],
            t["session"],
            t["order"],
        )
        rows = tuple(
            (
                m.network,
                self.net_name(m.network),
                m.seq,
                m.date,
                self.weekday(m.date),
                _minutes_time(m.start),
                _minutes_time(m.end),
                self.venue_name(m.venue),
                m.session,
                self.order[m.meeting],
            )
            for m in items
        )
        return Sheet(t["by_network"], header, rows, tuple(m.network for m in items))

    def person_sheet(self) -> Sheet:
        t = self.t
        km = {(d.person, d.date): round(d.travel_km, 1) for d in day_figures(self.p, self.s)}
        roles = {(ms.person, ms.network): ms.role for ms in self.p.memberships}
        header = (
            t["person"],
            t["name"],
            t["date"],
            t["weekday"],
            t["start"],
            t["end"],
            t["network"],
            t["venue"],
            t["role"],
            t["travel_km"],
        )
        rows: list[tuple[Any, ...]] = []
        nets: list[str | None] = []
        for person in self.p.people:
            for m in self.meetings:
                if person.id not in m.attendees:
                    continue
                role = roles.get((person.id, m.network), Role.REQUIRED)
                rows.append(
                    (
                        person.id,
                        person.name,
                        m.date,
                        self.weekday(m.date),
                        _minutes_time(m.start),
                        _minutes_time(m.end),
                        self.net_name(m.network),
                        self.venue_name(m.venue),
                        t[role.value],
                        km.get((person.id, m.date), 0.0),
                    )
                )
                nets.append(m.network)
        return Sheet(t["by_person"], header, tuple(rows), tuple(nets))

    def venue_sheet(self) -> Sheet:
        t = self.t
        rank = {v.id: i for i, v in enumerate(self.p.venues)}
        items = sorted(self.meetings, key=lambda m: (rank.get(m.venue, len(rank)), m.sort_key()))
        header = (
            t["venue"],
            t["name"],
            t["date"],
            t["weekday"],
            t["start"],
            t["end"],
            t["network"],
            t["session"],
            t["order"],
        )
        rows = tuple(
            (
                m.venue,
                self.venue_name(m.venue),
                m.date,
                self.weekday(m.date),
                _minutes_time(m.start),
                _minutes_time(m.end),
                self.net_name(m.network),
                m.session,
                self.order[m.meeting],
            )
            for m in items
        )
        return Sheet(t["by_venue"], header, rows, tuple(m.network for m in items))

    def figures_sheet(self, report: CheckReport, baseline: CheckReport | None) -> Sheet:
        t = self.t
        plan = report.figures_dict()
        base = baseline.figures_dict() if baseline is not None else None
        ratio = ratios(plan, base) if base is not None else {}
        mine = headline(plan)
        rows = tuple(
            (
                name,
                mine[name],
                base[name] if base is not None else None,
                ratio.get(name),
            )
            for name in FIGURE_NAMES
        )
        return Sheet(t["figures"], (t["figure"], t["plan"], t["baseline"], t["ratio"]), rows)

    def wishes_sheet(self, wishes: Sequence[Any]) -> Sheet:
        t = self.t
        rows = []
        for wish in wishes:
            networks = tuple(str(n) for n in getattr(wish, "networks", ()))
            times = int(getattr(wish, "times", 1))
            ordered = bool(getattr(wish, "order", False))
            held = sessions_holding(self.s, networks, ordered=ordered)
            rows.append(
                (
                    "; ".join(self.net_name(n) for n in networks),
                    times,
                    t["yes"] if ordered else t["no"],
                    t["yes"] if bool(getattr(wish, "hard", False)) else t["no"],
                    held,
                    t["yes"] if held >= times else t["no"],
                )
            )
        header = (t["networks"], t["times"], t["ordered"], t["hard"], t["held"], t["met"])
        return Sheet(t["wishes"], header, tuple(rows))


def sessions_holding(schedule: Schedule, networks: Sequence[str], *, ordered: bool) -> int:
    """How many sessions hold a relay wish (contract v1.1 ``together``).

    A session holds it when every listed network has a meeting there; with
    ``ordered``, the first meeting of each listed network starts at or after
    the end of the previous network's first meeting there.

    Parameters
    ----------
    schedule
        The meetings.
    networks
        The wish's networks, in its order.
    ordered
        Whether the wish asks for this order, back to back.

    Returns
    -------
    int
        The number of (date, venue) sessions that hold it.
    """
    first: dict[tuple[date, str], dict[str, ScheduledMeeting]] = {}
    for m in sorted(schedule.meetings, key=ScheduledMeeting.sort_key):
        first.setdefault((m.date, m.venue), {}).setdefault(m.network, m)
    count = 0
    for found in first.values():
        if not all(n in found for n in networks):
            continue
        chain = [found[n] for n in networks]
        if ordered and any(b.start < a.end for a, b in itertools.pairwise(chain)):
            continue
        count += 1
    return count


def workbook_sheets(
    problem: Problem,
    schedule: Schedule,
    report: CheckReport,
    baseline: CheckReport | None = None,
) -> list[Sheet]:
    """Every sheet of ``schedule.xlsx``, in order (see the module docstring).

    Parameters
    ----------
    problem, schedule
        The plan.
    report
        ``check(problem, schedule)``.
    baseline
        The baseline's check report, or ``None`` (then its column is empty).

    Returns
    -------
    list[Sheet]
        ``schedule``, per network, per person, per venue, figures and, when
        the problem has relay wishes, the wishes.
    """
    v = _Views(problem, schedule)
    sheets = [
        v.schedule_sheet(),
        v.network_sheet(),
        v.person_sheet(),
        v.venue_sheet(),
        v.figures_sheet(report, baseline),
    ]
    wishes = tuple(getattr(problem, "together", ()) or ())
    if wishes:
        sheets.append(v.wishes_sheet(wishes))
    return sheets


# -------------------------------------------------------------------- writing
def _put(cell: Any, value: Any, date_format: str) -> int:
    """Store one value in a cell; the width it needs."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever it starts with
        if is_dangerous(value):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
        return len(value)
    cell.value = value
    if isinstance(value, date):
        cell.number_format = date_format
        return 10
    if isinstance(value, time):
        cell.number_format = _TIME_FORMAT
        return 5
    return len(str(value)) if value is not None else 0


def _write_sheet(ws: Any, sheet: Sheet, colours: dict[str, Any], date_format: str) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    widths = [len(h) for h in sheet.header]
    bold = Font(bold=True)
    for j, text in enumerate(sheet.header, start=1):
        cell = ws.cell(row=1, column=j)
        _put(cell, text, date_format)
        cell.font = bold
    for i, row in enumerate(sheet.rows, start=2):
        fill = None
        if i - 2 < len(sheet.networks):
            nid = sheet.networks[i - 2]
            fill = colours.get(nid) if nid is not None else None
        for j, value in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j)
            widths[j - 1] = max(widths[j - 1], _put(cell, value, date_format))
            if fill is not None:
                cell.fill = fill
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 4) + 2, 60)
    ws.freeze_panes = "A2"
    last = get_column_letter(len(sheet.header))
    ws.auto_filter.ref = f"A1:{last}{max(len(sheet.rows) + 1, 1)}"


def _deterministic(data: bytes) -> bytes:
    """The same zip with fixed entry time stamps and document dates."""
    out = io.BytesIO()
    stamp = _FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rf"\g<1>{stamp}\2",
                    text,
                )
                body = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_STAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def schedule_workbook_bytes(
    sheets: Iterable[Sheet], *, language: str = "nl", network_order: Sequence[str] = ()
) -> bytes:
    """The bytes of an ``.xlsx`` holding ``sheets`` (see the module docstring).

    Parameters
    ----------
    sheets
        The sheets, in order.
    language
        ``nl`` (dates shown ``dd-mm-yyyy``) or ``en`` (``yyyy-mm-dd``).
    network_order
        Networks in the order they take the palette's colours; networks not
        listed follow in order of first appearance.
    """
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    sheets = list(sheets)
    lang = language_or_default(language)
    order: list[str] = list(network_order)
    for sheet in sheets:
        order.extend(n for n in sheet.networks if n is not None and n not in order)
    colours = {
        nid: PatternFill(
            "solid", start_color=PALETTE[k % len(PALETTE)], end_color=PALETTE[k % len(PALETTE)]
        )
        for k, nid in enumerate(order)
    }
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        _write_sheet(wb.create_sheet(sheet.title), sheet, colours, _DATE_FORMAT[lang])
    wb.properties.creator = "dakpan"
    wb.properties.created = _FIXED_STAMP
    wb.properties.modified = _FIXED_STAMP
    buf = io.BytesIO()
    wb.save(buf)
    return _deterministic(buf.getvalue())


def write_schedule_workbook(
    path: str | Path,
    problem: Problem,
    schedule: Schedule,
    report: CheckReport,
    baseline: CheckReport | None = None,
) -> None:
    """Write ``schedule.xlsx`` for a plan (see the module docstring).

    Parameters
    ----------
    path
        The file to write (replaced if present).
    problem, schedule
        The plan; network colours follow the problem's network order.
    report
        ``check(problem, schedule)``.
    baseline
        The baseline's check report, or ``None``.
    """
    data = schedule_workbook_bytes(
        workbook_sheets(problem, schedule, report, baseline),
        language=problem.settings.language,
        network_order=[n.id for n in problem.networks],
    )
    Path(path).write_bytes(data)


def workbook_writer(
    problem: Problem,
    schedule: Schedule,
    report: CheckReport,
    baseline: CheckReport | None = None,
) -> Callable[[Path], None]:
    """A writer of ``<plan folder>/schedule.xlsx`` for a plan folder's extra writers."""

    def write(plan_dir: Path) -> None:
        write_schedule_workbook(plan_dir / SCHEDULE_XLSX, problem, schedule, report, baseline)

    return write


# -------------------------------------------------------------------- reading
def read_schedule_sheet(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The ``schedule`` sheet of a workbook as the header and rows of a CSV file.

    Dates and times typed by Excel become ``YYYY-MM-DD`` and ``HH:MM``; text
    stays as it is.

    Parameters
    ----------
    path
        The ``.xlsx`` file.

    Returns
    -------
    tuple[list[str], list[tuple[int, list[str]]]]
        As :func:`planner.read.read_csv_table` returns them.

    Raises
    ------
    ValueError
        When the file is not a workbook or has no sheet ``schedule``; the
        message follows the file's name.
    """
    import openpyxl

    from planner.read import sheet_rows_as_text

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise ValueError(
            f"cannot be read as an Excel workbook ({type(exc).__name__}: {exc})"
        ) from None
    try:
        sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
        ws = sheets.get(SCHEDULE_SHEET)
        if ws is None:
            found = ", ".join(w.title for w in wb.worksheets)
            raise ValueError(f"has no sheet {SCHEDULE_SHEET!r} (sheets found: {found})")
        values = [list(row) for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    return sheet_rows_as_text(values)
