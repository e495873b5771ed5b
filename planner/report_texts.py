"""The report's words (Dutch and English), colours, number formats and style sheet.

Data only, for :mod:`planner.report` (and the workbook, which names the
figures as the report does).
"""

from __future__ import annotations


def number(value: float, decimals: int, language: str) -> str:
    """Format a number with thousands separators in the language's convention."""
    text = f"{value:,.{decimals}f}"
    if language == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def percent(ratio: float, language: str) -> str:
    """A ratio as a whole percentage in the language's convention."""
    return number(ratio * 100, 0, language) + "%"


TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Dakpan-planning",
        "horizon": "{start} t/m {end}",
        "summary": (
            "Netwerken: {networks} · bijeenkomsten: {meetings} · sessies: {sessions} · "
            "personen: {people} · locaties: {venues}"
        ),
        "relay_summary": (
            "{relay} van de {meetings} bijeenkomsten liggen in een dakpansessie: op dezelfde dag "
            "op dezelfde locatie als een bijeenkomst van een ander netwerk."
        ),
        "nav_figures": "Kerncijfers",
        "nav_agenda": "Agenda",
        "nav_map": "Kaart",
        "nav_networks": "Netwerken",
        "nav_people": "Personen",
        "nav_waits": "Wachttijden",
        "nav_solver": "Rekenwerk",
        "figures": "Kerncijfers",
        "figures_intro": (
            "Deze planning naast de planning zonder afstemming, waarin elk netwerk op zichzelf "
            "plant zoals coördinatoren dat nu doen. Een verhouding onder 100% is een besparing."
        ),
        "col_figure": "Cijfer",
        "col_plan": "Deze planning",
        "col_baseline": "Zonder afstemming",
        "col_ratio": "Verhouding",
        "baseline_missing": (
            "Zonder afstemming kon {placed} van de {wanted} bijeenkomsten een datum krijgen."
        ),
        "bounds_note": (
            "Minder kan niet: elke planning zonder harde overtredingen vraagt minstens {km} "
            "reiskilometers en {trips} reisdagen (een ondergrens uit woonplaatsen, locaties en "
            "aantallen bijeenkomsten). Deze planning zit {km_pct} boven die kilometers en "
            "{trips_pct} boven die reisdagen. De ondergrens gaat ervan uit dat ieders reisdag een "
            "volle estafette op één locatie is; waar netwerken verschillende leden hebben kan dat "
            "niet, dus een deel van het verschil is onvermijdelijk."
        ),
        "fig_hard_violations": "Harde overtredingen",
        "fig_travel_km": "Reiskilometers",
        "fig_trips": "Reisdagen (persoon × dag)",
        "fig_idle_minutes": "Wachttijd tussen bijeenkomsten (min)",
        "fig_sessions": "Sessies (dag × locatie)",
        "fig_optional_clashes": "Overlap voor optionele leden",
        "fig_venue_cost": "Locatiekosten (€)",
        "fig_spread_days": "Afwijking van een gelijkmatige spreiding (dagen)",
        "fig_excess_idle_minutes": "Wachttijd boven de wisseltijd (min)",
        "fig_long_waits": "Wachttijden langer dan {long_wait} min",
        "fig_together_met": "Dakpanwensen gehaald (van de {total})",
        "fig_if_need_be": "Als het moet (lid × bijeenkomst)",
        "col_if_need_be": "Als het moet",
        "wishes": "Dakpanwensen",
        "col_wish_networks": "Netwerken",
        "col_wish_times": "Gewenst",
        "col_wish_held": "Sessies",
        "col_wish_kind": "Soort",
        "col_wish_status": "Resultaat",
        "wish_order": "direct na elkaar, in deze volgorde",
        "wish_any_order": "in één sessie",
        "wish_hard": "eis",
        "wish_soft": "wens",
        "wish_met": "gehaald",
        "wish_unmet": "niet gehaald",
        "col_excess_idle": "Wachttijd boven wisseltijd (min)",
        "col_long_waits": "Lange wachttijden",
        "violations": "Let op: {count} harde overtreding(en)",
        "violations_intro": (
            "Deze planning breekt regels die niet gebroken mogen worden. Pas haar aan voordat "
            "u haar verstuurt."
        ),
        "no_violations": "Geen harde overtredingen: alle regels uit de invoer worden gehaald.",
        "agenda": "Agenda",
        "col_date": "Datum",
        "col_venue": "Locatie",
        "col_meetings": "Bijeenkomsten",
        "col_people": "Personen",
        "no_meetings_month": "Geen bijeenkomsten deze maand.",
        "relay": "dakpan",
        "networks": "Netwerken",
        "network_line": (
            "{meetings} van {wanted} bijeenkomsten van {duration} minuten; {required} verplichte "
            "en {optional} optionele leden; {shared} in een dakpansessie."
        ),
        "members": "Leden",
        "optional_mark": "optioneel",
        "if_need_be_mark": "als het moet",
        "col_seq": "Nr.",
        "col_time": "Tijd",
        "col_with": "Samen met",
        "people": "Personen",
        "people_intro": (
            "Reiskilometers, reisdagen en wachttijd tellen alleen de netwerken waarin iemand "
            "verplicht lid is; optionele bijeenkomsten staan er wel bij."
        ),
        "col_person": "Persoon",
        "col_organisation": "Organisatie",
        "col_networks": "Netwerken",
        "col_km": "km",
        "col_km_base": "km zonder afstemming",
        "col_trips": "Reisdagen",
        "col_idle": "Wachttijd (min)",
        "col_day_km": "km",
        "col_day_idle": "Wachten (min)",
        "person_totals": "{km} km, {trips} reisdag(en), {idle} minuten wachten.",
        "no_days": "Geen bijeenkomsten in deze planning.",
        "solver": "Rekenwerk",
        "solver_none": "Geen gegevens over de planner (een planning die met de hand is gemaakt).",
        "status": "Status",
        "status_optimal": "optimaal: er bestaat geen betere planning volgens de doelfunctie",
        "status_feasible": "goed, maar niet bewezen optimaal",
        "status_infeasible": "onuitvoerbaar",
        "status_unknown": "onbekend",
        "status_baseline": "planning zonder afstemming (niet geoptimaliseerd)",
        "objective": "Doelfunctie",
        "bound": "Ondergrens",
        "gap": "Marge tot de ondergrens",
        "wall": "Rekentijd",
        "first": "Eerste planning na",
        "time_limit": "Tijdslimiet",
        "seed": "Seed",
        "workers": "Rekenkernen",
        "terms": "Onderdelen van de doelfunctie",
        "seconds": "{value} s",
        "footer": "Gemaakt met dakpan {version}. Invoer-hash {hash}.",
        "unknown": "onbekend",
    },
    "en": {
        "title": "Dakpan plan",
        "horizon": "{start} to {end}",
        "summary": (
            "Networks: {networks} · meetings: {meetings} · sessions: {sessions} · "
            "people: {people} · venues: {venues}"
        ),
        "relay_summary": (
            "{relay} of the {meetings} meetings are in a relay (dakpan) session: on the same day "
            "at the same venue as a meeting of another network."
        ),
        "nav_figures": "Figures",
        "nav_agenda": "Agenda",
        "nav_map": "Map",
        "nav_networks": "Networks",
        "nav_people": "People",
        "nav_waits": "Waits",
        "nav_solver": "Solver",
        "figures": "Figures",
        "figures_intro": (
            "This plan beside the uncoordinated plan, in which every network plans alone as "
            "coordinators do today. A ratio below 100% is a saving."
        ),
        "col_figure": "Figure",
        "col_plan": "This plan",
        "col_baseline": "Uncoordinated",
        "col_ratio": "Ratio",
        "baseline_missing": (
            "Uncoordinated, {placed} of the {wanted} meetings could be given a date."
        ),
        "bounds_note": (
            "No plan can do better than this: every plan without hard violations needs at least "
            "{km} travel km and {trips} trips (a lower bound from homes, venues and numbers of "
            "meetings). This plan is {km_pct} above those km and {trips_pct} above those trips. "
            "The bound assumes everyone's day is a full relay at one venue; where networks have "
            "different members that cannot be, so part of the difference cannot be avoided."
        ),
        "fig_hard_violations": "Hard violations",
        "fig_travel_km": "Travel km",
        "fig_trips": "Trips (person × day)",
        "fig_idle_minutes": "Waiting between meetings (min)",
        "fig_sessions": "Sessions (day × venue)",
        "fig_optional_clashes": "Clashes of optional members",
        "fig_venue_cost": "Venue cost (€)",
        "fig_spread_days": "Deviation from an even spread (days)",
        "fig_excess_idle_minutes": "Waiting beyond the changeover (min)",
        "fig_long_waits": "Waits longer than {long_wait} min",
        "fig_together_met": "Relay wishes met (of {total})",
        "fig_if_need_be": "If need be (member × meeting)",
        "col_if_need_be": "If need be",
        "wishes": "Relay wishes",
        "col_wish_networks": "Networks",
        "col_wish_times": "Wanted",
        "col_wish_held": "Sessions",
        "col_wish_kind": "Kind",
        "col_wish_status": "Result",
        "wish_order": "back to back, in this order",
        "wish_any_order": "in one session",
        "wish_hard": "rule",
        "wish_soft": "wish",
        "wish_met": "met",
        "wish_unmet": "not met",
        "col_excess_idle": "Waiting beyond changeover (min)",
        "col_long_waits": "Long waits",
        "violations": "Attention: {count} hard violation(s)",
        "violations_intro": (
            "This plan breaks rules that must not be broken. Correct it before sending it out."
        ),
        "no_violations": "No hard violations: every rule of the input is met.",
        "agenda": "Agenda",
        "col_date": "Date",
        "col_venue": "Venue",
        "col_meetings": "Meetings",
        "col_people": "People",
        "no_meetings_month": "No meetings this month.",
        "relay": "relay",
        "networks": "Networks",
        "network_line": (
            "{meetings} of {wanted} meetings of {duration} minutes; {required} required and "
            "{optional} optional members; {shared} in a relay session."
        ),
        "members": "Members",
        "optional_mark": "optional",
        "if_need_be_mark": "if need be",
        "col_seq": "No.",
        "col_time": "Time",
        "col_with": "Together with",
        "people": "People",
        "people_intro": (
            "Travel km, trips and waiting count only the networks in which someone is a "
            "required member; optional meetings are listed too."
        ),
        "col_person": "Person",
        "col_organisation": "Organisation",
        "col_networks": "Networks",
        "col_km": "km",
        "col_km_base": "km uncoordinated",
        "col_trips": "Trips",
        "col_idle": "Waiting (min)",
        "col_day_km": "km",
        "col_day_idle": "Waiting (min)",
        "person_totals": "{km} km, {trips} trip(s), {idle} minutes waiting.",
        "no_days": "No meetings in this plan.",
        "solver": "Solver",
        "solver_none": "No solver information (a schedule made by hand).",
        "status": "Status",
        "status_optimal": "optimal: no better plan exists by the objective",
        "status_feasible": "good, but not proven optimal",
        "status_infeasible": "infeasible",
        "status_unknown": "unknown",
        "status_baseline": "uncoordinated plan (not optimised)",
        "objective": "Objective",
        "bound": "Lower bound",
        "gap": "Gap to the bound",
        "wall": "Solve time",
        "first": "First plan after",
        "time_limit": "Time limit",
        "seed": "Seed",
        "workers": "Workers",
        "terms": "Terms of the objective",
        "seconds": "{value} s",
        "footer": "Made with dakpan {version}. Input hash {hash}.",
        "unknown": "unknown",
    },
}

