"""``dakpan publish --caldav``: a sync into a real CalDAV server with authentication.

Radicale runs on 127.0.0.1 (a free port), started by the tests, with
htpasswd authentication (user ``bestuurder``, password :data:`PASSWORD`)
and its storage in a temporary folder. The server is read back with the
``caldav`` library. The plan is :mod:`tests.publish_sample`'s: six meetings
A-1, a-1, b-1, c-1, a-2, b-2; its re-plan changes A-1, a-1 and b-1 (b-1
moves from 11:15 to 11:30, 09:30 UTC) and drops a-2.
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
from typing import Any

import caldav
import pytest
from typer.testing import CliRunner

from cli.app import app
from planner.publish_caldav import CalDavSync, credentials, plan_sync, run_sync
from planner.publish_common import Credentials, PublishError, load
from tests.publish_sample import write_plan

H = "20270906-20271217."  # the sample plan's horizon, in front of every UID

USER = "bestuurder"
PASSWORD = "z33uw-Geheim!"
START_TIMEOUT = 30.0
UIDS = [
    f"{H}a-1@dakpan",
    f"{H}a-2@dakpan",
    f"{H}a~559aead0-1@dakpan",
    f"{H}b-1@dakpan",
    f"{H}b-2@dakpan",
    f"{H}c-1@dakpan",
]
FOREIGN = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//else//EN\r\nBEGIN:VEVENT\r\n"
    "UID:{uid}\r\nDTSTAMP:20270901T000000Z\r\nDTSTART:20270915T090000Z\r\n"
    "DTEND:20270915T100000Z\r\nSUMMARY:Eigen afspraak\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n", "utf-8")
    with (folder / "log.txt").open("wb") as sink:
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
                "htpasswd",
                "--auth-htpasswd-filename",
                str(users),
                "--auth-htpasswd-encryption",
                "plain",
                "--auth-delay",
                "0",
                "--storage-filesystem-folder",
                str(folder / "storage"),
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
            return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"Radicale did not answer on {url}")


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a Radicale server with htpasswd authentication, stopped after the module."""
    folder = tmp_path_factory.mktemp("radicale-auth")
    try:
        process, url = _start(folder)
    except RuntimeError as exc:
        pytest.fail(f"{exc}\n{(folder / 'log.txt').read_text('utf-8', 'replace')[-2000:]}")
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def run(args: list[str], password: str | None = PASSWORD, **env: str | None) -> Any:
    """``dakpan`` with the password in the environment (never on the command line)."""
    environment: dict[str, str | None] = {"DAKPAN_CALDAV_PASSWORD": password, "NETRC": "/none"}
    environment.update(env)
    result = CliRunner().invoke(app, args, env=environment)
    assert PASSWORD not in result.output
    return result


def stored(url: str) -> dict[str, tuple[datetime, int, str]]:
    """UID -> (UTC start, SEQUENCE, SUMMARY) of every event in the calendar, read with caldav."""
    client = caldav.DAVClient(url=url, username=USER, password=PASSWORD)
    out: dict[str, tuple[datetime, int, str]] = {}
    for item in client.calendar(url=url).events():
        event = item.icalendar_component
        uid = str(event["UID"])
        assert uid not in out, f"duplicate {uid}"
        start = event.decoded("DTSTART").astimezone(UTC)
        out[uid] = (start, int(event.get("SEQUENCE", 0)), str(event["SUMMARY"]))
    return out


def put_foreign(url: str, uid: str) -> None:
    """Store an event that dakpan did not write (no fingerprint mark)."""
    client = caldav.DAVClient(url=url, username=USER, password=PASSWORD)
    client.put(
        url + uid.replace("@", "-at-") + ".ics",
        FOREIGN.format(uid=uid),
        {"Content-Type": "text/calendar"},
    )


