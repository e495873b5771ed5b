"""The pages of the web app, as HTML strings; every text from input or user is escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import quote

from planner.analyze import Analysis
from planner.analyze_html import verdict
from planner.analyze_svg import text as setting_text
from planner.check import FIGURE_NAMES
from planner.planfile import Plan
from planner.read import InputIssue, InputSummary
from planner.solver.result import PHASES
from planner.web.jobs import Job
from planner.web.store import Upload
from planner.web.texts import number, t


def e(value: object) -> str:
    """``value`` as escaped HTML text (quotes too)."""
    return escape(str(value), quote=True)


def _row(cells: Iterable[object], tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"


def _table(head: Sequence[str], rows: Iterable[Sequence[object]], css: str = "") -> str:
    body = "".join(_row(r) for r in rows)
    return f"<table class='{css}'><thead>{_row(head, 'th')}</thead><tbody>{body}</tbody></table>"


def page(lang: str, title: str, body: str, *, path: str = "/") -> str:
    """The page shell: header with the language switch, the body, the app's CSS and JS."""
    other = "en" if lang != "en" else "nl"
    return (
        "<!DOCTYPE html>\n"
        f"<html lang='{lang}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{e(title)} · dakpan</title>"
        "<link rel='stylesheet' href='/static/style.css'>"
        "<script src='/static/app.js' defer></script></head><body>"
        f"<header><a href='/' class='brand'>dakpan</a> <span>{e(t(lang, 'app'))}</span>"
        f"<a class='lang' href='/lang/{other}?next={e(path)}'>{e(t(lang, 'switch'))}</a></header>"
        f"<main><h1>{e(title)}</h1>{body}</main></body></html>\n"
    )


def progress_line(job: Job, lang: str, position: int) -> str:
    """What a job is doing, in a coordinator's terms (``position``: its place in the queue)."""
    if job.state == "queued":
        return t(lang, "queued", position=position)
    if job.state != "running":
        return t(lang, job.state)
    seconds = t(
        lang, "elapsed", seconds=number(job.elapsed(), 0, lang), limit=f"{job.time_limit:g}"
    )
    p = job.progress
    if p is None:
        return f"{seconds} · {t(lang, 'starting')}"
    words = PHASES.get(p.phase, (p.phase, p.phase))
    parts = [
        seconds,
        words[0] if lang == "en" else words[1],
        t(lang, "placed", placed=p.placed, total=p.total),
    ]
    if p.travel_km is not None:
        parts.append(
            t(lang, "km", km=number(p.travel_km, 0, lang))
            + _versus(lang, p.travel_km, job.baseline_km)
        )
    if p.trips is not None:
        parts.append(
            t(lang, "trips", trips=number(p.trips, 0, lang))
            + _versus(lang, p.trips, job.baseline_trips)
        )
    return " · ".join(parts)


def _versus(lang: str, value: float, base: float | None) -> str:
    if not base:
        return ""
    pct = f"{(value - base) / base:+.0%}"
    return f" ({t(lang, 'versus', pct=pct)})"


def _csrf(token: str) -> str:
    return f"<input type='hidden' name='csrf' value='{e(token)}'>"


def home(
    lang: str,
    csrf: str,
    uploads: Sequence[Upload],
    max_mb: int,
    active: Sequence[tuple[Job, str]] = (),
) -> str:
    """The start page: upload form, template link, the queue of solves, earlier uploads."""
    form = (
        f"<form method='post' action='/upload' enctype='multipart/form-data' id='upload'>"
        f"{_csrf(csrf)}<p>{e(t(lang, 'upload_help', mb=max_mb))}</p>"
        "<input type='file' name='file' accept='.xlsx,.xlsm,.zip' required> "
        f"<button type='submit'>{e(t(lang, 'upload_button'))}</button></form>"
        f"<p><a href='/template.xlsx' download>{e(t(lang, 'template'))}</a></p>"
    )
    if uploads:
        rows = [
            (f"<a href='/u/{u.id}'>{e(u.name)}</a>", e(u.uploaded.replace("T", " ")))
            for u in uploads
        ]
        listing = _table([e(t(lang, "file")), e(t(lang, "uploaded"))], rows, "uploads")
    else:
        listing = f"<p>{e(t(lang, 'no_uploads'))}</p>"
    queue = "".join(f"<li><a href='/jobs/{job.id}'>{e(line)}</a></li>" for job, line in active)
    body = (
        f"<section><h2>{e(t(lang, 'upload_title'))}</h2>{form}</section>"
        + (
            f"<section id='queue'><h2>{e(t(lang, 'queue'))}</h2><ul>{queue}</ul></section>"
            if active
            else ""
        )
        + f"<section><h2>{e(t(lang, 'uploads'))}</h2>{listing}</section>"
    )
    return page(lang, t(lang, "app"), body)


