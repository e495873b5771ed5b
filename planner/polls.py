"""Date-poll exports read as who cannot come when: Rallly, Framadate and Doodle.

Each reader turns one export into :class:`Ballot` s: one per voter, with the
options they answered "No" and "If need be". An option is a whole date or a
time range on one date (:class:`Option`), in the problem's time zone.

Rallly (CSV)
    Header ``Name,Email,Responded on (<time zone>)`` (Dutch ``Naam``,
    ``E-mail``, ``Gereageerd op``), then one column per option: a date like
    ``Tue 14 Sep 2027`` (Dutch ``di 14 sep 2027``), optionally followed by
    ``HH:mm - HH:mm``. Cells ``Yes`` / ``If need be`` / ``No`` (``Ja`` /
    ``Optioneel`` / ``Nee``); an empty cell is no answer. Slot times are in
    the header's time zone and converted to the problem's.
Framadate (CSV)
    Row 1: an empty cell, then each option's date (repeated per time slot);
    row 2: an empty cell, then the slot labels (``HH:MM-HH:MM``, or empty for
    the whole day); then one row per voter: name, ``Yes`` / ``Ifneedbe`` /
    ``No`` (localised). A cell starting with ``'`` followed by ``= + - @``
    loses the ``'`` (Framadate's guard against formulas).
Doodle (CSV or XLSX)
    A title row, a URL row, a month row (``September 2027``), a day row
    (``Mon 20``), a time-range row (``9:00 AM – 10:00 AM``, or empty), one row
    per participant with ``OK``, ``(OK)`` or empty (empty is "No"), and a final
    ``Count`` row.

Faults raise :class:`~planner.read.InputError` naming file, row and column
(as Excel numbers them: the first row is 1, columns ``A``, ``B``, ...).
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.problem import fmt_time
from planner.read import InputError, InputIssue

__all__ = [
    "Answer",
    "Ballot",
    "Option",
    "column_letter",
    "local_options",
    "read_doodle",
    "read_framadate",
    "read_poll",
    "read_rallly",
]


class Answer(enum.Enum):
    """A voter's answer to one option."""

    YES = "yes"
    IF_NEED_BE = "if_need_be"
    NO = "no"


@dataclass(frozen=True, slots=True, order=True)
class Option:
    """A whole date (``start`` and ``end`` ``None``) or a time range on one date.

    ``start`` and ``end`` are minutes after midnight (``end`` at most 1440).
    """

    day: date
    start: int | None = None
    end: int | None = None

    @property
    def whole_day(self) -> bool:
        """Whether the option is the whole date."""
        return self.start is None

    def item(self) -> str:
        """The ``unavailable`` list item: ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM-HH:MM``."""
        if self.start is None or self.end is None:
            return self.day.isoformat()
        return f"{self.day.isoformat()} {fmt_time(self.start)}-{fmt_time(self.end)}"


@dataclass(frozen=True, slots=True)
class Ballot:
    """One voter's answers in one export (or one person's busy times).

    Attributes
    ----------
    source
        Where it was read, e.g. ``poll.csv row 4``.
    name, email
        As the voter gave them (``email`` may be empty).
    no
        Options answered "No" (or busy times).
    if_need_be
        Options answered "If need be".
    person
        A person id already known (``--person``, or a calendar's file name), else ``None``.
    """

    source: str
    name: str
    email: str = ""
    no: tuple[Option, ...] = ()
    if_need_be: tuple[Option, ...] = ()
    person: str | None = None


_ANSWERS: dict[str, Answer] = {
    **dict.fromkeys(("yes", "ja", "oui", "ok", "si", "sí"), Answer.YES),
    **dict.fromkeys(
        (
            "if need be",
            "ifneedbe",
            "if_need_be",
            "optioneel",
            "indien nodig",
            "misschien",
            "(ok)",
            "si nécessaire",
            "wenn nötig",
        ),
        Answer.IF_NEED_BE,
    ),
    **dict.fromkeys(("no", "nee", "non", "nein"), Answer.NO),
}

_MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        "jan january januari",
        "feb february februari",
        "mar march mrt maart",
        "apr april",
        "may mei",
        "jun june juni",
        "jul july juli",
        "aug august augustus",
        "sep sept september",
        "oct october okt oktober",
        "nov november",
        "dec december",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _i

_CLOCK = re.compile(r"(\d{1,2})(?:[:.h](\d{2}))?\s*([ap]\.?m\.?)?", re.IGNORECASE)
_RANGE = re.compile(r"(.+?)\s*[-–—]\s*(.+)")
_TEXT_DATE = re.compile(r"(?:[^\W\d]+\.?,?\s+)?(\d{1,2})\s+([^\W\d]+)\.?,?\s+(\d{4})(.*)")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(.*)")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(.*)")


def column_letter(index: int) -> str:
    """Excel's name of the 0-based column ``index`` (``0`` is ``A``, ``26`` is ``AA``)."""
    out = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


class _Issues:
    """Collects located faults of one file."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.items: list[tuple[int, int, InputIssue]] = []

    def add(self, row: int | None, col: int | None, message: str) -> None:
        column = column_letter(col) if col is not None else None
        issue = InputIssue(self.label, row, column, message)
        self.items.append((row or 0, -1 if col is None else col, issue))

    def raise_if_any(self) -> None:
        """Raise the faults found, by row and column."""
        if self.items:
            raise InputError([i for _, _, i in sorted(self.items, key=lambda t: t[:2])])


# ------------------------------------------------------------------ parsing
def _clock(text: str) -> int:
    """Minutes after midnight of ``09:00``, ``9.30``, ``9h30``, ``9:00 AM``, ``24:00``."""
    m = _CLOCK.fullmatch(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a time (expected HH:MM)")
    hour, minute = int(m[1]), int(m[2] or 0)
    if m[3]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text!r} is not a time")
        hour = hour % 12 + (12 if m[3].lower().startswith("p") else 0)
    if minute > 59 or hour * 60 + minute > 24 * 60:
        raise ValueError(f"{text!r} is not a time of day")
    return hour * 60 + minute


def _time_range(text: str) -> tuple[int, int] | None:
    """``(start, end)`` of ``09:00 - 10:00`` (any dash), ``None`` for an empty text."""
    text = text.strip()
    if not text:
        return None
    m = _RANGE.fullmatch(text)
    if not m:
        raise ValueError(f"{text!r} is not a time range (expected HH:MM-HH:MM)")
    start, end = _clock(m[1]), _clock(m[2])
    if end <= start:
        raise ValueError(f"time range {text!r} ends before it starts")
    return start, end


def _month(name: str) -> int:
    month = _MONTHS.get(name.lower().rstrip("."))
    if month is None:
        raise ValueError(f"{name!r} is not a month name")
    return month


def _option_text(text: str) -> tuple[date, tuple[int, int] | None]:
    """A date, optionally followed by a time range: ``Tue 14 Sep 2027 09:00 - 10:00``."""
    text = text.strip()
    m = _ISO.fullmatch(text)
    if m:
        y, mo, d, rest = int(m[1]), int(m[2]), int(m[3]), m[4]
    elif (m := _DMY.fullmatch(text)) is not None:
        d, mo, y, rest = int(m[1]), int(m[2]), int(m[3]), m[4]
    elif (m := _TEXT_DATE.fullmatch(text)) is not None:
        d, mo, y, rest = int(m[1]), _month(m[2]), int(m[3]), m[4]
    else:
        raise ValueError(f"{text!r} is not a date (expected e.g. 'Tue 14 Sep 2027' or 2027-09-14)")
    try:
        day = date(y, mo, d)
    except ValueError:
        raise ValueError(f"{text!r} is not a date that exists") from None
    return day, _time_range(rest.strip().lstrip(",").strip())


def _answer(text: str) -> Answer | None:
    key = " ".join(text.strip().lower().split())
    if not key:
        return None
    return _ANSWERS.get(key) or _ANSWERS.get(key.replace(" ", ""))


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a known time zone") from None


def local_options(start: datetime, end: datetime, tz: ZoneInfo) -> list[Option]:
    """The time span ``[start, end)`` (aware) as options in ``tz``, split at midnight.

    A part that covers a whole date becomes that whole date.
    """
    a, b = start.astimezone(tz), end.astimezone(tz)
    out: list[Option] = []
    day = a.date()
    while day <= b.date():
        lo = a.hour * 60 + a.minute if day == a.date() else 0
        hi = b.hour * 60 + b.minute + (1 if b.second or b.microsecond else 0)
        hi = hi if day == b.date() else 24 * 60
        seconds = end.timestamp() - start.timestamp()  # real time, whatever the zones
        if hi <= lo < 24 * 60 and a.date() == b.date() and seconds > 0:
            # the hour that repeats when summer time ends: its wall-clock times run back
            hi = min(lo + -(-int(seconds) // 60), 24 * 60)
        if hi > lo:
            out.append(Option(day) if (lo, hi) == (0, 24 * 60) else Option(day, lo, hi))
        day += timedelta(days=1)
    return out


def _options(day: date, slot: tuple[int, int] | None, src: ZoneInfo, dst: ZoneInfo) -> list[Option]:
    """An option given in zone ``src`` as options in zone ``dst``."""
    if slot is None:
        return [Option(day)]
    if src.key == dst.key:
        return [Option(day, slot[0], slot[1])]
    midnight = datetime.combine(day, time(0), tzinfo=src)
    return local_options(
        midnight + timedelta(minutes=slot[0]), midnight + timedelta(minutes=slot[1]), dst
    )


def _csv_rows(path: Path, data: bytes) -> list[list[str]]:
    from planner.read_tables import _decode, _separator

    try:
        text = _decode(data)
    except ValueError as exc:
        raise InputError([InputIssue(path.name, None, None, str(exc))]) from None
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text)))


def _ballot(
    label: str,
    row: int,
    name: str,
    email: str,
    answers: Sequence[tuple[list[Option], Answer]],
) -> Ballot:
    no = sorted({o for opts, a in answers if a is Answer.NO for o in opts})
    maybe = sorted({o for opts, a in answers if a is Answer.IF_NEED_BE for o in opts})
    return Ballot(f"{label} row {row}", name, email, tuple(no), tuple(maybe))


# ------------------------------------------------------------------- Rallly
_RALLLY_NAME = ("name", "naam")
_RALLLY_EMAIL = ("email", "e-mail", "e-mailadres")
_RALLLY_RESPONDED = re.compile(r"(?:responded on|gereageerd op)\s*(?:\((.*)\))?", re.IGNORECASE)


def is_rallly(rows: Sequence[Sequence[str]]) -> bool:
    """Whether CSV rows look like a Rallly export (``Name,Email,...`` or ``Naam,E-mail,...``)."""
    head = [c.strip().lower() for c in rows[0][:2]] if rows else []
    return len(head) == 2 and head[0] in _RALLLY_NAME and head[1] in _RALLLY_EMAIL


def read_rallly(path: Path, rows: Sequence[Sequence[str]], tz: ZoneInfo) -> list[Ballot]:
    """The ballots of a Rallly CSV export (see the module docstring).

    Parameters
    ----------
    path
        The file (for messages).
    rows
        Its CSV rows.
    tz
        The problem's time zone.
    """
    issues = _Issues(path.name)
    header = [c.strip() for c in rows[0]]
    source = tz
    first = 2
    if len(header) > 2 and (m := _RALLLY_RESPONDED.fullmatch(header[2])) is not None:
        first = 3
        if m[1]:
            try:
                source = _zone(m[1].strip())
            except ValueError as exc:
                issues.add(1, 2, str(exc))
    columns: dict[int, list[Option]] = {}
    for j in range(first, len(header)):
        if not header[j]:
            continue
        try:
            day, slot = _option_text(header[j])
        except ValueError as exc:
            issues.add(1, j, str(exc))
            continue
        columns[j] = _options(day, slot, source, tz)
    out: list[Ballot] = []
    for i, row in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        answers = _answers(issues, i, cells, columns)
        email = cells[1] if len(cells) > 1 else ""
        out.append(_ballot(path.name, i, cells[0], email, answers))
    issues.raise_if_any()
    return out


def _answers(
    issues: _Issues, row: int, cells: Sequence[str], columns: dict[int, list[Option]]
) -> list[tuple[list[Option], Answer]]:
    out: list[tuple[list[Option], Answer]] = []
    for j, opts in columns.items():
        text = cells[j] if j < len(cells) else ""
        answer = _answer(text)
        if answer is None and text:
            issues.add(row, j, f"{text!r} is not an answer (expected Yes, If need be or No)")
        elif answer is not None:
            out.append((opts, answer))
    return out


# ---------------------------------------------------------------- Framadate
def _unguard(text: str) -> str:
    """Framadate's ``'=...`` guard removed."""
    text = text.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def is_framadate(rows: Sequence[Sequence[str]]) -> bool:
    """Whether CSV rows look like a Framadate export (an empty first cell, then the dates).

    Doodle's first row is its title, so a first row that starts empty and
    has more cells is taken to be Framadate's (its dates are checked when read).
    """
    if len(rows) < 2 or not rows[0] or rows[0][0].strip():
        return False
    return any(c.strip() for c in rows[0][1:])


def read_framadate(path: Path, rows: Sequence[Sequence[str]], tz: ZoneInfo) -> list[Ballot]:
    """The ballots of a Framadate CSV export (see the module docstring).

    Parameters
    ----------
    path
        The file (for messages).
    rows
        Its CSV rows.
    tz
        The problem's time zone (slots are taken to be in it).
    """
    issues = _Issues(path.name)
    dates, slots = rows[0], rows[1] if len(rows) > 1 else []
    columns: dict[int, list[Option]] = {}
    for j in range(1, len(dates)):
        text = _unguard(dates[j])
        if not text:
            continue
        try:
            day, _ = _option_text(text)
        except ValueError as exc:
            issues.add(1, j, str(exc))
            continue
        label = _unguard(slots[j]) if j < len(slots) else ""
        try:
            slot = _time_range(label)
        except ValueError as exc:
            issues.add(2, j, f"{exc}; a slot must be a time range or empty for the whole day")
            continue
        columns[j] = _options(day, slot, tz, tz)
    out: list[Ballot] = []
    for i, row in enumerate(rows[2:], start=3):
        cells = [_unguard(c) for c in row]
        if not any(cells):
            continue
        out.append(_ballot(path.name, i, cells[0], "", _answers(issues, i, cells, columns)))
    issues.raise_if_any()
    return out


# ------------------------------------------------------------------- Doodle
_DOODLE_DAY = re.compile(r"[^\W\d]+\.?,?\s+(\d{1,2})")
_DOODLE_MONTH = re.compile(r"([^\W\d]+)\.?\s+(\d{4})")
_DOODLE_END = ("count", "aantal", "total", "totaal")
_DOODLE_CELLS = {"ok": Answer.YES, "(ok)": Answer.IF_NEED_BE, "": Answer.NO}


def _doodle_header(
    issues: _Issues, rows: Sequence[Sequence[str]]
) -> tuple[int, dict[int, list[Option]]]:
    """Index of the day row and the options by column."""
    day_row = next(
        (
            i
            for i, r in enumerate(rows)
            if any(c.strip() for c in r[1:])
            and all(_DOODLE_DAY.fullmatch(c.strip()) for c in r[1:] if c.strip())
        ),
        None,
    )
    if day_row is None or day_row == 0:
        message = "has no day row like 'Mon 20' below a month row (is it a poll export?)"
        raise InputError([InputIssue(issues.label, None, None, message)])
    months, days = rows[day_row - 1], rows[day_row]
    times = rows[day_row + 1] if day_row + 1 < len(rows) else []
    columns: dict[int, list[Option]] = {}
    month: tuple[int, int] | None = None
    for j in range(1, len(days)):
        mtext = months[j].strip() if j < len(months) else ""
        if mtext:
            m = _DOODLE_MONTH.fullmatch(mtext)
            try:
                month = (int(m[2]), _month(m[1])) if m else None
            except ValueError:
                month = None
            if month is None:
                issues.add(day_row, j, f"{mtext!r} is not a month like 'September 2027'")
        dm = _DOODLE_DAY.fullmatch(days[j].strip())
        if dm is None or month is None:
            continue
        try:
            day = date(month[0], month[1], int(dm[1]))
            slot = _time_range(times[j] if j < len(times) else "")
        except ValueError as exc:
            issues.add(day_row + 1, j, str(exc))
            continue
        columns[j] = [Option(day) if slot is None else Option(day, *slot)]
    return day_row, columns


def read_doodle(path: Path, rows: Sequence[Sequence[str]]) -> list[Ballot]:
    """The ballots of a Doodle export, as CSV or workbook rows (see the module docstring).

    Parameters
    ----------
    path
        The file (for messages).
    rows
        Its rows, each cell as text.
    """
    issues = _Issues(path.name)
    day_row, columns = _doodle_header(issues, rows)
    first = day_row + 1
    if first < len(rows) and any(_time_like(c) for c in rows[first][1:]):
        first += 1
    out: list[Ballot] = []
    for i in range(first, len(rows)):
        cells = [c.strip() for c in rows[i]]
        if not any(cells):
            continue
        if cells[0].lower() in _DOODLE_END:
            break
        answers: list[tuple[list[Option], Answer]] = []
        for j, opts in columns.items():
            text = cells[j].lower() if j < len(cells) else ""
            answer = _DOODLE_CELLS.get(text)
            if answer is None:
                issues.add(
                    i + 1, j, f"{cells[j]!r} is not a Doodle answer (expected OK, (OK) or empty)"
                )
            else:
                answers.append((opts, answer))
        out.append(_ballot(path.name, i + 1, cells[0], "", answers))
    issues.raise_if_any()
    return out


def _time_like(text: str) -> bool:
    try:
        return _time_range(text) is not None
    except ValueError:
        return False


def _xlsx_rows(path: Path) -> list[list[str]]:
    import openpyxl

    from planner.read_tables import _cell_text

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(
            [InputIssue(path.name, None, None, f"cannot be read as an Excel workbook ({exc})")]
        ) from None
    try:
        ws = wb.worksheets[0]
        return [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


# ------------------------------------------------------------------ dispatch
def read_poll(path: Path, tz: ZoneInfo) -> list[Ballot]:
    """The ballots of one poll export, its kind judged from its name and content.

    Parameters
    ----------
    path
        A ``.csv`` (Rallly, Framadate or Doodle) or ``.xlsx`` (Doodle) file.
    tz
        The problem's time zone.

    Raises
    ------
    InputError
        When the file cannot be read or is malformed (file, row, column).
    """
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_doodle(path, _xlsx_rows(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([InputIssue(str(path), None, None, f"cannot be read: {exc}")]) from None
    rows = _csv_rows(path, data)
    if not rows:
        raise InputError([InputIssue(path.name, None, None, "is empty")])
    if is_rallly(rows):
        return read_rallly(path, rows, tz)
    if is_framadate(rows):
        return read_framadate(path, rows, tz)
    return read_doodle(path, rows)