def test_sync_resync_replan_and_foreign_events(radicale: str, tmp_path: Path) -> None:
    """Create, then a no-op, then exactly the re-plan's changes; other events stay untouched."""
    plan = write_plan(tmp_path / "plan")
    url = f"{radicale}{USER}/dakpan-sync/"
    args = ["publish", str(plan), "--caldav", url, "--user", USER, "--yes"]

    missing = run(args)
    assert missing.exit_code == 1
    assert "no such calendar; run again with --create" in missing.output

    first = run([*args, "--create"])
    assert first.exit_code == 0, first.output
    assert "6 to create, 0 to update, 0 to delete, 0 unchanged" in first.output
    before = stored(url)
    assert sorted(before) == UIDS
    assert before[f"{H}b-1@dakpan"] == (
        datetime(2027, 9, 14, 9, 15, tzinfo=UTC),
        0,
        "Netwerk B",
    )

    put_foreign(url, "mine@example.org")
    put_foreign(url, "lookalike@dakpan")  # a dakpan UID without dakpan's mark: not ours
    again = run(args)
    assert again.exit_code == 0, again.output
    assert (
        "0 to create, 0 to update, 0 to delete, 6 unchanged; 2 other events in the calendar"
        in again.output
    )

    write_plan(plan, replan=True)
    dry = run([*args, "--dry-run"])
    assert "0 to create, 3 to update, 1 to delete, 2 unchanged" in dry.output
    assert sorted(stored(url)) == sorted([*UIDS, "lookalike@dakpan", "mine@example.org"])

    replan = run(args)
    assert replan.exit_code == 0, replan.output
    lines = [line.split()[:2] for line in replan.output.splitlines() if line.startswith("  ")]
    assert lines == [
        ["update", "A-1"],
        ["update", "a-1"],
        ["update", "b-1"],
        ["delete", f"{H}a-2@dakpan"],
    ]
    after = stored(url)
    assert sorted(after) == sorted(
        [
            f"{H}A~559aead0-1@dakpan".lower(),
            f"{H}a-1@dakpan",
            f"{H}b-1@dakpan",
            f"{H}b-2@dakpan",
            f"{H}c-1@dakpan",
            "lookalike@dakpan",
            "mine@example.org",
        ]
    )
    assert after[f"{H}b-1@dakpan"] == (
        datetime(2027, 9, 14, 9, 30, tzinfo=UTC),
        1,
        "Netwerk B",
    )
    assert after[f"{H}a-1@dakpan"][1] == 1 and after[f"{H}b-2@dakpan"] == before[f"{H}b-2@dakpan"]
    assert after["mine@example.org"][2] == after["lookalike@dakpan"][2] == "Eigen afspraak"
    assert "0 to create, 0 to update, 0 to delete, 5 unchanged" in run(args).output


def test_wrong_password_is_refused_and_nothing_changes(radicale: str, tmp_path: Path) -> None:
    """A wrong password: exit 1, a 401 named, the password never shown, the calendar as it was."""
    plan = write_plan(tmp_path / "plan")
    url = f"{radicale}{USER}/dakpan-auth/"
    args = ["publish", str(plan), "--caldav", url, "--user", USER, "--yes", "--create"]
    assert run(args).exit_code == 0
    before = stored(url)
    write_plan(plan, replan=True)
    result = run(args, password="wrong-password")
    assert result.exit_code == 1
    assert "the server refused access (401) for bestuurder" in result.output
    assert "wrong-password" not in result.output
    assert stored(url) == before


def test_password_from_netrc(radicale: str, tmp_path: Path) -> None:
    """Without DAKPAN_CALDAV_PASSWORD the netrc entry for the host gives user and password."""
    plan = write_plan(tmp_path / "plan")
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n", "utf-8")
    netrc.chmod(0o600)
    url = f"{radicale}{USER}/dakpan-netrc/"
    result = run(
        ["publish", str(plan), "--caldav", url, "--create", "--yes"],
        password=None,
        NETRC=str(netrc),
    )
    assert result.exit_code == 0, result.output
    assert sorted(stored(url)) == UIDS


