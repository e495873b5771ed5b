"""Contract v1.1: unavailable time ranges, relay wishes (``together``) and waiting figures.

The rule cases (one breaking, one twin breaking nothing) of time-range
unavailability for people and venues, touching ends, and hard relay wishes
with and without ``order`` are in ``tests/test_check.py`` (``CASES``). This
module holds the figures, the reader, ``plan.json``, the CLI and the report.

Most tests use :func:`relay_problem`: the settings of
:func:`tests.conftest.settings` (changeover 15, ``long_wait`` 60, at most 3
meetings a day), networks ``a``, ``b`` and ``c`` with one 60-minute meeting
each at Goes (one room); ``p`` (Vlissingen) is required in all three, ``q``
(Goes) in ``a`` and ``c``. :data:`RELAY` puts all three on Monday 2027-09-06
at Goes: ``a`` 09:00-10:00, ``b`` 10:15-11:15, ``c`` 13:00-14:00.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from planner.baseline import baseline
from planner.calendar import time_range_overlap
from planner.check import DayFigures, check, day_figures
from planner.planfile import (
    problem_from_dict,
    problem_to_dict,
    read_plan,
    write_plan_folder,
)
from planner.problem import Membership, Problem, ProblemError, Together
from planner.read import InputError, read_problem
from planner.report import report_html
from planner.together import held_counts, sessions_holding, together_met, together_short
from planner.weights import Weights
from tests.conftest import GOES, MIDDELBURG, network, person, schedule_of, settings

runner = CliRunner()

RELAY = (
    ("a", "2027-09-06", "09:00", "goes"),
    ("b", "2027-09-06", "10:15", "goes"),
    ("c", "2027-09-06", "13:00", "goes"),
)

WISHES = (
    Together(("a", "b"), 1),  # held by the one session
    Together(("b", "a"), 1, order=True),  # a comes first: not held
    Together(("a", "b", "c"), 2),  # held by 1 session, 2 wanted
    Together(("a", "c"), 1, order=True),  # c starts 13:00 >= a's end 10:00: held
)


def relay_problem(**kw: object) -> Problem:
    """Networks a, b, c at Goes; p required in all, q in a and c (see the module doc)."""
    base = Problem(
        settings=settings(),
        networks=(network("a"), network("b"), network("c")),
        people=(person("p"), person("q", 51.5040, 3.8880)),
        venues=(GOES, MIDDELBURG),
        memberships=(
            Membership("a", "p"),
            Membership("b", "p"),
            Membership("c", "p"),
            Membership("a", "q"),
            Membership("c", "q"),
        ),
    )
    return replace(base, **kw)


# ------------------------------------------------------------------ waiting figures
def test_waiting_figures_of_a_hand_built_day() -> None:
    """excess_idle_minutes and long_waits per day, per person and for the plan."""
    problem = relay_problem()
    schedule = schedule_of(problem, *RELAY)
    report = check(problem, schedule)
    assert report.hard_violations == 0
    # p: a 09:00-10:00, b 10:15-11:15, c 13:00-14:00: waits 15 and 105 minutes,
    # idle 120; k = 3: excess 120 - 15 x 2 = 90; one wait (105) longer than 60.
    # q: a 09:00-10:00, c 13:00-14:00: one wait of 180, idle 180; k = 2: excess
    # 180 - 15 = 165; one long wait.
    days = {d.person: d for d in day_figures(problem, schedule)}
    assert (days["p"].idle_minutes, days["p"].excess_idle_minutes, days["p"].long_waits) == (
        120,
        90,
        1,
    )
    assert (days["q"].idle_minutes, days["q"].excess_idle_minutes, days["q"].long_waits) == (
        180,
        165,
        1,
    )
    per_person = {p.person: p for p in report.figures.per_person}
    assert (per_person["p"].excess_idle_minutes, per_person["p"].long_waits) == (90, 1)
    assert (per_person["q"].excess_idle_minutes, per_person["q"].long_waits) == (165, 1)
    # plan: 90 + 165 = 255 minutes beyond the changeover, 1 + 1 = 2 long waits
    assert report.figures.idle_minutes == 300
    assert (report.figures.excess_idle_minutes, report.figures.long_waits) == (255, 2)
    figures = report.figures_dict()
    assert (figures["excess_idle_minutes"], figures["long_waits"]) == (255, 2)


def test_a_wait_of_exactly_long_wait_is_not_long() -> None:
    """A wait counts as long only when longer than ``long_wait``; the setting moves it."""
    problem = relay_problem(memberships=(Membership("a", "p"), Membership("c", "p")))
    # p: a 09:00-10:00, c 11:00-12:00: one wait of 60 minutes; excess 60 - 15 = 45.
    schedule = schedule_of(problem, RELAY[0], ("c", "2027-09-06", "11:00", "goes"))
    report = check(problem, schedule)
    assert (report.figures.excess_idle_minutes, report.figures.long_waits) == (45, 0)
    stricter = replace(problem, settings=replace(problem.settings, long_wait=59))
    assert check(stricter, schedule).figures.long_waits == 1
    # changeover 0: the whole hour is beyond the changeover
    no_changeover = replace(problem, settings=replace(problem.settings, changeover=0))
    assert check(no_changeover, schedule).figures.excess_idle_minutes == 60


def test_waits_are_literal_when_meetings_overlap() -> None:
    """With a clash, a wait is still a meeting's end to the next start in order of start."""
    problem = relay_problem(networks=(network("a", duration=120), network("b"), network("c")))
    # p: a 09:00-11:00, b 09:30-10:30 (a clash), c 12:00-13:00. In order of start:
    # a -> b: 09:30 is before 11:00 (no wait); b -> c: 12:00 - 10:30 = 90 > 60, one
    # long wait. Idle: 09:00..13:00 = 240 minutes minus 180 covered = 60; k = 3:
    # excess 60 - 30 = 30. q (a 09:00-11:00, c 12:00-13:00): wait 60, idle 60,
    # excess 45, no long wait.
    schedule = schedule_of(
        problem,
        ("a", "2027-09-06", "09:00", "goes"),
        ("b", "2027-09-06", "09:30", "middelburg"),
        ("c", "2027-09-06", "12:00", "goes"),
    )
    days = {d.person: d for d in day_figures(problem, schedule)}
    assert (days["p"].excess_idle_minutes, days["p"].long_waits) == (30, 1)
    assert (days["q"].excess_idle_minutes, days["q"].long_waits) == (45, 0)


