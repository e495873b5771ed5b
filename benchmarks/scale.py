"""Province and country scale: plan generated inputs, judge with the checker, one process per run.

Each (input, seed) runs in its own process so that its peak memory is its
own (with the child process the planner forks beside its search: the largest
child's peak added, an upper bound of the two at once). Per run: the time to
the first clash-free plan, the final figures from the checker against the
baseline's, the lower bounds (:mod:`planner.bounds`) and the gap to them, peak
memory and wall seconds. Medians over seeds.

Usage (from the repository root)::

    python benchmarks/generate.py --all --seed 0 --out benchmarks/out/gen
    python benchmarks/scale.py benchmarks/out/gen/*-S-s0 --time-limit 60 --seeds 0
    python benchmarks/scale.py samples/zeeland.xlsx samples/randstad --seeds 0 1 2
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _peak_mb() -> int:
    """Peak resident MB of this process plus its largest (finished) child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + child) / 1024)


def one(path: str, seed: int, time_limit: float) -> dict[str, Any]:
    """Plan one input once; the figures of plan and baseline, bounds, memory, times."""
    sys.path.insert(0, str(ROOT))
    from planner.baseline import baseline
    from planner.bounds import lower_bounds
    from planner.check import check
    from planner.read import read_problem
    from planner.solver import SolveOptions, plan

    problem = read_problem(path)
    started = time.perf_counter()
    result = plan(problem, SolveOptions(time_limit=time_limit, seed=seed))
    wall = time.perf_counter() - started
    base = check(problem, baseline(problem)).figures
    bounds = lower_bounds(problem)
    out: dict[str, Any] = {
        "input": Path(path).name,
        "seed": seed,
        "networks": len(problem.networks),
        "meetings": sum(n.meetings for n in problem.networks),
        "people": len(problem.people),
        "status": result.status.value,
        "objective": None if result.objective is None else round(result.objective / 1e4),
        "first": result.first_solution_seconds,
        "wall": round(wall, 1),
        "peak_mb": _peak_mb(),
        "base_km": base.travel_km,
        "base_trips": base.trips,
        "base_idle": base.idle_minutes,
        "lb_km": bounds.travel_km,
        "lb_trips": bounds.trips,
    }
    if result.schedule is not None:
        report = check(problem, result.schedule)
        f = report.figures
        out |= {
            "hard": report.hard_violations,
            "km": f.travel_km,
            "trips": f.trips,
            "idle": f.idle_minutes,
            "excess_idle": f.excess_idle_minutes,
            "long_waits": f.long_waits,
            "sessions": f.sessions,
        }
    return out


def _median(rows: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown rows: medians per input over its seeds."""
    lines = [
        "| input | networks | meetings | first plan (s) | travel km (ratio) | trips (ratio) "
        "| excess idle / baseline idle | long waits | lower bound km / trips (gap) "
        "| hard | peak MB | wall (s) | seeds: travel ratios |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    by_input: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_input.setdefault(r["input"], []).append(r)
    for name, rs in by_input.items():
        r0 = rs[0]
        km, trips = _median(rs, "km"), _median(rs, "trips")
        if km is None or trips is None:
            lines.append(
                f"| {name} | {r0['networks']} | {r0['meetings']} | no plan | | | | | | | "
                f"{_median(rs, 'peak_mb'):.0f} | {_median(rs, 'wall'):.0f} | |"
            )
            continue
        gap_km = (km - r0["lb_km"]) / km if km else 0.0
        gap_trips = (trips - r0["lb_trips"]) / trips if trips else 0.0
        cells = [
            name,
            str(r0["networks"]),
            str(r0["meetings"]),
            f"{_median(rs, 'first'):.1f}",
            f"{km:,.0f} ({km / r0['base_km']:.2f})",
            f"{trips:,.0f} ({trips / r0['base_trips']:.2f})",
            f"{_median(rs, 'excess_idle'):,.0f} / {r0['base_idle']:,}",
            f"{_median(rs, 'long_waits'):.0f}",
            f"{r0['lb_km']:,.0f} / {r0['lb_trips']:,} ({gap_km:.0%} / {gap_trips:.0%})",
            f"{_median(rs, 'hard'):.0f}",
            f"{_median(rs, 'peak_mb'):.0f}",
            f"{_median(rs, 'wall'):.0f}",
            " / ".join(
                f"{r['seed']}: {r['km'] / r['base_km']:.3f}" for r in rs if r.get("km") is not None
            ),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _rebound(rows: list[dict[str, Any]], inputs: list[str]) -> None:
    """Replace the stored rows' lower bounds by today's, computed from ``inputs``."""
    sys.path.insert(0, str(ROOT))
    from planner.bounds import lower_bounds
    from planner.read import read_problem

    for path in inputs:
        bounds = lower_bounds(read_problem(path))
        for r in rows:
            if r["input"] == Path(path).name:
                r["lb_km"], r["lb_trips"] = bounds.travel_km, bounds.trips


def main(argv: list[str] | None = None) -> int:
    """Run every input and seed in its own process; print the table (and JSON lines)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--json-out", type=Path, help="also write every run as JSON lines")
    ap.add_argument(
        "--table-from",
        type=Path,
        nargs="+",
        help="print the table of stored JSON lines (e.g. seed 0 and seeds 1-2 of two runs) "
        "instead of running; the inputs then only choose and order the rows",
    )
    ap.add_argument(
        "--rebound",
        action="store_true",
        help="with --table-from: recompute the lower bounds of the stored runs with today's "
        "planner.bounds (the plans and their figures stay as stored)",
    )
    args = ap.parse_args(argv)
    if args.table_from:
        stored = [json.loads(line) for f in args.table_from for line in f.read_text().splitlines()]
        names = [Path(p).name for p in args.inputs]
        picked = [
            r
            for name in names
            for r in sorted(stored, key=lambda r: r["seed"])
            if r["input"] == name
        ]
        if args.rebound:
            _rebound(picked, args.inputs)
        print(table(picked))
        return 0
    if args.one:
        print(json.dumps(one(args.inputs[0], args.seeds[0], args.time_limit)))
        return 0
    rows = []
    for path in args.inputs:
        for seed in args.seeds:
            cmd = [sys.executable, __file__, "--one", path, "--seeds", str(seed)]
            cmd += ["--time-limit", str(args.time_limit)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{path} seed {seed}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
            if args.json_out:
                with args.json_out.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(row) + "\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