def _warnings(lang: str, warnings: Sequence[str]) -> str:
    if not warnings:
        return ""
    items = "".join(f"<li>{e(w)}</li>" for w in warnings)
    return f"<section id='warnings'><h2>{e(t(lang, 'warnings'))}</h2><ul>{items}</ul></section>"


def faults(lang: str, name: str, issues: Sequence[InputIssue], warnings: Sequence[str]) -> str:
    """The reader's faults of an upload as a table (file or sheet, row, column, message)."""
    head = [e(t(lang, k)) for k in ("where", "row", "column", "message")]
    rows = [(e(i.file), e(i.row or ""), e(i.column or ""), e(i.message)) for i in issues]
    body = (
        f"<p><strong>{e(name)}</strong></p><p>{e(t(lang, 'faults_help'))}</p>"
        + _table(head, rows, "faults")
        + _warnings(lang, warnings)
        + f"<p><a href='/'>{e(t(lang, 'home'))}</a></p>"
    )
    return page(lang, t(lang, "faults_title"), body)


def _summary(lang: str, s: InputSummary) -> str:
    counts = [
        (t(lang, "networks"), s.networks),
        (t(lang, "people"), s.people),
        (t(lang, "venues"), s.venues),
        (t(lang, "memberships"), f"{s.required_memberships} / {s.optional_memberships}"),
        (t(lang, "in_several"), s.people_in_several),
        (t(lang, "sharing_pairs"), s.sharing_pairs),
    ]
    facts = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in counts)
    head = [
        e(t(lang, k))
        for k in (
            "network",
            "name",
            "meetings",
            "required",
            "optional",
            "candidates",
            "max_meetings",
            "fits",
        )
    ]
    rows = [
        (
            e(n.id),
            e(n.name),
            n.meetings,
            n.required,
            n.optional,
            n.candidate_dates,
            n.max_meetings,
            e(t(lang, "yes" if n.fits and n.room_fits else "no")),
        )
        for n in s.per_network
    ]
    pairs = [(e(a), e(b), k) for a, b, k in s.top_pairs]
    pair_head = [e(t(lang, "network")), e(t(lang, "network")), e(t(lang, "shared"))]
    return (
        f"<dl class='facts'>{facts}</dl><h2>{e(t(lang, 'per_network'))}</h2>"
        + _table(head, rows, "networks")
        + (f"<h2>{e(t(lang, 'overlap'))}</h2>" + _table(pair_head, pairs) if pairs else "")
    )


def _analysis(lang: str, analysis: Analysis) -> str:
    head = [e(t(lang, k)) for k in ("group", "networks", "setting", "verdict", "advice")]
    rows = []
    for g in analysis.groups:
        advice = "; ".join(" + ".join(s.networks) for s in g.pairs if s.possible)
        rows.append(
            (
                e(g.id),
                e(", ".join(g.networks)),
                e(setting_text(lang, g.setting)),
                e(verdict(g, lang)),
                e(advice),
            )
        )
    return f"<section id='analysis'><h2>{e(t(lang, 'analysis'))}</h2>{_table(head, rows)}</section>"


def _fmt(value: Any, lang: str) -> str:
    if isinstance(value, bool) or value is None:
        return e("" if value is None else value)
    if isinstance(value, int):
        return e(number(value, 0, lang))
    if isinstance(value, float):
        return e(number(value, 0 if value.is_integer() else 1, lang))
    return e(value)


def _figure_label(lang: str, name: str) -> str:
    return t(lang, "trips_figure" if name == "trips" else name)


