"""Large-neighbourhood search around the CP-SAT model, deterministic by construction.

Each step frees the meetings of one neighbourhood, fixes all others to the
current plan, and lets CP-SAT re-optimise the freed ones (one worker, a
deterministic time limit, the current plan as hint). Two steps run side by
side on two threads (CP-SAT releases the GIL) and their outcomes are merged
in a fixed order, so the result depends only on the input and the seed.

Neighbourhoods, drawn with ``random.Random(seed)``:

- **period**: every meeting in a stretch of days (where relays are formed);
- **networks**: a network and the networks that share most members with it,
  within a stretch of the horizon;
- **person**: the networks of one required member, within a stretch.

The size of a neighbourhood adapts: it grows after steps that finish
(optimal or improved) and shrinks after steps that run out of time.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solver.evaluate import objective
from planner.solver.model import Model, step_solver
from planner.solver.neighbourhood import solve_neighbourhood
from planner.solver.sequence import sequence_sessions
from planner.solver.variables import Chosen

Slot = tuple[int, int, str]
ROUND_OVERHEAD = 0.05
"""Deterministic seconds charged per round for building models and sequencing,
so that many quick rounds cannot outrun the wall clock."""

STEP_LIMIT = 1.0
"""Deterministic seconds of one neighbourhood step."""


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What one neighbourhood step found."""

    chosen: dict[int, Slot] | None
    objective: int | None
    optimal: bool
    det_time: float


@dataclass
class SearchState:
    """The incumbent and the search's bookkeeping."""

    chosen: dict[int, Slot]
    objective: int
    det_used: float = 0.0
    steps: int = 0
    improvements: int = 0
    size: int = 16


def evaluate(built: Model, chosen: Chosen, *, seed: int = 0) -> tuple[dict[int, Slot], int] | None:
    """Objective of a complete plan (every meeting fixed), or ``None`` if it breaks a rule."""
    outcome = _solve_with_fixed(built, chosen, free=set(), seed=seed, det_limit=5.0)
    if outcome.chosen is None or outcome.objective is None:
        return None
    return outcome.chosen, outcome.objective


def _solve_with_fixed(
    built: Model, chosen: Chosen, *, free: set[int], seed: int, det_limit: float
) -> StepOutcome:
    v = built.variables
    venue_pos = {venue.id: k for k, venue in enumerate(v.inst.problem.venues)}
    sub = built.model.clone()
    for i, (d, t, _) in chosen.items():
        if i in free:
            continue
        sub.add(sub.get_int_var_from_proto_index(v.day[i].index) == d)
        sub.add(sub.get_int_var_from_proto_index(v.start[i].index) == t)
        pos = venue_pos[chosen[i][2]]
        sub.add(sub.get_int_var_from_proto_index(v.venue_index[i].index) == pos)
    sub.clear_hints()  # type: ignore[no-untyped-call]
    for var, value in v.values(chosen).items():
        sub.add_hint(sub.get_int_var_from_proto_index(var.index), value)
    solver = step_solver(seed, det_limit)
    status = solver.solve(sub)
    det = float(solver.deterministic_time)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return StepOutcome(None, None, False, det)
    return StepOutcome(
        v.extract(solver), round(solver.objective_value), status == cp_model.OPTIMAL, det
    )


def _neighbourhood(built: Model, state: SearchState, rng: random.Random) -> set[int]:
    inst = built.instance
    problem = inst.problem
    free_meetings = [m.index for m in inst.meetings if not m.fixed]
    if not free_meetings:
        return set()
    target = min(state.size, len(free_meetings))
    kind = rng.choice(("period", "networks", "person"))
    by_day = sorted(free_meetings, key=lambda i: (state.chosen[i][0], i))
    if kind == "period" or len(problem.networks) < 3:
        k = rng.randrange(len(by_day))
        lo = max(0, min(k - target // 2, len(by_day) - target))
        return set(by_day[lo : lo + target])
    if kind == "networks":
        seed_net = rng.choice(problem.networks).id
        members = set(problem.required_members(seed_net))
        ranked = sorted(
            (n.id for n in problem.networks if n.id != seed_net),
            key=lambda n: (-len(members & set(problem.required_members(n))), n),
        )
        nets = [seed_net, *ranked]
    else:
        people = [p.id for p in problem.people if problem.networks_of(p.id)]
        person = rng.choice(people) if people else None
        nets = list(problem.networks_of(person)) if person is not None else []
        rng.shuffle(nets)
        nets += [n.id for n in problem.networks if n.id not in nets]
    # take meetings of the first networks, around a random centre day, up to target
    centre = rng.randrange(inst.horizon)
    chosen_nets: list[str] = []
    pool: list[int] = []
    for n in nets:
        chosen_nets.append(n)
        pool += [i for i in inst.by_network[n] if not inst.meetings[i].fixed]
        if len(pool) >= 2 * target and len(chosen_nets) >= 2:
            break
    pool.sort(key=lambda i: (abs(state.chosen[i][0] - centre), i))
    return set(pool[:target])


def improve(
    built: Model,
    state: SearchState,
    *,
    seed: int,
    det_budget: float,
    wall_deadline: float,
    step_limit: float | None = None,
    on_improve: Callable[[SearchState], None] | None = None,
    threads: int = 2,
) -> SearchState:
    """Improve ``state`` in place until the deterministic budget is spent.

    Stops early at ``wall_deadline`` (``time.perf_counter()`` value), which
    only a very slow machine reaches.
    """
    rng = random.Random(seed)
    step_limit = STEP_LIMIT if step_limit is None else step_limit
    total = len([m for m in built.instance.meetings if not m.fixed])
    state.size = max(2, min(state.size, total))
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        while state.det_used < det_budget and time.perf_counter() < wall_deadline:
            hoods = [_neighbourhood(built, state, rng) for _ in range(max(1, threads))]
            seeds = [rng.randrange(1 << 30) for _ in hoods]
            futures = [
                pool.submit(
                    solve_neighbourhood,
                    built.instance,
                    state.chosen,
                    h,
                    seed=s,
                    det_limit=step_limit,
                )
                for h, s in zip(hoods, seeds, strict=True)
            ]
            outcomes = [f.result() for f in futures]
            state.steps += len(outcomes)
            state.det_used += max(det for _, _, det in outcomes) + ROUND_OVERHEAD
            finished = sum(1 for _, optimal, _ in outcomes if optimal)
            for found, _, _ in outcomes:
                if found is None:
                    continue
                touched = {
                    (plan_[m][0], plan_[m][2])
                    for plan_ in (state.chosen, found)
                    for m in found
                    if found[m] != state.chosen[m]
                }
                sequenced = sequence_sessions(
                    built.instance, found, seed=seed, budget=0.2, only=touched
                )
                state.det_used += sequenced.det_time
                candidate = sequenced.chosen
                value = objective(built.instance, candidate, exact_idle=True)
                if value < state.objective:
                    # the other outcome was found against the old plan: keep one
                    state.chosen = candidate
                    state.objective = value
                    state.improvements += 1
                    if on_improve is not None:
                        on_improve(state)
                    break
            if finished == len(outcomes):
                state.size = min(total, state.size + 2)
            elif finished == 0:
                state.size = max(4, state.size - 2)
    return state
