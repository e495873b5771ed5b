"""Benchmark the planner against the uncoordinated baseline, in one process.

For every input (default: the three samples in ``samples/``) this script

1. reads the problem (:func:`planner.read.read_problem_with_warnings`);
2. builds the contract's baseline (:func:`planner.baseline.baseline`) and
   judges it with the checker (:func:`planner.check.check`);
3. plans it with :func:`planner.solver.plan` (``--time-limit``, ``--seed``,
   ``--workers``), once per seed, and judges every plan with the checker;
4. records, for plan and baseline, ``travel_km``, ``trips``,
   ``idle_minutes``, ``sessions`` and ``hard_violations`` (all from the
   checker), the ratios plan / baseline, the *relay share* (see
   :func:`relay_share`), and, for the plan, the time to the first clash-free
   plan (``PlanResult.first_solution_seconds``), the final gap, the solver's
   wall seconds, the status, and whether the model's own figures equal the
   checker's.

With ``--repeat N`` it plans seeds ``S .. S+N-1`` (``S`` is ``--seed``, else
0) and reports medians. Output: a markdown section on standard output (and in
``--out FILE.md``), or one JSON document with ``--json``. Progress goes to
standard error.

Run from the repository root::

    python benchmarks/run.py                          # the samples, their own time_limit
    python benchmarks/run.py --time-limit 10          # a quick look
    python benchmarks/run.py --repeat 3 --out benchmarks/out/results.md
    python benchmarks/run.py samples/randstad --json

Exit codes: 0 when every run produced a plan without hard violations; 1 when
a run found no plan or a plan the checker rejects; 2 when an input cannot be
read or the output cannot be written.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from planner import __version__
from planner.baseline import baseline
from planner.check import check
from planner.problem import Problem
from planner.read import InputError, read_problem_with_warnings
from planner.schedule import Schedule
from planner.solver import PlanResult, SolveOptions, Status, plan

ROOT = Path(__file__).resolve().parent.parent
"""The repository root (the parent of ``benchmarks/``)."""

DEFAULT_INPUTS: tuple[Path, ...] = (
    ROOT / "samples" / "zeeland.xlsx",
    ROOT / "samples" / "randstad",
    ROOT / "samples" / "achterhoek",
)
"""Inputs benchmarked when none are given: the three samples."""

COMPARED: tuple[str, ...] = ("travel_km", "trips", "idle_minutes", "sessions")
"""Figures compared as ratios plan / baseline."""

MODEL_TOLERANCE: dict[str, float] = {
    "travel_km": 0.01,
    "trips": 0.0,
    "idle_minutes": 0.0,
    "optional_clashes": 0.0,
    "venue_cost": 0.01,
    "spread_days": 0.0,
}
"""Largest allowed difference between the model's figure and the checker's."""

EXIT_OK = 0
EXIT_BAD_PLAN = 1
EXIT_INPUT = 2


# ------------------------------------------------------------------ figures
@dataclass(frozen=True, slots=True)
class ScheduleFigures:
    """What the checker says about one schedule.

    Attributes
    ----------
    meetings
        Number of meetings in the schedule.
    travel_km, trips, idle_minutes, sessions, hard_violations
        The contract's figures (:func:`planner.check.check`).
    relay_share
        See :func:`relay_share` (``None`` when no network shares a member).
    """

    meetings: int
    travel_km: float
    trips: int
    idle_minutes: int
    sessions: int
    hard_violations: int
    relay_share: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "meetings": self.meetings,
            "travel_km": self.travel_km,
            "trips": self.trips,
            "idle_minutes": self.idle_minutes,
            "sessions": self.sessions,
            "hard_violations": self.hard_violations,
            "relay_share": self.relay_share,
        }


def linked_networks(problem: Problem) -> frozenset[str]:
    """Networks that share one or more required members with another network.

    Parameters
    ----------
    problem
        The problem.

    Returns
    -------
    frozenset[str]
        Their ids.
    """
    networks_of: dict[str, set[str]] = {}
    for n in problem.networks:
        for person in problem.required_members(n.id):
            networks_of.setdefault(person, set()).add(n.id)
    return frozenset(n for nets in networks_of.values() if len(nets) >= 2 for n in nets)


def relay_share(problem: Problem, schedule: Schedule) -> float | None:
    """Share of the linked networks' meetings that sit in a session of 2 or more meetings.

    A network is *linked* when it shares a required member with another
    network (:func:`linked_networks`); a session is a (date, venue) pair.
    The share is (meetings of linked networks whose session holds 2 or more
    meetings of any network) / (meetings of linked networks).

    Parameters
    ----------
    problem
        The problem (for the memberships).
    schedule
        The schedule to measure.

    Returns
    -------
    float | None
        The share in ``[0, 1]``, or ``None`` when the schedule holds no
        meeting of a linked network.
    """
    linked = linked_networks(problem)
    size: Counter[tuple[date, str]] = Counter((m.date, m.venue) for m in schedule)
    mine = [m for m in schedule if m.network in linked]
    if not mine:
        return None
    together = sum(1 for m in mine if size[(m.date, m.venue)] >= 2)
    return together / len(mine)


def schedule_figures(problem: Problem, schedule: Schedule) -> ScheduleFigures:
    """Judge a schedule with the checker and measure its relay share.

    Parameters
    ----------
    problem, schedule
        What to judge.

    Returns
    -------
    ScheduleFigures
        The figures.
    """
    report = check(problem, schedule)
    f = report.figures
    return ScheduleFigures(
        meetings=len(schedule),
        travel_km=f.travel_km,
        trips=f.trips,
        idle_minutes=f.idle_minutes,
        sessions=f.sessions,
        hard_violations=report.hard_violations,
        relay_share=relay_share(problem, schedule),
    )


def model_mismatches(problem: Problem, result: PlanResult) -> dict[str, tuple[float, float]]:
    """Figures where the model's own value differs from the checker's.

    Parameters
    ----------
    problem
        The problem.
    result
        A result with a schedule.

    Returns
    -------
    dict[str, tuple[float, float]]
        Name -> (model's value, checker's value), for every figure of
        :data:`MODEL_TOLERANCE` that the result reports and that differs by
        more than its tolerance (empty when they agree or there is no plan).
    """
    if result.schedule is None:
        return {}
    checked = check(problem, result.schedule).figures.to_dict()
    out: dict[str, tuple[float, float]] = {}
    for name, tolerance in MODEL_TOLERANCE.items():
        if name not in result.figures:
            continue
        model, judge = float(result.figures[name]), float(checked[name])
        if abs(model - judge) > tolerance + 1e-9:
            out[name] = (model, judge)
    return out


# --------------------------------------------------------------------- runs
@dataclass(frozen=True, slots=True)
class Run:
    """One solve of one input with one seed.

    Attributes
    ----------
    seed
        The random seed.
    status
        ``optimal``, ``feasible``, ``infeasible`` or ``unknown``.
    plan
        The checker's figures of the plan, or ``None`` without a plan.
    objective, bound, gap
        From the :class:`~planner.solver.PlanResult` (``gap`` relative).
    first_solution_seconds
        Seconds until the first clash-free plan.
    wall_seconds
        The solver's wall seconds.
    solutions
        Improving solutions found.
    interrupted
        Whether Ctrl-C stopped the search.
    mismatches
        :func:`model_mismatches` of the result.
    explanation
        Why there is no plan, when there is none.
    """

    seed: int
    status: str
    plan: ScheduleFigures | None
    objective: float | None
    bound: float | None
    gap: float | None
    first_solution_seconds: float | None
    wall_seconds: float
    solutions: int
    interrupted: bool
    mismatches: dict[str, tuple[float, float]]
    explanation: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether the run gave a plan without hard violations."""
        return self.plan is not None and self.plan.hard_violations == 0

    def to_dict(self, base: ScheduleFigures) -> dict[str, Any]:
        """JSON-safe form, with the ratios plan / ``base``."""
        return {
            "seed": self.seed,
            "status": self.status,
            "plan": None if self.plan is None else self.plan.to_dict(),
            "ratios": ratios(self.plan, base),
            "objective": _finite(self.objective),
            "bound": _finite(self.bound),
            "gap": _finite(self.gap),
            "first_solution_seconds": _finite(self.first_solution_seconds),
            "wall_seconds": self.wall_seconds,
            "solutions": self.solutions,
            "interrupted": self.interrupted,
            "model_matches_checker": not self.mismatches if self.plan is not None else None,
            "mismatches": {k: list(v) for k, v in self.mismatches.items()},
            "explanation": list(self.explanation),
        }


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return value


