"""``benchmarks/run.py``: relay share, seeds, and a whole run on a tiny input."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from planner.check import great_circle_km
from tests.conftest import GOES, MIDDELBURG, schedule_of, two_networks_one_member

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "dakpan_benchmark_run", ROOT / "benchmarks/run.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load()

# Vlissingen, where p lives (conftest's default home).
VLISSINGEN = (51.4426, 3.5736)


def _round_trip(venue_lat: float, venue_lon: float) -> float:
    """Road km home (Vlissingen) -> venue -> home with road_factor 1.3."""
    return 2 * great_circle_km(*VLISSINGEN, venue_lat, venue_lon) * 1.3


def test_linked_networks_share_a_required_member() -> None:
    # a and b share required member p; optional r does not link anything.
    assert bench.linked_networks(two_networks_one_member()) == frozenset({"a", "b"})


def test_relay_share_counts_meetings_in_sessions_of_two_or_more() -> None:
    problem = two_networks_one_member()
    together = schedule_of(
        problem, ("a", "2027-09-20", "09:00", "goes"), ("b", "2027-09-20", "10:15", "goes")
    )
    apart = schedule_of(
        problem, ("a", "2027-09-20", "09:00", "goes"), ("b", "2027-09-21", "09:00", "goes")
    )
    other_venue = schedule_of(
        problem, ("a", "2027-09-20", "09:00", "goes"), ("b", "2027-09-20", "09:00", "middelburg")
    )
    # Both meetings share the session 2027-09-20@goes: 2 of 2.
    assert bench.relay_share(problem, together) == 1.0
    # Different dates, or different venues: each session holds one meeting, 0 of 2.
    assert bench.relay_share(problem, apart) == 0.0
    assert bench.relay_share(problem, other_venue) == 0.0
    # No meeting of a linked network at all.
    assert bench.relay_share(problem, schedule_of(problem)) is None


def test_seeds_for() -> None:
    problem = two_networks_one_member()  # seed setting 0
    assert bench.seeds_for(problem, None, 1) == [0]
    assert bench.seeds_for(problem, 7, 1) == [7]
    assert bench.seeds_for(problem, None, 3) == [0, 1, 2]
    assert bench.seeds_for(problem, 5, 2) == [5, 6]


def test_benchmark_of_the_tiny_problem() -> None:
    problem = two_networks_one_member()
    result = bench.benchmark(Path("tiny"), problem, time_limit=5, seeds=[0], workers=1)
    base = result.baseline
    # Baseline: network a (n=0, phase 0) lands on the horizon's first day, 2027-09-06, at
    # goes; b (n=1, phase 0.618..) on start + floor(0.618 x 26) = +16 days, 2027-09-22, at
    # middelburg, nearer to p's home. So p travels twice, q (living at goes) once.
    assert base.trips == 3
    assert base.sessions == 2
    assert base.relay_share == 0.0
    assert base.hard_violations == 0
    expected_base_km = round(
        _round_trip(GOES.lat, GOES.lon) + _round_trip(MIDDELBURG.lat, MIDDELBURG.lon), 3
    )
    assert base.travel_km == pytest.approx(expected_base_km, abs=1e-3)

    (run,) = result.runs
    assert run.status == "optimal"
    assert run.ok
    assert run.mismatches == {}
    assert run.gap == 0.0
    plan = run.plan
    assert plan is not None
    # The optimum: both meetings on one day at goes, back to back (a 15-minute changeover
    # is idle time for p). p makes one round trip to goes; q lives there (0 km).
    assert plan.trips == 2
    assert plan.sessions == 1
    assert plan.idle_minutes == 15
    assert plan.relay_share == 1.0
    assert plan.hard_violations == 0
    assert plan.travel_km == pytest.approx(round(_round_trip(GOES.lat, GOES.lon), 3), abs=1e-3)
    # Ratios plan / baseline: trips 2/3, sessions 1/2, idle has a zero baseline.
    r = bench.ratios(plan, base)
    assert r["trips"] == pytest.approx(2 / 3)
    assert r["sessions"] == 0.5
    assert r["idle_minutes"] is None


TINY_CSV = {
    "networks.csv": "id,name,meetings,duration,min_gap_days,venues\n"
    "a,Netwerk A,1,60,7,goes\n"
    "b,Netwerk B,1,60,7,goes;middelburg\n",
    "people.csv": "id,name,lat,lon\np,P,51.4426,3.5736\nq,Q,51.5040,3.8880\nr,R,51.4426,3.5736\n",
    "memberships.csv": "network,person,role\na,p,\na,q,\nb,p,\nb,r,optional\n",
    "venues.csv": "id,name,lat,lon,capacity\n"
    "goes,Goes,51.5040,3.8880,20\n"
    "middelburg,Middelburg,51.4988,3.6136,20\n",
    "settings.csv": "key,value\nstart,2027-09-06\nend,2027-10-01\npublic_holidays,false\n"
    "school_holidays,false\nmin_gap_days,7\ntime_limit,10\n",
}


def _write_tiny(folder: Path) -> Path:
    folder.mkdir()
    for name, text in TINY_CSV.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_main_json_and_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _write_tiny(tmp_path / "tiny")
    out = tmp_path / "out" / "section.md"
    code = bench.main([str(folder), "--time-limit", "5", "--json", "--out", str(out)])
    assert code == bench.EXIT_OK
    doc = json.loads(capsys.readouterr().out)
    (sample,) = doc["samples"]
    assert sample["name"] == "tiny"
    assert sample["seeds"] == [0]
    assert sample["status"] == "optimal"
    assert sample["time_limit"] == 5.0
    # Same problem as conftest's two_networks_one_member: see the test above.
    assert sample["median"]["trips"] == 2
    assert sample["median"]["sessions"] == 1
    assert sample["median"]["relay_share"] == 1.0
    assert sample["baseline"]["trips"] == 3
    assert sample["runs"][0]["model_matches_checker"] is True
    text = out.read_text(encoding="utf-8")
    assert text.startswith("## Results: time limit 5 s, seed 0\n")
    # travel: 59.33 / 77.11 km, ratio 0.77; trips 2/3; idle 15 against a baseline of 0.
    assert (
        "| tiny | 2 | 2 | 59 / 77 (0.77) | 2 / 3 (0.67) | 15 / 0 | 1 / 2 (0.50) "
        "| 100% / 0% | 0 / 0 |"
    ) in text
    assert "| tiny | optimal | " in text


def test_main_refuses_bad_arguments_and_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main([str(tmp_path / "missing")]) == bench.EXIT_INPUT
    assert "does not exist" in capsys.readouterr().err
    assert bench.main(["--repeat", "0", str(tmp_path)]) == bench.EXIT_INPUT
    assert bench.main(["--time-limit", "0", str(tmp_path)]) == bench.EXIT_INPUT
    assert bench.main(["--out", str(tmp_path), str(tmp_path)]) == bench.EXIT_INPUT
    assert "is a folder" in capsys.readouterr().err
