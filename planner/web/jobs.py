"""One solve at a time: a queue of planning jobs run by one worker thread.

:func:`run_job` is the one place where the web app calls the planner
(:func:`planner.solver.plan`); everything else only reads the job's state.
"""

from __future__ import annotations

import logging
import queue
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from planner.baseline import baseline as build_baseline
from planner.check import check
from planner.planrun import solver_info, write_planned
from planner.problem import Problem
from planner.solver import Progress, SolveOptions, Status, plan
from planner.web.store import Store

log = logging.getLogger(__name__)

FINISHED = frozenset({"done", "noplan", "failed", "cancelled"})
"""Job states after which nothing changes."""


@dataclass(slots=True)
class Job:
    """A planning job and what is known of it (written by the worker, read by the pages).

    Attributes
    ----------
    id, upload
        The job's id and its upload's id.
    time_limit, seed
        The solve's options.
    hint
        Placements of an earlier plan to start from.
    state
        ``queued``, ``running``, ``done``, ``noplan``, ``failed`` or ``cancelled``.
    progress
        The latest progress report of the planner.
    baseline_km, baseline_trips
        The baseline's travel and trips (for "saved against the baseline").
    plan_id
        The plan written, when ``done``.
    status
        The planner's status (``optimal``, ``feasible``, ...), once finished.
    explanation
        Why there is no plan, when ``noplan``.
    """

    id: str
    upload: str
    time_limit: float
    seed: int
    hint: tuple[tuple[str, date, int, str], ...] = ()
    state: str = "queued"
    progress: Progress | None = None
    baseline_km: float | None = None
    baseline_trips: int | None = None
    started: float | None = None
    finished: float | None = None
    plan_id: str | None = None
    status: str = ""
    explanation: tuple[str, ...] = ()
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def over(self) -> bool:
        """Whether the job has finished (in any way)."""
        return self.state in FINISHED

    def elapsed(self) -> float:
        """Seconds since the solve started (0 while queued)."""
        if self.started is None:
            return 0.0
        return (self.finished or time.monotonic()) - self.started


def run_job(job: Job, problem: Problem, store: Store, workers: int) -> None:
    """Plan a job's problem and write its plan folder into the store.

    Parameters
    ----------
    job
        The job; its state, progress and outcome are updated here.
    problem
        The upload's problem.
    store
        Where the plan folder goes.
    workers
        CP-SAT search workers.
    """
    base = check(problem, build_baseline(problem))
    job.baseline_km = base.figures.travel_km
    job.baseline_trips = base.figures.trips
    options = SolveOptions(
        time_limit=job.time_limit,
        seed=job.seed,
        workers=workers,
        hint=job.hint,
        on_progress=lambda p: setattr(job, "progress", p),
        stop=job.stop,
    )
    result = plan(problem, options)
    job.status = result.status.value
    if result.schedule is None:
        job.explanation = result.explanation or (
            ("infeasible",) if result.status is Status.INFEASIBLE else ()
        )
        job.state = "noplan"
        return
    pid, out = store.new_plan_dir(job.upload)
    try:
        write_planned(out, problem, result.schedule, solver_info(result), baseline_report=base)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    job.plan_id = pid
    job.state = "done"


class JobQueue:
    """Jobs waiting and running, one at a time, in a daemon worker thread.

    Parameters
    ----------
    runner
        Called with each job in turn (e.g. a closure over :func:`run_job`).
    """

    def __init__(self, runner: Callable[[Job], None]) -> None:
        self._runner = runner
        self._jobs: dict[str, Job] = {}
        self._waiting: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._work, name="dakpan-jobs", daemon=True)
        self._thread.start()

    def submit(
        self,
        upload: str,
        time_limit: float,
        seed: int,
        hint: tuple[tuple[str, date, int, str], ...] = (),
    ) -> Job:
        """Queue a new job and return it."""
        job = Job(secrets.token_hex(8), upload, time_limit, seed, hint)
        with self._lock:
            self._jobs[job.id] = job
            self._waiting.append(job.id)
        self._queue.put(job.id)
        return job

    def get(self, job_id: str) -> Job:
        """The job ``job_id``; :class:`KeyError` when unknown."""
        return self._jobs[job_id]

    def jobs(self) -> list[Job]:
        """Every job of this run of the app, oldest first."""
        return list(self._jobs.values())

    def position(self, job: Job) -> int:
        """The job's place in the queue: 1 is next, 0 when it is not waiting."""
        with self._lock:
            return self._waiting.index(job.id) + 1 if job.id in self._waiting else 0

    def stop(self, job: Job) -> None:
        """Stop a running job (its best plan is kept) or cancel a waiting one."""
        with self._lock:
            if job.id in self._waiting:
                self._waiting.remove(job.id)
                job.state = "cancelled"
                job.finished = time.monotonic()
        job.stop.set()

    def shutdown(self) -> None:
        """Stop every job and end the worker thread."""
        for job in list(self._jobs.values()):
            self.stop(job)
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _work(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            job = self._jobs[job_id]
            with self._lock:
                if job.id not in self._waiting:
                    continue
                self._waiting.remove(job.id)
                job.state = "running"
                job.started = time.monotonic()
            try:
                self._runner(job)
            except Exception:
                log.exception("planning job %s failed", job.id)
                job.state = "failed"
            finally:
                job.finished = time.monotonic()
