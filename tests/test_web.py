"""The web app of ``dakpan serve`` through FastAPI's test client: every route, the error paths."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from planner.check import check
from planner.planfile import read_plan
from planner.solver import PlanResult, Status
from planner.web import jobs as jobs_module
from planner.web import uploads
from planner.web.app import LOOPBACK_HOSTS, create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parent.parent
VELUWE = ROOT / "samples" / "veluwe"


def zip_of(files: dict[str, bytes]) -> bytes:
    """A zip with the given entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def veluwe_zip(change: dict[str, bytes] | None = None) -> bytes:
    """The Veluwe sample as a zip of CSV files in one folder, with some files replaced."""
    files = {f"veluwe/{p.name}": p.read_bytes() for p in sorted(VELUWE.iterdir())}
    for name, data in (change or {}).items():
        files[f"veluwe/{name}"] = data
    return zip_of(files)


def csrf_of(client: TestClient) -> str:
    """The CSRF token of the client's session, from the start page's form."""
    found = re.search(r"name='csrf' value='([0-9a-f]+)'", client.get("/").text)
    assert found is not None
    return found.group(1)


def upload(client: TestClient, name: str, data: bytes, csrf: str) -> object:
    """POST an upload without following the redirect."""
    return client.post(
        "/upload",
        files={"file": (name, data, "application/zip")},
        data={"csrf": csrf},
        follow_redirects=False,
    )


def wait(client: TestClient, job_url: str, seconds: float = 30) -> dict[str, object]:
    """Poll a job's state until it is over."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        state: dict[str, object] = client.get(f"{job_url}/state").json()
        if state["over"]:
            return state
        time.sleep(0.1)
    raise AssertionError(f"{job_url} did not finish")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app with the Veluwe sample uploaded (module-wide: reading it takes a while)."""
    app = create_app(tmp_path_factory.mktemp("web") / "data")
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def veluwe(client: TestClient) -> str:
    """The overview URL of the uploaded Veluwe sample."""
    r = upload(client, "veluwe.zip", veluwe_zip(), csrf_of(client))
    assert r.status_code == 303  # type: ignore[attr-defined]
    location: str = r.headers["location"]  # type: ignore[attr-defined]
    return location