PALETTE: tuple[str, ...] = (
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
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
)
"""Network colours, by the network's position in the input (cycled)."""

DECIMALS: dict[str, int] = {
    "hard_violations": 0,
    "travel_km": 1,
    "trips": 0,
    "idle_minutes": 0,
    "sessions": 0,
    "optional_clashes": 0,
    "venue_cost": 2,
    "spread_days": 0,
    "excess_idle_minutes": 0,
    "long_waits": 0,
    "together_met": 0,
    "if_need_be": 0,
}

#: Figures where more is better (their ratio bar turns red below 100%).
MORE_IS_BETTER = frozenset({"together_met"})

CSS = """
:root { --ink: #1d2733; --muted: #5b6775; --line: #d5dbe3; --soft: #f3f6f9; --good: #1a7f37;
  --bad: #b42318; --accent: #1f5fa8; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; color: var(--ink);
  font: 15px/1.45 "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--ink); }
h3 { font-size: 17px; margin: 22px 0 6px; }
p { margin: 6px 0; }
.sub { color: var(--muted); margin: 0 0 4px; }
nav { margin: 14px 0 0; padding: 8px 0; border-top: 1px solid var(--line);
  border-bottom: 1px solid var(--line); }
nav a { margin-right: 18px; color: var(--accent); text-decoration: none; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px;
  border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; font-size: 13px; color: var(--muted); }
tbody th { vertical-align: baseline; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
.figures td:first-child { font-weight: 600; }
.bar { display: inline-block; height: 9px; border-radius: 2px; background: var(--accent);
  vertical-align: middle; margin-right: 6px; }
.bar.worse { background: var(--bad); }
.good { color: var(--good); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.box { border: 2px solid var(--bad); border-radius: 6px; padding: 10px 14px; margin: 14px 0;
  background: #fdf1f0; }
.box h2 { border: 0; margin: 0 0 6px; color: var(--bad); }
.ok { border-left: 4px solid var(--good); padding: 6px 12px; background: #eef8f1; margin: 14px 0; }
.net { border-left: 8px solid var(--c); padding-left: 5px; }
.meeting { display: flex; gap: 6px; align-items: baseline; }
.meeting .time { flex: none; }
.time { font-variant-numeric: tabular-nums; color: var(--muted); }
.tag { display: inline-block; font-size: 11px; font-weight: 700; text-transform: uppercase;
  letter-spacing: .04em; color: #fff; background: var(--accent); border-radius: 3px;
  padding: 0 5px; margin-left: 6px; vertical-align: 1px; }
.muted { color: var(--muted); }
.nowrap { white-space: nowrap; }
.small { font-size: 13px; }
.month { display: flex; flex-wrap: wrap; gap: 8px 22px; align-items: flex-start; }
.month > table.cal { width: auto; flex: none; }
.month th:first-child, .month td:first-child { width: 1%; }
.month > div { flex: 1; min-width: min(100%, 480px); }
table.cal { margin-top: 8px; }
table.cal th, table.cal td { width: 30px; height: 26px; text-align: center; padding: 2px;
  border: 1px solid var(--line); font-size: 12px; }
table.cal td.out { color: #b8c0ca; background: #fafbfc; }
table.cal td.has { background: var(--accent); color: #fff; font-weight: 700; }
table.cal td.has a { color: #fff; text-decoration: none; display: block; }
.network, .person { break-inside: avoid; }
.person h3 { margin-bottom: 2px; }
.person table { margin-top: 2px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line);
  padding-top: 8px; }
@page { margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  #agenda, #networks, #people { break-before: page; }
}
"""
