"""Solving: named phases that share a small :class:`Run` state.

1. ``checks``: each network alone (a proof when it cannot be planned);
2. ``start``: the hint, a day-type plan (:mod:`planner.solver.daytypes`: which
   networks meet together on one date, where and in which order, chosen for
   the whole year by CP-SAT) and seeded start plans
   (:mod:`planner.solver.construct`), the best kept;
3. ``whole``: small problems (and large ones without a complete start plan,
   when the model fits in memory) are searched as one CP-SAT model, which
   can prove optimality or that no plan exists;
4. ``repair``: CP-SAT steps around meetings still unplaced;
5. ``relocate``: the relocation search (:mod:`planner.solver.local`), most of the work;
6. ``timing``: each day's parts of linked meetings with waiting to cut
   re-timed (:mod:`planner.solver.timing`), before the neighbourhood search
   (measured: it gains more per second, so it comes first);
7. ``improve``: large-neighbourhood search (:mod:`planner.solver.lns`) for the
   rest of the budget.

"Cannot be planned" (``INFEASIBLE``) is said only on a proof: a network that
cannot be planned alone, or CP-SAT's verdict on the whole model. Without a
plan and without a proof the status is ``UNKNOWN``.

Determinism: CP-SAT steps have deterministic time limits and the phases a
deterministic budget of ``DET_PER_SECOND x time_limit`` (the start plan a
budget of work units), so the same input and seed give the same plan
whatever the machine's load; a wall-clock cap (``WALL_FACTOR x time_limit +
30`` s) guards against a very slow machine and says so in the result.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ortools.sat.python import cp_model

from planner.problem import Problem
from planner.schedule import Schedule
from planner.solver import parallel
from planner.solver.construct import Work, construct
from planner.solver.daytypes import MAX_SETS, day_type_start
from planner.solver.evaluate import figures, objective
from planner.solver.instance import Instance, build_instance
from planner.solver.lns import Search, candidates_near, improve, run_step
from planner.solver.local import iterate
from planner.solver.model import build_model, make_solver, solve_step
from planner.solver.result import JudgedWait, PlanResult, Progress, SolveOptions, Status
from planner.solver.state import PlanState, state_from_placements
from planner.solver.timing import day_parts, retime_parts
from planner.solver.variables import Scope, full_candidates
from planner.solver.waits import judge_waits
from planner.solver.wishes import shortfall
from planner.solver.wishrepair import moved, wish_polish, wish_repair

DET_PER_SECOND = 0.06
"""Deterministic CP-SAT seconds per second of ``time_limit``.

CP-SAT's deterministic clock runs several times slower than the wall clock on
this planner's models (measured on 2 cores, see BENCHMARKS.md); this factor
makes a run take about ``time_limit`` seconds there, while keeping results
identical on any machine."""

WALL_FACTOR = 3.0
"""The search stops at ``WALL_FACTOR x time_limit + 30`` wall seconds whatever its budget."""

WORK_PER_SECOND = 10_000
"""Start-plan work units (placement tests, slots costed) per second of ``time_limit``."""

START_SHARE = 0.15
"""Share of ``time_limit`` (in work units) the start plans may take."""

START_WORK_PER_MEETING = 400
"""Least start-plan work per meeting to place, whatever the time limit: a plan first."""

STARTS = 8
"""Most start plans tried (the first in plain order, the others perturbed by the seed)."""

WHOLE_MAX_PAIRS = 4000
"""Problems whose free meetings have at most this many (day, venue) pairs in all are
searched as one model for most of the budget."""

PROOF_MAX_PAIRS = 150_000
"""Largest whole model built to look for a plan (and a proof) when the start fails."""

DAY_TYPE_SHARE = 0.1
"""Share of the CP-SAT budget for the day-type start plan."""

DAY_TYPE_SETS_PER_SECOND = 200
"""Sets of networks the day-type start may consider per second of ``time_limit`` (at most
:data:`planner.solver.daytypes.MAX_SETS`): its Python work grows with them."""

RELOCATE_SHARE = 0.7
"""Share of ``time_limit`` (in work units) for the relocation descent and its restarts."""


JUDGE_SHARE = 0.1
"""Share of the CP-SAT budget for judging the plan's long waits (:mod:`planner.solver.waits`)."""

