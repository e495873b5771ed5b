"""Solving: build the model, start from a greedy plan, run CP-SAT, return a result.

:func:`plan` never raises for an infeasible or timed-out problem: it returns a
:class:`PlanResult` whose :class:`Status` says what happened, with an
explanation a coordinator can act on when there is no plan.

Determinism: CP-SAT runs with ``interleave_search`` and a deterministic time
limit (``time_limit`` deterministic seconds), so the same input and seed give
the same plan whatever the machine's load; a wall-clock cap of three times
the limit (plus 10 s) guards against a slow machine.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from planner.problem import Problem
from planner.schedule import Schedule
from planner.solver.constraints import ALL_RULES
from planner.solver.greedy import greedy
from planner.solver.instance import Instance, build_instance
from planner.solver.objective import Terms, build_terms, weighted
from planner.solver.sequence import sequence_sessions
from planner.solver.variables import Placement, Variables


class Status(enum.Enum):
    """Outcome of a solve."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Progress:
    """One improvement found during the search."""

    seconds: float
    objective: float
    bound: float
    solutions: int

    @property
    def gap(self) -> float:
        """Relative gap between the objective and the bound."""
        return _gap(self.objective, self.bound)


@dataclass(frozen=True, slots=True)
class SolveOptions:
    """How to solve.

    Attributes
    ----------
    time_limit
        Seconds (deterministic); ``None`` takes the problem's setting.
    seed
        Random seed; ``None`` takes the problem's setting.
    workers
        CP-SAT search workers.
    hint
        An earlier plan's placements ``(network, date, start, venue)`` to start from.
    on_progress
        Called (from the solver's thread) at every improving solution.
    log
        Print CP-SAT's search log.
    """

    time_limit: float | None = None
    seed: int | None = None
    workers: int = 2
    hint: tuple[Placement, ...] = ()
    on_progress: Callable[[Progress], None] | None = None
    log: bool = False
    even_windows: bool = True


