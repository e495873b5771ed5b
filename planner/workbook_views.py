"""The views of ``schedule.xlsx``: the rows of each sheet, in the plan's language.

Used by :mod:`planner.workbook`, which writes them. Each view is a
:class:`Sheet`: a title, a header and rows of plain values (text, numbers,
dates and times), plus the network of each row for its colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from planner.check import FIGURE_NAMES, CheckReport, day_figures, headline, ratios
from planner.problem import Problem, Role, Together
from planner.schedule import Schedule, ScheduledMeeting
from planner.texts import WEEKDAYS_SHORT, language_or_default
from planner.together import sessions_holding as together_sessions

__all__ = [
    "SCHEDULE_SHEET",
    "SCHEDULE_SHEET_COLUMNS",
    "Sheet",
    "sessions_holding",
    "workbook_sheets",
]

SCHEDULE_SHEET = "schedule"
"""The sheet that holds the schedule (contract v1.1)."""

SCHEDULE_SHEET_COLUMNS: tuple[str, ...] = (
    "meeting",
    "network",
    "seq",
    "date",
    "start",
    "end",
    "venue",
    "session",
    "attendees",
)
"""The contract's columns of ``schedule.csv``, first on sheet ``schedule``."""

_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "by_network": "per netwerk",
        "by_person": "per persoon",
        "by_venue": "per locatie",
        "figures": "kengetallen",
        "wishes": "estafettewensen",
        "weekday": "dag",
        "network_name": "netwerk (naam)",
        "venue_name": "locatie (naam)",
        "order": "volgorde",
        "attendee_names": "deelnemers (namen)",
        "network": "netwerk",
        "person": "persoon",
        "venue": "locatie",
        "name": "naam",
        "date": "datum",
        "start": "begin",
        "end": "einde",
        "session": "sessie",
        "seq": "nr",
        "role": "rol",
        "travel_km": "reiskm die dag",
        "networks": "netwerken",
        "meetings": "vergaderingen",
        "figure": "kengetal",
        "meaning": "betekenis",
        "plan": "plan",
        "baseline": "ieder apart",
        "ratio": "verhouding",
        "times": "keer gewenst",
        "ordered": "op volgorde",
        "hard": "harde eis",
        "held": "keer gehaald",
        "met": "gehaald",
        "yes": "ja",
        "no": "nee",
        "required": "verplicht",
        "optional": "optioneel",
    },
    "en": {
        "by_network": "by network",
        "by_person": "by person",
        "by_venue": "by venue",
        "figures": "figures",
        "wishes": "relay wishes",
        "weekday": "day",
        "network_name": "network (name)",
        "venue_name": "venue (name)",
        "order": "order",
        "attendee_names": "attendees (names)",
        "network": "network",
        "person": "person",
        "venue": "venue",
        "name": "name",
        "date": "date",
        "start": "start",
        "end": "end",
        "session": "session",
        "seq": "no",
        "role": "role",
        "travel_km": "travel km that day",
        "networks": "networks",
        "meetings": "meetings",
        "figure": "figure",
        "meaning": "meaning",
        "plan": "plan",
        "baseline": "baseline",
        "ratio": "ratio",
        "times": "times wanted",
        "ordered": "in order",
        "hard": "hard rule",
        "held": "times held",
        "met": "met",
        "yes": "yes",
        "no": "no",
        "required": "required",
        "optional": "optional",
    },
}


# ------------------------------------------------------------------- sheets
@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet to write: title, header, rows and the network of each row (for its colour)."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    networks: tuple[str | None, ...] = ()


