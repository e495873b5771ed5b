"""Solving: build the model, start from a greedy plan, search, return a result.

:func:`plan` never raises for an infeasible or timed-out problem: it returns a
:class:`PlanResult` whose :class:`Status` says what happened, with an
explanation a coordinator can act on when there is no plan.

Determinism: every search step runs CP-SAT with a deterministic time limit
(one worker per step, or ``interleave_search`` for the whole model), and the
whole search has a deterministic budget of ``DET_PER_SECOND x time_limit``,
so the same input and seed give the same plan whatever the machine's load.
A wall-clock cap (``WALL_FACTOR x time_limit + 10`` s) guards against a very
slow machine; a result cut by it says so (``PlanResult.wall_capped``).
"""

from __future__ import annotations

import enum
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from planner.problem import Problem
from planner.schedule import Schedule
from planner.solver.evaluate import objective as evaluate_objective
from planner.solver.greedy import greedy_with_work
from planner.solver.instance import build_instance
from planner.solver.lns import SearchState, evaluate, improve
from planner.solver.model import Model, build_model
from planner.solver.objective import Terms
from planner.solver.sequence import group_idle, sequence_sessions
from planner.solver.variables import Placement


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
    wall_capped: bool = False
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


Slot = tuple[int, int, str]

DET_PER_SECOND = 0.6
"""Deterministic CP-SAT seconds per second of ``time_limit``.

CP-SAT's deterministic time runs slower than the wall clock on the 2-core
machines this was measured on (see BENCHMARKS.md); this factor makes a run
take about ``time_limit`` seconds there, while keeping results identical on
any machine.
"""

WALL_FACTOR = 3.0
"""The search stops at ``WALL_FACTOR x time_limit + 10`` wall seconds whatever its
deterministic budget: only a slow or busy machine gets there, and then the
result may differ from run to run (the result says so)."""

SEQUENCE_SHARE = 0.15
"""Most of the budget (deterministic seconds) the final sequencing of sessions may add."""

FIRST_PHASE_SHARE = 0.25
"""Share of the budget for a whole-model search when no start plan was found."""

WHOLE_MODEL_MAX_MEETINGS = 40
"""Problems with at most this many free meetings are searched as a whole (optimality
can be proved); larger ones by large-neighbourhood search from greedy starts."""

GREEDY_WORK_PER_SECOND = 3_000_000
"""Greedy work units (start times examined) per second, measured on the 2-core machine."""

GREEDY_SHARE = 0.2
"""Most of ``time_limit`` the greedy runs after the first may take (in work units)."""

GREEDY_STARTS = 32
"""Greedy runs (the first in plain order, the others perturbed by the seed)."""


class _Recorder(cp_model.CpSolverSolutionCallback):
    """Keeps the best solution of a whole-model search and reports progress."""

    def __init__(
        self, built: Model, started: float, on_progress: Callable[[Progress], None] | None
    ) -> None:
        super().__init__()
        self._built = built
        self._started = started
        self._on_progress = on_progress
        self.best: dict[int, Slot] | None = None
        self.objective: int | None = None
        self.first_seconds: float | None = None
        self.solutions = 0

    def on_solution_callback(self) -> None:
        seconds = time.perf_counter() - self._started
        self.best = self._built.variables.extract(self)
        self.objective = round(self.objective_value)
        self.solutions += 1
        if self.first_seconds is None:
            self.first_seconds = seconds
        if self._on_progress is not None:
            self._on_progress(
                Progress(
                    seconds,
                    float(self.objective_value),
                    float(self.best_objective_bound),
                    self.solutions,
                )
            )


def term_values(built: Model, chosen: dict[int, Slot]) -> dict[str, float]:
    """The model's values of each objective term for a complete plan."""
    sub = built.model.clone()
    v = built.variables
    for var, val in v.values(chosen).items():
        sub.add(sub.get_int_var_from_proto_index(var.index) == val)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 10.0
    status = solver.solve(sub)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError("internal error: a plan the model accepted no longer fits it")
    terms: Terms = built.terms

    def value(expr: cp_model.LinearExprT) -> int:
        return int(solver.value(expr))

    # travel as the model counts it (who makes a round trip to which venue),
    # summed in km without the model's rounding to whole metres
    travel_km = 0.0
    for g, group in enumerate(built.instance.groups):
        for m in group.meetings:
            first = v.first.get((g, m))
            if first is None or solver.boolean_value(first):
                travel_km += group.travel_km[chosen[m][2]]
    travel_km += built.instance.route_extra[1 if v.exact_idle else 0][1]
    return {
        "travel_km": round(travel_km, 3),
        "trips": float(value(terms.trips)),
        "idle_minutes": float(value(terms.idle_minutes)),
        "optional_clashes": float(value(terms.optional_clashes)),
        "venue_cost": value(terms.venue_cost_cents) / 100,
        "spread_days": float(value(terms.spread_days)),
    }


