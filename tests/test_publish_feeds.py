"""``dakpan publish --feeds``: the feed folder served over HTTP and read by real clients.

The folder is served by Python's ``http.server`` on 127.0.0.1 (a free
port); its feeds are fetched and read by Mozilla's ical.js
(``tests/js/read_feed.mjs``, Thunderbird's parser) and by ``icalendar``,
and ``index.html`` is opened in headless Chromium (Debian's ``chromium``;
the test skips when it is missing), whose screenshot is kept in the test
artefacts (``$DAKPAN_TEST_ARTEFACTS`` or ``test-artefacts/``). The plan is
:mod:`tests.publish_sample`'s.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import icalendar
import pytest
from typer.testing import CliRunner

from cli.app import app
from planner.publish_common import PublishError, load
from planner.publish_feeds import person_token, read_secret, write_feeds
from tests.publish_sample import write_plan
from tests.test_ics import JS_DIR, _install_ical_js

H = "20270906-20271217."  # the sample plan's horizon, in front of every UID

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = Path(os.environ.get("DAKPAN_TEST_ARTEFACTS", ROOT / "test-artefacts"))
LISTED = [
    "network-a-ca978112.ics",
    "network-b.ics",
    "network-a-559aead0.ics",
    "network-c.ics",
    "venue-goes.ics",
    "venue-middelburg.ics",
    "all.ics",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A feed folder (``tmp_path/feeds``) served on loopback, and its base URL."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    # Serve the parent and address the folder by name: the folder itself is
    # replaced (renamed) on every publish, so a handle on it would go stale.
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/feeds/"
    finally:
        server.shutdown()
        server.server_close()


def publish(plan: Path, folder: Path, base: str, secret: Path, links: Path) -> Any:
    args = ["publish", str(plan), "--feeds", str(folder), "--base-url", base]
    args += ["--secret-file", str(secret), "--links", str(links)]
    return CliRunner().invoke(app, args)


def read_with_ical_js(urls: list[str]) -> list[dict[str, Any]]:
    """Fetch and read feeds with ``tests/js/read_feed.mjs``; skip without Node."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the ical.js check needs it")
    marker = JS_DIR / "node_modules" / "ical.js" / "package.json"
    if not marker.is_file():
        _install_ical_js()
    if not marker.is_file():
        pytest.fail("tests/js/node_modules/ical.js is missing: run (cd tests/js && npm ci)")
    result = subprocess.run(
        [node, str(JS_DIR / "read_feed.mjs"), *urls],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out: list[dict[str, Any]] = json.loads(result.stdout)
    return out


def test_secret_tokens_and_links(served: tuple[Path, str], tmp_path: Path) -> None:
    """The secret is made 0600 and never printed; feeds are named by HMAC; links.csv lists them."""
    folder, base = served
    plan = write_plan(tmp_path / "plan")
    secret, links = tmp_path / "private" / "secret", tmp_path / "private" / "links.csv"
    result = publish(plan, folder, base, secret, links)
    assert result.exit_code == 0, result.output
    key = secret.read_text("utf-8").strip()
    assert (secret.stat().st_mode & 0o777, len(key)) == (0o600, 64)
    assert key not in result.output
    tokens = {
        p: hmac.new(key.encode(), f"person:{p}".encode(), hashlib.sha256).hexdigest()[:32]
        for p in "pqrst"
    }
    assert sorted(f.name for f in (folder / "p").iterdir()) == sorted(
        [f"{t}.ics" for t in tokens.values()] + ["index.html"]
    )
    rows = [
        f"{p},{name},{mail},{base}p/{tokens[p]}.ics"
        for p, name, mail in [
            ("p", "José Müller", "p@example.org"),
            ("q", "Q", "Q@Example.org"),
            ("r", "R", ""),
            ("s", "Sanne", "s@example.org"),
            ("t", "Tineke", "t@example.org"),
        ]
    ]
    assert links.read_text("utf-8").splitlines() == ["person,name,email,url", *rows]
    assert links.stat().st_mode & 0o777 == 0o600
    # The same secret gives the same addresses after a re-plan.
    write_plan(plan, replan=True)
    assert publish(plan, folder, base, secret, links).exit_code == 0
    assert sorted(f.stem for f in (folder / "p").glob("*.ics")) == sorted(tokens.values())
    assert person_token(b"another secret of enough length.", "p") != tokens["p"]


def test_index_lists_shared_feeds_with_webcal_and_https_but_no_person_feed(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    """index.html links every network, venue and all.ics twice, and never a person's token."""
    folder, base = served
    plan = write_plan(tmp_path / "plan")
    assert publish(plan, folder, base, tmp_path / "s", tmp_path / "l.csv").exit_code == 0
    page = (folder / "index.html").read_text("utf-8")
    hrefs = re.findall(r'href="([^"]+)"', page)
    webcal = "webcal://" + base.split("://")[1]
    assert hrefs == [link for name in LISTED for link in (webcal + name, base + name)]
    assert "/p/" not in page
    assert 'lang="en"' in page and "Abonneren" in page and "Subscribe" in page


def test_feeds_over_http_read_by_ical_js_and_icalendar(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    """Served feeds parse in ical.js with PT12H refresh; a re-plan raises SEQUENCE and drops a-2."""
    folder, base = served
    plan = write_plan(tmp_path / "plan")
    secret = tmp_path / "secret"
    assert publish(plan, folder, base, secret, tmp_path / "l.csv").exit_code == 0
    key, _ = read_secret(secret)
    person_p = f"{base}p/{person_token(key, 'p')}.ics"
    first = read_with_ical_js([base + "network-b.ics", person_p])
    assert [(f["status"], f["refresh"], f["ttl"]) for f in first] == [(200, "PT12H", "PT12H")] * 2
    assert [[(e["uid"], e["sequence"]) for e in f["events"]] for f in first] == [
        [(f"{H}b-1@dakpan", 0), (f"{H}b-2@dakpan", 0)],
        [
            (f"{H}a-1@dakpan", 0),
            (f"{H}b-1@dakpan", 0),
            (f"{H}a-2@dakpan", 0),
            (f"{H}b-2@dakpan", 0),
        ],
    ]
    assert all(e["resolved"] for f in first for e in f["events"])

    write_plan(plan, replan=True)
    assert publish(plan, folder, base, secret, tmp_path / "l.csv").exit_code == 0
    (after,) = read_with_ical_js([person_p])
    assert [(e["uid"], e["sequence"], e["start_utc"]) for e in after["events"]] == [
        (
            f"{H}a-1@dakpan",
            1,
            int(datetime(2027, 9, 14, 8, 0, tzinfo=UTC).timestamp()),
        ),
        (
            f"{H}b-1@dakpan",
            1,
            int(datetime(2027, 9, 14, 9, 30, tzinfo=UTC).timestamp()),
        ),
        (
            f"{H}b-2@dakpan",
            0,
            int(datetime(2027, 11, 17, 8, 0, tzinfo=UTC).timestamp()),
        ),
    ]
    with urllib.request.urlopen(base + "all.ics", timeout=10) as response:
        calendar = icalendar.Calendar.from_ical(response.read())
    assert sorted((str(e["UID"]), int(e["SEQUENCE"])) for e in calendar.walk("VEVENT")) == [
        (f"{H}a-1@dakpan", 1),
        (f"{H}a~559aead0-1@dakpan", 1),
        (f"{H}b-1@dakpan", 1),
        (f"{H}b-2@dakpan", 0),
        (f"{H}c-1@dakpan", 0),
    ]


def test_index_page_in_headless_chromium(served: tuple[Path, str], tmp_path: Path) -> None:
    """Chromium renders index.html from the server: 14 feed links in the DOM, a screenshot kept."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    folder, base = served
    plan = write_plan(tmp_path / "plan")
    assert publish(plan, folder, base, tmp_path / "s", tmp_path / "l.csv").exit_code == 0
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / "publish-index.png"
    shot.unlink(missing_ok=True)
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'chromium'}",
            "--window-size=1000,1400",
            f"--screenshot={shot}",
            "--dump-dom",
            base + "index.html",
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    anchors = re.findall(r'<a class="(webcal|https)" href="([^"]+)"', result.stdout)
    assert len(anchors) == 2 * len(LISTED)
    assert [href for _, href in anchors if _ == "https"] == [base + n for n in LISTED]
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_unsafe_places_are_refused(tmp_path: Path) -> None:
    """A foreign folder, a secret inside the feeds, a short secret, a bad base URL: refused."""
    plan = write_plan(tmp_path / "plan")
    pub = load(plan)
    other = tmp_path / "site"
    other.mkdir()
    (other / "keep.txt").write_text("x", "utf-8")
    args: dict[str, Any] = {"base_url": None, "links_csv": tmp_path / "l.csv"}
    with pytest.raises(PublishError, match="holds no dakpan feeds"):
        write_feeds(other, pub, secret_file=tmp_path / "s", **args)
    with pytest.raises(PublishError, match="lies inside the published folder"):
        write_feeds(tmp_path / "f", pub, secret_file=tmp_path / "f" / "s", **args)
    with pytest.raises(PublishError, match="lies inside the plan folder"):
        write_feeds(tmp_path / "f", pub, secret_file=plan / "s", plan_dir=plan, **args)
    short = tmp_path / "short"
    short.write_text("abc\n", "utf-8")
    with pytest.raises(PublishError, match="feed secret is too short"):
        write_feeds(tmp_path / "f", pub, secret_file=short, **args)
    with pytest.raises(PublishError, match="must start with https://"):
        write_feeds(
            tmp_path / "f",
            pub,
            secret_file=tmp_path / "s",
            base_url="ftp://x",
            links_csv=tmp_path / "l.csv",
        )
    assert (other / "keep.txt").is_file() and not (tmp_path / "f").exists()
