"""Building and solving one CP-SAT model over a scope.

:func:`build_model` is the one place a model is made: the whole problem, a
neighbourhood of the search, a repair of a start plan, a day's timing and
the explanation of an infeasible input all call it, with a different
:class:`~planner.solver.variables.Scope`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solver.constraints import ALL_RULES, add_travel_gaps
from planner.solver.instance import Instance, Slot
from planner.solver.objective import ALL_TERMS, if_need_be, moves, spread_and_cost
from planner.solver.routes import add_person_days, optional_clashes
from planner.solver.state import PlanState
from planner.solver.variables import Scope, Variables
from planner.solver.wishes import add_wishes


@dataclass
class Model:
    """A built CP-SAT model with its variables."""

    model: cp_model.CpModel
    variables: Variables

    @property
    def size(self) -> int:
        """Number of variables (a deterministic measure of the work to build it)."""
        return len(self.model.proto.variables)


def build_model(inst: Instance, state: PlanState, scope: Scope, *, objective: bool = True) -> Model:
    """Variables for ``scope``, every rule family, and (unless ``objective`` is off)
    the objective; meetings of ``state`` outside the scope are constants.

    With ``scope.exact`` each group's days are routes (:mod:`planner.solver.routes`):
    the travel gap between consecutive meetings and every objective term are then
    exact, so the model's optimum and infeasibility are the contract's.
    """
    model = cp_model.CpModel()
    variables = Variables.create(model, inst, state, scope)
    for rule in ALL_RULES:
        if not (scope.exact and rule is add_travel_gaps):
            rule(variables)
    terms: list[cp_model.LinearExprT]
    if scope.exact:
        terms = add_person_days(variables)
        terms += [optional_clashes(variables), spread_and_cost(variables)]
        terms += [if_need_be(variables), moves(variables)]
    else:
        terms = [term(variables) for term in ALL_TERMS]
    terms += add_wishes(variables)
    if objective:
        model.minimize(cp_model.LinearExpr.sum(terms))
    return Model(model, variables)


def make_solver(
    seed: int,
    det_limit: float,
    wall_limit: float,
    *,
    workers: int = 1,
    log: bool = False,
    whole: bool = False,
    first: bool = False,
) -> cp_model.CpSolver:
    """A CP-SAT solver with a deterministic time limit and a wall-clock cap.

    One worker (or several interleaved) makes it deterministic: the same
    model and seed give the same answer on any machine unless the wall cap
    cuts it. CP-SAT's own Ctrl-C handler is off; dakpan stops searches itself.
    ``first``: stop at the first solution (a repair that needs any plan fast).
    """
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.interleave_search = workers > 1
    params.random_seed = seed
    params.max_deterministic_time = max(0.01, det_limit)
    params.max_time_in_seconds = max(0.05, wall_limit)
    params.catch_sigint_signal = False
    params.log_search_progress = log
    params.stop_after_first_solution = first
    if not whole:
        # small steps: a light search (no LP, no symmetry or probing in presolve)
        params.linearization_level = 0
        params.symmetry_level = 0
        params.cp_model_probing_level = 0
    return solver


@dataclass(frozen=True, slots=True)
class StepResult:
    """What one CP-SAT step gave: its status, placements, objective and bound, work."""

    status: int
    placed: dict[int, Slot] | None
    objective: float | None
    bound: float | None
    det_time: float


def complete_hint(built: Model, placed: dict[int, Slot]) -> bool:
    """Turn the hint of a complete placement of the scope into a hint of every variable.

    The model is solved once with the scope's meetings fixed where ``placed``
    says (cheap: presolve decides it), so that CP-SAT starts from the current
    plan as its first solution. Returns whether that worked.
    """
    v = built.variables
    if any(m not in placed for m in v.scope.free):
        return False
    fixed = built.model.clone()
    for m in v.scope.free:
        d, t, u = placed[m]
        if (d, u) not in v.x[m]:
            return False
        fixed.add(fixed.get_bool_var_from_proto_index(v.x[m][(d, u)].index) == 1)
        fixed.add(fixed.get_int_var_from_proto_index(v.start[m].index) == t)
    solver = make_solver(0, 1.0, 5.0)
    status = solver.solve(fixed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    model = built.model
    model.clear_hints()  # type: ignore[no-untyped-call]
    for k in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(k)
        model.add_hint(var, solver.value(var))
    return True


def solve_step(
    built: Model,
    solver: cp_model.CpSolver,
    stop: threading.Event | None = None,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> StepResult:
    """Solve ``built`` with ``solver``; a set ``stop`` event interrupts it."""
    done = threading.Event()
    if stop is not None:

        def watch() -> None:
            while not done.wait(0.05):
                if stop.is_set():
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    try:
        status = int(solver.solve(built.model, callback))
    finally:
        done.set()
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return StepResult(
            status,
            built.variables.extract(solver),
            float(solver.objective_value),
            float(solver.best_objective_bound),
            float(solver.deterministic_time),
        )
    return StepResult(status, None, None, None, float(solver.deterministic_time))


OVERHEAD_PER_VAR = 2e-6
"""Deterministic seconds charged per model variable for building a step's model."""


def build_scope(inst: Instance, state: PlanState, scope: Scope, old: dict[int, Slot]) -> Model:
    """The model of ``scope`` over ``state`` (its meetings taken out), started from their
    placements ``old`` (the first half of a search step)."""
    built = build_model(inst, state, scope)
    if not complete_hint(built, old):
        built.variables.hint(old)
    return built


def solve_built(
    built: Model,
    *,
    seed: int,
    det_limit: float,
    wall_limit: float,
    stop: threading.Event | None,
    first: bool = False,
) -> tuple[StepResult, float]:
    """The second half of a search step: ``built`` solved; the result and the deterministic
    seconds spent, the build included. Reads only the model, so it may run on another
    thread while the plan changes (CP-SAT releases the GIL while it solves)."""
    result = solve_step(built, make_solver(seed, det_limit, wall_limit, first=first), stop)
    return result, result.det_time + OVERHEAD_PER_VAR * built.size


def solve_scope(
    inst: Instance,
    state: PlanState,
    scope: Scope,
    old: dict[int, Slot],
    *,
    seed: int,
    det_limit: float,
    wall_limit: float,
    stop: threading.Event | None,
    first: bool = False,
) -> tuple[StepResult, float]:
    """One search step: :func:`build_scope` then :func:`solve_built` (shared by the
    neighbourhood search, the repairs and the day timing)."""
    built = build_scope(inst, state, scope, old)
    return solve_built(
        built, seed=seed, det_limit=det_limit, wall_limit=wall_limit, stop=stop, first=first
    )
