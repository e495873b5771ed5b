"""Benchmark of ``dakpan replan``: a venue closed for one month from mid-year.

For each sample: plan the year (``--time-limit`` seconds), then close the
venue that holds the most meetings in the month from ``--from`` (default
2028-01-10, mid-year of the samples' 2027-2028 school year) for that month,
and re-plan from that date. Reported: the meetings at the venue in that
month, meetings moved (other date or venue) and retimed, members affected,
travel_km before and after, and the re-plan's wall time; and, as a check,
how many meetings a re-plan of the unchanged input from the same date moves
(it should be none). Everything runs
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

from planner.changes import counts
from planner.check import check
from planner.planfile import Plan
from planner.problem import Problem
from planner.read import read_problem
from planner.replan import replan
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
    same = replan(old, problem, cutoff, time_limit=time_limit, seed=0)
    still = counts(same.changes)
    idle = still["moved"] + still["retimed"] if same.schedule is not None else "no plan"
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
        "| travel_km before | after | hard violations | re-plan s | unchanged input: moved |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path in args.inputs:
        print(f"  {path} ...", file=sys.stderr)
        print(one(path, cutoff, args.time_limit), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
