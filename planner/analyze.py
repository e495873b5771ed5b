"""Which setting is each group of networks in? The overlap analysis of ``dakpan analyze``.

The research behind dakpan found three settings for networks that share
board members:

``low``
    members barely overlap with other networks: the networks work well alone;
``high``
    the same board members meet in every network (Zeeland, Fryslân,
    Groningen): they plan relay days themselves;
``partial``
    partial overlap, typical for cities, where networks struggle most.

Steps
-----
1. The **overlap graph**: one node per network, an edge between two networks
   that share required members, weighted by how many (optional members are
   left out, as they are of every travel figure).
2. **Groups**: the connected components of the graph; a component of at least
   ``split_min`` networks is split into its communities (greedy modularity,
   weighted, deterministic) when their modularity reaches ``min_modularity``.
3. Per group its **measures** (members, the share of members in two or more of
   its networks, networks per member, density, mean Jaccard overlap of its
   edges) and its **setting** by :class:`Thresholds`, with the evidence.
4. **What coordination would save** (:func:`group_figures`): the checker's
   figures of the group's part of a plan and of the baseline.
5. **Suggestions**: pairs and triples to pair in relay days, and the networks
   that bridge groups.

Every number is computed from the problem alone, so the same input gives the
same analysis (group ids ``A``, ``B``, ... follow the first network of each
group in file order).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import networkx as nx

from planner.analyze_figures import (
    GroupFigures,
    Spanning,
    figures_of,
    group_figures,
    spanning,
)
from planner.analyze_suggest import Suggestion, required_sets, suggestions
from planner.baseline import baseline as build_baseline
from planner.problem import Problem
from planner.schedule import Schedule

SETTINGS: tuple[str, ...] = ("low", "partial", "high")
"""The three settings, from the least to the most overlap."""

SAVING_FIGURES: tuple[str, ...] = ("travel_km", "trips", "sessions")
"""The figures compared per group between a plan and the baseline."""


# ------------------------------------------------------------------ thresholds
@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a group is ``high``, ``low`` or ``partial``, and how groups are formed.

    A group is ``high`` when ``multi_share >= high_share`` and
    ``mean_jaccard >= high_jaccard``; otherwise ``low`` when
    ``multi_share < low_share``; otherwise ``partial``. Comparisons are exact
    (fractions), so a share of exactly 3/4 meets a threshold of 0.75.

    Attributes
    ----------
    high_share
        Least share of a group's members who sit in two or more of its networks
        for ``high`` (CLI ``--high-share``).
    high_jaccard
        Least mean Jaccard overlap of the group's edges for ``high``
        (CLI ``--high-jaccard``).
    low_share
        A group whose share of such members is below this is ``low``
        (CLI ``--low-share``).
    split_min
        Least networks in a component before it is split into communities
        (CLI ``--split-min``).
    min_modularity
        Least modularity of the communities for the split to be kept
        (CLI ``--min-modularity``).
    pairs
        Pairs (and triples) suggested per group (CLI ``--suggestions``).
    """

    high_share: float = 0.75
    high_jaccard: float = 0.30
    low_share: float = 0.20
    split_min: int = 8
    min_modularity: float = 0.30
    pairs: int = 3

    def validate(self) -> list[str]:
        """The faults of these thresholds (empty when valid)."""
        out = []
        for name in ("high_share", "high_jaccard", "low_share", "min_modularity"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                out.append(f"{name} must lie in 0..1, got {value}")
        if self.low_share > self.high_share:
            out.append(f"low_share {self.low_share} must not exceed high_share {self.high_share}")
        if self.split_min < 2:
            out.append(f"split_min must be >= 2, got {self.split_min}")
        if self.pairs < 0:
            out.append(f"pairs must be >= 0, got {self.pairs}")
        return out

    def to_dict(self) -> dict[str, float | int]:
        """JSON-safe form."""
        return {
            "high_share": self.high_share,
            "high_jaccard": self.high_jaccard,
            "low_share": self.low_share,
            "split_min": self.split_min,
            "min_modularity": self.min_modularity,
            "pairs": self.pairs,
        }


# ------------------------------------------------------------------ results
@dataclass(frozen=True, slots=True)
class Evidence:
    """One comparison that decided a setting: ``measure op threshold`` held or not."""

    measure: str
    value: float
    op: str
    threshold: float
    holds: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "measure": self.measure,
            "value": self.value,
            "op": self.op,
            "threshold": self.threshold,
            "holds": self.holds,
        }


