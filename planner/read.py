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
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from planner.places import PlaceError, resolve
from planner.problem import (
    FixedMeeting,
    Membership,
    Network,
    Person,
    Problem,
    ProblemError,
    Role,
    Settings,
    Together,
    TravelOverride,
    Venue,
    fmt_time,
    fmt_weekdays,
)
from planner.read_cells import (
    _LAT,
    _LON,
    _NO_DATES,
    _NO_TIMES,
    _SETTING_PARSERS,
    _at_least,
    _CellError,
    _hint,
    _limited,
    _p_bool,
    _p_float,
    _p_region,
    _p_role,
    _p_unavailable,
    _p_weekdays,
    _split,
    parse_date,
    parse_int,
    parse_time,
)
from planner.safety import (
    MAX_CELL_CHARS,
    MAX_HORIZON_DAYS,
    MAX_SHEET_CELLS,
    id_problem,
    printable,
    read_file_bytes,
    restore_cell,
    unclosed_quote,
    workbook_has_formulas,
    workbook_problem,
)
from planner.summary import (
    InputSummary,
    NetworkSummary,
    summarize,
)
from planner.weights import Weights

__all__ = [
    "MAX_ISSUES",
    "OPTIONAL_TABLES",
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
    "summarize",
]

T = TypeVar("T")


#: Most issues an :class:`InputError` prints before "... and N more".
MAX_ISSUES = 50


@dataclass(frozen=True, slots=True)
class Column:
    """A column of an input table.

    Attributes
    ----------
    name
        Column name as the contract spells it (lower case).
    required
        Whether the column must be present and every cell of it filled.
    """

    name: str
    required: bool


def _cols(spec: str) -> tuple[Column, ...]:
    # "id! name! organisation": a trailing "!" marks a required column.
    return tuple(Column(c.rstrip("!"), c.endswith("!")) for c in spec.split())


#: Every table of the contract and its columns, in contract order.
SCHEMA: Mapping[str, tuple[Column, ...]] = {
    "networks": _cols(
        "id! name! meetings! duration! min_gap_days weekdays earliest latest venues region"
    ),
    "people": _cols("id! name! organisation email place lat lon unavailable if_need_be"),
    "memberships": _cols("network! person! role"),
    "venues": _cols(
        "id! name! address place lat lon capacity! rooms weekdays open close unavailable cost"
    ),
    "fixed": _cols("network! date! start! venue!"),
    "travel": _cols("from! to! km! minutes"),
    "together": _cols("networks! times! order hard"),
}
#: Tables whose rows give ``place`` or ``lat`` and ``lon`` (contract v1.1).
PLACE_TABLES: tuple[str, ...] = ("people", "venues")
#: Tables an input must have.
REQUIRED_TABLES: tuple[str, ...] = ("networks", "people", "memberships", "venues")
#: Tables an input may have.
OPTIONAL_TABLES: tuple[str, ...] = ("fixed", "travel", "together")
#: Every data table, in contract order (``settings`` is separate).
TABLES: tuple[str, ...] = REQUIRED_TABLES + OPTIONAL_TABLES

_SETTING_FIELDS: tuple[str, ...] = (
    "start",
    "end",
    "region",
    "weekdays",
    "day_start",
    "day_end",
    "slot",
    "changeover",
    "min_gap_days",
    "max_meetings_per_day",
    "long_wait",
    "public_holidays",
    "school_holidays",
    "road_factor",
    "speed_kmh",
    "time_limit",
    "seed",
    "timezone",
    "language",
)
#: Every key of the settings table: the contract's keys, then ``weight_<name>``.
SETTINGS_KEYS: tuple[str, ...] = _SETTING_FIELDS + Weights.keys()

# Sheets that carry explanations only (the template's), read without a warning.
_EXPLANATION_SHEETS = frozenset({"uitleg", "explanation", "readme", "toelichting"})


def settings_defaults() -> dict[str, str]:
    """Default value of every settings key as text (``""`` for ``start`` and ``end``).

    Returns
    -------
    dict[str, str]
        Key to default, in :data:`SETTINGS_KEYS` order, e.g. ``"day_start": "09:00"``.
    """
    s = Settings(start=date.min, end=date.min)
    out: dict[str, str] = {}
    for key in _SETTING_FIELDS:
        value: object = getattr(s, key)
        if key in ("start", "end"):
            out[key] = ""
        elif key == "weekdays":
            out[key] = fmt_weekdays(s.weekdays)
        elif key in ("day_start", "day_end"):
            out[key] = fmt_time(int(str(value)))
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, float) and value.is_integer():
            out[key] = str(int(value))
        else:
            out[key] = str(value)
    for f in fields(Weights):
        out[f"weight_{f.name}"] = str(getattr(s.weights, f.name))
    return out


