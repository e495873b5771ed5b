"""Benchmark of ``dakpan replan``: a venue closed for one month from mid-year.

For each sample: plan the year (``--time-limit`` seconds), then close the
venue that holds the most meetings in the month from ``--from`` (default
2028-01-10, mid-year of the samples' 2027-2028 school year) for that month,
and re-plan from that date. Reported: the meetings at the venue in that
month, meetings moved (other date or venue) and retimed, members affected,
travel_km before and after, and the re-plan's wall time; and how many
meetings a *solve* of the unchanged input from the same date moves (the
command keeps the plan without solving when the input is unchanged; this
shows what the move costs alone hold). Everything runs
through the library in one process; nothing is written.

Usage::

    python benchmarks/replan.py                     # the samples, 20 s per solve
    python benchmarks/replan.py --time-limit 10 samples/randstad
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from planner.changes import counts, diff
from planner.check import check
from planner.planfile import Plan
from planner.problem import Problem
from planner.read import read_problem
from planner.replan import prepare, renumbered, replan, solve_replan
from planner.schedule import Schedule
from planner.solver import SolveOptions, plan

SAMPLES = ("samples/zeeland.xlsx", "samples/randstad", "samples/achterhoek", "samples/veluwe")
MONTH = 30


def _published(problem: Problem, time_limit: float) -> Schedule:
    result = plan(problem, SolveOptions(time_limit=time_limit, seed=0))
    if result.schedule is None:
        raise SystemExit(f"no first plan ({result.status.value})")
    return result.schedule


def _closed(problem: Problem, venue: str, cutoff: date) -> Problem:
    days = frozenset(cutoff + timedelta(days=i) for i in range(MONTH))
    venues = tuple(
        dataclasses.replace(v, unavailable=v.unavailable | days) if v.id == venue else v
        for v in problem.venues
    )
    return dataclasses.replace(problem, venues=venues)


def _solved_anyway(old: Plan, problem: Problem, cutoff: date, time_limit: float) -> str:
    """Meetings a solve of the unchanged input moves (``dakpan replan`` itself keeps the
    plan for an unchanged input without solving; this shows what the move costs alone do)."""
    prepared = prepare(old.problem, old.schedule, problem, cutoff)
    result = solve_replan(prepared, time_limit, 0)
    if result.schedule is None:
        return "no plan"
    schedule = renumbered(prepared.problem, result.schedule, prepared.aside)
    c = counts(diff(old.problem, old.schedule, prepared.problem, schedule))
    return str(c["moved"] + c["retimed"])


def one(path: str, cutoff: date, time_limit: float) -> str:
    """The markdown row of one sample."""
    problem = read_problem(path)
    schedule = _published(problem, time_limit)
    end = cutoff + timedelta(days=MONTH)
    busy = Counter(m.venue for m in schedule if cutoff <= m.date < end)
    venue, there = busy.most_common(1)[0]
    old = Plan(problem, schedule, None, {}, None, None, "", "", 1)
    started = time.perf_counter()
    done = replan(old, _closed(problem, venue, cutoff), cutoff, time_limit=time_limit, seed=0)
    seconds = time.perf_counter() - started
    if done.schedule is None or done.report is None:
        return f"| {Path(path).name} | {venue} | {there} | no plan ({done.result.status.value}) |"
    c = counts(done.changes)
    before = check(problem, schedule).figures.travel_km
    after = done.report.figures.travel_km
    idle = _solved_anyway(old, problem, cutoff, time_limit)
    return (
        f"| {Path(path).name} | {venue} | {there} | {c['moved']} | {c['retimed']} | "
        f"{c['members']} | {before:,.0f} | {after:,.0f} | {done.report.hard_violations} | "
        f"{seconds:.1f} | {idle} |"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", default=list(SAMPLES))
    parser.add_argument("--from", dest="cutoff", default="2028-01-10")
    parser.add_argument("--time-limit", type=float, default=20.0)
    args = parser.parse_args(argv)
    cutoff = date.fromisoformat(args.cutoff)
    print(
        "| sample | venue closed | meetings there | moved | retimed | members affected "
        "| travel_km before | after | hard violations | re-plan s | unchanged, solved: moved |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path in args.inputs:
        print(f"  {path} ...", file=sys.stderr)
        print(one(path, cutoff, args.time_limit), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
