"""E-mail invitations (iTIP over iMIP): ``dakpan publish --invitations DIR``.

Every message is one meeting for one person: a ``METHOD:REQUEST`` (new or
changed) or ``METHOD:CANCEL`` (gone from the plan, or the person no longer
attends) iCalendar object with ``ORGANIZER`` (the coordinator) and
``ATTENDEE`` (the member), sent as ``text/calendar; method=...`` inside a
``multipart/alternative`` message with a short plain-text part. One meeting
per message because that is what Outlook and Gmail act upon (they read only
the first event of an invitation).

What was sent is recorded per address in ``DIR/sent.json``: UID, SEQUENCE,
fingerprint (of the event as that person reads it) and the calendar text.
A run compares the plan with that record and sends only the difference: a
meeting the address never got (REQUEST, the plan's SEQUENCE), one whose
fingerprint changed (REQUEST, SEQUENCE raised above what was sent), one it
got that the plan no longer gives it (CANCEL, SEQUENCE + 1). So a second
run sends nothing, and after a re-plan only the people whose meetings
changed get mail. Without ``--smtp`` the
pending messages are only written to ``DIR`` as ``.eml`` files (nothing is
recorded); with it they are sent one by one and each is recorded as soon as
the server accepted it, so an interrupted run loses nothing and the next
run sends the rest.

People without an e-mail address are listed and skipped. The state is kept
per address (lower case): a person whose address changed gets their
meetings at the new address, and cancellations at the old one.
"""

from __future__ import annotations

import hashlib
import json
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from planner.ics import calendar_files, slug
from planner.ics_format import fold_line
from planner.problem import Person, Role, fmt_time
from planner.publish_common import Publication, PublishError, write_private
from planner.texts import long_date

STATE_FILE = "sent.json"
MARKER = ".dakpan-invitations"
STATE_FORMAT = "dakpan-invitations"
SMTP_TIMEOUT = 30

_SUBJECTS = {
    "nl": {"new": "Uitnodiging", "update": "Gewijzigd", "cancel": "Vervallen"},
    "en": {"new": "Invitation", "update": "Changed", "cancel": "Cancelled"},
}
_BODY = {
    "nl": {
        "new": "U bent uitgenodigd voor {what}.",
        "update": "{what} is gewijzigd. Uw agenda werkt de afspraak bij.",
        "cancel": "{what} gaat niet door. Uw agenda haalt de afspraak weg.",
        "footer": "Deze uitnodiging is gemaakt met dakpan.",
    },
    "en": {
        "new": "You are invited to {what}.",
        "update": "{what} has changed. Your calendar updates the appointment.",
        "cancel": "{what} is cancelled. Your calendar removes the appointment.",
        "footer": "This invitation was made with dakpan.",
    },
}


@dataclass(frozen=True, slots=True)
class Invitation:
    """One pending message.

    Attributes
    ----------
    kind
        ``new``, ``update`` or ``cancel``.
    email, name
        The recipient.
    uid, sequence, fingerprint
        The event, as it will be recorded once sent.
    calendar
        The iCalendar text (CRLF, folded).
    subject, summary
        The mail's subject and a one-line description of the meeting.
    language
        ``nl`` or ``en``: the language of the mail's text.
    """

    kind: str
    email: str
    name: str
    uid: str
    sequence: int
    fingerprint: str
    calendar: str
    subject: str
    summary: str
    language: str = "nl"

    @property
    def method(self) -> str:
        """``REQUEST`` or ``CANCEL``."""
        return "CANCEL" if self.kind == "cancel" else "REQUEST"

    @property
    def file_name(self) -> str:
        """The ``.eml`` file name: address, UID, SEQUENCE and method."""
        tag = hashlib.sha256(f"{self.email}\n{self.uid}".encode()).hexdigest()[:6]
        base = slug(self.uid.rsplit("@", 1)[0])
        return f"{slug(self.email)}--{base}-{tag}-{self.sequence}-{self.method.lower()}.eml"


