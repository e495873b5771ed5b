"""The report's section on what a re-plan changed (``report.html``, ``#changes``).

A table of every meeting that changed (moved, retimed, added, cancelled)
with its old and new date, time and venue and the reason, then per person
"your meetings that changed". :func:`with_changes` puts the section into a
report made by :mod:`planner.report`, before its agenda.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path

from planner.changes import Change
from planner.problem import Problem, fmt_time
from planner.schedule import ScheduledMeeting
from planner.texts import short_date

_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Wat is er veranderd",
        "intro": (
            "Herplanning vanaf {cutoff}: {moved} verplaatst, {retimed} op een andere tijd, "
            "{added} toegevoegd, {cancelled} geannuleerd; {members} leden merken het."
        ),
        "none": "Niets veranderd: elke gepubliceerde bijeenkomst blijft waar hij was.",
        "col_meeting": "Bijeenkomst",
        "col_change": "Wijziging",
        "col_old": "Was",
        "col_new": "Wordt",
        "col_reason": "Reden",
        "people": "Jouw bijeenkomsten die veranderd zijn",
        "moved": "verplaatst",
        "retimed": "andere tijd",
        "added": "toegevoegd",
        "cancelled": "geannuleerd",
        "unchanged": "ongewijzigd",
    },
    "en": {
        "title": "What changed",
        "intro": (
            "Re-planned from {cutoff}: {moved} moved, {retimed} retimed, {added} added, "
            "{cancelled} cancelled; {members} members are affected."
        ),
        "none": "Nothing changed: every published meeting stays where it was.",
        "col_meeting": "Meeting",
        "col_change": "Change",
        "col_old": "Was",
        "col_new": "Now",
        "col_reason": "Reason",
        "people": "Your meetings that changed",
        "moved": "moved",
        "retimed": "retimed",
        "added": "added",
        "cancelled": "cancelled",
        "unchanged": "unchanged",
    },
}
_KINDS = ("moved", "retimed", "added", "cancelled")
ANCHOR = '<section id="agenda">'
"""The report's section before which the changes go."""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _where(problem: Problem, lang: str, m: ScheduledMeeting | None) -> str:
    if m is None:
        return "–"
    venue = problem.venue_by_id.get(m.venue)
    name = venue.name if venue is not None else m.venue
    return f"{short_date(m.date, lang)} {fmt_time(m.start)}, {name}"


def changes_section(
    problem: Problem, changes: Sequence[Change], cutoff: str, names: dict[str, str]
) -> str:
    """The HTML of the section (``<section id="changes">``).

    Parameters
    ----------
    problem
        The re-planned problem (names of venues and people, the language).
    changes
        Every row of ``changes.csv``.
    cutoff
        The ``--from`` date as text.
    names
        Network id -> name, also for networks no longer in ``problem``.
    """
    lang = problem.settings.language if problem.settings.language in _TEXTS else "nl"
    t = _TEXTS[lang]
    changed = [c for c in changes if c.change != "unchanged"]
    people = sorted({p for c in changed for p in c.members})
    counts = {k: sum(1 for c in changed if c.change == k) for k in _KINDS}
    intro = t["intro"].format(cutoff=cutoff, members=len(people), **counts)
    parts = [f'<section id="changes"><h2>{_e(t["title"])}</h2><p>{_e(intro)}</p>']
    if not changed:
        parts.append(f'<p class="muted">{_e(t["none"])}</p></section>')
        return "".join(parts)
    head = "".join(
        f"<th>{_e(t[k])}</th>"
        for k in ("col_meeting", "col_change", "col_old", "col_new", "col_reason")
    )
    rows = [
        "<tr>"
        f"<td>{_e(names.get(c.network, c.network))} {c.seq}</td>"
        f"<td>{_e(t[c.change])}</td>"
        f"<td>{_e(_where(problem, lang, c.old))}</td>"
        f"<td>{_e(_where(problem, lang, c.new))}</td>"
        f"<td>{_e(c.reason)}</td>"
        "</tr>"
        for c in changed
    ]
    parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    parts.append(f"<h3>{_e(t['people'])}</h3>")
    for pid in people:
        person = problem.person_by_id.get(pid)
        items = "".join(
            f"<li>{_e(names.get(c.network, c.network))} {c.seq}: {_e(t[c.change])}, "
            f"{_e(_where(problem, lang, c.old))} → {_e(_where(problem, lang, c.new))}</li>"
            for c in changed
            if pid in c.members
        )
        label = person.name if person is not None else pid
        parts.append(f'<div class="person-changes"><h4>{_e(label)}</h4><ul>{items}</ul></div>')
    parts.append("</section>")
    return "".join(parts)


def with_changes(report_text: str, section: str) -> str:
    """The report's text with ``section`` before its agenda (at the end of the body if none)."""
    if ANCHOR in report_text:
        return report_text.replace(ANCHOR, section + "\n" + ANCHOR, 1)
    return report_text.replace("</body>", section + "\n</body>", 1)


def changes_report_writer(
    write_report: Callable[[Path], None], section: str, name: str = "report.html"
) -> Callable[[Path], None]:
    """Wrap a report writer so that the written report holds ``section``."""

    def write(folder: Path) -> None:
        write_report(folder)
        path = folder / name
        path.write_bytes(with_changes(path.read_text("utf-8"), section).encode("utf-8"))

    return write
