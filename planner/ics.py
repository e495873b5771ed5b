"""Calendar files (``ics/``): one per person, network and venue, and ``all.ics``.

The files are written as text by this module (not by a library), so that
every byte is under control and the output is the same on every machine:

- CRLF line ends; content lines folded at 75 octets, never inside a UTF-8
  character nor inside an escape pair; ``\\``, ``;``, ``,`` and newlines
  escaped in TEXT values, other control characters replaced by a space.
- ``METHOD:PUBLISH`` and no ``ATTENDEE``/``ORGANIZER``: importing the files
  never makes a calendar app send invitations or cancellations.
- ``DTSTART``/``DTEND`` carry ``TZID`` = the plan's time zone, and every file
  holds a ``VTIMEZONE`` for it in the compact form Outlook reads correctly:
  one ``STANDARD`` and one ``DAYLIGHT`` observance with a yearly ``RRULE``
  (for ``Europe/Amsterdam``: the last Sunday of March and of October). The
  rule is the POSIX TZ rule at the end of the system's TZif file for the
  zone, checked against :mod:`zoneinfo` over the plan's years. A zone whose
  rule cannot be written that way, or does not hold in those years, gets one
  observance per transition in those years instead (never an RDATE list).
- ``NAME``/``X-WR-CALNAME``, ``REFRESH-INTERVAL``/``X-PUBLISHED-TTL`` of 12
  hours for subscribed feeds.
- ``SUMMARY`` is the network's name, ``LOCATION`` the venue's name and
  address, ``GEO`` its coordinates, ``CATEGORIES`` ``dakpan``, the network's
  name (without ``, ; \\``, which several readers split on) and, for an
  optional member, "optioneel"/"optional". ``DESCRIPTION`` names the meeting
  (``bijeenkomst 2 van 4``) and lists every meeting of its session (same
  venue, same day) with its times, marking the event itself and, in a
  person's file, the person's other meetings. Texts follow the ``language``
  setting (``nl`` or ``en``).

Decisions
---------
UID
    ``<start>-<end>.<network>-<seq>@dakpan`` (:func:`meeting_uid`): the
    horizon as ``YYYYMMDD-YYYYMMDD``, then the network id made safe by
    :func:`uid_for` (distinct even without regard to case). It depends on
    the horizon, the network and the meeting's number within the horizon
    only, never on its date, time or venue, so that a re-planned meeting
    replaces the one already imported, and next school year's files never
    overwrite this year's events. Migration: calendar files of plans made
    before UIDs carried the horizon (``<network>-<seq>@dakpan``) keep that
    form when they are re-exported into the same folder or a re-plan carries
    their SEQUENCE numbers on (:func:`legacy_uids`), so that imported events
    are still updated in place; a new plan (or a new ``ics/`` folder) gets
    the new form.
DTSTAMP
    Never the wall clock, so that the same plan gives the same bytes. By
    default it is 00:00 UTC on the first day of the horizon; callers may
    pass another instant (``dtstamp=``). Calendar apps tell revisions apart
    by ``SEQUENCE`` first, which does change (below).
SEQUENCE
    Every event carries ``X-DAKPAN-FINGERPRINT``: a hash of everything the
    event shows that does not depend on the reader (time, time zone, title,
    place, the session's relay, the network's members and their roles). On a
    re-export, :func:`next_sequences` reads the previous files: an unchanged
    meeting keeps its ``SEQUENCE``, a changed one gets the previous value + 1,
    a new one 0. :func:`write_calendars` does this by itself against the
    folder it replaces, so re-exporting into the same folder is deterministic
    (same plan -> same bytes) and a moved meeting gets a higher ``SEQUENCE``.
    A caller that writes a fresh folder (a new plan folder) passes the
    sequences computed against the previous ``ics/`` instead: see
    :func:`ics_writer`. A meeting a re-plan cancels (:mod:`planner.replan`)
    stays in the files with ``STATUS:CANCELLED``, its SEQUENCE raised and its
    summary prefixed by "Geannuleerd"/"Cancelled", so that subscribed and
    imported calendars strike or remove it; a meeting dropped otherwise
    simply disappears from subscribed feeds.
Files
    ``person-<slug>.ics``, ``network-<slug>.ics``, ``venue-<slug>.ics`` and
    ``all.ics``. A slug is the id in lower-case ASCII letters, digits and
    ``-``; ids whose slugs coincide (``A`` and ``a``, ``café`` and ``cafe``)
    all get a short hash of the id appended, so names stay unique and safe on
    case-insensitive file systems. A person's file holds every meeting of
    theirs, required or optional (optional ones are marked). Every file holds
    the VTIMEZONE, so a file without meetings is still a valid calendar.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import quote

from planner.ics_format import (
    IcsError,
    escape_text,
    fold_line,
    local_stamp,
    param_value,
    utc_stamp,
    vtimezone_lines,
    zone_of,
)
from planner.outdir import CalendarFiles, atomic_folder, folder_problem
from planner.problem import Problem, Role, fmt_time
from planner.schedule import Schedule, ScheduledMeeting
from planner.texts import long_date

PRODID = "-//dakpan//dakpan planner//EN"
UID_DOMAIN = "dakpan"
REFRESH = "PT12H"
FINGERPRINT_PROPERTY = "X-DAKPAN-FINGERPRINT"
KINDS: tuple[str, ...] = ("person", "network", "venue", "all")


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


# ----------------------------------------------------------------- names, uids
def uid_for(network: str, seq: int, horizon: str = "") -> str:
    """UID of a network's ``seq``-th meeting, e.g. ``20270830-20280714.swv-zld-3@dakpan``.

    The id is lower-cased and percent-encoded outside ``a-z 0-9 . _ -``
    (hex digits in lower case too); an id that has upper-case letters gets
    ``~`` and a hash of the id appended. So distinct ids give UIDs that differ
    even when compared without regard to case (CalDAV servers name files
    after UIDs, and some file systems ignore case), and the number after the
    last ``-`` is ``seq``. ``horizon`` (:func:`horizon_tag`) goes in front,
    so that plans of different school years never share a UID; without it
    the UID has the form of plans made before (``swv-zld-3@dakpan``).

    Examples
    --------
    >>> uid_for("swv-zld", 3)
    'swv-zld-3@dakpan'
    >>> uid_for("swv-zld", 3, "20270830-20280714")
    '20270830-20280714.swv-zld-3@dakpan'
    >>> uid_for("a b/é", 2)
    'a%20b%2f%c3%a9-2@dakpan'
    """
    base = quote(network.lower(), safe="-._").lower()
    if network != network.lower():
        base += f"~{_short_hash(network)}"
    prefix = f"{horizon}." if horizon else ""
    return f"{prefix}{base}-{seq}@{UID_DOMAIN}"


def horizon_tag(problem: Problem) -> str:
    """The plan's horizon as it goes into UIDs: ``YYYYMMDD-YYYYMMDD`` (start-end)."""
    s = problem.settings
    return f"{s.start:%Y%m%d}-{s.end:%Y%m%d}"


