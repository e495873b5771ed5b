"""``report.html``: content, language, escaping, determinism."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from planner.baseline import baseline
from planner.check import CheckReport, check, great_circle_km
from planner.planfile import SolverInfo
from planner.problem import Problem
from planner.report import REPORT_HTML, report_html, report_writer, write_report
from planner.schedule import Schedule
from tests.conftest import schedule_of, two_networks_one_member

VOID = {"meta", "br", "hr", "img", "input", "link"}
BLOCK = {"h1", "h2", "h3", "p", "div", "li", "ul", "td", "th", "tr", "table", "section", "header"}

# The optimum of two_networks_one_member: both meetings at Goes on Monday 2027-09-20, back to
# back with the 15-minute changeover between them.
BEST = (("a", "2027-09-20", "09:00", "goes"), ("b", "2027-09-20", "10:15", "goes"))
# p (Vlissingen) at two meetings at once: one clash.
CLASH = (("a", "2027-09-06", "09:00", "goes"), ("b", "2027-09-06", "09:30", "middelburg"))

# Road km from Vlissingen (p's home) to Goes and to Middelburg and back.
KM_GOES = 2 * great_circle_km(51.4426, 3.5736, 51.5040, 3.8880) * 1.3
KM_MIDDELBURG = 2 * great_circle_km(51.4426, 3.5736, 51.4988, 3.6136) * 1.3


class Parsed(HTMLParser):
    """Table rows (cell texts) by the id of the nearest enclosing element with an id.

    Also records tags that are closed out of order or left open.
    """

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.errors: list[str] = []
        self.rows: dict[str, list[list[str]]] = {}
        self.texts: dict[str, list[str]] = {}
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"left open: {[t for t, _ in self.stack]}")

    def _owner(self) -> str:
        for _tag, ident in reversed(self.stack):
            if ident is not None:
                return ident
        return ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        ident = dict(attrs).get("id")
        if tag in BLOCK:
            self.handle_data(" ")
        if tag == "tr":
            self._row = []
            self.rows.setdefault(ident or self._owner(), []).append(self._row)
        if tag in {"td", "th"}:
            self._cell = []
        self.stack.append((tag, ident))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"unexpected </{tag}>")
            return
        self.stack.pop()
        if tag in BLOCK:
            self.handle_data(" ")
        if tag in {"td", "th"} and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        self.texts.setdefault(self._owner(), []).append(data)

    def text(self, owner: str) -> str:
        return " ".join("".join(self.texts.get(owner, [])).split())


def reports(problem: Problem, schedule: Schedule) -> tuple[CheckReport, CheckReport]:
    return check(problem, schedule), check(problem, baseline(problem))


def page(
    problem: Problem | None = None,
    rows: tuple[tuple[str, ...], ...] = BEST,
    *,
    with_baseline: bool = True,
    solver: SolverInfo | None = None,
) -> str:
    problem = problem or two_networks_one_member()
    schedule = schedule_of(problem, *rows)
    report, base = reports(problem, schedule)
    return report_html(problem, schedule, report, base if with_baseline else None, solver)


SOLVER = SolverInfo(
    status="feasible",
    objective=123456.0,
    bound=122000.0,
    gap=0.0123,
    wall_seconds=12.34,
    first_solution_seconds=0.5,
    time_limit=20.0,
    seed=4,
    workers=2,
    objective_terms={"travel_km": 59.334, "trips": 2.0},
)


def test_page_is_well_formed_self_contained_and_deterministic() -> None:
    text = page(solver=SOLVER)
    assert text == page(solver=SOLVER)
    assert text.startswith('<!DOCTYPE html>\n<html lang="nl">\n')
    assert text.endswith("</html>\n")
    assert Parsed(text).errors == []
    for external in ("http:", "https:", "<script", "<link", "src=", "@import", "url("):
        assert external not in text


def test_figures_beside_the_baseline() -> None:
    rows = Parsed(page()).rows["figures"]
    # The baseline places a on 2027-09-06 at Goes and b on 2027-09-22 at Middelburg (the
    # allowed venue nearest to p): p travels to both, q (living in Goes) 0 km: 3 trips, 2
    # sessions, no waiting. The plan: p travels once to Goes, 2 trips, 15 minutes waiting.
    plan_km = round(KM_GOES, 3)  # 59.334
    base_km = round(KM_GOES + KM_MIDDELBURG, 3)  # 77.108
    assert (f"{plan_km:.1f}", f"{base_km:.1f}") == ("59.3", "77.1")
    assert rows == [
        ["Cijfer", "Deze planning", "Zonder afstemming", "Verhouding"],
        ["Harde overtredingen", "0", "0", "–"],
        ["Reiskilometers", "59,3", "77,1", "77%"],  # 59.334 / 77.108 = 0.7695
        ["Reisdagen (persoon × dag)", "2", "3", "67%"],
        ["Wachttijd tussen bijeenkomsten (min)", "15", "0", "–"],
        # p waits 15 minutes between 2 meetings: 15 - 15 x (2 - 1) = 0 beyond the changeover;
        # no wait is longer than 60 minutes. (No relay wishes: no together_met row.)
        ["Wachttijd boven de wisseltijd (min)", "0", "0", "–"],
        ["Wachttijden langer dan 60 min", "0", "0", "–"],
        ["Sessies (dag × locatie)", "1", "2", "50%"],
        ["Overlap voor optionele leden", "0", "0", "–"],
        ["Locatiekosten (€)", "0,00", "0,00", "–"],
        # Horizon of 26 days, one meeting each: even point 2027-09-19. Plan: 1 + 1 days off;
        # baseline: 13 (09-06) + 3 (09-22) days off.
        ["Afwijking van een gelijkmatige spreiding (dagen)", "2", "16", "12%"],
    ]


def test_figures_beside_the_lower_bounds() -> None:
    """Below the figures: the least travel and trips of any plan, and how far this one is above."""
    # p (Vlissingen) has a (only at Goes) and b; q lives in Goes. Any plan: p
    # goes to Goes once (a), b can join that day: p's day costs at least the
    # round trip to Goes, KM_GOES = 59.334 km; q travels 0. Trips: p and q one
    # day each. BEST reaches both: 0% above.
    text = Parsed(page()).text("bounds")
    assert "minstens 59,3 reiskilometers en 2 reisdagen" in text
    assert "0% boven die kilometers en 0% boven die reisdagen" in text
    # The clash plan puts p on two days (Goes, then Middelburg): 3 trips, 50% above.
    problem = two_networks_one_member()
    rows = (("a", "2027-09-06", "09:00", "goes"), ("b", "2027-09-08", "09:00", "middelburg"))
    later = Parsed(page(problem, rows)).text("bounds")
    km = KM_GOES + KM_MIDDELBURG  # 77.108 / 59.334 = 1.2996
    assert f"{km / KM_GOES - 1:.2f}" == "0.30"
    assert "30% boven die kilometers en 50% boven die reisdagen" in later


def test_header_counts_relay_meetings() -> None:
    text = Parsed(page()).text("")
    assert "Netwerken: 2 · bijeenkomsten: 2 · sessies: 1 · personen: 3 · locaties: 2" in text
    assert "2 van de 2 bijeenkomsten liggen in een dakpansessie" in text


def test_agenda_month_by_month() -> None:
    parsed = Parsed(page())
    text = parsed.text("agenda")
    # The horizon 2027-09-06..2027-10-01 spans two months; October has no meeting.
    assert "September 2027" in text
    assert "Oktober 2027 " in text
    assert "Geen bijeenkomsten deze maand." in text
    # The relay at Goes: both meetings in order, attended by p, q and r (3 people).
    assert parsed.rows["d2027-09-20"] == [
        [
            "maandag 20 september 2027",
            "Goes dakpan",
            "09:00–10:00 Netwerk A 10:15–11:15 Netwerk B",
            "3",
        ]
    ]
    # The month grid marks (and links) the day.
    assert '<td class="has" title="maandag 20 september 2027: 2"><a href="#d2027-09-20">20</a>' in (
        page()
    )


def test_networks_and_their_partners() -> None:
    parsed = Parsed(page())
    assert parsed.rows["n0"] == [
        ["Nr.", "Datum", "Tijd", "Locatie", "Samen met"],
        ["1", "maandag 20 september 2027", "09:00–10:00", "Goes", "Netwerk B"],
    ]
    assert parsed.text("n1").startswith(
        "Netwerk B (b) 1 van 1 bijeenkomsten van 60 minuten; 1 verplichte en 1 optionele "
        "leden; 1 in een dakpansessie. Leden: P, R (optioneel)"
    )


def test_people_and_their_days() -> None:
    parsed = Parsed(page())
    summary = parsed.rows["people"]
    assert summary[0] == [
        "Persoon",
        "Organisatie",
        "Netwerken",
        "km",
        "km zonder afstemming",
        "Reisdagen",
        "Wachttijd (min)",
        "Wachttijd boven wisseltijd (min)",
        "Lange wachttijden",
    ]
    # p: 59.3 km now, 77.1 km in the baseline; q lives at Goes; r is only optional.
    # p's 15 minutes of waiting are the changeover between 2 meetings: 0 beyond it.
    assert summary[1] == ["P", "", "Netwerk A, Netwerk B", "59,3", "77,1", "1", "15", "0", "0"]
    assert summary[2] == ["Q", "", "Netwerk A", "0,0", "0,0", "1", "0", "0", "0"]
    assert summary[3] == ["R", "", "Netwerk B (optioneel)", "0,0", "0,0", "0", "0", "0", "0"]
    assert parsed.rows["p0"] == [
        ["Datum", "Bijeenkomsten", "km", "Wachten (min)"],
        [
            "ma 20 sep 2027",
            "09:00–10:00 Netwerk A (Goes) 10:15–11:15 Netwerk B (Goes)",
            "59,3",
            "15",  # 10:00 to 10:15
        ],
    ]
    assert parsed.text("p0").startswith("P 59,3 km, 1 reisdag(en), 15 minuten wachten.")
    # r's optional meeting is listed, without travel figures.
    assert parsed.rows["p2"][1] == [
        "ma 20 sep 2027",
        "10:15–11:15 Netwerk B (Goes, optioneel)",
        "–",
        "–",
    ]


def test_person_day_km_follows_the_route() -> None:
    # p at Goes in the morning and at Middelburg in the afternoon of one day:
    # Vlissingen -> Goes -> Middelburg -> Vlissingen.
    problem = two_networks_one_member()
    rows = (("a", "2027-09-20", "09:00", "goes"), ("b", "2027-09-20", "14:00", "middelburg"))
    legs = (
        great_circle_km(51.4426, 3.5736, 51.5040, 3.8880)
        + great_circle_km(51.5040, 3.8880, 51.4988, 3.6136)
        + great_circle_km(51.4988, 3.6136, 51.4426, 3.5736)
    ) * 1.3
    expected = f"{legs:.1f}".replace(".", ",")
    assert expected == "63,3"
    day = Parsed(page(problem, rows)).rows["p0"][1]
    assert day[2:] == [expected, "240"]  # 10:00 to 14:00 waiting
    assert check(problem, schedule_of(problem, *rows)).figures.per_person[0].travel_km == round(
        legs, 3
    )


def test_violations_are_shown() -> None:
    parsed = Parsed(page(rows=CLASH))
    text = parsed.text("violations")
    assert text.startswith(
        "Let op: 1 harde overtreding(en) Deze planning breekt regels die niet gebroken mogen "
        "worden."
    )
    assert (
        "clash (1) P is nodig bij twee bijeenkomsten tegelijk: Netwerk A (a-1) op 2027-09-06 "
        "09:00-10:00 in Goes en Netwerk B (b-1) op 2027-09-06 09:30-10:30 in Middelburg"
    ) in text
    assert parsed.rows["figures"][1] == ["Harde overtredingen", "1", "0", "–"]


def test_no_violations_line() -> None:
    assert (
        '<div class="ok">Geen harde overtredingen: alle regels uit de invoer worden gehaald.</div>'
    ) in page()


def test_english() -> None:
    problem = two_networks_one_member()
    problem = replace(problem, settings=replace(problem.settings, language="en"))
    parsed = Parsed(page(problem, solver=SOLVER))
    assert parsed.rows["figures"][2] == ["Travel km", "59.3", "77.1", "77%"]
    assert parsed.rows["d2027-09-20"][0][0] == "Monday 20 September 2027"
    assert parsed.rows["p0"][1][0] == "Mon 20 Sep 2027"
    text = parsed.text("agenda")
    assert "October 2027 Mon Tue Wed Thu Fri Sat Sun" in text
    assert text.endswith("29 30 31 No meetings this month.")
    assert parsed.rows["solver"][0] == ["Status", "feasible: good, but not proven optimal"]


def test_solver_section() -> None:
    rows = Parsed(page(solver=SOLVER)).rows["solver"]
    assert rows == [
        ["Status", "feasible: goed, maar niet bewezen optimaal"],
        ["Doelfunctie", "123.456"],
        ["Ondergrens", "122.000"],
        ["Marge tot de ondergrens", "1,23%"],
        ["Rekentijd", "12,3 s"],
        ["Eerste planning na", "0,5 s"],
        ["Tijdslimiet", "20,0 s"],
        ["Seed", "4"],
        ["Rekenkernen", "2"],
        ["Reiskilometers", "59,3"],
        ["Reisdagen (persoon × dag)", "2"],
    ]


def test_without_baseline_and_solver() -> None:
    parsed = Parsed(page(with_baseline=False))
    assert parsed.rows["figures"][0] == ["Cijfer", "Deze planning"]
    assert parsed.rows["figures"][2] == ["Reiskilometers", "59,3"]
    assert parsed.rows["people"][0] == [
        "Persoon",
        "Organisatie",
        "Netwerken",
        "km",
        "Reisdagen",
        "Wachttijd (min)",
        "Wachttijd boven wisseltijd (min)",
        "Lange wachttijden",
    ]
    assert parsed.text("solver") == (
        "Rekenwerk Geen gegevens over de planner (een planning die met de hand is gemaakt)."
    )


def test_input_text_is_escaped() -> None:
    evil = "<script>alert(\"x\")</script> & 'co'"
    problem = two_networks_one_member()
    problem = replace(
        problem,
        networks=(replace(problem.networks[0], name=evil), problem.networks[1]),
        people=(replace(problem.people[0], name=evil, organisation=evil), *problem.people[1:]),
        venues=(replace(problem.venues[0], name=evil, address=evil), problem.venues[1]),
    )
    text = page(problem)
    assert "<script" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;co&#x27;" in text
    parsed = Parsed(text)
    assert parsed.errors == []
    assert parsed.rows["n0"][1][3] == evil  # the venue, read back as text
    assert f"{evil} {evil}" in parsed.text("p0")  # name and organisation


def test_unknown_network_and_venue_in_a_hand_made_schedule() -> None:
    # A hand-edited schedule may name what the input lacks; the page still shows it.
    rows = (*BEST, ("zz", "2027-09-21", "09:00", "nowhere", "10:00"))
    parsed = Parsed(page(rows=rows))
    assert parsed.errors == []
    assert parsed.rows["d2027-09-21"] == [
        ["dinsdag 21 september 2027", "nowhere", "09:00–10:00 zz", "0"]
    ]


def test_write_report_and_writer(tmp_path: Path) -> None:
    problem = two_networks_one_member()
    schedule = schedule_of(problem, *BEST)
    report, base = reports(problem, schedule)
    expected = report_html(problem, schedule, report, base, SOLVER).encode("utf-8")
    write_report(tmp_path / "r.html", problem, schedule, report, base, SOLVER)
    assert (tmp_path / "r.html").read_bytes() == expected
    folder = tmp_path / "plan"
    folder.mkdir()
    report_writer(problem, schedule, report, base, SOLVER)(folder)
    assert [p.name for p in folder.iterdir()] == [REPORT_HTML]
    assert (folder / "report.html").read_bytes() == expected
