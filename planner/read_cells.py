"""Cell parsers of the reader: numbers, dates, times, ranges, weekdays, flags.

Each parser takes a cell's text and returns a value or raises :class:`_CellError`
whose message says what was found and what was expected.
"""

from __future__ import annotations

import difflib
import math
import re
import zoneinfo
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any, TypeVar

from planner.problem import (
    LANGUAGES,
    REGIONS,
    WEEKDAY_NAMES,
    WEEKDAY_NAMES_NL,
    Role,
)
from planner.safety import (
    NUMBER_LIMITS,
    NUMBER_MINIMA,
)
from planner.weights import Weights

T = TypeVar("T")


class _CellError(ValueError):
    """A cell value that does not parse; the message says found and expected."""


# -------------------------------------------------------------------- parsers
_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DMY_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_DMY_DATE_SLASH = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?")

_DAY_NAMES: dict[str, int] = {}
for _i, (_en, _nl) in enumerate(zip(WEEKDAY_NAMES, WEEKDAY_NAMES_NL, strict=True)):
    _DAY_NAMES[_en] = _i
    _DAY_NAMES[_nl] = _i
_FULL_DAY_NAMES = (
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
)
for _names in _FULL_DAY_NAMES:
    for _i, _full in enumerate(_names):
        _DAY_NAMES[_full] = _i
_BOOLS = {
    "true": True,
    "yes": True,
    "ja": True,
    "1": True,
    "waar": True,
    "false": False,
    "no": False,
    "nee": False,
    "0": False,
    "onwaar": False,
}
_ROLES = {
    "required": Role.REQUIRED,
    "verplicht": Role.REQUIRED,
    "optional": Role.OPTIONAL,
    "optioneel": Role.OPTIONAL,
}


def _number_text(s: str) -> str:
    if _DECIMAL_COMMA.fullmatch(s):
        return s.replace(",", ".")
    return s


def parse_int(s: str) -> int:
    """The whole number in a stripped cell: ``3``, ``+3``, ``3.0`` or ``3,0``.

    Raises
    ------
    ValueError
        When it is none; the message says what was found and what was expected.
    """
    t = _number_text(s)
    if len(t) > 24:
        raise _CellError(f"{s[:30]!r}... is too long for a number (expected e.g. 3)")
    if _INT.fullmatch(t):
        return int(t)
    if _FLOAT.fullmatch(t) and float(t).is_integer():
        return int(float(t))
    raise _CellError(f"{s!r} is not a whole number (expected e.g. 3)")


def _p_float(s: str) -> float:
    t = _number_text(s)
    if _FLOAT.fullmatch(t) and math.isfinite(float(t)):
        return float(t)
    raise _CellError(f"{s!r} is not a number (expected e.g. 51.49 or 51,49)")


def parse_date(s: str, *, slashes: bool = False) -> date:
    """The date in a stripped cell: ``YYYY-MM-DD`` (a time 00:00 allowed) or ``D-M-YYYY``.

    Parameters
    ----------
    s
        The cell text.
    slashes
        Also accept ``D/M/YYYY`` (and ``-`` and ``/`` mixed).

    Raises
    ------
    ValueError
        When it is not a date that exists; the message says what was found
        and what was expected.
    """
    m = _ISO_DATE.fullmatch(s)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = (_DMY_DATE_SLASH if slashes else _DMY_DATE).fullmatch(s)
        if not m:
            raise _CellError(f"{s!r} is not a date (expected YYYY-MM-DD, e.g. 2027-09-06)")
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    try:
        return date(y, mo, d)
    except ValueError:
        raise _CellError(f"{s!r} is not a date that exists (expected YYYY-MM-DD)") from None


def _split(s: str, seps: str = ";") -> list[str]:
    parts = re.split(f"[{re.escape(seps)}]", s)
    return [p.strip() for p in parts if p.strip()]


