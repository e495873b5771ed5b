"""Re-plan mid-year with the least disruption (``dakpan replan``).

:func:`prepare` turns a published plan, a changed input and a date into the
problem to solve:

- the published meetings before the date are *history*: fixed meetings of
  the new problem, kept exactly whatever the new input says. History that
  breaks a rule of the new input is reported (a warning), never moved. A
  network removed from the input, or with fewer meetings than it already
  held, keeps its history (the network, its members and venues come back
  from the published input as far as the history needs them);
- the published meetings on or after the date become the problem's
  ``previous`` placements (a wish with a cost per moved meeting and per
  member whose calendar changes): per network the first ``meetings`` of
  them (its last ones are cancelled when it meets fewer times), without
  those at venues that no longer exist (they must move);
- no new meeting may be placed before the date: while solving, every venue
  is closed on the dates before it (the problem written to ``plan.json`` is
  the input with the history as fixed meetings, without that closure).

:func:`solve_replan` is the one call of the planner; :func:`write_replanned`
writes the plan folder (as ``dakpan plan`` does) plus ``changes.csv``
(:mod:`planner.changes`), the calendars with cancelled meetings, and the
report's section on what changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from planner.changes import Change, cancelled_of, diff, read_cancelled, write_changes_csv
from planner.check import CheckReport, Violation, check
from planner.planfile import Plan
from planner.problem import FixedMeeting, Membership, Network, Problem, Venue
from planner.schedule import Schedule, ScheduledMeeting
from planner.solver import PlanResult, SolveOptions, Status, plan

_WARNINGS: dict[str, tuple[str, str]] = {
    "venue": (
        "venue {venue!r} was removed, but earlier meetings were held there: kept",
        "locatie {venue!r} is verwijderd, maar er waren al bijeenkomsten: die blijven",
    ),
    "fewer": (
        "network {network!r}: meetings {meetings} is fewer than the {count} already held "
        "before the date: it keeps those {count}",
        "netwerk {network!r}: meetings {meetings} is minder dan de {count} die al voor de "
        "datum zijn gehouden: het houdt die {count}",
    ),
    "removed": (
        "network {network!r} was removed: its {count} meeting(s) before the date are kept, "
        "the later ones cancelled",
        "netwerk {network!r} is verwijderd: de {count} bijeenkomst(en) voor de datum blijven, "
        "de latere vervallen",
    ),
    "fixed": (
        "fixed meeting of {network!r} on {day} is before --from {cutoff} and not in the "
        "published plan: left out",
        "vaste bijeenkomst van {network!r} op {day} ligt voor --from {cutoff} en staat niet in "
        "de gepubliceerde planning: weggelaten",
    ),
    "broken": (
        "history kept although it breaks a rule ({kind}): {reason}",
        "eerdere bijeenkomst blijft staan, al breekt die nu een regel ({kind}): {reason}",
    ),
}


def _warn(problem: Problem, key: str, **kw: object) -> str:
    en, nl = _WARNINGS[key]
    return (en if problem.settings.language == "en" else nl).format(**kw)


class ReplanError(ValueError):
    """The published plan, the new input and the date do not fit together.

    Parameters
    ----------
    messages
        One located message per fault.
    """

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


@dataclass(frozen=True, slots=True)
class Prepared:
    """What :func:`prepare` builds.

    Attributes
    ----------
    problem
        The problem to write: the new input with the history as fixed
        meetings (and ``previous`` set).
    solve_problem
        ``problem`` with every venue closed before ``cutoff`` (what the
        planner gets).
    cutoff
        The first date that may change.
    history
        The published meetings before ``cutoff``.
    warnings
        History that breaks the new input's rules, networks restored to keep
        their history, input fixed meetings before ``cutoff`` that were left out.
    removed
        Networks of the published input that the new input no longer has.
    aside
        History meetings that break a rule of the new input: kept in the plan,
        but left out of ``solve_problem`` (the planner would refuse them).
    """

    problem: Problem
    solve_problem: Problem
    cutoff: date
    history: tuple[ScheduledMeeting, ...]
    warnings: tuple[str, ...]
    removed: frozenset[str] = frozenset()
    aside: tuple[ScheduledMeeting, ...] = ()


def _check_fit(old: Problem, new: Problem, cutoff: date, where: Mapping[str, str]) -> None:
    s0, s1 = old.settings, new.settings
    errors = []
    if (s0.start, s0.end) != (s1.start, s1.end):
        errors.append(
            f"{where['input']}: settings start/end {s1.start} .. {s1.end} is another horizon "
            f"than the plan's {s0.start} .. {s0.end} ({where['plan']}); a re-plan keeps the "
            "horizon (plan a new year with `dakpan plan`)"
        )
    if not s0.start <= cutoff <= s0.end:
        errors.append(
            f"--from {cutoff} is outside the plan's horizon {s0.start} .. {s0.end} "
            f"({where['plan']})"
        )
    if errors:
        raise ReplanError(errors)


def _restore(
    old: Problem, new: Problem, history: tuple[ScheduledMeeting, ...]
) -> tuple[Problem, list[str]]:
    """The new input, with what the history needs back from the published input."""
    warnings: list[str] = []
    held: dict[str, int] = {}
    for m in history:
        held[m.network] = held.get(m.network, 0) + 1
    venues = list(new.venues)
    used = {m.venue for m in history}
    for vid in sorted(used - set(new.venue_by_id)):
        venues.append(old.venue_by_id[vid])
        warnings.append(_warn(new, "venue", venue=vid))
    networks: list[Network] = []
    for net in new.networks:
        count = held.get(net.id, 0)
        if count > net.meetings:
            warnings.append(_warn(new, "fewer", network=net.id, meetings=net.meetings, count=count))
        networks.append(dataclasses.replace(net, meetings=max(count, net.meetings)))
    memberships = list(new.memberships)
    people = {p.id for p in new.people}
    for nid in [n for n in held if n not in new.network_by_id]:
        net = old.network_by_id[nid]
        networks.append(dataclasses.replace(net, meetings=held[nid]))
        memberships += [
            Membership(ms.network, ms.person, ms.role)
            for ms in old.memberships
            if ms.network == nid and ms.person in people
        ]
        warnings.append(_warn(new, "removed", network=nid, count=held[nid]))
    known = {v.id for v in venues}
    networks = [
        dataclasses.replace(
            n,
            venues=tuple(v for v in n.venues if v in known)
            or tuple(sorted({m.venue for m in history if m.network == n.id})),
        )
        for n in networks
    ]
    restored = dataclasses.replace(
        new,
        networks=tuple(networks),
        venues=tuple(venues),
        memberships=tuple(memberships),
        fixed=(),
        previous=(),
    )
    return restored, warnings


def _previous(
    old: Schedule, problem: Problem, cutoff: date, history: tuple[ScheduledMeeting, ...]
) -> tuple[FixedMeeting, ...]:
    """The published placements on or after ``cutoff`` the new problem wishes to keep."""
    out: list[FixedMeeting] = []
    fixed_later = {(f.network, f.date, f.start, f.venue) for f in problem.fixed if f.date >= cutoff}
    for net in problem.networks:
        fixed_count = sum(1 for f in problem.fixed if f.network == net.id)
        free = net.meetings - fixed_count
        later = sorted(
            (m for m in old if m.network == net.id and m.date >= cutoff),
            key=lambda m: (m.date, m.start),
        )
        kept = [
            FixedMeeting(m.network, m.date, m.start, m.venue)
            for m in later
            if (m.network, m.date, m.start, m.venue) not in fixed_later
        ][: max(free, 0)]
        out += kept  # one at a removed venue must move; it keeps the later ones matched
    return tuple(out)


def prepare(
    old_problem: Problem,
    old_schedule: Schedule,
    new: Problem,
    cutoff: date,
    *,
    where: Mapping[str, str] | None = None,
) -> Prepared:
    """Build the re-planning problem (see the module notes).

    Parameters
    ----------
    old_problem, old_schedule
        The published plan's input and meetings.
    new
        The changed input.
    cutoff
        The first date that may change (``--from``).
    where
        Labels of the plan folder and the input for messages (``plan``, ``input``).

    Returns
    -------
    Prepared
        The problem to write, the problem to solve, the history and warnings.

    Raises
    ------
    ReplanError
        When the input has another horizon or ``cutoff`` lies outside it.
    """
    labels = {"plan": "the plan", "input": "the input", **(where or {})}
    _check_fit(old_problem, new, cutoff, labels)
    history = tuple(m for m in old_schedule if m.date < cutoff)
    base, warnings = _restore(old_problem, new, history)
    fixed = [FixedMeeting(m.network, m.date, m.start, m.venue) for m in history]
    for f in new.fixed:
        if f.date < cutoff:
            if f not in fixed:
                warnings.append(_warn(new, "fixed", network=f.network, day=f.date, cutoff=cutoff))
        elif f.network in base.network_by_id:
            fixed.append(f)
    with_fixed = dataclasses.replace(base, fixed=tuple(fixed))
    problem = dataclasses.replace(
        with_fixed, previous=_previous(old_schedule, with_fixed, cutoff, history)
    )
    broken = broken_history(problem, history)
    warnings += [_warn(new, "broken", kind=v.kind, reason=v.reason) for v in broken]
    aside = tuple(m for m in history if any(m.meeting in v.meetings for v in broken))
    kept = tuple(m for m in history if m not in aside)
    solve = _closed_before(_without(problem, aside), cutoff, kept)
    removed = frozenset(n.id for n in old_problem.networks) - set(new.network_by_id)
    return Prepared(problem, solve, cutoff, history, tuple(warnings), removed, aside)


def _without(problem: Problem, aside: tuple[ScheduledMeeting, ...]) -> Problem:
    """``problem`` without the history meetings set aside (and networks left with none)."""
    if not aside:
        return problem
    drop: dict[str, int] = {}
    for m in aside:
        drop[m.network] = drop.get(m.network, 0) + 1
    places = {(m.network, m.date, m.start, m.venue) for m in aside}
    networks = tuple(
        dataclasses.replace(n, meetings=n.meetings - drop.get(n.id, 0))
        for n in problem.networks
        if n.meetings > drop.get(n.id, 0)
    )
    keep = {n.id for n in networks}
    return dataclasses.replace(
        problem,
        networks=networks,
        memberships=tuple(ms for ms in problem.memberships if ms.network in keep),
        fixed=tuple(
            f
            for f in problem.fixed
            if f.network in keep and (f.network, f.date, f.start, f.venue) not in places
        ),
        previous=tuple(f for f in problem.previous if f.network in keep),
        together=tuple(t for t in problem.together if set(t.networks) <= keep),
    )


def _closed_before(
    problem: Problem, cutoff: date, history: tuple[ScheduledMeeting, ...]
) -> Problem:
    """The problem the planner gets: nothing new before ``cutoff``, the history valid.

    Every venue is closed on the dates before ``cutoff`` except where and
    when a history meeting is held (there it is closed around that meeting),
    and the members of history meetings are taken as available then (their
    unavailability of those past dates no longer matters).
    """
    s = problem.settings
    past = [s.start + timedelta(days=i) for i in range((cutoff - s.start).days)]
    if not past:
        return problem
    held: dict[tuple[str, date], list[tuple[int, int]]] = {}
    for m in history:
        held.setdefault((m.venue, m.date), []).append((m.start, m.end))
    venues = tuple(_closed_venue(v, past, held) for v in problem.venues)
    days = {m.date for m in history}
    people = tuple(
        dataclasses.replace(
            p,
            unavailable=frozenset(d for d in p.unavailable if d not in days),
            unavailable_times=frozenset(t for t in p.unavailable_times if t[0] not in days),
        )
        for p in problem.people
    )
    return dataclasses.replace(problem, venues=venues, people=people)


def _closed_venue(
    v: Venue, past: list[date], held: Mapping[tuple[str, date], list[tuple[int, int]]]
) -> Venue:
    closed = set(v.unavailable)
    times = {t for t in v.unavailable_times if t[0] >= (past[-1] + timedelta(days=1))}
    for day in past:
        spans = sorted(held.get((v.id, day), []))
        if not spans:
            closed.add(day)
            continue
        closed.discard(day)
        edge = 0
        for t0, t1 in spans:
            if t0 > edge:
                times.add((day, edge, t0))
            edge = max(edge, t1)
        if edge < 24 * 60:
            times.add((day, edge, 24 * 60))
    return dataclasses.replace(v, unavailable=frozenset(closed), unavailable_times=frozenset(times))


def history_violations(
    report: CheckReport, history: tuple[ScheduledMeeting, ...]
) -> tuple[list[Violation], list[Violation]]:
    """Split a check's violations into those of history meetings only, and the others."""
    past = {m.meeting for m in history}
    mine: list[Violation] = []
    others: list[Violation] = []
    for v in report.violations:
        (mine if v.meetings and set(v.meetings) <= past else others).append(v)
    return mine, others


