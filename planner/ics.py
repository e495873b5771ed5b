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

This module assembles and writes the files; what each event shows lives in
:mod:`planner.ics_events`, UIDs and file names in :mod:`planner.ics_names`
and the formatting in :mod:`planner.ics_format`.

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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from planner.ics_events import (
    _body_lines,
    _cancelled_lines,
    _cancelled_prints,
    _Context,
    _fingerprints,
    _one_line,
    _text,
    cancelled_fingerprints,
    fingerprint,
)
from planner.ics_format import (
    IcsError,
    escape_text,
    fold_line,
    utc_stamp,
)
from planner.ics_names import (
    UID_DOMAIN,
    file_names,
    horizon_tag,
    legacy_uids,
    meeting_uid,
    other_horizon,
    slug,
    uid_for,
    unique_slugs,
)
from planner.outdir import CalendarFiles, atomic_folder, folder_problem
from planner.problem import Problem
from planner.schedule import Schedule, ScheduledMeeting
from planner.texts import long_date

PRODID = "-//dakpan//dakpan planner//EN"
REFRESH = "PT12H"
FINGERPRINT_PROPERTY = "X-DAKPAN-FINGERPRINT"
KINDS: tuple[str, ...] = ("person", "network", "venue", "all")

__all__ = [
    "FINGERPRINT_PROPERTY",
    "KINDS",
    "PRODID",
    "REFRESH",
    "UID_DOMAIN",
    "CalendarFile",
    "all_calendar",
    "calendar_files",
    "cancelled_fingerprints",
    "default_dtstamp",
    "file_names",
    "fingerprint",
    "horizon_tag",
    "ics_writer",
    "legacy_uids",
    "long_date",
    "meeting_uid",
    "network_calendar",
    "next_sequences",
    "other_horizon",
    "person_calendar",
    "previous_revisions",
    "slug",
    "uid_for",
    "unique_slugs",
    "venue_calendar",
    "write_calendars",
]
"""Everything :mod:`planner.ics` offers, the event fingerprints, UIDs and file names included."""


# ----------------------------------------------------------------------- events
@dataclass(frozen=True, slots=True)
class CalendarFile:
    """One calendar file: its name, what it holds, and its bytes."""

    name: str
    kind: str
    key: str
    title: str
    data: bytes


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
