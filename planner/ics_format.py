"""iCalendar formatting (RFC 5545): content lines and the ``VTIMEZONE`` of a zone.

Text values escaped, lines folded at 75 octets (never inside a UTF-8
character nor an escape pair), local and UTC stamps, and a ``VTIMEZONE`` in
the compact one-rule form Outlook reads correctly, or one observance per
transition where the zone's current POSIX rule does not hold (see
:mod:`planner.ics`, which writes the calendar files with these).
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from importlib import resources
from pathlib import Path

MAX_OCTETS = 75
_CRLF = b"\r\n"
_WEEKDAY_RRULE = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # POSIX d: 0 = Sunday


class IcsError(Exception):
    """Calendar files cannot be written (or the previous ones cannot be read)."""


# ---------------------------------------------------------------- content lines
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11).

    Backslash, semicolon and comma get a backslash; any line break becomes
    ``\\n``; other control characters (not allowed in a content line) become
    a space.

    Parameters
    ----------
    value
        The text as the user wrote it.

    Returns
    -------
    str
        The escaped value.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub(" ", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> bytes:
    """Encode one content line as UTF-8, folded at 75 octets, ending in CRLF.

    A continuation line starts with one space, which counts toward its 75
    octets; a line is never split inside a UTF-8 character.

    Parameters
    ----------
    line
        One unfolded content line without its line end.

    Returns
    -------
    bytes
        The physical lines, each ending in CRLF.
    """
    out = bytearray()
    current = bytearray()
    # An escape such as "\\;" stays on one line too: RFC 5545 would allow the
    # split, but not every importer unfolds before unescaping.
    for unit in re.findall(r"\\.|.", line, flags=re.DOTALL):
        encoded = unit.encode("utf-8")
        if len(current) + len(encoded) > MAX_OCTETS:
            out += current + _CRLF
            current = bytearray(b" ")
        current += encoded
    out += current + _CRLF
    return bytes(out)


def param_value(value: str) -> str:
    """A parameter value, quoted when it holds ``:``, ``;`` or ``,``."""
    if any(c in value for c in ':;,"'):
        return '"' + value.replace('"', "'") + '"'
    return value


def local_stamp(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _offset(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


# -------------------------------------------------------------------- time zone
@dataclass(frozen=True, slots=True)
class _Rule:
    """One POSIX ``Mm.w.d/time`` transition rule."""

    month: int
    week: int  # 1..5, 5 = last
    weekday: int  # 0 = Sunday
    seconds: int  # local time of the transition, 0 <= seconds < 86400

    def day(self, year: int) -> date:
        first = date(year, self.month, 1)
        # POSIX weekday 0 = Sunday; Python's weekday() 6 = Sunday.
        shift = (self.weekday - (first.weekday() + 1) % 7) % 7
        day = first + timedelta(days=shift + 7 * (self.week - 1))
        while day.month != self.month:  # week 5 = the last such weekday
            day -= timedelta(days=7)
        return day

    def local(self, year: int) -> datetime:
        return datetime.combine(self.day(year), time()) + timedelta(seconds=self.seconds)

    def rrule(self) -> str:
        week = -1 if self.week == 5 else self.week
        return f"FREQ=YEARLY;BYMONTH={self.month};BYDAY={week}{_WEEKDAY_RRULE[self.weekday]}"


@dataclass(frozen=True, slots=True)
class _PosixZone:
    """A POSIX TZ string: standard time and, optionally, daylight time with its rules."""

    std_name: str
    std_offset: int  # seconds east of UTC
    dst_name: str = ""
    dst_offset: int = 0
    start: _Rule | None = None
    end: _Rule | None = None

    def utcoffset(self, instant: datetime) -> int:
        """Offset in seconds east of UTC at an aware instant."""
        if self.start is None or self.end is None:
            return self.std_offset
        naive = instant.astimezone(UTC).replace(tzinfo=None)
        year = naive.year
        begin = self.start.local(year) - timedelta(seconds=self.std_offset)
        finish = self.end.local(year) - timedelta(seconds=self.dst_offset)
        # In the southern hemisphere daylight time spans the new year.
        in_dst = begin <= naive < finish if begin < finish else not finish <= naive < begin
        return self.dst_offset if in_dst else self.std_offset


_NAME = r"(?:[A-Za-z]{3,}|<[A-Za-z0-9+\-]+>)"
_OFF = r"[+-]?\d{1,2}(?::\d{2}(?::\d{2})?)?"
_POSIX = re.compile(
    rf"^(?P<std>{_NAME})(?P<stdoff>{_OFF})"
    rf"(?:(?P<dst>{_NAME})(?P<dstoff>{_OFF})?"
    r",(?P<start>M\d{1,2}\.\d\.\d(?:/[+-]?[\d:]+)?)"
    r",(?P<end>M\d{1,2}\.\d\.\d(?:/[+-]?[\d:]+)?))?$"
)


def _hms(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    parts = [int(p) for p in text.lstrip("+-").split(":")]
    parts += [0] * (3 - len(parts))
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


def _rule(text: str) -> _Rule | None:
    spec, _, at = text[1:].partition("/")
    month, week, weekday = (int(p) for p in spec.split("."))
    seconds = _hms(at) if at else 2 * 3600
    if not (1 <= month <= 12 and 1 <= week <= 5 and 0 <= weekday <= 6 and 0 <= seconds < 86400):
        return None  # e.g. "/-1" or "/25": not expressible as one RRULE with one DTSTART
    return _Rule(month, week, weekday, seconds)


def _parse_posix(text: str) -> _PosixZone | None:
    match = _POSIX.match(text)
    if match is None:
        return None
    std_offset = -_hms(match["stdoff"])
    std_name = match["std"].strip("<>")
    if match["dst"] is None:
        return _PosixZone(std_name, std_offset)
    dst_offset = -_hms(match["dstoff"]) if match["dstoff"] else std_offset + 3600
    start, end = _rule(match["start"]), _rule(match["end"])
    if start is None or end is None:
        return None
    return _PosixZone(std_name, std_offset, match["dst"].strip("<>"), dst_offset, start, end)


def _tzif_footer(tzid: str) -> str | None:
    """The POSIX TZ string at the end of the zone's TZif file, where zoneinfo finds it."""
    data: bytes | None = None
    for root in zoneinfo.TZPATH:
        candidate = Path(root) / tzid
        if candidate.is_file():
            data = candidate.read_bytes()
            break
    if data is None:
        try:
            resource = resources.files("tzdata.zoneinfo").joinpath(*tzid.split("/"))
            data = resource.read_bytes()
        except (ModuleNotFoundError, FileNotFoundError, OSError):
            return None
    if not data.startswith(b"TZif") or data[4:5] in (b"\0", b""):
        return None  # version 1 files have no footer
    footer = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    try:
        return footer.decode("ascii")
    except UnicodeDecodeError:
        return None


