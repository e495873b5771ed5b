"""``report.html``: one self-contained page about a plan, for people who would rather look.

The page holds, in the plan's ``language`` (``nl`` or ``en``):

- the headline figures of the plan beside those of the uncoordinated baseline
  (every network planning alone), with the ratio plan / baseline;
- the hard violations, if any (a planned schedule has none);
- a month-by-month agenda: a small month calendar marking the days with
  meetings, then every session (a date and a venue) with its relay of
  meetings, their times and their networks;
- a map of people's homes and the venues, sized by their sessions
  (:mod:`planner.map_svg`), crediting GeoNames;
- per network its meetings and the networks it shares a session with;
- per person their totals (beside the baseline's) and their days: the
  meetings, the km travelled and the minutes waited that day;
- how the plan was found (solver status, objective, bound, gap, timings).

Decisions
---------
Self-contained
    Inline CSS, no scripts, no fonts, images or other external assets; links
    are anchors within the page. Every text that comes from the input (ids,
    names, addresses) is escaped with :func:`html.escape`; element ids are
    built from positions (``n3``, ``p12``, ``d2027-09-20``), never from input
    text.
Deterministic
    No timestamps and no dependence on the machine: the same arguments give
    the same bytes. (The solver's timings are shown, so two solves of one
    input differ there.)
Print
    Readable on paper: the navigation is hidden, network colours are printed,
    rows and people's blocks are not split over pages.
Day figures
    A person's day shows the km and waiting minutes of that day as the
    checker computes them (:func:`planner.check.day_figures`: required
    meetings only, in order of start); the person's totals are the
    checker's own (:attr:`planner.check.Figures.per_person`).
"""

from __future__ import annotations

import calendar
import html
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planner import __version__
from planner.analyze_html import analysis_section
from planner.check import (
    FIGURE_NAMES,
    KINDS,
    CheckReport,
    PersonFigures,
    day_figures,
    if_need_be_pairs,
    ratios,
)
from planner.map_svg import map_section
from planner.planfile import SolverInfo, input_hash
from planner.problem import Problem, Role, fmt_time
from planner.report_bounds import bounds_note
from planner.report_texts import CSS, DECIMALS, MORE_IS_BETTER, PALETTE, TEXTS
from planner.report_texts import number as _number
from planner.report_texts import percent as _percent
from planner.report_waits import waits_section
from planner.schedule import Schedule, ScheduledMeeting
from planner.texts import WEEKDAYS_SHORT, long_date, month_name, short_date

REPORT_HTML = "report.html"
"""File name of the report inside a plan folder."""


