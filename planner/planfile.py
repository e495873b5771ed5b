"""Plan files: ``schedule.csv``, ``plan.json`` and the plan folder.

``schedule.csv`` (written by :func:`write_schedule_csv`)
    One row a meeting with exactly the columns
    ``meeting,network,seq,date,start,end,venue,session,attendees``, sorted by
    date, start, venue (then network). Dates ``YYYY-MM-DD``, times ``HH:MM``,
    attendees (person ids, required and optional) ``;``-separated. The file
    is UTF-8 *without* a byte-order mark, separated by ``,``, with ``\\n``
    line ends and CSV quoting only where a cell needs it; the same schedule
    always gives the same bytes.

    :func:`read_schedule_csv` is tolerant of what a coordinator's Excel may do
    to the file: UTF-8 with a BOM or Windows-1252, ``;`` (or tab) as the
    separator, column names in any case and order, extra columns (ignored),
    empty rows, ``D-M-YYYY`` dates, ``H:MM``/``HH:MM:SS`` times and
    ``,``-separated attendees. Only ``network``, ``date``, ``start`` and
    ``venue`` are required; ``end`` may be left out when a problem is given
    (start + the network's duration), ``seq`` and ``meeting`` are then
    numbered per network by date and start, ``session`` is derived from date
    and venue and ``attendees`` from the memberships. Faults raise
    :class:`~planner.read.InputError` naming file, row (header is row 1) and
    column.

``plan.json`` (written by :func:`write_plan_json`)
    The format marker and version, the dakpan version, the sha256
    :func:`input_hash` of the input, the whole input problem
    (:func:`problem_to_dict`, so a plan folder is self-contained), the
    settings, the meetings (as in ``schedule.csv``), the figures of
    :func:`planner.check.check`, the baseline's figures and the ratios plan /
    baseline, and the solver's :class:`SolverInfo`. There is no wall-clock
    timestamp: the same plan gives the same bytes except for the solver's
    timings.

A plan folder is written by :func:`write_plan_folder` through
:func:`atomic_output_dir`: into a temporary sibling folder that replaces the
target only when everything was written.

This module holds ``plan.json`` and the plan folder; ``schedule.csv`` lives in
:mod:`planner.planfile_csv` and the problem as a dict (with the input hash) in
:mod:`planner.planfile_problem`. Every public name of theirs is offered here
too (:data:`__all__`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from planner import __version__
from planner.baseline import baseline as build_baseline
from planner.check import CheckReport, check, ratios
from planner.outdir import PLAN_FILES, OutputFolderError, atomic_folder
from planner.planfile_csv import (
    SCHEDULE_COLUMNS,
    read_schedule_csv,
    schedule_csv_text,
    write_schedule_csv,
)
from planner.planfile_problem import (
    _opt_float,
    _time_from,
    canonical_json,
    input_hash,
    problem_from_dict,
    problem_to_dict,
)
from planner.problem import Problem, ProblemError, fmt_time
from planner.read import InputError, InputIssue
from planner.safety import json_depth_problem, read_file_bytes
from planner.schedule import Schedule, ScheduledMeeting

__all__ = [
    "PLAN_FORMAT",
    "PLAN_FORMAT_VERSION",
    "PLAN_JSON",
    "SCHEDULE_COLUMNS",
    "SCHEDULE_CSV",
    "SOLVER_STATUSES",
    "Plan",
    "PlanFolderError",
    "SolverInfo",
    "atomic_output_dir",
    "canonical_json",
    "input_hash",
    "plan_dict",
    "problem_from_dict",
    "problem_to_dict",
    "read_plan",
    "read_schedule_csv",
    "schedule_csv_text",
    "write_plan_folder",
    "write_plan_json",
    "write_schedule_csv",
]

SCHEDULE_CSV = "schedule.csv"
PLAN_JSON = "plan.json"
PLAN_FORMAT = "dakpan-plan"
PLAN_FORMAT_VERSION = 1
"""Version of the ``plan.json`` layout this module writes (and the newest it reads)."""

SOLVER_STATUSES: tuple[str, ...] = ("optimal", "feasible", "infeasible", "unknown", "baseline")


# =============================================================== solver info
@dataclass(frozen=True, slots=True)
class SolverInfo:
    """How a schedule was found.

    Attributes
    ----------
    status
        ``optimal``, ``feasible``, ``infeasible``, ``unknown`` or ``baseline``.
    objective
        Objective value of the schedule, if any.
    bound
        Best proven lower bound, if any.
    gap
        Relative gap ``(objective - bound) / objective``, if known.
    wall_seconds
        Solver wall time in seconds (a duration, not a timestamp).
    first_solution_seconds
        Seconds until the first solution, if known.
    time_limit
        The time limit in seconds.
    seed
        The random seed.
    workers
        Number of search workers.
    objective_terms
        Value of each term of the objective (e.g. ``travel_km``).
    judged_waits
        Per person and day with a wait over ``long_wait`` minutes: ``(person, date,
        verdict, extra_km)``, the verdict ``fixed`` (no timing of that day's meetings
        at their dates and venues avoids it, proven), ``retime`` (one does, costing
        ``extra_km`` km-equivalents more under the weights) or ``unjudged`` (see
        :mod:`planner.solver.waits`). In ``plan.json``: ``judged_waits``, a list of
        objects with these four keys (a dakpan extension of the contract).

    In ``plan.json`` a non-finite ``objective``, ``bound``, ``gap`` or
    ``first_solution_seconds`` (e.g. an infinite gap) is written as ``null``.
    """

    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    wall_seconds: float
    first_solution_seconds: float | None
    time_limit: float
    seed: int
    workers: int
    objective_terms: Mapping[str, float] = field(default_factory=dict)
    judged_waits: tuple[tuple[str, date, str, float | None], ...] = ()

    def __post_init__(self) -> None:
        if self.status not in SOLVER_STATUSES:
            raise ValueError(
                f"solver status {self.status!r} is not one of {', '.join(SOLVER_STATUSES)}"
            )

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (objective terms sorted by name)."""
        return {
            "status": self.status,
            "objective": _opt_float(self.objective),
            "bound": _opt_float(self.bound),
            "gap": _opt_float(self.gap),
            "wall_seconds": float(self.wall_seconds),
            "first_solution_seconds": _opt_float(self.first_solution_seconds),
            "time_limit": float(self.time_limit),
            "seed": int(self.seed),
            "workers": int(self.workers),
            "objective_terms": {
                k: float(self.objective_terms[k]) for k in sorted(self.objective_terms)
            },
            "judged_waits": [
                {"person": p, "date": d.isoformat(), "verdict": v, "extra_km": _opt_float(x)}
                for p, d, v, x in self.judged_waits
            ],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SolverInfo:
        """Inverse of :meth:`to_dict`."""
        return cls(
            status=str(d["status"]),
            objective=_opt_float(d.get("objective")),
            bound=_opt_float(d.get("bound")),
            gap=_opt_float(d.get("gap")),
            wall_seconds=float(d["wall_seconds"]),
            first_solution_seconds=_opt_float(d.get("first_solution_seconds")),
            time_limit=float(d["time_limit"]),
            seed=int(d["seed"]),
            workers=int(d["workers"]),
            objective_terms={str(k): float(v) for k, v in d.get("objective_terms", {}).items()},
            judged_waits=tuple(
                (
                    str(j["person"]),
                    date.fromisoformat(str(j["date"])),
                    str(j["verdict"]),
                    _opt_float(j.get("extra_km")),
                )
                for j in d.get("judged_waits", [])
            ),
        )


# =============================================================== plan.json
def _meeting_dict(m: ScheduledMeeting) -> dict[str, Any]:
    return {
        "meeting": m.meeting,
        "network": m.network,
        "seq": m.seq,
        "date": m.date.isoformat(),
        "start": fmt_time(m.start),
        "end": fmt_time(m.end),
        "venue": m.venue,
        "session": m.session,
        "attendees": list(m.attendees),
    }


def _meeting_from(d: Mapping[str, Any]) -> ScheduledMeeting:
    return ScheduledMeeting(
        meeting=str(d["meeting"]),
        network=str(d["network"]),
        seq=int(d["seq"]),
        date=date.fromisoformat(d["date"]),
        start=_time_from(d["start"]),
        end=_time_from(d["end"]),
        venue=str(d["venue"]),
        session=str(d["session"]),
        attendees=tuple(str(a) for a in d["attendees"]),
    )


def plan_dict(
    problem: Problem,
    schedule: Schedule,
    *,
    solver: SolverInfo | None,
    report: CheckReport,
    baseline: CheckReport | None,
) -> dict[str, Any]:
    """The content of ``plan.json`` as a dict (see :func:`write_plan_json`)."""
    pdict = problem_to_dict(problem)
    figures = report.figures_dict()
    base = baseline.figures_dict() if baseline is not None else None
    return {
        "format": PLAN_FORMAT,
        "format_version": PLAN_FORMAT_VERSION,
        "dakpan_version": __version__,
        "input_hash": hashlib.sha256(canonical_json(pdict).encode("utf-8")).hexdigest(),
        "settings": pdict["settings"],
        "solver": solver.to_dict() if solver is not None else None,
        "figures": figures,
        "baseline": base,
        "ratios": ratios(figures, base) if base is not None else None,
        "meetings": [
            _meeting_dict(m) for m in sorted(schedule.meetings, key=ScheduledMeeting.sort_key)
        ],
        "problem": pdict,
    }


def write_plan_json(
    path: str | Path,
    problem: Problem,
    schedule: Schedule,
    *,
    solver: SolverInfo | None,
    report: CheckReport,
    baseline: CheckReport | None,
) -> None:
    """Write ``plan.json``.

    Keys, in order: ``format`` (``"dakpan-plan"``), ``format_version``,
    ``dakpan_version``, ``input_hash``, ``settings``, ``solver``
    (:meth:`SolverInfo.to_dict` or ``null``), ``figures``
    (:meth:`~planner.check.CheckReport.figures_dict` of ``report``),
    ``baseline`` (the same for the baseline, or ``null``), ``ratios``
    (:func:`planner.check.ratios`, or ``null``), ``meetings`` (as in
    ``schedule.csv``, attendees as a list) and ``problem``
    (:func:`problem_to_dict`). UTF-8, indented by 2, ``\\n`` line ends.

    Parameters
    ----------
    path
        File to write.
    problem, schedule
        The plan.
    solver
        How it was found (``None`` for a hand-made schedule).
    report
        ``check(problem, schedule)``.
    baseline
        ``check(problem, baseline(problem))``, or ``None``.
    """
    data = plan_dict(problem, schedule, solver=solver, report=report, baseline=baseline)
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    Path(path).write_bytes(text.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Plan:
    """A plan folder read back by :func:`read_plan`.

    Attributes
    ----------
    problem
        The input problem embedded in ``plan.json``.
    schedule
        The meetings (from ``plan.json``, or ``schedule.csv`` if asked).
    solver
        How it was found, or ``None``.
    figures
        ``plan.json``'s figures (as :meth:`~planner.check.CheckReport.figures_dict`).
    baseline
        The baseline's figures, or ``None``.
    ratios
        Plan / baseline per headline figure, or ``None``.
    input_hash
        The hash recorded in ``plan.json``.
    dakpan_version
        The dakpan version that wrote it.
    format_version
        Its ``plan.json`` layout version.
    """

    problem: Problem
    schedule: Schedule
    solver: SolverInfo | None
    figures: Mapping[str, Any]
    baseline: Mapping[str, Any] | None
    ratios: Mapping[str, float | None] | None
    input_hash: str
    dakpan_version: str
    format_version: int

    @property
    def hash_matches(self) -> bool:
        """Whether the recorded hash is the hash of the embedded problem."""
        return self.input_hash == input_hash(self.problem)


def read_plan(plan_dir: str | Path, *, schedule_from_csv: bool = False) -> Plan:
    """Read a plan folder (its ``plan.json``).

    Parameters
    ----------
    plan_dir
        The folder (or its ``plan.json`` itself).
    schedule_from_csv
        Take the meetings from the folder's ``schedule.csv`` (which people may
        have edited) instead of from ``plan.json``; the figures stay those of
        ``plan.json``.

    Returns
    -------
    Plan
        Problem, schedule, solver info and figures.

    Raises
    ------
    InputError
        If the folder holds no readable ``plan.json`` (or ``schedule.csv`` when
        asked for), naming the file and, where known, the line or key.
    """
    folder = Path(plan_dir)
    path = folder if folder.is_file() else folder / PLAN_JSON
    if path.is_file():
        folder = path.parent
    label = str(path)
    try:
        text = read_file_bytes(path).decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            [InputIssue(label, None, None, f"does not exist: {folder} is not a plan folder")]
        ) from None
    except (OSError, ValueError) as exc:
        raise InputError([InputIssue(label, None, None, f"cannot be read: {exc}")]) from None
    deep = json_depth_problem(text)
    if deep is not None:
        raise InputError([InputIssue(label, None, None, deep)])
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError([InputIssue(label, None, None, "is nested too deeply")]) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            [InputIssue(label, exc.lineno, None, f"not valid JSON: {exc.msg} (column {exc.colno})")]
        ) from None
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise InputError(
            [InputIssue(label, None, "format", f'not a dakpan plan (no "format": "{PLAN_FORMAT}")')]
        )
    version = data.get("format_version")
    if not isinstance(version, int) or version > PLAN_FORMAT_VERSION:
        raise InputError(
            [
                InputIssue(
                    label,
                    None,
                    "format_version",
                    f"format version {version!r} is not supported (this dakpan reads up to "
                    f"{PLAN_FORMAT_VERSION}; written by dakpan {data.get('dakpan_version')})",
                )
            ]
        )
    key = "problem"
    try:
        problem = problem_from_dict(data["problem"])
        key = "meetings"
        found = []
        for i, m in enumerate(data["meetings"]):
            key = f"meetings[{i}]" + (f" ({m.get('meeting')})" if isinstance(m, dict) else "")
            found.append(_meeting_from(m))
        key = "meetings"
        meetings = tuple(found)
        key = "solver"
        solver = SolverInfo.from_dict(data["solver"]) if data.get("solver") is not None else None
        key = "figures"
        figures = dict(data["figures"])
        baseline = dict(data["baseline"]) if data.get("baseline") is not None else None
        plan_ratios = dict(data["ratios"]) if data.get("ratios") is not None else None
        key = "input_hash"
        recorded = str(data["input_hash"])
    except KeyError as exc:
        raise InputError(
            [InputIssue(label, None, key, f"key {exc.args[0]!r} is missing")]
        ) from None
    except (TypeError, ValueError, AttributeError) as exc:
        messages = exc.messages if isinstance(exc, ProblemError) else [str(exc)]
        raise InputError([InputIssue(label, None, key, m) for m in messages]) from None
    schedule = Schedule(tuple(sorted(meetings, key=ScheduledMeeting.sort_key)))
    if schedule_from_csv:
        schedule = read_schedule_csv(folder / SCHEDULE_CSV, problem)
    return Plan(
        problem=problem,
        schedule=schedule,
        solver=solver,
        figures=figures,
        baseline=baseline,
        ratios=plan_ratios,
        input_hash=recorded,
        dakpan_version=str(data.get("dakpan_version", "")),
        format_version=version,
    )


