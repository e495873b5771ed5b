"""What each calendar event shows: its texts, lines and content fingerprint.

The event lines that depend neither on DTSTAMP, SEQUENCE nor the UID
(:func:`_body_lines`, :func:`_cancelled_lines`), the description with the
session's relay, the Dutch and English texts, and the fingerprints
(:func:`fingerprint`, :func:`cancelled_fingerprints`) that decide whether a
re-export raises an event's SEQUENCE. :mod:`planner.ics` assembles these
into calendar files; the byte-level formatting lives in
:mod:`planner.ics_format`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from planner.ics_format import (
    escape_text,
    local_stamp,
    param_value,
    vtimezone_lines,
    zone_of,
)
from planner.problem import Problem, Role, fmt_time
from planner.schedule import Schedule, ScheduledMeeting
from planner.texts import long_date

# ----------------------------------------------------------------------- texts
_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "cal_person": "dakpan: {name}",
        "cal_network": "dakpan: {name}",
        "cal_venue": "dakpan: {name} (locatie)",
        "cal_all": "dakpan: alle bijeenkomsten",
        "meeting_of": "{network}, bijeenkomst {seq} van {count}.",
        "optional_role": "Je bent optioneel lid van dit netwerk.",
        "session": "Alle bijeenkomsten in {venue} op {date}:",
        "this": "deze bijeenkomst",
        "yours": "ook jouw bijeenkomst",
        "yours_optional": "ook jouw bijeenkomst, optioneel",
        "category_optional": "optioneel",
        "cancelled": "Geannuleerd",
    },
    "en": {
        "cal_person": "dakpan: {name}",
        "cal_network": "dakpan: {name}",
        "cal_venue": "dakpan: {name} (venue)",
        "cal_all": "dakpan: all meetings",
        "meeting_of": "{network}, meeting {seq} of {count}.",
        "optional_role": "You are an optional member of this network.",
        "session": "All meetings at {venue} on {date}:",
        "this": "this meeting",
        "yours": "also your meeting",
        "yours_optional": "also your meeting, optional",
        "category_optional": "optional",
        "cancelled": "Cancelled",
    },
}


def _text(language: str, key: str, **kw: object) -> str:
    table = _TEXTS.get(language, _TEXTS["nl"])
    return table[key].format(**kw)


# ----------------------------------------------------------------------- events
class _Context:
    """Look-ups shared by every file of one export."""

    def __init__(self, problem: Problem, schedule: Schedule, *, legacy: bool = False) -> None:
        self.problem = problem
        self.legacy = legacy
        self.settings = problem.settings
        self.language = problem.settings.language
        self.tzid = problem.settings.timezone
        self.zone = zone_of(self.tzid)
        self.sessions: dict[str, list[ScheduledMeeting]] = {}
        self.count: Counter[str] = Counter()
        for m in schedule:
            self.sessions.setdefault(m.session, []).append(m)
            self.count[m.network] += 1
        for items in self.sessions.values():
            items.sort(key=lambda m: (m.start, m.end, m.network))
        self.optional = {
            (ms.network, ms.person) for ms in problem.memberships if ms.role is Role.OPTIONAL
        }
        years = {self.settings.start.year, self.settings.end.year}
        years |= {m.date.year for m in schedule}
        self.vtimezone = vtimezone_lines(self.tzid, range(min(years), max(years) + 1))

    def network_name(self, network: str) -> str:
        net = self.problem.network_by_id.get(network)
        return net.name if net is not None else network

    def venue_text(self, venue: str) -> str:
        v = self.problem.venue_by_id.get(venue)
        if v is None:
            return venue
        return f"{v.name}, {v.address}" if v.address else v.name

    def local(self, day: date, minutes: int) -> datetime:
        return datetime.combine(day, time()) + timedelta(minutes=minutes)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _label(text: str) -> str:
    """A category label: one line, without ``,`` ``;`` ``\\``.

    Escaped commas in CATEGORIES are valid iCalendar, but several readers
    (the Python ``ical`` package among them) split such a label in two, so
    labels avoid them.
    """
    return _one_line(re.sub(r"[,;\\]", " ", text))


def _description(ctx: _Context, m: ScheduledMeeting, reader: str | None) -> str:
    """The event's text: which meeting it is, then the session's relay, reader's own marked."""
    lang = ctx.language
    lines = [
        _text(
            lang,
            "meeting_of",
            network=_one_line(ctx.network_name(m.network)),
            seq=m.seq,
            count=ctx.count[m.network],
        )
    ]
    if reader is not None and (m.network, reader) in ctx.optional:
        lines.append(_text(lang, "optional_role"))
    venue = ctx.problem.venue_by_id.get(m.venue)
    lines += [
        "",
        _text(
            lang,
            "session",
            venue=_one_line(venue.name if venue is not None else m.venue),
            date=long_date(m.date, lang),
        ),
    ]
    for other in ctx.sessions.get(m.session, [m]):
        row = f"{fmt_time(other.start)}–{fmt_time(other.end)}  "
        row += _one_line(ctx.network_name(other.network))
        if other.meeting == m.meeting:
            row += f"  ← {_text(lang, 'this')}"
        elif reader is not None and reader in other.attendees:
            key = "yours_optional" if (other.network, reader) in ctx.optional else "yours"
            row += f"  ← {_text(lang, key)}"
        lines.append(row)
    return "\n".join(lines)