def _p_dates(s: str) -> frozenset[date]:
    out: set[date] = set()
    for item in _split(s, ";,"):
        if ".." in item:
            first_text, _, last_text = item.partition("..")
            try:
                first, last = parse_date(first_text.strip()), parse_date(last_text.strip())
            except _CellError:
                raise _CellError(
                    f"{item!r} is not a date range (expected YYYY-MM-DD..YYYY-MM-DD)"
                ) from None
            if last < first:
                raise _CellError(f"range {item!r} ends before it starts")
            out.update(first + timedelta(days=i) for i in range((last - first).days + 1))
        else:
            try:
                out.add(parse_date(item))
            except _CellError:
                if " " in item:  # a date and a time: meant as a v1.1 time range
                    raise _CellError(
                        f"{item!r} is not a time range on one date "
                        "(expected YYYY-MM-DD HH:MM-HH:MM, e.g. 2027-10-05 13:00-15:30)"
                    ) from None
                raise _CellError(
                    f"{item!r} is not a date or date range "
                    "(expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD, separated by ';')"
                ) from None
    return frozenset(out)


_TIME_RANGE = re.compile(r"(\S+)\s+(\d{1,2}[:.]\d{2}(?::\d{2})?)\s*-\s*(\S+)")
_NO_TIMES: frozenset[tuple[date, int, int]] = frozenset()


def _p_time_range(item: str) -> tuple[date, int, int] | None:
    """A ``YYYY-MM-DD HH:MM-HH:MM`` list item (contract v1.1), or ``None`` if it is not one."""
    m = _TIME_RANGE.fullmatch(item)
    if not m:
        return None
    expected = "expected YYYY-MM-DD HH:MM-HH:MM, e.g. 2027-10-05 13:00-15:30"
    try:
        day, t0, t1 = parse_date(m[1]), parse_time(m[2]), parse_time(m[3])
    except _CellError:
        raise _CellError(f"{item!r} is not a time range on one date ({expected})") from None
    if t1 <= t0:
        raise _CellError(f"time range {item!r} does not end after it starts ({expected})")
    return day, t0, t1


def _p_unavailable(s: str) -> tuple[frozenset[date], frozenset[tuple[date, int, int]]]:
    """An ``unavailable`` cell: dates, date ranges and (v1.1) time ranges on one date."""
    dates: list[str] = []
    times: set[tuple[date, int, int]] = set()
    for item in _split(s, ";,"):
        span = _p_time_range(item)
        if span is None:
            dates.append(item)
        else:
            times.add(span)
    return _p_dates(";".join(dates)), frozenset(times)


def parse_time(s: str) -> int:
    """The time of day in a stripped cell (``HH:MM``, ``H:MM``, ``HH.MM``, ``HH:MM:00``).

    Returns minutes after midnight; ``24:00`` is 1440.

    Raises
    ------
    ValueError
        When it is none; the message says what was found and what was expected.
    """
    m = _TIME.fullmatch(s)
    if m:
        h, mi, sec = int(m[1]), int(m[2]), int(m[3] or 0)
        if sec == 0 and mi < 60 and (h < 24 or (h == 24 and mi == 0)):
            return h * 60 + mi
    raise _CellError(f"{s!r} is not a time (expected HH:MM, e.g. 09:30)")


def _p_weekdays(s: str) -> frozenset[int]:
    out: set[int] = set()
    for item in _split(s, ";, "):
        day = _DAY_NAMES.get(item.lower())
        if day is None:
            raise _CellError(
                f"{item!r} is not a weekday (expected mon tue wed thu fri sat sun "
                "or ma di wo do vr za zo, separated by ';')"
            )
        out.add(day)
    if not out:
        raise _CellError(f"{s!r} names no weekday")
    return frozenset(out)


def _p_bool(s: str) -> bool:
    value = _BOOLS.get(s.lower())
    if value is None:
        raise _CellError(
            f"{s!r} is not a yes/no value (expected true/false, yes/no, ja/nee or 1/0)"
        )
    return value


def _p_region(s: str) -> str:
    if s.lower() in REGIONS:
        return s.lower()
    raise _CellError(f"{s!r} is not a region (expected {', '.join(REGIONS)})")