def zone_of(tzid: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(tzid)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise IcsError(f"unknown time zone {tzid!r}") from exc


def _rule_holds(posix: _PosixZone, zone: tzinfo, years: Iterable[int]) -> bool:
    """Whether the POSIX rule gives zoneinfo's offsets throughout ``years``."""
    for year in years:
        instants = [datetime(year, 1, 1, 12, tzinfo=UTC) + timedelta(days=d) for d in range(366)]
        if posix.start is not None and posix.end is not None:
            for rule, before in ((posix.start, posix.std_offset), (posix.end, posix.dst_offset)):
                moment = (rule.local(year) - timedelta(seconds=before)).replace(tzinfo=UTC)
                instants += [moment - timedelta(seconds=1), moment]
        for instant in instants:
            offset = instant.astimezone(zone).utcoffset()
            if offset is None or int(offset.total_seconds()) != posix.utcoffset(instant):
                return False
    return True


def _observance(
    kind: str, name: str, *, offset_from: int, offset_to: int, start: datetime, rrule: str | None
) -> list[str]:
    lines = [
        f"BEGIN:{kind}",
        f"TZNAME:{escape_text(name)}",
        f"TZOFFSETFROM:{_offset(offset_from)}",
        f"TZOFFSETTO:{_offset(offset_to)}",
        f"DTSTART:{local_stamp(start)}",
    ]
    if rrule is not None:
        lines.append(f"RRULE:{rrule}")
    lines.append(f"END:{kind}")
    return lines


def _compact(tzid: str, posix: _PosixZone) -> list[str]:
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", f"X-LIC-LOCATION:{tzid}"]
    if posix.start is None or posix.end is None:
        lines += _observance(
            "STANDARD",
            posix.std_name,
            offset_from=posix.std_offset,
            offset_to=posix.std_offset,
            start=datetime(1970, 1, 1),
            rrule=None,
        )
    else:
        # Europe/Dublin's rule has a "daylight" offset below standard time:
        # label the observances by which offset is the larger.
        summer, winter = (
            ("DAYLIGHT", "STANDARD")
            if posix.dst_offset >= posix.std_offset
            else ("STANDARD", "DAYLIGHT")
        )
        lines += _observance(
            summer,
            posix.dst_name,
            offset_from=posix.std_offset,
            offset_to=posix.dst_offset,
            start=posix.start.local(1970),
            rrule=posix.start.rrule(),
        )
        lines += _observance(
            winter,
            posix.std_name,
            offset_from=posix.dst_offset,
            offset_to=posix.std_offset,
            start=posix.end.local(1970),
            rrule=posix.end.rrule(),
        )
    return [*lines, "END:VTIMEZONE"]


def _seconds(delta: timedelta | None) -> int:
    return int(delta.total_seconds()) if delta is not None else 0


def _transitions(zone: tzinfo, years: Sequence[int]) -> list[tuple[datetime, int, int]]:
    """``(utc instant, offset before, offset after)`` of every transition in ``years``."""
    begin = datetime(min(years), 1, 1, tzinfo=UTC)
    finish = datetime(max(years) + 1, 1, 1, tzinfo=UTC)
    out: list[tuple[datetime, int, int]] = []
    step = timedelta(hours=6)
    low = begin
    while low < finish:
        high = low + step
        before = _seconds(low.astimezone(zone).utcoffset())
        after = _seconds(high.astimezone(zone).utcoffset())
        if before != after:
            lo, hi = low, high  # offset(lo) == before, offset(hi) != before
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if _seconds(mid.astimezone(zone).utcoffset()) == before:
                    lo = mid
                else:
                    hi = mid
            out.append((hi.replace(microsecond=0), before, after))
        low = high
    return out


def _explicit(tzid: str, zone: tzinfo, years: Sequence[int]) -> list[str]:
    """One observance per transition in ``years`` (no RDATE lists)."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", f"X-LIC-LOCATION:{tzid}"]
    first = datetime(min(years), 1, 1, tzinfo=UTC).astimezone(zone)
    offset = _seconds(first.utcoffset())
    kind = "DAYLIGHT" if _seconds(first.dst()) else "STANDARD"
    lines += _observance(
        kind,
        first.tzname() or tzid,
        offset_from=offset,
        offset_to=offset,
        start=datetime(min(years), 1, 1) + timedelta(seconds=offset),
        rrule=None,
    )
    for instant, before, after in _transitions(zone, years):
        local = instant.astimezone(zone)
        kind = "DAYLIGHT" if _seconds(local.dst()) else "STANDARD"
        start = instant.replace(tzinfo=None) + timedelta(seconds=before)
        lines += _observance(
            kind,
            local.tzname() or tzid,
            offset_from=before,
            offset_to=after,
            start=start,
            rrule=None,
        )
    return [*lines, "END:VTIMEZONE"]


def vtimezone_lines(tzid: str, years: Iterable[int]) -> list[str]:
    """The unfolded content lines of a ``VTIMEZONE`` for ``tzid``.

    Parameters
    ----------
    tzid
        An IANA time zone name such as ``Europe/Amsterdam``.
    years
        The years the calendar's events fall in: the compact RRULE form is
        used when the zone's current rule holds in all of them, else one
        observance per transition in them.

    Returns
    -------
    list[str]
        ``BEGIN:VTIMEZONE`` ... ``END:VTIMEZONE``.

    Raises
    ------
    IcsError
        If the time zone is unknown.
    """
    zone = zone_of(tzid)
    span = sorted(set(years)) or [2000]
    footer = _tzif_footer(tzid)
    posix = _parse_posix(footer) if footer else None
    if posix is not None and _rule_holds(posix, zone, span):
        return _compact(tzid, posix)
    # From a year early, so that the first observance precedes every event.
    return _explicit(tzid, zone, range(span[0] - 1, span[-1] + 1))