_HORIZON_UID = re.compile(r"^\d{8}-\d{8}\.")


def meeting_uid(problem: Problem, network: str, seq: int, *, legacy: bool = False) -> str:
    """The UID of a meeting of this plan: with the horizon, or of the old form when ``legacy``."""
    return uid_for(network, seq, "" if legacy else horizon_tag(problem))


def other_horizon(problem: Problem, uid: str) -> bool:
    """Whether ``uid`` is a dakpan UID of another horizon than this plan's (another year)."""
    found = _HORIZON_UID.match(uid)
    return found is not None and found.group(0) != f"{horizon_tag(problem)}."


def legacy_uids(revisions: Mapping[str, tuple[int, str]]) -> bool:
    """Whether an earlier export (:func:`previous_revisions`) used UIDs without the horizon.

    Calendar files of plans made before UIDs carried the horizon keep that
    form when re-exported or re-planned, so that the events people imported
    are updated in place (see ``docs/FORMAT-NOTES.md``, migration).
    """
    return bool(revisions) and not any(_HORIZON_UID.match(uid) for uid in revisions)


def slug(value: str, max_length: int = 60) -> str:
    """A file-name-safe form of an id: lower-case ASCII letters, digits and ``-``.

    Accents are dropped (``Café`` -> ``cafe``), every other run of characters
    becomes one ``-``; an id with nothing left becomes ``id``.
    """
    ascii_ = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return text[:max_length].strip("-") or "id"