def _p_role(s: str) -> Role:
    role = _ROLES.get(s.lower())
    if role is None:
        raise _CellError(f"{s!r} is not a role (expected required or optional)")
    return role


def _p_language(s: str) -> str:
    if s.lower() in LANGUAGES:
        return s.lower()
    raise _CellError(f"{s!r} is not a language (expected {' or '.join(LANGUAGES)})")


def _p_timezone(s: str) -> str:
    try:
        zoneinfo.ZoneInfo(s)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _CellError(f"{s!r} is not a time zone (expected e.g. Europe/Amsterdam)") from None
    return s


def _at_least(parser: Callable[[str], T], low: float, strict: bool = False) -> Callable[[str], T]:
    def parse(s: str) -> T:
        value = parser(s)
        number = float(str(value))
        if number < low or (strict and number == low):
            bound = f"> {low:g}" if strict else f">= {low:g}"
            raise _CellError(f"{s!r} is too small (expected a number {bound})")
        return value

    return parse


def _fmt_limit(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def _limited(
    parser: Callable[[str], T], table: str, column: str, low: float, strict: bool = False
) -> Callable[[str], T]:
    """``_at_least(parser, low, strict)`` and at most the limit of ``(table, column)``.

    The limits (:data:`planner.safety.NUMBER_LIMITS`) keep every term of the
    planner's objective inside CP-SAT's 64-bit integers.
    """
    low = max(low, NUMBER_MINIMA.get((table, column), low))
    high = NUMBER_LIMITS[table, column]
    bounded = _at_least(parser, low, strict)

    def parse(s: str) -> T:
        value = bounded(s)
        if float(str(value)) > high:
            raise _CellError(f"{s!r} is too large (expected a number up to {_fmt_limit(high)})")
        return value

    return parse


def _between(low: float, high: float) -> Callable[[str], float]:
    def parse(s: str) -> float:
        value = _p_float(s)
        if not low <= value <= high:
            raise _CellError(f"{s!r} is out of range (expected a number from {low:g} to {high:g})")
        return value

    return parse


_NO_DATES: frozenset[date] = frozenset()
_LAT = _between(-90, 90)
_LON = _between(-180, 180)
_WEIGHT_KEYS: tuple[str, ...] = Weights.keys()
"""Settings keys of the objective weights (``weight_<name>``)."""

_SETTING_PARSERS: dict[str, Callable[[str], Any]] = {
    "start": parse_date,
    "end": parse_date,
    "region": _p_region,
    "weekdays": _p_weekdays,
    "day_start": parse_time,
    "day_end": parse_time,
    "slot": _limited(parse_int, "settings", "slot", 0, strict=True),
    "changeover": _limited(parse_int, "settings", "changeover", 0),
    "min_gap_days": _limited(parse_int, "settings", "min_gap_days", 0),
    "max_meetings_per_day": _limited(parse_int, "settings", "max_meetings_per_day", 1),
    "long_wait": _limited(parse_int, "settings", "long_wait", 0),
    "public_holidays": _p_bool,
    "school_holidays": _p_bool,
    "road_factor": _limited(_p_float, "settings", "road_factor", 0, strict=True),
    "speed_kmh": _limited(_p_float, "settings", "speed_kmh", 0, strict=True),
    "time_limit": _limited(_p_float, "settings", "time_limit", 0, strict=True),
    "seed": _limited(parse_int, "settings", "seed", 0),
    "timezone": _p_timezone,
    "language": _p_language,
    **{key: _limited(parse_int, "settings", "weight", 0) for key in _WEIGHT_KEYS},
}


def _suggest(value: str, known: Iterable[str]) -> str | None:
    known = list(known)
    for k in known:
        if k.lower() == value.lower():
            return k
    close = difflib.get_close_matches(value, known, n=1)
    return close[0] if close else None


def _hint(value: str, known: Iterable[str]) -> str:
    guess = _suggest(value, known)
    return f" (did you mean {guess!r}?)" if guess is not None else ""
