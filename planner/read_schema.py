"""The input's tables, columns and settings keys (contract *Input*), and the settings' defaults.

Data only, with no reading: :mod:`planner.read` and its parts check headers and
keys against it, :mod:`planner.template` writes the empty workbook from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date

from planner.problem import Settings, fmt_time, fmt_weekdays
from planner.weights import Weights


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


#: Order of the issues: settings first, then the tables in contract order.
_RANK = {"settings": 1, **{t: 2 + i for i, t in enumerate(TABLES)}}