def test_one_meeting_a_day_has_no_wait() -> None:
    """A person-day with one meeting has no wait and no excess idle time."""
    problem = relay_problem()
    schedule = schedule_of(
        problem,
        ("a", "2027-09-06", "09:00", "goes"),
        ("b", "2027-09-07", "09:00", "goes"),
        ("c", "2027-09-08", "09:00", "goes"),
    )
    assert set(day_figures(problem, schedule)) >= {
        DayFigures("q", date(2027, 9, 6), 0.0, 0, 0, 0),
        DayFigures("q", date(2027, 9, 8), 0.0, 0, 0, 0),
    }
    figures = check(problem, schedule).figures
    assert (figures.excess_idle_minutes, figures.long_waits) == (0, 0)


# ------------------------------------------------------------------ relay wishes
def test_together_met_soft_wishes_with_and_without_order() -> None:
    """together_met counts wishes held by >= times sessions; order needs the listed order."""
    problem = relay_problem(together=WISHES)
    schedule = schedule_of(problem, *RELAY)
    # Session 2027-09-06@goes has a, b and c. Wish 1 (a;b) is held; wish 2 (b;a in
    # order) is not (a starts first); wish 3 (a;b;c) is held by 1 of 2 sessions;
    # wish 4 (a;c in order) is held (c 13:00 >= a's end 10:00).
    assert held_counts(problem, schedule) == (1, 0, 1, 1)
    assert sessions_holding(WISHES[0], schedule) == ((date(2027, 9, 6), "goes"),)
    assert sessions_holding(WISHES[1], schedule) == ()
    report = check(problem, schedule)
    assert report.figures.together_met == together_met(problem, schedule) == 2
    assert report.figures.together_held == (1, 0, 1, 1)
    assert report.by_kind["together"] == 0  # all soft
    # the objective's term: wish 2 lacks 1 session, wish 3 lacks 2 - 1 = 1
    assert together_short(problem, schedule) == 2