@dataclass(frozen=True, slots=True)
class Group:
    """A group of networks with its measures, setting and suggestions."""

    id: str
    networks: tuple[str, ...]
    members: int
    multi_members: int
    memberships: int
    edges: int
    density: float
    mean_jaccard: float
    setting: str
    evidence: tuple[Evidence, ...]
    pairs: tuple[Suggestion, ...] = ()
    triples: tuple[Suggestion, ...] = ()
    baseline: GroupFigures | None = None
    plan: GroupFigures | None = None

    @property
    def multi_share(self) -> float:
        """Share of members in two or more of the group's networks (0 without members)."""
        return self.multi_members / self.members if self.members else 0.0

    @property
    def networks_per_member(self) -> float:
        """Mean number of the group's networks a member sits in (0 without members)."""
        return self.memberships / self.members if self.members else 0.0

    def saving(self) -> dict[str, float | None]:
        """``1 - plan / baseline`` per :data:`SAVING_FIGURES` (``None`` without both)."""
        out: dict[str, float | None] = {}
        for name in SAVING_FIGURES:
            base = None if self.baseline is None else float(getattr(self.baseline, name))
            plan = None if self.plan is None else float(getattr(self.plan, name))
            ok = base is not None and plan is not None and base > 0
            out[name] = round(1 - plan / base, 4) if ok else None  # type: ignore[operator]
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "id": self.id,
            "networks": list(self.networks),
            "setting": self.setting,
            "members": self.members,
            "multi_members": self.multi_members,
            "multi_share": round(self.multi_share, 4),
            "networks_per_member": round(self.networks_per_member, 4),
            "edges": self.edges,
            "density": round(self.density, 4),
            "mean_jaccard": round(self.mean_jaccard, 4),
            "evidence": [e.to_dict() for e in self.evidence],
            "pairs": [s.to_dict() for s in self.pairs],
            "triples": [s.to_dict() for s in self.triples],
            "baseline": None if self.baseline is None else self.baseline.to_dict(),
            "plan": None if self.plan is None else self.plan.to_dict(),
            "saving": self.saving(),
        }


@dataclass(frozen=True, slots=True)
class Partner:
    """Another network and the share of this network's members it shares."""

    network: str
    shared: int
    share: float


@dataclass(frozen=True, slots=True)
class NetworkInfo:
    """One network: its group and setting, strongest partners and links to other groups."""

    network: str
    group: str
    setting: str
    members: int
    partners: tuple[Partner, ...]
    links: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def linking_members(self) -> int:
        """Required members who also sit in a network of another group."""
        return len({p for persons in self.links.values() for p in persons})

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (``links``: other group id -> person ids)."""
        return {
            "network": self.network,
            "group": self.group,
            "setting": self.setting,
            "members": self.members,
            "partners": [
                {"network": p.network, "shared": p.shared, "share": round(p.share, 4)}
                for p in self.partners
            ],
            "links": {g: list(ps) for g, ps in self.links.items()},
        }


@dataclass(frozen=True, slots=True)
class Analysis:
    """The whole analysis of one problem (and optionally a plan)."""

    thresholds: Thresholds
    groups: tuple[Group, ...]
    networks: tuple[NetworkInfo, ...]
    edges: tuple[tuple[str, str, int], ...]
    plan_source: str = "none"
    whole_plan: GroupFigures | None = None
    whole_baseline: GroupFigures | None = None
    spanning_plan: Spanning | None = None
    spanning_baseline: Spanning | None = None

    def group_of(self) -> dict[str, str]:
        """Network id -> group id."""
        return {n: g.id for g in self.groups for n in g.networks}

    def bridges(self) -> list[NetworkInfo]:
        """Networks whose required members also sit in networks of other groups.

        Strongest first: by the number of such members, then of other groups
        reached, then file order.
        """
        linked = [n for n in self.networks if n.links]
        order = {n.network: i for i, n in enumerate(self.networks)}
        return sorted(linked, key=lambda n: (-n.linking_members, -len(n.links), order[n.network]))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form of everything."""

        def opt(x: GroupFigures | Spanning | None) -> dict[str, Any] | None:
            return None if x is None else x.to_dict()

        return {
            "thresholds": self.thresholds.to_dict(),
            "plan_source": self.plan_source,
            "groups": [g.to_dict() for g in self.groups],
            "networks": [n.to_dict() for n in self.networks],
            "edges": [{"networks": [a, b], "shared": w} for a, b, w in self.edges],
            "bridges": [
                {
                    "network": n.network,
                    "group": n.group,
                    "groups": sorted(n.links),
                    "members": n.linking_members,
                }
                for n in self.bridges()
            ],
            "whole": {"plan": opt(self.whole_plan), "baseline": opt(self.whole_baseline)},
            "spanning": {
                "plan": opt(self.spanning_plan),
                "baseline": opt(self.spanning_baseline),
            },
        }