JUDGE_MIN = 1.0
"""Least deterministic seconds for judging the long waits, whatever the time limit."""


DayTypes = tuple[tuple[Any, ...] | None, float]
"""A day-type plan's placements (``None`` without one) and its deterministic seconds."""


@dataclass
class Run:
    """What the phases share: the problem, options, clocks, budget and best plan."""

    problem: Problem
    options: SolveOptions
    time_limit: float
    seed: int
    started: float = field(default_factory=time.perf_counter)
    spent: float = 0.0
    solutions: int = 0
    first_seconds: float | None = None
    bound: float | None = None
    interrupted: bool = False
    inst: Instance | None = None

    @property
    def budget(self) -> float:
        """Deterministic seconds for all CP-SAT work."""
        return DET_PER_SECOND * self.time_limit

    @property
    def wall_deadline(self) -> float:
        """Wall-clock cap."""
        return self.started + WALL_FACTOR * self.time_limit + 30

    @property
    def stopped(self) -> bool:
        """Whether the user asked to stop."""
        stop = self.options.stop
        return stop is not None and stop.is_set()

    def result(self, status: Status, **kw: Any) -> PlanResult:
        """A result with this run's settings and clocks."""
        kw.setdefault("wall_seconds", time.perf_counter() - self.started)
        kw.setdefault("first_solution_seconds", self.first_seconds)
        kw.setdefault("solutions", self.solutions)
        kw.setdefault("interrupted", self.interrupted or self.stopped)
        return PlanResult(
            status,
            time_limit=self.time_limit,
            seed=self.seed,
            workers=self.options.workers,
            **kw,
        )

    def report(self, phase: str, state: PlanState | None, value: float | None = None) -> None:
        """Tell the caller where the search stands."""
        if self.options.on_progress is None or self.inst is None:
            return
        inst = self.inst
        km = trips = None
        if state is not None and state.complete():
            f = figures(inst, state.at)
            km, trips = round(f.travel_km, 1), f.trips
            value = objective(inst, state.at) if value is None else value
        self.options.on_progress(
            Progress(
                seconds=time.perf_counter() - self.started,
                objective=float(value or 0.0),
                bound=float(self.bound or 0.0),
                solutions=self.solutions,
                phase=phase,
                placed=len(state.at) if state is not None else 0,
                total=len(inst.meetings),
                travel_km=km,
                trips=trips,
            )
        )

    def found(self, state: PlanState) -> None:
        """Count a complete plan (the first one's time is kept)."""
        self.solutions += 1
        if self.first_seconds is None:
            self.first_seconds = time.perf_counter() - self.started


def plan(problem: Problem, options: SolveOptions | None = None) -> PlanResult:
    """Plan every network's meetings for the horizon.

    Parameters
    ----------
    problem
        The validated problem.
    options
        Time limit, seed, workers, hint, progress callback, stop event.

    Returns
    -------
    PlanResult
        With a schedule when the status is optimal or feasible; with an
        explanation when it is infeasible (proven) or unknown (no plan found
        in time, nothing proven).
    """
    from planner.solver.explain import explain_infeasible, fixed_conflicts, no_plan_text, precheck

    options = options or SolveOptions()
    s = problem.settings
    run = Run(
        problem,
        options,
        time_limit=s.time_limit if options.time_limit is None else options.time_limit,
        seed=s.seed if options.seed is None else options.seed,
    )
    reasons = precheck(problem)
    inst = run.inst = build_instance(problem)
    reasons = reasons or fixed_conflicts(inst)
    if reasons:
        return run.result(Status.INFEASIBLE, explanation=tuple(reasons))
    if any(not m.days or not m.venues for m in inst.meetings):
        return run.result(Status.INFEASIBLE, explanation=tuple(explain_infeasible(problem)))
    run.report("start", None)
    state = start_phase(run, inst)
    if state.complete() and not valid(inst, state) and not run.stopped:
        state = wish_phase(run, inst, state)  # a plan may come sooner than a whole model's
    pairs = sum(len(full_candidates(inst, m)) for m in inst.free)
    optimal = False
    if (pairs <= WHOLE_MAX_PAIRS or not valid(inst, state)) and pairs <= PROOF_MAX_PAIRS:
        share = 0.9 if pairs <= WHOLE_MAX_PAIRS else 0.5
        exact = pairs <= WHOLE_MAX_PAIRS
        verdict, state, optimal = whole_phase(run, inst, state, share, exact=exact)
        if verdict == cp_model.INFEASIBLE and (exact or inst.metric):
            lines = explain_infeasible(problem, time_limit=min(10.0, run.time_limit))
            return run.result(Status.INFEASIBLE, explanation=tuple(lines))
    if not valid(inst, state) and not run.stopped:
        state = repair_phase(run, inst, state)
    if not valid(inst, state):
        return run.result(Status.UNKNOWN, explanation=no_plan_text(run.time_limit, inst, state))
    if not optimal and not run.stopped:
        state = relocate_phase(run, inst, state)
        state = timing_phase(run, inst, state)
        state = improve_phase(run, inst, state)
    return _finish(run, inst, state, optimal)


