"""A copy of an input with new ``people`` cells, in the input's own form.

Used by ``dakpan import-availability``. A CSV folder is copied file by file
(byte for byte) and only its ``people`` file is written again, in its own
encoding (a byte-order mark kept), separator, ``sep=`` line and line ends. A
workbook is loaded and saved by openpyxl with only the ``people`` sheet's
cells changed. Either way the copy is written to a temporary sibling first
and moved into place when complete, so an error leaves nothing behind; the
original is replaced only when asked (``in_place``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planner.read import sheet_rows_as_text

__all__ = ["OutputError", "default_output", "people_cells", "write_input_copy"]

UNAVAILABLE = "unavailable"
IF_NEED_BE = "if_need_be"


class OutputError(OSError):
    """The copy cannot be written (the target exists, or a file system error)."""


def _norm(cell: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(cell or "").strip().lstrip("\ufeff").strip().lower())


def _is_workbook(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm")


def default_output(src: Path) -> Path:
    """``poll.xlsx`` -> ``poll-availability.xlsx``; folder ``input`` -> ``input-availability``."""
    if _is_workbook(src):
        return src.with_name(f"{src.stem}-availability{src.suffix}")
    return src.with_name(f"{src.name}-availability")


# ------------------------------------------------------------------ CSV folder
def _people_file(folder: Path) -> Path:
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.name.lower() == "people.csv":
            return p
    raise OutputError(f"{folder} holds no people.csv")


class _CsvForm:
    """How a CSV file was written: encoding, byte-order mark, ``sep=`` line, separator, line end."""

    def __init__(self, data: bytes) -> None:
        from planner.read_tables import _separator

        self.bom = b""
        if data.startswith(b"\xef\xbb\xbf"):
            self.encoding, self.bom, data = "utf-8", b"\xef\xbb\xbf", data[3:]
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
            self.encoding = "utf-16"
        else:
            try:
                data.decode("utf-8")
                self.encoding = "utf-8"
            except UnicodeDecodeError:
                self.encoding = "cp1252"
        text = data.decode(self.encoding)
        hint = re.match(r"sep=(.)\r?\n", text)
        self.sep_line = hint[0] if hint else ""
        self.body = text[len(self.sep_line) :]
        self.sep = hint[1] if hint else _separator(self.body)
        self.eol = "\r\n" if "\r\n" in self.body else "\n"

    def rows(self) -> list[list[str]]:
        return list(csv.reader(io.StringIO(self.body, newline=""), delimiter=self.sep))

    def encode(self, rows: list[list[str]]) -> bytes:
        buf = io.StringIO()
        csv.writer(buf, delimiter=self.sep, lineterminator=self.eol).writerows(rows)
        return self.bom + (self.sep_line + buf.getvalue()).encode(self.encoding)


def _edit_rows(
    rows: list[list[object]], cells: Mapping[str, tuple[str, str]]
) -> list[list[object]]:
    """``rows`` (header first) with the people's ``unavailable`` and ``if_need_be`` cells set."""
    header = [_norm(h) for h in rows[0]]
    out = [list(r) for r in rows]
    for name in (UNAVAILABLE, IF_NEED_BE):
        if name not in header and any(c[1 if name == IF_NEED_BE else 0] for c in cells.values()):
            header.append(name)
            out[0].append(name)
    id_col = header.index("id")
    for row in out[1:]:
        if len(row) < len(header) and any(c not in (None, "") for c in row):
            row.extend([""] * (len(header) - len(row)))  # a new column: every row has its cell
        pid = str(row[id_col]).strip() if id_col < len(row) and row[id_col] is not None else ""
        if pid not in cells:
            continue
        for k, name in enumerate((UNAVAILABLE, IF_NEED_BE)):
            if name in header and (cells[pid][k] or k == 0):
                row[header.index(name)] = cells[pid][k]
    return out