# --------------------------------------------------------------------- errors
@dataclass(frozen=True, slots=True)
class InputIssue:
    """One fault of the input.

    Attributes
    ----------
    file
        ``memberships.csv``, ``input.xlsx, sheet memberships``, or ``input``
        for a fault of the whole problem.
    row
        Row as the user sees it in Excel (header is row 1), or ``None``.
    column
        Column name, or ``None``.
    message
        What was found and what was expected.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """File, row, column and message; control characters shown as ``\\x1b``."""
        if self.row is None and self.column is None:
            sep = ": " if self.file == "input" else " "
            return printable(f"{self.file}{sep}{self.message}")
        where = self.file
        if self.row is not None:
            where += (", row " if "," in self.file else " row ") + str(self.row)
        if self.column is not None:
            where += f", column {self.column}"
        return printable(f"{where}: {self.message}")


class InputError(Exception):
    """The input cannot be read; :attr:`issues` lists every fault found.

    Parameters
    ----------
    issues
        The faults, in the order they should be shown.
    """

    def __init__(self, issues: Sequence[InputIssue]) -> None:
        self.issues: tuple[InputIssue, ...] = tuple(issues)
        super().__init__("\n".join(self.lines()))

    def lines(self, limit: int = MAX_ISSUES) -> list[str]:
        """The issues as text, at most ``limit`` of them, then ``... and N more``.

        Parameters
        ----------
        limit
            Most issues to show.

        Returns
        -------
        list[str]
            One line per issue.
        """
        out = [str(i) for i in self.issues[:limit]]
        if len(self.issues) > limit:
            out.append(f"... and {len(self.issues) - limit} more")
        return out


# ---------------------------------------------------------------- raw tables
@dataclass(slots=True)
class _Table:
    """A table as text: normalised header and data rows with their Excel row numbers."""

    name: str
    label: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    formulas: frozenset[tuple[int, int]] = frozenset()  # formula cells without a value


def _norm_header(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell.strip().lstrip("\ufeff").strip().lower())


def _cell_text(value: object) -> str:
    """Normalise a workbook cell to the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        if value.date() in (date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1)):
            return _cell_text(value.time())
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        text = f"{value.hour:02d}:{value.minute:02d}"
        return text if value.second == 0 else f"{text}:{value.second:02d}"
    if isinstance(value, timedelta):
        minutes = int(value.total_seconds()) // 60
        return fmt_time(minutes)
    return str(value)


class _Reader:
    """Collects issues and warnings while reading one input."""

    def __init__(self) -> None:
        self.issues: list[tuple[int, int, InputIssue]] = []
        self._warnings: list[tuple[int, int, str]] = []
        self.settings_broken = False  # a fault of the settings source is reported

    def fail(
        self, file: str, row: int | None, column: str | None, message: str, rank: int = 50
    ) -> None:
        self.issues.append((rank, len(self.issues), InputIssue(file, row, column, message)))

    def warn(
        self, file: str, row: int | None, column: str | None, message: str, rank: int = 0
    ) -> None:
        text = str(InputIssue(file, row, column, message))
        self._warnings.append((rank, len(self._warnings), text))

    @property
    def warnings(self) -> list[str]:
        return [w for _, _, w in sorted(self._warnings)]

    def sorted_issues(self) -> list[InputIssue]:
        return [i for _, _, i in sorted(self.issues, key=lambda t: (t[0], t[1]))]


_RANK = {"settings": 1, **{t: 2 + i for i, t in enumerate(TABLES)}}


