"""CPU seconds per 10,000 work units of the relocation search, per input.

The relocation phase's budget is counted in deterministic work units
(:class:`planner.solver.construct.Work`); ``WORK_PER_SECOND`` in
``planner/solver/solve.py`` turns seconds of the time limit into units. This
measures what a unit costs on each input (one process, CPU time, so other
load on the machine matters little): if the cost grows with the size of the
input, a time limit overruns on big inputs.

    python benchmarks/work_units.py samples/zeeland.xlsx GEN/high-S-s0 GEN/partial-XL-s0
"""

from __future__ import annotations

import argparse
import random
import time

from planner.read import read_problem
from planner.solver.construct import Work, construct
from planner.solver.evaluate import objective
from planner.solver.instance import build_instance
from planner.solver.local import iterate


def main() -> None:
    """Print one line per input: meetings and CPU seconds per 10,000 units."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--units", type=int, default=40_000)
    args = parser.parse_args()
    print("| input | meetings | CPU s per 10,000 units |\n|---|---:|---:|")
    for path in args.inputs:
        inst = build_instance(read_problem(path))
        state = construct(inst, work=Work(budget=400 * len(inst.free)))
        if not state.complete():
            print(f"| {path} | {len(inst.meetings)} | (no start plan) |")
            continue
        began = time.process_time()
        work = Work(budget=args.units)
        iterate(inst, state, rng=random.Random(0), work=work, objective=objective)
        spent = time.process_time() - began
        print(f"| {path} | {len(inst.meetings)} | {spent / work.done * 10_000:.2f} |", flush=True)


if __name__ == "__main__":
    main()
