"""Pictures of ``dakpan analyze``, drawn as plain SVG text.

Three pictures: the overlap graph (:func:`graph_svg`), the shared-members heat
map (:func:`heatmap_svg`) and per group a bar chart of the plan against the
baseline (:func:`savings_svg`).

Decisions
---------
Deterministic
    The layout is computed here, not by a force simulation: each group is a
    circle of its networks (ordered so that strongly linked networks sit side
    by side), the circles are packed in rows, largest group first. Every
    coordinate is written with one decimal, so the same analysis gives the same
    bytes on every machine.
Self-contained
    No fonts, scripts, links or images; text from the input is escaped; a
    ``<title>`` on every node, edge and cell names what it shows.
Readable up to ~150 networks
    Node labels point away from their circle's centre; the heat map drops its
    row labels when cells get smaller than 8 pixels (the titles remain).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

from planner.analyze import SAVING_FIGURES, Analysis, Group
from planner.analyze_figures import GroupFigures
from planner.problem import Problem
from planner.report_texts import number

SETTING_COLOURS: dict[str, tuple[str, str]] = {
    "low": ("#eaf6ec", "#2e7d32"),
    "partial": ("#fff2df", "#c26a00"),
    "high": ("#e6effb", "#1f5fa8"),
}
"""Per setting: (light fill, strong stroke)."""

GROUP_PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)
"""Node colours, one per group in order."""

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "low": "laag",
        "partial": "gedeeltelijk",
        "high": "hoog",
        "travel_km": "Reiskilometers",
        "trips": "Reisdagen",
        "sessions": "Sessies",
        "baseline": "Zonder afstemming",
        "plan": "Met afstemming",
        "group": "Groep",
        "networks": "netwerken",
        "shared": "gedeelde leden",
        "members": "leden",
        "graph_title": "Overlap tussen netwerken",
        "heat_title": "Gedeelde leden per paar netwerken",
        "legend_cross": "tussen groepen",
        "saving": "besparing",
        "more": "meer",
    },
    "en": {
        "low": "low",
        "partial": "partial",
        "high": "high",
        "travel_km": "Travel km",
        "trips": "Trips",
        "sessions": "Sessions",
        "baseline": "Uncoordinated",
        "plan": "Coordinated",
        "group": "Group",
        "networks": "networks",
        "shared": "shared members",
        "members": "members",
        "graph_title": "Overlap between networks",
        "heat_title": "Shared members per pair of networks",
        "legend_cross": "between groups",
        "saving": "saving",
        "more": "more",
    },
}
"""Texts of the pictures (and of the analysis page), per language."""

_FONT = 'font-family="Segoe UI, Roboto, Helvetica, Arial, sans-serif"'
_SPACING = 40.0
_LABEL_ROOM = 62.0
_WIDTH = 1100.0
_LEGEND_WIDTH = 560.0


def text(lang: str, key: str) -> str:
    """The text ``key`` in ``lang`` (Dutch for an unknown language)."""
    return TEXTS.get(lang, TEXTS["nl"])[key]


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _f(x: float) -> str:
    out = f"{x:.1f}"
    return "0.0" if out == "-0.0" else out


def _svg(width: float, height: float, label: str, body: Sequence[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(width)}" height="{_f(height)}" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" role="img" aria-label="{_e(label)}" {_FONT}>'
    )
    return "\n".join([head, f"<title>{_e(label)}</title>", *body, "</svg>"]) + "\n"


def group_colour(index: int) -> str:
    """The node colour of the ``index``-th group."""
    return GROUP_PALETTE[index % len(GROUP_PALETTE)]


# ------------------------------------------------------------------ graph
def _chain(nets: Sequence[str], weight: Mapping[tuple[str, str], int]) -> list[str]:
    """Networks in circle order: start with the most linked, then always the strongest next.

    Ties: more shared with the networks already placed, then file order.
    O(k^2) for k networks.
    """

    def w(a: str, b: str) -> int:
        return weight.get((a, b), weight.get((b, a), 0))

    rank = {n: i for i, n in enumerate(nets)}
    total = {n: sum(w(n, o) for o in nets) for n in nets}
    first = max(nets, key=lambda n: (total[n], -rank[n]))
    out = [first]
    placed = dict.fromkeys(nets, 0)
    rest = [n for n in nets if n != first]
    while rest:
        last = out[-1]
        for n in rest:
            placed[n] += w(last, n)
        nxt = max(rest, key=lambda n: (w(last, n), placed[n], -rank[n]))
        out.append(nxt)
        rest.remove(nxt)
    return out


def _radius(members: int) -> float:
    return min(14.0, 4.0 + 1.6 * math.sqrt(members))


def layout(
    analysis: Analysis,
) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float, float]], float, float]:
    """Node positions, each group's circle ``(cx, cy, r)``, the picture's width and height."""
    weight = {(a, b): w for a, b, w in analysis.edges}
    ranked = sorted(
        range(len(analysis.groups)), key=lambda i: (-len(analysis.groups[i].networks), i)
    )
    pos: dict[str, tuple[float, float]] = {}
    circles: dict[str, tuple[float, float, float]] = {}
    x, y, row_height = 0.0, 46.0, 0.0
    width = _LEGEND_WIDTH
    for i in ranked:
        group = analysis.groups[i]
        k = len(group.networks)
        ring = 0.0 if k == 1 else max(22.0, k * _SPACING / (2 * math.pi))
        bubble = ring + 22.0
        cell = 2 * (bubble + _LABEL_ROOM)
        if x > 0 and x + cell > _WIDTH:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + cell / 2, y + 22.0 + bubble + _LABEL_ROOM / 2
        circles[group.id] = (cx, cy, bubble)
        for j, net in enumerate(_chain(group.networks, weight)):
            angle = -math.pi / 2 + 2 * math.pi * j / k
            pos[net] = (cx + ring * math.cos(angle), cy + ring * math.sin(angle))
        x += cell
        width = max(width, x)
        row_height = max(row_height, 22.0 + 2 * bubble + _LABEL_ROOM)
    return pos, circles, width, y + row_height + 10.0


def graph_svg(problem: Problem, analysis: Analysis) -> str:
    """The overlap graph: networks sized by members, edges by shared members.

    Each group is a circle filled in its setting's colour; nodes take the
    group's colour; an edge inside a group is drawn in that colour, one
    between groups dashed grey.
    """
    lang = problem.settings.language
    pos, circles, width, height = layout(analysis)
    group_of = analysis.group_of()
    index = {g.id: i for i, g in enumerate(analysis.groups)}
    members = {n.network: n.members for n in analysis.networks}
    wmax = max((w for _a, _b, w in analysis.edges), default=1)
    body = [_legend(lang)]
    cross = [e for e in analysis.edges if group_of[e[0]] != group_of[e[1]]]
    inner = [e for e in analysis.edges if group_of[e[0]] == group_of[e[1]]]
    body.extend(_edge(e, pos, group_of, index, wmax, lang) for e in cross)
    for g in analysis.groups:
        cx, cy, r = circles[g.id]
        fill, stroke = SETTING_COLOURS[g.setting]
        label = f"{text(lang, 'group')} {g.id} · {text(lang, g.setting)} · {len(g.networks)}"
        body.append(
            f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(r)}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.5"/>'
            f'<text x="{_f(cx)}" y="{_f(cy - r - _LABEL_ROOM / 2 + 4)}" text-anchor="middle" '
            f'font-size="13" font-weight="700" fill="{stroke}">{_e(label)}</text>'
        )
    body.extend(_edge(e, pos, group_of, index, wmax, lang) for e in inner)
    for net in problem.networks:
        body.append(
            _node(
                net.id,
                net.name,
                pos=pos,
                circle=circles[group_of[net.id]],
                members=members,
                index=index,
                group_of=group_of,
                lang=lang,
            )
        )
    return _svg(width, height, text(lang, "graph_title"), body)


def _edge(  # noqa: PLR0917 - one edge and what it needs
    edge: tuple[str, str, int],
    pos: Mapping[str, tuple[float, float]],
    group_of: Mapping[str, str],
    index: Mapping[str, int],
    wmax: int,
    lang: str,
) -> str:
    """An edge: in its group's colour inside a group, dashed grey between groups."""
    a, b, w = edge
    (x1, y1), (x2, y2) = pos[a], pos[b]
    same = group_of[a] == group_of[b]
    colour = group_colour(index[group_of[a]]) if same else "#8a94a3"
    dash = "" if same else ' stroke-dasharray="4 3"'
    return (
        f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" stroke="{colour}" '
        f'stroke-opacity="0.55" stroke-width="{_f(0.8 + 3.2 * w / wmax)}"{dash}>'
        f"<title>{_e(a)} – {_e(b)}: {w} {_e(text(lang, 'shared'))}</title></line>"
    )