def _whole_model_search(
    built: Model,
    *,
    seed: int,
    workers: int,
    det_limit: float,
    wall_limit: float,
    recorder: _Recorder,
    log: bool,
) -> tuple[int, float | None, bool]:
    """Run CP-SAT on the whole model in a thread; Ctrl-C stops it.

    Returns the raw status, the bound and whether the user interrupted.
    """
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = seed
    params.num_workers = max(1, workers)
    params.interleave_search = workers > 1
    params.max_deterministic_time = det_limit
    params.max_time_in_seconds = wall_limit
    params.log_search_progress = log
    outcome: dict[str, int] = {}

    def run() -> None:
        outcome["status"] = int(solver.solve(built.model, recorder))

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
    raw = outcome.get("status", int(cp_model.UNKNOWN))
    bound = float(solver.best_objective_bound) if recorder.solutions else None
    return raw, bound, interrupted


def plan(problem: Problem, options: SolveOptions | None = None) -> PlanResult:
    """Plan every network's meetings for the horizon.

    Phases: prechecks per network and fixed meeting; the best of
    ``GREEDY_STARTS`` greedy plans (or the hint); for problems with at most
    ``WHOLE_MODEL_MAX_MEETINGS`` free meetings a whole-model CP-SAT search
    (which may prove optimality and gives a bound), for larger ones a
    deterministic large-neighbourhood search (:mod:`planner.solver.lns`)
    for the whole budget; finally every
    session is sequenced exactly (:mod:`planner.solver.sequence`) and the
    plan's figures are read back from the whole model.

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
    from planner.solver.explain import precheck

    options = options or SolveOptions()
    s = problem.settings
    time_limit = s.time_limit if options.time_limit is None else options.time_limit
    seed = s.seed if options.seed is None else options.seed
    started = time.perf_counter()
    budget = time_limit * DET_PER_SECOND
    wall_deadline = started + WALL_FACTOR * time_limit + 10

    def result(status: Status, **kw: Any) -> PlanResult:
        kw.setdefault("wall_seconds", time.perf_counter() - started)
        return PlanResult(status, time_limit=time_limit, seed=seed, workers=options.workers, **kw)

    reasons = precheck(problem)
    if reasons:
        return result(Status.INFEASIBLE, explanation=tuple(reasons))
    instance = build_instance(problem, even_windows=options.even_windows)
    if any(not m.days or not m.venues for m in instance.meetings):
        return result(
            Status.INFEASIBLE,
            explanation=tuple(_explain(problem, time_limit)),
        )
    built = build_model(instance)
    variables = built.variables
    exact = variables.exact_idle
    free_count = sum(1 for m in instance.meetings if not m.fixed)
    whole = free_count <= WHOLE_MODEL_MAX_MEETINGS

    def report(objective: float, bound: float | None, solutions: int) -> None:
        if options.on_progress is not None:
            options.on_progress(
                Progress(time.perf_counter() - started, objective, bound or 0.0, solutions)
            )

    incumbent = _start_plan(
        built,
        options,
        seed=seed,
        starts=1 if whole else GREEDY_STARTS,
        work_budget=GREEDY_WORK_PER_SECOND * GREEDY_SHARE * time_limit,
    )
    first_seconds: float | None = None
    solutions = 0
    if incumbent is not None:
        first_seconds = time.perf_counter() - started
        solutions = 1
        report(float(incumbent[1]), None, solutions)

    bound: float | None = None
    interrupted = False
    optimal = False
    raw = int(cp_model.UNKNOWN)
    if whole or incumbent is None:
        variables.hint(incumbent[0] if incumbent else {})
        recorder = _Recorder(built, started, options.on_progress)
        raw, bound, interrupted = _whole_model_search(
            built,
            seed=seed,
            workers=options.workers,
            det_limit=budget if whole else budget * FIRST_PHASE_SHARE,
            wall_limit=max(1.0, wall_deadline - time.perf_counter()),
            recorder=recorder,
            log=options.log,
        )
        if recorder.first_seconds is not None and first_seconds is None:
            first_seconds = recorder.first_seconds
        solutions += recorder.solutions
        if (
            recorder.best is not None
            and recorder.objective is not None
            and (incumbent is None or recorder.objective <= incumbent[1])
        ):
            incumbent = (recorder.best, recorder.objective)
        optimal = (
            exact
            and raw == cp_model.OPTIMAL
            and incumbent is not None
            and recorder.objective == incumbent[1]
            and not interrupted
        )
    if incumbent is None:
        if raw == cp_model.INFEASIBLE:
            if options.even_windows and not options.hint:
                wider = plan(problem, _replace(options, even_windows=False, time_limit=time_limit))
                if wider.status is not Status.INFEASIBLE:
                    return wider
            return result(
                Status.INFEASIBLE,
                explanation=tuple(_explain(problem, time_limit)),
            )
        if raw == cp_model.MODEL_INVALID:
            raise RuntimeError(f"internal error, invalid CP-SAT model: {built.model.validate()}")
        return result(
            Status.UNKNOWN,
            interrupted=interrupted,
            explanation=(
                f"No plan found within {time_limit:g} s. Try a longer --time-limit, or "
                "fewer meetings or a smaller min_gap_days for the busiest networks.",
            ),
        )

    if not optimal and not interrupted:
        state = SearchState(
            chosen=dict(incumbent[0]),
            objective=evaluate_objective(instance, incumbent[0], exact_idle=True),
        )
        used = budget if whole else 0.0

        def improved(st: SearchState) -> None:
            report(float(st.objective), bound, solutions + st.improvements)

        try:
            improve(
                built,
                state,
                seed=seed,
                det_budget=max(0.0, budget - used),
                wall_deadline=wall_deadline,
                on_improve=improved,
                threads=max(1, options.workers),
            )
        except KeyboardInterrupt:
            interrupted = True
        incumbent = (state.chosen, state.objective)
        solutions += state.improvements

    wall_capped = time.perf_counter() >= wall_deadline
    chosen = incumbent[0]
    sequenced = None
    if not optimal and not interrupted:
        try:
            sequenced = sequence_sessions(
                instance,
                chosen,
                seed=seed,
                budget=0.5,
                deadline=wall_deadline,
                total=max(2.0, SEQUENCE_SHARE * budget),
            )
            chosen = sequenced.chosen
        except KeyboardInterrupt:  # keep the plan as it stands: it is valid
            interrupted = True
        wall_capped = wall_capped or time.perf_counter() > wall_deadline
    figures = term_values(built, chosen)
    if not exact:
        # the model leaves idle time to the sequencing, which computes it exactly
        figures["idle_minutes"] = float(group_idle(instance, chosen))
    placements: list[Placement] = [
        (instance.meetings[i].network, instance.date_of(d), t, u)
        for i, (d, t, u) in sorted(chosen.items())
    ]
    return result(
        Status.OPTIMAL if optimal else Status.FEASIBLE,
        schedule=Schedule.build(problem, placements),
        objective=float(evaluate_objective(instance, chosen, exact_idle=exact)),
        bound=bound,
        figures=figures,
        first_solution_seconds=first_seconds,
        solutions=solutions,
        interrupted=interrupted,
        wall_capped=wall_capped,
    )


def _start_plan(
    built: Model,
    options: SolveOptions,
    *,
    seed: int,
    starts: int,
    work_budget: float | None = None,
) -> tuple[dict[int, Slot], int] | None:
    """The best complete plan among the hint and up to ``starts`` greedy runs, if any.

    Runs after the first stop once their summed work (start times examined,
    see :func:`planner.solver.greedy.greedy_with_work`) reaches ``work_budget``,
    which keeps large problems from spending their time here, deterministically.
    """
    instance = built.instance
    exact = built.variables.exact_idle
    candidates: list[dict[int, Slot]] = []
    if options.hint:
        candidates.append(built.variables.match(options.hint))
    rng = random.Random(seed)
    work = 0
    for k in range(starts):
        if k and work_budget is not None and work >= work_budget:
            break
        found, used = greedy_with_work(instance, rng if k else None)
        candidates.append(found)
        work += used
    best: tuple[dict[int, Slot], int] | None = None
    for plan_ in candidates:
        if len(plan_) != len(instance.meetings):
            continue
        checked = evaluate(built, plan_, seed=seed) if best is None else None
        if best is None and checked is None:
            continue  # breaks a rule of the model (e.g. a hint from other input)
        value = evaluate_objective(instance, plan_, exact_idle=exact)
        if best is None or value < best[1]:
            best = (dict(plan_), value)
    return best


def _explain(problem: Problem, time_limit: float) -> list[str]:
    """Why the networks cannot be planned together, within a bounded search."""
    from planner.solver.explain import explain_infeasible

    return explain_infeasible(
        problem, time_limit=min(10.0, time_limit), budget=min(60.0, max(10.0, time_limit))
    )


def _replace(options: SolveOptions, **changes: object) -> SolveOptions:
    from dataclasses import replace

    return replace(options, **changes)  # type: ignore[arg-type]
