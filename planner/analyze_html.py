"""``analysis.html`` and the pictures beside it; the analysis section of ``report.html``.

:func:`write_analysis_folder` writes ``analysis.html`` (self-contained: the
pictures inline), ``graph.svg``, ``heatmap.svg``, ``savings-<group>.svg``,
``analysis.json`` and, when there are suggestions, ``together.csv`` (contract
v1.1 relay wishes). :func:`analysis_section` is the same analysis as one
``<section>`` for ``report.html``. Texts follow the problem's ``language``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import secrets
import shutil
from collections.abc import Sequence
from pathlib import Path

from planner.analyze import SAVING_FIGURES, Analysis, Group, analyze
from planner.analyze_suggest import TOGETHER_COLUMNS, Suggestion, together_rows
from planner.analyze_svg import (
    SETTING_COLOURS,
    change_percent,
    graph_svg,
    heatmap_svg,
    savings_svg,
    text,
)
from planner.problem import Problem
from planner.report_texts import number as _num
from planner.schedule import Schedule

ANALYSIS_HTML = "analysis.html"
"""File name of the page in an analysis folder."""

_T: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Samenhang tussen netwerken",
        "intro": (
            "Netwerken die verplichte leden delen zijn verbonden; verbonden netwerken vormen "
            "groepen. Per groep de situatie: laag (leden overlappen nauwelijks, netwerken werken "
            "goed apart), hoog (dezelfde bestuurders zitten overal: zij plannen zelf dakpandagen) "
            "of gedeeltelijk (typisch voor steden: hier helpt afstemming het meest)."
        ),
        "rule": (
            "Hoog als minstens {high_share}% van de leden in 2 of meer netwerken van de groep "
            "zit én de gemiddelde overlap (Jaccard) van verbonden netwerken minstens "
            "{high_jaccard} is; "
            "anders laag als minder dan {low_share}% in 2 of meer netwerken zit; anders "
            "gedeeltelijk."
        ),
        "groups": "Groepen",
        "col_group": "Groep",
        "col_networks": "Netwerken",
        "col_members": "Leden",
        "col_multi": "In 2+ netwerken",
        "col_npm": "Netwerken per lid",
        "col_density": "Dichtheid",
        "col_jaccard": "Gem. overlap",
        "col_setting": "Situatie",
        "pictures": "Overlap in beeld",
        "figures": "Wat afstemming scheelt",
        "col_figure": "Cijfer",
        "col_saving": "Verschil",
        "no_plan": "Geen planning om mee te vergelijken: alleen de cijfers zonder afstemming.",
        "spanning": (
            "{days} persoonsdagen van de planning ({km} km reizen) en {sessions} sessies "
            "bevatten bijeenkomsten van meer dan één groep; de groepscijfers tellen die dagen "
            "per groep."
        ),
        "evidence": "Onderbouwing",
        "pairs": "Samen in dakpandagen: paren",
        "triples": "Samen in dakpandagen: drietallen",
        "col_shared": "Gedeelde leden",
        "col_times": "Keer samen",
        "col_trips": "Reisdagen minder",
        "impossible_weekdays": "geen gemeenschappelijke weekdag",
        "impossible_venues": "geen gemeenschappelijke locatie",
        "bridges": "Netwerken die groepen verbinden",
        "col_bridge_groups": "Naar groepen",
        "per_network": "Per netwerk",
        "col_network": "Netwerk",
        "col_partners": "Sterkste partners (aandeel leden)",
        "col_links": "Leden ook in andere groepen",
        "verdict": "Groep {id} ({networks}, {members} leden): {setting}",
        "network_count": "{count} netwerk",
        "networks_count": "{count} netwerken",
        "verdict_share": "{share}% van de leden zit in 2 of meer netwerken",
        "verdict_jaccard": "gemiddelde overlap {jaccard}",
        "verdict_saves": "samen plannen scheelt {pct}% reiskilometers",
        "verdict_costs": "samen plannen kost {pct}% meer reiskilometers",
        "none": "geen",
    },
    "en": {
        "title": "How networks overlap",
        "intro": (
            "Networks that share required members are linked; linked networks form groups. Per "
            "group its setting: low (members barely overlap, networks work well alone), high "
            "(the same board members sit everywhere: they plan relay days themselves) or partial "
            "(typical for cities: where coordination helps most)."
        ),
        "rule": (
            "High when at least {high_share}% of the members sit in 2 or more of the group's "
            "networks and the mean overlap (Jaccard) of linked networks is at least "
            "{high_jaccard}; otherwise low when fewer than {low_share}% sit in 2 or more; "
            "otherwise partial."
        ),
        "groups": "Groups",
        "col_group": "Group",
        "col_networks": "Networks",
        "col_members": "Members",
        "col_multi": "In 2+ networks",
        "col_npm": "Networks per member",
        "col_density": "Density",
        "col_jaccard": "Mean overlap",
        "col_setting": "Setting",
        "pictures": "The overlap at a glance",
        "figures": "What coordination saves",
        "col_figure": "Figure",
        "col_saving": "Change",
        "no_plan": "No plan to compare with: the uncoordinated figures only.",
        "spanning": (
            "{days} person-days of the plan ({km} km of travel) and {sessions} sessions hold "
            "meetings of more than one group; the group figures count those days per group."
        ),
        "evidence": "Evidence",
        "pairs": "Together in relay days: pairs",
        "triples": "Together in relay days: triples",
        "col_shared": "Shared members",
        "col_times": "Times together",
        "col_trips": "Trips saved",
        "impossible_weekdays": "no common weekday",
        "impossible_venues": "no common venue",
        "bridges": "Networks that bridge groups",
        "col_bridge_groups": "To groups",
        "per_network": "Per network",
        "col_network": "Network",
        "col_partners": "Strongest partners (share of members)",
        "col_links": "Members also in other groups",
        "verdict": "Group {id} ({networks}, {members} members): {setting}",
        "network_count": "{count} network",
        "networks_count": "{count} networks",
        "verdict_share": "{share}% of the members sit in 2 or more networks",
        "verdict_jaccard": "mean overlap {jaccard}",
        "verdict_saves": "planning together saves {pct}% travel",
        "verdict_costs": "planning together costs {pct}% more travel",
        "none": "none",
    },
}

_CSS = """
body { margin: 0 auto; max-width: 1140px; padding: 24px 28px 48px; color: #1d2733;
  font: 15px/1.45 "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 28px; margin: 0 0 8px; }
h2 { font-size: 21px; margin: 32px 0 10px; border-bottom: 2px solid #1d2733; }
h3 { font-size: 17px; margin: 22px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #d5dbe3;
  vertical-align: top; }
th { background: #f3f6f9; font-size: 13px; color: #5b6775; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.pic { overflow-x: auto; }
.muted { color: #5b6775; }
"""


_PIC = "class='pic' style='overflow-x:auto'"


def _inline(svg: str) -> str:
    """An SVG for inside HTML: without the XML namespace (HTML needs none, and it is a URL)."""
    return svg.replace(' xmlns="http://www.w3.org/2000/svg"', "", 1)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _t(lang: str, key: str, **kw: object) -> str:
    return _T.get(lang, _T["nl"])[key].format(**kw)


def verdict(group: Group, lang: str) -> str:
    """One line about a group: its size, setting, the evidence in words, and the saving."""
    parts = [
        _t(
            lang,
            "verdict",
            id=group.id,
            networks=_t(
                lang,
                "network_count" if len(group.networks) == 1 else "networks_count",
                count=len(group.networks),
            ),
            members=group.members,
            setting=text(lang, group.setting),
        ),
        _t(lang, "verdict_share", share=_num(group.multi_share * 100, 0, lang)),
        _t(lang, "verdict_jaccard", jaccard=_num(group.mean_jaccard, 2, lang)),
    ]
    saving = group.saving()["travel_km"]
    if saving is not None:
        key = "verdict_saves" if saving >= 0 else "verdict_costs"
        parts.append(_t(lang, key, pct=_num(abs(saving) * 100, 0, lang)))
    return parts[0] + " — " + "; ".join(parts[1:]) + "."


# ------------------------------------------------------------------ sections
def _groups_table(analysis: Analysis, lang: str) -> str:
    head = "".join(
        f"<th>{_e(_t(lang, k))}</th>"
        for k in (
            "col_group",
            "col_networks",
            "col_members",
            "col_multi",
            "col_npm",
            "col_density",
            "col_jaccard",
            "col_setting",
        )
    )
    rows = []
    for g in analysis.groups:
        fill, stroke = SETTING_COLOURS[g.setting]
        rows.append(
            f"<tr><td><a href='#group-{_e(g.id)}'>{_e(g.id)}</a></td>"
            f"<td class='num'>{len(g.networks)}</td><td class='num'>{g.members}</td>"
            f"<td class='num'>{_num(g.multi_share * 100, 0, lang)}%</td>"
            f"<td class='num'>{_num(g.networks_per_member, 2, lang)}</td>"
            f"<td class='num'>{_num(g.density, 2, lang)}</td>"
            f"<td class='num'>{_num(g.mean_jaccard, 2, lang)}</td>"
            f"<td style='background:{fill};color:{stroke};font-weight:700'>"
            f"{_e(text(lang, g.setting))}</td></tr>"
        )
    th = analysis.thresholds
    rule = _t(
        lang,
        "rule",
        high_share=_num(th.high_share * 100, 0, lang),
        high_jaccard=_num(th.high_jaccard, 2, lang),
        low_share=_num(th.low_share * 100, 0, lang),
    )
    return (
        f"<p>{_e(_t(lang, 'intro'))}</p><p class='muted'>{_e(rule)}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _group_block(problem: Problem, analysis: Analysis, group: Group) -> str:
    lang = problem.settings.language
    names = ", ".join(_e(problem.network_by_id[n].name) for n in group.networks)
    evidence = "".join(
        f"<li>{_e(e.measure)} = {_num(e.value, 4, lang)} {_e(e.op)} {_num(e.threshold, 2, lang)}"
        f": {'✔' if e.holds else '✘'}</li>"
        for e in group.evidence
    )
    parts = [
        f"<h3 id='group-{_e(group.id)}'>{_e(verdict(group, lang))}</h3>",
        f"<p class='muted'>{names}</p>",
        f"<p>{_e(_t(lang, 'evidence'))}:</p><ul>{evidence}</ul>",
        f"<div {_PIC}>{_inline(savings_svg(group, lang))}</div>",
        _figures_table(group, lang),
    ]
    for key, found in (("pairs", group.pairs), ("triples", group.triples)):
        if found:
            parts.append(_suggestion_table(problem, key, found))
    return "\n".join(parts)


def _figures_table(group: Group, lang: str) -> str:
    if group.baseline is None:
        return ""
    saving = group.saving()
    rows = []
    for name in SAVING_FIGURES:
        base = float(getattr(group.baseline, name))
        plan = None if group.plan is None else float(getattr(group.plan, name))
        ratio = saving[name]
        rows.append(
            f"<tr><td>{_e(text(lang, name))}</td><td class='num'>{_num(base, 0, lang)}</td>"
            f"<td class='num'>{'' if plan is None else _num(plan, 0, lang)}</td>"
            f"<td class='num'>{'' if ratio is None else change_percent(ratio)}</td>"
            "</tr>"
        )
    head = "".join(
        f"<th>{_e(h)}</th>"
        for h in (
            _t(lang, "col_figure"),
            text(lang, "baseline"),
            text(lang, "plan"),
            _t(lang, "col_saving"),
        )
    )
    note = "" if group.plan is not None else f"<p class='muted'>{_e(_t(lang, 'no_plan'))}</p>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"


def _suggestion_table(problem: Problem, key: str, found: Sequence[Suggestion]) -> str:
    lang = problem.settings.language
    rows = []
    for s in found:
        names = " + ".join(_e(n) for n in s.networks)
        note = (
            ""
            if s.possible
            else f" <span class='muted'>({_e(_t(lang, 'impossible_' + s.reason))})</span>"
        )
        rows.append(
            f"<tr><td>{names}{note}</td><td class='num'>{s.shared}</td>"
            f"<td class='num'>{s.times}</td><td class='num'>{s.trips_saved}</td></tr>"
        )
    head = "".join(
        f"<th>{_e(_t(lang, k))}</th>"
        for k in ("col_networks", "col_shared", "col_times", "col_trips")
    )
    return (
        f"<p><b>{_e(_t(lang, key))}</b></p><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _bridges(analysis: Analysis, lang: str) -> str:
    found = analysis.bridges()[:10]
    if not found:
        return ""
    rows = "".join(
        f"<tr><td>{_e(n.network)}</td><td>{_e(n.group)}</td>"
        f"<td>{_e(', '.join(sorted(n.links)))}</td><td class='num'>{n.linking_members}</td></tr>"
        for n in found
    )
    head = "".join(
        f"<th>{_e(_t(lang, k))}</th>"
        for k in ("col_network", "col_group", "col_bridge_groups", "col_members")
    )
    return (
        f"<h3>{_e(_t(lang, 'bridges'))}</h3>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _per_network(analysis: Analysis, lang: str) -> str:
    rows = []
    for n in analysis.networks:
        partners = ", ".join(
            f"{p.network} ({_num(p.share * 100, 0, lang)}%)" for p in n.partners
        ) or _t(lang, "none")
        links = "; ".join(f"{g}: {', '.join(ps)}" for g, ps in n.links.items()) or _t(lang, "none")
        rows.append(
            f"<tr><td>{_e(n.network)}</td><td>{_e(n.group)}</td>"
            f"<td>{_e(text(lang, n.setting))}</td><td>{_e(partners)}</td><td>{_e(links)}</td></tr>"
        )
    head = "".join(
        f"<th>{_e(_t(lang, k))}</th>"
        for k in ("col_network", "col_group", "col_setting", "col_partners", "col_links")
    )
    return (
        f"<h2>{_e(_t(lang, 'per_network'))}</h2>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def body_html(problem: Problem, analysis: Analysis, *, level: int = 2) -> str:
    """The analysis as HTML (no page shell): groups, pictures, figures, suggestions."""
    lang = problem.settings.language
    h = f"h{level}"
    parts = [
        f"<{h}>{_e(_t(lang, 'groups'))}</{h}>",
        _groups_table(analysis, lang),
        f"<{h}>{_e(_t(lang, 'pictures'))}</{h}>",
        f"<div {_PIC} id='graph'>{_inline(graph_svg(problem, analysis))}</div>",
        f"<div {_PIC} id='heatmap'>{_inline(heatmap_svg(problem, analysis))}</div>",
        f"<{h}>{_e(_t(lang, 'figures'))}</{h}>",
    ]
    span = analysis.spanning_plan
    if span is not None:
        km = _num(span.travel_km, 0, lang)
        parts.append(
            f"<p>{_e(_t(lang, 'spanning', days=span.days, km=km, sessions=span.sessions))}</p>"
        )
    parts.extend(_group_block(problem, analysis, g) for g in analysis.groups)
    parts.append(_bridges(analysis, lang))
    parts.append(_per_network(analysis, lang))
    return "\n".join(p for p in parts if p)


def analysis_html(problem: Problem, analysis: Analysis) -> str:
    """The text of ``analysis.html``: a self-contained page (inline CSS and SVG, no scripts)."""
    lang = problem.settings.language
    title = _t(lang, "title")
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                f'<html lang="{"en" if lang == "en" else "nl"}">',
                '<head><meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{_e(title)}</title><style>{_CSS}</style></head>",
                f"<body><h1>{_e(title)}</h1>",
                body_html(problem, analysis),
                "</body></html>",
            ]
        )
        + "\n"
    )


def analysis_section(problem: Problem, schedule: Schedule) -> str:
    """The analysis of a plan as one ``<section id="analysis">`` for ``report.html``.

    Parameters
    ----------
    problem, schedule
        The plan; its groups' figures are compared with the baseline's.
    """
    analysis = analyze(problem, plan=schedule, plan_source="given")
    title = _t(problem.settings.language, "title")
    return (
        f'<section id="analysis"><h2>{_e(title)}</h2>'
        f"{body_html(problem, analysis, level=3)}</section>"
    )


# ------------------------------------------------------------------ the folder
def together_csv(analysis: Analysis) -> str:
    """``together.csv`` of the possible suggestions of every group (empty when none)."""
    rows = together_rows(s for g in analysis.groups for s in (*g.pairs, *g.triples))
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(TOGETHER_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def analysis_files(problem: Problem, analysis: Analysis) -> dict[str, str]:
    """File name -> text of everything an analysis folder holds."""
    files = {
        ANALYSIS_HTML: analysis_html(problem, analysis),
        "analysis.json": json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False) + "\n",
        "graph.svg": graph_svg(problem, analysis),
        "heatmap.svg": heatmap_svg(problem, analysis),
    }
    for g in analysis.groups:
        files[f"savings-{g.id}.svg"] = savings_svg(g, problem.settings.language)
    together = together_csv(analysis)
    if together:
        files["together.csv"] = together
    return files


def write_analysis_folder(out: str | Path, problem: Problem, analysis: Analysis) -> list[str]:
    """Write an analysis folder atomically; return the file names written.

    The folder is written into a temporary sibling and renamed into place. An
    existing ``out`` must be empty or an earlier analysis folder (holding
    ``analysis.html``); anything else is refused with :class:`OSError` before
    anything is written.
    """
    target = Path(out)
    _replaceable(target)
    files = analysis_files(problem, analysis)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    tmp.mkdir()
    try:
        for name, content in files.items():
            (tmp / name).write_bytes(content.encode("utf-8"))
        if target.exists():
            old = target.parent / f".{target.name}.{secrets.token_hex(4)}.old"
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(files)


def _replaceable(target: Path) -> None:
    if not target.exists() and not target.is_symlink():
        return
    if target.is_symlink() or not target.is_dir():
        raise OSError(f"{target} exists and is not a folder; refusing to replace it")
    if any(target.iterdir()) and not (target / ANALYSIS_HTML).is_file():
        raise OSError(
            f"{target} is a folder that holds no analysis ({ANALYSIS_HTML}); refusing to "
            "replace it: choose a new or empty folder"
        )