# ------------------------------------------------------------------- helpers
def _e(text: object) -> str:
    """Escape text for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


@dataclass(frozen=True, slots=True)
class _Session:
    """Meetings at one venue on one date, in order of start."""

    day: date
    venue: str
    meetings: tuple[ScheduledMeeting, ...]

    @property
    def relay(self) -> bool:
        return len({m.network for m in self.meetings}) > 1


class _Page:
    """Builds the page; one instance per report."""

    def __init__(
        self,
        problem: Problem,
        schedule: Schedule,
        report: CheckReport,
        baseline: CheckReport | None,
        solver: SolverInfo | None,
    ) -> None:
        self.problem = problem
        self.schedule = schedule
        self.report = report
        self.baseline = baseline
        self.solver = solver
        lang = problem.settings.language
        self.lang = lang if lang in TEXTS else "nl"
        self.meetings = tuple(sorted(schedule.meetings, key=_order))
        groups: dict[tuple[date, str], list[ScheduledMeeting]] = defaultdict(list)
        for m in self.meetings:
            groups[(m.date, m.venue)].append(m)
        self.sessions = tuple(
            sorted(
                (_Session(d, v, tuple(ms)) for (d, v), ms in groups.items()),
                key=lambda s: (s.day, s.meetings[0].start, s.venue),
            )
        )
        self.session_of = {(s.day, s.venue): s for s in self.sessions}
        self.net_index = {n.id: i for i, n in enumerate(problem.networks)}
        self.person_index = {p.id: i for i, p in enumerate(problem.people)}
        self.roles: dict[str, dict[str, Role]] = defaultdict(dict)
        for ms in problem.memberships:
            self.roles[ms.person][ms.network] = ms.role
        self.days = {(d.person, d.date): d for d in day_figures(problem, schedule)}
        self.if_need_be = frozenset(if_need_be_pairs(problem, schedule))

    # -------------------------------------------------------------- texts
    def t(self, key: str, **kw: object) -> str:
        """The text ``key`` in the plan's language, with ``kw`` filled in (not escaped)."""
        return TEXTS[self.lang][key].format(**kw)

    def num(self, value: float, decimals: int = 0) -> str:
        return _number(value, decimals, self.lang)

    def long_date(self, day: date) -> str:
        return long_date(day, self.lang)

    def short_date(self, day: date) -> str:
        return short_date(day, self.lang)

    def figure_label(self, name: str) -> str:
        """The label of a figure (its name when it has none)."""
        key = f"fig_{name}"
        if key not in TEXTS[self.lang]:
            return name
        return self.t(
            key,
            long_wait=self.problem.settings.long_wait,
            total=len(self.problem.together),
        )

    def network_name(self, network: str) -> str:
        net = self.problem.network_by_id.get(network)
        return net.name if net is not None else network

    def venue_name(self, venue: str) -> str:
        v = self.problem.venue_by_id.get(venue)
        return v.name if v is not None else venue

    def colour(self, network: str) -> str:
        """The network's colour: a left border on its name, by its place in the input."""
        index = self.net_index.get(network)
        colour = PALETTE[index % len(PALETTE)] if index is not None else "#999999"
        return f'class="net" style="--c:{colour}"'

    def network_link(self, network: str) -> str:
        index = self.net_index.get(network)
        name = _e(self.network_name(network))
        if index is None:
            return f"<span {self.colour(network)}>{name}</span>"
        return f'<a {self.colour(network)} href="#n{index}">{name}</a>'

    def meeting_html(self, m: ScheduledMeeting, *, mark: str = "") -> str:
        times = f"{fmt_time(m.start)}–{fmt_time(m.end)}"
        extra = f' <span class="muted small">({_e(mark)})</span>' if mark else ""
        return (
            f'<div class="meeting"><span class="time">{times}</span> '
            f"<span>{self.network_link(m.network)}{extra}</span></div>"
        )

    # -------------------------------------------------------------- page
    def build(self) -> str:
        s = self.problem.settings
        title = f"{self.t('title')} {self.t('horizon', start=s.start, end=s.end)}"
        parts = [
            "<!DOCTYPE html>",
            f'<html lang="{self.lang}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            self.header(title),
            self.figures_section(),
            self.violations_section(),
            self.agenda_section(),
            map_section(self.problem, self.schedule, self.lang),
            self.networks_section(),
            analysis_section(self.problem, self.schedule),
            self.people_section(),
            waits_section(
                self.problem,
                self.schedule,
                self.lang,
                self.solver.judged_waits if self.solver is not None else (),
            ),
            self.solver_section(),
            self.footer(),
            "</body>",
            "</html>",
        ]
        return "\n".join(p for p in parts if p) + "\n"

    def header(self, title: str) -> str:
        relay = sum(len(s.meetings) for s in self.sessions if s.relay)
        nav = "".join(
            f'<a href="#{anchor}">{_e(self.t(key))}</a>'
            for anchor, key in (
                ("figures", "nav_figures"),
                ("agenda", "nav_agenda"),
                ("map", "nav_map"),
                ("networks", "nav_networks"),
                ("people", "nav_people"),
                ("waits", "nav_waits"),
                ("solver", "nav_solver"),
            )
        )
        summary = self.t(
            "summary",
            networks=len(self.problem.networks),
            meetings=len(self.meetings),
            sessions=len(self.sessions),
            people=len(self.problem.people),
            venues=len(self.problem.venues),
        )
        relay_text = self.t("relay_summary", relay=relay, meetings=len(self.meetings))
        return (
            f"<header><h1>{_e(title)}</h1>"
            f'<p class="sub">{_e(summary)}</p><p class="sub">{_e(relay_text)}</p>'
            f"<nav>{nav}</nav></header>"
        )

    @property
    def has_if_need_be(self) -> bool:
        """Whether anyone answered "if need be" (else its figure and column are left out)."""
        return any(p.if_need_be or p.if_need_be_times for p in self.problem.people)

    def figures_section(self) -> str:
        plan = self.report.figures_dict()
        base = self.baseline.figures_dict() if self.baseline is not None else None
        rel = ratios(plan, base) if base is not None else None
        head = f"<th>{_e(self.t('col_figure'))}</th><th class='num'>{_e(self.t('col_plan'))}</th>"
        if base is not None:
            head += (
                f"<th class='num'>{_e(self.t('col_baseline'))}</th>"
                f"<th>{_e(self.t('col_ratio'))}</th>"
            )
        rows = []
        for name in FIGURE_NAMES:
            if name == "together_met" and not self.problem.together:
                continue  # no relay wishes: nothing to count
            if name == "if_need_be" and not self.has_if_need_be:
                continue  # nobody answered "if need be": nothing to count
            decimals = DECIMALS[name]
            value = float(plan[name])
            cell_class = "num"
            if name == "hard_violations":
                cell_class += " bad" if value else " good"
            row = (
                f"<td>{_e(self.figure_label(name))}</td>"
                f'<td class="{cell_class}">{self.num(value, decimals)}</td>'
            )
            if base is not None and rel is not None:
                row += f'<td class="num">{self.num(float(base[name]), decimals)}</td>'
                ratio = rel[name]
                if ratio is None:
                    row += '<td class="muted">–</td>'
                else:
                    width = max(1, round(min(ratio, 2.0) * 60))
                    better_up = name in MORE_IS_BETTER
                    worse = " worse" if (ratio < 1 if better_up else ratio > 1) else ""
                    row += (
                        f'<td class="nowrap"><span class="bar{worse}" style="width:{width}px">'
                        f"</span>{_percent(ratio, self.lang)}</td>"
                    )
            rows.append(f"<tr>{row}</tr>")
        intro = self.t("figures_intro") if base is not None else ""
        note = ""
        if self.baseline is not None:
            placed = sum(n.meetings for n in self.baseline.figures.per_network)
            wanted = sum(n.meetings for n in self.problem.networks)
            if placed < wanted:
                note = (
                    f'<p class="muted small">'
                    f"{_e(self.t('baseline_missing', placed=placed, wanted=wanted))}</p>"
                )
        return (
            f'<section id="figures"><h2>{_e(self.t("figures"))}</h2>'
            + (f"<p>{_e(intro)}</p>" if intro else "")
            + f'<table class="figures"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(rows)
            + "</tbody></table>"
            + note
            + bounds_note(self.problem, self.report, self.lang)
            + self.wishes_table()
            + "</section>"
        )

    def wishes_table(self) -> str:
        """The relay wishes (contract v1.1 ``together``) and the sessions holding each."""
        wishes = self.problem.together
        if not wishes:
            return ""
        held = self.report.figures.together_held
        rows = []
        for i, wish in enumerate(wishes):
            count = held[i] if i < len(held) else 0
            met = count >= wish.times
            names = " → " if wish.order else ", "
            kind = self.t("wish_hard" if wish.hard else "wish_soft")
            how = self.t("wish_order" if wish.order else "wish_any_order")
            status = self.t("wish_met" if met else "wish_unmet")
            rows.append(
                f"<tr><td>{names.join(self.network_link(n) for n in wish.networks)}"
                f' <span class="muted small">({_e(how)})</span></td>'
                f"<td>{_e(kind)}</td><td class='num'>{wish.times}</td>"
                f"<td class='num'>{count}</td>"
                f'<td class="{"good" if met else "bad"}">{_e(status)}</td></tr>'
            )
        head = "".join(
            f"<th{cls}>{_e(self.t(key))}</th>"
            for key, cls in (
                ("col_wish_networks", ""),
                ("col_wish_kind", ""),
                ("col_wish_times", " class='num'"),
                ("col_wish_held", " class='num'"),
                ("col_wish_status", ""),
            )
        )
        return (
            f"<h3>{_e(self.t('wishes'))}</h3><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def violations_section(self) -> str:
        count = self.report.hard_violations
        if not count:
            return f'<div class="ok">{_e(self.t("no_violations"))}</div>'
        by_kind: dict[str, list[str]] = defaultdict(list)
        for v in self.report.violations:
            by_kind[v.kind].append(v.reason)
        items = []
        for kind in KINDS:
            reasons = by_kind.get(kind)
            if not reasons:
                continue
            inner = "".join(f"<li>{_e(r)}</li>" for r in reasons)
            items.append(f"<li><strong>{_e(kind)} ({len(reasons)})</strong><ul>{inner}</ul></li>")
        return (
            f'<section class="box" id="violations"><h2>{_e(self.t("violations", count=count))}</h2>'
            f"<p>{_e(self.t('violations_intro'))}</p><ul>{''.join(items)}</ul></section>"
        )

    # -------------------------------------------------------------- agenda
    def agenda_section(self) -> str:
        s = self.problem.settings
        by_month: dict[tuple[int, int], list[_Session]] = defaultdict(list)
        for session in self.sessions:
            by_month[(session.day.year, session.day.month)].append(session)
        months: list[tuple[int, int]] = []
        year, month = s.start.year, s.start.month
        last = (s.end.year, s.end.month)
        for session in self.sessions:  # a hand-made schedule may leave the horizon
            last = max(last, (session.day.year, session.day.month))
        first = min([(year, month)] + [(x.day.year, x.day.month) for x in self.sessions])
        year, month = first
        while (year, month) <= last:
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        blocks = [self.month_block(y, mo, by_month.get((y, mo), [])) for y, mo in months]
        return f'<section id="agenda"><h2>{_e(self.t("agenda"))}</h2>{"".join(blocks)}</section>'

    def month_block(self, year: int, month: int, sessions: Sequence[_Session]) -> str:
        lang = self.lang
        heading = f"{month_name(month, lang)} {year}"
        if lang == "nl":
            heading = heading[0].upper() + heading[1:]
        if sessions:
            rows = []
            for i, session in enumerate(sessions):
                first_of_day = i == 0 or sessions[i - 1].day != session.day
                anchor = f' id="d{session.day.isoformat()}"' if first_of_day else ""
                people = {a for m in session.meetings for a in m.attendees}
                tag = f' <span class="tag">{_e(self.t("relay"))}</span>' if session.relay else ""
                venue = self.problem.venue_by_id.get(session.venue)
                address = (
                    f'<div class="muted small">{_e(venue.address)}</div>'
                    if venue is not None and venue.address
                    else ""
                )
                meetings = "".join(self.meeting_html(m) for m in session.meetings)
                rows.append(
                    f"<tr{anchor}><td class='nowrap'>{_e(self.long_date(session.day))}</td>"
                    f"<td>{_e(self.venue_name(session.venue))}{tag}{address}</td>"
                    f"<td>{meetings}</td><td class='num'>{len(people)}</td></tr>"
                )
            table = (
                f"<table><thead><tr><th>{_e(self.t('col_date'))}</th>"
                f"<th>{_e(self.t('col_venue'))}</th><th>{_e(self.t('col_meetings'))}</th>"
                f"<th class='num'>{_e(self.t('col_people'))}</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>"
            )
        else:
            table = f'<p class="muted">{_e(self.t("no_meetings_month"))}</p>'
        return (
            f"<h3>{_e(heading)}</h3><div class='month'>"
            f"{self.month_grid(year, month, sessions)}<div>{table}</div></div>"
        )

    def month_grid(self, year: int, month: int, sessions: Sequence[_Session]) -> str:
        s = self.problem.settings
        counts: dict[date, int] = defaultdict(int)
        for session in sessions:
            counts[session.day] += len(session.meetings)
        head = "".join(f"<th>{_e(d)}</th>" for d in WEEKDAYS_SHORT[self.lang])
        rows = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append("<td></td>")
                elif day in counts:
                    title = _e(f"{self.long_date(day)}: {counts[day]}")
                    cells.append(
                        f'<td class="has" title="{title}">'
                        f'<a href="#d{day.isoformat()}">{day.day}</a></td>'
                    )
                elif not s.start <= day <= s.end:
                    cells.append(f'<td class="out">{day.day}</td>')
                else:
                    cells.append(f"<td>{day.day}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        body = "".join(rows)
        return f'<table class="cal"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    # -------------------------------------------------------------- networks
    def networks_section(self) -> str:
        per_network = {n.network: n for n in self.report.figures.per_network}
        by_network: dict[str, list[ScheduledMeeting]] = defaultdict(list)
        for m in self.meetings:
            by_network[m.network].append(m)
        blocks = []
        for index, net in enumerate(self.problem.networks):
            meetings = by_network.get(net.id, [])
            figures = per_network.get(net.id)
            shared = figures.shared_sessions if figures is not None else 0
            line = self.t(
                "network_line",
                meetings=len(meetings),
                wanted=net.meetings,
                duration=net.duration,
                required=len(self.problem.required_members(net.id)),
                optional=len(self.problem.optional_members(net.id)),
                shared=shared,
            )
            members = []
            for pid in self.problem.members(net.id):
                person = self.problem.person_by_id.get(pid)
                name = _e(person.name if person is not None else pid)
                pindex = self.person_index.get(pid)
                link = f'<a href="#p{pindex}">{name}</a>' if pindex is not None else name
                if self.roles[pid].get(net.id) is Role.OPTIONAL:
                    link += f' <span class="muted small">({_e(self.t("optional_mark"))})</span>'
                members.append(link)
            rows = []
            for m in meetings:
                session = self.session_of[(m.date, m.venue)]
                others = []
                for other in session.meetings:
                    if other.network != m.network and other.network not in others:
                        others.append(other.network)
                together = "".join(f"<div>{self.network_link(o)}</div>" for o in others)
                rows.append(
                    f"<tr><td class='num'>{m.seq}</td>"
                    f"<td class='nowrap'><a href='#d{m.date.isoformat()}'>"
                    f"{_e(self.long_date(m.date))}</a></td>"
                    f"<td class='nowrap'>{fmt_time(m.start)}–{fmt_time(m.end)}</td>"
                    f"<td>{_e(self.venue_name(m.venue))}</td><td>{together}</td></tr>"
                )
            table = (
                f"<table><thead><tr><th class='num'>{_e(self.t('col_seq'))}</th>"
                f"<th>{_e(self.t('col_date'))}</th><th>{_e(self.t('col_time'))}</th>"
                f"<th>{_e(self.t('col_venue'))}</th><th>{_e(self.t('col_with'))}</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>"
            )
            blocks.append(
                f'<div class="network" id="n{index}">'
                f"<h3><span {self.colour(net.id)}>{_e(net.name)}</span> "
                f'<span class="muted small">({_e(net.id)})</span></h3>'
                f"<p>{_e(line)}</p>"
                f'<p class="small"><strong>{_e(self.t("members"))}:</strong> '
                f"{', '.join(members) if members else '–'}</p>{table}</div>"
            )
        return (
            f'<section id="networks"><h2>{_e(self.t("networks"))}</h2>{"".join(blocks)}</section>'
        )

    # -------------------------------------------------------------- people
    def people_section(self) -> str:
        mine = {p.person: p for p in self.report.figures.per_person}
        base: dict[str, PersonFigures] = {}
        if self.baseline is not None:
            base = {p.person: p for p in self.baseline.figures.per_person}
        head = (
            f"<th>{_e(self.t('col_person'))}</th><th>{_e(self.t('col_organisation'))}</th>"
            f"<th>{_e(self.t('col_networks'))}</th><th class='num'>{_e(self.t('col_km'))}</th>"
        )
        if base:
            head += f"<th class='num'>{_e(self.t('col_km_base'))}</th>"
        head += (
            f"<th class='num'>{_e(self.t('col_trips'))}</th>"
            f"<th class='num'>{_e(self.t('col_idle'))}</th>"
            f"<th class='num'>{_e(self.t('col_excess_idle'))}</th>"
            f"<th class='num'>{_e(self.t('col_long_waits'))}</th>"
        )
        if self.has_if_need_be:
            head += f"<th class='num'>{_e(self.t('col_if_need_be'))}</th>"
        rows = []
        details = []
        for index, person in enumerate(self.problem.people):
            figures = mine.get(person.id, PersonFigures(person.id, 0.0, 0, 0))
            networks = ", ".join(
                _e(self.network_name(n))
                + (
                    f' <span class="muted small">({_e(self.t("optional_mark"))})</span>'
                    if role is Role.OPTIONAL
                    else ""
                )
                for n, role in self.roles[person.id].items()
            )
            row = (
                f'<td><a href="#p{index}">{_e(person.name)}</a></td>'
                f"<td>{_e(person.organisation)}</td><td class='small'>{networks}</td>"
                f"<td class='num'>{self.num(figures.travel_km, 1)}</td>"
            )
            if base:
                b = base.get(person.id)
                row += f"<td class='num'>{self.num(b.travel_km, 1) if b is not None else '–'}</td>"
            row += (
                f"<td class='num'>{figures.trips}</td>"
                f"<td class='num'>{self.num(figures.idle_minutes)}</td>"
                f"<td class='num'>{self.num(figures.excess_idle_minutes)}</td>"
                f"<td class='num'>{figures.long_waits}</td>"
            )
            if self.has_if_need_be:
                row += f"<td class='num'>{figures.if_need_be}</td>"
            rows.append(f"<tr>{row}</tr>")
            details.append(self.person_block(index, person.id, figures))
        table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        return (
            f'<section id="people"><h2>{_e(self.t("people"))}</h2>'
            f"<p class='small muted'>{_e(self.t('people_intro'))}</p>{table}"
            f"{''.join(details)}</section>"
        )

    def person_block(self, index: int, pid: str, figures: PersonFigures) -> str:
        person = self.problem.person_by_id[pid]
        roles = self.roles[pid]
        days: dict[date, list[ScheduledMeeting]] = defaultdict(list)
        for m in self.meetings:
            if m.network in roles:
                days[m.date].append(m)
        org = (
            f' <span class="muted small">{_e(person.organisation)}</span>'
            if person.organisation
            else ""
        )
        totals = self.t(
            "person_totals",
            km=self.num(figures.travel_km, 1),
            trips=figures.trips,
            idle=self.num(figures.idle_minutes),
        )
        if not days:
            body = f'<p class="muted small">{_e(self.t("no_days"))}</p>'
        else:
            rows = []
            for day in sorted(days):
                meetings = days[day]
                lines = "".join(
                    self.meeting_html(
                        m,
                        mark=", ".join(
                            x
                            for x in (
                                self.venue_name(m.venue),
                                self.t("optional_mark")
                                if roles[m.network] is Role.OPTIONAL
                                else "",
                                self.t("if_need_be_mark")
                                if (pid, m.meeting) in self.if_need_be
                                else "",
                            )
                            if x
                        ),
                    )
                    for m in meetings
                )
                figures_of_day = self.days.get((pid, day))
                if figures_of_day is not None:
                    km = self.num(figures_of_day.travel_km, 1)
                    idle = self.num(figures_of_day.idle_minutes)
                else:
                    km = idle = "–"
                rows.append(
                    f"<tr><td class='nowrap'><a href='#d{day.isoformat()}'>"
                    f"{_e(self.short_date(day))}</a></td><td>{lines}</td>"
                    f"<td class='num'>{km}</td><td class='num'>{idle}</td></tr>"
                )
            body = (
                f"<table><thead><tr><th>{_e(self.t('col_date'))}</th>"
                f"<th>{_e(self.t('col_meetings'))}</th>"
                f"<th class='num'>{_e(self.t('col_day_km'))}</th>"
                f"<th class='num'>{_e(self.t('col_day_idle'))}</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>"
            )
        return (
            f'<div class="person" id="p{index}"><h3>{_e(person.name)}{org}</h3>'
            f'<p class="small">{_e(totals)}</p>{body}</div>'
        )

    # -------------------------------------------------------------- solver
    def solver_section(self) -> str:
        info = self.solver
        heading = f'<section id="solver"><h2>{_e(self.t("solver"))}</h2>'
        if info is None:
            return heading + f'<p class="muted">{_e(self.t("solver_none"))}</p></section>'
        status_key = f"status_{info.status}"
        status = self.t(status_key) if status_key in TEXTS[self.lang] else info.status
        unknown = self.t("unknown")

        def opt(value: float | None, decimals: int = 0) -> str:
            return unknown if value is None else self.num(value, decimals)

        def secs(value: float | None) -> str:
            return unknown if value is None else self.t("seconds", value=self.num(value, 1))

        rows: list[tuple[str, str]] = [
            (self.t("status"), f"{info.status}: {status}"),
            (self.t("objective"), opt(info.objective)),
            (self.t("bound"), opt(info.bound)),
            (
                self.t("gap"),
                unknown if info.gap is None else _number(info.gap * 100, 2, self.lang) + "%",
            ),
            (self.t("wall"), secs(info.wall_seconds)),
            (self.t("first"), secs(info.first_solution_seconds)),
            (self.t("time_limit"), secs(info.time_limit)),
            (self.t("seed"), str(info.seed)),
            (self.t("workers"), str(info.workers)),
        ]
        num_class = " class='num'"
        body = "".join(
            f"<tr><th>{_e(k)}</th><td{'' if i == 0 else num_class}>{_e(v)}</td></tr>"
            for i, (k, v) in enumerate(rows)
        )
        terms = ""
        if info.objective_terms:
            term_rows = "".join(
                f"<tr><td>{_e(self.figure_label(name))}</td><td class='num'>"
                f"{self.num(info.objective_terms[name], DECIMALS.get(name, 2))}</td></tr>"
                for name in sorted(info.objective_terms)
            )
            terms = (
                f"<h3>{_e(self.t('terms'))}</h3>"
                f'<table style="width:auto"><tbody>{term_rows}</tbody></table>'
            )
        return (
            heading
            + f'<table style="width:auto"><tbody>{body}</tbody></table>'
            + terms
            + "</section>"
        )

    def footer(self) -> str:
        text = self.t("footer", version=__version__, hash=input_hash(self.problem)[:16])
        return f"<footer>{_e(text)}</footer>"


def _order(m: ScheduledMeeting) -> tuple[date, int, int, str, str]:
    return (m.date, m.start, m.end, m.venue, m.network)


# --------------------------------------------------------------------- public API
def report_html(
    problem: Problem,
    schedule: Schedule,
    report: CheckReport,
    baseline: CheckReport | None = None,
    solver: SolverInfo | None = None,
) -> str:
    """The text of ``report.html`` for a plan.

    Parameters
    ----------
    problem, schedule
        The plan.
    report
        ``check(problem, schedule)``.
    baseline
        ``check(problem, baseline(problem))``, or ``None`` to leave the
        comparison out.
    solver
        How the schedule was found, or ``None`` (a schedule made by hand).

    Returns
    -------
    str
        A complete, self-contained HTML page; the same arguments give the
        same text.
    """
    return _Page(problem, schedule, report, baseline, solver).build()


def write_report(  # noqa: PLR0917 - the order of the plan folder's writers
    path: str | Path,
    problem: Problem,
    schedule: Schedule,
    report: CheckReport,
    baseline: CheckReport | None = None,
    solver: SolverInfo | None = None,
) -> None:
    """Write ``report.html`` (UTF-8, ``\\n`` line ends); see :func:`report_html`.

    Parameters
    ----------
    path
        The file to write (replaced if present).
    problem, schedule, report, baseline, solver
        As for :func:`report_html`.
    """
    text = report_html(problem, schedule, report, baseline, solver)
    Path(path).write_bytes(text.encode("utf-8"))


def report_writer(
    problem: Problem,
    schedule: Schedule,
    report: CheckReport,
    baseline: CheckReport | None = None,
    solver: SolverInfo | None = None,
    *,
    name: str = REPORT_HTML,
) -> Callable[[Path], None]:
    """A writer of ``<plan folder>/report.html`` for :func:`planner.planfile.write_plan_folder`.

    Parameters
    ----------
    problem, schedule, report, baseline, solver
        As for :func:`report_html`.
    name
        File name inside the plan folder.

    Returns
    -------
    Callable[[Path], None]
        Called with the (temporary) plan folder; writes the report in it.
    """

    def write(plan_dir: Path) -> None:
        write_report(plan_dir / name, problem, schedule, report, baseline, solver)

    return write


__all__ = ["REPORT_HTML", "report_html", "report_writer", "write_report"]
