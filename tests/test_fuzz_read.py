"""Hypothesis fuzz of the readers: any bytes, CSV grid or cell gives a Problem or InputError.

Never a traceback: :func:`~planner.read.read_problem`,
:func:`~planner.planfile.read_schedule_csv` and
:func:`~planner.planfile.read_plan` either return or raise
:class:`~planner.read.InputError`, whatever the file holds. The examples are
bounded (and small) so the whole module runs in a few seconds.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.planfile import read_plan, read_schedule_csv
from planner.problem import Problem
from planner.read import InputError, read_problem

FILES = {
    "networks.csv": "id,name,meetings,duration,min_gap_days,venues\na,A,2,60,7,goes\nb,B,1,60,,\n",
    "people.csv": "id,name,lat,lon,unavailable\np,P,51.44,3.57,\nq,Q,51.50,3.88,2027-09-08\n",
    "memberships.csv": "network,person,role\na,p,\na,q,optional\nb,p,\n",
    "venues.csv": "id,name,lat,lon,capacity,rooms,cost\ngoes,Goes,51.50,3.88,20,1,10\n",
    "travel.csv": "from,to,km,minutes\np,goes,30,35\n",
    "settings.csv": "key,value\nstart,2027-09-06\nend,2027-10-01\nseed,3\n",
}
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "1e400",
            "-1",
            "9" * 40,
            "nan",
            "inf",
            "2027-02-30",
            "24:00",
            "25:61",
            "p;q",
            '"',
            "=1+1",
            "'=1",
            "\x1b[2J",
            "\r\n",
            "ma;di",
            "2027-09-06..2027-09-01",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


def _folder(tmp_path: Path) -> Path:
    """The valid input, written afresh (every example reuses the test's folder)."""
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for extra in ("schedule.csv", "plan.json"):
        (folder / extra).unlink(missing_ok=True)
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _read(folder: Path) -> None:
    try:
        assert isinstance(read_problem(folder), Problem)
    except InputError as exc:
        assert exc.issues
        assert all("\x1b" not in line for line in exc.lines())


@FUZZ
@given(name=st.sampled_from(sorted(FILES)), data=st.binary(max_size=400))
def test_random_bytes_in_any_table(tmp_path: Path, name: str, data: bytes) -> None:
    """Random bytes as one table: a problem or an InputError."""
    folder = _folder(tmp_path)
    (folder / name).write_bytes(data)
    _read(folder)


@FUZZ
@given(
    name=st.sampled_from(sorted(FILES)),
    grid=st.lists(st.lists(cells, max_size=8), max_size=6),
    sep=st.sampled_from([",", ";", "\t"]),
)
def test_random_csv_grid_in_any_table(
    tmp_path: Path, name: str, grid: list[list[str]], sep: str
) -> None:
    """A random grid of cells (written as proper CSV) as one table: a problem or an InputError."""
    folder = _folder(tmp_path)
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep).writerows(grid)
    (folder / name).write_text(buf.getvalue(), encoding="utf-8")
    _read(folder)


@FUZZ
@given(name=st.sampled_from(sorted(FILES)), where=st.integers(0, 10_000), cell=cells)
def test_random_cell_in_a_valid_input(tmp_path: Path, name: str, where: int, cell: str) -> None:
    """One cell of a valid input replaced by anything: a problem or an InputError."""
    folder = _folder(tmp_path)
    rows = list(csv.reader(io.StringIO(FILES[name])))
    spots = [(r, c) for r in range(len(rows)) for c in range(len(rows[r]))]
    r, c = spots[where % len(spots)]
    rows[r][c] = cell
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (folder / name).write_text(buf.getvalue(), encoding="utf-8")
    _read(folder)


@FUZZ
@given(data=st.binary(max_size=300), grid=st.lists(st.lists(cells, max_size=9), max_size=4))
def test_random_schedule_and_plan_json(tmp_path: Path, data: bytes, grid: list[list[str]]) -> None:
    """Random schedule.csv and plan.json contents: read or an InputError, nothing else."""
    folder = _folder(tmp_path)
    problem = read_problem(folder)
    buf = io.StringIO()
    csv.writer(buf).writerows(
        [["meeting", "network", "seq", "date", "start", "end", "venue"], *grid]
    )
    (folder / "schedule.csv").write_text(buf.getvalue(), encoding="utf-8")
    (folder / "plan.json").write_bytes(b'{"format": "dakpan-plan", "format_version": 1, ' + data)
    for read in (
        lambda: read_schedule_csv(folder / "schedule.csv", problem),
        lambda: read_plan(folder),
    ):
        try:
            read()
        except InputError as exc:
            assert exc.issues
