"""Building the CP-SAT model: variables, every rule family, the objective."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solver.constraints import ALL_RULES
from planner.solver.instance import Instance
from planner.solver.objective import Terms, build_terms, weighted
from planner.solver.variables import Variables


@dataclass
class Model:
    """A built CP-SAT model with its variables and objective terms."""

    instance: Instance
    model: cp_model.CpModel
    variables: Variables
    terms: Terms
    objective: cp_model.LinearExprT


def step_solver(seed: int, det_limit: float) -> cp_model.CpSolver:
    """A one-worker CP-SAT solver with a deterministic time limit (same model and
    seed, same answer on any machine), capped at ``10 x det_limit + 2`` wall seconds."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = seed
    params.max_deterministic_time = det_limit
    params.max_time_in_seconds = 10 * det_limit + 2
    return solver


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
