"""The CP-SAT planner: :func:`plan` a problem into a :class:`PlanResult`."""

from planner.solver.solve import PlanResult, Progress, SolveOptions, Status, plan

__all__ = ["PlanResult", "Progress", "SolveOptions", "Status", "plan"]