def _body_lines(ctx: _Context, m: ScheduledMeeting, reader: str | None) -> list[str]:
    """Event lines that do not depend on DTSTAMP and SEQUENCE."""
    start = ctx.local(m.date, m.start)
    end = ctx.local(m.date, m.end)
    tz = param_value(ctx.tzid)
    categories = ["dakpan", _label(ctx.network_name(m.network))]
    if reader is not None and (m.network, reader) in ctx.optional:
        categories.append(_text(ctx.language, "category_optional"))
    lines = [
        f"DTSTART;TZID={tz}:{local_stamp(start)}",
        f"DTEND;TZID={tz}:{local_stamp(end)}",
        f"SUMMARY:{escape_text(ctx.network_name(m.network))}",
        f"LOCATION:{escape_text(ctx.venue_text(m.venue))}",
    ]
    venue = ctx.problem.venue_by_id.get(m.venue)
    if venue is not None:
        lines.append(f"GEO:{venue.lat:.6f};{venue.lon:.6f}")
    lines += [
        "CATEGORIES:" + ",".join(escape_text(c) for c in categories),
        f"DESCRIPTION:{escape_text(_description(ctx, m, reader))}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "CLASS:PUBLIC",
    ]
    return lines


def fingerprint(problem: Problem, schedule: Schedule) -> dict[str, str]:
    """The content hash of every meeting, by meeting id (see the module notes).

    It covers the event as ``all.ics`` shows it (time, time zone, title,
    place, categories, the session's relay) and the network's members with
    their roles (which change the members' own files); not DTSTAMP,
    SEQUENCE or the UID.
    """
    return _fingerprints(_Context(problem, schedule), schedule)


def _fingerprints(ctx: _Context, schedule: Schedule) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in schedule:
        members = [
            f"{p}:{'optional' if (m.network, p) in ctx.optional else 'required'}"
            for p in m.attendees
        ]
        text = "\n".join([f"TZID:{ctx.tzid}", *_body_lines(ctx, m, None), *members])
        out[m.meeting] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return out


def _cancelled_lines(ctx: _Context, m: ScheduledMeeting) -> list[str]:
    """Event lines of a cancelled meeting: its old time and place, ``STATUS:CANCELLED``."""
    tz = param_value(ctx.tzid)
    word = _text(ctx.language, "cancelled")
    return [
        f"DTSTART;TZID={tz}:{local_stamp(ctx.local(m.date, m.start))}",
        f"DTEND;TZID={tz}:{local_stamp(ctx.local(m.date, max(m.end, m.start)))}",
        f"SUMMARY:{escape_text(f'{word}: {ctx.network_name(m.network)}')}",
        f"LOCATION:{escape_text(ctx.venue_text(m.venue))}",
        "CATEGORIES:" + ",".join(escape_text(c) for c in ("dakpan", word)),
        "STATUS:CANCELLED",
        "TRANSP:TRANSPARENT",
        "CLASS:PUBLIC",
    ]


def _cancelled_prints(ctx: _Context, cancelled: Sequence[ScheduledMeeting]) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in cancelled:
        text = "\n".join([f"TZID:{ctx.tzid}", *_cancelled_lines(ctx, m)])
        out[m.meeting] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return out


def cancelled_fingerprints(
    problem: Problem, cancelled: Sequence[ScheduledMeeting]
) -> dict[str, str]:
    """The content hash of every cancelled meeting's event, by meeting id."""
    return _cancelled_prints(_Context(problem, Schedule(())), cancelled)