@dataclass(frozen=True, slots=True)
class Outbox:
    """Everything a run would send, and who was skipped."""

    invitations: tuple[Invitation, ...]
    without_email: tuple[str, ...]
    state: Mapping[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Messages by kind."""
        out = {"new": 0, "update": 0, "cancel": 0}
        for inv in self.invitations:
            out[inv.kind] += 1
        return out

    def recipients(self) -> tuple[str, ...]:
        """The addresses that get mail, in order."""
        return tuple(dict.fromkeys(inv.email for inv in self.invitations))


# ----------------------------------------------------------------------- state
def read_state(folder: Path) -> dict[str, Any]:
    """``DIR/sent.json`` (an empty record when it does not exist).

    Raises
    ------
    PublishError
        If the file cannot be read.
    """
    path = folder / STATE_FILE
    if not path.is_file():
        return {"format": STATE_FORMAT, "version": 1, "sent": {}}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PublishError(f"{path}: cannot read the record of sent invitations ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
        raise PublishError(f"{path}: not a dakpan record of sent invitations")
    data.setdefault("sent", {})
    return data


def record(folder: Path, state: dict[str, Any], inv: Invitation) -> None:
    """Record one sent message in ``state`` and write ``DIR/sent.json`` at once."""
    events = state["sent"].setdefault(inv.email, {})
    if inv.kind == "cancel":
        events.pop(inv.uid, None)
    else:
        events[inv.uid] = {
            "sequence": inv.sequence,
            "fingerprint": inv.fingerprint,
            "calendar": inv.calendar,
        }
    if not events:
        state["sent"].pop(inv.email, None)
    text = json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    write_private(folder / STATE_FILE, text.encode("utf-8"))


# ------------------------------------------------------------------- messages
def _unfold(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def _blocks(lines: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The VTIMEZONE lines and every VEVENT's lines by UID."""
    zones: list[str] = []
    events: dict[str, list[str]] = {}
    block: list[str] | None = None
    for line in lines:
        if line in ("BEGIN:VTIMEZONE", "BEGIN:VEVENT"):
            block = []
        if block is not None:
            block.append(line)
            if line == "END:VTIMEZONE":
                zones += block
                block = None
            elif line == "END:VEVENT":
                uid = next(x[4:] for x in block if x.startswith("UID:"))
                events[uid] = block
                block = None
    return zones, events


def _mailto(email: str) -> str:
    return "mailto:" + email


def _cn(name: str) -> str:
    return '"' + " ".join(name.replace('"', "'").split()) + '"'


def _calendar(method: str, zones: list[str], event: list[str]) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//dakpan//dakpan planner//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *zones,
        *event,
        "END:VCALENDAR",
    ]
    return b"".join(fold_line(line) for line in lines).decode("utf-8")


def _with_people(
    event: list[str], organizer: str, organizer_name: str, who: Person, role: Role
) -> list[str]:
    part = "OPT-PARTICIPANT" if role is Role.OPTIONAL else "REQ-PARTICIPANT"
    extra = [
        f"ORGANIZER;CN={_cn(organizer_name or organizer)}:{_mailto(organizer)}",
        f"ATTENDEE;CN={_cn(who.name)};ROLE={part};PARTSTAT=NEEDS-ACTION;RSVP=TRUE:"
        f"{_mailto(who.email.strip())}",
    ]
    return [*event[:-1], *extra, event[-1]]


def _cancelled(calendar: str, sequence: int, when: datetime) -> str:
    """A CANCEL made from the last REQUEST sent: same event, STATUS:CANCELLED, SEQUENCE raised."""
    lines = _unfold(calendar.encode("utf-8"))
    zones, events = _blocks(lines)
    event = next(iter(events.values()))
    out: list[str] = []
    for line in event:
        if line.startswith("SEQUENCE:"):
            out.append(f"SEQUENCE:{sequence}")
        elif line.startswith("STATUS:"):
            out.append("STATUS:CANCELLED")
        else:
            out.append(line)
    return _calendar("CANCEL", zones, _restamp(out, when))


def _summary_of(calendar: str) -> str:
    from icalendar import Calendar

    event = next(iter(Calendar.from_ical(calendar).walk("VEVENT")))
    start = event.decoded("DTSTART")
    return f"{event.get('SUMMARY', '')}, {start:%Y-%m-%d %H:%M}"


def _person_print(event: list[str]) -> str:
    """Fingerprint of the event as this person reads it (not DTSTAMP nor SEQUENCE).

    It covers the plan's fingerprint (which is one of the lines) and what only
    this person's copy shows, such as which other meetings of the session
    are theirs.
    """
    body = [x for x in event if not x.startswith(("DTSTAMP:", "SEQUENCE:"))]
    return hashlib.sha256("\n".join(body).encode("utf-8")).hexdigest()[:16]


