"""The reader's raw tables: CSV files and workbook sheets as text, before any checking.

Decoding (UTF-8, UTF-16, Windows-1252) and separators of CSV files, workbook
loading with its formula cells and over-long cells, and the settings table or
``settings.toml`` as ``(key, value, row)`` entries. Faults go to the
:class:`~planner.read_errors._Reader`; a fault that stops the whole input
raises :class:`~planner.read_errors.InputError`.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from planner.problem import fmt_time
from planner.read_cells import _CellError
from planner.read_errors import InputError, InputIssue, _Reader
from planner.read_schema import _RANK, REQUIRED_TABLES, TABLES
from planner.safety import (
    MAX_CELL_CHARS,
    MAX_SHEET_CELLS,
    read_file_bytes,
    restore_cell,
    unclosed_quote,
    workbook_has_formulas,
    workbook_problem,
)

# Sheets that carry explanations only (the template's), read without a warning.
_EXPLANATION_SHEETS = frozenset({"uitleg", "explanation", "readme", "toelichting"})


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
    except UnicodeDecodeError as exc:
        _refuse_mixed_encodings(data, exc.start)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _CellError(
            f"cannot be decoded as UTF-8 or Windows-1252 (byte 0x{data[exc.start]:02x} in "
            f"line {line}); save it as CSV UTF-8"
        ) from None


# UTF-8 for a BOM, a Latin-1 letter (C3 xx: e.g. e-acute, u-umlaut), a quote or
# dash (E2 80 xx) or the euro sign (E2 82 AC). Read as Windows-1252 they are
# the mojibake "ï»¿", "Ã©", "â€™", "â€": never found in real Windows-1252 text.
_UTF8_MARKS = re.compile(rb"\A\xef\xbb\xbf|\xc3[\x80-\xbf]|\xe2\x80[\x80-\xbf]|\xe2\x82\xac")


def _refuse_mixed_encodings(data: bytes, bad: int) -> None:
    """Refuse a file that is UTF-8 in places and Windows-1252 in others.

    Such a file (a UTF-8 export edited or extended in a Windows-1252 editor)
    decodes as Windows-1252 without error, but every UTF-8 accent in it would
    be read as mojibake (``JosÃ©``); the contract allows either encoding for a
    file, not both.

    Parameters
    ----------
    data
        The file's bytes, which are not UTF-8.
    bad
        Offset of the first byte that is not UTF-8.

    Raises
    ------
    _CellError
        When ``data`` also holds UTF-8 (a byte-order mark or an accent,
        quote, dash or euro sign written as UTF-8).
    """
    mark = _UTF8_MARKS.search(data)
    if mark is None:
        return
    utf8_line = data[: mark.start()].count(b"\n") + 1
    bad_line = data[:bad].count(b"\n") + 1
    raise _CellError(
        f"mixes two encodings: line {utf8_line} is UTF-8 but line {bad_line} is not "
        f"(byte 0x{data[bad]:02x}, Windows-1252?); save the file as CSV UTF-8"
    )


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
