"""Reading a planning problem from a folder of CSV files or one ``.xlsx`` workbook.

The data contract (``FORMAT.md``, section *Input*) is followed exactly; every
default is resolved here, so the :class:`~planner.problem.Problem` that comes
out holds final values only.

Reading happens in one pass that collects *every* fault of the input: each
becomes an :class:`InputIssue` naming the file (or workbook sheet), the row as
the user sees it in Excel (the header is row 1), the column, what was found
and what was expected. Only when no fault was found is the
:class:`~planner.problem.Problem` built; an :class:`InputError` carries the
faults otherwise.

Beyond the contract the reader is lenient where that is unambiguous: a
decimal comma in any file (``51,49``), ``H:MM`` and ``HH:MM:00`` times, full
English and Dutch weekday names, ``D-M-YYYY`` dates, ``waar``/``onwaar``
booleans, UTF-16 files with a byte-order mark and tab-separated files, and
``.xlsm`` workbooks.

This module holds the entry points; its parts, by role, are
:mod:`planner.read_schema` (tables, columns, settings keys),
:mod:`planner.read_errors` (:class:`InputIssue`, :class:`InputError`),
:mod:`planner.read_tables` (CSV files and workbook sheets as text),
:mod:`planner.read_rows` (typed row access and the settings),
:mod:`planner.read_entities` (one reader per table) and
:mod:`planner.read_cells` (cell parsers). Every public name of theirs that
other modules use is offered here too (:data:`__all__`).
"""

from __future__ import annotations

from pathlib import Path

from planner.problem import FixedMeeting, Problem, ProblemError, Together, TravelOverride
from planner.read_cells import parse_date, parse_int, parse_time
from planner.read_entities import (
    _read_fixed,
    _read_memberships,
    _read_networks,
    _read_people,
    _read_together,
    _read_travel,
    _read_venues,
)
from planner.read_errors import MAX_ISSUES, InputError, InputIssue, _Reader
from planner.read_rows import _read_settings
from planner.read_schema import (
    _RANK,
    OPTIONAL_TABLES,
    PLACE_TABLES,
    REQUIRED_TABLES,
    SCHEMA,
    SETTINGS_KEYS,
    TABLES,
    Column,
    settings_defaults,
)
from planner.read_tables import (
    _load_folder,
    _load_workbook,
    _Table,
    read_csv_table,
    sheet_rows_as_text,
)
from planner.summary import InputSummary, NetworkSummary, summarize

__all__ = [
    "MAX_ISSUES",
    "OPTIONAL_TABLES",
    "PLACE_TABLES",
    "REQUIRED_TABLES",
    "SCHEMA",
    "SETTINGS_KEYS",
    "TABLES",
    "Column",
    "InputError",
    "InputIssue",
    "InputSummary",
    "NetworkSummary",
    "parse_date",
    "parse_int",
    "parse_time",
    "read_csv_table",
    "read_problem",
    "read_problem_with_warnings",
    "settings_defaults",
    "sheet_rows_as_text",
    "summarize",
]


def _empty_table(name: str) -> _Table:
    return _Table(name, f"{name}.csv", [c.name for c in SCHEMA[name]], [])