def ratios(plan_figures: ScheduleFigures | None, base: ScheduleFigures) -> dict[str, float | None]:
    """Plan / baseline of each figure of :data:`COMPARED`.

    Parameters
    ----------
    plan_figures
        The plan's figures, or ``None`` (every ratio is then ``None``).
    base
        The baseline's figures.

    Returns
    -------
    dict[str, float | None]
        Name -> ratio, ``None`` where the baseline's figure is 0.
    """
    out: dict[str, float | None] = {}
    for name in COMPARED:
        b = float(getattr(base, name))
        if plan_figures is None or b == 0:
            out[name] = None
        else:
            out[name] = float(getattr(plan_figures, name)) / b
    return out


def solve_once(problem: Problem, *, time_limit: float | None, seed: int, workers: int) -> Run:
    """Plan ``problem`` once and judge the plan.

    Parameters
    ----------
    problem
        The problem.
    time_limit
        Seconds, or ``None`` for the problem's ``time_limit`` setting.
    seed
        The random seed.
    workers
        CP-SAT search workers.

    Returns
    -------
    Run
        What the solve gave.
    """
    result = plan(problem, SolveOptions(time_limit=time_limit, seed=seed, workers=workers))
    figures = None if result.schedule is None else schedule_figures(problem, result.schedule)
    return Run(
        seed=seed,
        status=result.status.value,
        plan=figures,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        first_solution_seconds=result.first_solution_seconds,
        wall_seconds=result.wall_seconds,
        solutions=result.solutions,
        interrupted=result.interrupted,
        mismatches=model_mismatches(problem, result),
        explanation=result.explanation if result.status in _NO_PLAN else (),
    )