def _restamp(event: list[str], when: datetime) -> list[str]:
    stamp = f"DTSTAMP:{when.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return [stamp if x.startswith("DTSTAMP:") else x for x in event]


def pending(
    pub: Publication,
    state: Mapping[str, Any],
    *,
    organizer: str,
    when: datetime,
    organizer_name: str = "",
) -> Outbox:
    """The messages that bring every address up to date with the plan.

    Parameters
    ----------
    pub
        The plan.
    state
        :func:`read_state`'s record of what was sent.
    organizer, organizer_name
        The coordinator's address (ORGANIZER, and the mail's sender) and name.
    when
        The messages' DTSTAMP (iTIP: when the message was made; an aware
        datetime). Calendar apps order revisions by SEQUENCE first.

    Returns
    -------
    Outbox
        The pending messages (by address in the people's order, then by
        date) and the people with meetings but no address.
    """
    problem = pub.problem
    lang = problem.settings.language if problem.settings.language in _SUBJECTS else "nl"
    files = calendar_files(problem, pub.schedule, sequence=pub.sequence)
    by_person = {f.key: f.data for f in files if f.kind == "person"}
    roles = {(ms.network, ms.person): ms.role for ms in problem.memberships}
    sent: Mapping[str, Mapping[str, Any]] = state.get("sent", {})
    out: list[Invitation] = []
    skipped: list[str] = []
    current: dict[str, set[str]] = {}
    for who in problem.people:
        mine = [m for m in pub.schedule if who.id in m.attendees]
        email = who.email.strip().lower()
        if not email:
            if mine:
                skipped.append(who.id)
            continue
        zones, events = _blocks(_unfold(by_person[who.id]))
        before = sent.get(email, {})
        seen = current.setdefault(email, set())
        for m in mine:
            uid = pub.uids[m.meeting]
            if uid in seen:  # two people share this address: one message
                continue
            seen.add(uid)
            old = before.get(uid)
            fp = _person_print(events[uid])
            if old is not None and old.get("fingerprint") == fp:
                continue
            seq = pub.sequence.get(m.meeting, 0)
            kind = "new"
            if old is not None:
                seq, kind = max(seq, int(old.get("sequence", 0)) + 1), "update"
            event = [f"SEQUENCE:{seq}" if x.startswith("SEQUENCE:") else x for x in events[uid]]
            role = roles.get((m.network, who.id), Role.REQUIRED)
            event = _with_people(_restamp(event, when), organizer, organizer_name, who, role)
            text = _calendar("REQUEST", zones, event)
            what = _describe(pub, m, lang)
            subject = f"{_SUBJECTS[lang][kind]}: {what}"
            out.append(Invitation(kind, email, who.name, uid, seq, fp, text, subject, what, lang))
    for email, events_sent in sent.items():
        for uid, old in sorted(events_sent.items()):
            if uid in current.get(email, set()):
                continue
            seq = int(old.get("sequence", 0)) + 1
            text = _cancelled(str(old["calendar"]), seq, when)
            what = _summary_of(text)
            subject = f"{_SUBJECTS[lang]['cancel']}: {what}"
            name = next((p.name for p in problem.people if p.email.strip().lower() == email), "")
            out.append(Invitation("cancel", email, name, uid, seq, "", text, subject, what, lang))
    return Outbox(tuple(out), tuple(skipped), state)


def _describe(pub: Publication, m: Any, lang: str) -> str:
    net = pub.problem.network_by_id.get(m.network)
    name = " ".join((net.name if net is not None else m.network).split())
    return f"{name}, {long_date(m.date, lang)} {fmt_time(m.start)}–{fmt_time(m.end)}"


def message(
    inv: Invitation, *, organizer: str, when: datetime, organizer_name: str = ""
) -> EmailMessage:
    """The e-mail of one invitation (``multipart/alternative``: text, then calendar).

    Parameters
    ----------
    inv
        The invitation.
    organizer, organizer_name
        The sender.
    when
        The ``Date`` header (an aware datetime).
    """
    lang = inv.language if inv.language in _BODY else "nl"
    msg = EmailMessage()
    msg["Subject"] = inv.subject
    msg["From"] = Address(organizer_name, addr_spec=organizer)
    msg["To"] = Address(inv.name, addr_spec=inv.email)
    msg["Date"] = format_datetime(when)
    digest = hashlib.sha256(f"{inv.email}\n{inv.uid}\n{inv.sequence}\n{inv.method}".encode())
    msg["Message-ID"] = f"<{digest.hexdigest()[:32]}@dakpan>"
    body = _BODY[lang]
    msg.set_content(f"{body[inv.kind].format(what=inv.summary)}\n\n{body['footer']}\n")
    msg.add_alternative(
        inv.calendar.encode("utf-8"),
        maintype="text",
        subtype="calendar",
        params={"method": inv.method, "charset": "utf-8"},
        cte="base64",
    )
    msg.set_boundary(f"dakpan-{digest.hexdigest()[32:56]}")
    return msg


