"""Tests of the overlap analysis (planner.analyze and friends): groups, settings, figures."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from planner.analyze import Evidence, Thresholds, analyze, classify, group_id
from planner.analyze_figures import part_of_problem, part_of_schedule, spanning
from planner.analyze_html import together_csv
from planner.baseline import baseline
from planner.check import check
from planner.problem import Membership, Problem, Role, TravelOverride
from planner.read import read_problem
from tests.conftest import GOES, MIDDELBURG, network, person, schedule_of, settings

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def build(
    groups: dict[str, list[str]], *, optional: tuple[tuple[str, str], ...] = (), **net_kw: object
) -> Problem:
    """A problem from ``network -> required member ids`` (people in Vlissingen, venue goes)."""
    people = sorted({p for ms in groups.values() for p in ms} | {p for _n, p in optional})
    memberships = [Membership(n, p) for n, ms in groups.items() for p in ms]
    memberships += [Membership(n, p, Role.OPTIONAL) for n, p in optional]
    return Problem(
        settings=settings(),
        networks=tuple(network(n, **net_kw) for n in groups),
        people=tuple(person(p) for p in people),
        venues=(GOES, MIDDELBURG),
        memberships=tuple(memberships),
    )


def mixed_input() -> Problem:
    """A generated input of three groups: high (h*), partial (q*) and low (l*).

    High: four networks whose six members sit in all four. Partial: six networks
    in a ring, each with four own members, two shared with the next one and two
    with the one before.
    Low: three networks of eight members in a chain, one shared member per link.
    """
    nets: dict[str, list[str]] = {}
    for k in range(4):
        nets[f"h{k}"] = [f"hp{i}" for i in range(6)]
    for k in range(6):
        own = [f"q{k}o{i}" for i in range(4)]
        shared = [f"q{k}s{i}" for i in range(2)] + [f"q{(k - 1) % 6}s{i}" for i in range(2)]
        nets[f"q{k}"] = own + shared
    nets["l0"] = [f"l0o{i}" for i in range(7)] + ["link0"]
    nets["l1"] = [f"l1o{i}" for i in range(6)] + ["link0", "link1"]
    nets["l2"] = [f"l2o{i}" for i in range(7)] + ["link1"]
    return build(nets)


# ---------------------------------------------------------------- the samples
def test_samples_are_classified_as_their_descriptions_say() -> None:
    """Zeeland is one high group, Randstad four partial city groups, Achterhoek all low."""
    zeeland = analyze(read_problem(SAMPLES / "zeeland.xlsx"), figures=False)
    assert [(g.id, g.setting, len(g.networks)) for g in zeeland.groups] == [("A", "high", 12)]
    randstad = analyze(read_problem(SAMPLES / "randstad"), figures=False)
    cities = [(g.setting, {n.split("-")[0] for n in g.networks}) for g in randstad.groups]
    assert cities == [
        ("partial", {"ams", "g4", "rs"}),
        ("partial", {"rtd", "zh"}),
        ("partial", {"dh"}),
        ("partial", {"utr", "rs"}),
    ]
    assert randstad.groups[0].networks[-2:] == ("g4-gka", "rs-kpo")
    assert randstad.groups[3].networks[-1] == "rs-ral"
    assert [b.network for b in randstad.bridges()[:3]] == ["g4-gka", "rs-ral", "rs-kpo"]
    achterhoek = analyze(read_problem(SAMPLES / "achterhoek"), figures=False)
    assert [(g.setting, len(g.networks)) for g in achterhoek.groups] == [
        ("low", 4),
        ("low", 2),
        ("low", 2),
        ("low", 1),
    ]


def test_generated_mixed_input_gets_each_group_right() -> None:
    """A generated input mixing a high, a partial and a low group: each group and setting."""
    result = analyze(mixed_input(), figures=False)
    got = [(g.id, g.networks, g.setting) for g in result.groups]
    assert got == [
        ("A", ("h0", "h1", "h2", "h3"), "high"),
        ("B", ("q0", "q1", "q2", "q3", "q4", "q5"), "partial"),
        ("C", ("l0", "l1", "l2"), "low"),
    ]
    high, partial, low = result.groups
    # High: 6 members, all in 4 networks; every pair shares all 6 (Jaccard 1).
    assert (high.members, high.multi_members, high.memberships, high.edges) == (6, 6, 24, 6)
    # Partial: 6 x 4 own + 6 x 2 shared = 36 members, 12 in two networks; a ring of 6 edges
    # (of 15 pairs), each sharing 2 of 8 + 8 - 2 = 14 (Jaccard 1/7).
    assert (partial.members, partial.multi_members, partial.edges) == (36, 12, 6)
    assert (round(partial.density, 4), round(partial.mean_jaccard, 4)) == (0.4, 0.1429)
    # Low: 7 + 6 + 7 own + link0 + link1 = 22 members, 2 in two networks (2/22 < 0.2).
    assert (low.members, low.multi_members, low.edges) == (22, 2, 2)


# ---------------------------------------------------------------- thresholds and evidence
def test_two_networks_sharing_a_third_are_partial_with_this_evidence() -> None:
    """{a,b,c,d} and {c,d,e,f}: share 2/6, Jaccard 2/6: not high (share), not low: partial."""
    result = analyze(build({"x": ["a", "b", "c", "d"], "y": ["c", "d", "e", "f"]}), figures=False)
    (group,) = result.groups
    assert group.setting == "partial"
    assert group.evidence == (
        Evidence("multi_share", 0.3333, ">=", 0.75, False),
        Evidence("multi_share", 0.3333, "<", 0.2, False),
    )
    assert group.to_dict()["multi_share"] == 0.3333
    assert group.to_dict()["networks_per_member"] == 1.3333


def test_a_share_exactly_at_the_high_threshold_is_high() -> None:
    """{a,b,c} and {a,b,c,d}: share exactly 3/4 and Jaccard 3/4 meet 0.75 and 0.30: high."""
    (group,) = analyze(
        build({"x": ["a", "b", "c"], "y": ["a", "b", "c", "d"]}), figures=False
    ).groups
    assert group.setting == "high"
    assert group.evidence == (
        Evidence("multi_share", 0.75, ">=", 0.75, True),
        Evidence("mean_jaccard", 0.75, ">=", 0.3, True),
    )


def test_the_low_threshold_is_exact_and_settable() -> None:
    """Share exactly 2/10: partial at low_share 0.20 (not below), low at 0.25."""
    nets = {"x": ["a", "b", "c", "d", "e", "f"], "y": ["a", "b", "g", "h", "i", "j"]}
    (group,) = analyze(build(nets), figures=False).groups
    assert (group.setting, group.evidence[-1]) == (
        "partial",
        Evidence("multi_share", 0.2, "<", 0.2, False),
    )
    (group,) = analyze(build(nets), Thresholds(low_share=0.25), figures=False).groups
    assert (group.setting, group.evidence[-1]) == (
        "low",
        Evidence("multi_share", 0.2, "<", 0.25, True),
    )


def test_high_needs_the_jaccard_threshold_too() -> None:
    """Share 3/4 but a ring of three with Jaccard 1/4 per edge: partial, failing mean_jaccard."""
    nets = {"x": ["a", "b", "u", "v"], "y": ["b", "c", "w"], "z": ["c", "a"]}
    # members a b c u v w: a, b, c in two networks (3/6 = 0.5): set high_share 0.5
    (group,) = analyze(build(nets), Thresholds(high_share=0.5), figures=False).groups
    # Jaccard: x-y 1/6, y-z 1/4, x-z 1/5: mean 0.2056
    assert group.setting == "partial"
    assert group.evidence[0] == Evidence("mean_jaccard", 0.2056, ">=", 0.3, False)


def test_classify_without_members_is_low() -> None:
    """A group without required members has share 0: low."""
    assert classify(0, 0, Fraction(0), Thresholds())[0] == "low"


def test_a_jaccard_of_exactly_the_threshold_meets_it() -> None:
    """Mean Jaccard exactly 3/10 (0.3 is not exact as a float) meets high_jaccard 0.30."""
    setting, evidence = classify(4, 4, Fraction(3, 10), Thresholds())
    assert (setting, evidence[1]) == ("high", Evidence("mean_jaccard", 0.3, ">=", 0.3, True))


def test_optional_members_do_not_link_networks() -> None:
    """A person optional in one network does not make an edge: two groups, both low."""
    problem = build({"x": ["a", "b"], "y": ["c", "d"]}, optional=(("y", "a"),))
    result = analyze(problem, figures=False)
    assert [g.networks for g in result.groups] == [("x",), ("y",)]
    assert result.edges == ()


def test_thresholds_validate() -> None:
    """Out-of-range thresholds are listed, one message each."""
    assert Thresholds(high_share=1.5, low_share=0.9, split_min=1, pairs=-1).validate() == [
        "high_share must lie in 0..1, got 1.5",
        "split_min must be >= 2, got 1",
        "pairs must be >= 0, got -1",
    ]
    assert Thresholds(high_share=0.5, low_share=0.6).validate() == [
        "low_share 0.6 must not exceed high_share 0.5"
    ]


def test_group_ids_run_past_z() -> None:
    """Group ids: A..Z, then AA, AB."""
    assert [group_id(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]


# ---------------------------------------------------------------- suggestions
def test_pairs_and_triples_with_trips_saved_and_the_together_table() -> None:
    """Pairs ranked by trips saved (shared x least meetings); other weekdays are flagged."""
    nets = {
        "x": ["a", "b", "c", "d"],
        "y": ["a", "b", "c", "e"],
        "z": ["a", "e", "f", "g"],
        "w": ["f", "g", "h", "i"],
    }
    problem = build(nets, meetings=2)
    w = replace(problem.network_by_id["w"], weekdays=frozenset({4}))
    z = replace(problem.network_by_id["z"], weekdays=frozenset({0}), meetings=3)
    problem = replace(problem, networks=(*problem.networks[:2], z, w))
    (group,) = analyze(problem, figures=False).groups
    assert group.setting == "partial"
    assert [(s.networks, s.shared, s.times, s.trips_saved, s.possible) for s in group.pairs] == [
        (("x", "y"), 3, 2, 6, True),
        (("y", "z"), 2, 2, 4, True),
        (("z", "w"), 2, 2, 4, False),
    ]
    # x, y, z: a in three (2 trips a session), b, c, e in two: 5 per session, 2 sessions.
    assert [(s.networks, s.trips_saved, s.possible) for s in group.triples] == [
        (("x", "y", "z"), 10, True),
    ]
    assert group.pairs[2].reason == "weekdays"
    assert together_csv(analyze(problem, figures=False)) == (
        "networks,times,order,hard\nx;y,2,no,no\ny;z,2,no,no\nx;y;z,2,no,no\n"
    )


# ---------------------------------------------------------------- figures per group
def two_groups_whole_km() -> Problem:
    """Two groups ({x, y} sharing a; {z} with c) and a travel table of whole km."""
    problem = build({"x": ["a", "b"], "y": ["a"], "z": ["c"]}, venues=("goes", "middelburg"))
    travel = [
        TravelOverride(p, v, km)
        for p, km0 in (("a", 10.0), ("b", 7.0), ("c", 4.0))
        for v, km in (("goes", km0), ("middelburg", km0 + 2))
    ]
    travel.append(TravelOverride("goes", "middelburg", 25.0))
    return replace(problem, travel=tuple(travel))


def test_group_figures_add_up_to_the_whole_plan_where_no_day_spans_groups() -> None:
    """Checker figures per group sum exactly to the whole plan's (no day or session spans)."""
    problem = two_groups_whole_km()
    plan = schedule_of(
        problem,
        ("x", "2027-09-07", "09:00", "goes"),
        ("y", "2027-09-07", "10:15", "goes"),
        ("z", "2027-09-07", "09:00", "middelburg"),
    )
    result = analyze(problem, plan=plan, plan_source="given")
    assert [g.networks for g in result.groups] == [("x", "y"), ("z",)]
    whole = result.whole_plan
    assert whole is not None
    groups = [g.plan for g in result.groups]
    assert all(g is not None for g in groups)
    for name in ("travel_km", "trips", "idle_minutes", "sessions"):
        assert sum(getattr(g, name) for g in groups) == getattr(whole, name)
    # a: 10 + 10 (one trip, two meetings); b: 7 + 7; c: 6 + 6.
    assert (whole.travel_km, whole.trips, whole.sessions, whole.idle_minutes) == (46.0, 3, 2, 15)
    assert whole == replace(whole, hard_violations=check(problem, plan).hard_violations)
    assert result.spanning_plan is not None
    assert result.spanning_plan.to_dict() == {"days": 0, "travel_km": 0.0, "sessions": 0}