# ------------------------------------------------------------------ graph and groups
def overlap_graph(problem: Problem) -> nx.Graph:
    """The overlap graph: networks as nodes (file order), an edge per pair sharing members.

    Node attribute ``members`` (required members); edge attributes ``weight``
    (shared required members) and ``jaccard`` (shared / members of either).
    """
    sets = required_sets(problem)
    graph = nx.Graph()
    for nid, members in sets.items():
        graph.add_node(nid, members=len(members))
    for a, b in itertools.combinations(sets, 2):
        shared = len(sets[a] & sets[b])
        if shared:
            graph.add_edge(a, b, weight=shared, jaccard=shared / len(sets[a] | sets[b]))
    return graph


def group_networks(problem: Problem, graph: nx.Graph, thresholds: Thresholds) -> list[list[str]]:
    """Groups of network ids: components, large ones split into communities.

    Each group lists its networks in file order; groups are ordered by their
    first network's place in the file.
    """
    order = {n.id: i for i, n in enumerate(problem.networks)}
    out: list[list[str]] = []
    for component in nx.connected_components(graph):
        nodes = sorted(component, key=order.__getitem__)
        out.extend(_split(graph.subgraph(nodes).copy(), nodes, thresholds, order))
    return sorted(out, key=lambda g: order[g[0]])


def _split(
    sub: nx.Graph, nodes: list[str], thresholds: Thresholds, order: Mapping[str, int]
) -> list[list[str]]:
    if len(nodes) < thresholds.split_min:
        return [nodes]
    # Integer labels (file positions): sets of ints iterate alike in every process,
    # sets of strings do not (string hashes are salted per process).
    index = nx.Graph()
    index.add_nodes_from(order[n] for n in nodes)
    index.add_weighted_edges_from(
        (order[a], order[b], d["weight"]) for a, b, d in sub.edges(data=True)
    )
    parts = nx.community.greedy_modularity_communities(index, weight="weight")
    if len(parts) < 2:
        return [nodes]
    if nx.community.modularity(index, parts, weight="weight") < thresholds.min_modularity:
        return [nodes]
    return [[n for n in nodes if order[n] in p] for p in parts]


