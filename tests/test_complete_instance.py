"""One instance with every feature, end to end: CSV -> plan -> folder -> calendars -> check.

:func:`tests.conftest.complete_instance` builds the problem in Python;
:func:`write_csv_folder` writes the same problem by hand as CSV files (UTF-8,
``,``-separated, defaults left empty where the contract allows). The test
reads the folder back, plans it, checks the plan, writes the plan folder,
reads it back, exports the calendars with ``dakpan export-ics`` and checks the
folder with ``dakpan check``.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.app import app
from planner.check import check, day_figures
from planner.planfile import SolverInfo, read_plan, schedule_csv_text, write_plan_folder
from planner.read import read_problem
from planner.solver import SolveOptions, Status, plan
from planner.together import together_met
from tests.conftest import complete_instance
from tests.test_solve_rules import assert_figures_match

CSV_FILES: dict[str, str] = {
    "settings.csv": """key,value
start,2027-04-12
end,2027-05-28
region,noord
weekdays,ma;di;wo;do;vr
day_start,08:30
day_end,17:30
slot,15
changeover,10
min_gap_days,14
max_meetings_per_day,2
long_wait,75
public_holidays,true
school_holidays,true
road_factor,1.25
speed_kmh,50
time_limit,5
seed,7
timezone,Europe/Amsterdam
language,en
weight_travel_km,12
weight_trips,80
weight_idle_minutes,4
weight_optional_clashes,300
weight_venue_cost,5
weight_spread_days,2
weight_together,250
""",
    "venues.csv": """id,name,address,lat,lon,capacity,rooms,weekdays,open,close,unavailable,cost
goes,Het Goese Huis,"Stationsplein 1, 4461 HP Goes",51.5040,3.8880,12,2,,,,2027-04-15;2027-05-10..2027-05-11;2027-04-20 17:30-19:00,25
middelburg,Zeeuwse Bibliotheek,,51.4988,3.6136,6,,ma;di;do,09:00,16:00,,
terneuzen,Scheldepoort,,51.3358,3.8283,20,1,mon;wed;fri,,,2027-05-21,10.5
""",  # noqa: E501
    "people.csv": """id,name,organisation,email,lat,lon,unavailable
anna,Anna de Wit,Stichting Walcheren,anna@example.nl,51.4426,3.5736,2027-04-19;2027-05-03..2027-05-05
bert,Bert Jansen,Onderwijsgroep Goes,,51.5040,3.8880,
carla,Carla Ünal,,carla@example.nl,51.4988,3.6136,
dirk,"Dirk de Vries, MBA",Stichting Zeeuws-Vlaanderen,,51.3358,3.8283,2027-04-14;2027-04-17 09:00-12:00
eva,Eva 't Hart,,,51.6500,3.9190,
frank,Frank Smet,,,51.2800,4.0530,
gina,Gina Bakker,,,51.4426,3.5736,
henk,Henk Visser,,,51.5040,3.8880,
""",  # noqa: E501
    "networks.csv": """id,name,meetings,duration,min_gap_days,weekdays,earliest,latest,venues,region
swv-wal,SWV Walcheren,3,90,,,,,middelburg;goes,
swv-osb,SWV Oosterschelde,2,60,21,mon;tue;wed,09:00,12:00,goes,midden
po-zvl,PO Zeeuws-Vlaanderen,2,120,,wo;vr,13:00,,terneuzen;goes,zuid
vo-zld,VO Zeeland,3,60,10,,,16:00,goes;middelburg;terneuzen,noord
bestuur,Bestuurdersoverleg,2,45,,,,,goes,
leeg,Werkgroep zonder leden,1,30,,,,,terneuzen,
""",
    "memberships.csv": """network,person,role
swv-wal,anna,
swv-wal,carla,required
swv-wal,gina,
swv-wal,henk,optional
swv-osb,bert,
swv-osb,eva,
swv-osb,anna,
swv-osb,henk,optional
po-zvl,dirk,
po-zvl,frank,
po-zvl,carla,optional
vo-zld,anna,
vo-zld,bert,
vo-zld,carla,
vo-zld,dirk,
vo-zld,eva,
vo-zld,frank,
vo-zld,gina,optional
bestuur,bert,
bestuur,dirk,
bestuur,anna,optional
""",
    "fixed.csv": """network,date,start,venue
bestuur,2027-04-21,10:00,goes
swv-wal,2027-05-24,09:00,middelburg
""",
    "travel.csv": """from,to,km,minutes
anna,goes,35,40
goes,anna,38,
bert,terneuzen,28.5,
goes,middelburg,22,25
frank,terneuzen,30,35
""",
    "together.csv": """networks,times,order,hard