def _plans_table(lang: str, upload: str, plans: Sequence[tuple[str, Plan]]) -> str:
    if not plans:
        return f"<p>{e(t(lang, 'no_plans'))}</p>"
    head = [
        e(t(lang, "plan")),
        e(t(lang, "status")),
        e(_figure_label(lang, "travel_km")),
        e(_figure_label(lang, "trips")),
        e(_figure_label(lang, "hard_violations")),
    ]
    rows = [
        (
            f"<a href='/u/{upload}/p/{pid}'>{pid}</a>",
            e(p.solver.status if p.solver else ""),
            _fmt(p.figures.get("travel_km"), lang),
            _fmt(p.figures.get("trips"), lang),
            _fmt(p.figures.get("hard_violations"), lang),
        )
        for pid, p in plans
    ]
    return _table(head, rows, "plans")


def overview(
    lang: str,
    *,
    csrf: str,
    upload: Upload,
    warnings: Sequence[str],
    summary: InputSummary,
    analysis: Analysis,
    plans: Sequence[tuple[str, Plan]],
    defaults: tuple[float, int],
) -> str:
    """The overview of an upload: counts, networks, overlap, analysis, plan form, plans."""
    hints = "".join(f"<option value='{pid}'>{pid}</option>" for pid, _ in plans)
    form = (
        f"<form method='post' action='/u/{upload.id}/plan' id='plan'>{_csrf(csrf)}"
        f"<label>{e(t(lang, 'time_limit'))} <input type='number' name='time_limit' min='1' "
        f"max='3600' step='any' value='{defaults[0]:g}'></label> "
        f"<label>{e(t(lang, 'seed'))} <input type='number' name='seed' min='0' "
        f"max='2147483647' value='{defaults[1]}'></label> "
        f"<label>{e(t(lang, 'hint'))} <select name='hint'><option value=''>"
        f"{e(t(lang, 'hint_none'))}</option>{hints}</select></label> "
        f"<button type='submit'>{e(t(lang, 'plan_button'))}</button></form>"
    )
    compare = ""
    if len(plans) >= 2:
        options = "".join(f"<option>{pid}</option>" for pid, _ in plans)
        compare = (
            f"<h2>{e(t(lang, 'compare'))}</h2><form method='get' action='/u/{upload.id}/compare'>"
            f"<select name='a'>{options}</select> <select name='b'>{options}</select> "
            f"<button type='submit'>{e(t(lang, 'compare_button'))}</button></form>"
        )
    body = (
        f"<p><strong>{e(upload.name)}</strong></p>"
        + _summary(lang, summary)
        + _analysis(lang, analysis)
        + _warnings(lang, warnings)
        + f"<section><h2>{e(t(lang, 'plan_title'))}</h2>{form}</section>"
        + f"<section><h2>{e(t(lang, 'plans'))}</h2>"
        + _plans_table(lang, upload.id, plans)
        + compare
        + "</section>"
    )
    return page(lang, t(lang, "overview"), body, path=f"/u/{upload.id}")


def _outcome(lang: str, job: Job) -> str:
    if job.plan_id is not None:
        href = f"/u/{job.upload}/p/{job.plan_id}"
        return f"<a id='result' href='{href}'>{e(t(lang, 'to_result'))}</a>"
    if job.state == "noplan":
        why = " ".join(job.explanation) or t(lang, "explanation_missing")
        return e(f"{t(lang, 'no_plan_help')} {why}")
    return ""


def job_page(lang: str, csrf: str, job: Job, line: str) -> str:
    """The progress page of a job; ``app.js`` keeps it up to date through server-sent events."""
    stop = (
        f"<form method='post' action='/jobs/{job.id}/stop' id='stop'>{_csrf(csrf)}"
        f"<button type='submit'>{e(t(lang, 'stop'))}</button></form>"
    )
    body = (
        f"<div id='job' data-events='/jobs/{job.id}/events'>"
        f"<progress id='bar' max='1' value='0'></progress>"
        f"<p id='line' aria-live='polite'>{e(line)}</p>"
        f"<p id='next'>{_outcome(lang, job)}</p>{'' if job.over else stop}"
        f"<p><a href='/u/{job.upload}'>{e(t(lang, 'overview'))}</a></p></div>"
    )
    return page(lang, t(lang, "job_title"), body, path=f"/jobs/{job.id}")


