"""What a re-plan changed: ``changes.csv`` (contract v1.1, "Re-planning output").

Old and new meetings are matched by network and sequence number (``seq``):
a meeting that keeps its network and seq keeps its id and calendar UID.
:func:`diff` compares the published plan with the re-planned one and gives
one :class:`Change` per meeting of either plan:

``unchanged``
    Same date, start and venue.
``retimed``
    Same date and venue, another start.
``moved``
    Another date or venue.
``added``
    A meeting the published plan did not have (a new network, more meetings).
``cancelled``
    A published meeting the new plan no longer has (a network removed, or
    fewer meetings: a network loses its last ones).

The reason names the rule of the new input that the published placement
breaks (the checker's rule kinds: venue closed, member unavailable, venue
removed or no longer allowed, network days or times changed, holiday ...);
when it breaks none, the search chose the move because it pays more than it
costs: ``cheaper`` (``goedkoper``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planner.check import violations_of
from planner.problem import Problem, fmt_time
from planner.safety import neutralise_cell
from planner.schedule import Schedule, ScheduledMeeting

CHANGES_CSV = "changes.csv"
CHANGE_COLUMNS: tuple[str, ...] = (
    "meeting",
    "network",
    "seq",
    "change",
    "old_date",
    "old_start",
    "old_venue",
    "new_date",
    "new_start",
    "new_venue",
    "reason",
    "members_affected",
)
"""Columns of ``changes.csv``, in order (contract v1.1)."""

CHANGE_KINDS: tuple[str, ...] = ("unchanged", "moved", "retimed", "added", "cancelled")

# rule kind of the checker -> (English, Dutch) short reason
_RULE_TEXT: dict[str, tuple[str, str]] = {
    "venue_closed": ("venue closed on that date", "locatie gesloten op die datum"),
    "weekday": (
        "network no longer meets on that weekday",
        "netwerk vergadert niet meer op die dag",
    ),
    "window": ("network changed its times", "netwerk heeft andere tijden"),
    "grid": ("network changed its times", "netwerk heeft andere tijden"),
    "venue_list": (
        "venue no longer one of the network's venues",
        "locatie hoort niet meer bij het netwerk",
    ),
    "holiday": ("now a holiday", "nu een vakantie- of feestdag"),
    "horizon": ("outside the horizon", "buiten de planperiode"),
}
_TEXT: dict[str, tuple[str, str]] = {
    "unavailable": ("member unavailable: {who}", "lid kan niet: {who}"),
    "venue_removed": ("venue removed", "locatie verwijderd"),
    "network_removed": ("network removed", "netwerk verwijderd"),
    "fewer": ("network meets fewer times", "netwerk vergadert minder vaak"),
    "new_network": ("new network", "nieuw netwerk"),
    "more": ("network meets more often", "netwerk vergadert vaker"),
    "cheaper": ("cheaper", "goedkoper"),
}
# the order in which rules are named when several are broken
_RULE_ORDER = ("venue_list", "venue_closed", "unavailable", "weekday", "window", "grid", "holiday")


@dataclass(frozen=True, slots=True)
class Change:
    """One row of ``changes.csv``.

    ``old`` / ``new`` are the meeting in the published / re-planned plan
    (``None`` for an added / cancelled meeting); ``members`` are the person
    ids whose calendars change (empty for an unchanged meeting).
    """

    meeting: str
    network: str
    seq: int
    change: str
    old: ScheduledMeeting | None
    new: ScheduledMeeting | None
    reason: str
    members: tuple[str, ...]

    def sort_key(self) -> tuple[date, int, str, int]:
        """Order of ``changes.csv``: the new (else old) date and start, then network and seq."""
        m = self.new if self.new is not None else self.old
        assert m is not None
        return (m.date, m.start, m.network, m.seq)


def _t(language: str, pair: tuple[str, str]) -> str:
    return pair[1] if language != "en" else pair[0]


def broken_rules(problem: Problem, m: ScheduledMeeting) -> str:
    """The short reason why placement ``m`` breaks a rule of ``problem`` ("" when none).

    Only the rules one meeting can break by itself are asked (venue removed,
    venue list, venue closed, required member unavailable, weekday, window,
    grid, holiday); a clash with other meetings is the search's choice.
    """
    lang = problem.settings.language
    if m.venue not in problem.venue_by_id:
        return _t(lang, _TEXT["venue_removed"])
    net = problem.network_by_id.get(m.network)
    if net is None:
        return _t(lang, _TEXT["network_removed"])
    one = Schedule(
        (
            ScheduledMeeting(
                meeting=m.meeting,
                network=m.network,
                seq=m.seq,
                date=m.date,
                start=m.start,
                end=m.start + net.duration,
                venue=m.venue,
                session=m.session,
                attendees=problem.members(m.network),
            ),
        )
    )
    found: list[str] = []
    for kind in _RULE_ORDER:
        hits = violations_of(problem, one, kind)
        if not hits:
            continue
        if kind == "unavailable":
            names = sorted(
                {
                    problem.person_by_id[v.person].name
                    for v in hits
                    if v.person is not None and v.person in problem.person_by_id
                }
            )
            found.append(_t(lang, _TEXT["unavailable"]).format(who=", ".join(names)))
        else:
            text = _t(lang, _RULE_TEXT[kind])
            if text not in found:
                found.append(text)
    return "; ".join(found)


def _kind(old: ScheduledMeeting, new: ScheduledMeeting) -> str:
    if (old.date, old.venue) != (new.date, new.venue):
        return "moved"
    return "unchanged" if old.start == new.start else "retimed"


def diff(
    old_problem: Problem,
    old: Schedule,
    new_problem: Problem,
    new: Schedule,
    removed: frozenset[str] = frozenset(),
) -> tuple[Change, ...]:
    """Every meeting of either plan with what happened to it (see the module notes).

    Parameters
    ----------
    old_problem, old
        The published plan (its embedded input and its meetings).
    new_problem, new
        The re-planned plan.
    removed
        Networks the new input no longer has (kept in ``new_problem`` only
        for their history).

    Returns
    -------
    tuple[Change, ...]
        Sorted as ``changes.csv`` is (by the new, else old, date and start).
    """
    lang = new_problem.settings.language
    before = {(m.network, m.seq): m for m in old}
    after = {(m.network, m.seq): m for m in new}
    out: list[Change] = []
    for key in sorted(set(before) | set(after)):
        o, n = before.get(key), after.get(key)
        network, seq = key
        if o is not None and n is not None:
            kind = _kind(o, n)
            reason = "" if kind == "unchanged" else broken_rules(new_problem, o)
            if kind != "unchanged" and not reason:
                reason = _t(lang, _TEXT["cheaper"])
            members = () if kind == "unchanged" else _members(new_problem, o, n)
            out.append(Change(n.meeting, network, seq, kind, o, n, reason, members))
        elif n is not None:
            why = "more" if network in old_problem.network_by_id else "new_network"
            members = new_problem.members(network)
            out.append(
                Change(n.meeting, network, seq, "added", None, n, _t(lang, _TEXT[why]), members)
            )
        elif o is not None:
            gone = network in removed or network not in new_problem.network_by_id
            why = "network_removed" if gone else "fewer"
            members = tuple(dict.fromkeys(o.attendees))
            reason = _t(lang, _TEXT[why])
            out.append(Change(o.meeting, network, seq, "cancelled", o, None, reason, members))
    return tuple(sorted(out, key=Change.sort_key))


def _members(problem: Problem, old: ScheduledMeeting, new: ScheduledMeeting) -> tuple[str, ...]:
    """Who sees the change: the old attendees and the new ones (in that order)."""
    return tuple(dict.fromkeys([*old.attendees, *new.attendees]))


def _row(c: Change) -> list[str]:
    def when(m: ScheduledMeeting | None) -> list[str]:
        if m is None:
            return ["", "", ""]
        return [m.date.isoformat(), fmt_time(m.start), neutralise_cell(m.venue)]

    return [
        neutralise_cell(c.meeting),
        neutralise_cell(c.network),
        str(c.seq),
        c.change,
        *when(c.old),
        *when(c.new),
        neutralise_cell(c.reason),
        neutralise_cell(";".join(c.members)),
    ]


def changes_csv_text(changes: Iterable[Change]) -> str:
    """The text of ``changes.csv``: UTF-8, ``,``-separated, ``\\n`` line ends, minimal quoting."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=",", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CHANGE_COLUMNS)
    for c in changes:
        writer.writerow(_row(c))
    return buf.getvalue()