class _Fields(dict[str, object]):
    """Values for the placeholders of a figure's name; an unknown one stays as it is."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _minutes_time(minutes: int) -> time | str:
    """An Excel time; midnight at the end of the day (which Excel has no time for) as text."""
    return "24:00" if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)


def _relay_order(schedule: Schedule) -> dict[str, int]:
    """Position (1, 2, ...) of each meeting in its session, by start then network."""
    by_session: dict[str, list[ScheduledMeeting]] = {}
    for m in schedule:
        by_session.setdefault(m.session, []).append(m)
    out: dict[str, int] = {}
    for items in by_session.values():
        for k, m in enumerate(sorted(items, key=ScheduledMeeting.sort_key), start=1):
            out[m.meeting] = k
    return out


class _Views:
    """Builds the rows of every sheet for one problem and schedule."""

    def __init__(self, problem: Problem, schedule: Schedule) -> None:
        self.p = problem
        self.s = schedule
        self.lang = language_or_default(problem.settings.language)
        self.t = _TEXTS[self.lang]
        self.order = _relay_order(schedule)
        self.meetings = sorted(schedule.meetings, key=ScheduledMeeting.sort_key)

    def net_name(self, nid: str) -> str:
        net = self.p.network_by_id.get(nid)
        return net.name if net is not None else nid

    def venue_name(self, vid: str) -> str:
        v = self.p.venue_by_id.get(vid)
        return v.name if v is not None else vid

    def person_name(self, pid: str) -> str:
        person = self.p.person_by_id.get(pid)
        return person.name if person is not None else pid

    def weekday(self, day: date) -> str:
        return WEEKDAYS_SHORT[self.lang][day.weekday()]

    def schedule_sheet(self) -> Sheet:
        t = self.t
        header = (
            *SCHEDULE_SHEET_COLUMNS,
            t["weekday"],
            t["network_name"],
            t["venue_name"],
            t["order"],
            t["attendee_names"],
        )
        rows = tuple(
            (
                m.meeting,
                m.network,
                m.seq,
                m.date,
                _minutes_time(m.start),
                _minutes_time(m.end),
                m.venue,
                m.session,
                ";".join(m.attendees),
                self.weekday(m.date),
                self.net_name(m.network),
                self.venue_name(m.venue),
                self.order[m.meeting],
                "; ".join(self.person_name(a) for a in m.attendees),
            )
            for m in self.meetings
        )
        return Sheet(SCHEDULE_SHEET, header, rows, tuple(m.network for m in self.meetings))

    def network_sheet(self) -> Sheet:
        t = self.t
        rank = {n.id: i for i, n in enumerate(self.p.networks)}
        items = sorted(self.meetings, key=lambda m: (rank.get(m.network, len(rank)), m.seq))
        header = (
            t["network"],
            t["name"],
            t["seq"],
            t["date"],
            t["weekday"],
            t["start"],
            t["end"],
            t["venue"],
            t["session"],
            t["order"],
        )
        rows = tuple(
            (
                m.network,
                self.net_name(m.network),
                m.seq,
                m.date,
                self.weekday(m.date),
                _minutes_time(m.start),
                _minutes_time(m.end),
                self.venue_name(m.venue),
                m.session,
                self.order[m.meeting],
            )
            for m in items
        )
        return Sheet(t["by_network"], header, rows, tuple(m.network for m in items))

    def person_sheet(self) -> Sheet:
        t = self.t
        km = {(d.person, d.date): round(d.travel_km, 1) for d in day_figures(self.p, self.s)}
        roles = {(ms.person, ms.network): ms.role for ms in self.p.memberships}
        header = (
            t["person"],
            t["name"],
            t["date"],
            t["weekday"],
            t["start"],
            t["end"],
            t["network"],
            t["venue"],
            t["role"],
            t["travel_km"],
        )
        rows: list[tuple[Any, ...]] = []
        nets: list[str | None] = []
        for person in self.p.people:
            for m in self.meetings:
                if person.id not in m.attendees:
                    continue
                role = roles.get((person.id, m.network), Role.REQUIRED)
                rows.append(
                    (
                        person.id,
                        person.name,
                        m.date,
                        self.weekday(m.date),
                        _minutes_time(m.start),
                        _minutes_time(m.end),
                        self.net_name(m.network),
                        self.venue_name(m.venue),
                        t[role.value],
                        km.get((person.id, m.date), 0.0),
                    )
                )
                nets.append(m.network)
        return Sheet(t["by_person"], header, tuple(rows), tuple(nets))

    def venue_sheet(self) -> Sheet:
        t = self.t
        rank = {v.id: i for i, v in enumerate(self.p.venues)}
        items = sorted(self.meetings, key=lambda m: (rank.get(m.venue, len(rank)), m.sort_key()))
        header = (
            t["venue"],
            t["name"],
            t["date"],
            t["weekday"],
            t["start"],
            t["end"],
            t["network"],
            t["session"],
            t["order"],
        )
        rows = tuple(
            (
                m.venue,
                self.venue_name(m.venue),
                m.date,
                self.weekday(m.date),
                _minutes_time(m.start),
                _minutes_time(m.end),
                self.net_name(m.network),
                m.session,
                self.order[m.meeting],
            )
            for m in items
        )
        return Sheet(t["by_venue"], header, rows, tuple(m.network for m in items))

    def figures_sheet(self, report: CheckReport, baseline: CheckReport | None) -> Sheet:
        t = self.t
        plan = report.figures_dict()
        base = baseline.figures_dict() if baseline is not None else None
        ratio = ratios(plan, base) if base is not None else {}
        mine = headline(plan)
        from planner.report_texts import TEXTS as REPORT_TEXTS  # the report's names of the figures

        labels = REPORT_TEXTS.get(self.lang, {})
        fields = _Fields(
            long_wait=getattr(self.p.settings, "long_wait", 60),
            total=len(getattr(self.p, "together", ()) or ()),
        )
        rows = tuple(
            (
                name,
                labels.get(f"fig_{name}", name).format_map(fields),
                mine[name],
                base[name] if base is not None else None,
                ratio.get(name),
            )
            for name in FIGURE_NAMES
        )
        header = (t["figure"], t["meaning"], t["plan"], t["baseline"], t["ratio"])
        return Sheet(t["figures"], header, rows)

    def wishes_sheet(self, wishes: Sequence[Any]) -> Sheet:
        t = self.t
        rows = []
        for wish in wishes:
            networks = tuple(str(n) for n in getattr(wish, "networks", ()))
            times = int(getattr(wish, "times", 1))
            ordered = bool(getattr(wish, "order", False))
            held = sessions_holding(self.s, networks, ordered=ordered)
            rows.append(
                (
                    "; ".join(self.net_name(n) for n in networks),
                    times,
                    t["yes"] if ordered else t["no"],
                    t["yes"] if bool(getattr(wish, "hard", False)) else t["no"],
                    held,
                    t["yes"] if held >= times else t["no"],
                )
            )
        header = (t["networks"], t["times"], t["ordered"], t["hard"], t["held"], t["met"])
        return Sheet(t["wishes"], header, tuple(rows))


def sessions_holding(schedule: Schedule, networks: Sequence[str], *, ordered: bool) -> int:
    """How many sessions hold a relay wish (contract v1.1 ``together``).

    A session holds it when every listed network has a meeting there; with
    ``ordered``, the first meeting of each listed network starts at or after
    the end of the previous network's first meeting there.

    Parameters
    ----------
    schedule
        The meetings.
    networks
        The wish's networks, in its order.
    ordered
        Whether the wish asks for this order, back to back.

    Returns
    -------
    int
        The number of (date, venue) sessions that hold it.
    """
    wish = Together(tuple(networks), 1, order=ordered)
    return len(together_sessions(wish, schedule.meetings))


def workbook_sheets(
    problem: Problem,
    schedule: Schedule,
    report: CheckReport,
    baseline: CheckReport | None = None,
) -> list[Sheet]:
    """Every sheet of ``schedule.xlsx``, in order (see the module docstring).

    Parameters
    ----------
    problem, schedule
        The plan.
    report
        ``check(problem, schedule)``.
    baseline
        The baseline's check report, or ``None`` (then its column is empty).

    Returns
    -------
    list[Sheet]
        ``schedule``, per network, per person, per venue, figures and, when
        the problem has relay wishes, the wishes.
    """
    v = _Views(problem, schedule)
    sheets = [
        v.schedule_sheet(),
        v.network_sheet(),
        v.person_sheet(),
        v.venue_sheet(),
        v.figures_sheet(report, baseline),
    ]
    wishes = tuple(getattr(problem, "together", ()) or ())
    if wishes:
        sheets.append(v.wishes_sheet(wishes))
    return sheets