swv-wal;vo-zld,1,yes,no
swv-osb;bestuur;vo-zld,2,,
""",
}


def write_csv_folder(folder: Path) -> Path:
    """Write :data:`CSV_FILES` into ``folder`` (UTF-8, ``,``) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in CSV_FILES.items():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
    return folder


def test_csv_folder_reads_back_to_the_builder(tmp_path: Path) -> None:
    problem = read_problem(write_csv_folder(tmp_path / "input"))
    expected = complete_instance()
    # field by field first, for a readable failure
    assert problem.settings == expected.settings
    assert problem.venues == expected.venues
    assert problem.people == expected.people
    assert problem.networks == expected.networks
    assert problem.memberships == expected.memberships
    assert problem.fixed == expected.fixed
    assert problem.travel == expected.travel
    assert problem.together == expected.together
    assert problem == expected


def test_complete_instance_end_to_end(tmp_path: Path) -> None:
    problem = read_problem(write_csv_folder(tmp_path / "input"))
    result = plan(problem, SolveOptions(time_limit=problem.settings.time_limit))
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE), result.explanation
    assert result.schedule is not None
    schedule = result.schedule

    # every meeting planned, the two agreed ones where they were agreed
    assert len(schedule) == sum(n.meetings for n in problem.networks) == 13
    rows = {(m.network, m.date.isoformat(), m.start, m.venue) for m in schedule}
    assert ("bestuur", "2027-04-21", 10 * 60, "goes") in rows
    assert ("swv-wal", "2027-05-24", 9 * 60, "middelburg") in rows
    # the network without members still meets; attendees are the members
    (leeg,) = [m for m in schedule if m.network == "leeg"]
    assert leeg.attendees == ()
    vo = [m for m in schedule if m.network == "vo-zld"]
    assert vo[0].attendees == ("anna", "bert", "carla", "dirk", "eva", "frank", "gina")

    report = check(problem, schedule)
    assert report.hard_violations == 0, [v.reason for v in report.violations]
    assert_figures_match(result, report)
    # v1.1 figures: the soft wishes are counted, the waiting figures add up per day
    assert len(report.figures.together_held) == 2
    assert report.figures.together_met == together_met(problem, schedule)
    days = day_figures(problem, schedule)
    assert report.figures.excess_idle_minutes == sum(d.excess_idle_minutes for d in days)
    assert report.figures.long_waits == sum(d.long_waits for d in days)

    # plan folder: written, read back, same schedule and figures
    out = tmp_path / "plan"
    info = SolverInfo(
        status=result.status.value,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        wall_seconds=result.wall_seconds,
        first_solution_seconds=result.first_solution_seconds,
        time_limit=result.time_limit,
        seed=result.seed,
        workers=result.workers,
        objective_terms=result.figures,
    )
    written = write_plan_folder(out, problem, schedule, solver=info, report=report)
    assert written is report
    assert (out / "schedule.csv").read_text(encoding="utf-8") == schedule_csv_text(schedule)
    back = read_plan(out)
    assert back.problem == problem
    assert back.hash_matches
    assert back.schedule == schedule
    assert back.solver == info
    assert back.figures["hard_violations"] == 0
    assert back.figures == report.figures_dict()
    assert back.baseline is not None

    runner = CliRunner()
    # calendars from the plan folder (English texts: language en)
    exported = runner.invoke(app, ["export-ics", str(out)])
    assert exported.exit_code == 0, exported.output
    ics = out / "ics"
    # one file per person (named after the email where given), network and
    # venue, and all.ics: 8 + 6 + 3 + 1 = 18
    people = ["anna-example-nl", "bert", "carla-example-nl", "dirk", "eva", "frank", "gina", "henk"]
    networks = ["swv-wal", "swv-osb", "po-zvl", "vo-zld", "bestuur", "leeg"]
    venues = ["goes", "middelburg", "terneuzen"]
    assert {p.name for p in ics.glob("*.ics")} == {
        "all.ics",
        *(f"person-{n}.ics" for n in people),
        *(f"network-{n}.ics" for n in networks),
        *(f"venue-{n}.ics" for n in venues),
    }
    all_text = (ics / "all.ics").read_text(encoding="utf-8")
    assert all_text.count("BEGIN:VEVENT") == 13
    assert "dakpan: all meetings" in all_text
    anna = (ics / "person-anna-example-nl.ics").read_text(encoding="utf-8")
    anna_meetings = [m for m in schedule if "anna" in m.attendees]
    assert anna.count("BEGIN:VEVENT") == len(anna_meetings)

    # dakpan check INPUT OUTDIR: the plan breaks no rule
    checked = runner.invoke(app, ["check", str(tmp_path / "input"), str(out)])
    assert checked.exit_code == 0, checked.output
    assert "No hard violations." in checked.output
