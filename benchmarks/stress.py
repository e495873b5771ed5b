"""Stress the planner with input shapes it has never seen, through the CLI.

Writes every shape of :mod:`benchmarks.stress_catalogue` (deterministic by
``--seed``) as a CSV folder or workbook, then, one input at a time, runs
``dakpan plan`` twice and ``dakpan check`` on the plan, checks any witness
schedule with ``dakpan check``, and judges:

- ``expect plan``: exit 0, 0 hard violations, no traceback;
- ``expect infeasible``: exit 1 and no folder (the shape's proof says why);
- both runs give the same files (timings in ``plan.json`` and ``report.html``
  aside); format variants give the same ``schedule.csv`` as their reference;
- a witness schedule must pass ``dakpan check`` (so a "no plan" is provably wrong).

Run::

    python benchmarks/stress.py --out DIR                 # every shape
    python benchmarks/stress.py --out DIR --only one_day slot5
    python benchmarks/stress.py --out DIR --write-only    # inputs only
    python benchmarks/stress.py --list

Exit code 0 when every shape passed, 1 when one failed. Results go to
``DIR/results.json`` and a table to standard output.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(ROOT))

from benchmarks.stress_bad import BAD_SHAPES  # noqa: E402
from benchmarks.stress_catalogue import SHAPES as CATALOGUE  # noqa: E402
from benchmarks.stress_edges import EDGE_SHAPES  # noqa: E402
from benchmarks.stress_planted import (  # noqa: E402
    planted_big,
    planted_dense,
    planted_small,
    planted_tight,
)
from benchmarks.stress_shapes import COLUMNS, Shape  # noqa: E402
from planner.planfile_csv import SCHEDULE_COLUMNS  # noqa: E402

NUMERIC = {"lat", "lon", "km"}
CLI = "from cli.app import app; app()"
GOOD_SHAPES = {
    **CATALOGUE,
    **{fn.__name__: fn for fn in (planted_small, planted_tight, planted_big, planted_dense)},
    **EDGE_SHAPES,
}
SHAPES = {**GOOD_SHAPES, **BAD_SHAPES}
#: Shapes drawn with another shape's random numbers (the same problem in another form).
SAME_DRAW = {"format_semicolon": "format_base", "format_xlsx": "format_base"}
LOCATED = re.compile(r"[a-z]+\.(csv|toml)|\.xlsx|sheet|settings", re.IGNORECASE)
SAID = re.compile(r"^(No plan|Status |  - )")
TIMING = re.compile(r"<td class='num'>[0-9.,]+ s</td>")


# ------------------------------------------------------------------ writing
def _csv(
    path: Path, header: Sequence[str], rows: Sequence[dict[str, str]], sep: str, encoding: str
) -> None:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=sep)
        writer.writerow(header)
        for row in rows:
            cells = [row.get(col, "") for col in header]
            if sep == ";":
                cells = [
                    c.replace(".", ",") if col in NUMERIC else c
                    for col, c in zip(header, cells, strict=True)
                ]
            writer.writerow(cells)


def _cell(text: str) -> object:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text


def write_shape(shape: Shape, folder: Path) -> Path:
    """Write ``shape`` under ``folder``; return the input path (folder or .xlsx)."""
    tables = {name: rows for name, rows in shape.tables.items() if rows}
    if shape.form == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)  # type: ignore[arg-type]
        for name, rows in tables.items():
            sheet = book.create_sheet(name)
            sheet.append(list(COLUMNS[name]))
            for row in rows:
                sheet.append([_cell(row.get(col, "")) for col in COLUMNS[name]])
        sheet = book.create_sheet("settings")
        sheet.append(["key", "value"])
        for key, value in shape.settings.items():
            sheet.append([key, _cell(value)])
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{shape.name}.xlsx"
        book.save(path)
        return path
    path = folder / shape.name
    path.mkdir(parents=True, exist_ok=True)
    sep, encoding = (";", "cp1252") if shape.form == "semicolon" else (",", "utf-8")
    for name, rows in tables.items():
        _csv(path / f"{name}.csv", COLUMNS[name], rows, sep, encoding)
    if shape.form == "semicolon":
        lines = [f'{key} = "{value}"' for key, value in shape.settings.items()]
        (path / "settings.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        _csv(
            path / "settings.csv",
            ("key", "value"),
            [{"key": k, "value": v} for k, v in shape.settings.items()],
            sep,
            encoding,
        )
    return path


def fill_networks(shape: Shape, path: Path) -> None:
    """Set ``meetings`` of ``shape.fill`` networks to the most their dates allow; rewrite."""
    from planner.calendar import candidate_dates, max_meetings_possible
    from planner.read import read_problem

    problem = read_problem(path)
    by_id = {n.id: n for n in problem.networks}
    for row in shape.tables["networks"]:
        if row["id"] in shape.fill:
            net = by_id[row["id"]]
            row["meetings"] = str(
                max_meetings_possible(candidate_dates(problem, net.id), net.min_gap_days)
            )
    write_shape(shape, path.parent)


# ------------------------------------------------------------------ running
def dakpan(*args: str, timeout: float) -> tuple[int, str, float]:
    """Run the CLI; exit code, stdout + stderr, seconds."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )
    return done.returncode, done.stdout + done.stderr, time.perf_counter() - started


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a plan folder, with the solver's timings taken out."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "plan.json":
            doc = json.loads(data)
            doc["solver"] = {k: v for k, v in doc["solver"].items() if "seconds" not in k}
            data = json.dumps(doc, sort_keys=True).encode()
        elif path.name == "report.html":
            data = TIMING.sub("", data.decode("utf-8")).encode()
        out[str(path.relative_to(folder))] = data
    return out


