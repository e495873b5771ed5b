"""``dakpan serve`` through Typer's CliRunner, with uvicorn.run replaced by a recorder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.app import app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What uvicorn.run was called with (it is not started)."""
    import uvicorn

    seen: dict[str, Any] = {}

    def record(app: Any, **kw: Any) -> None:
        seen["app"] = app
        seen.update(kw)

    monkeypatch.setattr(uvicorn, "run", record)
    return seen


def test_serve_on_loopback_needs_no_token(ran: dict[str, Any], tmp_path: Path) -> None:
    """By default: 127.0.0.1:8000, no token, only loopback host names accepted."""
    result = CliRunner().invoke(app, ["serve", "--data", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"dakpan serve: open http://127.0.0.1:8000/  (data in {tmp_path / 'd'}; Ctrl-C stops)\n"
    )
    assert (ran["host"], ran["port"]) == ("127.0.0.1", 8000)
    assert TestClient(ran["app"], base_url="http://127.0.0.1:8000").get("/").status_code == 200
    assert TestClient(ran["app"], base_url="http://evil.example").get("/").status_code == 400


def test_serve_on_other_host_generates_a_token(ran: dict[str, Any], tmp_path: Path) -> None:
    """On 0.0.0.0 without --token a token is generated, printed once and required."""
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("Access token (shown once): ")
    token = first.rsplit(" ", 1)[1]
    assert len(token) == 32
    client = TestClient(ran["app"], base_url="http://203.0.113.5:8000")
    assert client.get("/").status_code == 403
    assert client.get(f"/?token={token}").status_code == 200


def test_serve_takes_a_given_token_and_refuses_a_short_one(
    ran: dict[str, Any], tmp_path: Path
) -> None:
    """--token is used as given; one under 16 characters is refused with exit 2."""
    given = "a-long-enough-token"
    args = ["serve", "--host", "0.0.0.0", "--port", "9000", "--data", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--token", given])
    assert result.exit_code == 0
    assert "Access token" not in result.output
    assert f"http://0.0.0.0:9000/?token={given}" in result.output
    short = CliRunner().invoke(app, [*args, "--token", "short"])
    assert (short.exit_code, "at least 16 characters" in short.output) == (2, True)


def test_serve_refuses_an_unusable_data_folder(ran: dict[str, Any], tmp_path: Path) -> None:
    """A --data path that is a file gets exit 2 and a message, no traceback."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(app, ["serve", "--data", str(blocker / "sub")])
    assert result.exit_code == 2
    assert "cannot be used as the data folder" in result.output
    assert "app" not in ran
