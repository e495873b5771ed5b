"""The CP-SAT planner: :func:`plan` a problem into a :class:`PlanResult`."""

from planner.solver.result import PlanResult, Progress, SolveOptions, Status
from planner.solver.solve import plan

__all__ = ["PlanResult", "Progress", "SolveOptions", "Status", "plan"]