def _short_hash(value: str, length: int = 8) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:length]


def unique_slugs(ids: Iterable[str]) -> dict[str, str]:
    """Map ids to slugs that are unique: ids whose slugs coincide get a hash appended.

    Parameters
    ----------
    ids
        Distinct ids of one kind.

    Returns
    -------
    dict[str, str]
        Id -> unique slug.
    """
    keys = list(dict.fromkeys(ids))
    base = {i: slug(i) for i in keys}
    counts = Counter(base.values())
    out = {i: base[i] if counts[base[i]] == 1 else f"{base[i]}-{_short_hash(i)}" for i in keys}
    if len(set(out.values())) < len(out):  # a hashed slug met a plain one: hash them all
        out = {i: f"{base[i]}-{_short_hash(i, 16)}" for i in keys}
    if len(set(out.values())) < len(out):  # pragma: no cover - a sha256 prefix collision
        raise IcsError("cannot give every id a unique file name")
    return out


def file_names(problem: Problem) -> dict[tuple[str, str], str]:
    """File name of every calendar: ``(kind, id)`` -> name.

    Kinds are ``person``, ``network``, ``venue`` (one file per id) and
    ``all`` (id ``""``, file ``all.ics``). A person's file is named after
    their email when the input gives one (the data contract), else their id.
    """
    out: dict[tuple[str, str], str] = {}
    # the contract names a person's own calendar after their email where given
    # (``person-j-devries-example-nl.ics``), else after their id
    labels = {p.id: p.email.strip() or p.id for p in problem.people}
    shared = Counter(labels.values())
    for pid, label in list(labels.items()):
        if shared[label] > 1:  # one email for several people: add the id
            labels[pid] = f"{label}-{pid}"
    slugs = unique_slugs(labels.values())
    for person in problem.people:
        out[("person", person.id)] = f"person-{slugs[labels[person.id]]}.ics"
    for kind, ids in (
        ("network", [n.id for n in problem.networks]),
        ("venue", [v.id for v in problem.venues]),
    ):
        for id_, name in unique_slugs(ids).items():
            out[(kind, id_)] = f"{kind}-{name}.ics"
    out[("all", "")] = "all.ics"
    return out


# ----------------------------------------------------------------------- events
@dataclass(frozen=True, slots=True)
class CalendarFile:
    """One calendar file: its name, what it holds, and its bytes."""

    name: str
    kind: str
    key: str
    title: str
    data: bytes


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


def _event_lines(
    ctx: _Context,
    m: ScheduledMeeting,
    reader: str | None,
    *,
    dtstamp: datetime,
    sequence: int,
    print_: str,
    cancelled: bool = False,
) -> list[str]:
    body = _cancelled_lines(ctx, m) if cancelled else _body_lines(ctx, m, reader)
    return [
        "BEGIN:VEVENT",
        f"UID:{meeting_uid(ctx.problem, m.network, m.seq, legacy=ctx.legacy)}",
        f"DTSTAMP:{utc_stamp(dtstamp)}",
        f"SEQUENCE:{sequence}",
        *body,
        f"{FINGERPRINT_PROPERTY}:{print_}",
        "END:VEVENT",
    ]


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


def _cancelled_keys(problem: Problem, m: ScheduledMeeting) -> list[tuple[str, str]]:
    """The files a cancelled meeting stays in: its network's, venue's, attendees', ``all.ics``."""
    keys = [("all", "")]
    if m.network in problem.network_by_id:
        keys.append(("network", m.network))
    if m.venue in problem.venue_by_id:
        keys.append(("venue", m.venue))
    keys += [("person", p) for p in dict.fromkeys(m.attendees) if p in problem.person_by_id]
    return keys


def _calendar_bytes(title: str, ctx: _Context, events: list[list[str]]) -> bytes:
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape_text(title)}",
        f"X-WR-CALNAME:{escape_text(title)}",
        f"X-WR-TIMEZONE:{ctx.tzid}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
        *ctx.vtimezone,
    ]
    lines = head + [line for event in events for line in event] + ["END:VCALENDAR"]
    return b"".join(fold_line(line) for line in lines)


