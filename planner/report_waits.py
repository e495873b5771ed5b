"""The report's list of long waits: every wait over ``long_wait`` minutes and what fills it.

A wait (contract v1.1) is the gap from the end of one of a person's required
meetings to the start of their next one that day. For each wait longer than
the ``long_wait`` setting the section names the person, the date, the two
meetings, the minutes, and the meetings of other networks held in between at
the same venue: usually the relay's middle meeting, which the person is not
a member of. It says plainly that these waits were kept because every
alternative the planner tried cost more under the weights, not because no
other plan exists, and which weight trades kilometres for fewer waits.
Computed from the problem and the schedule alone (no solver).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from planner.problem import Problem, Role, fmt_time
from planner.schedule import Schedule, ScheduledMeeting
from planner.texts import long_date

MAX_ROWS = 300
"""Rows shown at most; the rest are counted."""

_TEXTS = {
    "nl": {
        "title": "Lange wachttijden",
        "none": "Niemand wacht langer dan {limit} minuten tussen twee vergaderingen.",
        "intro": (
            "{count} keer wacht iemand langer dan {limit} minuten tussen twee van zijn of "
            "haar vergaderingen op één dag. dakpan houdt zo'n wachttijd alleen aan waar elk "
            "alternatief dat het probeerde meer kost (reiskilometers, reisdagen of andere "
            "wachttijden, volgens de gewichten); het bewijst niet dat er geen ander rooster "
            "is. Meestal vergadert tussendoor een ander netwerk op dezelfde plek (de "
            "middelste vergadering van een estafette). Wie minder lange wachttijden wil, "
            "zet weight_long_waits of weight_idle_minutes hoger in settings: dat kost "
            "reiskilometers."
        ),
        "more": "En nog {n} lange wachttijden (niet getoond).",
        "person": "Persoon",
        "date": "Datum",
        "after": "Na",
        "before": "Voor",
        "minutes": "Minuten",
        "between": "Tussendoor op die plek",
        "nothing": "niets",
        "verdict": "Zonder deze wachttijd op die dag?",
        "fixed": "nee: geen volgorde van die dag kan het (bewezen)",
        "retime": "ja, in een andere volgorde: {extra} km-equivalent duurder",
        "unjudged": "niet beoordeeld",
        "judged": (
            " Per persoon en dag is nagegaan of een andere volgorde of andere begintijden van "
            "de vergaderingen van die dag (zelfde data en plekken, alle harde regels) de "
            "wachttijd kan voorkomen: {fixed} keer bewezen niet (alleen een vergadering naar "
            "een andere dag of plek verplaatsen kan het dan), {retime} keer wel, maar dat "
            "kost meer (meestal wachten anderen dan langer), {unjudged} keer niet beoordeeld."
        ),
    },
    "en": {
        "title": "Long waits",
        "none": "Nobody waits longer than {limit} minutes between two meetings.",
        "intro": (
            "{count} times someone waits longer than {limit} minutes between two of their "
            "meetings on one day. dakpan keeps such a wait only where every alternative it "
            "tried costs more (travel kilometres, trips or other waits, under the weights); "
            "it does not prove that no other plan exists. Mostly another network meets in "
            "between at the same venue (the middle meeting of a relay). For fewer long "
            "waits, raise weight_long_waits or weight_idle_minutes in settings: that costs "
            "kilometres."
        ),
        "more": "And {n} more long waits (not shown).",
        "person": "Person",
        "date": "Date",
        "after": "After",
        "before": "Before",
        "minutes": "Minutes",
        "between": "In between at that venue",
        "nothing": "nothing",
        "verdict": "Without this wait that day?",
        "fixed": "no: no order of that day can (proven)",
        "retime": "yes, in another order: {extra} km-equivalent more",
        "unjudged": "not judged",
        "judged": (
            " For each person and day the planner asked whether another order or other "
            "start times of that day's meetings (same dates and venues, every hard rule) "
            "avoid the wait: {fixed} times proven not (only moving a meeting to another "
            "date or venue could), {retime} times yes, but at a higher cost (mostly others "
            "then wait longer), {unjudged} times not judged."
        ),
    },
}


@dataclass(frozen=True, slots=True)
class LongWait:
    """One wait over the limit: ``person`` waits from ``after``'s end to ``before``'s start."""

    person: str
    day: date
    after: ScheduledMeeting
    before: ScheduledMeeting
    between: tuple[ScheduledMeeting, ...]

    @property
    def minutes(self) -> int:
        """Minutes from the end of ``after`` to the start of ``before``."""
        return self.before.start - self.after.end


def long_waits(problem: Problem, schedule: Schedule) -> list[LongWait]:
    """Every wait longer than ``long_wait`` minutes, by date, person and time.

    Parameters
    ----------
    problem, schedule
        The plan.

    Returns
    -------
    list of LongWait
        As counted by the checker's ``long_waits`` figure.
    """
    limit = problem.settings.long_wait
    required: dict[str, set[str]] = {}
    for ms in problem.memberships:
        if ms.role is Role.REQUIRED:
            required.setdefault(ms.person, set()).add(ms.network)
    by_day: dict[date, list[ScheduledMeeting]] = {}
    for m in schedule.meetings:
        by_day.setdefault(m.date, []).append(m)
    out: list[LongWait] = []
    for day in sorted(by_day):
        meetings = sorted(by_day[day], key=lambda m: (m.start, m.end, m.network))
        for person in sorted(required):
            mine = [m for m in meetings if m.network in required[person]]
            for a, b in itertools.pairwise(mine):
                if b.start - a.end > limit:
                    between = tuple(
                        m
                        for m in meetings
                        if m.venue in (a.venue, b.venue)
                        and m.start < b.start
                        and m.end > a.end
                        and m.network not in required[person]
                    )
                    out.append(LongWait(person, day, a, b, between))
    return out


def waits_section(
    problem: Problem,
    schedule: Schedule,
    language: str = "nl",
    judged: Sequence[tuple[str, date, str, float | None]] = (),
) -> str:
    """The report's ``<section id="waits">``: the long waits in a table and what to do.

    Parameters
    ----------
    problem, schedule
        The plan.
    language
        ``nl`` or ``en``.
    judged
        The planner's verdicts ``(person, date, verdict, extra_km)`` on its long waits
        (:attr:`planner.planfile.SolverInfo.judged_waits`); without them (a plan made
        by hand) the verdict column is left out.
    """
    t = _TEXTS.get(language, _TEXTS["nl"])
    limit = problem.settings.long_wait
    waits = long_waits(problem, schedule)
    head = f'<section id="waits"><h2>{escape(t["title"])}</h2>'
    if not waits:
        return f"{head}<p>{escape(t['none'].format(limit=limit))}</p></section>"
    intro = t["intro"].format(count=len(waits), limit=limit)
    verdicts = {(p, d): (v, x) for p, d, v, x in judged}
    if verdicts:
        counts = Counter(verdicts.get((w.person, w.day), ("unjudged", None))[0] for w in waits)
        intro += t["judged"].format(**{k: counts[k] for k in ("fixed", "retime", "unjudged")})
    rows = "".join(_row(problem, w, t, language, verdicts) for w in waits[:MAX_ROWS])
    cols: tuple[str, ...] = ("person", "date", "after", "before", "minutes", "between")
    cols += ("verdict",) if verdicts else ()
    header = "".join(
        f"<th{' class=num' if c == 'minutes' else ''}>{escape(t[c])}</th>" for c in cols
    )
    more = (
        f'<p class="muted small">{escape(t["more"].format(n=len(waits) - MAX_ROWS))}</p>'
        if len(waits) > MAX_ROWS
        else ""
    )
    return (
        f"{head}<p class='small'>{escape(intro)}</p>"
        f"<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>{more}</section>"
    )


def _row(
    problem: Problem,
    w: LongWait,
    t: dict[str, str],
    language: str,
    verdicts: Mapping[tuple[str, date], tuple[str, float | None]],
) -> str:
    person = problem.person_by_id.get(w.person)
    name = person.name if person is not None else w.person
    between = ", ".join(_label(problem, m) for m in w.between) or t["nothing"]
    cells: tuple[str, ...] = (
        escape(name),
        escape(long_date(w.day, language)),
        escape(_label(problem, w.after)),
        escape(_label(problem, w.before)),
        str(w.minutes),
        escape(between),
    )
    if verdicts:
        verdict, extra = verdicts.get((w.person, w.day), ("unjudged", None))
        text = t.get(verdict, t["unjudged"]).format(extra=f"{extra or 0:.0f}")
        cells += (escape(text),)
    return (
        "<tr>"
        + "".join(f"<td{' class=num' if i == 4 else ''}>{c}</td>" for i, c in enumerate(cells))
        + "</tr>"
    )


def _label(problem: Problem, m: ScheduledMeeting) -> str:
    """``network name hh:mm-hh:mm (venue)``."""
    net = problem.network_by_id.get(m.network)
    venue = problem.venue_by_id.get(m.venue)
    times = f"{fmt_time(m.start)}–{fmt_time(m.end)}"
    return (
        f"{net.name if net is not None else m.network} {times} "
        f"({venue.name if venue is not None else m.venue})"
    )


__all__ = ["LongWait", "long_waits", "waits_section"]