# ------------------------------------------------------------------- writing
def prepare_folder(folder: Path) -> None:
    """Make sure ``folder`` is (or becomes) an invitations folder.

    Raises
    ------
    PublishError
        If it holds anything else.
    """
    if folder.exists() and not folder.is_dir():
        raise PublishError(f"{folder}: exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise PublishError(
            f"{folder}: is not empty and holds no dakpan invitations ({MARKER}); "
            "choose a new or empty folder"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MARKER).write_text("dakpan invitations folder\n", "utf-8")
    except OSError as exc:
        raise PublishError(f"{folder}: cannot write ({exc.strerror or exc})") from None


def write_outbox(
    folder: Path, outbox: Outbox, *, organizer: str, organizer_name: str, when: datetime
) -> list[Path]:
    """Write the pending messages as ``.eml`` files (earlier ``.eml`` files are removed)."""
    prepare_folder(folder)
    try:
        for old in folder.glob("*.eml"):
            old.unlink()
        out: list[Path] = []
        for inv in outbox.invitations:
            msg = message(inv, organizer=organizer, organizer_name=organizer_name, when=when)
            path = folder / inv.file_name
            path.write_bytes(msg.as_bytes())
            out.append(path)
    except OSError as exc:
        raise PublishError(f"{folder}: cannot write ({exc.strerror or exc})") from None
    return out


def parse_smtp(text: str) -> tuple[str, int]:
    """``HOST:PORT`` -> ``(host, port)``.

    Raises
    ------
    PublishError
        If it is not ``HOST:PORT``.
    """
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise PublishError(f"--smtp {text!r}: expected HOST:PORT, e.g. smtp.example.org:587")
    return host.strip("[]"), int(port)


def send(
    folder: Path,
    outbox: Outbox,
    *,
    smtp: str,
    organizer: str,
    organizer_name: str,
    when: datetime,
    login: tuple[str, str] | None = None,
    progress: Callable[[Invitation], None] | None = None,
) -> int:
    """Send the pending messages over SMTP, recording each one as it is accepted.

    STARTTLS is used when the server offers it; a login (user, password) is
    only sent over TLS or to a loopback host.

    Returns
    -------
    int
        The number of messages sent.

    Raises
    ------
    PublishError
        If the server cannot be reached or refuses a message; what was sent
        before is recorded, and the next run sends the rest.
    """
    host, port = parse_smtp(smtp)
    state = dict(outbox.state)
    state.setdefault("format", STATE_FORMAT)
    state.setdefault("version", 1)
    state["sent"] = json.loads(json.dumps(state.get("sent", {})))
    prepare_folder(folder)
    done = 0
    try:
        with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT) as server:
            server.ehlo()
            secure = False
            if server.has_extn("starttls"):
                server.starttls(context=ssl.create_default_context())
                server.ehlo()
                secure = True
            if login is not None:
                if not secure and host not in ("127.0.0.1", "::1", "localhost"):
                    raise PublishError(f"{host}: refusing to log in without TLS (no STARTTLS)")
                server.login(*login)
            for inv in outbox.invitations:
                msg = message(inv, organizer=organizer, organizer_name=organizer_name, when=when)
                server.send_message(msg, from_addr=organizer, to_addrs=[inv.email])
                record(folder, state, inv)
                done += 1
                if progress is not None:
                    progress(inv)
    except PublishError:
        raise
    except smtplib.SMTPAuthenticationError:
        raise PublishError(f"{host}:{port}: the SMTP server refused the login") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise PublishError(
            f"{host}:{port}: sending failed ({type(exc).__name__}: {exc}); {done} of "
            f"{len(outbox.invitations)} messages were sent and recorded; run the same "
            "command again to send the rest"
        ) from None
    return done
