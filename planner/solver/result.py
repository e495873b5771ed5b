"""What a solve takes and gives: options, progress reports, the result and its status."""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from planner.schedule import Schedule

Placement = tuple[str, date, int, str]
"""``(network, date, start, venue)`` of one meeting."""


class Status(enum.Enum):
    """Outcome of a solve.

    ``OPTIMAL``: a plan, proven best for the planner's objective.
    ``FEASIBLE``: a plan with no hard violation, not proven best.
    ``INFEASIBLE``: proven that no plan exists (the explanation says why).
    ``UNKNOWN``: no plan found in time and nothing proven.
    """

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


PHASES: dict[str, tuple[str, str]] = {
    "checks": ("checking each network alone", "elk netwerk apart controleren"),
    "start": ("building a first plan", "eerste planning maken"),
    "repair": ("placing the last meetings", "laatste vergaderingen plaatsen"),
    "whole": ("searching the whole year at once", "het hele jaar in één keer zoeken"),
    "improve": ("improving: fewer trips and km", "verbeteren: minder ritten en km"),
    "timing": ("timing each day's relay", "tijden per dag afstemmen"),
    "waits": ("judging the long waits", "lange wachttijden beoordelen"),
    "done": ("done", "klaar"),
}
"""Phase key -> (English, Dutch) words for the live display."""


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot of the search, in a coordinator's terms.

    Attributes
    ----------
    seconds
        Wall seconds since the solve started.
    objective
        The planner's weighted objective of the best plan (lower is better).
    bound
        A proven lower bound on ``objective`` (0 when none is known).
    solutions
        Improving plans found so far.
    phase
        Key of :data:`PHASES`.
    placed, total
        Meetings placed in the best (partial) plan, and meetings to place.
    travel_km, trips
        Figures of the best complete plan (``None`` before there is one).
    """

    seconds: float
    objective: float
    bound: float
    solutions: int
    phase: str = "improve"
    placed: int = 0
    total: int = 0
    travel_km: float | None = None
    trips: int | None = None

    @property
    def gap(self) -> float:
        """Relative gap between the objective and the bound (``inf`` without a bound)."""
        if self.bound <= 0:
            return float("inf")
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
        Search threads (CP-SAT steps run side by side).
    hint
        An earlier plan's placements ``(network, date, start, venue)`` to start from.
    on_progress
        Called (from the solver's thread) at every improvement and phase change.
    log
        Print CP-SAT's search log.
    stop
        Set it (from any thread, e.g. a Ctrl-C handler) to stop the search;
        the best plan found so far is returned.
    """

    time_limit: float | None = None
    seed: int | None = None
    workers: int = 2
    hint: tuple[Placement, ...] = ()
    on_progress: Callable[[Progress], None] | None = None
    log: bool = False
    stop: threading.Event | None = None


class WaitVerdict(enum.Enum):
    """What re-timing the day can do about a long wait."""

    FIXED = "fixed"
    """No timing of the day's meetings at their dates and venues avoids it (proven)."""
    RETIME = "retime"
    """A timing without it exists, at a higher cost under the weights."""
    UNJUDGED = "unjudged"
    """Not answered within the time given."""


@dataclass(frozen=True, slots=True)
class JudgedWait:
    """The verdict on one person's long wait(s) on one day.

    ``extra_km`` (``retime`` only) is what the best timing found without the
    group's long waits costs more than the plan's, in km-equivalents of the
    objective (see :class:`planner.weights.Weights`).
    """

    person: str
    day: date
    verdict: WaitVerdict
    extra_km: float | None = None


@dataclass(frozen=True, slots=True)
class PlanResult:
    """What a solve produced.

    ``figures`` are the planner's own figures of the plan (``travel_km``,
    ``trips``, ``idle_minutes``, ``sessions``, ``optional_clashes``,
    ``venue_cost``, ``spread_days``), computed by its evaluator; tests assert
    they equal the checker's. ``waits`` judges every long wait of the plan
    (:mod:`planner.solver.waits`), per person and day.
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
    waits: tuple[JudgedWait, ...] = ()

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
