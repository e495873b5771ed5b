"""Proofs that a hard relay wish cannot be held (planner.solver.wishproof).

One passing and one failing case per test the proof makes (the daily cap, a
common venue, the meetings' times at a venue, common dates), the planner's
answer on a failing one (infeasible, with that reason), and a property: on
random small problems a wish the proof rejects has no plan in the exact model.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from planner.check import check
from planner.problem import Membership, Problem, Together
from planner.solver import SolveOptions, Status, plan
from planner.solver.explain import _feasible
from planner.solver.wishproof import wish_faults
from tests.conftest import GOES, MIDDELBURG, network, person, settings
from tests.test_solve_properties import SETTINGS, problems


def relay_pair(
    *, b_duration: int = 120, slot: int = 15, shared: bool = True, b_latest: int = 17 * 60
) -> Problem:
    """``a`` (from 13:00) then ``b``, 120 minutes each, a hard ordered wish, at ``goes``.

    ``goes`` has one room and is open 09:00-17:00; ``p`` is required in both
    when ``shared``, else ``a`` has ``p`` and ``b`` has ``q``. ``b`` must end
    by ``b_latest``.
    """
    return Problem(
        settings=settings(slot=slot),
        networks=(
            network("a", duration=120, earliest=13 * 60),
            network("b", duration=b_duration, latest=b_latest),
        ),
        people=(person("p"), person("q")),
        venues=(GOES,),
        memberships=(Membership("a", "p"), Membership("b", "p" if shared else "q")),
        together=(Together(("a", "b"), 1, order=True, hard=True),),
    )


def test_an_ordered_relay_that_ends_after_the_day_is_rejected_with_its_times() -> None:
    """a 13:00-15:00, then b after 15 minutes changeover 15:15-17:15: 15 minutes past 17:00."""
    (line,) = wish_faults(relay_pair())
    assert line.startswith("The relay wish a + b (hard, 1 time(s), in this order) cannot be held")
    assert "a 13:00-15:00, then b 15:15-17:15" in line
    assert "b must end by 17:00: 15 minutes too late" in line
    assert "a must end" not in line  # a itself fits


def test_an_ordered_relay_that_just_fits_is_not_rejected() -> None:
    """b of 105 minutes: 15:15-17:00 ends exactly at the venue's close (fits)."""
    assert wish_faults(relay_pair(b_duration=105)) == []


def test_the_slot_grid_can_push_a_relay_past_the_day() -> None:
    """b of 90 minutes ending by 16:55: slot 15 gives 15:15-16:45 (fits); slot 30 from
    09:00 cannot start at 15:15, the next grid time 15:30 ends 17:00, 5 minutes late."""
    assert wish_faults(relay_pair(b_duration=90, b_latest=16 * 60 + 55)) == []
    (line,) = wish_faults(relay_pair(b_duration=90, slot=30, b_latest=16 * 60 + 55))
    assert "b 15:30-17:00" in line and "b must end by 16:55: 5 minutes too late" in line


def test_no_changeover_between_a_relay_without_shared_members_in_two_rooms() -> None:
    """No shared member and two rooms: b may start at a's end, 15:00-17:00 (fits)."""
    pair = relay_pair(shared=False)
    assert wish_faults(replace(pair, venues=(replace(GOES, rooms=2),))) == []
    # one room: the room stays taken 15 minutes after a ends, so b ends 17:15
    assert len(wish_faults(pair)) == 1


def test_the_planner_answers_infeasible_with_the_wish_reason() -> None:
    """The planner proves it before any search: INFEASIBLE, the wish's line, no schedule."""
    result = plan(relay_pair(), SolveOptions(time_limit=5, seed=0))
    assert result.status is Status.INFEASIBLE and result.schedule is None
    assert result.explanation == tuple(wish_faults(relay_pair()))


def test_a_relay_that_fits_gets_a_plan_that_holds_it() -> None:
    """The 105-minute relay: a plan the checker passes, the wish held (a 13:00, b 15:15)."""
    problem = relay_pair(b_duration=105)
    result = plan(problem, SolveOptions(time_limit=5, seed=0))
    assert result.schedule is not None
    report = check(problem, result.schedule)
    assert report.hard_violations == 0
    assert sorted((m.network, m.start) for m in result.schedule) == [("a", 780), ("b", 915)]


