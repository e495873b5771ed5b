"""``dakpan serve`` in headless Chromium (Debian's ``chromium`` and ``chromium-driver``).

The app runs under uvicorn on a free port with an access token. The browser
is refused with a wrong token, then uploads a broken input and sees the
located faults, has an oversized upload and a zip with ``../`` names
refused, uploads the Veluwe sample, plans with a 3 s limit, watches the
progress line change, stops, lands on the result page; the plan zip is
downloaded and passes the checker. Screenshots go to
``$DAKPAN_TEST_ARTEFACTS`` (or the test's tmp folder).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.check import check
from planner.planfile import read_plan
from planner.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
VELUWE = ROOT / "samples" / "veluwe"
TOKEN = "browser-test-token-0123456789"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.skipif(
        CHROMIUM is None or DRIVER is None,
        reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app under uvicorn on 127.0.0.1 with a token and a 1 MB upload limit; its base URL."""
    import uvicorn

    app = create_app(tmp_path / "data", token=TOKEN, max_upload=1024 * 1024)
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    end = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < end, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Headless Chromium driven by chromedriver (no download: both come from Debian)."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,1000",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(DRIVER)))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _zip(files: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _veluwe(change: dict[str, bytes], path: Path) -> Path:
    files = {p.name: p.read_bytes() for p in sorted(VELUWE.iterdir())}
    files.update(change)
    return _zip(files, path)


def _upload(driver: Any, base: str, path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of

    driver.get(f"{base}/")
    driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(path))
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "#upload button").click()
    _wait(driver, staleness_of(page))


def _wait(driver: Any, what: Any, seconds: float = 20) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.05).until(what)


def test_browser_upload_plan_stop_download(server: str, browser: Any, tmp_path: Path) -> None:
    """Wrong token refused; faults shown; bad uploads refused; plan, progress, stop, checked zip."""
    from selenium.webdriver.common.by import By

    shots = Path(os.environ.get("DAKPAN_TEST_ARTEFACTS", tmp_path / "artefacts"))
    shots.mkdir(parents=True, exist_ok=True)
    body = lambda: browser.find_element(By.TAG_NAME, "body").text  # noqa: E731

    browser.get(f"{server}/?token=wrong-token-0123456789")
    assert "Geen toegang" in body()
    browser.get(f"{server}/?token={TOKEN}")
    assert "Invoer uploaden" in body()

    broken = (
        (VELUWE / "networks.csv").read_text(encoding="utf-8").replace(";5;120;", ";vijf;120;", 1)
    )
    _upload(browser, server, _veluwe({"networks.csv": broken.encode()}, tmp_path / "kapot.zip"))
    cells = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "table.faults tbody td"))
    assert [c.text for c in cells[:3]] == ["networks.csv", "2", "meetings"]
    browser.save_screenshot(str(shots / "serve-faults.png"))

    big = tmp_path / "groot.zip"
    big.write_bytes(os.urandom(1200 * 1024))
    _upload(browser, server, big)
    assert "groter dan 1 MB" in body()
    _upload(browser, server, _zip({"../evil.csv": b"x"}, tmp_path / "evil.zip"))
    assert "onveilige bestandsnaam (../evil.csv)" in body()

    _upload(browser, server, _veluwe({}, tmp_path / "veluwe.zip"))
    _wait(browser, lambda d: "/u/" in d.current_url)
    limit = browser.find_element(By.NAME, "time_limit")
    limit.clear()
    limit.send_keys("3")
    browser.find_element(By.CSS_SELECTOR, "#plan button").click()
    seen: set[str] = set()

    def progressed(d: Any) -> bool:
        seen.add(d.find_element(By.ID, "line").text)
        return len(seen) >= 2 and any("geplaatst" in text for text in seen)

    _wait(browser, progressed)
    browser.save_screenshot(str(shots / "serve-progress.png"))
    stop = browser.find_elements(By.CSS_SELECTOR, "#stop button")
    if stop:
        stop[0].click()
    _wait(browser, lambda d: "/p/" in d.current_url, 30)
    assert "harde overtredingen" in body()
    browser.save_screenshot(str(shots / "serve-result.png"))

    href = browser.find_element(By.PARTIAL_LINK_TEXT, "zip").get_attribute("href")
    request = urllib.request.Request(href, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        data = response.read()
    archive = zipfile.ZipFile(io.BytesIO(data))
    archive.extractall(tmp_path / "unzipped")
    folder = next((tmp_path / "unzipped").iterdir())
    plan = read_plan(folder)
    assert (check(plan.problem, plan.schedule).hard_violations, len(plan.schedule)) == (0, 20)
    assert (shots / "serve-result.png").stat().st_size > 10_000