def broken_history(problem: Problem, history: tuple[ScheduledMeeting, ...]) -> list[Violation]:
    """The rules of the new input that the (kept) history breaks, by itself."""
    sched = Schedule.build(problem, [(m.network, m.date, m.start, m.venue) for m in history])
    ids = {(m.network, m.seq) for m in history}
    past = tuple(m for m in sched if (m.network, m.seq) in ids)
    mine, _ = history_violations(check(problem, Schedule(past)), past)
    return [v for v in mine if v.kind not in {"count", "fixed", "together"}]


def solve_replan(prepared: Prepared, time_limit: float | None, seed: int | None) -> PlanResult:
    """Run the planner on the re-planning problem (the one call of the solver).

    The previous placements are also passed as the solver's hint, so the
    search starts from the published plan.
    """
    hint = tuple((f.network, f.date, f.start, f.venue) for f in prepared.problem.previous)
    options = SolveOptions(time_limit=time_limit, seed=seed, hint=hint)
    return plan(prepared.solve_problem, options)


def renumbered(
    problem: Problem, schedule: Schedule, aside: tuple[ScheduledMeeting, ...] = ()
) -> Schedule:
    """The solver's schedule and the history set aside, built on the problem to write."""
    return Schedule.build(
        problem, [(m.network, m.date, m.start, m.venue) for m in (*schedule, *aside)]
    )


