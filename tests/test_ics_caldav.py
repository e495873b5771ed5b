"""A person's calendar file imported into a real CalDAV server (Radicale on loopback).

The server runs on 127.0.0.1 only, on a free port, with no authentication
and its storage in a temporary folder; the fixture stops it. A file is
imported as CalDAV clients import one: each event (with the file's
VTIMEZONE) becomes one calendar object resource stored under its UID, and
``METHOD`` is left out because RFC 4791 (4.1) forbids it in stored objects.

The times are those of ``tests/test_ics.py``'s sample plan (its module
docstring derives them).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import caldav
import pytest

from planner.ics import write_calendars
from tests.test_ics import EXPECTED, sample, sample_schedule

H = "20270906-20271217."  # the sample plan's horizon, in front of every UID

START_TIMEOUT = 30.0  # seconds to wait for the server to answer
STOP_TIMEOUT = 10.0  # seconds to wait for it to stop before killing it


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


def _start(storage: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start Radicale on a free loopback port; raise if it does not answer in time."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "radicale",
                "--config",
                "",
                "--server-hosts",
                f"127.0.0.1:{port}",
                "--auth-type",
                "none",
                "--storage-filesystem-folder",
                str(storage),
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Radicale exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + ".web/", timeout=2):
                return process, url
        except urllib.error.HTTPError:
            return process, url  # it answers
        except OSError:
            time.sleep(0.1)
    _stop(process)
    raise RuntimeError(f"Radicale did not answer on {url} within {START_TIMEOUT} s")


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a Radicale server on loopback, stopped at the end of the module."""
    folder = tmp_path_factory.mktemp("radicale")
    process: subprocess.Popen[bytes] | None = None
    error: Exception | None = None
    for attempt in range(3):  # the free port may be taken between probing and binding
        try:
            process, url = _start(folder / "storage", folder / f"log-{attempt}.txt")
            break
        except RuntimeError as exc:
            error = exc
    if process is None:
        log = "\n".join(p.read_text("utf-8", "replace")[-2000:] for p in folder.glob("log-*"))
        pytest.fail(f"{error}\n{log}")
    try:
        yield url
    finally:
        _stop(process)


def split_for_caldav(data: bytes) -> dict[str, str]:
    """One calendar object per event, as a CalDAV client imports a file.

    Each object keeps the file's lines as they are (folding and escaping
    included): the calendar's header without ``METHOD``, every VTIMEZONE,
    and one VEVENT. Keyed by UID.
    """
    lines = data.decode("utf-8").split("\r\n")[:-1]
    header: list[str] = []
    timezones: list[str] = []
    events: list[list[str]] = []
    block: list[str] | None = None
    for line in lines:
        if line in ("BEGIN:VTIMEZONE", "BEGIN:VEVENT"):
            block = []
        if block is not None:
            block.append(line)
            if line == "END:VTIMEZONE":
                timezones += block
                block = None
            elif line == "END:VEVENT":
                events.append(block)
                block = None
        elif line not in ("END:VCALENDAR",) and not line.startswith("METHOD:"):
            header.append(line)
    out: dict[str, str] = {}
    for event in events:
        uid = next(line[4:] for line in event if line.startswith("UID:"))
        out[uid] = "\r\n".join([*header, *timezones, *event, "END:VCALENDAR"]) + "\r\n"
    return out


def import_file(calendar: caldav.Calendar, path: Path) -> None:
    """Store each event of the file under its UID, our bytes unchanged.

    ``raw_data`` makes caldav send the bytes as they are (no re-serialising by
    icalendar, no SEQUENCE bump), so the server parses exactly what we wrote.
    """
    for text in split_for_caldav(path.read_bytes()).values():
        caldav.Event(client=calendar.client, parent=calendar).save(raw_data=text.encode("utf-8"))