def valid(inst: Instance, state: PlanState) -> bool:
    """Whether ``state`` is a plan: every meeting placed, every hard relay wish held."""
    return state.complete() and shortfall(inst, state.at)[1] == 0


# ------------------------------------------------------------------ phases
def start_phase(run: Run, inst: Instance) -> PlanState:
    """The best start plan: the hint's meetings that still fit completed, the day types'
    plan and seeded constructions, within a deterministic work budget (``START_SHARE`` of
    the time limit; at least ``START_WORK_PER_MEETING`` per meeting until there is a plan)."""
    share = WORK_PER_SECOND * START_SHARE * run.time_limit
    # the floor is for a first plan: once one exists, more starts only within the share
    work = Work(budget=max(share, START_WORK_PER_MEETING * len(inst.free)))
    starts: list[PlanState | None] = [None]
    hint = run.options.hint or tuple(
        (f.network, f.date, f.start, f.venue) for f in inst.problem.previous
    )
    if hint:
        starts.insert(0, state_from_placements(inst, hint))
    # the day types depend on no start plan: with a second core they run beside them
    beside: parallel.Beside[DayTypes] | parallel.Forked[DayTypes] | None = None
    if run.options.workers > 1:
        none: DayTypes = (None, 0.0)
        beside = parallel.beside(partial(_day_types, run, inst), cancelled=none)
    try:
        return _starts(run, inst, starts=starts, work=work, share=share, beside=beside)
    finally:
        if beside is not None:
            beside.cancel()


def _starts(
    run: Run,
    inst: Instance,
    *,
    starts: list[PlanState | None],
    work: Work,
    share: float,
    beside: parallel.Beside[DayTypes] | parallel.Forked[DayTypes] | None,
) -> PlanState:
    """The start plans in turn (see :func:`start_phase`); the best."""
    rng = random.Random(run.seed)
    best: PlanState | None = None
    k, relay_tried = 0, False
    while starts or k < STARTS:
        seed_state = starts.pop(0) if starts else None
        if seed_state is None and best is not None and not best.complete():
            seed_state = best  # go on placing the meetings still missing
        state = construct(inst, rng=rng if k else None, work=work, start=seed_state)
        k += 1
        if best is None or _better(inst, state, best):
            best = state
            if valid(inst, state):
                run.found(state)
            run.report("start", best)
        if work.exhausted or run.stopped:
            break
        if not relay_tried and not starts:  # after the first plan: the day types
            relay_tried = True
            relay = _day_type_state(run, inst, beside)
            if relay is not None:
                starts.append(relay)
        if not starts and (k >= STARTS or (valid(inst, best) and work.done >= share)):
            break
    assert best is not None
    return best


def _day_types(run: Run, inst: Instance, stop: threading.Event | None) -> DayTypes:
    """A day-type plan's placements (:mod:`planner.solver.daytypes`) and its work."""
    return day_type_start(
        inst,
        seed=run.seed,
        det_limit=DAY_TYPE_SHARE * run.budget,
        wall_limit=max(1.0, run.wall_deadline - time.perf_counter()),  # a guard only
        max_sets=min(MAX_SETS, round(DAY_TYPE_SETS_PER_SECOND * run.time_limit)),
        stop=stop,
    )


