"""Places instead of coordinates (contract v1.1): resolution, reading, and planning with them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from planner.place_summary import far_apart_warnings, resolved_places
from planner.places import Place, PlaceError, resolve
from planner.planfile import problem_from_dict, problem_to_dict
from planner.read import InputError, read_problem
from planner.template import write_template

runner = CliRunner()


def test_plain_name_gives_geonames_coordinates() -> None:
    """'Goes' is GeoNames 2755476 in Zeeland, at its exact coordinates."""
    assert resolve("Goes") == Place(2755476, "Goes", "Zeeland", 51.50417, 3.88889, 36931)


def test_alternate_name_in_any_case() -> None:
    """'Den Haag' (and 'den haag') is an alternate name of The Hague."""
    hague = Place(2747373, "The Hague", "Zuid-Holland", 52.07667, 4.29861, 474292)
    assert resolve("Den Haag") == hague
    assert resolve("  den   HAAG ") == hague


def test_name_with_province_in_dutch_or_english() -> None:
    """A province after a comma picks the place within it, in either spelling."""
    assert resolve("Hengelo, Overijssel") == Place(
        2754394, "Hengelo", "Overijssel", 52.26583, 6.79306, 82311
    )
    assert resolve("hengelo,gelderland") == Place(
        2754395, "Hengelo", "Gelderland", 52.05083, 6.30972, 4510
    )
    assert (resolve("Rijswijk, South Holland").lat, resolve("Rijswijk, Zuid Holland").lon) == (
        52.03634,
        4.32501,
    )


def test_accented_name_typed_without_accents() -> None:
    """Accents are ignored: 'Sint Odilienberg' is Sint Odiliënberg, 'damwald' Damwâld."""
    assert resolve("Sint Odilienberg") == Place(
        2747229, "Sint Odiliënberg", "Limburg", 51.14333, 6.0, 2810
    )
    assert (resolve("damwald").name, resolve("Damwâld").lat) == ("Damwâld", 53.29046)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Zierikze", "'Zierikze' is not a Dutch place (did you mean 'Zierikzee'?)"),
        # an alternate name when it is much the closest; else GeoNames' own name
        ("Den Haaag", "'Den Haaag' is not a Dutch place (did you mean 'Den Haag'?)"),
        ("Apeldorne", "'Apeldorne' is not a Dutch place (did you mean 'Apeldoorn'?)"),
        ("Hengelo", "'Hengelo' is in Gelderland and Overijssel: write 'Hengelo, Overijssel'"),
        (
            "Spijk",
            "'Spijk' is in Gelderland, Groningen and Noord-Brabant: write 'Spijk, Groningen' "
            "(or another of them)",
        ),
        ("Goes, Overijssel", "'Goes' is not in Overijssel but in Zeeland: write 'Goes, Zeeland'"),
        ("Hengelo, Overijsel", "'Overijsel' is not a Dutch province (did you mean 'Overijssel'?)"),
        (
            "Qxzqx",
            "'Qxzqx' is not a Dutch place (GeoNames lists towns and villages of 500 or more "
            "inhabitants; give lat and lon instead)",
        ),
        (", Zeeland", "', Zeeland' names no place before the comma"),
    ],
)
def test_unresolvable_places_say_what_to_write(text: str, message: str) -> None:
    """Unknown names get a did-you-mean, ambiguous ones the provinces to choose from."""
    with pytest.raises(PlaceError) as exc:
        resolve(text)
    assert str(exc.value) == message


# A tiny input: networks a (at Goes) and b (at Goes or Middelburg), one meeting each; p
# (Vlissingen) is required in both, q (Zierikzee) in a, r optional in b.
NETWORKS = (
    "id,name,meetings,duration,venues\na,Netwerk A,1,60,goes\nb,Netwerk B,1,60,goes;middelburg\n"
)
MEMBERSHIPS = "network,person,role\na,p,\na,q,\nb,p,\nb,r,optional\n"
SETTINGS = (
    "key,value\nstart,2027-09-06\nend,2027-10-01\npublic_holidays,false\n"
    "school_holidays,false\nmin_gap_days,7\ntime_limit,3\n"
)
PEOPLE_PLACES = 'id,name,place\np,P,Vlissingen\nq,Q,zierikzee\nr,R,"Hengelo, Overijssel"\n'
VENUES_PLACES = "id,name,place,capacity\ngoes,Goes,Goes,20\nmiddelburg,Middelburg,Middelburg,20\n"
# The same with GeoNames' coordinates written out.
PEOPLE_LATLON = "id,name,lat,lon\np,P,51.4425,3.57361\nq,Q,51.65,3.91944\nr,R,52.26583,6.79306\n"
VENUES_LATLON = (
    "id,name,lat,lon,capacity\ngoes,Goes,51.50417,3.88889,20\n"
    "middelburg,Middelburg,51.5,3.61389,20\n"
)


def write_input(folder: Path, people: str, venues: str) -> Path:
    folder.mkdir()
    files = {
        "networks.csv": NETWORKS,
        "people.csv": people,
        "memberships.csv": MEMBERSHIPS,
        "venues.csv": venues,
        "settings.csv": SETTINGS,
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_reader_resolves_places_and_keeps_the_text(tmp_path: Path) -> None:
    """people and venues with only `place` read as GeoNames' coordinates."""
    problem = read_problem(write_input(tmp_path / "in", PEOPLE_PLACES, VENUES_PLACES))
    assert [(p.id, p.lat, p.lon, p.place) for p in problem.people] == [
        ("p", 51.4425, 3.57361, "Vlissingen"),
        ("q", 51.65, 3.91944, "zierikzee"),
        ("r", 52.26583, 6.79306, "Hengelo, Overijssel"),
    ]
    assert [(v.id, v.lat, v.lon, v.place) for v in problem.venues] == [
        ("goes", 51.50417, 3.88889, "Goes"),
        ("middelburg", 51.5, 3.61389, "Middelburg"),
    ]
    latlon = read_problem(write_input(tmp_path / "ll", PEOPLE_LATLON, VENUES_LATLON))
    assert [(p.lat, p.lon) for p in latlon.people] == [(p.lat, p.lon) for p in problem.people]
    assert [(v.lat, v.lon) for v in latlon.venues] == [(v.lat, v.lon) for v in problem.venues]
    # plan.json keeps the place texts (losslessly), and nothing new for lat/lon input
    assert problem_from_dict(problem_to_dict(problem)) == problem
    assert problem_to_dict(problem)["venues"][0]["place"] == "Goes"
    assert "place" not in problem_to_dict(latlon)["people"][0]


