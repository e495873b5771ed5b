"""The web app of ``dakpan serve``: :func:`create_app` builds it (FastAPI).

The layer is thin: the reader, the summary, the analysis, the planner, the
checker and the plan folder writers do the work; the routes only parse,
call them and render :mod:`planner.web.pages`. Safety lives in
:func:`_guard` (token, host, body size, session for CSRF, security headers).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hmac
import io
import json
import secrets
import tempfile
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from hashlib import sha256
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException

from planner.analyze import Analysis, analyze
from planner.problem import Problem
from planner.publish_common import PublishError
from planner.read import InputError, InputIssue, read_problem_with_warnings, summarize
from planner.template import write_template
from planner.web import pages
from planner.web.jobs import Job, JobQueue, run_job
from planner.web.publish import feeds_folder, publish_feeds
from planner.web.store import Store
from planner.web.texts import LANGUAGES, t
from planner.web.uploads import MAX_UPLOAD, UploadError

SESSION_COOKIE = "dakpan_session"
TOKEN_COOKIE = "dakpan_token"
LANG_COOKIE = "dakpan_lang"
MAX_TIME_LIMIT = 3600.0
"""Longest time limit a page may ask for, in seconds."""
_FORM_SLACK = 64 * 1024
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
)
_REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
_STATIC = {"app.js": "text/javascript", "style.css": "text/css"}
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
"""Host names accepted when the app is bound to the loopback interface."""


class _State:
    """What the routes share: store, queue, secrets, settings and caches."""

    def __init__(self, store: Store, token: str | None, max_upload: int, workers: int) -> None:
        self.store = store
        self.token = token
        self.max_upload = max_upload
        self.workers = workers
        self.secret = secrets.token_bytes(32)
        self.inputs: dict[str, tuple[Problem, list[str]]] = {}
        self.analyses: dict[str, Analysis] = {}
        self.jobs = JobQueue(self.run)

    def problem(self, uid: str) -> tuple[Problem, list[str]]:
        """The problem and warnings of an upload (read once, then cached)."""
        if uid not in self.inputs:
            self.inputs[uid] = read_problem_with_warnings(self.store.get(uid).input)
        return self.inputs[uid]

    def analysis(self, uid: str) -> Analysis:
        """The analysis (groups, settings, pairing advice) of an upload, cached."""
        if uid not in self.analyses:
            self.analyses[uid] = analyze(self.problem(uid)[0], figures=False)
        return self.analyses[uid]

    def run(self, job: Job) -> None:
        """Plan a job (called by the queue's worker thread)."""
        run_job(job, self.problem(job.upload)[0], self.store, self.workers)

    def csrf(self, session: str) -> str:
        """The CSRF token of a session."""
        return hmac.new(self.secret, session.encode(), sha256).hexdigest()[:32]


def _lang(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "")
    return lang if lang in LANGUAGES else LANGUAGES[0]


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status)


def _fail(request: Request, status: int, key: str, **values: object) -> HTMLResponse:
    lang = _lang(request)
    return _html(pages.error(lang, t(lang, key, **values)), status)


def _host_of(value: str) -> str:
    if value.startswith("["):
        return value.split("]", 1)[0] + "]"
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _token_given(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE, "")


