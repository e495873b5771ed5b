"""``dakpan replan``: re-planning a published plan from a date with the least disruption.

The instance (12 workweeks from Monday 2027-09-06, no holidays): networks
``a`` (3 meetings at Goes; p and q), ``b`` (3 meetings at Goes or
Middelburg; p) and ``c`` (2 meetings at Middelburg; s). The published plan
holds a and b back to back at Goes on 7 September, 5 October and 2 November
and c at Middelburg on 14 September and 9 November. Re-planning from
2027-10-01 keeps a-1, b-1 and c-1 (history) exactly.
"""

from __future__ import annotations

import csv
import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import caldav
from typer.testing import CliRunner

from cli.app import app
from planner.check import check
from planner.planfile import read_plan, write_plan_json
from planner.planrun import write_planned
from planner.problem import Membership, Problem
from planner.replan import ReplanError, prepare, replan, write_replanned
from planner.schedule import Schedule
from tests.conftest import GOES, MIDDELBURG, network, person, schedule_of, settings
from tests.test_ics_caldav import import_file, radicale

__all__ = ["radicale"]  # the Radicale server fixture, shared with tests/test_ics_caldav.py

runner = CliRunner()
CUTOFF = date(2027, 10, 1)
SOLVE_SECONDS = 3.0
H = "20270906-20271126."  # the horizon in every UID of this plan


def problem(language: str = "nl") -> Problem:
    """The published input (see the module docstring)."""
    return Problem(
        settings=settings(
            end=date(2027, 11, 26), min_gap_days=14, time_limit=SOLVE_SECONDS, language=language
        ),
        networks=(
            network("a", meetings=3, min_gap_days=14),
            network("b", meetings=3, min_gap_days=14, venues=("goes", "middelburg")),
            network("c", meetings=2, min_gap_days=14, venues=("middelburg",)),
        ),
        people=(person("p"), person("q", 51.5040, 3.8880), person("s", 51.4988, 3.6136)),
        venues=(GOES, MIDDELBURG),
        memberships=(
            Membership("a", "p"),
            Membership("a", "q"),
            Membership("b", "p"),
            Membership("c", "s"),
        ),
    )


ROWS = (
    ("a", "2027-09-07", "09:00", "goes"),
    ("b", "2027-09-07", "10:15", "goes"),
    ("c", "2027-09-14", "09:00", "middelburg"),
    ("a", "2027-10-05", "09:00", "goes"),
    ("b", "2027-10-05", "10:15", "goes"),
    ("a", "2027-11-02", "09:00", "goes"),
    ("b", "2027-11-02", "10:15", "goes"),
    ("c", "2027-11-09", "09:00", "middelburg"),
)


def published(tmp_path: Path, language: str = "nl") -> Path:
    """Write the published plan folder (as ``dakpan plan`` writes one)."""
    p = problem(language)
    folder = tmp_path / "published"
    write_planned(folder, p, schedule_of(p, *ROWS), None)
    return folder


def input_folder(tmp_path: Path, new: Problem, name: str = "input") -> Path:
    """A changed input given as a folder holding ``plan.json`` (an input form ``plan`` accepts)."""
    folder = tmp_path / name
    folder.mkdir()
    empty = Schedule(())
    write_plan_json(
        folder / "plan.json", new, empty, solver=None, report=check(new, empty), baseline=None
    )
    return folder


def changes(folder: Path) -> dict[str, tuple[str, str, str, str]]:
    """``changes.csv`` as meeting -> (change, new date, new venue, reason)."""
    with (folder / "changes.csv").open(encoding="utf-8") as handle:
        return {
            r["meeting"]: (r["change"], r["new_date"], r["new_venue"], r["reason"])
            for r in csv.DictReader(handle)
        }


def changed(folder: Path) -> dict[str, tuple[str, str, str, str]]:
    """The rows of ``changes.csv`` that are not ``unchanged``."""
    return {k: v for k, v in changes(folder).items() if v[0] != "unchanged"}


def run(tmp_path: Path, new: Problem) -> Path:
    """Re-plan the published plan from :data:`CUTOFF` with ``new`` through the library."""
    plan_dir = published(tmp_path)
    old = read_plan(plan_dir)
    done = replan(old, new, CUTOFF, time_limit=SOLVE_SECONDS, seed=0)
    out = tmp_path / "replanned"
    write_replanned(out, plan_dir, old, done)
    return out


