"""The reader's row access and settings: typed cells of a checked table, and the settings.

:func:`_rows` checks a table's header against :data:`~planner.read_schema.SCHEMA`
and wraps each data row in a :class:`_Row` whose cells parse with the parsers
of :mod:`planner.read_cells`; :func:`_read_settings` turns the settings entries
into :class:`~planner.problem.Settings` with every default resolved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from planner.problem import Settings, fmt_time
from planner.read_cells import _SETTING_PARSERS, _CellError, _hint
from planner.read_errors import _Reader
from planner.read_schema import _RANK, PLACE_TABLES, SCHEMA, SETTINGS_KEYS
from planner.read_tables import _norm_header, _Table
from planner.safety import MAX_HORIZON_DAYS
from planner.weights import Weights

T = TypeVar("T")


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