def test_together_on_other_dates_or_venues_is_not_held() -> None:
    """A session is one date and one venue: a and b apart hold nothing."""
    problem = relay_problem(together=WISHES[:1])
    apart_in_time = schedule_of(problem, RELAY[0], ("b", "2027-09-07", "09:00", "goes"))
    apart_in_space = schedule_of(problem, RELAY[0], ("b", "2027-09-06", "11:00", "middelburg"))
    assert check(problem, apart_in_time).figures.together_met == 0
    assert check(problem, apart_in_space).figures.together_met == 0


def test_hard_wish_counts_once_and_names_the_networks() -> None:
    """A hard wish held by fewer than times sessions is one ``together`` violation."""
    hard = tuple(replace(w, hard=True) for w in WISHES)
    problem = relay_problem(together=hard)
    report = check(problem, schedule_of(problem, *RELAY))
    # wishes 2 (0 of 1) and 3 (1 of 2) fail; soft term: none left (all hard)
    assert report.by_kind["together"] == 2
    assert report.hard_violations == 2
    reasons = [v.reason for v in report.violations]
    assert reasons == [
        "de dakpanwens Netwerk B, Netwerk A direct na elkaar in deze volgorde wordt in 0 "
        "sessie(s) gehaald; er zijn er 1 vereist",
        "de dakpanwens Netwerk A, Netwerk B, Netwerk C wordt in 1 sessie(s) gehaald; er "
        "zijn er 2 vereist",
    ]
    assert report.violations[0].meetings == ("a-1", "b-1")
    assert together_short(problem, schedule_of(problem, *RELAY)) == 0


def test_problem_rejects_bad_wishes_and_ranges() -> None:
    """The data model lists every fault of a wish and of a time range."""
    with pytest.raises(ProblemError) as exc:
        relay_problem(
            together=(Together(("a",), 0), Together(("a", "a", "zz"), 1)),
            people=(
                person("p", unavailable_times=frozenset({(date(2027, 9, 6), 600, 600)})),
                person("q"),
            ),
        )
    assert exc.value.messages == [
        "person 'p': unavailable time 2027-09-06 10:00-10:00 must end after it starts, "
        "within the day",
        "together 1: needs two or more networks, got 1",
        "together 1: times must be >= 1, got 0",
        "together 2: a network is listed twice",
        "together 2: 'zz' is not a network id",
    ]


def test_time_range_overlap_touching_ends() -> None:
    """Touching ends do not overlap; one minute inside does."""
    times = frozenset({(date(2027, 9, 6), 600, 660), (date(2027, 9, 6), 540, 560)})
    day = date(2027, 9, 6)
    assert time_range_overlap(times, day, 660, 720) is None  # starts at the range's end
    assert time_range_overlap(times, day, 560, 600) is None  # between the two ranges
    assert time_range_overlap(times, day, 659, 720) == (day, 600, 660)
    assert time_range_overlap(times, day, 500, 700) == (day, 540, 560)  # the first
    assert time_range_overlap(times, date(2027, 9, 7), 0, 1440) is None


# ------------------------------------------------------------------ reader
INPUT = {
    "networks.csv": "id,name,meetings,duration,venues\n"
    "a,Netwerk A,1,60,goes\n"
    "b,Netwerk B,1,60,goes;middelburg\n",
    "people.csv": "id,name,lat,lon,unavailable\n"
    "p,P,51.4426,3.5736,2027-09-07;2027-09-08 13:00-15:00;2027-09-09 9:00 - 10:30\n"
    "q,Q,51.5040,3.8880,\n",
    "memberships.csv": "network,person\na,p\na,q\nb,p\n",
    "venues.csv": "id,name,lat,lon,capacity,unavailable\n"
    "goes,Goes,51.5040,3.8880,20,2027-09-10 12:00-24:00\n"
    "middelburg,Middelburg,51.4988,3.6136,20,\n",
    "together.csv": "networks,times,order,hard\na;b,2,yes,\nb;a,1,,ja\n",
    "settings.csv": "key,value\nstart,2027-09-06\nend,2027-10-01\npublic_holidays,false\n"
    "school_holidays,false\nlong_wait,90\nweight_together,150\n",
}