def test_lat_lon_win_over_place(tmp_path: Path) -> None:
    """A row that gives place and lat/lon keeps its lat/lon (and records no place)."""
    people = "id,name,place,lat,lon\np,P,Goes,51.4426,3.5736\nq,Q,Zierikzee,,\nr,R,Goes,,\n"
    problem = read_problem(write_input(tmp_path / "in", people, VENUES_PLACES))
    assert [(p.lat, p.lon, p.place) for p in problem.people] == [
        (51.4426, 3.5736, ""),
        (51.65, 3.91944, "Zierikzee"),
        (51.50417, 3.88889, "Goes"),
    ]


def test_unresolvable_places_are_located_errors(tmp_path: Path) -> None:
    """Every bad place is reported with file, row and column, all in one pass, exit 2."""
    people = "id,name,place,lat,lon\np,P,Zierikze,,\nq,Q,Hengelo,,\nr,R,,,\ns,S,Goes,51.5,\n"
    venues = "id,name,place,capacity\ngoes,Goes,Goes,20\nmiddelburg,Middelburg,Middelbrug,20\n"
    folder = write_input(tmp_path / "in", people, venues)
    with pytest.raises(InputError) as exc:
        read_problem(folder)
    assert [str(i) for i in exc.value.issues] == [
        "people.csv row 2, column place: 'Zierikze' is not a Dutch place "
        "(did you mean 'Zierikzee'?)",
        "people.csv row 3, column place: 'Hengelo' is in Gelderland and Overijssel: "
        "write 'Hengelo, Overijssel'",
        "people.csv row 4, column place: the cell is empty; give a place (e.g. 'Goes') "
        "or lat and lon",
        "people.csv row 5, column lon: the cell is empty; give both lat and lon, or only place",
        "venues.csv row 3, column place: 'Middelbrug' is not a Dutch place "
        "(did you mean 'Middelburg'?)",
    ]
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_without_place_column_lat_and_lon_stay_required(tmp_path: Path) -> None:
    """Input without `place` reads as before: a missing lat column is an error."""
    people = "id,name,lon\np,P,3.5\nq,Q,3.5\nr,R,3.5\n"
    with pytest.raises(InputError) as exc:
        read_problem(write_input(tmp_path / "in", people, VENUES_LATLON))
    assert [str(i) for i in exc.value.issues] == [
        "people.csv row 1, column lat: required column 'lat' is missing (found: id, name, lon)"
    ]


