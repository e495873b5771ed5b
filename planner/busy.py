"""Busy times from calendar files (``.ics``) as options a person cannot come.

A person's busy times are their ``VEVENT`` s that block time (not
``TRANSP:TRANSPARENT``, not ``STATUS:CANCELLED``; repeating events expanded
with their ``RRULE``, ``RDATE`` and ``EXDATE`` up to the planning horizon's
end) and the ``BUSY`` (and ``BUSY-TENTATIVE``, ``BUSY-UNAVAILABLE``)
periods of their ``VFREEBUSY`` components. Times in any time zone (a
``TZID``, UTC, or floating: read in the problem's zone) are converted to the
problem's time zone, so a busy hour keeps its clock time across a change to
or from summer time only where the calendar's zone and the problem's change
together. An all-day event makes its dates (``DTEND`` exclusive)
unavailable; a timed one gives a time range per date it touches, a whole
date where it covers the date completely.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from planner.polls import Ballot, Option, local_options
from planner.read import InputError, InputIssue

__all__ = ["busy_ballot", "calendar_files", "read_busy"]

_BUSY_TYPES = ("BUSY", "BUSY-TENTATIVE", "BUSY-UNAVAILABLE")
_MAX_OCCURRENCES = 5000


def calendar_files(path: Path) -> list[Path]:
    """``path`` itself, or the ``.ics`` files in the folder ``path`` (sorted by name)."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix.lower() == ".ics" and p.is_file())
    return [path]


def _aware(value: date | datetime, tz: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return datetime.combine(value, time(0), tzinfo=tz)


def _span(value: date | datetime, end: date | datetime, tz: ZoneInfo) -> list[Option]:
    """Options of one occurrence from ``value`` to ``end`` (exclusive)."""
    if not isinstance(value, datetime):
        last = end if not isinstance(end, datetime) else end.date()
        days = max((last - value).days, 1)
        return [Option(value + timedelta(days=k)) for k in range(days)]
    return local_options(_aware(value, tz), _aware(end, tz), tz)


def _line_of(text: str, uid: str, fallback: int | None) -> int | None:
    """Line (1-based) of ``UID:<uid>`` in the file, for messages."""
    if uid:
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip() == f"UID:{uid}":
                return n
    return fallback


def _occurrences(event: Any, until: date | None) -> Iterator[tuple[date | datetime, timedelta]]:
    """``(start, duration)`` of every occurrence of a ``VEVENT``."""
    start = event.decoded("DTSTART")
    if "DTEND" in event:
        duration = event.decoded("DTEND") - start
    elif "DURATION" in event:
        duration = event.decoded("DURATION")
    else:
        duration = timedelta(days=1) if not isinstance(start, datetime) else timedelta(0)
    if "RRULE" not in event and "RDATE" not in event:
        yield start, duration
        return
    yield from ((s, duration) for s in _expand(event, start, until))


def _dates_of(prop: Any) -> list[date | datetime]:
    props = prop if isinstance(prop, list) else [prop]
    return [d.dt for p in props for d in p.dts]


def _expand(event: Any, start: date | datetime, until: date | None) -> list[date | datetime]:
    from dateutil.rrule import rruleset, rrulestr

    rules = rruleset()
    anchor = start if isinstance(start, datetime) else datetime.combine(start, time(0))
    if "RRULE" in event:
        text = event["RRULE"].to_ical().decode()
        rules.rrule(rrulestr(text, dtstart=anchor, ignoretz=False))
    else:
        rules.rdate(anchor)
    for extra in _dates_of(event["RDATE"]) if "RDATE" in event else []:
        rules.rdate(_match(extra, anchor))
    for skip in _dates_of(event["EXDATE"]) if "EXDATE" in event else []:
        rules.exdate(_match(skip, anchor))
    limit = _match(datetime.combine(until, time(23, 59)), anchor) if until else None
    out: list[date | datetime] = []
    for occurrence in rules:
        if (limit is not None and occurrence > limit) or len(out) >= _MAX_OCCURRENCES:
            break
        out.append(occurrence if isinstance(start, datetime) else occurrence.date())
    return out


def _match(value: date | datetime, anchor: datetime) -> datetime:
    """``value`` as a datetime comparable with ``anchor`` (both aware or both naive)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0))
    if anchor.tzinfo is None:
        return value.replace(tzinfo=None)
    return value if value.tzinfo is not None else value.replace(tzinfo=anchor.tzinfo)


def _event_options(event: Any, tz: ZoneInfo, until: date | None) -> list[Option]:
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return []
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return []
    out: list[Option] = []
    for start, duration in _occurrences(event, until):
        end = start + duration
        if end > start or not isinstance(start, datetime):
            out.extend(_span(start, end, tz))
    return out


def _freebusy_options(component: Any, tz: ZoneInfo) -> list[Option]:
    out: list[Option] = []
    props = component.get("FREEBUSY", [])
    for prop in props if isinstance(props, list) else [props]:
        if str(prop.params.get("FBTYPE", "BUSY")).upper() not in _BUSY_TYPES:
            continue
        for period in prop.dts if hasattr(prop, "dts") else [prop]:
            start, end = period.dt if hasattr(period, "dt") else period
            if isinstance(end, timedelta):
                end = start + end
            out.extend(local_options(_aware(start, tz), _aware(end, tz), tz))
    return out


def read_busy(path: Path, tz: ZoneInfo, until: date | None = None) -> list[Option]:
    """The busy times of one calendar file, as options in ``tz`` (sorted, no repeats).

    Parameters
    ----------
    path
        An ``.ics`` file.
    tz
        The problem's time zone.
    until
        Last date to expand repeating events to (the horizon's end).

    Raises
    ------
    InputError
        When the file is not a calendar, or an event or period cannot be
        read (file, line of its ``UID``, property).
    """
    import icalendar

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([InputIssue(str(path), None, None, f"cannot be read: {exc}")]) from None
    try:
        cal = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise InputError(
            [InputIssue(path.name, None, None, f"is not an iCalendar file ({exc})")]
        ) from None
    options: set[Option] = set()
    issues: list[InputIssue] = []
    for component in cal.walk():
        name = component.name
        if name not in ("VEVENT", "VFREEBUSY"):
            continue
        try:
            if name == "VEVENT":
                options.update(_event_options(component, tz, until))
            else:
                options.update(_freebusy_options(component, tz))
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            uid = str(component.get("UID", ""))
            where = _line_of(text, uid, None)
            what = "DTSTART" if isinstance(exc, KeyError) else None
            issues.append(
                InputIssue(path.name, where, what, f"{name} {uid}: cannot be read ({exc})")
            )
    if issues:
        raise InputError(issues)
    return _whole_days_win(options)


def _whole_days_win(options: Iterable[Option]) -> list[Option]:
    """Sorted options without time ranges on dates that are unavailable as a whole."""
    items = set(options)
    whole = {o.day for o in items if o.whole_day}
    return sorted(o for o in items if o.whole_day or o.day not in whole)


def busy_ballot(path: Path, tz: ZoneInfo, until: date | None, person: str | None) -> Ballot:
    """One calendar file as a ballot: its busy times as "No", named by the file's stem.

    Parameters
    ----------
    path
        The ``.ics`` file.
    tz, until
        As for :func:`read_busy`.
    person
        The person id it belongs to (``--person``), or ``None`` to match the
        file name (without ``.ics``) to a person's id, e-mail or name.
    """
    return Ballot(
        source=path.name,
        name=path.stem,
        email=path.stem if "@" in path.stem else "",
        no=tuple(read_busy(path, tz, until)),
        person=person,
    )
