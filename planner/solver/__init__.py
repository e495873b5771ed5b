"""The CP-SAT planner: :func:`plan` a problem into a :class:`PlanResult`."""

from planner.solver.result import (
    JudgedWait,
    PlanResult,
    Progress,
    SolveOptions,
    Status,
    WaitVerdict,
)
from planner.solver.solve import plan

__all__ = [
    "JudgedWait",
    "PlanResult",
    "Progress",
    "SolveOptions",
    "Status",
    "WaitVerdict",
    "plan",
]