def test_unchanged_input_changes_nothing(tmp_path: Path) -> None:
    """Replanning the unchanged input gives a byte-identical schedule.csv and calendars."""
    plan_dir = published(tmp_path)
    out = tmp_path / "again"
    result = runner.invoke(
        app,
        [
            "replan",
            str(plan_dir),
            str(input_folder(tmp_path, problem())),
            "--from",
            "2027-10-01",
            "--out",
            str(out),
            "--time-limit",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (out / "schedule.csv").read_bytes() == (plan_dir / "schedule.csv").read_bytes()
    assert changed(out) == {}
    for path in sorted((plan_dir / "ics").glob("*.ics")):
        assert (out / "ics" / path.name).read_bytes() == path.read_bytes(), path.name
    assert "SEQUENCE:1" not in (out / "ics" / "all.ics").read_text("utf-8")
    assert "8 ongewijzigd, 0 verplaatst, 0 op een andere tijd, 0 toegevoegd" in result.output
    assert result.output.splitlines()[-1] == (
        "De invoer is niet veranderd: de planning blijft zoals gepubliceerd."
    )
    # Re-planning the re-planned folder into itself replaces it whole (changes.csv too).
    again = runner.invoke(
        app, ["replan", str(out), str(out), "--from", "2027-11-01", "--out", str(out)]
    )
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again", "input", "published"]
    assert (out / "schedule.csv").read_bytes() == (plan_dir / "schedule.csv").read_bytes()


def test_venue_closed_on_one_date_moves_exactly_the_meetings_there(tmp_path: Path) -> None:
    """Goes closed on 5 October moves a-2 and b-2 (the meetings there) and nothing else."""
    new = problem()
    goes = dataclasses.replace(GOES, unavailable=frozenset({date(2027, 10, 5)}))
    out = run(tmp_path, dataclasses.replace(new, venues=(goes, MIDDELBURG)))
    rows = changed(out)
    assert sorted(rows) == ["a-2", "b-2"]
    assert {rows[m][0] for m in rows} == {"moved"}
    assert {rows[m][3] for m in rows} == {"locatie gesloten op die datum"}
    with (out / "changes.csv").open(encoding="utf-8") as handle:
        members = {r["meeting"]: r["members_affected"] for r in csv.DictReader(handle)}
    assert (members["a-2"], members["b-2"]) == ("p;q", "p")
    ics = (out / "ics" / "all.ics").read_text("utf-8")
    assert ics.count("SEQUENCE:1") == 2  # a-2 and b-2 keep their UIDs
    report = (out / "report.html").read_text("utf-8")
    section = report.split('<section id="changes">')[1].split("</section>")[0]
    assert "2 verplaatst, 0 op een andere tijd, 0 toegevoegd, 0 geannuleerd; 2 leden" in section
    assert section.count("<h4>") == 2  # P and Q: their meetings that changed
    assert "<h4>Q</h4><ul><li>Netwerk A 2: verplaatst, di 5 okt 2027 09:00, Goes → " in section


def test_member_absence_moves_only_their_meetings(tmp_path: Path) -> None:
    """s away on 9 November moves c-2 (s's meeting) only, naming s as the reason."""
    new = problem()
    s = dataclasses.replace(new.people[2], unavailable=frozenset({date(2027, 11, 9)}))
    out = run(tmp_path, dataclasses.replace(new, people=(*new.people[:2], s)))
    rows = changed(out)
    assert sorted(rows) == ["c-2"]
    assert rows["c-2"][0] == "moved" and rows["c-2"][3] == "lid kan niet: S"


def test_past_meetings_are_kept_even_when_they_break_a_rule(tmp_path: Path) -> None:
    """History that now breaks rules (q away on 7 September, Middelburg closed on 14
    September) is kept exactly, reported as warnings, and the rest is unchanged."""
    new = problem()
    q = dataclasses.replace(new.people[1], unavailable=frozenset({date(2027, 9, 7)}))
    mid = dataclasses.replace(MIDDELBURG, unavailable=frozenset({date(2027, 9, 14)}))
    new = dataclasses.replace(new, people=(new.people[0], q, new.people[2]), venues=(GOES, mid))
    prepared = prepare(problem(), schedule_of(problem(), *ROWS), new, CUTOFF)
    assert [w.split("(")[1].split(")")[0] for w in prepared.warnings] == [
        "venue_closed",
        "unavailable",
    ]
    out = run(tmp_path, new)
    rows = changes(out)
    assert [rows[m][:3] for m in ("a-1", "b-1", "c-1")] == [
        ("unchanged", "2027-09-07", "goes"),
        ("unchanged", "2027-09-07", "goes"),
        ("unchanged", "2027-09-14", "middelburg"),
    ]
    assert changed(out) == {}


def test_added_network_is_planned_around_the_kept_meetings(tmp_path: Path) -> None:
    """A new network d (one meeting, s) is added on or after the date; nothing else moves."""
    new = problem()
    new = dataclasses.replace(
        new,
        networks=(*new.networks, network("d", venues=("middelburg",))),
        memberships=(*new.memberships, Membership("d", "s")),
    )
    out = run(tmp_path, new)
    rows = changed(out)
    assert sorted(rows) == ["d-1"]
    assert rows["d-1"][0] == "added" and rows["d-1"][3] == "nieuw netwerk"
    assert date.fromisoformat(rows["d-1"][1]) >= CUTOFF


def test_removed_network_is_cancelled_in_changes_and_calendars(tmp_path: Path) -> None:
    """Network c removed: c-2 is cancelled (changes.csv, STATUS:CANCELLED in the calendars),
    c-1 (history) is kept."""
    new = problem()
    new = dataclasses.replace(
        new,
        networks=new.networks[:2],
        memberships=tuple(m for m in new.memberships if m.network != "c"),
    )
    out = run(tmp_path, new)
    rows = changed(out)
    assert rows == {"c-2": ("cancelled", "", "", "netwerk verwijderd")}
    assert changes(out)["c-1"][0] == "unchanged"
    text = (out / "ics" / "all.ics").read_text("utf-8")
    event = text.split("UID:20270906-20271126.c-2@dakpan")[1].split("END:VEVENT")[0]
    assert "SEQUENCE:1" in event
    assert "STATUS:CANCELLED" in event
    assert "SUMMARY:Geannuleerd: Netwerk C" in event
    person_s = (out / "ics" / "person-s.ics").read_text("utf-8")
    assert person_s.count("STATUS:CANCELLED") == 1
    # Published as feeds, the cancelled meeting is there too, and stays after another re-plan.
    from planner.publish_common import load
    from planner.publish_feeds import write_feeds

    feeds = tmp_path / "feeds"
    write_feeds(
        feeds,
        load(out),
        secret_file=tmp_path / "secret",
        base_url=None,
        links_csv=tmp_path / "links.csv",
    )
    feed = (feeds / "all.ics").read_text("utf-8")
    assert feed.split(f"UID:{H}c-2@dakpan")[1].split("END:VEVENT")[0] == event
    again = tmp_path / "again"
    done = replan(read_plan(out), new, CUTOFF, time_limit=SOLVE_SECONDS, seed=0)
    write_replanned(again, out, read_plan(out), done)
    assert changed(again) == {}
    text = (again / "ics" / "all.ics").read_text("utf-8")
    assert text.split(f"UID:{H}c-2@dakpan")[1].split("END:VEVENT")[0] == event


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    """Not a plan folder, another horizon, a date outside the horizon: exit 2, nothing written."""
    plan_dir = published(tmp_path)
    same = input_folder(tmp_path, problem(), "same")
    other = problem()
    other = input_folder(
        tmp_path,
        dataclasses.replace(
            other, settings=dataclasses.replace(other.settings, end=date(2027, 12, 3))
        ),
        "other",
    )
    out = tmp_path / "out"
    cases = [
        ([str(tmp_path), str(same), "--from", "2027-10-01"], "is not a plan folder"),
        ([str(plan_dir), str(other), "--from", "2027-10-01"], "is another horizon"),
        ([str(plan_dir), str(same), "--from", "2028-01-10"], "outside the plan's horizon"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["replan", *args, "--out", str(out)])
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert not out.exists()


def test_prepare_refuses_another_horizon() -> None:
    """The library raises ReplanError naming both horizons."""
    p = problem()
    other = dataclasses.replace(p, settings=dataclasses.replace(p.settings, end=date(2027, 12, 3)))
    try:
        prepare(p, schedule_of(p, *ROWS), other, CUTOFF, where={"plan": "P", "input": "I"})
    except ReplanError as exc:
        assert exc.messages == [
            "I: settings start/end 2027-09-06 .. 2027-12-03 is another horizon than the plan's "
            "2027-09-06 .. 2027-11-26 (P); a re-plan keeps the horizon (plan a new year with "
            "`dakpan plan`)"
        ]
    else:  # pragma: no cover
        raise AssertionError("no ReplanError")


def test_calendar_round_trip_through_radicale(radicale: str, tmp_path: Path) -> None:
    """Import the published all.ics, re-plan (Goes closed on 5 October, network c removed),
    import again: a-2 and b-2 show their new time once, c-2 is cancelled, nothing doubles."""
    client = caldav.DAVClient(url=radicale, username="coordinator", password="-")
    calendar = client.principal().make_calendar(name="replan", cal_id="dakpan-replan")
    plan_dir = published(tmp_path)
    import_file(calendar, plan_dir / "ics" / "all.ics")
    before = stored(calendar)
    assert sorted(before) == [f"{H}{m}@dakpan" for m in ALL]
    new = problem()
    goes = dataclasses.replace(GOES, unavailable=frozenset({date(2027, 10, 5)}))
    new = dataclasses.replace(
        new,
        networks=new.networks[:2],
        venues=(goes, MIDDELBURG),
        memberships=tuple(m for m in new.memberships if m.network != "c"),
    )
    out = run(tmp_path, new)
    import_file(calendar, out / "ics" / "all.ics")
    after = stored(calendar)
    assert sorted(after) == sorted(before)  # no duplicates, nothing lost
    assert len(calendar.events()) == len(ALL)
    rows = changes(out)
    for meeting in ("a-2", "b-2"):
        uid = f"{H}{meeting}@dakpan"
        assert after[uid][0].date().isoformat() == rows[meeting][1] != "2027-10-05"
        assert after[uid][1:] == (1, "CONFIRMED")
    assert after[f"{H}c-2@dakpan"] == (before[f"{H}c-2@dakpan"][0], 1, "CANCELLED")
    for meeting in ("a-1", "b-1", "a-3", "b-3"):
        assert after[f"{H}{meeting}@dakpan"] == before[f"{H}{meeting}@dakpan"]
    # c-1 (history) keeps its time; its text now says "bijeenkomst 1 van 1": a new revision.
    assert after[f"{H}c-1@dakpan"] == (before[f"{H}c-1@dakpan"][0], 1, "CONFIRMED")


ALL = ("a-1", "a-2", "a-3", "b-1", "b-2", "b-3", "c-1", "c-2")


def stored(calendar: caldav.Calendar) -> dict[str, tuple[datetime, int, str]]:
    """UID -> (UTC start, SEQUENCE, STATUS) of every event in the calendar."""
    out: dict[str, tuple[datetime, int, str]] = {}
    for item in calendar.events():
        event = item.icalendar_component
        uid = str(event["UID"])
        assert uid not in out, f"duplicate {uid}"
        out[uid] = (
            event.DTSTART.astimezone(UTC),
            int(event.get("SEQUENCE", 0)),
            str(event.get("STATUS", "")),
        )
    return out


def test_uids_carry_the_horizon_and_old_plans_keep_their_form(tmp_path: Path) -> None:
    """A new plan's UIDs start with its horizon; re-exporting over files of a plan made
    before (UIDs without the horizon) keeps the old form, so imported events update."""
    from planner.ics import uid_for, write_calendars

    p = problem()
    sched = schedule_of(p, *ROWS)
    assert uid_for("a", 2, "20270906-20271126") == "20270906-20271126.a-2@dakpan"
    fresh = tmp_path / "fresh"
    write_calendars(fresh, p, sched)
    assert "UID:20270906-20271126.a-2@dakpan" in (fresh / "all.ics").read_text("utf-8")
    old = tmp_path / "old"
    write_calendars(old, p, sched, legacy=True)
    text = (old / "all.ics").read_text("utf-8")
    assert "UID:a-2@dakpan" in text and "UID:2027" not in text
    moved = schedule_of(p, *ROWS[:3], ("a", "2027-10-06", "09:00", "goes"), *ROWS[4:])
    write_calendars(old, p, moved)  # re-export over the old files
    text = (old / "all.ics").read_text("utf-8")
    event = text.split("UID:a-2@dakpan")[1].split("END:VEVENT")[0]
    assert "SEQUENCE:1" in event and "UID:2027" not in text


def test_history_breaking_a_network_rule_is_kept_and_the_rest_follows(tmp_path: Path) -> None:
    """c now starts at 10:00 at the earliest: c-1 (history, 09:00) is kept as it was,
    c-2 (09:00 on 9 November) moves for that reason; nothing else changes."""
    new = problem()
    c = dataclasses.replace(new.networks[2], earliest=10 * 60)
    new = dataclasses.replace(new, networks=(*new.networks[:2], c))
    out = tmp_path / "out"
    args = [str(published(tmp_path)), str(input_folder(tmp_path, new)), "--from", "2027-10-01"]
    result = runner.invoke(app, ["replan", *args, "--out", str(out), "--time-limit", "3"])
    assert result.exit_code == 0, result.output
    assert (
        "let op: eerdere bijeenkomst blijft staan, al breekt die nu een regel (window)"
        in result.output
    )
    rows = changed(out)
    assert sorted(rows) == ["c-2"]
    assert rows["c-2"][3] == "netwerk heeft andere tijden"
    assert changes(out)["c-1"][:3] == ("unchanged", "2027-09-14", "middelburg")


def test_summary_in_english(tmp_path: Path) -> None:
    """With ``language = en`` the summary, the reasons and the report speak English."""
    new = problem("en")
    goes = dataclasses.replace(GOES, unavailable=frozenset({date(2027, 10, 5)}))
    new = dataclasses.replace(new, venues=(goes, MIDDELBURG))
    out = tmp_path / "out"
    plan_dir = published(tmp_path, "en")
    args = [str(plan_dir), str(input_folder(tmp_path, new)), "--from", "2027-10-01"]
    result = runner.invoke(app, ["replan", *args, "--out", str(out), "--time-limit", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Re-plan written to {out} (from 2027-10-01)."
    assert lines[1] == (
        "6 unchanged, 2 moved, 0 retimed, 0 added, 0 cancelled; 2 members affected."
    )
    assert lines[2].startswith("Travel: ") and lines[2].endswith(" km after the re-plan.")
    assert {v[3] for v in changed(out).values()} == {"venue closed on that date"}
    assert "<h2>What changed</h2>" in (out / "report.html").read_text("utf-8")


def test_caldav_sync_keeps_cancelled_meetings_and_other_years(tmp_path: Path) -> None:
    """Syncing the re-plan (network c removed) to a CalDAV calendar that holds the first
    plan and a meeting of another school year: c-2 is updated (to cancelled), last year's
    event is left alone, nothing is deleted."""
    from planner.publish_caldav import RemoteEvent, diff
    from planner.publish_common import load

    new = problem()
    new = dataclasses.replace(
        new,
        networks=new.networks[:2],
        memberships=tuple(m for m in new.memberships if m.network != "c"),
    )
    first = load(published(tmp_path))
    url = "http://calendar.invalid/c/"
    remote = [
        RemoteEvent(url + uid, uid, first.sequence[m], first.prints[m])
        for m, uid in sorted(first.uids.items())
    ]
    last_year = "20260907-20270716.a-1@dakpan"
    remote.append(RemoteEvent(url + "old.ics", last_year, 0, "0123456789abcdef"))
    out = tmp_path / "replanned"
    old = read_plan(tmp_path / "published")
    write_replanned(
        out, tmp_path / "published", old, replan(old, new, CUTOFF, time_limit=SOLVE_SECONDS)
    )
    actions, unchanged, foreign = diff(load(out), remote, url)
    assert [(a.kind, a.uid) for a in actions] == [
        ("update", f"{H}c-1@dakpan"),  # its text now says "1 van 1"
        ("update", f"{H}c-2@dakpan"),
    ]
    assert "STATUS:CANCELLED" in actions[1].data
    assert (unchanged, foreign) == (6, 1)
