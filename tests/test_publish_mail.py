"""E-mail invitations (``dakpan publish --invitations``) sent to a real SMTP server.

The server is aiosmtpd on 127.0.0.1, started by the tests; every message it
receives is parsed with the standard e-mail parser and its calendar part
with ``icalendar``. The plan is :mod:`tests.publish_sample`'s: p gets A's
partner meetings a-1, b-1, a-2, b-2, q gets a-1 and a-2, t gets c-1; r has
no address (skipped), s has no meetings. The re-plan changes a-1 and b-1
and drops a-2.
"""

from __future__ import annotations

import email
import email.policy
import json
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from typer.testing import CliRunner

from cli.app import app
from planner.publish_common import PublishError, load
from planner.publish_mail import message, parse_smtp, pending, read_state, send
from tests.publish_sample import write_plan

H = "20270906-20271217."  # the sample plan's horizon, in front of every UID

ORGANIZER = "coord@example.org"
WHEN = datetime(2027, 8, 30, 9, 0, tzinfo=UTC)
SMTP_PASSWORD = "smtp-Geheim-42"

# (recipient, UID, METHOD, SEQUENCE) of the first run, in sending order.
FIRST = [
    ("p@example.org", f"{H}a-1@dakpan", "REQUEST", 0),
    ("p@example.org", f"{H}b-1@dakpan", "REQUEST", 0),
    ("p@example.org", f"{H}a-2@dakpan", "REQUEST", 0),
    ("p@example.org", f"{H}b-2@dakpan", "REQUEST", 0),
    ("q@example.org", f"{H}a-1@dakpan", "REQUEST", 0),
    ("q@example.org", f"{H}a-2@dakpan", "REQUEST", 0),
    ("t@example.org", f"{H}c-1@dakpan", "REQUEST", 0),
]
# After the re-plan: a-1 and b-1 changed (SEQUENCE 1), a-2 is cancelled; t gets nothing.
REPLAN = [
    ("p@example.org", f"{H}a-1@dakpan", "REQUEST", 1),
    ("p@example.org", f"{H}b-1@dakpan", "REQUEST", 1),
    ("q@example.org", f"{H}a-1@dakpan", "REQUEST", 1),
    ("p@example.org", f"{H}a-2@dakpan", "CANCEL", 1),
    ("q@example.org", f"{H}a-2@dakpan", "CANCEL", 1),
]