def carried_cancelled(
    plan_dir: Path, changes: tuple[Change, ...], schedule: Schedule, *problems: Problem
) -> tuple[ScheduledMeeting, ...]:
    """Cancelled meetings to keep in the calendars: this re-plan's and earlier ones'.

    Earlier cancellations come from the published folder's ``changes.csv``;
    one whose network and seq are planned again is no longer cancelled.
    """
    planned = {(m.network, m.seq) for m in schedule}
    out: dict[tuple[str, int], ScheduledMeeting] = {}
    for m in (*read_cancelled(plan_dir, *problems), *cancelled_of(changes)):
        if (m.network, m.seq) not in planned:
            out[m.network, m.seq] = m
    return tuple(out[k] for k in sorted(out))


def changes_writer(changes: tuple[Change, ...]) -> Callable[[Path], None]:
    """A writer of ``changes.csv`` for :func:`planner.planfile.write_plan_folder`."""

    def write(folder: Path) -> None:
        write_changes_csv(folder / "changes.csv", changes)

    return write


@dataclass(frozen=True, slots=True)
class Replanned:
    """The outcome of :func:`replan`.

    Attributes
    ----------
    prepared
        The re-planning problem (:func:`prepare`).
    result
        The planner's result.
    schedule
        The new plan (``None`` when the planner found none).
    changes
        The rows of ``changes.csv`` (empty without a plan).
    report, before
        ``check`` of the new plan and of the published one (against its own input).
    kept
        The input is the published one (:func:`same_input`): the plan is kept
        as published, without a solve.
    """

    prepared: Prepared
    result: PlanResult
    schedule: Schedule | None
    changes: tuple[Change, ...]
    report: CheckReport | None
    before: CheckReport
    kept: bool = False