_NO_PLAN = (Status.INFEASIBLE, Status.UNKNOWN)


@dataclass(frozen=True, slots=True)
class SampleResult:
    """Every run of one input.

    Attributes
    ----------
    name
        Short name (file or folder name without ``.xlsx``).
    path
        The input as given.
    networks, people, meetings
        Size of the problem (``meetings``: the sum of the networks' ``meetings``).
    time_limit
        The time limit used (seconds).
    baseline
        The baseline's figures.
    runs
        One per seed.
    """

    name: str
    path: str
    networks: int
    people: int
    meetings: int
    time_limit: float
    baseline: ScheduleFigures
    runs: tuple[Run, ...]

    def median(self, get: Callable[[Run], float | None]) -> float | None:
        """Median over the runs of a value (runs where it is ``None`` are skipped)."""
        values = [v for v in (get(r) for r in self.runs) if v is not None and math.isfinite(v)]
        return statistics.median(values) if values else None

    def plan_median(self, name: str) -> float | None:
        """Median over the runs of one of the plan's :class:`ScheduleFigures`."""
        return self.median(lambda r: None if r.plan is None else getattr(r.plan, name))

    def ratio_median(self, name: str) -> float | None:
        """Median over the runs of the ratio plan / baseline of one figure."""
        return self.median(lambda r: ratios(r.plan, self.baseline)[name])

    def status(self) -> str:
        """The runs' status: one word when all agree, else counts (``feasible 2, optimal 1``)."""
        counts = Counter(r.status for r in self.runs)
        if len(counts) == 1:
            return next(iter(counts))
        return ", ".join(f"{s} {n}" for s, n in sorted(counts.items()))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form with the runs and their medians."""
        medians: dict[str, Any] = {
            name: self.plan_median(name)
            for name in ("travel_km", "trips", "idle_minutes", "sessions", "hard_violations")
        }
        medians["relay_share"] = self.plan_median("relay_share")
        medians["ratios"] = {name: self.ratio_median(name) for name in COMPARED}
        medians["first_solution_seconds"] = self.median(lambda r: r.first_solution_seconds)
        medians["gap"] = self.median(lambda r: r.gap)
        medians["wall_seconds"] = self.median(lambda r: r.wall_seconds)
        return {
            "name": self.name,
            "path": self.path,
            "networks": self.networks,
            "people": self.people,
            "meetings": self.meetings,
            "time_limit": self.time_limit,
            "seeds": [r.seed for r in self.runs],
            "status": self.status(),
            "baseline": self.baseline.to_dict(),
            "median": medians,
            "runs": [r.to_dict(self.baseline) for r in self.runs],
        }


def sample_name(path: Path) -> str:
    """Short name of an input: ``samples/zeeland.xlsx`` -> ``zeeland``."""
    resolved = path.resolve()
    if resolved.suffix.lower() in (".xlsx", ".xlsm"):
        return resolved.stem
    return resolved.name


def benchmark(
    path: Path,
    problem: Problem,
    *,
    time_limit: float | None,
    seeds: Sequence[int],
    workers: int,
    log: Callable[[str], None] = lambda _text: None,
) -> SampleResult:
    """Baseline and plans of one problem.

    Parameters
    ----------
    path
        Where the problem was read from (for its name).
    problem
        The problem.
    time_limit
        Seconds per solve, or ``None`` for the problem's setting.
    seeds
        One solve per seed.
    workers
        CP-SAT search workers.
    log
        Called with a line of progress text.

    Returns
    -------
    SampleResult
        The baseline's figures and every run.
    """
    name = sample_name(path)
    limit = problem.settings.time_limit if time_limit is None else time_limit
    base = schedule_figures(problem, baseline(problem))
    log(
        f"{name}: baseline {base.travel_km:,.1f} km, {base.sessions} sessions, "
        f"{base.hard_violations} hard violation(s)"
    )
    runs: list[Run] = []
    for seed in seeds:
        log(f"{name}: planning with seed {seed}, time limit {limit:g} s ...")
        run = solve_once(problem, time_limit=limit, seed=seed, workers=workers)
        if run.plan is None:
            log(f"{name}: seed {seed}: {run.status}, no plan ({run.wall_seconds:.1f} s)")
        else:
            log(
                f"{name}: seed {seed}: {run.status} in {run.wall_seconds:.1f} s, "
                f"{run.plan.travel_km:,.1f} km, {run.plan.hard_violations} hard violation(s)"
            )
        for figure, (model, judge) in run.mismatches.items():
            log(
                f"{name}: seed {seed}: the model's {figure} is {model:.3f}, "
                f"the checker's {judge:.3f}"
            )
        runs.append(run)
    return SampleResult(
        name=name,
        path=str(path),
        networks=len(problem.networks),
        people=len(problem.people),
        meetings=sum(n.meetings for n in problem.networks),
        time_limit=limit,
        baseline=base,
        runs=tuple(runs),
    )


# ------------------------------------------------------------------- output
def environment(workers: int) -> dict[str, Any]:
    """The machine and versions the numbers were measured with, and the current load."""
    try:
        ortools = metadata.version("ortools")
    except metadata.PackageNotFoundError:  # pragma: no cover - ortools is a dependency
        ortools = "?"
    return {
        "dakpan": __version__,
        "python": platform.python_version(),
        "ortools": ortools,
        "platform": f"{platform.system()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "load_average": _load_average(),
        "workers": workers,
    }


def _load_average() -> float | None:
    """The 1-minute load average (``None`` where the system has none)."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):  # pragma: no cover - Windows
        return None