def read_problem_with_warnings(path: str | Path) -> tuple[Problem, list[str]]:
    """Read a problem and the warnings about its input.

    Parameters
    ----------
    path
        A folder of CSV files (``networks.csv`` ...) or an ``.xlsx`` workbook.

    Returns
    -------
    tuple[Problem, list[str]]
        The problem with every default resolved, and readable warnings
        (unknown columns, ignored files or sheets, ...).

    Raises
    ------
    InputError
        Listing every fault of the input when it cannot be read.
    """
    p = Path(path)
    r = _Reader()
    if not p.exists():
        raise InputError([InputIssue(str(p), None, None, "does not exist")])
    if p.is_dir():
        loaded = _load_folder(r, p)
    elif p.suffix.lower() in (".xlsx", ".xlsm"):
        loaded = _load_workbook(r, p)
    else:
        hint = ""
        if p.suffix.lower() == ".csv":
            hint = f"; pass the folder that holds it ({p.parent})"
        elif p.suffix.lower() == ".xls":
            hint = "; save the workbook as .xlsx"
        raise InputError(
            [
                InputIssue(
                    p.name,
                    None,
                    None,
                    f"is not a folder of CSV files or an .xlsx workbook{hint}",
                )
            ]
        )

    settings = _read_settings(r, loaded.settings, loaded.settings_label)
    tables = {name: loaded.tables.get(name) for name in TABLES}
    for name, blank in tables.items():
        if blank is None or any(blank.header) or blank.rows:
            continue
        # a sheet or file with nothing in it, not even the header row
        tables[name] = None
        if name in REQUIRED_TABLES and name != "networks":
            header = ",".join(c.name for c in SCHEMA[name])
            r.fail(
                blank.label, None, None, f"is blank: it needs the header row {header}", _RANK[name]
            )
    networks_table = loaded.tables.get("networks")
    if networks_table is not None and not networks_table.rows:
        r.fail(
            networks_table.label,
            None,
            None,
            "has no rows: the input is empty "
            "(fill in at least one network, its people, memberships and venues)",
            rank=0,
        )
    venues_table = tables["venues"]
    if (
        venues_table is not None
        and not venues_table.rows
        and networks_table is not None
        and networks_table.rows
    ):
        r.fail(venues_table.label, None, None, "has no rows", _RANK["venues"])

    venues, venue_ids = _read_venues(r, tables["venues"] or _empty_table("venues"), settings)
    venue_ids.present = tables["venues"] is not None
    people, person_ids = _read_people(r, tables["people"] or _empty_table("people"), venue_ids)
    person_ids.present = tables["people"] is not None
    networks, network_ids = _read_networks(
        r, tables["networks"] or _empty_table("networks"), settings, venue_ids, person_ids
    )
    # without networks every reference to one would be an error: report the cause only
    network_ids.present = networks_table is not None and bool(networks_table.rows)
    memberships = _read_memberships(
        r, tables["memberships"] or _empty_table("memberships"), network_ids, person_ids, venue_ids
    )
    fixed: list[FixedMeeting] = []
    if tables["fixed"] is not None:
        fixed = _read_fixed(
            r,
            table=tables["fixed"],
            s=settings,
            networks=network_ids,
            venues=venue_ids,
            meetings={n.id: n.meetings for n in networks},
        )
    travel: list[TravelOverride] = []
    if tables["travel"] is not None:
        travel = _read_travel(r, tables["travel"], person_ids, venue_ids)
    together: list[Together] = []
    if tables["together"] is not None:
        together = _read_together(r, tables["together"], network_ids)

    if r.issues:
        raise InputError(r.sorted_issues())
    if not memberships:
        r.warn(
            tables["memberships"].label if tables["memberships"] else "memberships",
            None,
            None,
            "has no rows: every network is without members",
            _RANK["memberships"],
        )
    try:
        problem = Problem(
            settings=settings,
            networks=tuple(networks),
            people=tuple(people),
            venues=tuple(venues),
            memberships=tuple(memberships),
            fixed=tuple(fixed),
            travel=tuple(travel),
            together=tuple(together),
        )
    except ProblemError as exc:
        raise InputError([InputIssue("input", None, None, m) for m in exc.messages]) from None
    return problem, r.warnings


def read_problem(path: str | Path) -> Problem:
    """Read a problem from a CSV folder or an ``.xlsx`` workbook.

    Parameters
    ----------
    path
        A folder of CSV files or an ``.xlsx`` workbook.

    Returns
    -------
    Problem
        The problem with every default resolved.

    Raises
    ------
    InputError
        Listing every fault of the input.
    """
    return read_problem_with_warnings(path)[0]