def _figures_rows(lang: str, columns: Sequence[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    return [
        (e(_figure_label(lang, name)), *(_fmt(c.get(name), lang) for c in columns))
        for name in FIGURE_NAMES
    ]


def _publish(lang: str, csrf: str, prefix: str) -> str:
    return (
        f"<h2>{e(t(lang, 'publish'))}</h2><p>{e(t(lang, 'publish_help'))}</p>"
        f"<form method='post' action='{prefix}/feeds' id='feeds'>{_csrf(csrf)}"
        f"<label>{e(t(lang, 'base_url'))} <input type='url' name='base_url' size='40' "
        "placeholder='https://agenda.example.org/dakpan/'></label> "
        f"<button type='submit'>{e(t(lang, 'feeds_button'))}</button></form>"
        f"<p><a href='{prefix}/links.csv'>{e(t(lang, 'links'))}</a></p>"
    )


def result(
    lang: str, csrf: str, upload: Upload, pid: str, *, plan: Plan, calendars: Sequence[str]
) -> str:
    """A plan: status, figures against the baseline, downloads, calendar files, the report."""
    base = plan.baseline or {}
    ratios = plan.ratios or {}
    rows = [
        (*r, e("" if ratios.get(name) is None else number(float(ratios[name] or 0), 2, lang)))
        for r, name in zip(_figures_rows(lang, [plan.figures, base]), FIGURE_NAMES, strict=True)
    ]
    head = [e(t(lang, k)) for k in ("figure", "plan", "baseline", "ratio")]
    prefix = f"/u/{upload.id}/p/{pid}"
    links = [
        (f"{prefix}/plan.zip", "zip"),
        (f"{prefix}/schedule.xlsx", "xlsx"),
        (f"{prefix}/schedule.csv", "csv"),
        (f"{prefix}/report.html", "report"),
    ]
    downloads = "".join(f"<li><a href='{href}'>{e(t(lang, k))}</a></li>" for href, k in links)
    ics = "".join(f"<li><a href='{prefix}/ics/{e(quote(n))}'>{e(n)}</a></li>" for n in calendars)
    status = plan.solver.status if plan.solver else ""
    body = (
        f"<p><strong>{e(upload.name)}</strong> · {pid} · {e(t(lang, 'status'))}: {e(status)}</p>"
        + _table(head, rows, "figures")
        + f"<h2>{e(t(lang, 'downloads'))}</h2><ul id='downloads'>{downloads}</ul>"
        + _publish(lang, csrf, prefix)
        + f"<h2>{e(t(lang, 'report'))}</h2>"
        + f"<iframe class='report' src='{prefix}/report.html' sandbox></iframe>"
        + f"<details><summary>{e(t(lang, 'calendars'))} ({len(calendars)})</summary>"
        + f"<ul class='ics'>{ics}</ul></details>"
        + f"<p><a href='/u/{upload.id}'>{e(t(lang, 'overview'))}</a></p>"
    )
    return page(lang, f"{t(lang, 'result')} {pid}", body, path=prefix)


def compare(lang: str, upload: Upload, plans: Sequence[tuple[str, Plan]]) -> str:
    """Plans side by side: their headline figures and the baseline's."""
    base = plans[0][1].baseline or {}
    head = [e(t(lang, "figure")), *(e(pid) for pid, _ in plans), e(t(lang, "baseline"))]
    rows = _figures_rows(lang, [*(p.figures for _, p in plans), base])
    body = (
        f"<p><strong>{e(upload.name)}</strong></p>"
        + _table(head, rows, "figures")
        + f"<p><a href='/u/{upload.id}'>{e(t(lang, 'overview'))}</a></p>"
    )
    return page(lang, t(lang, "compare_title"), body, path=f"/u/{upload.id}")


def error(lang: str, message: str) -> str:
    """An error page with one message."""
    body = f"<p class='error'>{e(message)}</p><p><a href='/'>{e(t(lang, 'home'))}</a></p>"
    return page(lang, t(lang, "error"), body)