def write_input(folder: Path, **changes: str) -> Path:
    """Write :data:`INPUT` (with files replaced or, when ``""``, left out) into ``folder``."""
    folder.mkdir()
    for name, text in {**INPUT, **changes}.items():
        if text:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_reader_time_ranges_together_and_settings(tmp_path: Path) -> None:
    """Time ranges beside dates, the together table and the two new settings read back."""
    problem = read_problem(write_input(tmp_path / "in"))
    p = problem.person_by_id["p"]
    assert p.unavailable == frozenset({date(2027, 9, 7)})
    # 13:00-15:00 = 780-900; 9:00 - 10:30 (spaces, H:MM) = 540-630
    assert p.unavailable_times == frozenset(
        {(date(2027, 9, 8), 780, 900), (date(2027, 9, 9), 540, 630)}
    )
    goes = problem.venue_by_id["goes"]
    assert (goes.unavailable, goes.unavailable_times) == (
        frozenset(),
        frozenset({(date(2027, 9, 10), 720, 1440)}),
    )
    assert problem.together == (
        Together(("a", "b"), 2, order=True, hard=False),
        Together(("b", "a"), 1, order=False, hard=True),
    )
    assert problem.settings.long_wait == 90
    assert problem.settings.weights == Weights(together=150)


def test_reader_errors_are_located(tmp_path: Path) -> None:
    """Every bad time range and relay wish gets file, row and column, in one pass."""
    people = (
        "id,name,lat,lon,unavailable\n"
        "p,P,51.4426,3.5736,2027-09-08 15:00-13:00\n"
        "q,Q,51.5040,3.8880,2027-09-08 13:00;2027-09-09 13:00-25:00\n"
    )
    together = "networks,times,order,hard\na,1,,\na;x,1,,\na;a,1,,\na;b,0,maybe,\n,1,,\n"
    with pytest.raises(InputError) as exc:
        read_problem(
            write_input(tmp_path / "in", **{"people.csv": people}, **{"together.csv": together})
        )
    assert [str(i) for i in exc.value.issues] == [
        "people.csv row 2, column unavailable: time range '2027-09-08 15:00-13:00' does not "
        "end after it starts (expected YYYY-MM-DD HH:MM-HH:MM, e.g. 2027-10-05 13:00-15:30)",
        "people.csv row 3, column unavailable: '2027-09-09 13:00-25:00' is not a time range "
        "on one date (expected YYYY-MM-DD HH:MM-HH:MM, e.g. 2027-10-05 13:00-15:30)",
        "together.csv row 2, column networks: 'a' names 1 network; a relay wish needs two or "
        "more, separated by ';'",
        "together.csv row 3, column networks: 'x' is not a network id",
        "together.csv row 4, column networks: 'a;a' lists a network twice",
        "together.csv row 5, column times: '0' is too small (expected a number >= 1)",
        "together.csv row 5, column order: 'maybe' is not a yes/no value (expected "
        "true/false, yes/no, ja/nee or 1/0)",
        "together.csv row 6, column networks: the cell is empty; a value is required",
    ]


def test_reader_date_with_a_time_but_no_end(tmp_path: Path) -> None:
    """``2027-09-08 13:00`` (no end) is read as a time range gone wrong, not as a date."""
    people = "id,name,lat,lon,unavailable\np,P,51.4426,3.5736,2027-09-08 13:00\nq,Q,51.5,3.9,\n"
    with pytest.raises(InputError) as exc:
        read_problem(write_input(tmp_path / "in", **{"people.csv": people}))
    assert [str(i) for i in exc.value.issues] == [
        "people.csv row 2, column unavailable: '2027-09-08 13:00' is not a time range on one "
        "date (expected YYYY-MM-DD HH:MM-HH:MM, e.g. 2027-10-05 13:00-15:30)"
    ]