def _num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def _pair(plan_value: float | None, base_value: float, ratio: float | None, digits: int) -> str:
    text = f"{_num(plan_value, digits)} / {_num(base_value, digits)}"
    return text if ratio is None else f"{text} ({ratio:.2f})"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def markdown(results: Sequence[SampleResult], env: dict[str, Any], command: str) -> str:
    """A markdown section with the results: a figures table and a solver table.

    Parameters
    ----------
    results
        One per input.
    env
        :func:`environment`.
    command
        The command line, shown in the section.

    Returns
    -------
    str
        The section, ending in a newline.
    """
    seeds = sorted({r.seed for s in results for r in s.runs})
    limits = sorted({s.time_limit for s in results})
    runs = max((len(s.runs) for s in results), default=0)
    seed_text = f"seed {seeds[0]}" if len(seeds) == 1 else f"seeds {seeds[0]}..{seeds[-1]}"
    limit_text = ", ".join(f"{t:g}" for t in limits)
    title = f"## Results: time limit {limit_text} s, {seed_text}"
    if runs > 1:
        title += f" (medians of {runs} runs)"
    lines = [
        title,
        "",
        f"`{command}`  ",
        f"dakpan {env['dakpan']}, Python {env['python']}, OR-Tools {env['ortools']}, "
        f"{env['platform']}, {env['cpus']} CPUs, {env['workers']} search workers"
        + (
            f", load average {env['load_average']:g} before the runs."
            if env["load_average"] is not None
            else "."
        ),
        "",
        "Plan / baseline (ratio):",
        "",
        "| sample | networks | meetings | travel km | trips | idle minutes | sessions "
        "| relay share | hard violations |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results:
        b = s.baseline
        cells = [
            s.name,
            str(s.networks),
            str(s.meetings),
            _pair(s.plan_median("travel_km"), b.travel_km, s.ratio_median("travel_km"), 0),
            _pair(s.plan_median("trips"), b.trips, s.ratio_median("trips"), 0),
            _pair(s.plan_median("idle_minutes"), b.idle_minutes, s.ratio_median("idle_minutes"), 0),
            _pair(s.plan_median("sessions"), b.sessions, s.ratio_median("sessions"), 0),
            f"{_share(s.plan_median('relay_share'))} / {_share(b.relay_share)}",
            f"{_num(s.plan_median('hard_violations'))} / {b.hard_violations}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Solver:",
        "",
        "| sample | status | first clash-free plan (s) | final gap | wall (s) | model = checker |",
        "|---|---|---:|---:|---:|---|",
    ]
    for s in results:
        gap = s.median(lambda r: r.gap)
        with_plan = [r for r in s.runs if r.plan is not None]
        agree = (
            "-" if not with_plan else ("yes" if all(not r.mismatches for r in with_plan) else "no")
        )
        cells = [
            s.name,
            s.status(),
            _num(s.median(lambda r: r.first_solution_seconds), 1),
            "-" if gap is None else f"{gap:.1%}",
            _num(s.median(lambda r: r.wall_seconds), 1),
            agree,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "All figures come from the checker (`planner.check`), for the plan and for the "
        "contract's uncoordinated baseline. *Relay share*: of the meetings of networks that "
        "share a required member with another network, the share that sits in a session "
        "(same date, same venue) of 2 or more meetings. *First clash-free plan*: seconds "
        "until the solver held its first plan that breaks no hard rule. *Final gap*: "
        "(objective - bound) / objective when the search stopped. *Wall*: the solver's "
        "seconds. *Model = checker*: the model's own figures equal the checker's.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------- main
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description="Plan each input and compare the plan with the uncoordinated baseline.",
    )
    p.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        help="CSV folders or .xlsx workbooks (default: the three samples)",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="solver seconds per run (default: each problem's time_limit setting)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="random seed (default: the problem's seed setting; with --repeat: 0)",
    )
    p.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="run seeds S..S+N-1 (S = --seed, else 0) and report medians",
    )
    p.add_argument("--workers", type=int, default=2, help="CP-SAT search workers (default 2)")
    p.add_argument("--out", type=Path, default=None, help="also write the markdown to this file")
    p.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    return p