@pytest.fixture(scope="module")
def planned(client: TestClient, veluwe: str) -> str:
    """The result URL of a 2-second plan of the Veluwe sample."""
    r = client.post(
        f"{veluwe}/plan",
        data={"csrf": csrf_of(client), "time_limit": "2", "seed": "0"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    state = wait(client, r.headers["location"])
    assert state["state"] == "done"
    return str(state["result"])


# ---------------------------------------------------------------- pages and headers
def test_home_has_form_session_and_safety_headers(client: TestClient) -> None:
    """The start page holds the upload form with a CSRF token, the session cookie, the headers."""
    fresh = TestClient(client.app)
    r = fresh.get("/")
    assert r.status_code == 200
    assert "<form method='post' action='/upload' enctype='multipart/form-data'" in r.text
    assert "Invoer uploaden" in r.text
    assert re.search(
        r"dakpan_session=[0-9a-f]{32}; HttpOnly; Path=/; SameSite=strict", r.headers["set-cookie"]
    )
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"].startswith("default-src 'self';")
    assert "cdn" not in r.text.lower() and "http" not in r.text.split("<body>")[0]


def test_static_files_are_served_by_dakpan(client: TestClient) -> None:
    """app.js and style.css come from the installed package; other names are 404."""
    js = client.get("/static/app.js")
    css = client.get("/static/style.css")
    assert (js.status_code, js.headers["content-type"]) == (200, "text/javascript; charset=utf-8")
    assert "new EventSource(" in js.text
    assert (css.status_code, css.headers["content-type"]) == (200, "text/css; charset=utf-8")
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/evil.js").status_code == 404


def test_template_download_is_a_workbook(client: TestClient) -> None:
    """/template.xlsx is the empty input workbook as an attachment."""
    r = client.get("/template.xlsx")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="dakpan-invoer.xlsx"'
    assert zipfile.ZipFile(io.BytesIO(r.content)).testzip() is None


def test_language_switch_sets_cookie_and_refuses_other_sites(client: TestClient) -> None:
    """/lang/en switches to English; a next URL of another site goes to / instead."""
    c = TestClient(client.app)
    r = c.get("/lang/en?next=//evil.example/", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/")
    assert "Upload an input" in c.get("/").text
    r = c.get("/lang/xx?next=/u/x", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/u/x")
    c.get("/lang/nl")
    assert "Invoer uploaden" in c.get("/").text


# ---------------------------------------------------------------- uploads
def test_upload_shows_overview_with_analysis(client: TestClient, veluwe: str) -> None:
    """A valid upload leads to its overview: counts, networks, overlap, analysis, plan form."""
    r = client.get(veluwe)
    assert r.status_code == 200
    assert "<dt>netwerken</dt><dd>4</dd><dt>leden</dt><dd>30</dd>" in r.text
    assert "<td>vel-swv-po</td><td>vel-rea</td><td>4</td>" in r.text
    assert "<td>A</td><td>vel-swv-po, vel-swv-vo, vel-rea, vel-oab</td>" in r.text
    assert "Groep A (4 netwerken, 29 leden)" in r.text
    assert f"action='{veluwe}/plan'" in r.text
    listed = client.get("/").text
    assert f"<a href='{veluwe}'>veluwe.zip</a>" in listed


def test_bad_input_shows_located_faults_and_is_not_kept(client: TestClient) -> None:
    """A reader fault is shown as a row (file, row, column, message); nothing is stored."""
    before = client.get("/").text.count("<a href='/u/")
    text = (VELUWE / "networks.csv").read_text(encoding="utf-8").replace(";5;120;", ";vijf;120;", 1)
    r = upload(client, "kapot.zip", veluwe_zip({"networks.csv": text.encode()}), csrf_of(client))
    assert r.status_code == 422
    row = re.search(
        r"<tr><td>networks.csv</td><td>2</td><td>meetings</td><td>([^<]*)</td></tr>", r.text
    )
    assert row is not None and "vijf" in row.group(1)
    assert "De invoer heeft fouten" in r.text
    assert client.get("/").text.count("<a href='/u/") == before


def test_upload_file_name_is_escaped(client: TestClient) -> None:
    """A file name with HTML in it is shown as text, never as markup."""
    r = upload(client, "<script>alert(1)</script>.zip", veluwe_zip(), csrf_of(client))
    page = client.get(r.headers["location"]).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.zip" in page
    assert "<script>alert" not in page
    client.app.state.dakpan.store.remove(r.headers["location"].rsplit("/", 1)[1])


def test_upload_without_csrf_is_refused(client: TestClient) -> None:
    """An upload whose form lacks the session's CSRF token gets 403 and stores nothing."""
    r = upload(client, "veluwe.zip", veluwe_zip(), "0" * 32)
    assert r.status_code == 403
    assert "Het formulier is verlopen" in r.text


def test_upload_of_other_kind_is_refused(client: TestClient) -> None:
    """Only .xlsx, .xlsm and .zip are taken."""
    r = upload(client, "notes.txt", b"hello", csrf_of(client))
    assert r.status_code == 400
    assert "Alleen een werkmap (.xlsx) of een zip" in r.text


def test_workbook_that_is_not_a_zip_is_refused(client: TestClient) -> None:
    """An .xlsx that is not a zip archive is refused before the reader sees it."""
    r = upload(client, "fake.xlsx", b"not a workbook", csrf_of(client))
    assert r.status_code == 400
    assert "fake.xlsx is geen geldige werkmap of zip." in r.text


@pytest.mark.parametrize(
    "entry", ["../evil.csv", "/etc/evil.csv", "a\\..\\evil.csv", "C:/evil.csv"]
)
def test_zip_with_unsafe_names_is_refused(client: TestClient, tmp_path: Path, entry: str) -> None:
    """A zip entry whose name could leave the folder is refused; nothing is unpacked."""
    r = upload(client, "evil.zip", zip_of({entry: b"x", "networks.csv": b"id"}), csrf_of(client))
    assert r.status_code == 400
    assert f"bevat een onveilige bestandsnaam ({entry})" in r.text
    data = client.app.state.dakpan.store.root
    assert not list(data.parent.rglob("evil.csv"))


def test_zip_bomb_is_refused(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip that unpacks past the limit (here 1 MB for the test) is refused."""
    monkeypatch.setattr(uploads, "MAX_UNPACKED", 1024 * 1024)
    bomb = zip_of({"networks.csv": b"0" * (2 * 1024 * 1024)})
    assert len(bomb) < 10_000
    r = upload(client, "bomb.zip", bomb, csrf_of(client))
    assert r.status_code == 400
    assert "bomb.zip pakt uit tot meer dan 1 MB" in r.text


def test_zip_with_too_many_entries_or_two_folders_is_refused(client: TestClient) -> None:
    """Over 2000 entries is a bomb; CSV files in two folders are ambiguous."""
    many = zip_of({f"f{i}.csv": b"" for i in range(2001)})
    assert "pakt uit tot meer dan" in upload(client, "many.zip", many, csrf_of(client)).text
    two = zip_of({"a/networks.csv": b"id", "b/people.csv": b"id"})
    r = upload(client, "two.zip", two, csrf_of(client))
    assert (r.status_code, "zet alle CSV-bestanden in één map" in r.text) == (400, True)
    none = zip_of({"readme.txt": b"x"})
    assert "bevat geen CSV-bestanden" in upload(client, "none.zip", none, csrf_of(client)).text


def test_oversized_upload_is_refused(tmp_path: Path) -> None:
    """An upload over --max-upload-mb gets 413: by its file size, and by its body length."""
    with TestClient(create_app(tmp_path / "data", max_upload=1024)) as c:
        r = upload(c, "big.zip", b"PK\x03\x04" + b"0" * 2000, csrf_of(c))
        assert r.status_code == 413
        assert "groter dan 0 MB" in r.text
        r = upload(c, "huge.zip", b"0" * 100_000, csrf_of(c))
        assert r.status_code == 413
        assert not list((tmp_path / "data" / "uploads").iterdir())


def test_post_without_length_is_refused(client: TestClient) -> None:
    """A POST that does not state its length (chunked) gets 411."""
    r = client.post("/upload", content=iter([b"abc"]))
    assert r.status_code == 411


def test_upload_without_file_is_a_bad_request(client: TestClient) -> None:
    """A form without its file field gets 400 naming the field."""
    r = client.post("/upload", data={"csrf": csrf_of(client)})
    assert r.status_code == 400
    assert "Fout: file" in r.text


# ---------------------------------------------------------------- access
def test_token_is_required_on_every_request(tmp_path: Path) -> None:
    """With a token: none or a wrong one is 403 everywhere; the right one once sets a cookie."""
    token = "s3cret-token-0123456789"
    with TestClient(create_app(tmp_path / "data", token=token)) as c:
        assert c.get("/").status_code == 403
        assert c.get("/static/app.js").status_code == 403
        wrong = c.get("/?token=wrong-token-0123456789")
        assert (wrong.status_code, "Geen toegang" in wrong.text) == (403, True)
        assert c.get(f"/?token={token}").status_code == 200
        assert c.get("/static/app.js").status_code == 200
        other = TestClient(c.app)
        assert other.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert other.get("/", headers={"Authorization": "Bearer nope"}).status_code == 403


def test_unknown_host_is_refused_on_loopback(tmp_path: Path) -> None:
    """Bound to 127.0.0.1, a request for another host name (DNS rebinding) gets 400."""
    app = create_app(tmp_path / "data", allowed_hosts=LOOPBACK_HOSTS)
    assert TestClient(app).get("/").status_code == 400
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/").status_code == 200
    assert TestClient(app, base_url="http://localhost:8000").get("/").status_code == 200


def test_post_from_another_origin_is_refused(client: TestClient) -> None:
    """A form posted from another site (Origin header) gets 403."""
    r = client.post(
        "/upload", data={"csrf": csrf_of(client)}, headers={"Origin": "https://evil.example"}
    )
    assert r.status_code == 403


def test_unknown_ids_are_not_found(client: TestClient, veluwe: str) -> None:
    """Unknown or malformed upload, plan, job and calendar ids give 404."""
    for url in (
        "/u/0123456789abcdef",
        "/u/..%2F..%2Fetc",
        f"{veluwe}/p/p999",
        f"{veluwe}/p/..%2Fmeta.json",
        f"{veluwe}/p/p999/plan.zip",
        f"{veluwe}/p/p999/report.html",
        "/jobs/nope",
        "/jobs/nope/state",
        "/jobs/nope/events",
        f"{veluwe}/compare?a=p001&b=p999",
    ):
        r = client.get(url)
        assert (url, r.status_code) == (url, 404)
        assert "Niet gevonden." in r.text
    assert client.post("/jobs/nope/stop", data={"csrf": csrf_of(client)}).status_code == 404


# ---------------------------------------------------------------- planning
def test_plan_form_values_are_checked(client: TestClient, veluwe: str) -> None:
    """Time limit 1..3600, seed 0..2^31-1, the CSRF token and the hint plan are checked."""
    csrf = csrf_of(client)
    for data, status, text in (
        ({"time_limit": "0"}, 400, "rekentijd (seconden) moet een getal tussen 1 en 3600"),
        ({"time_limit": "abc"}, 400, "rekentijd (seconden) moet een getal"),
        ({"seed": "-1"}, 400, "startgetal (seed) moet een getal tussen 0"),
        ({"hint": "p999"}, 404, "Niet gevonden."),
    ):
        r = client.post(f"{veluwe}/plan", data={"csrf": csrf, **data})
        assert (r.status_code, text in r.text) == (status, True)
    assert client.post(f"{veluwe}/plan", data={"time_limit": "1"}).status_code == 403


def test_plan_result_and_downloads(client: TestClient, planned: str) -> None:
    """A 2 s plan: result page, zip, workbook, CSV, report (own CSP), calendar files."""
    page = client.get(planned)
    assert page.status_code == 200
    assert "<td>harde overtredingen</td><td>0</td>" in page.text
    assert f"<iframe class='report' src='{planned}/report.html' sandbox>" in page.text
    z = zipfile.ZipFile(io.BytesIO(client.get(f"{planned}/plan.zip").content))
    names = z.namelist()
    assert {"plan-p001/plan.json", "plan-p001/schedule.csv", "plan-p001/report.html"} <= set(names)
    workbook = client.get(f"{planned}/schedule.xlsx")
    assert workbook.headers["content-disposition"] == 'attachment; filename="schedule-p001.xlsx"'
    assert client.get(f"{planned}/schedule.csv").text.startswith(
        "meeting,network,seq,date,start,end,venue,session,attendees"
    )
    report = client.get(f"{planned}/report.html")
    assert report.headers["content-security-policy"].startswith("default-src 'none';")
    calendar = re.search(r"<a href='([^']+/ics/all.ics)'>all.ics</a>", page.text)
    assert calendar is not None
    ics = client.get(calendar.group(1))
    assert (ics.status_code, ics.text.startswith("BEGIN:VCALENDAR")) == (200, True)
    assert client.get(f"{planned}/ics/..%2Fplan.json").status_code == 404
    assert client.get(f"{planned}/ics/none.ics").status_code == 404


def test_downloaded_zip_passes_the_checker(
    client: TestClient, planned: str, tmp_path: Path
) -> None:
    """The zip unpacks to a plan folder that read_plan reads and the checker passes."""
    zipfile.ZipFile(io.BytesIO(client.get(f"{planned}/plan.zip").content)).extractall(tmp_path)
    plan = read_plan(tmp_path / "plan-p001")
    report = check(plan.problem, plan.schedule)
    assert (report.hard_violations, len(plan.schedule)) == (0, 20)


def test_events_stream_of_a_finished_job(client: TestClient, planned: str) -> None:
    """The server-sent events of a finished job: one state with the result, then the end event."""
    job = next(j for j in client.app.state.dakpan.jobs.jobs() if j.plan_id == "p001")
    r = client.get(f"/jobs/{job.id}/events")
    assert r.headers["content-type"].startswith("text/event-stream")
    assert r.text.startswith("data: {")
    assert f'"result": "{planned}"' in r.text
    assert r.text.endswith("event: end\ndata: {}\n\n")
    page = client.get(f"/jobs/{job.id}")
    assert "<p id='line' aria-live='polite'>Klaar</p>" in page.text
    assert "id='stop'" not in page.text
    assert f"<a id='result' href='{planned}'>Naar het resultaat</a>" in page.text


def test_queue_is_visible_and_stop_keeps_best_plan(
    client: TestClient, veluwe: str, planned: str
) -> None:
    """Two jobs: the second waits at place 1 and is cancelled; Stop ends the first with a plan."""
    csrf = csrf_of(client)
    first = client.post(
        f"{veluwe}/plan",
        data={"csrf": csrf, "time_limit": "30", "hint": "p001"},
        follow_redirects=False,
    ).headers["location"]
    end = time.monotonic() + 20
    while client.get(f"{first}/state").json()["state"] == "queued":
        assert time.monotonic() < end
        time.sleep(0.05)
    second = client.post(
        f"{veluwe}/plan", data={"csrf": csrf, "time_limit": "30"}, follow_redirects=False
    ).headers["location"]
    assert client.get(f"{second}/state").json()["line"] == "In de wachtrij: plaats 1"
    home = client.get("/").text
    assert f"<li><a href='{second}'>In de wachtrij: plaats 1</a></li>" in home
    assert "id='stop'" in client.get(first).text
    assert (
        client.post(f"{second}/stop", data={"csrf": csrf}, follow_redirects=False).status_code
        == 303
    )
    assert client.get(f"{second}/state").json()["state"] == "cancelled"
    end = time.monotonic() + 20
    while client.get(f"{first}/state").json()["line"].find("geplaatst") < 0:
        assert time.monotonic() < end
        time.sleep(0.1)
    assert client.post(f"{first}/stop", data={"csrf": "bad"}).status_code == 403
    started = time.monotonic()
    client.post(f"{first}/stop", data={"csrf": csrf})
    state = wait(client, first)
    assert state["state"] == "done" and time.monotonic() - started < 10
    compare = client.get(f"{veluwe}/compare?a=p001&b={str(state['result']).rsplit('/', 1)[1]}")
    assert compare.status_code == 200
    assert "<th>kengetal</th><th>p001</th><th>p002</th><th>ieder apart</th>" in compare.text


def test_no_plan_shows_the_explanation(
    client: TestClient, veluwe: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the planner finds no plan, the job ends as noplan with the planner's explanation."""
    result = PlanResult(Status.INFEASIBLE, explanation=("vel-oab: 6 meetings do not fit",))
    monkeypatch.setattr(jobs_module, "plan", lambda problem, options: result)
    url = client.post(
        f"{veluwe}/plan", data={"csrf": csrf_of(client), "time_limit": "1"}, follow_redirects=False
    ).headers["location"]
    state = wait(client, url)
    assert (state["state"], state["explanation"]) == ("noplan", ["vel-oab: 6 meetings do not fit"])
    assert state["line"] == "Geen planning"
    page = client.get(url).text
    assert (
        "<p id='next'>Er is geen planning gemaakt. Uitleg: vel-oab: 6 meetings do not fit</p>"
        in page
    )


def test_failing_planner_marks_the_job_failed(
    client: TestClient, veluwe: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error inside the planner ends the job as failed; the queue goes on."""

    def broken(problem: object, options: object) -> PlanResult:
        raise RuntimeError("boom")

    monkeypatch.setattr(jobs_module, "plan", broken)
    url = client.post(
        f"{veluwe}/plan", data={"csrf": csrf_of(client), "time_limit": "1"}, follow_redirects=False
    ).headers["location"]
    assert wait(client, url)["line"] == "Mislukt"


def test_static_files_are_package_data() -> None:
    """Every file of planner/web/static matches a package-data pattern, so wheels ship it."""
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["planner"]
    static = sorted((ROOT / "planner" / "web" / "static").iterdir())
    shipped = [
        p.name
        for p in static
        if any(fnmatch.fnmatch(p.relative_to(ROOT / "planner").as_posix(), pat) for pat in patterns)
    ]
    assert shipped == ["app.js", "style.css"] == [p.name for p in static]


def test_publish_feeds_of_a_plan(client: TestClient, planned: str) -> None:
    """The feed folder of a plan comes as a zip; links.csv then lists each member's address."""
    csrf = csrf_of(client)
    assert client.get(f"{planned}/links.csv").status_code == 404
    assert f"<form method='post' action='{planned}/feeds' id='feeds'>" in client.get(planned).text
    bad = client.post(f"{planned}/feeds", data={"csrf": csrf, "base_url": "ftp://x"})
    assert (bad.status_code, "must start with https://" in bad.text) == (400, True)
    assert client.post(f"{planned}/feeds", data={"base_url": ""}).status_code == 403
    r = client.post(
        f"{planned}/feeds", data={"csrf": csrf, "base_url": "https://agenda.example.org/d"}
    )
    assert r.headers["content-disposition"] == 'attachment; filename="feeds-p001.zip"'
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert {"feeds-p001/index.html", "feeds-p001/all.ics", "feeds-p001/p/index.html"} <= set(names)
    assert sum(1 for n in names if n.startswith("feeds-p001/p/") and n.endswith(".ics")) == 30
    links = client.get(f"{planned}/links.csv").text.splitlines()
    assert links[0] == "person,name,email,url"
    assert len(links) == 31
    assert links[1].split(",")[3].startswith("https://agenda.example.org/d/p/")


def test_empty_template_workbook_shows_sheet_faults(client: TestClient) -> None:
    """The empty template uploaded as is: faults by the uploaded name, sheet, row and column."""
    data = client.get("/template.xlsx").content
    r = upload(client, "mijn-invoer.xlsx", data, csrf_of(client))
    assert r.status_code == 422
    assert (
        "<tr><td>mijn-invoer.xlsx, sheet networks</td><td></td><td></td><td>has no rows" in r.text
    )
    assert "<tr><td>mijn-invoer.xlsx, sheet settings</td><td>2</td><td>value</td>" in r.text
