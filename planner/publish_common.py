"""What every way of publishing a plan shares (``dakpan publish``).

A plan is published as it is in its folder: the meetings of ``plan.json``
(or, when asked, of an edited ``schedule.csv``), checked first: a plan that
breaks a hard rule is never published. Every channel (feeds, CalDAV,
invitations) carries the same event content as the plan's ``ics/`` files
(:mod:`planner.ics`): the same UIDs ``<horizon>.<network>-<seq>@dakpan`` and the same
``X-DAKPAN-FINGERPRINT``; SEQUENCE numbers carry on from the plan's ``ics/``
folder and from whatever the channel published before, whichever is higher.
"""

from __future__ import annotations

import netrc
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from planner.changes import read_cancelled
from planner.check import check
from planner.ics import (
    FINGERPRINT_PROPERTY,
    UID_DOMAIN,
    cancelled_fingerprints,
    fingerprint,
    meeting_uid,
    next_sequences,
)
from planner.planfile import read_plan
from planner.problem import Problem
from planner.schedule import Schedule, ScheduledMeeting

#: Property that marks an event as written by dakpan (besides its UID's domain).
MARK_PROPERTY = FINGERPRINT_PROPERTY


class PublishError(Exception):
    """Publishing failed; the message says what happened and what to do."""


@dataclass(frozen=True, slots=True)
class Publication:
    """A plan ready to publish.

    Attributes
    ----------
    problem, schedule
        The plan.
    sequence
        SEQUENCE by meeting id (carried on from the plan's ``ics/`` folder).
    prints
        Content fingerprint by meeting id (see :func:`planner.ics.fingerprint`).
    uids
        UID by meeting id.
    hard_violations
        Hard-rule violations of the schedule (publishing refuses when > 0).
    violation_lines
        The first few violations, in the plan's language.
    cancelled
        Meetings a re-plan cancelled (the plan folder's ``changes.csv``): they
        are published with ``STATUS:CANCELLED`` (see :func:`planner.ics.calendar_files`).
    """

    problem: Problem
    schedule: Schedule
    sequence: Mapping[str, int]
    prints: Mapping[str, str]
    uids: Mapping[str, str]
    hard_violations: int
    violation_lines: tuple[str, ...]
    cancelled: tuple[ScheduledMeeting, ...] = ()


def is_ours(uid: str, mark: str | None) -> bool:
    """Whether an event was written by dakpan: a ``@dakpan`` UID and the fingerprint mark."""
    return uid.endswith(f"@{UID_DOMAIN}") and bool(mark)


def publication(
    problem: Problem,
    schedule: Schedule,
    ics_dir: Path | None,
    cancelled: tuple[ScheduledMeeting, ...] = (),
) -> Publication:
    """Check a plan and compute its SEQUENCE numbers and fingerprints.

    Parameters
    ----------
    problem, schedule
        The plan.
    ics_dir
        The plan's ``ics/`` folder (its SEQUENCE numbers are carried on), or
        ``None``.
    cancelled
        Meetings a re-plan cancelled, published as cancelled.

    Returns
    -------
    Publication
        The plan with its sequences, fingerprints and hard violations.
    """
    report = check(problem, schedule)
    lines = tuple(v.reason for v in report.violations[:5])
    folder = ics_dir if ics_dir is not None and ics_dir.is_dir() else None
    return Publication(
        problem=problem,
        schedule=schedule,
        sequence=next_sequences(folder, problem, schedule, cancelled),
        prints=fingerprint(problem, schedule) | cancelled_fingerprints(problem, cancelled),
        uids={m.meeting: meeting_uid(problem, m.network, m.seq) for m in (*schedule, *cancelled)},
        hard_violations=report.hard_violations,
        violation_lines=lines,
        cancelled=cancelled,
    )


def load(plan_dir: Path, *, schedule_from_csv: bool = False) -> Publication:
    """Read a plan folder and prepare it for publishing.

    Raises
    ------
    planner.read.InputError
        If the plan folder cannot be read.
    """
    plan = read_plan(plan_dir, schedule_from_csv=schedule_from_csv)
    folder = plan_dir if plan_dir.is_dir() else plan_dir.parent
    cancelled = read_cancelled(folder, plan.problem)
    return publication(plan.problem, plan.schedule, folder / "ics", cancelled)


def require_clean(pub: Publication) -> None:
    """Refuse to publish a plan that breaks a hard rule.

    Raises
    ------
    PublishError
        If the schedule has hard violations.
    """
    if pub.hard_violations:
        listed = "\n".join(f"  - {line}" for line in pub.violation_lines)
        raise PublishError(
            f"the plan breaks {pub.hard_violations} hard rule(s); nothing is published "
            f"(run `dakpan check` for the full list):\n{listed}"
        )


def carried(pub: Publication, previous: Mapping[str, tuple[int, str]]) -> dict[str, int]:
    """SEQUENCE by meeting id, also carried on from a channel's own earlier publication.

    Parameters
    ----------
    pub
        The plan.
    previous
        ``UID -> (SEQUENCE, fingerprint)`` the channel published before.

    Returns
    -------
    dict[str, int]
        The higher of the plan's SEQUENCE and the channel's (+1 when the
        content changed since).
    """
    out: dict[str, int] = {}
    for m in (*pub.schedule, *pub.cancelled):
        seq = pub.sequence.get(m.meeting, 0)
        old = previous.get(pub.uids[m.meeting])
        if old is not None:
            seq = max(seq, old[0] if old[1] == pub.prints[m.meeting] else old[0] + 1)
        out[m.meeting] = seq
    return out


def write_private(path: Path, data: bytes) -> None:
    """Write a file atomically with mode 0600 (a temporary sibling renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True, slots=True)
class Credentials:
    """Who to log in as. ``source`` says where the password came from (never the password)."""

    user: str | None
    password: str | None
    source: str

    def __repr__(self) -> str:  # never show the password, e.g. in a traceback
        return f"Credentials(user={self.user!r}, password=<hidden>, source={self.source!r})"


def find_credentials(
    host: str, user: str | None, env_var: str, env: Mapping[str, str] | None = None
) -> Credentials:
    """A password from the environment variable ``env_var``, else from netrc for ``host``.

    The netrc file is ``NETRC`` or ``~/.netrc``; its login is the user unless
    ``user`` is given. Never from the command line.

    Raises
    ------
    PublishError
        If the netrc file cannot be read, or a password is found without a user.
    """
    env = os.environ if env is None else env
    password = env.get(env_var)
    source = env_var
    if password is None:
        path = Path(env["NETRC"]) if env.get("NETRC") else Path.home() / ".netrc"
        entry = None
        if path.is_file():
            try:
                entry = netrc.netrc(str(path)).authenticators(host)
            except (netrc.NetrcParseError, OSError) as exc:
                raise PublishError(f"{path}: cannot read the netrc file ({exc.args[0]})") from None
        if entry is not None:
            login, _, password = entry
            user = user or login or None
            source = str(path)
        else:
            source = "none"
    if password is not None and not user:
        raise PublishError(f"a password is set ({source}) but no user: give the user option")
    return Credentials(user, password, source)