def default_dtstamp(problem: Problem) -> datetime:
    """The DTSTAMP used when none is given: 00:00 UTC on the horizon's first day."""
    return datetime.combine(problem.settings.start, time(), UTC)


def calendar_files(
    problem: Problem,
    schedule: Schedule,
    *,
    dtstamp: datetime | None = None,
    sequence: Mapping[str, int] | None = None,
    cancelled: Sequence[ScheduledMeeting] = (),
    legacy: bool = False,
) -> tuple[CalendarFile, ...]:
    """Every calendar file of a plan, in memory.

    Parameters
    ----------
    problem
        The input problem (names, venues, members, settings).
    schedule
        The planned meetings.
    dtstamp
        The DTSTAMP of every event (an aware instant); default
        :func:`default_dtstamp`.
    sequence
        SEQUENCE by meeting id (``ScheduledMeeting.meeting``); missing
        meetings get 0. See :func:`next_sequences`.
    cancelled
        Published meetings a re-plan cancelled (:mod:`planner.replan`): they
        stay in the files, after the planned ones, with ``STATUS:CANCELLED``
        and a summary prefixed by "Geannuleerd"/"Cancelled".
    legacy
        UIDs of the form of plans made before they carried the horizon
        (:func:`meeting_uid`; see :func:`legacy_uids`).

    Returns
    -------
    tuple[CalendarFile, ...]
        People, then networks, then venues (each in file order), then
        ``all.ics``.

    Raises
    ------
    IcsError
        If the time zone is unknown or ``dtstamp`` is naive.
    """
    return _files(
        problem,
        schedule,
        dtstamp=dtstamp,
        sequence=sequence,
        only=None,
        cancelled=cancelled,
        legacy=legacy,
    )


def _files(
    problem: Problem,
    schedule: Schedule,
    *,
    dtstamp: datetime | None,
    sequence: Mapping[str, int] | None,
    only: tuple[str, str] | None,
    cancelled: Sequence[ScheduledMeeting] = (),
    legacy: bool = False,
) -> tuple[CalendarFile, ...]:
    """The calendar files, or only the one ``(kind, key)``."""
    if dtstamp is not None and dtstamp.utcoffset() is None:
        raise IcsError("dtstamp must be an aware datetime")
    stamp = (dtstamp or default_dtstamp(problem)).astimezone(UTC).replace(microsecond=0)
    seqs = sequence or {}
    ctx = _Context(problem, schedule, legacy=legacy)
    prints = _fingerprints(ctx, schedule)
    names = file_names(problem)
    lang = ctx.language
    groups: dict[tuple[str, str], list[ScheduledMeeting]] = {}
    for m in schedule:
        keys = [("network", m.network), ("venue", m.venue), ("all", "")]
        keys += [("person", p) for p in dict.fromkeys(m.attendees)]
        for k in keys:
            groups.setdefault(k, []).append(m)
    prints |= _cancelled_prints(ctx, cancelled)
    gone = {m.meeting for m in cancelled}
    for m in cancelled:
        for k in _cancelled_keys(problem, m):
            groups.setdefault(k, []).append(m)
    wanted: list[tuple[str, str, str]] = [
        *(
            ("person", p.id, _text(lang, "cal_person", name=_one_line(p.name)))
            for p in problem.people
        ),
        *(
            ("network", n.id, _text(lang, "cal_network", name=_one_line(n.name)))
            for n in problem.networks
        ),
        *(
            ("venue", v.id, _text(lang, "cal_venue", name=_one_line(v.name)))
            for v in problem.venues
        ),
        ("all", "", _text(lang, "cal_all")),
    ]
    out: list[CalendarFile] = []
    for kind, key, title in wanted:
        if only is not None and (kind, key) != only:
            continue
        reader = key if kind == "person" else None
        events = [
            _event_lines(
                ctx,
                m,
                reader,
                dtstamp=stamp,
                sequence=seqs.get(m.meeting, 0),
                print_=prints[m.meeting],
                cancelled=m.meeting in gone,
            )
            for m in groups.get((kind, key), [])
        ]
        data = _calendar_bytes(title, ctx, events)
        out.append(CalendarFile(names[(kind, key)], kind, key, title, data))
    return tuple(out)