def run_bad(shape: Shape, inp: Path, work: Path) -> dict[str, object]:
    """Plan a bad input once: exit 2, a located message, no traceback, nothing written."""
    out = work / "run-a"
    code, text, _ = dakpan("plan", str(inp), "--out", str(out), "--quiet", timeout=300)
    said = " | ".join(text.strip().splitlines()[:3])[:200]
    problems = []
    if code != 2:
        problems.append(f"exit {code}, not 2")
    if "Traceback" in text:
        problems.append("traceback")
    if out.exists():
        problems.append("--out was created")
    if not LOCATED.search(text):
        problems.append("message names no file")
    return {
        "shape": shape.name,
        "expect": "error",
        "about": shape.about,
        "exit": [code],
        "status": "-",
        "said": said,
        "traceback": "Traceback" in text,
        "deterministic": True,
        "problems": problems,
    }


def run_shape(shape: Shape, inp: Path, work: Path, seed: int, limit: float) -> dict[str, object]:
    """Plan twice, check, compare; the record of one shape."""
    if shape.expect == "error":
        return run_bad(shape, inp, work)
    rec: dict[str, object] = {
        "shape": shape.name,
        "expect": shape.expect,
        "about": shape.about,
        "time_limit": limit,
    }
    outs = [work / "run-a", work / "run-b"]
    codes, texts = [], []
    for out in outs:
        code, text, secs = dakpan(
            "plan",
            str(inp),
            "--out",
            str(out),
            "--time-limit",
            str(limit),
            "--seed",
            str(seed),
            "--quiet",
            timeout=limit * 4 + 120,
        )
        codes.append(code)
        texts.append(text)
        rec.setdefault("wall", round(secs, 1))
    rec["exit"] = codes
    rec["traceback"] = any("Traceback" in t for t in texts)
    status = re.search(r"Status (\w+)", texts[0])
    rec["status"] = status.group(1) if status else "-"
    said = [ln.strip() for ln in texts[0].splitlines() if SAID.match(ln)]
    rec["said"] = " | ".join(said)[:300]
    plan_json = outs[0] / "plan.json"
    if plan_json.exists():
        solver = json.loads(plan_json.read_text(encoding="utf-8"))["solver"]
        rec["status"], rec["first_plan_s"] = solver["status"], solver.get("first_solution_seconds")
        code, text, _ = dakpan("check", str(inp), str(outs[0]), "--json", timeout=300)
        rec["check_exit"] = code
        rec["hard_violations"] = (
            json.loads(text[text.index("{") :])["hard_violations"] if "{" in text else None
        )
    both = all(o.exists() for o in outs)
    rec["deterministic"] = (
        folder_bytes(outs[0]) == folder_bytes(outs[1]) if both else codes[0] == codes[1]
    )
    if shape.witness:
        wfolder = work / "witness"
        wfolder.mkdir(parents=True, exist_ok=True)  # no plan written: work/ may not exist
        _csv(wfolder / "schedule.csv", SCHEDULE_COLUMNS, shape.witness, ",", "utf-8")
        code, text, _ = dakpan("check", str(inp), str(wfolder / "schedule.csv"), timeout=300)
        rec["witness_check_exit"] = code
    rec["problems"] = judge(shape, rec)
    return rec