def test_validate_exits_2_on_a_bad_wish(tmp_path: Path) -> None:
    """``dakpan validate`` lists the located fault and exits 2, without a traceback."""
    together = "networks,times\na;zz,1\n"
    folder = write_input(tmp_path / "in", **{"together.csv": together})
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "together.csv row 2, column networks: 'zz' is not a network id" in result.output
    assert "Traceback" not in result.output


def test_template_has_the_together_sheet_and_settings(tmp_path: Path) -> None:
    """The template holds the together sheet, long_wait and a Dutch explanation of both."""
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    assert runner.invoke(app, ["template", str(path)]).exit_code == 0
    wb = load_workbook(path)
    assert [c.value for c in wb["together"][1]] == ["networks", "times", "order", "hard"]
    settings_rows = {r[0]: r[1] for r in wb["settings"].iter_rows(min_row=2, values_only=True)}
    assert settings_rows["long_wait"] == "60"
    explained = {(r[0], r[1]) for r in wb["uitleg"].iter_rows(min_row=5, values_only=True)}
    assert {("together", c) for c in (None, "networks", "times", "order", "hard")} <= explained
    assert {("settings", "long_wait"), ("settings", "weight_together")} <= explained


# ------------------------------------------------------------------ plan.json
def v11_problem() -> Problem:
    """:func:`relay_problem` with wishes, time ranges and both new settings set."""
    return relay_problem(
        settings=settings(long_wait=45, weights=Weights(together=120)),
        together=WISHES,
        people=(
            person("p", unavailable_times=frozenset({(date(2027, 9, 8), 780, 900)})),
            person(
                "q",
                51.5040,
                3.8880,
                unavailable=frozenset({date(2027, 9, 9)}),
                unavailable_times=frozenset(
                    {(date(2027, 9, 10), 0, 600), (date(2027, 9, 10), 900, 1440)}
                ),
            ),
        ),
        venues=(replace(GOES, unavailable_times=frozenset({(date(2027, 9, 7), 720, 780)})),),
    )


def test_plan_json_round_trip(tmp_path: Path) -> None:
    """plan.json stores the v1.1 input losslessly, and the figures beside the baseline."""
    problem = v11_problem()
    d = problem_to_dict(problem)
    assert d["people"][1]["unavailable"] == ["2027-09-09"]
    assert d["people"][1]["unavailable_times"] == [
        "2027-09-10 00:00-10:00",
        "2027-09-10 15:00-24:00",
    ]
    assert d["venues"][0]["unavailable_times"] == ["2027-09-07 12:00-13:00"]
    assert d["together"][1] == {"networks": ["b", "a"], "times": 1, "order": True, "hard": False}
    assert (d["settings"]["long_wait"], d["settings"]["weight_together"]) == (45, 120)
    assert problem_from_dict(json.loads(json.dumps(d))) == problem

    schedule = schedule_of(problem, *RELAY)
    report = write_plan_folder(tmp_path / "plan", problem, schedule)
    back = read_plan(tmp_path / "plan")
    assert back.problem == problem
    assert back.hash_matches
    assert back.figures == json.loads(json.dumps(report.figures_dict()))
    # long_wait 45: p's 105-minute wait and q's 180-minute wait are long
    assert (back.figures["together_met"], back.figures["together_held"]) == (2, [1, 0, 1, 1])
    assert (back.figures["excess_idle_minutes"], back.figures["long_waits"]) == (255, 2)
    assert back.baseline is not None and back.ratios is not None
    assert back.baseline["together_met"] == check(problem, baseline(problem)).figures.together_met


def test_plan_json_without_v11_keys_still_reads(tmp_path: Path) -> None:
    """A plan.json written before v1.1 (no new keys) reads with the defaults."""
    problem = relay_problem()
    write_plan_folder(tmp_path / "plan", problem, schedule_of(problem, *RELAY))
    path = tmp_path / "plan" / "plan.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["problem"]["together"]
    del data["problem"]["settings"]["long_wait"]
    del data["problem"]["settings"]["weight_together"]
    for p in data["problem"]["people"]:
        del p["unavailable_times"]
    for key in ("together_met", "excess_idle_minutes", "long_waits", "together_held"):
        del data["figures"][key]
    path.write_text(json.dumps(data), encoding="utf-8")
    back = read_plan(tmp_path / "plan")
    assert back.problem == problem
    assert "long_waits" not in back.figures