def replan(
    old: Plan,
    new: Problem,
    cutoff: date,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    where: Mapping[str, str] | None = None,
) -> Replanned:
    """Prepare, solve and compare (nothing is written; see :func:`write_replanned`).

    Raises
    ------
    ReplanError
        See :func:`prepare`.
    """
    prepared = prepare(old.problem, old.schedule, new, cutoff, where=where)
    before = check(old.problem, old.schedule)
    if same_input(old.problem, new) and not before.hard_violations:
        schedule = renumbered(prepared.problem, old.schedule)
        changes = diff(old.problem, old.schedule, prepared.problem, schedule, prepared.removed)
        result = PlanResult(Status.FEASIBLE, schedule=schedule, objective=None, seed=seed or 0)
        report = check(prepared.problem, schedule)
        return Replanned(prepared, result, schedule, changes, report, before, kept=True)
    result = solve_replan(prepared, time_limit, seed)
    if result.schedule is None:
        return Replanned(prepared, result, None, (), None, before)
    schedule = renumbered(prepared.problem, result.schedule, prepared.aside)
    changes = diff(old.problem, old.schedule, prepared.problem, schedule, prepared.removed)
    return Replanned(prepared, result, schedule, changes, check(prepared.problem, schedule), before)


def same_input(published: Problem, new: Problem) -> bool:
    """Whether ``new`` is the published input (its fixed meetings may be fewer).

    A plan re-planned before embeds its history as fixed meetings, which the
    coordinator's input need not repeat; everything else must be equal.
    Then nothing is forced to move and the plan is kept exactly: an
    unchanged input changes nothing, whatever a new search might find.
    """
    from planner.planfile import problem_to_dict

    a, b = problem_to_dict(published), problem_to_dict(new)
    fixed_a, fixed_b = a.pop("fixed", []), b.pop("fixed", [])
    return a == b and all(f in fixed_a for f in fixed_b)


