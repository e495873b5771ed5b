"""Bad-input shapes for ``benchmarks/stress.py``: one fault each in a valid input.

Each shape is ``format_base`` with one cell made wrong. ``dakpan plan`` must
refuse it with exit code 2, a message that names the file, print no
traceback, and write nothing (``--out`` is not created).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from benchmarks.stress_catalogue import format_base
from benchmarks.stress_shapes import Shape, ShapeFn

Edit = Callable[[Shape], None]


def _settings(key: str, value: str) -> Edit:
    def edit(shape: Shape) -> None:
        shape.settings[key] = value

    return edit


def _cell(table: str, row: int, column: str, value: str) -> Edit:
    def edit(shape: Shape) -> None:
        shape.tables[table][row][column] = value

    return edit


def _add(table: str, **row: str) -> Edit:
    def edit(shape: Shape) -> None:
        shape.tables.setdefault(table, []).append(dict(row))

    return edit


#: name: (what is wrong, the edit)
FAULTS: dict[str, tuple[str, Edit]] = {
    "bad_slot_7": ("slot 7: no duration (90) is a multiple", _settings("slot", "7")),
    "bad_slot_0": ("slot 0", _settings("slot", "0")),
    "bad_end_before_start": ("end before start", _settings("end", "2027-09-01")),
    "bad_day_empty": ("day_end = day_start", _settings("day_end", "09:00")),
    "bad_timezone": ("timezone Mars/Olympus", _settings("timezone", "Mars/Olympus")),
    "bad_region": ("region oost", _settings("region", "oost")),
    "bad_weekday": ("network weekdays 'xyz'", _cell("networks", 0, "weekdays", "xyz")),
    "bad_meetings_0": ("meetings 0", _cell("networks", 1, "meetings", "0")),
    "bad_range_backwards": (
        "time range ending before it starts",
        _cell("people", 2, "unavailable", "2027-10-05 12:00-11:00"),
    ),
    "bad_range_garbage": (
        "unavailable item '2027-10-05 9-11'",
        _cell("people", 3, "unavailable", "2027-10-05 9-11"),
    ),
    "bad_lat": ("lat 95", _cell("people", 4, "lat", "95")),
    "bad_capacity": ("capacity -1", _cell("venues", 0, "capacity", "-1")),
    "bad_rooms_0": ("rooms 0", _cell("venues", 1, "rooms", "0")),
    "bad_id_shared": ("a person id that is also a venue id", _cell("people", 5, "id", "v00")),
    "bad_together_unknown": (
        "together names an unknown network",
        _add("together", networks="n00;nx", times="1", order="", hard="yes"),
    ),
    "bad_together_one": (
        "together lists one network",
        _add("together", networks="n00", times="1", order="", hard="no"),
    ),
    "bad_together_times_0": (
        "together times 0",
        _add("together", networks="n00;n01", times="0", order="", hard="no"),
    ),
    "bad_fixed_venue": (
        "fixed meeting at an unknown venue",
        _add("fixed", network="n00", date="2027-10-05", start="10:00", venue="nowhere"),
    ),
    "bad_fixed_date": (
        "fixed meeting on 2027-02-30",
        _add("fixed", network="n00", date="2027-02-30", start="10:00", venue="v00"),
    ),
    "bad_travel_negative": (
        "travel km -5",
        _add("travel", **{"from": "p000", "to": "v00", "km": "-5", "minutes": ""}),
    ),
    "bad_travel_unknown": (
        "travel from an unknown id",
        _add("travel", **{"from": "ghost", "to": "v00", "km": "5", "minutes": ""}),
    ),
}


def _make(name: str, about: str, edit: Edit) -> ShapeFn:
    def build(rng: random.Random) -> Shape:
        shape = format_base(rng)
        edit(shape)
        shape.name, shape.about, shape.expect = name, about, "error"
        return shape

    build.__name__ = name
    return build


#: Every bad-input shape, by name.
BAD_SHAPES: dict[str, ShapeFn] = {
    name: _make(name, about, edit) for name, (about, edit) in FAULTS.items()
}