def person_calendar(
    problem: Problem,
    schedule: Schedule,
    person: str,
    *,
    dtstamp: datetime | None = None,
    sequence: Mapping[str, int] | None = None,
) -> bytes:
    """The bytes of one person's calendar (every meeting of theirs, any role)."""
    return _one(problem, schedule, "person", person, dtstamp=dtstamp, sequence=sequence)


def network_calendar(
    problem: Problem,
    schedule: Schedule,
    network: str,
    *,
    dtstamp: datetime | None = None,
    sequence: Mapping[str, int] | None = None,
) -> bytes:
    """The bytes of one network's calendar."""
    return _one(problem, schedule, "network", network, dtstamp=dtstamp, sequence=sequence)


def venue_calendar(
    problem: Problem,
    schedule: Schedule,
    venue: str,
    *,
    dtstamp: datetime | None = None,
    sequence: Mapping[str, int] | None = None,
) -> bytes:
    """The bytes of one venue's calendar."""
    return _one(problem, schedule, "venue", venue, dtstamp=dtstamp, sequence=sequence)


def all_calendar(
    problem: Problem,
    schedule: Schedule,
    *,
    dtstamp: datetime | None = None,
    sequence: Mapping[str, int] | None = None,
) -> bytes:
    """The bytes of ``all.ics``: every meeting."""
    return _one(problem, schedule, "all", "", dtstamp=dtstamp, sequence=sequence)


def _one(
    problem: Problem,
    schedule: Schedule,
    kind: str,
    key: str,
    *,
    dtstamp: datetime | None,
    sequence: Mapping[str, int] | None,
) -> bytes:
    found = _files(problem, schedule, dtstamp=dtstamp, sequence=sequence, only=(kind, key))
    if not found:
        raise IcsError(f"no {kind} {key!r} in the problem")
    return found[0].data


# ----------------------------------------------------------- previous exports
def previous_revisions(ics_dir: Path) -> dict[str, tuple[int, str]]:
    """``UID -> (SEQUENCE, fingerprint)`` of the events in a previous ``ics/`` folder.

    Over all ``*.ics`` files; the highest SEQUENCE of a UID wins. An event
    without a fingerprint gets ``""``.

    Raises
    ------
    IcsError
        If a file cannot be read as iCalendar.
    """
    from icalendar import Calendar

    out: dict[str, tuple[int, str]] = {}
    if not ics_dir.is_dir():
        return out
    for path in sorted(ics_dir.glob("*.ics")):
        try:
            calendar = Calendar.from_ical(path.read_bytes())
            events = list(calendar.walk("VEVENT"))
        except (OSError, ValueError) as exc:
            raise IcsError(f"{path}: not a readable calendar file ({exc})") from exc
        for event in events:
            uid = str(event.get("UID", ""))
            if not uid:
                continue
            try:
                seq = int(event.get("SEQUENCE", 0))
            except (TypeError, ValueError):
                seq = 0
            mark = str(event.get(FINGERPRINT_PROPERTY, ""))
            if uid not in out or seq > out[uid][0]:
                out[uid] = (seq, mark)
    return out


def next_sequences(
    previous: Path | None,
    problem: Problem,
    schedule: Schedule,
    cancelled: Sequence[ScheduledMeeting] = (),
) -> dict[str, int]:
    """SEQUENCE of every meeting given the previous export (``None``: none).

    The previous export's events are found under the UIDs it used (with the
    horizon, or of the old form: :func:`legacy_uids`).

    A meeting the previous export lacks gets 0; one whose fingerprint is
    unchanged keeps its SEQUENCE; a changed one gets the previous + 1. The
    same holds for ``cancelled`` meetings (see :func:`calendar_files`): the
    first export that cancels one raises its SEQUENCE.

    Returns
    -------
    dict[str, int]
        Meeting id -> SEQUENCE.
    """
    before = previous_revisions(previous) if previous is not None else {}
    legacy = legacy_uids(before)
    prints = fingerprint(problem, schedule)
    prints |= _cancelled_prints(_Context(problem, schedule), cancelled)
    out: dict[str, int] = {}
    for m in (*schedule, *cancelled):
        old = before.get(meeting_uid(problem, m.network, m.seq, legacy=legacy))
        if old is None:
            out[m.meeting] = 0
        else:
            out[m.meeting] = old[0] if old[1] == prints[m.meeting] else old[0] + 1
    return out


