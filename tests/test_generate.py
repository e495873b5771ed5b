"""The benchmark input generator (``benchmarks/generate.py``): readable, deterministic, sized."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from planner.calendar import candidate_dates, max_meetings_possible
from planner.read import read_problem_with_warnings

ROOT = Path(__file__).resolve().parent.parent
FILES = ("memberships.csv", "networks.csv", "people.csv", "settings.csv", "venues.csv")


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "dakpan_benchmark_generate", ROOT / "benchmarks/generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load()


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _shared(folder: Path) -> float:
    """Share of people in two or more networks, counted from the files the reader reads."""
    problem, _ = read_problem_with_warnings(folder)
    counts: dict[str, int] = {}
    for m in problem.memberships:
        counts[m.person] = counts.get(m.person, 0) + 1
    return sum(1 for k in counts.values() if k >= 2) / len(problem.people)


@pytest.mark.parametrize(
    ("setting", "low", "high"), [("low", 0.0, 0.25), ("high", 0.8, 1.0), ("partial", 0.25, 0.8)]
)
def test_small_inputs_are_readable_deterministic_and_overlap_as_intended(
    tmp_path: Path, setting: str, low: float, high: float
) -> None:
    """S of each setting: read without warnings, same bytes per seed, other bytes per other seed."""
    first = gen.generate(setting, "S", 0, tmp_path / "a")
    again = gen.generate(setting, "S", 0, tmp_path / "b")
    other = gen.generate(setting, "S", 1, tmp_path / "c")
    assert first.folder.name == f"{setting}-S-s0"
    assert sorted(_bytes(first.folder)) == list(FILES)
    assert _bytes(first.folder) == _bytes(again.folder)
    assert _bytes(first.folder) != _bytes(other.folder)
    problem, warnings = read_problem_with_warnings(first.folder)
    assert warnings == []
    assert (len(problem.networks), len(problem.venues)) == (12, 6)
    assert len(problem.people) == first.people
    assert low < _shared(first.folder) < high
    assert first.shared == pytest.approx(_shared(first.folder))


def test_every_small_network_fits_its_meetings_alone(tmp_path: Path) -> None:
    """Each network of high-overlap S has room for one meeting more than it needs."""
    folder = gen.generate("high", "S", 0, tmp_path).folder
    problem, _ = read_problem_with_warnings(folder)
    short = [
        n.id
        for n in problem.networks
        if max_meetings_possible(candidate_dates(problem, n.id), n.min_gap_days) <= n.meetings
    ]
    assert short == []


def test_loosen_steps_weekdays_then_gap_then_meetings() -> None:
    """A network short of dates gets all weekdays, then smaller gaps, then fewer meetings."""
    net = gen.NetSpec("n", "N", 6, 60, 28, "tue;thu", "", "", "zuid", (51.5, 5.0))
    steps = [net]
    for _ in range(4):
        steps.append(gen.loosen(steps[-1]))
    assert [(s.weekdays, s.min_gap_days, s.meetings) for s in steps] == [
        ("tue;thu", 28, 6),
        ("", 28, 6),
        ("", 21, 6),
        ("", 21, 5),
        ("", 21, 4),
    ]


def test_large_input_has_the_stated_size() -> None:
    """L (partial, seed 0) has 150 networks, 912 meetings, 16 venues (built, not planned)."""
    built = gen.build("partial", "L", 0)
    assert len(built.networks) == 150
    assert sum(n.meetings for n in built.networks) == 912
    assert len(built.venues) == 16
    assert all(10 <= len(n.members) <= 30 for n in built.networks)