def _node(
    nid: str,
    name: str,
    *,
    pos: Mapping[str, tuple[float, float]],
    circle: tuple[float, float, float],
    members: Mapping[str, int],
    index: Mapping[str, int],
    group_of: Mapping[str, str],
    lang: str,
) -> str:
    x, y = pos[nid]
    cx, cy, _r = circle
    dx, dy = x - cx, y - cy
    dist = math.hypot(dx, dy)
    ux, uy = (0.0, 1.0) if dist < 1e-9 else (dx / dist, dy / dist)
    r = _radius(members[nid])
    lx, ly = x + ux * (r + 4), y + uy * (r + 4) + 4
    anchor = "middle" if abs(ux) < 0.35 else ("start" if ux > 0 else "end")
    if abs(ux) < 0.35:
        ly += 8 if uy > 0 else -4
    colour = group_colour(index[group_of[nid]])
    tip = f"{name} ({nid}): {members[nid]} {text(lang, 'members')}"
    return (
        f'<g><title>{_e(tip)}</title><circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" '
        f'fill="{colour}" stroke="#ffffff" stroke-width="1.2"/>'
        f'<text x="{_f(lx)}" y="{_f(ly)}" text-anchor="{anchor}" font-size="10" '
        f'fill="#1d2733">{_e(nid)}</text></g>'
    )