def _day_type_state(
    run: Run, inst: Instance, beside: parallel.Beside[DayTypes] | parallel.Forked[DayTypes] | None
) -> PlanState | None:
    """The placements of a day-type plan that fit (computed here, or taken from beside)."""
    made: DayTypes | None = None
    if beside is not None:
        try:
            made = beside.result(run.options.stop)
        except parallel.ChildLostError:  # e.g. out of memory: made here, as on one worker
            made = None
    placements, spent = made if made is not None else _day_types(run, inst, run.options.stop)
    run.spent += spent
    if placements is None:
        return None
    return state_from_placements(
        inst, tuple((n, inst.date_of(d), t, u) for n, d, t, u in placements)
    )


def _better(inst: Instance, a: PlanState, b: PlanState) -> bool:
    if len(a.at) != len(b.at):
        return len(a.at) > len(b.at)
    return a.complete() and objective(inst, a.at) < objective(inst, b.at)


def whole_phase(
    run: Run, inst: Instance, state: PlanState, share: float, *, exact: bool
) -> tuple[int, PlanState, bool]:
    """One CP-SAT model over every free meeting; returns its status, the best plan
    and whether it is proven optimal (only an ``exact`` model can prove that)."""
    run.report("whole", state)
    empty = PlanState(inst)
    built = build_model(inst, empty, Scope.whole(inst, exact=exact))
    built.variables.hint(state.at)
    det = max(0.5, share * (run.budget - run.spent))
    solver = make_solver(
        run.seed,
        det,
        max(1.0, run.wall_deadline - time.perf_counter()),
        workers=run.options.workers,
        log=run.options.log,
        whole=True,
    )
    step = solve_step(built, solver, run.options.stop)
    run.spent += step.det_time
    if step.placed is None:
        return step.status, state, False
    found = PlanState(inst, step.placed)
    # the model leaves out what kept meetings alone cost: a constant
    offset = objective(inst, found.at) - (step.objective or 0.0)
    run.bound = None if step.bound is None else step.bound + offset
    if not valid(inst, state) or objective(inst, found.at) <= objective(inst, state.at):
        run.found(found)
        run.report("whole", found)
        state = found
    optimal = exact and step.status == cp_model.OPTIMAL and state is found and not run.stopped
    return step.status, state, optimal


def repair_phase(run: Run, inst: Instance, state: PlanState) -> PlanState:
    """CP-SAT steps that place each missing meeting, freeing what stands around it."""
    run.report("repair", state)
    rng = random.Random(run.seed + 1)
    for attempt in range(6):
        missing = state.missing()
        if not missing or run.spent >= run.budget or run.stopped:
            break
        for m in missing:
            if m in state.at or run.stopped:
                continue
            around = _around(inst, state, m, width=7 * (attempt + 1))
            meetings = [m, *rng.sample(around, min(len(around), 20 + 10 * attempt))]

            def pick(
                st: PlanState, q: int, freed: set[int], m: int = m, base: PlanState = state
            ) -> tuple[Any, ...]:
                if q == m:
                    return full_candidates(inst, q)
                return candidates_near(inst, base, q, freed)

            placed, spent, _ = run_step(
                inst,
                state,
                meetings,
                seed=rng.randrange(1 << 30),
                det_limit=2.0 + attempt,
                wall_limit=max(0.5, run.wall_deadline - time.perf_counter()),
                stop=run.options.stop,
                candidates=pick,
            )
            run.spent += spent
            if placed is not None:
                state = moved(state, meetings, placed)
                run.report("repair", state)
    state = wish_phase(run, inst, state)
    if valid(inst, state):
        run.found(state)
    return state


def wish_phase(run: Run, inst: Instance, state: PlanState) -> PlanState:
    """Hard relay wishes the complete plan ``state`` does not hold yet: each repaired by
    the first placement that holds it, then the repaired neighbourhoods polished."""
    state, steps = wish_repair(run, inst, state)
    if steps and valid(inst, state):
        run.found(state)
        state = wish_polish(run, inst, state, steps)
    return state