# ------------------------------------------------------------------ CLI and report
def test_cli_check_prints_the_v11_figures(tmp_path: Path) -> None:
    """``dakpan check`` shows the waiting figures and "2 of 4" wishes beside the baseline."""
    problem = relay_problem(together=WISHES)
    plan_dir = tmp_path / "plan"
    write_plan_folder(plan_dir, problem, schedule_of(problem, *RELAY))
    result = runner.invoke(app, ["check", str(plan_dir), str(plan_dir)])
    assert result.exit_code == 0, result.output
    rows = {
        cells[0]: cells[1:]
        for line in result.stdout.splitlines()
        if len(cells := [c.strip() for c in re.split(r"[│┃]", line)[1:-1]]) == 4
    }
    # The baseline (a 09-06, b 09-22, c 09-13, each alone) waits nowhere and holds no wish.
    assert rows["excess_idle_minutes"] == ["255", "0", "-"]
    assert rows["long_waits"] == ["2", "0", "-"]
    assert rows["together_met"] == ["2 of 4", "0 of 4", "-"]
    data = json.loads(runner.invoke(app, ["check", str(plan_dir), str(plan_dir), "--json"]).stdout)
    assert (data["excess_idle_minutes"], data["long_waits"], data["together_met"]) == (255, 2, 2)
    assert data["violations"]["together"] == 0
    assert (data["baseline"]["together_met"], data["ratios"]["together_met"]) == (0, None)


def test_cli_baseline_line_names_the_waiting_figures(tmp_path: Path) -> None:
    """``dakpan baseline`` prints its waiting figures and relay wishes met."""
    problem = relay_problem(together=WISHES)
    plan_dir = tmp_path / "plan"
    write_plan_folder(plan_dir, problem, schedule_of(problem, *RELAY))
    result = runner.invoke(app, ["baseline", str(plan_dir), "--out", str(tmp_path / "base")])
    assert result.exit_code == 0, result.output
    assert (
        "0 minutes of waiting beyond the changeover, 0 wait(s) over 60 minutes, relay "
        "wishes met 0 of 4." in result.stdout
    )


def test_report_shows_waiting_and_relay_wishes() -> None:
    """report.html: the figures rows, the wishes table and the per-person columns."""
    problem = relay_problem(together=WISHES)
    schedule = schedule_of(problem, *RELAY)
    base = check(problem, baseline(problem))
    text = report_html(problem, schedule, check(problem, schedule), base)
    assert '<td>Dakpanwensen gehaald (van de 4)</td><td class="num">2</td>' in text
    assert '<td>Wachttijd boven de wisseltijd (min)</td><td class="num">255</td>' in text
    assert '<td>Wachttijden langer dan 60 min</td><td class="num">2</td>' in text
    assert text.count('<td class="good">gehaald</td>') == 2
    assert text.count('<td class="bad">niet gehaald</td>') == 2
    assert "<th class='num'>Lange wachttijden</th>" in text
    # p's row ends with idle 120, excess 90 and 1 long wait
    assert "<td class='num'>120</td><td class='num'>90</td><td class='num'>1</td>" in text


def test_workbook_with_together_sheet_and_time_ranges(tmp_path: Path) -> None:
    """The same input as a workbook (Excel booleans and numbers) reads to the same problem."""
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    for name, text in INPUT.items():
        ws = wb.create_sheet(name.removesuffix(".csv"))
        for line in text.splitlines():
            ws.append(line.split(","))
    if first is not None:
        wb.remove(first)
    # Excel's own types: TRUE for order, a number for times
    wb["together"]["B2"] = 2
    wb["together"]["C2"] = True
    path = tmp_path / "in.xlsx"
    wb.save(path)
    assert read_problem(path) == read_problem(write_input(tmp_path / "csv"))