def _install_guard(app: FastAPI, state: _State, allowed_hosts: frozenset[str] | None) -> None:
    """Add the middleware that checks every request before any route sees it."""

    @app.middleware("http")
    async def _guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        host = _host_of(request.headers.get("host", ""))
        if allowed_hosts is not None and host not in allowed_hosts:
            return _fail(request, 400, "bad_host")
        if state.token is not None and not hmac.compare_digest(
            _token_given(request).encode(), state.token.encode()
        ):
            return _fail(request, 403, "forbidden")
        if request.method == "POST":
            origin = request.headers.get("origin")
            if (
                origin
                and origin != "null"
                and origin.split("://", 1)[-1] != request.headers.get("host")
            ):
                return _fail(request, 403, "csrf")
            length = request.headers.get("content-length")
            if length is None or not length.isdigit():
                return _fail(request, 411, "no_length")
            if int(length) > state.max_upload + _FORM_SLACK:
                return _fail(request, 413, "too_large", mb=state.max_upload // (1024 * 1024))
        session = request.cookies.get(SESSION_COOKIE, "")
        fresh = len(session) != 32 or not all(c in "0123456789abcdef" for c in session)
        if fresh:
            session = secrets.token_hex(16)
        request.state.session = session
        response = await call_next(request)
        if fresh:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
        if state.token is not None and request.query_params.get("token"):
            response.set_cookie(TOKEN_COOKIE, state.token, httponly=True, samesite="strict")
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cache-Control", "no-store")
        return response


def _check_csrf(request: Request, state: _State, given: str) -> None:
    given = given or request.headers.get("x-csrf-token", "")
    if not hmac.compare_digest(given.encode(), state.csrf(request.state.session).encode()):
        raise HTTPException(403, "csrf")


def _payload(state: _State, job: Job, lang: str) -> dict[str, Any]:
    return {
        "state": job.state,
        "over": job.over,
        "line": pages.progress_line(job, lang, state.jobs.position(job)),
        "fraction": 1.0 if job.over else min(job.elapsed() / max(job.time_limit, 1e-9), 1.0),
        "result": f"/u/{job.upload}/p/{job.plan_id}" if job.plan_id else None,
        "explanation": list(job.explanation) or [t(lang, "explanation_missing")],
        "stopping": job.stop.is_set() and not job.over,
        "stopping_text": t(lang, "stopping"),
        "no_plan_text": t(lang, "no_plan_help"),
    }


def _zip_folder(folder: Path, prefix: str) -> bytes:
    """The files of a folder as a zip, in name order, under ``prefix/``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(folder).as_posix()}")
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def _number_field(request: Request, text: str, field: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        lang = _lang(request)
        raise HTTPException(400, t(lang, "bad_number", field=t(lang, field), low=low, high=high))
    return value


def create_app(
    data: Path,
    *,
    token: str | None = None,
    allowed_hosts: frozenset[str] | None = None,
    max_upload: int = MAX_UPLOAD,
    workers: int = 2,
) -> FastAPI:
    """The web app.

    Parameters
    ----------
    data
        The data folder: uploads and their plans (see :mod:`planner.web.store`).
    token
        When given, every request must carry it (``?token=`` once, then a
        cookie; or ``Authorization: Bearer``).
    allowed_hosts
        Host names the ``Host`` header may carry (against DNS rebinding),
        or ``None`` for any.
    max_upload
        Largest upload in bytes.
    workers
        CP-SAT search workers of the one solve that runs at a time.

    Returns
    -------
    FastAPI
        The app; ``app.state.dakpan`` holds its store and job queue.
    """
    state = _State(Store(data), token, max_upload, workers)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        state.jobs.shutdown()

    app = FastAPI(
        title="dakpan", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.dakpan = state
    _install_guard(app, state, allowed_hosts)
    _add_errors(app)
    _add_pages(app, state)
    _add_planning(app, state)
    _add_files(app, state)
    return app


def _add_errors(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        lang = _lang(request)
        known = {404: "not_found", 403: "forbidden"}
        detail = str(exc.detail)
        if detail == "csrf":
            message = t(lang, "csrf")
        elif exc.status_code in known and detail in {"", "Not Found", "Forbidden"}:
            message = t(lang, known[exc.status_code])
        else:
            message = detail
        return _html(pages.error(lang, message), exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(str(err.get("loc", ("?",))[-1]) for err in exc.errors())
        return _html(pages.error(_lang(request), f"{t(_lang(request), 'error')}: {fields}"), 400)


def _as_uploaded(issue: InputIssue, stored: str, name: str) -> InputIssue:
    """The issue with the stored file's name (``input.xlsx``) replaced by the uploaded one."""
    if issue.file == stored or issue.file.startswith(f"{stored},"):
        return dataclasses.replace(issue, file=name + issue.file[len(stored) :])
    return issue


def _upload(state: _State, uid: str) -> Any:
    try:
        return state.store.get(uid)
    except KeyError:
        raise HTTPException(404) from None


def _add_pages(app: FastAPI, state: _State) -> None:
    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        lang = _lang(request)
        csrf = state.csrf(request.state.session)
        mb = state.max_upload // (1024 * 1024)
        active = [
            (job, pages.progress_line(job, lang, state.jobs.position(job)))
            for job in state.jobs.jobs()
            if not job.over
        ]
        return _html(pages.home(lang, csrf, state.store.uploads(), mb, active))

    @app.get("/lang/{code}")
    def language(code: str, next: str = "/") -> Response:
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        response = RedirectResponse(target, status_code=303)
        if code in LANGUAGES:
            response.set_cookie(LANG_COOKIE, code, samesite="strict")
        return response

    @app.get("/static/{name}")
    def static(name: str) -> Response:
        if name not in _STATIC:
            raise HTTPException(404)
        data = resources.files("planner.web").joinpath("static", name).read_bytes()
        return Response(data, media_type=_STATIC[name])

    @app.get("/template.xlsx")
    def template() -> Response:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "dakpan-invoer.xlsx"
            write_template(path)
            data = path.read_bytes()
        return _download(data, "dakpan-invoer.xlsx", _XLSX)

    @app.post("/upload", response_class=HTMLResponse)
    async def upload(
        request: Request, file: Annotated[UploadFile, File()], csrf: Annotated[str, Form()] = ""
    ) -> HTMLResponse:
        _check_csrf(request, state, csrf)
        lang = _lang(request)
        name = file.filename or "upload"
        data = await file.read(state.max_upload + 1)
        if len(data) > state.max_upload:
            return _fail(request, 413, "too_large", mb=state.max_upload // (1024 * 1024))
        try:
            stored = await asyncio.to_thread(state.store.add, name, data)
        except UploadError as exc:
            return _fail(request, 400, exc.key, **exc.values)
        try:
            await asyncio.to_thread(state.problem, stored.id)
        except InputError as exc:
            state.store.remove(stored.id)
            issues = [_as_uploaded(i, stored.input.name, name) for i in exc.issues]
            return _html(pages.faults(lang, name, issues, []), 422)
        return RedirectResponse(f"/u/{stored.id}", status_code=303)  # type: ignore[return-value]

    @app.get("/u/{uid}", response_class=HTMLResponse)
    def overview(request: Request, uid: str) -> HTMLResponse:
        upload = _upload(state, uid)
        problem, warnings = state.problem(uid)
        defaults = (min(problem.settings.time_limit, MAX_TIME_LIMIT), problem.settings.seed)
        text = pages.overview(
            _lang(request),
            csrf=state.csrf(request.state.session),
            upload=upload,
            warnings=warnings,
            summary=summarize(problem),
            analysis=state.analysis(uid),
            plans=state.store.plans(uid),
            defaults=defaults,
        )
        return _html(text)

    @app.get("/u/{uid}/compare", response_class=HTMLResponse)
    def compare(request: Request, uid: str, a: str, b: str) -> HTMLResponse:
        upload = _upload(state, uid)
        try:
            chosen = [(pid, state.store.plan(uid, pid)) for pid in (a, b)]
        except KeyError:
            raise HTTPException(404) from None
        return _html(pages.compare(_lang(request), upload, chosen))


def _add_planning(app: FastAPI, state: _State) -> None:
    @app.post("/u/{uid}/plan")
    def start(
        request: Request,
        uid: str,
        *,
        time_limit: Annotated[str, Form()] = "",
        seed: Annotated[str, Form()] = "",
        hint: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        _check_csrf(request, state, csrf)
        _upload(state, uid)
        problem = state.problem(uid)[0]
        limit = _number_field(
            request, time_limit or str(problem.settings.time_limit), "time_limit", 1, MAX_TIME_LIMIT
        )
        seed_value = _number_field(
            request, seed or str(problem.settings.seed), "seed", 0, 2_147_483_647
        )
        placements: tuple[Any, ...] = ()
        if hint:
            try:
                earlier = state.store.plan(uid, hint)
            except KeyError:
                raise HTTPException(404) from None
            placements = tuple((m.network, m.date, m.start, m.venue) for m in earlier.schedule)
        job = state.jobs.submit(uid, limit, int(seed_value), placements)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    def find(job_id: str) -> Job:
        try:
            return state.jobs.get(job_id)
        except KeyError:
            raise HTTPException(404) from None

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(request: Request, job_id: str) -> HTMLResponse:
        job = find(job_id)
        lang = _lang(request)
        line = pages.progress_line(job, lang, state.jobs.position(job))
        return _html(pages.job_page(lang, state.csrf(request.state.session), job, line))

    @app.get("/jobs/{job_id}/state")
    def job_json(request: Request, job_id: str) -> Response:
        job = find(job_id)
        return Response(
            json.dumps(_payload(state, job, _lang(request))), media_type="application/json"
        )

    @app.get("/jobs/{job_id}/events")
    async def events(request: Request, job_id: str) -> StreamingResponse:
        job = find(job_id)
        lang = _lang(request)

        async def stream() -> AsyncIterator[str]:
            while True:
                yield f"data: {json.dumps(_payload(state, job, lang))}\n\n"
                if job.over:
                    yield "event: end\ndata: {}\n\n"
                    return
                if await request.is_disconnected():
                    return
                await asyncio.sleep(0.25)

        return StreamingResponse(stream(), media_type="text/event-stream")

    @app.post("/jobs/{job_id}/stop")
    def stop(request: Request, job_id: str, csrf: Annotated[str, Form()] = "") -> Response:
        _check_csrf(request, state, csrf)
        job = find(job_id)
        state.jobs.stop(job)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, name: str, media_type: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _add_files(app: FastAPI, state: _State) -> None:
    def folder(uid: str, pid: str) -> Path:
        try:
            return state.store.plan_dir(uid, pid)
        except KeyError:
            raise HTTPException(404) from None

    @app.get("/u/{uid}/p/{pid}", response_class=HTMLResponse)
    def result(request: Request, uid: str, pid: str) -> HTMLResponse:
        upload = _upload(state, uid)
        ics = folder(uid, pid) / "ics"
        names = sorted(p.name for p in ics.glob("*.ics")) if ics.is_dir() else []
        try:
            plan = state.store.plan(uid, pid)
        except KeyError:
            raise HTTPException(404) from None
        csrf = state.csrf(request.state.session)
        return _html(pages.result(_lang(request), csrf, upload, pid, plan=plan, calendars=names))

    @app.get("/u/{uid}/p/{pid}/plan.zip")
    def plan_zip(uid: str, pid: str) -> Response:
        data = _zip_folder(folder(uid, pid), f"plan-{pid}")
        return _download(data, f"plan-{pid}.zip", "application/zip")

    @app.get("/u/{uid}/p/{pid}/schedule.xlsx")
    def workbook(uid: str, pid: str) -> Response:
        path = folder(uid, pid) / "schedule.xlsx"
        if not path.is_file():
            raise HTTPException(404)
        return _download(path.read_bytes(), f"schedule-{pid}.xlsx", _XLSX)

    @app.get("/u/{uid}/p/{pid}/schedule.csv")
    def schedule_csv(uid: str, pid: str) -> Response:
        data = (folder(uid, pid) / "schedule.csv").read_bytes()
        return _download(data, f"schedule-{pid}.csv", "text/csv; charset=utf-8")

    @app.get("/u/{uid}/p/{pid}/report.html")
    def report(uid: str, pid: str) -> Response:
        path = folder(uid, pid) / "report.html"
        if not path.is_file():
            raise HTTPException(404)
        return HTMLResponse(
            path.read_text(encoding="utf-8"), headers={"Content-Security-Policy": _REPORT_CSP}
        )

    @app.post("/u/{uid}/p/{pid}/feeds")
    def feeds(
        request: Request,
        uid: str,
        pid: str,
        *,
        base_url: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        _check_csrf(request, state, csrf)
        plan_dir = folder(uid, pid)
        try:
            site = publish_feeds(state.store.root, plan_dir.parent.parent, plan_dir, base_url)
        except PublishError as exc:
            raise HTTPException(400, str(exc)) from None
        return _download(_zip_folder(site, f"feeds-{pid}"), f"feeds-{pid}.zip", "application/zip")

    @app.get("/u/{uid}/p/{pid}/links.csv")
    def links(uid: str, pid: str) -> Response:
        plan_dir = folder(uid, pid)
        path = feeds_folder(plan_dir.parent.parent, pid)[1]
        if not path.is_file():
            raise HTTPException(404)
        return _download(path.read_bytes(), f"links-{pid}.csv", "text/csv; charset=utf-8")

    @app.get("/u/{uid}/p/{pid}/ics/{name}")
    def calendar(uid: str, pid: str, name: str) -> Response:
        ics = folder(uid, pid) / "ics"
        names = {p.name for p in ics.glob("*.ics")} if ics.is_dir() else set()
        if name not in names:
            raise HTTPException(404)
        return _download((ics / name).read_bytes(), name, "text/calendar; charset=utf-8")