def write_changes_csv(path: Path, changes: Sequence[Change]) -> None:
    """Write ``changes.csv`` (see :func:`changes_csv_text`)."""
    path.write_bytes(changes_csv_text(changes).encode("utf-8"))


def cancelled_of(changes: Iterable[Change]) -> tuple[ScheduledMeeting, ...]:
    """The published meetings a re-plan cancelled (their old placement)."""
    return tuple(c.old for c in changes if c.change == "cancelled" and c.old is not None)


def read_cancelled(folder: Path, *problems: Problem) -> tuple[ScheduledMeeting, ...]:
    """The cancelled meetings a plan folder's ``changes.csv`` lists (none when absent).

    Only what the calendars need is read back: network, seq, date, start,
    venue, attendees; ``end`` is ``start`` plus the network's duration in the
    first of ``problems`` that has the network (60 minutes when none has). A
    row that cannot be read is skipped (the file is dakpan's own output).
    """
    path = folder / CHANGES_CSV
    if not path.is_file():
        return ()
    out: list[ScheduledMeeting] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("change") != "cancelled":
                continue
            try:
                day = date.fromisoformat(row["old_date"])
                hh, mm = row["old_start"].split(":")
                start = int(hh) * 60 + int(mm)
                seq = int(row["seq"])
            except (KeyError, ValueError):
                continue
            members = tuple(p for p in (row.get("members_affected") or "").split(";") if p)
            nets = [
                p.network_by_id[row["network"]]
                for p in problems
                if row["network"] in p.network_by_id
            ]
            duration = nets[0].duration if nets else 60
            out.append(
                ScheduledMeeting(
                    meeting=row["meeting"],
                    network=row["network"],
                    seq=seq,
                    date=day,
                    start=start,
                    end=start + duration,
                    venue=row["old_venue"],
                    session=f"{day.isoformat()}@{row['old_venue']}",
                    attendees=members,
                )
            )
    return tuple(out)


def counts(changes: Iterable[Change]) -> Mapping[str, int]:
    """How many meetings of each kind of change, and ``members`` affected."""
    out = dict.fromkeys(CHANGE_KINDS, 0)
    people: set[str] = set()
    for c in changes:
        out[c.change] += 1
        people.update(c.members)
    out["members"] = len(people)
    return out
