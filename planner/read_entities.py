"""The reader's per-table readers: venues, people, networks, memberships, fixed, travel, together.

Each reads one checked table into the data model's objects, resolving
defaults from the settings and checking ids and references (:class:`_Ids`)
against the tables read before it; faults go to the
:class:`~planner.read_errors._Reader`.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.places import PlaceError, resolve
from planner.problem import (
    FixedMeeting,
    Membership,
    Network,
    Person,
    Role,
    Settings,
    Together,
    TravelOverride,
    Venue,
    fmt_time,
)
from planner.read_cells import (
    _LAT,
    _LON,
    _NO_DATES,
    _NO_TIMES,
    _at_least,
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
from planner.read_errors import _Reader
from planner.read_rows import _Row, _rows
from planner.read_schema import _RANK
from planner.read_tables import _Table
from planner.safety import id_problem


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