def group_id(index: int) -> str:
    """``A``, ``B``, ..., ``Z``, ``AA``, ``AB``, ... for index 0, 1, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def classify(
    multi_members: int, members: int, mean_jaccard: Fraction, thresholds: Thresholds
) -> tuple[str, tuple[Evidence, ...]]:
    """The setting of a group and the comparisons that decided it.

    Parameters
    ----------
    multi_members
        Members in two or more of the group's networks.
    members
        Members of the group (required, distinct).
    mean_jaccard
        Mean Jaccard overlap of the group's edges, exactly.
    thresholds
        The thresholds.

    Returns
    -------
    tuple
        The setting (``low``, ``partial`` or ``high``) and the evidence.
    """
    share = Fraction(multi_members, members) if members else Fraction(0)
    share_value = round(float(share), 4)
    high_share = share >= Fraction(str(thresholds.high_share))
    high_jaccard = mean_jaccard >= Fraction(str(thresholds.high_jaccard))
    jaccard_value = round(float(mean_jaccard), 4)
    high = (
        Evidence("multi_share", share_value, ">=", thresholds.high_share, high_share),
        Evidence("mean_jaccard", jaccard_value, ">=", thresholds.high_jaccard, high_jaccard),
    )
    if high_share and high_jaccard:
        return "high", high
    failed = tuple(e for e in high if not e.holds)
    low = share < Fraction(str(thresholds.low_share))
    low_evidence = Evidence("multi_share", share_value, "<", thresholds.low_share, low)
    return ("low" if low else "partial"), (*failed, low_evidence)


def _measures(
    nets: Sequence[str], sets: Mapping[str, frozenset[str]], graph: nx.Graph
) -> tuple[int, int, int, int, float, Fraction]:
    count: dict[str, int] = defaultdict(int)
    for n in nets:
        for p in sets[n]:
            count[p] += 1
    members = len(count)
    multi = sum(1 for c in count.values() if c >= 2)
    memberships = sum(count.values())
    sub = graph.subgraph(nets)
    edges = sub.number_of_edges()
    pairs = len(nets) * (len(nets) - 1) // 2
    density = edges / pairs if pairs else 0.0
    total = sum(
        (Fraction(len(sets[a] & sets[b]), len(sets[a] | sets[b])) for a, b in sub.edges()),
        Fraction(0),
    )
    mean_jaccard = total / edges if edges else Fraction(0)
    return members, multi, memberships, edges, density, mean_jaccard


def network_infos(
    problem: Problem, graph: nx.Graph, groups: Sequence[Group], partners: int = 3
) -> tuple[NetworkInfo, ...]:
    """Per network (file order): group, setting, strongest partners, links to other groups.

    A partner's ``share`` is the shared required members over this network's
    required members. ``links`` maps another group to this network's required
    members who are required members of a network in that group.
    """
    sets = required_sets(problem)
    order = {n.id: i for i, n in enumerate(problem.networks)}
    group_by_net = {n: g for g in groups for n in g.networks}
    groups_of_person: dict[str, set[str]] = defaultdict(set)
    for nid, members in sets.items():
        for p in members:
            groups_of_person[p].add(group_by_net[nid].id)
    out = []
    for net in problem.networks:
        own = sets[net.id]
        group = group_by_net[net.id]
        ranked = sorted(graph[net.id].items(), key=lambda kv: (-kv[1]["weight"], order[kv[0]]))[
            :partners
        ]
        links: dict[str, list[str]] = defaultdict(list)
        for p in problem.required_members(net.id):
            for g in sorted(groups_of_person[p] - {group.id}):
                links[g].append(p)
        out.append(
            NetworkInfo(
                network=net.id,
                group=group.id,
                setting=group.setting,
                members=len(own),
                partners=tuple(
                    Partner(other, d["weight"], d["weight"] / len(own)) for other, d in ranked
                ),
                links={g: tuple(links[g]) for g in sorted(links)},
            )
        )
    return tuple(out)


# ------------------------------------------------------------------ entry point
def analyze(
    problem: Problem,
    thresholds: Thresholds | None = None,
    plan: Schedule | None = None,
    *,
    plan_source: str = "none",
    figures: bool = True,
) -> Analysis:
    """The overlap analysis of a problem, and what coordination would save per group.

    Parameters
    ----------
    problem
        The problem.
    thresholds
        The thresholds (defaults when ``None``).
    plan
        A plan of the problem to compare with the baseline per group, or ``None``.
    plan_source
        Where the plan came from (``given``, ``quick`` or ``none``), for the output.
    figures
        Compute the baseline's (and the plan's) figures per group; ``False``
        gives the graph, groups, settings and suggestions only.

    Returns
    -------
    Analysis
        Everything, in a deterministic order.
    """
    thresholds = thresholds or Thresholds()
    graph = overlap_graph(problem)
    sets = required_sets(problem)
    base = build_baseline(problem) if figures else None
    groups: list[Group] = []
    for index, nets in enumerate(group_networks(problem, graph, thresholds)):
        members, multi, memberships, edges, density, jaccard = _measures(nets, sets, graph)
        setting, evidence = classify(multi, members, jaccard, thresholds)
        pairs: tuple[Suggestion, ...] = ()
        triples: tuple[Suggestion, ...] = ()
        if setting != "low":
            pairs, triples = suggestions(problem, nets, graph, thresholds.pairs)
        groups.append(
            Group(
                id=group_id(index),
                networks=tuple(nets),
                members=members,
                multi_members=multi,
                memberships=memberships,
                edges=edges,
                density=density,
                mean_jaccard=float(jaccard),
                setting=setting,
                evidence=evidence,
                pairs=pairs,
                triples=triples,
                baseline=None if base is None else group_figures(problem, nets, base),
                plan=None if plan is None or not figures else group_figures(problem, nets, plan),
            )
        )
    group_of = {n: g.id for g in groups for n in g.networks}
    order = {n.id: i for i, n in enumerate(problem.networks)}
    edge_list = sorted(
        (
            (*sorted((a, b), key=order.__getitem__), int(d["weight"]))
            for a, b, d in graph.edges(data=True)
        ),
        key=lambda e: (order[e[0]], order[e[1]]),
    )
    return Analysis(
        thresholds=thresholds,
        groups=tuple(groups),
        networks=network_infos(problem, graph, groups),
        edges=tuple((a, b, w) for a, b, w in edge_list),
        plan_source=plan_source if plan is not None else "none",
        whole_plan=None if plan is None or not figures else figures_of(problem, plan),
        whole_baseline=None if base is None else figures_of(problem, base),
        spanning_plan=None if plan is None or not figures else spanning(problem, group_of, plan),
        spanning_baseline=None if base is None else spanning(problem, group_of, base),
    )
