"""Sync a plan into a CalDAV calendar (``dakpan publish --caldav URL``).

The URL names the calendar collection itself. Every meeting becomes one
calendar object: the plan's ``all.ics`` event (:mod:`planner.ics`) with its
VTIMEZONE and without ``METHOD`` (RFC 4791 4.1), stored as
``<calendar>/<UID>.ics``.

A sync compares the plan with what the calendar holds and then

- creates the meetings the calendar lacks,
- updates a meeting only when its content changed (its
  ``X-DAKPAN-FINGERPRINT`` or SEQUENCE differs), at the address it has,
- deletes dakpan's events the plan no longer has (a meeting a re-plan
  cancelled is kept, updated to ``STATUS:CANCELLED``).

An event is dakpan's only when its UID ends in ``@dakpan`` *and* it carries
``X-DAKPAN-FINGERPRINT``: every other event in the calendar is never
touched, nor are dakpan's events of another horizon (another school year:
the UID starts with other dates, see :func:`planner.ics.meeting_uid`).
Each change is one request and the comparison is made afresh on every
run, so a sync that stops half-way (a lost connection) is completed by the
next run; a second run with the same plan changes nothing.

Credentials: the user from ``--user`` or the netrc entry; the password from
``DAKPAN_CALDAV_PASSWORD`` or, when that is unset, the netrc file (``NETRC``
or ``~/.netrc``) for the URL's host. Never from the command line or the URL,
and never printed. Without TLS a password is only sent to a loopback host.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from planner.ics import FINGERPRINT_PROPERTY, calendar_files, other_horizon
from planner.publish_common import (
    Credentials,
    Publication,
    PublishError,
    carried,
    find_credentials,
    is_ours,
)

PASSWORD_ENV = "DAKPAN_CALDAV_PASSWORD"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
TIMEOUT = 30

_DAV = "{DAV:}"
_CAL = "{urn:ietf:params:xml:ns:caldav}"
_QUERY = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter>
  </C:filter>
</C:calendar-query>"""
_PROPFIND = """<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>"""
_MKCALENDAR = """<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop><D:displayname>{name}</D:displayname>
  <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
  </D:prop></D:set>
</C:mkcalendar>"""


@dataclass(frozen=True, slots=True)
class RemoteEvent:
    """An event in the calendar: address, UID, SEQUENCE and dakpan's mark (``""`` if none)."""

    href: str
    uid: str
    sequence: int
    mark: str


@dataclass(frozen=True, slots=True)
class Action:
    """One change: ``create``, ``update`` or ``delete`` of the event ``uid`` at ``href``."""

    kind: str
    uid: str
    href: str
    data: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class SyncPlan:
    """What a sync would do, and how many of dakpan's events are already up to date."""

    actions: tuple[Action, ...]
    unchanged: int
    foreign: int
    created_calendar: bool


# ------------------------------------------------------------------ credentials
def credentials(url: str, user: str | None, env: Mapping[str, str] | None = None) -> Credentials:
    """The user and password for ``url``: ``DAKPAN_CALDAV_PASSWORD``, else netrc.

    Raises
    ------
    PublishError
        If the URL carries credentials, or a password is found without a user.
    """
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise PublishError(
            "the CalDAV URL must not hold a user or password: use --user and "
            f"{PASSWORD_ENV} or a netrc file"
        )
    return find_credentials(parts.hostname or "", user, PASSWORD_ENV, env)


# --------------------------------------------------------------------- objects
def event_objects(pub: Publication, sequence: Mapping[str, int]) -> dict[str, tuple[str, str]]:
    """``UID -> (calendar object text, label)`` of every meeting, as it is stored.

    Each object holds the calendar header without ``METHOD``, the VTIMEZONE
    and one VEVENT, with the lines of ``all.ics`` unchanged.
    """
    files = calendar_files(pub.problem, pub.schedule, sequence=sequence, cancelled=pub.cancelled)
    data = next(f.data for f in files if f.kind == "all")
    lines = data.decode("utf-8").split("\r\n")[:-1]
    header: list[str] = []
    timezones: list[str] = []
    events: list[list[str]] = []
    block: list[str] | None = None
    for line in lines:
        if line in ("BEGIN:VTIMEZONE", "BEGIN:VEVENT"):
            block = []
        if block is not None:
            block.append(line)
            if line in ("END:VTIMEZONE", "END:VEVENT"):
                (timezones.extend(block) if line == "END:VTIMEZONE" else events.append(block))
                block = None
        elif line != "END:VCALENDAR" and not line.startswith("METHOD:"):
            header.append(line)
    labels = {
        pub.uids[m.meeting]: f"{m.meeting} {m.date.isoformat()} {m.venue}" for m in pub.schedule
    }
    out: dict[str, tuple[str, str]] = {}
    for event in events:
        uid = next(line[4:] for line in event if line.startswith("UID:"))
        text = "\r\n".join([*header, *timezones, *event, "END:VCALENDAR"]) + "\r\n"
        out[uid] = (text, labels.get(uid, uid))
    return out