def seeds_for(problem: Problem, seed: int | None, repeat: int) -> list[int]:
    """The seeds to run: ``seed`` (or 0 when repeating, else the problem's) onwards.

    Parameters
    ----------
    problem
        The problem (its ``seed`` setting).
    seed
        ``--seed``, or ``None``.
    repeat
        ``--repeat``.

    Returns
    -------
    list[int]
        ``repeat`` consecutive seeds.
    """
    if seed is None:
        seed = problem.settings.seed if repeat == 1 else 0
    return list(range(seed, seed + repeat))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit code (see the module docstring)."""
    args = _parser().parse_args(argv)
    if args.repeat < 1:
        print("--repeat must be 1 or more", file=sys.stderr)
        return EXIT_INPUT
    if args.time_limit is not None and not args.time_limit > 0:
        print("--time-limit must be more than 0", file=sys.stderr)
        return EXIT_INPUT
    if args.workers < 1:
        print("--workers must be 1 or more", file=sys.stderr)
        return EXIT_INPUT
    if args.out is not None and args.out.is_dir():
        print(f"{args.out}: is a folder; --out names the markdown file to write", file=sys.stderr)
        return EXIT_INPUT
    inputs: list[Path] = list(args.inputs) or list(DEFAULT_INPUTS)

    problems: list[tuple[Path, Problem]] = []
    for path in inputs:
        try:
            problem, _warnings = read_problem_with_warnings(path)
        except InputError as exc:
            print(f"{path}: cannot be read ({len(exc.issues)} problem(s)):", file=sys.stderr)
            for line in exc.lines():
                print(line, file=sys.stderr)
            return EXIT_INPUT
        problems.append((path, problem))

    env = environment(args.workers)  # before the runs: the load of everything else

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    results = [
        benchmark(
            path,
            problem,
            time_limit=args.time_limit,
            seeds=seeds_for(problem, args.seed, args.repeat),
            workers=args.workers,
            log=log,
        )
        for path, problem in problems
    ]
    command = " ".join(["python benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
    text = markdown(results, env, command)
    if args.json:
        doc = {"environment": env, "command": command, "samples": [r.to_dict() for r in results]}
        print(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(text, end="")
    if args.out is not None:
        try:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"{args.out}: cannot write ({exc.strerror})", file=sys.stderr)
            return EXIT_INPUT
    bad = [f"{s.name} seed {r.seed}" for s in results for r in s.runs if not r.ok]
    if bad:
        print(f"no valid plan for: {', '.join(bad)}", file=sys.stderr)
        return EXIT_BAD_PLAN
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