# =============================================================== plan folder
#: The output path may not be written (see :func:`planner.outdir.folder_problem`).
PlanFolderError = OutputFolderError


@contextmanager
def atomic_output_dir(out: str | Path) -> Iterator[Path]:
    """Write a plan folder atomically: yield a temporary sibling, then swap it into place.

    See :func:`planner.outdir.atomic_folder`: ``out`` may be missing, empty
    or a plan folder dakpan wrote; it always holds the old or the new plan;
    only dakpan's own files of the old plan are removed.

    Parameters
    ----------
    out
        The folder to create or replace.

    Yields
    ------
    Path
        The temporary folder to write into.

    Raises
    ------
    PlanFolderError
        (before anything is written) if ``out`` may not be replaced.
    """
    with atomic_folder(out, owned=PLAN_FILES, kind="plan") as tmp:
        yield tmp


def _write_workbook(
    folder: Path, problem: Problem, schedule: Schedule, report: CheckReport, base: CheckReport
) -> None:
    """Write ``schedule.xlsx`` (see :mod:`planner.workbook`) into a plan folder."""
    from planner.workbook import workbook_writer

    workbook_writer(problem, schedule, report, base)(folder)


def write_plan_folder(
    out: str | Path,
    problem: Problem,
    schedule: Schedule,
    *,
    solver: SolverInfo | None = None,
    extra: Sequence[Callable[[Path], None]] = (),
    report: CheckReport | None = None,
    baseline_report: CheckReport | None = None,
) -> CheckReport:
    """Write a plan folder atomically: ``schedule.csv``, ``schedule.xlsx``, ``plan.json``, extras.

    Parameters
    ----------
    out
        The folder to create or replace (see :func:`atomic_output_dir`).
    problem, schedule
        The plan.
    solver
        How it was found, or ``None``.
    extra
        Writers called with the temporary folder after the two files (e.g.
        for ``ics/`` and ``report.html``); if one raises, nothing is written.
    report
        ``check(problem, schedule)`` if already computed (else computed here).
    baseline_report
        The baseline's check report if already computed (else the baseline
        is built and checked here).

    Returns
    -------
    CheckReport
        The check report of ``schedule``.
    """
    if report is None:
        report = check(problem, schedule)
    if baseline_report is None:
        baseline_report = check(problem, build_baseline(problem))
    with atomic_output_dir(out) as tmp:
        write_schedule_csv(tmp / SCHEDULE_CSV, schedule)
        _write_workbook(tmp, problem, schedule, report, baseline_report)
        write_plan_json(
            tmp / PLAN_JSON,
            problem,
            schedule,
            solver=solver,
            report=report,
            baseline=baseline_report,
        )
        for writer in extra:
            writer(tmp)
    return report
