"""What each phase of the planner adds: the best greedy start alone vs the full search.

Runs in one process, per sample: the greedy start (best of ``GREEDY_STARTS``
seeded runs, sessions sequenced) and ``planner.solver.plan`` at the given time
limit, both judged by the checker against the baseline.

    python benchmarks/ablation.py [--time-limit 60] [INPUT ...]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from planner.solver.sequence import sequence_sessions

from planner.baseline import baseline
from planner.check import Figures, check
from planner.read import read_problem
from planner.schedule import Schedule
from planner.solver import SolveOptions, plan
from planner.solver.instance import build_instance
from planner.solver.model import build_model
from planner.solver.solve import GREEDY_STARTS, _start_plan

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DEFAULT = [SAMPLES / "zeeland.xlsx", SAMPLES / "randstad", SAMPLES / "achterhoek"]


def main() -> None:
    """Print one markdown table: greedy start and full plan, as ratios to the baseline."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inputs", nargs="*", type=Path)
    parser.add_argument("--time-limit", type=float, default=None)
    args = parser.parse_args()
    print("| sample | phase | travel km (ratio) | trips (ratio) | idle min | seconds |")
    print("|---|---|---:|---:|---:|---:|")
    for path in args.inputs or DEFAULT:
        problem = read_problem(path)
        base = check(problem, baseline(problem)).figures
        started = time.perf_counter()
        instance = build_instance(problem)
        built = build_model(instance)
        start = _start_plan(built, SolveOptions(), seed=problem.settings.seed, starts=GREEDY_STARTS)
        if start is None:
            print(f"| {path.stem} | greedy | no complete start plan | | | |")
        else:
            chosen = sequence_sessions(instance, start[0]).chosen
            schedule = Schedule.build(
                problem,
                [
                    (instance.meetings[i].network, instance.date_of(d), t, u)
                    for i, (d, t, u) in chosen.items()
                ],
            )
            f = check(problem, schedule).figures
            seconds = time.perf_counter() - started
            print(_row(path.stem, f"greedy (best of {GREEDY_STARTS})", f, base, seconds))
        result = plan(problem, SolveOptions(time_limit=args.time_limit))
        assert result.schedule is not None
        f = check(problem, result.schedule).figures
        print(_row(path.stem, "full search", f, base, result.wall_seconds))


def _row(name: str, phase: str, f: Figures, base: Figures, seconds: float) -> str:
    km, trips, idle = f.travel_km, f.trips, f.idle_minutes
    bkm, btrips = base.travel_km, base.trips
    return (
        f"| {name} | {phase} | {km:,.0f} ({km / bkm:.2f}) | {trips} ({trips / btrips:.2f}) "
        f"| {idle} | {seconds:.1f} |"
    )


if __name__ == "__main__":
    main()