@dataclass(frozen=True, slots=True)
class PlanResult:
    """What a solve produced.

    ``figures`` are the model's own values of the objective's terms
    (``travel_km``, ``trips``, ``idle_minutes``, ``optional_clashes``,
    ``venue_cost``, ``spread_days``); tests assert they equal the checker's.
    """

    status: Status
    schedule: Schedule | None = None
    objective: float | None = None
    bound: float | None = None
    figures: dict[str, float] = field(default_factory=dict)
    wall_seconds: float = 0.0
    first_solution_seconds: float | None = None
    solutions: int = 0
    interrupted: bool = False
    explanation: tuple[str, ...] = ()
    time_limit: float = 0.0
    seed: int = 0
    workers: int = 1

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound, when both exist."""
        if self.objective is None or self.bound is None:
            return None
        return _gap(self.objective, self.bound)


def _gap(objective: float, bound: float) -> float:
    if objective == 0:
        return 0.0
    return max(0.0, (objective - bound) / abs(objective))


@dataclass
class Model:
    """A built CP-SAT model with its variables and objective terms."""

    instance: Instance
    model: cp_model.CpModel
    variables: Variables
    terms: Terms
    objective: cp_model.LinearExprT


EXACT_IDLE_MAX_LINKS = 2500
"""Largest number of linked (group, meeting pair)s for which the model chains days exactly."""


def build_model(instance: Instance, *, exact_idle: bool | None = None) -> Model:
    """Create variables, add every rule family and the objective.

    ``exact_idle`` (default: when the problem is small enough) models each
    person group's days as chains, so idle time is part of the search;
    otherwise sessions are sequenced exactly afterwards.
    """
    if exact_idle is None:
        exact_idle = sum(map(len, instance.group_pairs)) <= EXACT_IDLE_MAX_LINKS
    model = cp_model.CpModel()
    variables = Variables.create(model, instance, exact_idle=exact_idle)
    for rule in ALL_RULES:
        rule(variables)
    terms = build_terms(variables)
    objective = weighted(terms, variables)
    model.minimize(objective)
    return Model(instance, model, variables, terms, objective)


class _Recorder(cp_model.CpSolverSolutionCallback):
    def __init__(
        self, built: Model, started: float, on_progress: Callable[[Progress], None] | None
    ):
        super().__init__()
        self._built = built
        self._started = started
        self._on_progress = on_progress
        self.best: list[Placement] | None = None
        self.best_terms: dict[str, float] = {}
        self.first_seconds: float | None = None
        self.solutions = 0
        self.objective: float | None = None
        self.lock = threading.Lock()

    def on_solution_callback(self) -> None:
        seconds = time.perf_counter() - self._started
        placements = self._built.variables.extract(self)
        terms = _term_values(self._built.terms, self.value)
        with self.lock:
            self.solutions += 1
            if self.first_seconds is None:
                self.first_seconds = seconds
            self.best = placements
            self.best_terms = terms
            self.objective = float(self.objective_value)
        if self._on_progress is not None:
            self._on_progress(
                Progress(
                    seconds,
                    float(self.objective_value),
                    float(self.best_objective_bound),
                    self.solutions,
                )
            )


def _term_values(terms: Terms, value: Callable[[cp_model.LinearExprT], int]) -> dict[str, float]:
    return {
        "travel_km": round(value(terms.travel_m) / 1000, 3),
        "trips": float(value(terms.trips)),
        "idle_minutes": float(value(terms.idle_minutes)),
        "optional_clashes": float(value(terms.optional_clashes)),
        "venue_cost": value(terms.venue_cost_cents) / 100,
        "spread_days": float(value(terms.spread_days)),
    }


def plan(problem: Problem, options: SolveOptions | None = None) -> PlanResult:
    """Plan every network's meetings for the horizon.

    Parameters
    ----------
    problem
        The validated problem.
    options
        Time limit, seed, workers, hint, progress callback.

    Returns
    -------
    PlanResult
        With a schedule when the status is optimal or feasible; with an
        explanation when it is infeasible (or unknown without a plan).
    """
    from planner.solver.explain import explain_infeasible, precheck

    options = options or SolveOptions()
    s = problem.settings
    time_limit = s.time_limit if options.time_limit is None else options.time_limit
    seed = s.seed if options.seed is None else options.seed
    started = time.perf_counter()

    def result(status: Status, **kw: Any) -> PlanResult:
        kw.setdefault("wall_seconds", time.perf_counter() - started)
        return PlanResult(status, time_limit=time_limit, seed=seed, workers=options.workers, **kw)

    reasons = precheck(problem)
    if reasons:
        return result(Status.INFEASIBLE, explanation=tuple(reasons))
    instance = build_instance(problem, even_windows=options.even_windows)
    built = build_model(instance)
    start_plan = greedy(instance)
    if options.hint:
        start_plan = built.variables.match(options.hint)
    built.variables.hint(start_plan)

    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = seed
    params.num_workers = max(1, options.workers)
    params.interleave_search = True
    params.max_deterministic_time = time_limit
    params.max_time_in_seconds = 3 * time_limit + 10
    params.log_search_progress = options.log
    recorder = _Recorder(built, started, options.on_progress)

    outcome: dict[str, object] = {}

    def run() -> None:
        outcome["status"] = solver.solve(built.model, recorder)

    worker = threading.Thread(target=run, name="dakpan-cp-sat", daemon=True)
    interrupted = False
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
    except KeyboardInterrupt:
        interrupted = True
        solver.stop_search()
        worker.join()
    raw = outcome.get("status", cp_model.UNKNOWN)
    wall = time.perf_counter() - started

    if raw in (cp_model.OPTIMAL, cp_model.FEASIBLE) and recorder.best is not None:
        status = Status.OPTIMAL if raw == cp_model.OPTIMAL and not interrupted else Status.FEASIBLE
        best = recorder.best
        figures = dict(recorder.best_terms)
        if not built.variables.exact_idle:
            status = Status.FEASIBLE
            sequenced = sequence_sessions(
                instance, built.variables.match(best), seed=seed, budget=1.0
            )
            best = [
                (instance.meetings[i].network, instance.date_of(d), t, u)
                for i, (d, t, u) in sorted(sequenced.chosen.items())
            ]
            figures["idle_minutes"] = float(sequenced.idle_minutes)
            figures["optional_clashes"] = float(sequenced.optional_clashes)
        return result(
            status,
            schedule=Schedule.build(problem, best),
            objective=float(solver.objective_value),
            bound=float(solver.best_objective_bound),
            figures=figures,
            wall_seconds=wall,
            first_solution_seconds=recorder.first_seconds,
            solutions=recorder.solutions,
            interrupted=interrupted,
        )
    if raw == cp_model.INFEASIBLE:
        if options.even_windows and not options.hint:
            wider = plan(problem, _replace(options, even_windows=False, time_limit=time_limit))
            if wider.status is not Status.INFEASIBLE:
                return wider
        return result(
            Status.INFEASIBLE,
            explanation=tuple(explain_infeasible(problem, time_limit=min(10.0, time_limit))),
        )
    if raw == cp_model.MODEL_INVALID:
        raise RuntimeError(f"internal error, invalid CP-SAT model: {built.model.validate()}")
    return result(
        Status.UNKNOWN,
        wall_seconds=wall,
        interrupted=interrupted,
        explanation=(
            f"No plan found within {time_limit:g} s. Try a longer --time-limit, or "
            "fewer meetings or a smaller min_gap_days for the busiest networks.",
        ),
    )


def _replace(options: SolveOptions, **changes: object) -> SolveOptions:
    from dataclasses import replace

    return replace(options, **changes)  # type: ignore[arg-type]
