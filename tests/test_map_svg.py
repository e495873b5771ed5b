"""The report's map (planner/map_svg.py): points placed by longitude and latitude, deterministic."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import replace

from planner.check import check
from planner.map_svg import map_section, map_svg
from planner.report import report_html
from tests.conftest import schedule_of, two_networks_one_member

# The frame is the Netherlands' (lat 50.72..53.58, lon 3.30..7.45) when every point lies in it;
# longitudes shrink by cos(52.15 deg) and 480 pixels span the longitudes.
SHRINK = math.cos(math.radians((50.72 + 53.58) / 2))
SCALE = 480 / ((7.45 - 3.30) * SHRINK)


def xy(lat: float, lon: float) -> tuple[str, str]:
    return f"{(lon - 3.30) * SHRINK * SCALE:.1f}", f"{(53.58 - lat) * SCALE:.1f}"


def circles(svg: str) -> list[dict[str, str]]:
    root = ET.fromstring(svg)
    return [dict(c.attrib) | {"title": c[0].text or ""} for c in root.iter("circle")]


def test_homes_and_venues_are_placed_and_sized() -> None:
    """People group by home; venues are sized by their sessions, an unused one is a ring."""
    problem = two_networks_one_member()
    schedule = schedule_of(
        problem, ("a", "2027-09-20", "09:00", "goes"), ("b", "2027-09-20", "10:15", "goes")
    )
    svg = map_svg(problem, schedule, "en")
    root = ET.fromstring(svg)
    assert (
        (root.get("width"), root.get("height")) == ("480", f"{2.86 * SCALE:.0f}") == ("480", "539")
    )
    got = [(c["cx"], c["cy"], c["r"], c.get("fill"), c["title"]) for c in circles(svg)]
    assert got == [
        # homes, north to south: q in Goes (1 person, r = 1.6 + 1.1), p and r in Vlissingen
        (*xy(51.5040, 3.8880), "2.7", "#5a6470", "1 participant(s): Q"),
        (
            *xy(51.4426, 3.5736),
            f"{1.6 + 1.1 * math.sqrt(2):.1f}",
            "#5a6470",
            "2 participant(s): P, R",
        ),
        # venues, most sessions first: Goes holds one session (r = 2.5 + 1.5), Middelburg none
        (*xy(51.5040, 3.8880), "4.0", "#e07b00", "Goes: 1 session(s)"),
        (*xy(51.4988, 3.6136), "3.5", "none", "Middelburg: 0 session(s)"),
    ]
    assert [t.text for t in root.iter("text")] == ["goes", "middelburg"]
    assert map_svg(problem, schedule, "en") == svg


def test_a_point_outside_the_netherlands_widens_the_frame() -> None:
    """A home abroad (50.0, 3.0) is drawn inside the map: the frame grows by 0.08 degrees."""
    problem = two_networks_one_member()
    abroad = replace(problem.people[2], lat=50.0, lon=3.0)
    far = replace(problem, people=(*problem.people[:2], abroad))
    svg = map_svg(far, schedule_of(far), "nl")
    # lat 49.92..53.58, lon 2.92..7.45
    shrink = math.cos(math.radians((49.92 + 53.58) / 2))
    scale = 480 / ((7.45 - 2.92) * shrink)
    assert ET.fromstring(svg).get("height") == f"{(53.58 - 49.92) * scale:.0f}"
    r = next(c for c in circles(svg) if c["title"] == "1 deelnemer(s): R")
    assert (r["cx"], r["cy"]) == (f"{0.08 * shrink * scale:.1f}", f"{(53.58 - 50.0) * scale:.1f}")


def test_report_holds_the_map_and_credits_geonames_only_with_places() -> None:
    """report.html has the map section; the place sentence only when `place` was used."""
    problem = two_networks_one_member()
    schedule = schedule_of(problem, ("a", "2027-09-20", "09:00", "goes"))
    page = report_html(problem, schedule, check(problem, schedule))
    assert map_section(problem, schedule, "nl") in page
    assert '<a href="#map">Kaart</a>' in page
    assert "Land en plaatsen: GeoNames (geonames.org), licentie CC BY 4.0" in page
    assert "De coördinaten bij place zijn die van GeoNames." not in page
    placed = replace(problem, venues=(replace(problem.venues[0], place="Goes"), problem.venues[1]))
    assert "De coördinaten bij place zijn die van GeoNames." in map_section(placed, schedule)