def three_long(duration: int) -> Problem:
    """Three networks of ``duration`` minutes, an unordered hard wish, one-room ``goes``."""
    return Problem(
        settings=settings(),
        networks=tuple(network(n, duration=duration) for n in "abc"),
        people=(person("p"),),
        venues=(GOES,),
        memberships=(Membership("a", "p"),),
        together=(Together(("a", "b", "c"), 1, hard=True),),
    )


def test_an_unordered_relay_that_fits_in_no_order_is_rejected() -> None:
    """3 x 165 + 2 x 15 changeover = 525 minutes > the 480 of 09:00-17:00, in any order."""
    (line,) = wish_faults(three_long(165))
    assert "in the best order" in line and "45 minutes too late" in line
    # 3 x 150 + 30 = 480: fits exactly
    assert wish_faults(three_long(150)) == []


def test_a_member_in_more_wish_networks_than_the_daily_cap_is_named() -> None:
    """p is required in a, b and c; at most 2 meetings a day: the wish cannot be held."""
    problem = replace(
        three_long(60),
        settings=settings(max_meetings_per_day=2),
        memberships=tuple(Membership(n, "p") for n in "abc"),
    )
    (line,) = wish_faults(problem)
    assert "p is a required member of 3 of its networks but may have at most 2" in line
    assert wish_faults(replace(problem, settings=settings(max_meetings_per_day=3))) == []


def test_networks_without_a_common_venue_are_named() -> None:
    """a meets at goes only, b at middelburg only: no session can hold both."""
    problem = replace(
        relay_pair(b_duration=60),
        networks=(network("a"), network("b", venues=("middelburg",))),
        venues=(GOES, MIDDELBURG),
    )
    (line,) = wish_faults(problem)
    assert "no venue is allowed for all of its networks" in line
    both = replace(problem, networks=(network("a"), network("b", venues=("goes", "middelburg"))))
    assert wish_faults(both) == []


def test_networks_without_a_common_date_are_named() -> None:
    """a meets on Mondays, b on Tuesdays: 0 common dates, room for 0 of 1 session."""
    problem = replace(
        relay_pair(b_duration=60),
        networks=(network("a", weekdays=frozenset({0})), network("b", weekdays=frozenset({1}))),
    )
    (line,) = wish_faults(problem)
    assert "on only 0 date(s)" in line and "room for 0 session(s)" in line
    # both on Mondays: 4 Mondays in the four-week horizon, one meeting each: 1 session fits
    mondays = frozenset({0})
    both = replace(
        problem, networks=(network("a", weekdays=mondays), network("b", weekdays=mondays))
    )
    assert wish_faults(both) == []


def test_too_many_sessions_for_the_common_dates_at_the_least_gap_are_named() -> None:
    """Two sessions asked; a and b meet twice, 21 days apart, in a horizon of 26 days
    with one common date a week (Mondays 6, 13, 20, 27 Sep): 6 and 27 Sep fit, so 2 fit;
    with a gap of 22 days only 1 does."""
    nets = tuple(network(n, meetings=2, min_gap_days=21, weekdays=frozenset({0})) for n in "ab")
    problem = replace(
        relay_pair(b_duration=60),
        networks=nets,
        together=(Together(("a", "b"), 2, hard=True),),
    )
    assert problem.settings.end == date(2027, 10, 1)
    assert wish_faults(problem) == []
    wider = replace(problem, networks=tuple(replace(n, min_gap_days=22) for n in nets))
    (line,) = wish_faults(wider)
    assert "on only 4 date(s)" in line and "room for 1 session(s)" in line


@st.composite
def wish_problems(draw: st.DrawFn) -> Problem:
    """A random small problem with one hard relay wish over two or three of its networks."""
    problem = draw(problems(min_days=5, max_people=4))
    ids = [n.id for n in problem.networks]
    chosen = draw(
        st.lists(st.sampled_from(ids), min_size=2, max_size=min(3, len(ids)), unique=True)
    )
    wish = Together(tuple(chosen), draw(st.integers(1, 2)), order=draw(st.booleans()), hard=True)
    return replace(problem, together=(wish,))