def test_days_that_span_groups_are_counted_with_their_travel() -> None:
    """A member in two groups meeting in both on one day: one spanning day, its km, sessions."""
    problem = two_groups_whole_km()
    problem = replace(problem, memberships=(*problem.memberships, Membership("z", "b")))
    groups = {"x": "A", "y": "A", "z": "B"}  # as if a community split had separated z
    plan = schedule_of(
        problem,
        ("x", "2027-09-07", "09:00", "goes"),
        ("z", "2027-09-07", "10:15", "goes"),
    )
    # b: home-goes-home 7 + 7 = 14 km on a day with meetings of A and B; one session spans.
    assert spanning(problem, groups, plan).to_dict() == {
        "days": 1,
        "travel_km": 14.0,
        "sessions": 1,
    }


def test_sample_baseline_per_group_adds_up_exactly() -> None:
    """Achterhoek's baseline: groups share no member, so km, trips and idle add up exactly."""
    problem = read_problem(SAMPLES / "achterhoek")
    result = analyze(problem)
    whole = result.whole_baseline
    assert whole is not None and result.spanning_baseline is not None
    parts = [g.baseline for g in result.groups]
    assert round(sum(p.travel_km for p in parts if p), 3) == whole.travel_km
    assert sum(p.trips for p in parts if p) == whole.trips == 489
    assert result.spanning_baseline.days == 0
    # One baseline session holds networks of two groups: it counts once per group.
    assert sum(p.sessions for p in parts if p) == whole.sessions + result.spanning_baseline.sessions