class _Flaky:
    """Wraps a DAVClient; the third PUT fails as a dropped connection would."""

    def __init__(self, **kwargs: Any) -> None:
        self.inner = caldav.DAVClient(**kwargs)
        self.puts = 0

    def request(self, url: str, method: str, body: str, headers: Any) -> Any:
        if method == "PUT":
            self.puts += 1
            if self.puts == 3:
                raise ConnectionResetError("connection reset by peer")
        return self.inner.request(url, method, body, headers)


def test_an_interrupted_sync_converges_on_the_next_run(radicale: str, tmp_path: Path) -> None:
    """The connection drops at the third event: two are stored; the next run adds the other four."""
    plan = write_plan(tmp_path / "plan")
    url = f"{radicale}{USER}/dakpan-partial/"
    creds = Credentials(USER, PASSWORD, "test")
    sync = CalDavSync(url, creds, client_factory=_Flaky)
    todo = plan_sync(sync, load(plan), create=True, dry_run=False)
    with pytest.raises(PublishError, match="2 of 6 changes were made; run the same command again"):
        run_sync(sync, todo)
    assert len(stored(url)) == 2
    result = run(["publish", str(plan), "--caldav", url, "--user", USER, "--yes"])
    assert "4 to create, 0 to update, 0 to delete, 2 unchanged" in result.output
    assert sorted(stored(url)) == UIDS


def test_unreachable_server_is_reported(tmp_path: Path) -> None:
    """Nothing listens: a clear error naming the server, no traceback."""
    plan = write_plan(tmp_path / "plan")
    url = f"http://127.0.0.1:{_free_port()}/{USER}/dakpan/"
    result = run(["publish", str(plan), "--caldav", url, "--user", USER, "--yes"])
    assert result.exit_code == 1
    assert "cannot reach the CalDAV server" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_credentials_never_come_from_the_url_and_hide_the_password() -> None:
    """A URL with a user is refused; the credentials' repr never shows the password."""
    with pytest.raises(PublishError, match="must not hold a user or password"):
        credentials("https://u:p@cloud.example.org/dav/", None, {})
    creds = credentials("https://cloud.example.org/dav/", "u", {"DAKPAN_CALDAV_PASSWORD": "s3"})
    assert (creds.user, creds.password, creds.source) == ("u", "s3", "DAKPAN_CALDAV_PASSWORD")
    assert "s3" not in repr(creds)
    with pytest.raises(PublishError, match="refusing to send a password without TLS"):
        CalDavSync("http://cloud.example.org/dav/", creds)


def test_another_users_calendar_is_forbidden(radicale: str, tmp_path: Path) -> None:
    """Radicale lets a user write only their own calendars: a 403, named, and nothing written."""
    plan = write_plan(tmp_path / "plan")
    url = f"{radicale}someone-else/dakpan/"
    result = run(["publish", str(plan), "--caldav", url, "--user", USER, "--create", "--yes"])
    assert result.exit_code == 1
    assert "the server refused access (403) for bestuurder" in result.output


def test_declining_the_confirmation_changes_nothing(radicale: str, tmp_path: Path) -> None:
    """Without --yes the changes are listed and "n" leaves the calendar as it was."""
    plan = write_plan(tmp_path / "plan")
    url = f"{radicale}{USER}/dakpan-confirm/"
    args = ["publish", str(plan), "--caldav", url, "--user", USER]
    assert run([*args, "--create", "--yes"]).exit_code == 0
    before = stored(url)
    write_plan(plan, replan=True)
    environment = {"DAKPAN_CALDAV_PASSWORD": PASSWORD, "NETRC": "/none"}
    result = CliRunner().invoke(app, args, env=environment, input="n\n")
    assert result.exit_code == 1
    assert "Apply 4 changes to" in result.output and "caldav: nothing changed" in result.output
    assert stored(url) == before