def _names(*problems: Problem) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in problems:
        out.update({n.id: n.name for n in p.networks if n.id not in out})
    return out


def write_replanned(out: Path, plan_dir: Path, old: Plan, done: Replanned) -> None:
    """Write the re-planned folder: the plan files, ``changes.csv``, calendars, report.

    Calendar ``SEQUENCE`` numbers carry on from ``plan_dir/ics`` (and from
    ``out/ics`` when ``out`` is another plan folder already); cancelled
    meetings stay in the calendars (this re-plan's and earlier ones').

    Raises
    ------
    planner.ics_format.IcsError, OSError
        When the folder cannot be written (nothing is then written).
    """
    from planner.baseline import baseline as build_baseline
    from planner.ics import ics_writer
    from planner.planfile import write_plan_folder
    from planner.planrun import solver_info
    from planner.report import report_writer
    from planner.report_changes import changes_report_writer, changes_section

    assert done.schedule is not None and done.report is not None
    problem, schedule = done.prepared.problem, done.schedule
    cancelled = carried_cancelled(plan_dir, done.changes, schedule, old.problem, problem)
    base = check(problem, build_baseline(problem))
    info = solver_info(done.result)
    names = _names(problem, old.problem)
    section = changes_section(problem, done.changes, done.prepared.cutoff.isoformat(), names)
    previous = plan_dir / "ics"
    if not previous.is_dir() and (out / "ics").is_dir():
        previous = out / "ics"
    writers = (
        ics_writer(problem, schedule, previous=previous, cancelled=cancelled),
        changes_report_writer(report_writer(problem, schedule, done.report, base, info), section),
        changes_writer(done.changes),
    )
    write_plan_folder(
        out,
        dataclasses.replace(problem, previous=()),
        schedule,
        solver=info,
        extra=writers,
        report=done.report,
        baseline_report=base,
    )
