"""The day-type start plan: networks that share members meet on one date, at one venue, back
to back, on dates that keep every rule it knows (members' days, gaps, fixed meetings)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from planner.problem import FixedMeeting, Membership, Problem
from planner.solver.daytypes import day_type_start
from planner.solver.instance import build_instance
from tests.conftest import network, person, settings, two_networks_one_member, venue


def placements(problem: Problem) -> list[tuple[str, date, str, str]]:
    inst = build_instance(problem)
    found, spent = day_type_start(inst, seed=0, det_limit=1.0, wall_limit=30.0)
    assert found is not None
    assert spent > 0
    return sorted((n, inst.date_of(d), f"{t // 60:02d}:{t % 60:02d}", u) for n, d, t, u in found)


def test_two_networks_sharing_a_member_become_one_relay_day() -> None:
    """a (p, q; Goes) and b (p; Goes or Middelburg) meet on one date at Goes, back to back."""
    # Types: {a}@goes, {b}@goes, {b}@middelburg, {a, b}@goes. One {a, b} day
    # costs p one trip to Goes (59.3 km) and 15 minutes of changeover; {a} and
    # {b} apart cost p a second trip. Order a, b (both orders cost the same;
    # the first is kept): 09:00 and 09:00 + 60 + 15 = 10:15. The date: the
    # even point of a lone meeting in 26 days is day 13 (Sunday 2027-09-19);
    # Friday the 17th and Monday the 20th are both 1 day off.
    rows = placements(two_networks_one_member())
    assert [(n, t, u) for n, _, t, u in rows] == [("a", "09:00", "goes"), ("b", "10:15", "goes")]
    assert rows[0][1] == rows[1][1] in (date(2027, 9, 17), date(2027, 9, 20))


def test_days_keep_gaps_fixed_meetings_and_members_days() -> None:
    """n1 has a fixed meeting on Sep 13: its other meeting keeps 7 days away; n2 (p's other
    network) stays off Sep 13 too."""
    # Horizon 2027-09-06..10-01 (26 days), min_gap_days 7. n1: 2 meetings,
    # one fixed on Monday 2027-09-13 (day 7), so its free one lies on day <= 0
    # or >= 14: Sep 6 or Sep 20 and later. n2 (p and q) may share that day
    # with n1, but never Sep 13, p's fixed date.
    x = venue("x", 52.0, 5.0)
    problem = Problem(
        settings=settings(),
        networks=(network("n1", meetings=2, venues=("x",)), network("n2", venues=("x",))),
        people=(person("p", 52.0, 5.0), person("q", 52.0, 5.0)),
        venues=(x,),
        memberships=(Membership("n1", "p"), Membership("n2", "p"), Membership("n2", "q")),
        fixed=(FixedMeeting("n1", date(2027, 9, 13), 9 * 60, "x"),),
    )
    rows = placements(problem)
    assert [n for n, *_ in rows] == ["n1", "n2"]  # n1's free meeting, not its fixed one
    (_, d1, _, _), (_, d2, _, _) = rows
    assert d1 == date(2027, 9, 6) or d1 >= date(2027, 9, 20)
    assert d2 != date(2027, 9, 13)


def test_hard_relay_wishes_leave_it_to_the_construction() -> None:
    """With a hard relay wish the day types (which do not hold wishes) are not made."""
    from planner.problem import Together

    problem = replace(two_networks_one_member(), together=(Together(("a", "b"), 1, hard=True),))
    found, spent = day_type_start(build_instance(problem), seed=0, det_limit=1.0, wall_limit=30.0)
    assert (found, spent) == (None, 0.0)


def test_large_inputs_are_left_to_the_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    """A part above MAX_MEETINGS free meetings gets no day types (and no time is spent)."""
    from planner.solver import daytypes

    monkeypatch.setattr(daytypes, "MAX_MEETINGS", 1)  # two_networks_one_member has 2
    inst = build_instance(two_networks_one_member())
    assert day_type_start(inst, seed=0, det_limit=1.0, wall_limit=30.0) == (None, 0.0)


def test_a_stop_ends_it_without_day_types() -> None:
    """Ctrl-C (the stop event) before the day types: none are made."""
    import threading

    stop = threading.Event()
    stop.set()
    inst = build_instance(two_networks_one_member())
    found, _ = day_type_start(inst, seed=0, det_limit=1.0, wall_limit=30.0, stop=stop)
    assert found is None


def test_a_fixed_meeting_elsewhere_leaves_the_free_ones_their_venues() -> None:
    """n1's fixed meeting is at y; its free meeting may still use x and joins n2 there."""
    # n1 (p) may meet at x or y, n2 (p, q) only at x; p and q live at x, y is
    # 40 km away. One {n1, n2} day at x costs 2 trips and p's 15-minute
    # changeover; apart they cost 3 trips: the free n1 meeting joins n2 at x
    # (its fixed one, at y on Monday 2027-09-13, keeps it 7 days away).
    x, y = venue("x", 52.0, 5.0), venue("y", 52.0, 5.5)
    problem = Problem(
        settings=settings(),
        networks=(network("n1", meetings=2, venues=("x", "y")), network("n2", venues=("x",))),
        people=(person("p", 52.0, 5.0), person("q", 52.0, 5.0)),
        venues=(x, y),
        memberships=(Membership("n1", "p"), Membership("n2", "p"), Membership("n2", "q")),
        fixed=(FixedMeeting("n1", date(2027, 9, 13), 9 * 60, "y"),),
    )
    (n1, d1, _, u1), (n2, d2, _, u2) = placements(problem)
    assert (n1, u1, n2, u2) == ("n1", "x", "n2", "x")
    assert d1 == d2
    assert abs((d1 - date(2027, 9, 13)).days) >= 7