def events_in_range(calendar: caldav.Calendar) -> dict[str, tuple[datetime, datetime, int]]:
    """UID -> (UTC start, UTC end, SEQUENCE) of the events from September to December 2027."""
    found = calendar.search(
        start=datetime(2027, 9, 1, tzinfo=UTC),
        end=datetime(2028, 1, 1, tzinfo=UTC),
        event=True,
        expand=False,
    )
    out: dict[str, tuple[datetime, datetime, int]] = {}
    for item in found:
        event = item.icalendar_component
        uid = str(event["UID"])
        assert uid not in out, f"duplicate {uid}"
        out[uid] = (
            event.DTSTART.astimezone(UTC),
            event.DTEND.astimezone(UTC),
            int(event.get("SEQUENCE", 0)),
        )
    return out


def test_split_keeps_one_event_and_the_timezone_per_object(tmp_path: Path) -> None:
    problem = sample()
    write_calendars(tmp_path / "ics", problem, sample_schedule(problem))
    objects = split_for_caldav((tmp_path / "ics" / "person-q.ics").read_bytes())
    assert sorted(objects) == [f"{H}a-1@dakpan", f"{H}a-2@dakpan"]
    for text in objects.values():
        assert text.count("BEGIN:VEVENT") == 1
        assert text.count("BEGIN:VTIMEZONE") == 1
        assert "METHOD:" not in text


def test_person_file_round_trips_through_radicale(radicale: str, tmp_path: Path) -> None:
    problem = sample()
    out = tmp_path / "ics"
    write_calendars(out, problem, sample_schedule(problem))
    client = caldav.DAVClient(url=radicale, username="bestuurder", password="-")
    calendar = client.principal().make_calendar(name="dakpan", cal_id="dakpan-p")
    import_file(calendar, out / "person-p.ics")
    expected = {
        EXPECTED[m][0]: (EXPECTED[m][1], EXPECTED[m][2], 0) for m in ("a-1", "b-1", "a-2", "b-2")
    }
    assert events_in_range(calendar) == expected

    # A time range that holds only the winter meetings (16 and 17 November).
    winter = calendar.search(
        start=datetime(2027, 11, 1, tzinfo=UTC),
        end=datetime(2027, 12, 1, tzinfo=UTC),
        event=True,
        expand=False,
    )
    assert sorted(str(e.icalendar_component["UID"]) for e in winter) == [
        f"{H}a-2@dakpan",
        f"{H}b-2@dakpan",
    ]

    # Re-plan: b-1 moves from 11:15 to 11:30 (09:30 UTC). Export into the same
    # folder again and import again, as a user would.
    write_calendars(out, problem, sample_schedule(problem, b1_start=11 * 60 + 30))
    import_file(calendar, out / "person-p.ics")
    moved = events_in_range(calendar)
    assert sorted(moved) == sorted(expected)  # no duplicates, nothing lost
    assert moved[f"{H}b-1@dakpan"] == (
        datetime(2027, 9, 14, 9, 30, tzinfo=UTC),
        datetime(2027, 9, 14, 10, 30, tzinfo=UTC),
        1,
    )
    # a-1's relay lists b-1's time, so its SEQUENCE rose too; November did not change.
    assert moved[f"{H}a-1@dakpan"] == (
        *expected[f"{H}a-1@dakpan"][:2],
        1,
    )
    assert moved[f"{H}a-2@dakpan"] == expected[f"{H}a-2@dakpan"]
    assert moved[f"{H}b-2@dakpan"] == expected[f"{H}b-2@dakpan"]
    assert len(calendar.events()) == 4


def test_text_survives_radicale(radicale: str, tmp_path: Path) -> None:
    from tests.test_ics import DESCRIPTION_P_A1, LOCATION_GOES, NAME_A

    problem = sample()
    write_calendars(tmp_path / "ics", problem, sample_schedule(problem))
    client = caldav.DAVClient(url=radicale, username="bestuurder", password="-")
    calendar = client.principal().make_calendar(name="tekst", cal_id="dakpan-text")
    import_file(calendar, tmp_path / "ics" / "person-p.ics")
    event = calendar.event_by_uid(f"{H}a-1@dakpan").icalendar_component
    assert (str(event["SUMMARY"]), str(event["LOCATION"]), str(event["DESCRIPTION"])) == (
        NAME_A,
        LOCATION_GOES,
        DESCRIPTION_P_A1,
    )