def _around(inst: Instance, state: PlanState, m: int, width: int) -> list[int]:
    """Placed free meetings near ``m``'s even point that share its members or venues."""
    spec = inst.meetings[m]
    target = inst.even_day(spec.network, max(spec.order, 0))
    linked = set(inst.linked[m]) | set(inst.by_network[spec.network])
    venues = set(spec.venues)
    return [
        q
        for q, (d, _, u) in sorted(state.at.items())
        if not inst.meetings[q].fixed and abs(d - target) <= width and (q in linked or u in venues)
    ]


def relocate_phase(run: Run, inst: Instance, state: PlanState) -> PlanState:
    """Single meetings moved onto days where their members meet anyway (no CP-SAT)."""
    run.report("improve", state)
    work = Work(
        budget=WORK_PER_SECOND * RELOCATE_SHARE * run.time_limit,
        stop=run.options.stop,
        deadline=run.wall_deadline,
    )
    moved, _ = iterate(inst, state, rng=random.Random(run.seed), work=work, objective=objective)
    if objective(inst, moved.at) < objective(inst, state.at):
        run.solutions += 1
        run.report("improve", moved)
        return moved
    return state


def improve_phase(run: Run, inst: Instance, state: PlanState) -> PlanState:
    """Large-neighbourhood search for the rest of the budget."""
    run.report("improve", state)
    search = Search(
        inst=inst,
        state=state,
        value=objective(inst, state.at),
        rng=random.Random(run.seed),
        budget=run.budget - run.spent,
        wall_deadline=run.wall_deadline,
        stop=run.options.stop,
    )

    def improved(s: Search) -> None:
        run.solutions += 1
        run.report("improve", s.state, s.value)

    improve(search, threads=max(1, run.options.workers), on_improve=improved)
    run.spent += search.spent
    return search.state


def timing_phase(run: Run, inst: Instance, state: PlanState) -> PlanState:
    """Re-time each day's parts of linked meetings exactly (same dates and venues).

    Parts (:func:`planner.solver.timing.day_parts`) are independent, so each
    is its own small model, judged by its own meetings' objective and the
    terms that span parts (:func:`planner.solver.timing.part_value`).
    """
    run.report("timing", state)
    state = state.copy()

    def go_on(spent: float) -> bool:
        within = run.spent + spent < run.budget and time.perf_counter() <= run.wall_deadline
        return within and not run.stopped

    spent = retime_parts(
        inst,
        state,
        day_parts(inst, state),
        seed=run.seed,
        go_on=go_on,
        stop=run.options.stop,
        beside=run.options.workers > 1,
    )
    run.spent += spent
    return state


# ------------------------------------------------------------------ endings
def _finish(run: Run, inst: Instance, state: PlanState, optimal: bool) -> PlanResult:
    capped = time.perf_counter() >= run.wall_deadline  # the search's cap, before the judging
    waits = _judged_waits(run, inst, state)
    run.report("done", state)
    f = figures(inst, state.at)
    placements = [
        (inst.meetings[i].network, inst.date_of(d), t, u)
        for i, (d, t, u) in sorted(state.at.items())
    ]
    return run.result(
        Status.OPTIMAL if optimal else Status.FEASIBLE,
        schedule=Schedule.build(run.problem, placements),
        objective=float(objective(inst, state.at)),
        bound=run.bound,
        figures=f.as_dict(),
        wall_capped=capped,
        waits=waits,
    )


def _judged_waits(run: Run, inst: Instance, state: PlanState) -> tuple[JudgedWait, ...]:
    """The verdict on each long wait (:mod:`planner.solver.waits`), within ``JUDGE_SHARE``
    of the budget (at least ``JUDGE_MIN``); none asked when the user stopped the run."""
    if run.stopped:
        return ()
    run.report("waits", state)
    budget = max(JUDGE_MIN, JUDGE_SHARE * run.budget)
    return judge_waits(
        inst,
        state,
        seed=run.seed,
        budget=budget,
        wall_deadline=run.wall_deadline,
        stop=run.options.stop,
        beside=run.options.workers > 1,
    )


__all__ = ["PlanResult", "Progress", "SolveOptions", "Status", "plan"]
