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
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from planner.check import CheckReport
from planner.problem import Problem
from planner.schedule import Schedule
from planner.texts import language_or_default
from planner.workbook_views import (
    SCHEDULE_SHEET,
    SCHEDULE_SHEET_COLUMNS,
    Sheet,
    sessions_holding,
    workbook_sheets,
)

__all__ = [
    "SCHEDULE_SHEET",
    "SCHEDULE_SHEET_COLUMNS",
    "SCHEDULE_XLSX",
    "Sheet",
    "is_dangerous",
    "read_schedule_sheet",
    "schedule_workbook_bytes",
    "sessions_holding",
    "workbook_sheets",
    "workbook_writer",
    "write_schedule_workbook",
]

SCHEDULE_XLSX = "schedule.xlsx"
"""File name of the workbook in a plan folder."""

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


def is_dangerous(text: str) -> bool:
    """Whether Excel would read ``text`` typed into a cell as a formula or command."""
    return text.startswith(_DANGEROUS)


# -------------------------------------------------------------------- writing
def _put(cell: Any, value: Any, date_format: str) -> int:
    """Store one value in a cell, with its number format or quote prefix; the width it needs."""
    _style_for(cell, value, date_format)
    return _put_value(cell, value)


def _put_value(cell: Any, value: Any) -> int:
    """Store one value in a cell, without styling it; the width it needs."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever it starts with
        return len(value)
    if isinstance(value, date):
        return 10
    if isinstance(value, time):
        return 5
    return len(str(value)) if value is not None else 0


def _style_for(cell: Any, value: Any, date_format: str) -> None:
    """The number format (dates, times) or quote prefix (text Excel would run) of a value."""
    if isinstance(value, str):
        if is_dangerous(value):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    elif isinstance(value, date):
        cell.number_format = date_format
    elif isinstance(value, time):
        cell.number_format = _TIME_FORMAT


def _style_key(value: Any) -> str:
    """Which of :func:`_style_for`'s styles a value gets."""
    if isinstance(value, str):
        return "quoted" if is_dangerous(value) else "text"
    if isinstance(value, date):
        return "date"
    return "time" if isinstance(value, time) else "plain"


def _write_sheet(ws: Any, sheet: Sheet, colours: dict[str, Any], date_format: str) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    widths = [len(h) for h in sheet.header]
    styled: dict[tuple[int, str], Any] = {}
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
            widths[j - 1] = max(widths[j - 1], _put_value(cell, value))
            # Setting a fill or format makes openpyxl hash the style objects;
            # a cell styled like an earlier one copies that one's style
            # indices instead (same bytes; a 34,000-row workbook: 16.5 s -> 9.2 s).
            key = (id(fill), _style_key(value))
            done = styled.get(key)
            if done is None:
                _style_for(cell, value, date_format)
                if fill is not None:
                    cell.fill = fill
                styled[key] = copy(cell._style)
            else:
                cell._style = copy(done)
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