def test_places_only_input_plans_and_checks_like_coordinates(tmp_path: Path) -> None:
    """A places-only input plans; `check` gives it the figures of its coordinates twin."""
    places = write_input(tmp_path / "places", PEOPLE_PLACES, VENUES_PLACES)
    latlon = write_input(tmp_path / "latlon", PEOPLE_LATLON, VENUES_LATLON)
    out = tmp_path / "plan"
    planned = runner.invoke(
        app, ["plan", str(places), "--out", str(out), "--time-limit", "3", "--quiet"]
    )
    assert planned.exit_code == 0, planned.output
    checks = [
        runner.invoke(app, ["check", str(inp), str(out / "schedule.csv"), "--json"])
        for inp in (places, latlon)
    ]
    assert [c.exit_code for c in checks] == [0, 0], [c.output for c in checks]
    figures = [json.loads(c.stdout) for c in checks]
    assert figures[0] == figures[1]  # every figure, per person, and the baseline's
    # the optimum: both meetings back to back at Goes; p from Vlissingen, q from Zierikzee
    assert (figures[0]["trips"], figures[0]["sessions"], figures[0]["hard_violations"]) == (
        2,
        1,
        0,
    )
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "GeoNames" in report


def test_validate_shows_resolved_places_and_warns_of_a_far_home(tmp_path: Path) -> None:
    """`validate` lists where each place resolved and warns of a home far from the rest."""
    people = (
        "id,name,place,lat,lon\np,P,Vlissingen,,\nq,Q,Zierikzee,,\nr,R,Goes,,\n"
        's,S,"Hengelo, Overijssel",,\nt,T,,51.5,3.9\n'
    )
    folder = write_input(tmp_path / "in", people, VENUES_PLACES)
    (folder / "memberships.csv").write_text(
        "network,person,role\na,p,\na,q,\na,r,\na,s,\nb,p,\nb,t,\n", encoding="utf-8"
    )
    problem = read_problem(folder)
    assert [
        (r.table, r.id, r.text, r.place.name, r.place.province) for r in resolved_places(problem)
    ] == [
        ("people", "p", "Vlissingen", "Vlissingen", "Zeeland"),
        ("people", "q", "Zierikzee", "Zierikzee", "Zeeland"),
        ("people", "r", "Goes", "Goes", "Zeeland"),
        ("people", "s", "Hengelo, Overijssel", "Hengelo", "Overijssel"),
        ("venues", "goes", "Goes", "Goes", "Zeeland"),
        ("venues", "middelburg", "Middelburg", "Middelburg", "Zeeland"),
    ]
    # a's middle: lat (51.50417 + 51.65) / 2, lon (3.88889 + 3.91944) / 2, the medians of
    # Vlissingen, Zierikzee, Goes and Hengelo. From it: Zierikzee and Goes 8.18 km, Vlissingen
    # 27.34 km (median 17.76), Hengelo 212.38 km > 75 and > 4 x 17.76.
    warning = (
        "network 'a': person 's' ('Hengelo, Overijssel') lives 212 km from the middle of the "
        "network's members (half of them live within 18 km of it); a typo in place or lat/lon?"
    )
    assert far_apart_warnings(problem) == [warning]
    result = runner.invoke(app, ["validate", str(folder)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"warning: {warning}"
    row = next(line for line in lines if " s " in line and "Hengelo" in line)
    assert row.split("│")[1:-1] == [
        " people ",
        " s          ",
        " Hengelo, Overijssel ",
        " Hengelo    ",
        " Overijssel ",
        " 52.26583 ",
        " 6.79306 ",
    ]
    assert "GeoNames (geonames.org), CC BY 4.0" in result.stdout


def test_samples_have_no_far_homes() -> None:
    """The samples' networks (Randstad's cross-city ones included) raise no far-home warning."""
    samples = Path(__file__).resolve().parent.parent / "samples"
    for name in ("zeeland.xlsx", "randstad", "achterhoek"):
        assert far_apart_warnings(read_problem(samples / name)) == [], name


def test_template_explains_place_before_coordinates(tmp_path: Path) -> None:
    """The template's people and venues sheets, and its uitleg, put place before lat/lon."""
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    write_template(path)
    wb = load_workbook(path)
    assert [c.value for c in wb["people"][1]][4:7] == ["place", "lat", "lon"]
    assert [c.value for c in wb["venues"][1]][3:6] == ["place", "lat", "lon"]
    rows = [r for r in wb["uitleg"].iter_rows(min_row=5, values_only=True) if r[0] == "people"]
    assert [r[1] for r in rows][5:8] == ["place", "lat", "lon"]
    place, lat = rows[5], rows[6]
    assert (place[2], place[5], lat[2], lat[4]) == ("nee", "Zierikzee", "nee", "uit place")
    assert "'Hengelo, Overijssel'" in str(place[3])