def test_randstad_baseline_has_days_that_span_city_groups() -> None:
    """Randstad's city groups share members through the cross-city networks: spanning days."""
    result = analyze(read_problem(SAMPLES / "randstad"))
    assert result.spanning_baseline is not None
    assert result.spanning_baseline.to_dict() == {"days": 11, "travel_km": 1021.951, "sessions": 2}


def test_group_figures_are_the_checkers_on_the_groups_part() -> None:
    """A group's baseline figures equal the checker's on its part of problem and baseline."""
    problem = mixed_input()
    result = analyze(problem)
    group = result.groups[1]
    part = part_of_problem(problem, group.networks)
    report = check(part, part_of_schedule(baseline(problem), group.networks))
    assert group.baseline is not None
    assert (group.baseline.travel_km, group.baseline.trips, group.baseline.sessions) == (
        report.figures.travel_km,
        report.figures.trips,
        report.figures.sessions,
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_to_dict_has_networks_and_setting_per_group(lang: str) -> None:
    """The JSON form: each group with its networks and setting, thresholds included."""
    problem = mixed_input()
    problem = replace(problem, settings=replace(problem.settings, language=lang))
    data = analyze(problem, figures=False).to_dict()
    assert [(g["networks"], g["setting"]) for g in data["groups"]] == [
        (["h0", "h1", "h2", "h3"], "high"),
        (["q0", "q1", "q2", "q3", "q4", "q5"], "partial"),
        (["l0", "l1", "l2"], "low"),
    ]
    assert data["thresholds"]["high_share"] == 0.75