def judge(shape: Shape, rec: dict[str, object]) -> list[str]:
    """What went wrong with one shape (empty: passed)."""
    problems = []
    codes = rec["exit"]
    assert isinstance(codes, list)
    if rec["traceback"]:
        problems.append("traceback")
    if shape.expect == "plan" and codes[0] != 0:
        problems.append(f"no plan (exit {codes[0]}, status {rec['status']})")
    if shape.expect == "infeasible" and codes[0] != 1:
        problems.append(f"expected infeasible, exit {codes[0]}")
    elif shape.expect == "infeasible" and "cannot be planned" not in str(rec["said"]):
        problems.append("infeasible but not proven")
    first = rec.get("first_plan_s")
    if isinstance(first, float) and first > float(str(rec["time_limit"])):
        problems.append(f"first plan after {first:.1f} s, beyond the time limit")
    if rec.get("hard_violations"):
        problems.append(f"{rec['hard_violations']} hard violations")
    if not rec["deterministic"]:
        problems.append("two runs differ")
    if shape.witness and rec.get("witness_check_exit") != 0:
        problems.append("witness rejected by check (shape bug)")
    return problems


# ------------------------------------------------------------------ main
def shape_rng(name: str, seed: int) -> random.Random:
    """The generator of shape ``name``; a format variant shares its reference's."""
    key = SAME_DRAW.get(name, name)
    return random.Random(seed * 1000 + list(SHAPES).index(key))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="work folder (inputs/, runs/, results.json)")
    parser.add_argument("--seed", type=int, default=0, help="generator and planner seed")
    parser.add_argument("--only", nargs="+", choices=sorted(SHAPES), help="these shapes only")
    parser.add_argument(
        "--time-limit", type=float, default=10.0, help="seconds (big shapes: twice this)"
    )
    parser.add_argument("--write-only", action="store_true", help="write the inputs, run nothing")
    parser.add_argument("--list", action="store_true", help="list the shapes and exit")
    parser.add_argument("--good", action="store_true", help="only the valid shapes")
    parser.add_argument("--bad", action="store_true", help="only the bad-input shapes")
    args = parser.parse_args(argv)
    names = args.only or list(GOOD_SHAPES if args.good else BAD_SHAPES if args.bad else SHAPES)
    if args.list:
        for name in names:
            print(f"{name:18} {SHAPES[name](random.Random(0)).about}")
        return 0
    if args.out is None:
        parser.error("--out is required")
    inputs = args.out / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    results, schedules = [], {}
    for i, name in enumerate(names):
        shape = SHAPES[name](shape_rng(name, args.seed))
        path = write_shape(shape, inputs)
        if shape.fill:
            fill_networks(shape, path)
        if args.write_only:
            print(path)
            continue
        print(f"[{i + 1}/{len(names)}] {name}", file=sys.stderr, flush=True)
        limit = args.time_limit * (2 if shape.big else 1)
        rec = run_shape(shape, path, args.out / "runs" / name, args.seed, limit)
        sched = args.out / "runs" / name / "run-a" / "schedule.csv"
        schedules[name] = sched.read_bytes() if sched.exists() else b""
        if shape.same_plan_as in schedules and schedules[name] != schedules[shape.same_plan_as]:
            assert isinstance(rec["problems"], list)
            rec["problems"].append(f"schedule differs from {shape.same_plan_as}")
        results.append(rec)
        print(_line(rec), flush=True)
    if args.write_only:
        return 0
    (args.out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 1 if any(r["problems"] for r in results) else 0


def _line(rec: dict[str, object]) -> str:
    problems = rec["problems"]
    verdict = "ok" if not problems else "FAIL: " + "; ".join(map(str, problems))
    first = rec.get("first_plan_s")
    first_text = "-" if first is None else f"{float(str(first)):.1f}s"
    return (
        f"{rec['shape']:18} exit={rec['exit']} status={rec['status']:10} first={first_text:6} "
        f"hard={rec.get('hard_violations', '-')} det={rec['deterministic']} {verdict}"
    )


if __name__ == "__main__":
    sys.exit(main())