def parse_remote(href: str, data: str) -> list[RemoteEvent]:
    """The VEVENTs of one stored calendar object (usually one)."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(data)
    except ValueError:
        return []
    out: list[RemoteEvent] = []
    for event in calendar.walk("VEVENT"):
        try:
            seq = int(event.get("SEQUENCE", 0))
        except (TypeError, ValueError):
            seq = 0
        mark = str(event.get(FINGERPRINT_PROPERTY, ""))
        out.append(RemoteEvent(href, str(event.get("UID", "")), seq, mark))
    return out


def diff(
    pub: Publication, remote: list[RemoteEvent], calendar_url: str
) -> tuple[tuple[Action, ...], int, int]:
    """The actions that make the calendar hold the plan; ``(actions, unchanged, foreign)``."""
    # another school year's events stay untouched, as if they were someone else's
    mine = [is_ours(e.uid, e.mark) and not other_horizon(pub.problem, e.uid) for e in remote]
    ours = {e.uid: e for e, own in zip(remote, mine, strict=True) if own}
    foreign = mine.count(False)
    previous = {uid: (e.sequence, e.mark) for uid, e in ours.items()}
    sequence = carried(pub, previous)
    objects = event_objects(pub, sequence)
    by_uid = {pub.uids[m.meeting]: m.meeting for m in (*pub.schedule, *pub.cancelled)}
    actions: list[Action] = []
    unchanged = 0
    for uid, (text, label) in objects.items():
        meeting = by_uid[uid]
        old = ours.get(uid)
        if old is None:
            href = urljoin(calendar_url, quote(uid, safe="@-._~") + ".ics")
            actions.append(Action("create", uid, href, text, label))
        elif old.mark != pub.prints[meeting] or old.sequence != sequence[meeting]:
            actions.append(Action("update", uid, old.href, text, label))
        else:
            unchanged += 1
    for uid, old in sorted(ours.items()):
        if uid not in objects:
            actions.append(Action("delete", uid, old.href, "", uid))
    return tuple(actions), unchanged, foreign


# ---------------------------------------------------------------------- server
class CalDavSync:
    """A connection to one calendar collection.

    Parameters
    ----------
    url
        The calendar collection's URL (``.../calendars/USER/dakpan/``).
    creds
        From :func:`credentials`.
    client_factory
        Makes the ``caldav.DAVClient`` (tests may wrap it).
    """

    def __init__(
        self,
        url: str,
        creds: Credentials,
        client_factory: Callable[..., Any] | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PublishError(f"--caldav {url!r}: not an http(s) URL")
        if parts.scheme == "http" and creds.password and parts.hostname not in LOOPBACK:
            raise PublishError(
                f"{parts.hostname}: refusing to send a password without TLS; use https://"
            )
        self.url = url if url.endswith("/") else url + "/"
        self.host = parts.netloc
        factory = client_factory if client_factory is not None else _dav_client
        self.client = factory(
            url=self.url, username=creds.user, password=creds.password, timeout=TIMEOUT
        )
        self.creds = creds

    # Every request goes through here, so that every failure reads the same way.
    def _request(self, method: str, url: str, body: str = "", **headers: str) -> Any:
        from caldav.lib import error

        try:
            response = self.client.request(url, method, body, headers)
        except error.AuthorizationError as exc:
            status = getattr(exc, "status", None) or "401/403"
            who = self.creds.user or "no user"
            raise PublishError(
                f"{self.host}: the server refused access ({status}) for {who}; check --user "
                f"and the password ({PASSWORD_ENV} or netrc; now from: {self.creds.source})"
            ) from None
        except error.DAVError as exc:
            raise PublishError(f"{self.host}: {method} failed: {exc.reason}") from None
        except Exception as exc:  # niquests/requests connection errors share no base class
            raise PublishError(
                f"{self.host}: cannot reach the CalDAV server ({type(exc).__name__})"
            ) from None
        status = int(response.status)
        if status in (401, 403):
            raise PublishError(f"{self.host}: the server refused access ({status})")
        return response

    def exists(self) -> bool:
        """Whether the URL is a calendar collection (``False``: it does not exist).

        Raises
        ------
        PublishError
            If it exists but is not a calendar, or the server fails.
        """
        response = self._request(
            "PROPFIND", self.url, _PROPFIND, Depth="0", **{"Content-Type": "application/xml"}
        )
        status = int(response.status)
        if status == 404:
            return False
        if status >= 400:
            raise PublishError(f"{self.url}: the server answered {status}")
        if f"{_CAL}calendar" not in {el.tag for el in _xml(response).iter()}:
            raise PublishError(f"{self.url}: exists but is not a calendar collection")
        return True

    def create(self, name: str = "dakpan") -> None:
        """Create the calendar collection (MKCALENDAR)."""
        body = _MKCALENDAR.format(name=name)
        response = self._request(
            "MKCALENDAR", self.url, body, **{"Content-Type": "application/xml"}
        )
        if int(response.status) not in (200, 201):
            raise PublishError(f"{self.url}: cannot create the calendar ({response.status})")

    def events(self) -> list[RemoteEvent]:
        """Every VEVENT in the calendar (one REPORT)."""
        response = self._request(
            "REPORT", self.url, _QUERY, Depth="1", **{"Content-Type": "application/xml"}
        )
        if int(response.status) >= 400:
            raise PublishError(f"{self.url}: cannot list the events ({response.status})")
        out: list[RemoteEvent] = []
        for item in _xml(response).iter(f"{_DAV}response"):
            href = item.findtext(f"{_DAV}href") or ""
            data = "".join(el.text or "" for el in item.iter(f"{_CAL}calendar-data"))
            if href and data:
                out.extend(parse_remote(urljoin(self.url, href), data))
        return out

    def apply(self, action: Action) -> None:
        """Carry out one action (one request)."""
        if action.kind == "delete":
            response = self._request("DELETE", action.href)
            ok = int(response.status) in (200, 204, 404)
        else:
            headers = {"Content-Type": "text/calendar; charset=utf-8"}
            if action.kind == "create":
                headers["If-None-Match"] = "*"
            response = self._request("PUT", action.href, action.data, **headers)
            ok = int(response.status) in (200, 201, 204)
        if not ok:
            raise PublishError(
                f"{self.host}: {action.kind} of {action.uid} failed ({response.status})"
            )


def _dav_client(**kwargs: Any) -> Any:
    """A ``caldav.DAVClient`` (imported only when a sync runs)."""
    from caldav.davclient import DAVClient

    return DAVClient(**kwargs)


def _xml(response: Any) -> ET.Element:
    raw = response.raw
    try:
        return ET.fromstring(raw.encode("utf-8") if isinstance(raw, str) else raw)
    except ET.ParseError:
        raise PublishError("the CalDAV server sent an unreadable answer") from None


def plan_sync(sync: CalDavSync, pub: Publication, *, create: bool, dry_run: bool) -> SyncPlan:
    """Compare the plan with the calendar (creating it first with ``create``).

    Raises
    ------
    PublishError
        If the calendar does not exist and ``create`` is false, or the server fails.
    """
    made = False
    if not sync.exists():
        if not create:
            raise PublishError(
                f"{sync.url}: no such calendar; run again with --create to create it"
            )
        if dry_run:
            actions, unchanged, foreign = diff(pub, [], sync.url)
            return SyncPlan(actions, unchanged, foreign, created_calendar=True)
        sync.create()
        made = True
    actions, unchanged, foreign = diff(pub, sync.events(), sync.url)
    return SyncPlan(actions, unchanged, foreign, created_calendar=made)


def run_sync(
    sync: CalDavSync, plan: SyncPlan, progress: Callable[[Action], None] | None = None
) -> int:
    """Carry out the plan's actions in order; returns how many were done.

    Raises
    ------
    PublishError
        On the first failure, saying how many were done: the next run
        completes the rest.
    """
    done = 0
    for action in plan.actions:
        try:
            sync.apply(action)
        except PublishError as exc:
            raise PublishError(
                f"{exc}\n{done} of {len(plan.actions)} changes were made; run the same "
                "command again to complete the sync (it picks up where it stopped)"
            ) from None
        done += 1
        if progress is not None:
            progress(action)
    return done