@dataclass
class Inbox:
    """Collects what the SMTP server receives; ``fail_at`` refuses that message (0-based)."""

    messages: list[tuple[list[str], bytes]] = field(default_factory=list)
    fail_at: int | None = None
    seen: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        index = self.seen
        self.seen += 1
        if self.fail_at is not None and index == self.fail_at:
            return "451 4.3.0 try again later"
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[str, Inbox]]:
    """``HOST:PORT`` of an aiosmtpd server on loopback, and its inbox."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield f"127.0.0.1:{controller.port}", inbox
    finally:
        controller.stop()


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """The sample plan folder."""
    return write_plan(tmp_path / "plan")


def itip(raw: bytes) -> tuple[str, str, str, int, str, str, str]:
    """(To, UID, METHOD, SEQUENCE, ORGANIZER, ATTENDEE, STATUS) of one received message.

    Also checks the MIME structure: ``multipart/alternative`` with a plain
    text part and a ``text/calendar`` part whose ``method`` parameter
    matches the calendar's METHOD, holding exactly one VEVENT.
    """
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in msg.iter_parts()]  # type: ignore[attr-defined]
    assert parts == ["text/plain", "text/calendar"]
    part = list(msg.iter_parts())[1]  # type: ignore[attr-defined]
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    method = str(calendar["METHOD"])
    assert part.get_param("method") == method
    (event,) = calendar.walk("VEVENT")
    return (
        str(msg["To"].addresses[0].addr_spec),
        str(event["UID"]),
        method,
        int(event["SEQUENCE"]),
        str(event["ORGANIZER"]),
        str(event["ATTENDEE"]),
        str(event["STATUS"]),
    )


def received(inbox: Inbox) -> list[tuple[str, str, str, int]]:
    """(recipient, UID, METHOD, SEQUENCE) of every message received, checked for consistency."""
    out = []
    for rcpt, raw in inbox.messages:
        to, uid, method, seq, organizer, attendee, status = itip(raw)
        assert rcpt == [to]
        assert organizer == f"mailto:{ORGANIZER}"
        assert attendee.lower() == f"mailto:{to}"
        assert status == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")
        out.append((to, uid, method, seq))
    return out


def publish(plan: Path, out: Path, *extra: str, input_: str | None = None) -> Any:
    args = ["publish", str(plan), "--invitations", str(out), "--organizer", ORGANIZER]
    return CliRunner().invoke(app, [*args, *extra], input=input_)


def test_first_run_sends_one_invitation_per_person_and_meeting(
    plan: Path, tmp_path: Path, smtp: tuple[str, Inbox]
) -> None:
    """Every address gets a REQUEST per meeting; r (no address) is listed as skipped."""
    server, inbox = smtp
    result = publish(plan, tmp_path / "inv", "--smtp", server, "--yes")
    assert result.exit_code == 0, result.output
    assert received(inbox) == FIRST
    assert "skipped (no e-mail address): r\n" in result.output
    assert "sent 7 messages" in result.output
    state = json.loads((tmp_path / "inv" / "sent.json").read_text("utf-8"))
    assert {k: sorted(v) for k, v in state["sent"].items()} == {
        "p@example.org": [
            f"{H}a-1@dakpan",
            f"{H}a-2@dakpan",
            f"{H}b-1@dakpan",
            f"{H}b-2@dakpan",
        ],
        "q@example.org": [f"{H}a-1@dakpan", f"{H}a-2@dakpan"],
        "t@example.org": [f"{H}c-1@dakpan"],
    }


def test_second_run_sends_nothing_and_a_replan_only_the_changes(
    plan: Path, tmp_path: Path, smtp: tuple[str, Inbox]
) -> None:
    """Re-running sends nothing; after a re-plan only p and q get updates and cancellations."""
    server, inbox = smtp
    out = tmp_path / "inv"
    assert publish(plan, out, "--smtp", server, "--yes").exit_code == 0
    inbox.messages.clear()
    again = publish(plan, out, "--smtp", server, "--yes")
    assert again.exit_code == 0, again.output
    assert "0 new, 0 updated, 0 cancelled, to 0 addresses" in again.output
    assert inbox.messages == []

    write_plan(plan, replan=True)
    result = publish(plan, out, "--smtp", server, "--yes")
    assert result.exit_code == 0, result.output
    assert received(inbox) == REPLAN
    assert "0 new, 3 updated, 2 cancelled, to 2 addresses" in result.output
    assert "  p@example.org: 0 new, 2 updated, 1 cancelled\n" in result.output
    assert "  q@example.org: 0 new, 1 updated, 1 cancelled\n" in result.output
    # The cancellation repeats the event as last sent, cancelled.
    cancel = icalendar.Calendar.from_ical(
        next(
            p.get_payload(decode=True)
            for _, raw in inbox.messages[3:4]
            for p in email.message_from_bytes(raw).walk()
            if p.get_content_type() == "text/calendar"
        )
    )
    (event,) = cancel.walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2027, 11, 16, 9, 0, tzinfo=UTC)
    inbox.messages.clear()
    assert publish(plan, out, "--smtp", server, "--yes").exit_code == 0
    assert inbox.messages == []


def test_interrupted_send_loses_nothing_and_the_next_run_sends_the_rest(
    plan: Path, tmp_path: Path, smtp: tuple[str, Inbox]
) -> None:
    """The server refuses the third message: two are recorded, the next run sends five."""
    server, inbox = smtp
    inbox.fail_at = 2
    out = tmp_path / "inv"
    result = publish(plan, out, "--smtp", server, "--yes")
    assert result.exit_code == 1
    assert "2 of 7 messages were sent and recorded" in result.output
    assert received(inbox) == FIRST[:2]
    inbox.messages.clear()
    inbox.fail_at = None
    assert publish(plan, out, "--smtp", server, "--yes").exit_code == 0
    assert received(inbox) == FIRST[2:]


def test_declining_the_confirmation_sends_nothing(
    plan: Path, tmp_path: Path, smtp: tuple[str, Inbox]
) -> None:
    """Without --yes the summary is shown and "n" sends nothing and records nothing."""
    server, inbox = smtp
    result = publish(plan, tmp_path / "inv", "--smtp", server, input_="n\n")
    assert result.exit_code == 1
    assert "Send 7 messages via" in result.output and "nothing sent" in result.output
    assert inbox.messages == []
    assert not (tmp_path / "inv" / "sent.json").exists()


def test_a_plan_with_hard_violations_is_never_sent(
    plan: Path, tmp_path: Path, smtp: tuple[str, Inbox]
) -> None:
    """An edited schedule.csv where b-1 clashes with a-1 for p: refused, nothing sent."""
    server, inbox = smtp
    csv = plan / "schedule.csv"
    csv.write_text(csv.read_text("utf-8").replace("11:15,12:15", "10:30,11:30"), "utf-8")
    result = publish(plan, tmp_path / "inv", "--smtp", server, "--yes", "--schedule-csv")
    assert result.exit_code == 1
    assert "hard rule" in result.output and "nothing is published" in result.output
    assert inbox.messages == []
    assert not (tmp_path / "inv").exists()


def test_without_smtp_the_messages_are_written_as_eml_files(plan: Path, tmp_path: Path) -> None:
    """Without --smtp: seven .eml files that parse as iTIP, and nothing recorded as sent."""
    out = tmp_path / "inv"
    result = publish(plan, out)
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.eml"))
    got = sorted(itip(f.read_bytes())[:4] for f in files)
    assert got == sorted(FIRST)
    assert not (out / "sent.json").exists()
    assert [f.name for f in files][:2] == [
        "p-example-org--20270906-20271217-a-1-e7b684-0-request.eml",
        "p-example-org--20270906-20271217-a-2-a2f522-0-request.eml",
    ]


def test_messages_are_deterministic_for_a_given_time(plan: Path) -> None:
    """The same plan and time give byte-identical messages (Message-ID and boundary included)."""
    pub = load(plan)
    args = {"organizer": ORGANIZER, "when": WHEN}
    first = pending(pub, read_state(plan / "none"), **args)  # type: ignore[arg-type]
    second = pending(pub, read_state(plan / "none"), **args)  # type: ignore[arg-type]
    one = [message(i, organizer=ORGANIZER, organizer_name="", when=WHEN) for i in first.invitations]
    two = [
        message(i, organizer=ORGANIZER, organizer_name="", when=WHEN) for i in second.invitations
    ]
    assert [m.as_bytes() for m in one] == [m.as_bytes() for m in two]
    assert "DTSTAMP:20270830T090000Z" in first.invitations[0].calendar


def test_unreachable_smtp_server_is_reported(plan: Path, tmp_path: Path) -> None:
    """Nothing listens on the port: a clear error naming the server, nothing recorded."""
    pub = load(plan)
    outbox = pending(pub, read_state(tmp_path / "x"), organizer=ORGANIZER, when=WHEN)
    server = f"127.0.0.1:{_free_port()}"
    with pytest.raises(PublishError, match=r"sending failed .*0 of 7 messages"):
        send(tmp_path / "x", outbox, smtp=server, organizer=ORGANIZER, organizer_name="", when=WHEN)
    assert not (tmp_path / "x" / "sent.json").exists()
    shutil.rmtree(tmp_path / "x")


@pytest.mark.parametrize("text", ["smtp.example.org", "host:port", ":25", "h:70000"])
def test_smtp_option_must_be_host_and_port(text: str) -> None:
    """``--smtp`` without a valid HOST:PORT is refused with an example."""
    with pytest.raises(PublishError, match="expected HOST:PORT"):
        parse_smtp(text)


def _authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = auth_data.login == b"coord" and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_auth() -> Iterator[tuple[str, Inbox]]:
    """An aiosmtpd server on loopback that requires a login (user ``coord``)."""
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=_authenticator,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield f"127.0.0.1:{controller.port}", inbox
    finally:
        controller.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_smtp_login_takes_the_password_from_the_environment_only(
    plan: Path, tmp_path: Path, smtp_auth: tuple[str, Inbox]
) -> None:
    """DAKPAN_SMTP_PASSWORD logs in (never printed); a wrong one is refused and nothing is sent."""
    server, inbox = smtp_auth
    args = ["--smtp", server, "--smtp-user", "coord", "--yes"]
    runner = CliRunner()
    base = ["publish", str(plan), "--invitations", str(tmp_path / "inv"), "--organizer", ORGANIZER]
    wrong = runner.invoke(app, [*base, *args], env={"DAKPAN_SMTP_PASSWORD": "nope", "NETRC": "/x"})
    assert wrong.exit_code == 1
    assert "the SMTP server refused the login" in wrong.output and "nope" not in wrong.output
    assert inbox.messages == []
    env = {"DAKPAN_SMTP_PASSWORD": SMTP_PASSWORD, "NETRC": "/x"}
    right = runner.invoke(app, [*base, *args], env=env)
    assert right.exit_code == 0, right.output
    assert SMTP_PASSWORD not in right.output
    assert received(inbox) == FIRST
