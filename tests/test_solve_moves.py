"""The relocation search's compound moves (planner/solver/moves.py)."""

from __future__ import annotations

import random
from dataclasses import replace

from planner.problem import Membership, Problem
from planner.solver.construct import Builder, Work, construct
from planner.solver.evaluate import figures, objective
from planner.solver.instance import Instance, build_instance
from planner.solver.local import Relocator
from planner.solver.moves import descend_around, replan_network
from planner.solver.state import PlanState
from tests.conftest import GOES, network, overlapping_networks, person, settings


def _two_alike() -> Problem:
    """Networks ``a`` and ``b``, two meetings each, both with required members p and q."""
    return Problem(
        settings=settings(),
        networks=(network("a", meetings=2), network("b", meetings=2)),
        people=(person("p"), person("q", 51.5040, 3.8880)),
        venues=(GOES,),
        memberships=tuple(Membership(n, x) for n in ("a", "b") for x in ("p", "q")),
    )


def _apart(inst: Instance) -> PlanState:
    """``a`` on days 0 and 14 at 09:00, ``b`` on days 3 and 17 at 09:00: four trips each."""
    state = PlanState(inst)
    for n, days in (("a", (0, 14)), ("b", (3, 17))):
        for m, d in zip(inst.by_network[n], days, strict=True):
            state.place(m, (d, 540, "goes"))
    return state


def test_replan_network_moves_a_whole_network_onto_the_days_its_members_meet() -> None:
    """Re-planning ``b`` puts both its meetings on ``a``'s days (one trip a day), right
    after ``a``'s meeting with the changeover, and lowers the objective."""
    inst = build_instance(_two_alike())
    state = _apart(inst)
    before = objective(inst, state.at)
    reloc = Relocator(inst, state)
    moved = replan_network(inst, state, reloc, Builder(inst, state, None), "b", work=Work())
    assert moved is True
    assert [state.at[m] for m in inst.by_network["b"]] == [(0, 615, "goes"), (14, 615, "goes")]
    assert objective(inst, state.at) < before
    assert sorted(reloc.dates["p"].items()) == [(0, 2), (14, 2)]


def test_replan_network_keeps_a_plan_it_cannot_better() -> None:
    """Once ``b`` relays with ``a``, re-planning ``a`` changes nothing."""
    inst = build_instance(_two_alike())
    state = _apart(inst)
    reloc = Relocator(inst, state)
    builder = Builder(inst, state, None)
    replan_network(inst, state, reloc, builder, "b", work=Work())
    kept = dict(state.at)
    assert replan_network(inst, state, reloc, builder, "a", work=Work()) is False
    assert state.at == kept


def test_descend_around_joins_the_shaken_meetings_days() -> None:
    """A local descent from ``b``'s meetings brings the four trips each member makes down
    to two (eight trips to four), every placement still clash-free."""
    inst = build_instance(_two_alike())
    state = _apart(inst)
    descend_around(inst, state, list(inst.by_network["b"]), rng=random.Random(0), work=Work())
    assert figures(inst, state.at).trips == 4
    assert len({d for d, _, _ in state.at.values()}) == 2
    for m, slot in state.at.items():
        rest = PlanState(inst, {q: s for q, s in state.at.items() if q != m})
        assert rest.fits(m, slot)


def test_cached_day_costs_stay_exact_through_moves() -> None:
    """The relocation's cached person-day costs (``Relocator.day_cost``, kept across moves
    and dropped when a day's meetings change) equal a fresh count after each of 60 random
    moves on seven chained networks with optional members, and each move's predicted
    change equals the change of the whole plan's objective."""
    inst = build_instance(overlapping_networks(networks=7, people=18, meetings=6, weeks=8))
    state = construct(inst, rng=None, work=Work(budget=10**6))
    reloc = Relocator(inst, state)
    rng = random.Random(5)
    moves = tries = 0
    while moves < 60:
        tries += 1
        assert tries < 20_000
        m = rng.choice(inst.free)
        spec = inst.meetings[m]
        k = rng.randrange(len(spec.venues))
        days = sorted(spec.venue_days[k])
        d = rng.choice(days) if days else -1
        starts = inst.starts_at(m, d, spec.venues[k]) if days else ()
        if not starts:
            continue
        slot = (d, rng.choice(starts), spec.venues[k])
        if slot == state.at[m] or not state.fits(m, slot):
            continue
        before = objective(inst, state.at)
        predicted = reloc.delta(m, slot)
        reloc.move(m, slot)
        assert objective(inst, state.at) - before == predicted
        fresh = Relocator(inst, state)
        assert all(reloc.day_cost(p, day) == fresh.day_cost(p, day) for p, day in reloc.days)
        moves += 1


def test_a_quick_fit_test_agrees_with_the_full_list_of_conflicts() -> None:
    """``PlanState.fits`` stops at the first person with a conflict; on 3,000 random slots
    of a plan of seven chained networks (with a daily cap of 2, so every rule speaks) it
    says "fits" exactly when the full ``conflicts`` is empty, and what it stops at is part
    of the full list."""
    problem = overlapping_networks(networks=7, people=18, meetings=6, weeks=8)
    problem = replace(problem, settings=replace(problem.settings, max_meetings_per_day=2))
    inst = build_instance(problem)
    state = construct(inst, rng=None, work=Work(budget=10**6))
    rng = random.Random(11)
    seen = {True: 0, False: 0}
    for _ in range(3000):
        m = rng.choice(inst.free)
        spec = inst.meetings[m]
        k = rng.randrange(len(spec.venues))
        days = sorted(spec.venue_days[k])
        starts = inst.starts_at(m, days[0], spec.venues[k]) if days else ()
        if not starts:
            continue
        d = rng.choice(days)
        starts = inst.starts_at(m, d, spec.venues[k]) or starts
        slot = (d, rng.choice(starts), spec.venues[k])
        full = state.conflicts(m, slot)
        first = state.conflicts(m, slot, first_only=True)
        assert state.fits(m, slot) == (not full)
        assert first <= full and bool(first) == bool(full)
        seen[not full] += 1
    assert seen[True] > 50 and seen[False] > 50