def _header_and_rows(
    rows: list[list[str]], first_row: int
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The normalised header and the numbered, stripped rows that are not blank."""
    header = [_norm_header(c) for c in rows[0]] if rows else []
    data: list[tuple[int, list[str]]] = []
    for i, cells in enumerate(rows[1:], start=first_row + 1):
        stripped = [c.strip() for c in cells]
        if any(stripped):
            data.append((i, stripped))
    return header, data


def _table_from_rows(name: str, label: str, rows: list[list[str]], first_row: int) -> _Table:
    return _Table(name, label, *_header_and_rows(rows, first_row))


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"PK\x03\x04"):
        raise _CellError("is an Excel workbook or zip file, not a CSV file (save it as CSV)")
    if b"\x00" in data:
        raise _CellError("holds binary data, not text (save it as CSV UTF-8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _CellError(
            f"cannot be decoded as UTF-8 or Windows-1252 (byte 0x{data[exc.start]:02x} in "
            f"line {line}); save it as CSV UTF-8"
        ) from None


def _separator(text: str) -> str:
    """The separator of a CSV text, judged from its header line (quotes respected)."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "\r\n":
            break
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def read_csv_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Read one CSV file the way the input's CSV files are read.

    The encoding (UTF-8 with or without byte-order mark, UTF-16 with one,
    Windows-1252) and the separator (``,``, ``;`` or tab, judged from the
    header line, or Excel's ``sep=`` line) are detected.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    tuple[list[str], list[tuple[int, list[str]]]]
        The header, normalised (lower case, blanks and dashes as ``_``; empty
        when the file holds no line), and the data rows that are not blank,
        each with its row number as Excel shows it (the header is row 1) and
        its stripped cells.

    Raises
    ------
    OSError
        When the file cannot be read.
    ValueError
        When the file is not CSV text (an Excel workbook, binary data, an
        unknown encoding); the message follows the file's name, e.g.
        ``"is an Excel workbook or zip file, not a CSV file (save it as CSV)"``.
    """
    try:
        data = read_file_bytes(path)
    except ValueError as exc:
        raise _CellError(str(exc)) from None
    text = _decode(data)
    hint = re.match(r"sep=(.)\r?\n", text)  # Excel's separator line, not shown as a row
    if hint:
        sep, text = hint[1], text[hint.end() :]
    else:
        sep = _separator(text)
    return _header_and_rows(_csv_rows(text, sep), 1)


def _csv_rows(text: str, sep: str) -> list[list[str]]:
    """The rows of a CSV text; a cell too long or a quote never closed is a located error.

    Cells that dakpan neutralised against formula injection (``'=...``) are
    taken back unchanged (:func:`planner.safety.restore_cell`).
    """
    line = unclosed_quote(text, sep)
    if line is not None:
        raise _CellError(
            f'line {line}: a quote (") opens a cell that is never closed, so the rest of the '
            "file would be one cell; close the quote or remove it"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[list[str]] = []
    try:
        for cells in reader:
            for cell in cells:
                if len(cell) > MAX_CELL_CHARS:
                    raise _CellError(
                        f"line {reader.line_num}: a cell holds {len(cell):,} characters; "
                        f"cells are limited to {MAX_CELL_CHARS:,}"
                    )
            rows.append([restore_cell(c) for c in cells])
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _CellError(
                f"line {reader.line_num}: a cell holds more than {csv.field_size_limit():,} "
                f"characters; cells are limited to {MAX_CELL_CHARS:,}"
            ) from None
        raise _CellError(f"line {reader.line_num + 1}: not valid CSV ({exc})") from None
    return rows


def sheet_rows_as_text(
    values: list[list[object]],
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A worksheet's cell values as :func:`read_csv_table` returns a CSV file.

    Parameters
    ----------
    values
        The sheet's rows of cell values (as openpyxl gives them; row 1 first).

    Returns
    -------
    tuple[list[str], list[tuple[int, list[str]]]]
        The normalised header and the numbered rows that are not blank, each
        cell as the text a CSV would hold (a date cell ``YYYY-MM-DD``, a time
        cell ``HH:MM``).
    """
    return _header_and_rows([[_cell_text(v) for v in row] for row in values], 1)


def _read_csv(name: str, path: Path) -> _Table:
    header, rows = read_csv_table(path)
    return _Table(name, path.name, header, rows)


def _find_ci(names: Iterable[str], wanted: str) -> str | None:
    for n in names:
        if n.strip().lower() == wanted:
            return n
    return None


@dataclass(slots=True)
class _Loaded:
    tables: dict[str, _Table]
    settings: list[tuple[str, str, int | None]] | None
    settings_label: str


def _settings_from_table(r: _Reader, table: _Table) -> list[tuple[str, str, int | None]]:
    cols = {c: i for i, c in enumerate(table.header)}
    for needed in ("key", "value"):
        if needed not in cols:
            r.fail(
                table.label,
                1,
                needed,
                f"column {needed!r} is missing: the settings table has the header row "
                f"key,value (found: {', '.join(h for h in table.header if h) or 'nothing'})",
                _RANK["settings"],
            )
    if "key" not in cols or "value" not in cols:
        r.settings_broken = True
        return []
    out: list[tuple[str, str, int | None]] = []
    for row, cells in table.rows:
        key = cells[cols["key"]] if cols["key"] < len(cells) else ""
        value = cells[cols["value"]] if cols["value"] < len(cells) else ""
        if not key:
            if value:
                r.fail(table.label, row, "key", f"value {value!r} has no key", _RANK["settings"])
            continue
        out.append((key, value, row))
    return out


def _toml_text(value: object) -> str:
    if isinstance(value, list):
        return ";".join(_toml_text(v) for v in value)
    return _cell_text(value)


def _settings_from_toml(r: _Reader, path: Path) -> list[tuple[str, str, int | None]]:
    try:
        data = tomllib.loads(_decode(read_file_bytes(path)))
    except (tomllib.TOMLDecodeError, ValueError, OSError) as exc:
        r.fail(path.name, None, None, f"cannot be read as TOML ({exc})", _RANK["settings"])
        r.settings_broken = True
        return []
    if set(data) == {"settings"} and isinstance(data["settings"], dict):
        data = data["settings"]
    out: list[tuple[str, str, int | None]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            r.fail(
                path.name,
                None,
                key,
                f"[{key}] is a table; settings are plain 'key = value' lines",
                _RANK["settings"],
            )
            continue
        out.append((key, _toml_text(value), None))
    return out


def _load_folder(r: _Reader, folder: Path) -> _Loaded:
    try:
        # every entry: a folder, pipe or device named like a table is reported, not "missing"
        files = {p.name: p for p in folder.iterdir()}
    except OSError as exc:
        raise InputError(
            [InputIssue(str(folder), None, None, f"cannot be read ({exc.strerror})")]
        ) from None
    tables: dict[str, _Table] = {}
    for name in (*TABLES, "settings"):
        found = _find_ci(files, f"{name}.csv")
        if found is None:
            if name in REQUIRED_TABLES:
                csvs = sorted(f for f in files if f.lower().endswith(".csv"))
                books = sorted(f for f in files if f.lower().endswith((".xlsx", ".xlsm")))
                also = f"; workbooks found: {', '.join(books)}" if books and not csvs else ""
                r.fail(
                    f"{name}.csv",
                    None,
                    None,
                    f"is missing in folder {folder} "
                    f"(CSV files found: {', '.join(csvs) or 'none'}{also})",
                    _RANK[name],
                )
            continue
        try:
            tables[name] = _read_csv(name, files[found])
        except _CellError as exc:
            r.fail(found, None, None, str(exc), _RANK.get(name, 1))
        except OSError as exc:
            r.fail(found, None, None, f"cannot be read ({exc.strerror})", _RANK.get(name, 1))
    known = {f"{n}.csv" for n in (*TABLES, "settings")} | {"settings.toml"}
    for f in sorted(files):
        if f.lower().endswith(".csv") and f.lower() not in known:
            r.warn(f, None, None, "is not a table of the input; ignored")
    settings: list[tuple[str, str, int | None]] | None = None
    label = "settings.csv"
    toml_name = _find_ci(files, "settings.toml")
    if "settings" in tables and toml_name is not None:
        r.fail(
            "settings.toml",
            None,
            None,
            "and settings.csv are both present; keep one of them",
            _RANK["settings"],
        )
        r.settings_broken = True
    elif "settings" in tables:
        settings = _settings_from_table(r, tables.pop("settings"))
    elif toml_name is not None:
        label = toml_name
        settings = _settings_from_toml(r, files[toml_name])
    elif _find_ci(files, "settings.csv") is not None:
        settings = []  # unreadable settings.csv, already reported
        r.settings_broken = True
    return _Loaded(tables, settings, label)


def _load_workbook(r: _Reader, path: Path) -> _Loaded:
    import openpyxl

    why = workbook_problem(path)
    if why is not None:
        raise InputError([InputIssue(path.name, None, None, why)])
    try:
        wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:
        raise InputError(
            [
                InputIssue(
                    path.name,
                    None,
                    None,
                    f"cannot be read as an Excel workbook ({type(exc).__name__}: {exc})",
                )
            ]
        ) from None
    sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
    formulas = _workbook_formulas(path) if workbook_has_formulas(path) else {}
    tables: dict[str, _Table] = {}
    for name in (*TABLES, "settings"):
        ws = sheets.get(name)
        label = f"{path.name}, sheet {name}"
        if ws is None:
            if name in REQUIRED_TABLES:
                r.fail(
                    label,
                    None,
                    None,
                    f"is missing (sheets found: {', '.join(w.title for w in wb.worksheets)})",
                    _RANK[name],
                )
            continue
        if ws.max_row * ws.max_column > MAX_SHEET_CELLS:
            r.fail(
                label,
                None,
                None,
                f"spans {ws.max_row:,} rows x {ws.max_column:,} columns; sheets over "
                f"{MAX_SHEET_CELLS:,} cells are not read (delete the unused rows and columns)",
                _RANK[name],
            )
            continue
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        if _long_cells(r, label, rows, _RANK[name]):
            continue
        tables[name] = _table_from_rows(name, label, rows, 1)
        tables[name].formulas = _formula_cells(r, formulas.get(name, {}), tables[name], rows)
    for key, ws in sheets.items():
        if key not in (*TABLES, "settings") and key not in _EXPLANATION_SHEETS:
            r.warn(path.name, None, None, f"has a sheet {ws.title!r} that is not a table; ignored")
    wb.close()
    settings = None
    if "settings" in tables:
        settings = _settings_from_table(r, tables.pop("settings"))
    return _Loaded(tables, settings, f"{path.name}, sheet settings")


def _long_cells(r: _Reader, label: str, rows: list[list[str]], rank: int) -> bool:
    """Report cells over :data:`~planner.safety.MAX_CELL_CHARS` characters; whether any was."""
    found = False
    for number, cells in enumerate(rows, start=1):
        for i, cell in enumerate(cells):
            if len(cell) > MAX_CELL_CHARS:
                column = _norm_header(rows[0][i]) if i < len(rows[0]) else f"#{i + 1}"
                r.fail(
                    label,
                    number,
                    column or f"#{i + 1}",
                    f"the cell holds {len(cell):,} characters; cells are limited to "
                    f"{MAX_CELL_CHARS:,}",
                    rank,
                )
                found = True
    return found


def _workbook_formulas(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per table sheet (lower case), ``(row, column index) -> formula`` of its formula cells."""
    import openpyxl

    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:
        return out
    try:
        for ws in wb.worksheets:
            name = ws.title.strip().lower()
            if name not in (*TABLES, "settings"):
                continue
            found: dict[tuple[int, int], str] = {}
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                for i, value in enumerate(row):
                    if isinstance(value, str) and value.startswith("="):
                        found[number, i] = value
            out[name] = found
    finally:
        wb.close()
    return out


def _formula_cells(
    r: _Reader, formulas: dict[tuple[int, int], str], table: _Table, rows: list[list[str]]
) -> frozenset[tuple[int, int]]:
    """Report formula cells without a saved result; their ``(row, column index)``."""
    empty: set[tuple[int, int]] = set()
    for (number, i), formula in sorted(formulas.items()):
        cells = rows[number - 1] if number - 1 < len(rows) else []
        if i < len(cells) and cells[i].strip():
            continue  # the saved result is read as the value
        column = table.header[i] if i < len(table.header) and table.header[i] else f"#{i + 1}"
        shown = formula if len(formula) <= 40 else formula[:37] + "..."
        r.fail(
            table.label,
            number,
            column,
            f"holds the formula {shown!r} without a saved result (the file was saved by a "
            "program that does not calculate formulas): open and save it in Excel or "
            "LibreOffice, or type the value",
            _RANK.get(table.name, 1),
        )
        empty.add((number, i))
    return frozenset(empty)


# ------------------------------------------------------------------ row access
class _Row:
    """One data row with typed access to its cells; faults go to the reader."""

    __slots__ = ("cols", "number", "r", "table", "values")

    def __init__(
        self, r: _Reader, table: _Table, cols: dict[str, int], number: int, values: list[str]
    ) -> None:
        self.r = r
        self.table = table
        self.cols = cols
        self.number = number
        self.values = values

    def fail(self, column: str | None, message: str) -> None:
        self.r.fail(self.table.label, self.number, column, message, _RANK[self.table.name])

    def text(self, column: str, required: bool = False) -> str:
        """The stripped cell (``""`` when empty or the column is absent)."""
        i = self.cols.get(column)
        value = self.values[i] if i is not None and i < len(self.values) else ""
        if required and not value and i is not None and (self.number, i) not in self.table.formulas:
            self.fail(column, "the cell is empty; a value is required")
        return value

    def parse(self, column: str, parser: Callable[[str], T], default: T | None = None) -> T | None:
        """Parse a cell; an empty cell gives ``default`` (``None`` + a fault if required)."""
        value = self.text(column, required=default is None)
        if not value:
            return default
        try:
            return parser(value)
        except _CellError as exc:
            self.fail(column, str(exc))
            return None


def _rows(r: _Reader, table: _Table) -> list[_Row]:
    """Check the header of a table and wrap its data rows."""
    schema = SCHEMA[table.name]
    known = [c.name for c in schema]
    cols: dict[str, int] = {}
    for i, h in enumerate(table.header):
        if not h:
            if any(i < len(v) and v[i] for _, v in table.rows):
                r.warn(
                    table.label, 1, f"#{i + 1}", "column has no name; ignored", _RANK[table.name]
                )
            continue
        if h in cols:
            r.fail(table.label, 1, h, f"column {h!r} appears twice", _RANK[table.name])
            continue
        cols[h] = i
        if h not in known:
            r.warn(
                table.label,
                1,
                h,
                f"unknown column {h!r} ignored{_hint(h, known)} (known: {', '.join(known)})",
                _RANK[table.name],
            )
    for c in schema:
        # lat and lon are required unless the table gives place (contract v1.1)
        located = c.name in ("lat", "lon") and table.name in PLACE_TABLES and "place" not in cols
        if (c.required or located) and c.name not in cols:
            found = ", ".join(h for h in table.header if h) or "nothing"
            r.fail(
                table.label,
                1,
                c.name,
                f"required column {c.name!r} is missing (found: {found})",
                _RANK[table.name],
            )
    width = len(table.header)
    for number, values in table.rows:
        extra = [v for v in values[width:] if v]
        if extra:
            r.fail(
                table.label,
                number,
                None,
                f"the row has {width + len(extra)} or more cells but the header has {width} "
                f"(extra: {', '.join(map(repr, extra[:3]))}); is a value with a separator "
                "missing its quotes?",
                _RANK[table.name],
            )
    return [_Row(r, table, cols, n, v) for n, v in table.rows]


# -------------------------------------------------------------------- settings
def _read_settings(
    r: _Reader, entries: list[tuple[str, str, int | None]] | None, label: str
) -> Settings:
    rank = _RANK["settings"]
    missing = entries is None or r.settings_broken
    if entries is None and not r.settings_broken:
        r.fail(
            label,
            None,
            None,
            "is missing: the settings (a table with the header key,value, or "
            "settings.toml beside the CSV files) must give at least start and end, "
            "the planning horizon",
            rank,
        )
    entries = entries or []
    values: dict[str, Any] = {}
    rows: dict[str, int | None] = {}
    for raw_key, value, row in entries:
        key = _norm_header(raw_key)
        if key not in _SETTING_PARSERS:
            r.warn(
                label,
                row,
                "key",
                f"unknown setting {raw_key!r} ignored{_hint(key, SETTINGS_KEYS)}",
                _RANK["settings"],
            )
            continue
        if key in rows:
            first = rows[key]
            r.fail(
                label,
                row,
                "key",
                f"setting {key!r} appears twice" + (f" (first in row {first})" if first else ""),
                rank,
            )
            continue
        rows[key] = row
        if not value:
            continue
        try:
            values[key] = _SETTING_PARSERS[key](value)
        except _CellError as exc:
            r.fail(label, row, "value" if row is not None else key, f"{key}: {exc}", rank)
            values[key] = None
    for key in ("start", "end"):
        if key in values or missing:
            continue
        which = "first" if key == "start" else "last"
        if key in rows:
            r.fail(
                label,
                rows[key],
                "value" if rows[key] is not None else key,
                f"setting {key!r} is required (its value is empty): give the {which} date "
                "of the planning horizon as YYYY-MM-DD",
                rank,
            )
        else:
            r.fail(
                label,
                None,
                None,
                f"lacks the required setting {key!r}: add a row {key} with the {which} date "
                "of the planning horizon as YYYY-MM-DD",
                rank,
            )
    good = {k: v for k, v in values.items() if v is not None}
    start = good.get("start")
    end = good.get("end")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        r.fail(label, rows.get("end"), "value", f"end {end} is before start {start}", rank)
    elif (
        isinstance(start, date) and isinstance(end, date) and (end - start).days >= MAX_HORIZON_DAYS
    ):
        r.fail(
            label,
            rows.get("end"),
            "value",
            f"the horizon {start}..{end} spans {(end - start).days + 1:,} days; at most "
            f"{MAX_HORIZON_DAYS:,} days (ten years) are planned at once",
            rank,
        )
        end = None
    ds = good.get("day_start", 9 * 60)
    de = good.get("day_end", 17 * 60)
    if ds >= de:
        r.fail(
            label,
            rows.get("day_end"),
            "value",
            f"day_end {fmt_time(de)} must be after day_start {fmt_time(ds)}",
            rank,
        )
        good.pop("day_start", None)
        good.pop("day_end", None)
    weights = {
        k.removeprefix("weight_"): good.pop(k) for k in list(good) if k.startswith("weight_")
    }
    placeholder = date(2000, 1, 1)
    good["start"] = start if isinstance(start, date) else placeholder
    good["end"] = end if isinstance(end, date) and end >= good["start"] else good["start"]
    return Settings(weights=Weights(**weights), **good)


# ---------------------------------------------------------------------- tables
@dataclass(slots=True)
class _Ids:
    """Ids of one table with the row each was first defined in."""

    kind: str
    table: str
    rows: dict[str, int]
    present: bool = True


def _check_ref(row: _Row, column: str, value: str, ids: _Ids, *others: _Ids) -> bool:
    if value in ids.rows:
        return True
    if not ids.present:
        return False  # the table is missing, which is reported once
    msg = f"{value!r} is not a {ids.kind} id"
    for other in others:
        if value in other.rows:
            msg += f" (it is a {other.kind} id, {other.table} row {other.rows[value]})"
            break
    else:
        if "," in value and all(v.strip() in ids.rows for v in value.split(",")):
            msg += " (separate a list with ';', not ',')"
        else:
            msg += _hint(value, ids.rows)
            if not ids.rows:
                msg += f"; {ids.table} defines no ids"
    row.fail(column, msg)
    return False


def _unique_id(row: _Row, ids: _Ids) -> str | None:
    value = row.text("id", required=True)
    if not value:
        return None
    why = id_problem(value)
    if why is not None:
        row.fail("id", f"{ids.kind} id {value!r} {why}")
        return None
    if value in ids.rows:
        row.fail("id", f"{ids.kind} id {value!r} appears twice (first in row {ids.rows[value]})")
        return None
    ids.rows[value] = row.number
    return value


def _coordinates(row: _Row) -> tuple[float | None, float | None, str]:
    """``lat``, ``lon`` of a people or venues row, and the ``place`` they came from.

    ``lat``/``lon`` win when given; else ``place`` is resolved (contract
    v1.1). The place text is ``""`` when the coordinates were given.
    """
    if "place" not in row.cols:
        return row.parse("lat", _LAT), row.parse("lon", _LON), ""
    text, given = row.text("place"), (row.text("lat"), row.text("lon"))
    if any(given):
        missing = [col for col, value in zip(("lat", "lon"), given, strict=True) if not value]
        for col in missing:
            row.fail(col, "the cell is empty; give both lat and lon, or only place")
        if missing:
            return None, None, ""
        return row.parse("lat", _LAT), row.parse("lon", _LON), ""
    if not text:
        row.fail("place", "the cell is empty; give a place (e.g. 'Goes') or lat and lon")
        return None, None, ""
    try:
        found = resolve(text)
    except PlaceError as exc:
        row.fail("place", str(exc))
        return None, None, ""
    return found.lat, found.lon, text


def _read_venues(r: _Reader, table: _Table, s: Settings) -> tuple[list[Venue], _Ids]:
    ids = _Ids("venue", table.label, {})
    out: list[Venue] = []
    for row in _rows(r, table):
        vid = _unique_id(row, ids)
        name = row.text("name", required=True)
        lat, lon, place = _coordinates(row)
        capacity = row.parse("capacity", _limited(parse_int, "venues", "capacity", 1))
        rooms = row.parse("rooms", _limited(parse_int, "venues", "rooms", 1), 1)
        weekdays = row.parse("weekdays", _p_weekdays, s.weekdays)
        opens = row.parse("open", parse_time, s.day_start)
        closes = row.parse("close", parse_time, s.day_end)
        closed = row.parse("unavailable", _p_unavailable, (_NO_DATES, _NO_TIMES))
        cost = row.parse("cost", _limited(_p_float, "venues", "cost", 0), 0.0)
        if opens is not None and closes is not None and opens >= closes:
            row.fail("close", f"close {fmt_time(closes)} must be after open {fmt_time(opens)}")
            continue
        if (
            vid is None
            or not name
            or lat is None
            or lon is None
            or capacity is None
            or rooms is None
            or weekdays is None
            or opens is None
            or closes is None
            or closed is None
            or cost is None
        ):
            continue
        out.append(
            Venue(
                id=vid,
                name=name,
                lat=lat,
                lon=lon,
                capacity=capacity,
                weekdays=weekdays,
                open=opens,
                close=closes,
                rooms=rooms,
                address=row.text("address"),
                unavailable=closed[0],
                cost=cost,
                unavailable_times=closed[1],
                place=place,
            )
        )
    return out, ids


def _read_people(r: _Reader, table: _Table, venues: _Ids) -> tuple[list[Person], _Ids]:
    ids = _Ids("person", table.label, {})
    out: list[Person] = []
    for row in _rows(r, table):
        pid = _unique_id(row, ids)
        if pid is not None and pid in venues.rows:
            row.fail(
                "id",
                f"{pid!r} is also a venue id ({venues.table} row {venues.rows[pid]}); "
                "people and venues share one id space",
            )
            pid = None
        name = row.text("name", required=True)
        lat, lon, place = _coordinates(row)
        away = row.parse("unavailable", _p_unavailable, (_NO_DATES, _NO_TIMES))
        # extension: "if need be" answers, in the same form as `unavailable` (a soft cost)
        maybe = row.parse("if_need_be", _p_unavailable, (_NO_DATES, _NO_TIMES))
        if pid is None or not name or lat is None or lon is None or away is None or maybe is None:
            continue
        out.append(
            Person(
                id=pid,
                name=name,
                lat=lat,
                lon=lon,
                organisation=row.text("organisation"),
                email=row.text("email"),
                unavailable=away[0],
                unavailable_times=away[1],
                place=place,
                if_need_be=maybe[0],
                if_need_be_times=maybe[1],
            )
        )
    return out, ids


def _read_networks(
    r: _Reader, table: _Table, s: Settings, venues: _Ids, people: _Ids
) -> tuple[list[Network], _Ids]:
    ids = _Ids("network", table.label, {})
    out: list[Network] = []
    all_venues = tuple(venues.rows)
    for row in _rows(r, table):
        nid = _unique_id(row, ids)
        name = row.text("name", required=True)
        meetings = row.parse("meetings", _limited(parse_int, "networks", "meetings", 1))
        duration = row.parse("duration", _limited(parse_int, "networks", "duration", 0, True))
        if duration is not None and duration % s.slot:
            row.fail(
                "duration",
                f"{duration} minutes is not a multiple of the slot ({s.slot} minutes)",
            )
            duration = None
        gap = row.parse(
            "min_gap_days", _limited(parse_int, "networks", "min_gap_days", 0), s.min_gap_days
        )
        weekdays = row.parse("weekdays", _p_weekdays, s.weekdays)
        earliest = row.parse("earliest", parse_time, s.day_start)
        latest = row.parse("latest", parse_time, s.day_end)
        region = row.parse("region", _p_region, s.region)
        venue_list: tuple[str, ...] | None = all_venues
        cell = row.text("venues")
        if cell and not _split(cell):
            row.fail(
                "venues",
                f"{cell!r} names no venue; leave the cell empty to allow every venue, or list "
                "venue ids separated by ';'",
            )
            venue_list = None
        elif cell:
            items = _split(cell)
            ok = all([_check_ref(row, "venues", v, venues, people, ids) for v in items])
            unique = tuple(dict.fromkeys(items))
            if len(unique) < len(items):
                r.warn(
                    table.label,
                    row.number,
                    "venues",
                    "a venue is listed twice; once is enough",
                    _RANK["networks"],
                )
            venue_list = unique if ok else None
        if earliest is not None and latest is not None:
            if earliest >= latest:
                row.fail(
                    "latest",
                    f"latest {fmt_time(latest)} must be after earliest {fmt_time(earliest)}",
                )
                continue
            if duration is not None and earliest + duration > latest:
                row.fail(
                    "duration",
                    f"a meeting of {duration} minutes does not fit between earliest "
                    f"{fmt_time(earliest)} and latest {fmt_time(latest)}",
                )
                continue
        if (
            nid is None
            or not name
            or meetings is None
            or duration is None
            or gap is None
            or weekdays is None
            or earliest is None
            or latest is None
            or region is None
            or venue_list is None
        ):
            continue
        out.append(
            Network(
                id=nid,
                name=name,
                meetings=meetings,
                duration=duration,
                min_gap_days=gap,
                weekdays=weekdays,
                earliest=earliest,
                latest=latest,
                venues=venue_list,
                region=region,
            )
        )
    return out, ids


def _read_memberships(
    r: _Reader, table: _Table, networks: _Ids, people: _Ids, venues: _Ids
) -> list[Membership]:
    out: list[Membership] = []
    seen: dict[tuple[str, str], int] = {}
    for row in _rows(r, table):
        net = row.text("network", required=True)
        per = row.text("person", required=True)
        role = row.parse("role", _p_role, Role.REQUIRED)
        ok_net = bool(net) and _check_ref(row, "network", net, networks, people, venues)
        ok_per = bool(per) and _check_ref(row, "person", per, people, venues, networks)
        if not (ok_net and ok_per) or role is None:
            continue
        if (net, per) in seen:
            row.fail(
                "person",
                f"{per!r} is listed twice in network {net!r} (first in row {seen[net, per]})",
            )
            continue
        seen[net, per] = row.number
        out.append(Membership(net, per, role))
    return out


def _read_fixed(
    r: _Reader,
    *,
    table: _Table,
    s: Settings,
    networks: _Ids,
    venues: _Ids,
    meetings: dict[str, int],
) -> list[FixedMeeting]:
    out: list[FixedMeeting] = []
    count: dict[str, int] = {}
    for row in _rows(r, table):
        net = row.text("network", required=True)
        day = row.parse("date", parse_date)
        start = row.parse("start", parse_time)
        ven = row.text("venue", required=True)
        ok_net = bool(net) and _check_ref(row, "network", net, networks, venues)
        ok_ven = bool(ven) and _check_ref(row, "venue", ven, venues, networks)
        if not (ok_net and ok_ven) or day is None or start is None:
            continue
        count[net] = count.get(net, 0) + 1
        if net in meetings and count[net] > meetings[net]:
            row.fail(
                "network",
                f"network {net!r} has {count[net]} fixed meetings but its meetings is "
                f"{meetings[net]}",
            )
            continue
        if not s.start <= day <= s.end:
            r.warn(
                table.label,
                row.number,
                "date",
                f"{day} lies outside the planning horizon {s.start}..{s.end}",
                _RANK["fixed"],
            )
        out.append(FixedMeeting(net, day, start, ven))
    return out


def _read_travel(r: _Reader, table: _Table, people: _Ids, venues: _Ids) -> list[TravelOverride]:
    out: list[TravelOverride] = []
    seen: dict[tuple[str, str], int] = {}
    places = _Ids(
        "person or venue",
        f"{people.table}/{venues.table}",
        {**venues.rows, **people.rows},
        people.present and venues.present,
    )
    for row in _rows(r, table):
        a = row.text("from", required=True)
        b = row.text("to", required=True)
        km = row.parse("km", _limited(_p_float, "travel", "km", 0))
        minutes = row.parse("minutes", _limited(_p_float, "travel", "minutes", 0), -1.0)
        ok_a = bool(a) and _check_ref(row, "from", a, places)
        ok_b = bool(b) and _check_ref(row, "to", b, places)
        if not (ok_a and ok_b) or km is None or minutes is None:
            continue
        if (a, b) in seen:
            row.fail("to", f"the pair {a!r} -> {b!r} appears twice (first in row {seen[a, b]})")
            continue
        seen[a, b] = row.number
        out.append(TravelOverride(a, b, km, None if minutes < 0 else minutes))
    return out


def _read_together(r: _Reader, table: _Table, networks: _Ids) -> list[Together]:
    """The ``together`` table (contract v1.1): relay wishes."""
    out: list[Together] = []
    for row in _rows(r, table):
        cell = row.text("networks", required=True)
        times = row.parse("times", _at_least(parse_int, 1))
        order = row.parse("order", _p_bool, False)
        hard = row.parse("hard", _p_bool, False)
        items = _split(cell)
        ok = all([_check_ref(row, "networks", n, networks) for n in items])
        if cell and ok and len(set(items)) < len(items):
            row.fail("networks", f"{cell!r} lists a network twice")
            ok = False
        if cell and ok and len(items) < 2:
            row.fail(
                "networks",
                f"{cell!r} names {len(items)} network; a relay wish needs two or more, "
                "separated by ';'",
            )
            ok = False
        if not (cell and ok) or times is None or order is None or hard is None:
            continue
        out.append(Together(tuple(items), times, order, hard))
    return out


# ------------------------------------------------------------------------ main
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