@SETTINGS
@given(wish_problems())
def test_a_rejected_wish_has_no_plan_in_the_exact_model(problem: Problem) -> None:
    """Soundness: whenever the proof rejects the wish, the exact model finds no plan
    (it may not decide in its budget, but it must never find one)."""
    if wish_faults(problem):
        verdict, _ = _feasible(problem, 5.0)
        assert verdict is not True


def test_a_hard_wish_its_fixed_meetings_do_not_hold_is_a_proof() -> None:
    """a and b each have one meeting, fixed at goes on 6 and 7 Sep: no session holds
    both, and nothing can move. The precheck names the wish, and the exact model
    (which skipped a wish without free meetings before) finds no plan either."""
    from planner.problem import FixedMeeting
    from planner.solver.explain import fixed_conflicts
    from planner.solver.instance import build_instance

    problem = replace(
        relay_pair(b_duration=60),
        networks=(network("a"), network("b")),
        fixed=(
            FixedMeeting("a", date(2027, 9, 6), 9 * 60, "goes"),
            FixedMeeting("b", date(2027, 9, 7), 9 * 60, "goes"),
        ),
    )
    assert wish_faults(problem) == []  # dates, venue and times would allow it
    (line,) = fixed_conflicts(build_instance(problem))
    assert line.startswith("The relay wish a + b (hard, 1 time(s), in this order) is not held")
    assert _feasible(problem, 5.0)[0] is False
    result = plan(problem, SolveOptions(time_limit=5, seed=0))
    assert result.status is Status.INFEASIBLE and result.explanation == (line,)
    # b fixed on 6 Sep at 10:15, after a ends at 10:00 and a changeover: held, a plan
    held = replace(
        problem,
        fixed=(problem.fixed[0], FixedMeeting("b", date(2027, 9, 6), 10 * 60 + 15, "goes")),
    )
    assert fixed_conflicts(build_instance(held)) == []
    assert plan(held, SolveOptions(time_limit=5, seed=0)).status is Status.OPTIMAL


def test_the_exact_model_refutes_a_relay_that_cannot_run_without_search() -> None:
    """In the model, a session whose ordered run cannot fit (a 13:00-15:00, b 15:15-17:15
    past 17:00 with the changeover) is ruled out when built: infeasible in 0 det s. With
    b of 105 minutes (15:15-17:00) the model finds the plan."""
    verdict, det = _feasible(relay_pair(), 5.0)
    assert verdict is False and det < 0.01
    assert _feasible(relay_pair(b_duration=105), 5.0)[0] is True
    # no shared member, two rooms: no changeover needed, b 15:00-17:00 fits
    pair = relay_pair(shared=False)
    assert _feasible(replace(pair, venues=(replace(GOES, rooms=2),)), 5.0)[0] is True


@st.composite
def soft_wish_problems(draw: st.DrawFn) -> Problem:
    """A random small problem with one soft relay wish (ordered or not) over two networks."""
    problem = draw(problems(min_days=5, max_people=4))
    ids = [n.id for n in problem.networks]
    chosen = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
    wish = Together(tuple(chosen), 1, order=draw(st.booleans()))
    return replace(problem, together=(wish,))


@hyp_settings(max_examples=15, deadline=None, derandomize=True)
@given(soft_wish_problems())
def test_a_wish_a_checked_plan_holds_is_never_refuted(problem: Problem) -> None:
    """Soundness of the wish in the model and of the proof: plan with the wish soft; when
    the plan (0 hard violations) holds it, neither the proof nor the exact model with the
    wish made hard may say it cannot be held."""
    result = plan(problem, SolveOptions(time_limit=2, seed=0))
    if result.schedule is None:
        return
    report = check(problem, result.schedule)
    assert report.hard_violations == 0
    if report.figures.together_met < 1:
        return
    hard = replace(problem, together=(replace(problem.together[0], hard=True),))
    assert wish_faults(hard) == []
    assert _feasible(hard, 5.0)[0] is not False