# -------------------------------------------------------------------- reading
def people_cells(src: Path) -> dict[str, tuple[str, str]]:
    """Per person id, the ``unavailable`` and ``if_need_be`` cell texts of an input.

    Parameters
    ----------
    src
        A CSV folder or a workbook.
    """
    if _is_workbook(src):
        import openpyxl

        wb = openpyxl.load_workbook(src, read_only=True, data_only=True)
        try:
            ws = _people_sheet(wb)
            header, rows = sheet_rows_as_text([list(r) for r in ws.iter_rows(values_only=True)])
        finally:
            wb.close()
    else:
        form = _CsvForm(_people_file(src).read_bytes())
        raw = form.rows()
        header = [_norm(h) for h in raw[0]] if raw else []
        rows = [(i, [c.strip() for c in r]) for i, r in enumerate(raw[1:], start=2)]
    out: dict[str, tuple[str, str]] = {}
    if "id" not in header:
        return out

    def cell(cells: list[str], name: str) -> str:
        j = header.index(name) if name in header else None
        return cells[j] if j is not None and j < len(cells) else ""

    for _, cells in rows:
        out[cell(cells, "id")] = (cell(cells, UNAVAILABLE), cell(cells, IF_NEED_BE))
    return out


def _people_sheet(wb: Any) -> Any:
    for ws in wb.worksheets:
        if ws.title.strip().lower() == "people":
            return ws
    raise OutputError("the workbook has no sheet people")


# -------------------------------------------------------------------- writing
def _tmp_sibling(target: Path, suffix: str) -> Path:
    return target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp{suffix}"


def _write_workbook(src: Path, tmp: Path, cells: Mapping[str, tuple[str, str]]) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(src, keep_vba=src.suffix.lower() == ".xlsm")
    ws = _people_sheet(wb)
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    edited = _edit_rows(rows, cells)
    for i, (old, new) in enumerate(zip(rows, edited, strict=True), start=1):
        for j, value in enumerate(new, start=1):
            before = old[j - 1] if j <= len(old) else None
            if value != before and value not in ("", None):
                c = ws.cell(row=i, column=j)
                c.value = value
                c.data_type = "s"
    wb.save(tmp)


def _write_folder(src: Path, tmp: Path, cells: Mapping[str, tuple[str, str]]) -> None:
    shutil.copytree(src, tmp, symlinks=False)
    people = _people_file(tmp)
    form = _CsvForm(people.read_bytes())
    rows = form.rows()
    edited = [[str(c) for c in r] for r in _edit_rows(list(rows), cells)]  # type: ignore[arg-type]
    people.write_bytes(form.encode(edited))


def write_input_copy(
    src: Path, out: Path | None, cells: Mapping[str, tuple[str, str]], *, in_place: bool = False
) -> Path:
    """Write a copy of the input ``src`` with the people's new cells.

    Parameters
    ----------
    src
        The input: a CSV folder or a workbook.
    out
        Where to write the copy (must not exist); ignored with ``in_place``;
        ``None``: :func:`default_output`.
    cells
        Per person id, the new ``unavailable`` and ``if_need_be`` texts
        (people not listed keep their cells; a new ``if_need_be`` column is
        added only when some person has such an item).
    in_place
        Replace ``src`` itself (still through a temporary copy).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    OutputError
        When ``out`` exists, or the copy cannot be written (nothing is left behind).
    """
    target = src if in_place else (out if out is not None else default_output(src))
    if not in_place and (target.exists() or target.is_symlink()):
        raise OutputError(f"{target} exists; choose a new name, or use --in-place")
    workbook = _is_workbook(src)
    if workbook != (target.suffix.lower() in (".xlsx", ".xlsm")):
        form = "a workbook (.xlsx)" if workbook else "a folder of CSV files (no .xlsx name)"
        raise OutputError(f"{target}: the input is {form}; the copy must be the same")
    tmp = _tmp_sibling(target, src.suffix if workbook else "")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if workbook:
            _write_workbook(src, tmp, cells)
            os.replace(tmp, target)
        elif in_place:
            _write_folder(src, tmp, cells)
            old = _tmp_sibling(target, ".old")
            os.replace(src, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            _write_folder(src, tmp, cells)
            os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        if isinstance(exc, OutputError):
            raise
        raise OutputError(f"{target}: cannot be written ({exc})") from None
    except BaseException:
        _remove(tmp)
        raise
    return target


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()