def two_regions() -> Problem:
    """Two parts that share nobody: a and b (member p) at goes; c and d (member s) at
    middelburg, d with two meetings."""
    base = two_networks_one_member()
    return replace(
        base,
        networks=(
            *base.networks,
            network("c", venues=("middelburg",)),
            network("d", meetings=2, venues=("middelburg",)),
        ),
        people=(*base.people, person("s", 51.4988, 3.6136), person("t", 51.4988, 3.6136)),
        memberships=(
            *base.memberships,
            Membership("c", "s"),
            Membership("c", "t"),
            Membership("d", "s"),
        ),
    )


def test_each_part_gets_its_own_relay_days() -> None:
    """a and b (sharing p) meet on one date at goes; c and d (sharing s) on one date at
    middelburg; the two parts are dated apart from each other."""
    # Part {a, b} is two_networks_one_member: one relay day at goes, a at
    # 09:00 and b at 10:15. Part {c, d}: one {c, d} day saves s a trip, and
    # d's other meeting is a day of its own (d meets twice, c once), at
    # middelburg, the only venue of both.
    rows = placements(two_regions())
    by_net: dict[str, list[tuple[date, str, str]]] = {}
    for n, d, t, u in rows:
        by_net.setdefault(n, []).append((d, t, u))
    assert [(t, u) for _, t, u in by_net["a"] + by_net["b"]] == [
        ("09:00", "goes"),
        ("10:15", "goes"),
    ]
    assert by_net["a"][0][0] == by_net["b"][0][0]
    assert len(by_net["d"]) == 2
    assert by_net["c"][0][0] in {d for d, _, _ in by_net["d"]}
    assert all(u == "middelburg" for _, _, u in by_net["c"] + by_net["d"])


def test_a_large_part_is_left_out_and_the_others_planned(monkeypatch: pytest.MonkeyPatch) -> None:
    """With MAX_MEETINGS 2, part {c, d} (3 free meetings) is left to the construction and
    part {a, b} (2) still gets its relay day."""
    from planner.solver import daytypes

    monkeypatch.setattr(daytypes, "MAX_MEETINGS", 2)
    assert sorted({n for n, *_ in placements(two_regions())}) == ["a", "b"]


@pytest.mark.slow
def test_the_same_day_types_in_processes_with_other_hash_salts() -> None:
    """Randstad's day types are the same in three processes with other string-hash salts."""
    # Python salts string hashes per process: iterating a set of person ids
    # once ordered the members' all-different constraints differently, and
    # CP-SAT then found other dates (seen on randstad with salts 1 and 3).
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    code = (
        "from planner.read import read_problem\n"
        "from planner.solver.instance import build_instance\n"
        "from planner.solver.daytypes import day_type_start\n"
        "inst = build_instance(read_problem('samples/randstad'))\n"
        "print(day_type_start(inst, seed=0, det_limit=0.36, wall_limit=120.0)[0])\n"
    )
    outputs = set()
    for salt in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": salt}
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_a_large_part_spends_none_of_the_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    """With {c, d} listed first and too large, the few sets allowed still reach the pair
    {a, b}: a and b share a date."""
    # Sets are enumerated smallest first up to max_sets. Over all four
    # networks with max_sets 5: the 4 singletons, then {c, d} (c comes first)
    # fills the limit and {a, b} is never made, so a and b would meet on days
    # of their own. Left out of the enumeration, the large part takes no
    # sets: a, b and {a, b} are 3 <= 5.
    from planner.solver import daytypes

    monkeypatch.setattr(daytypes, "MAX_MEETINGS", 2)
    regions = two_regions()
    problem = replace(regions, networks=(*regions.networks[2:], *regions.networks[:2]))
    inst = build_instance(problem)
    found, _ = day_type_start(inst, seed=0, det_limit=1.0, wall_limit=30.0, max_sets=5)
    assert found is not None
    days = {n: d for n, d, _, _ in found}
    assert sorted(days) == ["a", "b"]
    assert days["a"] == days["b"]
