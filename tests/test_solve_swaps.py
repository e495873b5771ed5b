"""The relocation search's swap and session moves (planner/solver/swaps.py)."""

from __future__ import annotations

import random
from dataclasses import replace

from planner.problem import Membership, Problem
from planner.solver.construct import Builder, Work
from planner.solver.evaluate import figures, objective
from planner.solver.instance import Instance, build_instance
from planner.solver.local import Relocator
from planner.solver.state import PlanState
from planner.solver.swaps import _best_venue, move_sessions, swap_meetings
from tests.conftest import GOES, MIDDELBURG, network, person, settings


def _full_day() -> Problem:
    """Networks ``a``, ``b``, ``c`` (one 60-minute meeting each) at ``goes``, open
    09:00-11:15: with the 15-minute changeover a day holds two meetings. ``p`` is in
    ``a`` and ``b``, ``q`` (living in Goes) in ``c``."""
    return Problem(
        settings=settings(),
        networks=(network("a"), network("b"), network("c")),
        people=(person("p"), person("q", 51.5040, 3.8880)),
        venues=(replace(GOES, close=11 * 60 + 15),),
        memberships=(Membership("a", "p"), Membership("b", "p"), Membership("c", "q")),
    )


def _split(inst: Instance) -> PlanState:
    """``a`` 09:00 and ``c`` 10:15 on day 0 (the day is full), ``b`` 09:00 on day 1:
    ``p`` travels twice, ``q`` once."""
    state = PlanState(inst)
    (a,), (b,), (c,) = (inst.by_network[n] for n in ("a", "b", "c"))
    state.place(a, (0, 540, "goes"))
    state.place(c, (0, 615, "goes"))
    state.place(b, (1, 540, "goes"))
    return state


def test_a_swap_brings_a_meeting_into_a_full_day_of_its_members() -> None:
    """``b`` cannot join ``a`` on the full day 0 on its own; trading places with ``c``
    (which takes over ``b``'s 09:00 on day 1) leaves ``p`` one trip: three trips become
    two, and the objective falls."""
    inst = build_instance(_full_day())
    state = _split(inst)
    before = objective(inst, state.at)
    assert figures(inst, state.at).trips == 3
    reloc = Relocator(inst, state)
    made = swap_meetings(
        inst, state, reloc, Builder(inst, state, None), rng=random.Random(0), work=Work()
    )
    (a,), (b,), (c,) = (inst.by_network[n] for n in ("a", "b", "c"))
    assert made == 1
    assert (state.at[a], state.at[b], state.at[c]) == (
        (0, 540, "goes"),
        (0, 615, "goes"),
        (1, 540, "goes"),
    )
    assert figures(inst, state.at).trips == 2
    assert objective(inst, state.at) < before
    assert reloc.dates["p"] == {0: 2}


def test_the_swap_gain_is_the_exact_change_of_the_objective() -> None:
    """The gain of the best swap of ``b`` equals the whole objective's change when it
    is made (the move is judged exactly, not estimated)."""
    from planner.solver.swaps import _best_swap

    inst = build_instance(_full_day())
    state = _split(inst)
    reloc = Relocator(inst, state)
    (b,) = inst.by_network["b"]
    best = _best_swap(inst, state, reloc, Builder(inst, state, None), b, work=Work())
    assert best is not None
    gain, q, slot_b, slot_q = best
    before = objective(inst, state.at)
    reloc.take(b)
    reloc.take(q)
    reloc.put(b, slot_b)
    reloc.put(q, slot_q)
    assert gain < 0
    assert objective(inst, state.at) - before == gain


def test_no_swap_is_made_when_none_pays() -> None:
    """Once ``a`` and ``b`` share day 0, no swap lowers the objective: nothing moves."""
    inst = build_instance(_full_day())
    state = _split(inst)
    reloc = Relocator(inst, state)
    builder = Builder(inst, state, None)
    swap_meetings(inst, state, reloc, builder, rng=random.Random(0), work=Work())
    kept = dict(state.at)
    assert swap_meetings(inst, state, reloc, builder, rng=random.Random(1), work=Work()) == 0
    assert state.at == kept


def _relay_far_from_home() -> Problem:
    """``a`` and ``b`` (one 60-minute meeting each, at ``goes`` or ``middelburg``) share
    ``p``, who lives at Middelburg's venue."""
    return Problem(
        settings=settings(),
        networks=(
            network("a", venues=("goes", "middelburg")),
            network("b", venues=("goes", "middelburg")),
        ),
        people=(person("p", 51.4988, 3.6136),),
        venues=(GOES, MIDDELBURG),
        memberships=(Membership("a", "p"), Membership("b", "p")),
    )


def test_a_session_moves_whole_to_the_venue_its_members_live_at() -> None:
    """The relay ``a`` 09:00, ``b`` 10:15 at ``goes`` costs ``p`` a round trip
    Middelburg -> Goes -> Middelburg; moved together (same date, same starts) to
    ``middelburg`` it costs 0 km, and the gain is the exact change of the objective."""
    inst = build_instance(_relay_far_from_home())
    state = PlanState(inst)
    (a,), (b,) = inst.by_network["a"], inst.by_network["b"]
    state.place(a, (0, 540, "goes"))
    state.place(b, (0, 615, "goes"))
    reloc = Relocator(inst, state)
    assert figures(inst, state.at).travel_km > 40
    before = objective(inst, state.at)
    best = _best_venue(inst, state, reloc, [a, b], work=Work())
    assert best is not None
    assert best[1] == {a: (0, 540, "middelburg"), b: (0, 615, "middelburg")}
    made = move_sessions(inst, state, reloc, rng=random.Random(0), work=Work())
    assert made == 1
    assert (state.at[a], state.at[b]) == ((0, 540, "middelburg"), (0, 615, "middelburg"))
    assert figures(inst, state.at).travel_km == 0
    assert objective(inst, state.at) - before == best[0]


def test_a_session_stays_where_no_other_venue_holds_all_its_meetings() -> None:
    """With ``middelburg`` closed at 10:00, ``b`` (10:15) cannot move there, so the
    session stays at ``goes``: sessions move whole or not at all."""
    problem = _relay_far_from_home()
    problem = replace(problem, venues=(GOES, replace(MIDDELBURG, close=10 * 60)))
    inst = build_instance(problem)
    state = PlanState(inst)
    (a,), (b,) = inst.by_network["a"], inst.by_network["b"]
    state.place(a, (0, 540, "goes"))
    state.place(b, (0, 615, "goes"))
    reloc = Relocator(inst, state)
    assert move_sessions(inst, state, reloc, rng=random.Random(0), work=Work()) == 0
    assert (state.at[a], state.at[b]) == ((0, 540, "goes"), (0, 615, "goes"))