def _legend(lang: str) -> str:
    parts = []
    x = 8.0
    for setting in ("low", "partial", "high"):
        fill, stroke = SETTING_COLOURS[setting]
        parts.append(
            f'<rect x="{_f(x)}" y="10" width="16" height="16" rx="8" fill="{fill}" '
            f'stroke="{stroke}"/><text x="{_f(x + 22)}" y="23" font-size="12" '
            f'fill="#1d2733">{_e(text(lang, setting))}</text>'
        )
        x += 130
    parts.append(
        f'<line x1="{_f(x)}" y1="18" x2="{_f(x + 28)}" y2="18" stroke="#8a94a3" '
        f'stroke-width="2" stroke-dasharray="4 3"/><text x="{_f(x + 34)}" y="23" '
        f'font-size="12" fill="#1d2733">{_e(text(lang, "legend_cross"))}</text>'
    )
    return "".join(parts)


# ------------------------------------------------------------------ heat map
def _shade(share: float) -> str:
    """White (0) to dark blue (1)."""
    low, high = (255, 255, 255), (20, 70, 140)
    rgb = (round(lo + (hi - lo) * share) for lo, hi in zip(low, high, strict=True))
    return "#" + "".join(f"{c:02x}" for c in rgb)


def heatmap_svg(problem: Problem, analysis: Analysis) -> str:
    """Shared required members of every pair of networks, networks ordered by group.

    A cell's darkness is its shared members over the largest number shared
    by any pair; each group's block on the diagonal is outlined in its
    setting's colour.
    """
    lang = problem.settings.language
    order = [n for g in analysis.groups for n in g.networks]
    n = len(order)
    cell = float(max(4, min(22, 720 // max(n, 1))))
    margin = 120.0 if cell >= 8 else 12.0
    at = {nid: i for i, nid in enumerate(order)}
    wmax = max((w for _a, _b, w in analysis.edges), default=1)
    size = margin + n * cell + 10
    body = [
        f'<rect x="{_f(margin)}" y="{_f(margin)}" width="{_f(n * cell)}" '
        f'height="{_f(n * cell)}" fill="#ffffff" stroke="#d5dbe3"/>'
    ]
    for i in range(n):
        body.append(
            f'<rect x="{_f(margin + i * cell)}" y="{_f(margin + i * cell)}" width="{_f(cell)}" '
            f'height="{_f(cell)}" fill="#4a5563"/>'
        )
    for a, b, w in analysis.edges:
        for r, c in ((at[a], at[b]), (at[b], at[a])):
            body.append(
                f'<rect x="{_f(margin + c * cell)}" y="{_f(margin + r * cell)}" '
                f'width="{_f(cell)}" height="{_f(cell)}" fill="{_shade(w / wmax)}">'
                f"<title>{_e(order[r])} – {_e(order[c])}: {w} {_e(text(lang, 'shared'))}"
                "</title></rect>"
            )
    start = 0
    for g in analysis.groups:
        k = len(g.networks)
        stroke = SETTING_COLOURS[g.setting][1]
        body.append(
            f'<rect x="{_f(margin + start * cell)}" y="{_f(margin + start * cell)}" '
            f'width="{_f(k * cell)}" height="{_f(k * cell)}" fill="none" stroke="{stroke}" '
            f'stroke-width="2"><title>{_e(text(lang, "group"))} {_e(g.id)}</title></rect>'
        )
        start += k
    if cell >= 8:
        body.extend(_heat_labels(order, margin, cell))
    return _svg(size, size, text(lang, "heat_title"), body)


def _heat_labels(order: Sequence[str], margin: float, cell: float) -> list[str]:
    out = []
    font = min(11.0, cell - 1)
    for i, nid in enumerate(order):
        mid = margin + i * cell + cell / 2 + font / 3
        out.append(
            f'<text x="{_f(margin - 4)}" y="{_f(mid)}" text-anchor="end" '
            f'font-size="{_f(font)}" fill="#1d2733">{_e(nid)}</text>'
        )
        out.append(
            f'<text x="{_f(mid)}" y="{_f(margin - 4)}" font-size="{_f(font)}" fill="#1d2733" '
            f'transform="rotate(-90 {_f(mid)} {_f(margin - 4)})">{_e(nid)}</text>'
        )
    return out


# ------------------------------------------------------------------ savings
def savings_svg(group: Group, lang: str) -> str:
    """Bars of the group's travel km, trips and sessions: baseline against the plan."""
    width, left, bar_max = 600.0, 130.0, 330.0
    body: list[str] = []
    y = 30.0
    fill = SETTING_COLOURS[group.setting][1]
    body.append(
        f'<rect x="{_f(left)}" y="8" width="12" height="10" fill="#aab3bf"/>'
        f'<text x="{_f(left + 16)}" y="17" font-size="11">{_e(text(lang, "baseline"))}</text>'
        f'<rect x="{_f(left + 170)}" y="8" width="12" height="10" fill="{fill}"/>'
        f'<text x="{_f(left + 186)}" y="17" font-size="11">{_e(text(lang, "plan"))}</text>'
    )
    saving = group.saving()
    for name in SAVING_FIGURES:
        base = _value(group.baseline, name)
        plan = _value(group.plan, name)
        top = max(base or 0.0, plan or 0.0) or 1.0
        body.append(
            f'<text x="0" y="{_f(y + 15)}" font-size="12" font-weight="600">'
            f"{_e(text(lang, name))}</text>"
        )
        for offset, value, colour in ((0.0, base, "#aab3bf"), (14.0, plan, fill)):
            if value is None:
                continue
            w = bar_max * value / top
            body.append(
                f'<rect x="{_f(left)}" y="{_f(y + offset)}" width="{_f(w)}" height="12" '
                f'fill="{colour}"/><text x="{_f(left + w + 4)}" y="{_f(y + offset + 10)}" '
                f'font-size="10">{_e(number(value, 0, lang))}</text>'
            )
        ratio = saving[name]
        if ratio is not None:
            body.append(
                f'<text x="{_f(width - 4)}" y="{_f(y + 18)}" text-anchor="end" font-size="12" '
                f'font-weight="700" fill="{fill}">{_e(change_percent(ratio))}</text>'
            )
        y += 38
    label = f"{text(lang, 'group')} {group.id}: {text(lang, 'baseline')} / {text(lang, 'plan')}"
    return _svg(width, y + 4, label, body)


def _value(figures: GroupFigures | None, name: str) -> float | None:
    return None if figures is None else float(getattr(figures, name))


def change_percent(ratio: float) -> str:
    """A saving ``ratio`` (1 - plan / baseline) as ``-34%`` (less) or ``+5%`` (more); ``0%``."""
    pct = round(ratio * 100)
    return f"{-pct:+d}%" if pct else "0%"