# ---------------------------------------------------------------------- writing
def write_calendars(
    out_dir: Path,
    problem: Problem,
    schedule: Schedule,
    *,
    dtstamp: datetime | None = None,
    sequence: Mapping[str, int] | None = None,
    cancelled: Sequence[ScheduledMeeting] = (),
    legacy: bool | None = None,
    previous: Path | None = None,
) -> list[Path]:
    """Write every calendar file into ``out_dir``, replacing it as a whole.

    The files are written to a temporary sibling folder that is then renamed
    into place (:func:`planner.outdir.atomic_folder`), so ``out_dir`` always
    holds the old or the new files. An existing ``out_dir`` must be a calendar
    folder dakpan wrote (its marker, or only ``.ics`` files); other files in
    it are kept.

    Parameters
    ----------
    out_dir
        The folder to write (created, or replaced).
    problem, schedule
        The plan.
    dtstamp
        See :func:`calendar_files`.
    sequence
        SEQUENCE by meeting id; by default :func:`next_sequences` against
        the calendar files already in ``out_dir``.
    cancelled
        See :func:`calendar_files`.
    legacy
        UIDs of the old form (see :func:`legacy_uids`); by default so when
        the files already in ``out_dir`` have them.
    previous
        The calendar folder whose files the defaults of ``sequence`` and
        ``legacy`` are judged against (default: ``out_dir`` itself).

    Returns
    -------
    list[Path]
        The files written, in the order of :func:`calendar_files`.

    Raises
    ------
    IcsError
        If ``out_dir`` cannot be replaced or its old files cannot be read.
    """
    out_dir = Path(out_dir)
    why = folder_problem(out_dir, "ics")
    if why is not None:
        raise IcsError(why)
    before = out_dir if previous is None else previous
    old = before if before.is_dir() else None
    if sequence is None:
        sequence = next_sequences(old, problem, schedule, cancelled)
    if legacy is None:
        legacy = old is not None and legacy_uids(previous_revisions(old))
    files = calendar_files(
        problem,
        schedule,
        dtstamp=dtstamp,
        sequence=sequence,
        cancelled=cancelled,
        legacy=legacy,
    )
    try:
        with atomic_folder(out_dir, owned=CalendarFiles(), kind="ics") as tmp:
            for f in files:
                (tmp / f.name).write_bytes(f.data)
    except OSError as exc:
        raise IcsError(f"{out_dir}: cannot write ({exc.strerror or exc})") from exc
    return [out_dir / f.name for f in files]


def ics_writer(
    problem: Problem,
    schedule: Schedule,
    previous: Path | None = None,
    *,
    folder: str = "ics",
    dtstamp: datetime | None = None,
    cancelled: Sequence[ScheduledMeeting] = (),
) -> Callable[[Path], None]:
    """A writer of ``<plan folder>/ics`` for :func:`planner.planfile.write_plan_folder`.

    Parameters
    ----------
    problem, schedule
        The plan.
    previous
        The ``ics/`` folder of the plan this one replaces (if any): its
        events' SEQUENCE values are carried on (see :func:`next_sequences`).
        It is read when the writer runs, i.e. before the old plan folder is
        replaced.
    folder
        Name of the calendar folder inside the plan folder.
    dtstamp, cancelled
        See :func:`calendar_files`.

    Returns
    -------
    Callable[[Path], None]
        Called with the (temporary) plan folder; writes ``folder`` in it.
    """

    def write(plan_dir: Path) -> None:
        target = plan_dir / folder
        write_calendars(
            target,
            problem,
            schedule,
            dtstamp=dtstamp,
            cancelled=cancelled,
            previous=target if previous is None else previous,
        )

    return write
