"""The whole input problem as a JSON-safe dict and back, and its sha256 input hash.

:func:`problem_to_dict` is what ``plan.json`` embeds (so a plan folder is
self-contained) and what :func:`input_hash` hashes; :func:`problem_from_dict`
rebuilds the :class:`~planner.problem.Problem`. :mod:`planner.planfile`
offers every name of this module.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import date, timedelta
from typing import Any

from planner.problem import (
    WEEKDAY_NAMES,
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
)
from planner.read import parse_time
from planner.weights import Weights


def _opt_float(value: Any) -> float | None:
    """``None`` stays ``None``; so does a non-finite number (JSON has no inf or NaN)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _dates_text(days: frozenset[date]) -> list[str]:
    """Sorted dates as ``YYYY-MM-DD`` and ``YYYY-MM-DD..YYYY-MM-DD`` runs."""
    out: list[str] = []
    ordered = sorted(days)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] - ordered[j] == timedelta(days=1):
            j += 1
        first, last = ordered[i], ordered[j]
        out.append(first.isoformat() if i == j else f"{first.isoformat()}..{last.isoformat()}")
        i = j + 1
    return out


def _dates_from(items: Sequence[str]) -> frozenset[date]:
    out: set[date] = set()
    for item in items:
        if ".." in item:
            a, _, b = item.partition("..")
            first, last = date.fromisoformat(a), date.fromisoformat(b)
            if last < first:
                raise ValueError(f"date range {item!r} ends before it starts")
            out.update(first + timedelta(days=k) for k in range((last - first).days + 1))
        else:
            out.add(date.fromisoformat(item))
    return frozenset(out)


def _times_text(times: frozenset[tuple[date, int, int]]) -> list[str]:
    """Sorted time ranges as ``YYYY-MM-DD HH:MM-HH:MM`` (contract v1.1)."""
    return [f"{d.isoformat()} {fmt_time(t0)}-{fmt_time(t1)}" for d, t0, t1 in sorted(times)]


def _times_from(items: Sequence[str]) -> frozenset[tuple[date, int, int]]:
    out: set[tuple[date, int, int]] = set()
    for item in items:
        day, _, span = str(item).partition(" ")
        first, _, last = span.partition("-")
        out.add((date.fromisoformat(day), _time_from(first), _time_from(last)))
    return frozenset(out)


def _together_from(items: Sequence[Mapping[str, Any]]) -> tuple[Together, ...]:
    return tuple(
        Together(
            networks=tuple(str(n) for n in w["networks"]),
            times=int(w["times"]),
            order=bool(w.get("order", False)),
            hard=bool(w.get("hard", False)),
        )
        for w in items
    )


def _weekdays_text(days: frozenset[int]) -> list[str]:
    return [WEEKDAY_NAMES[d] for d in sorted(days)]


def _weekdays_from(items: Sequence[str]) -> frozenset[int]:
    return frozenset(WEEKDAY_NAMES.index(str(d)) for d in items)


def _time_from(text: str) -> int:
    return parse_time(str(text))


def _place_entry(place: str) -> dict[str, str]:
    # The `place` a person's or venue's lat/lon were resolved from (contract v1.1), only
    # when there is one: plan.json and the input hash of an input without places stay as
    # they were.
    return {"place": place} if place else {}


def _if_need_be_entry(person: Person) -> dict[str, Any]:
    # A person's "if need be" dates and times (extension), only when there are some:
    # plan.json and the input hash of an input without them stay as they were.
    out: dict[str, Any] = {}
    if person.if_need_be:
        out["if_need_be"] = _dates_text(person.if_need_be)
    if person.if_need_be_times:
        out["if_need_be_times"] = _times_text(person.if_need_be_times)
    return out


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    """The whole problem as a JSON-safe dict, losslessly.

    Dates are ISO (``unavailable`` as sorted dates and ``a..b`` runs), times
    ``HH:MM``, weekdays names (``mon`` ...), numbers typed (floats always as
    floats), weights as ``weight_<name>`` settings keys. Tables keep their
    file order. :func:`problem_from_dict` inverts it.
    """
    s = problem.settings
    settings: dict[str, Any] = {
        "start": s.start.isoformat(),
        "end": s.end.isoformat(),
        "region": s.region,
        "weekdays": _weekdays_text(s.weekdays),
        "day_start": fmt_time(s.day_start),
        "day_end": fmt_time(s.day_end),
        "slot": int(s.slot),
        "changeover": int(s.changeover),
        "min_gap_days": int(s.min_gap_days),
        "max_meetings_per_day": int(s.max_meetings_per_day),
        "long_wait": int(s.long_wait),
        "public_holidays": bool(s.public_holidays),
        "school_holidays": bool(s.school_holidays),
        "road_factor": float(s.road_factor),
        "speed_kmh": float(s.speed_kmh),
        "time_limit": float(s.time_limit),
        "seed": int(s.seed),
        "timezone": s.timezone,
        "language": s.language,
    }
    for f in fields(Weights):
        settings[f"weight_{f.name}"] = int(getattr(s.weights, f.name))
    return {
        "settings": settings,
        "networks": [
            {
                "id": n.id,
                "name": n.name,
                "meetings": int(n.meetings),
                "duration": int(n.duration),
                "min_gap_days": int(n.min_gap_days),
                "weekdays": _weekdays_text(n.weekdays),
                "earliest": fmt_time(n.earliest),
                "latest": fmt_time(n.latest),
                "venues": list(n.venues),
                "region": n.region,
            }
            for n in problem.networks
        ],
        "people": [
            {
                "id": p.id,
                "name": p.name,
                "organisation": p.organisation,
                "email": p.email,
                "lat": float(p.lat),
                "lon": float(p.lon),
                "unavailable": _dates_text(p.unavailable),
                "unavailable_times": _times_text(p.unavailable_times),
                **_place_entry(p.place),
                **_if_need_be_entry(p),
            }
            for p in problem.people
        ],
        "memberships": [
            {"network": m.network, "person": m.person, "role": m.role.value}
            for m in problem.memberships
        ],
        "venues": [
            {
                "id": v.id,
                "name": v.name,
                "address": v.address,
                "lat": float(v.lat),
                "lon": float(v.lon),
                "capacity": int(v.capacity),
                "rooms": int(v.rooms),
                "weekdays": _weekdays_text(v.weekdays),
                "open": fmt_time(v.open),
                "close": fmt_time(v.close),
                "unavailable": _dates_text(v.unavailable),
                "unavailable_times": _times_text(v.unavailable_times),
                "cost": float(v.cost),
                **_place_entry(v.place),
            }
            for v in problem.venues
        ],
        "fixed": [
            {
                "network": f.network,
                "date": f.date.isoformat(),
                "start": fmt_time(f.start),
                "venue": f.venue,
            }
            for f in problem.fixed
        ],
        "travel": [
            {
                "from": t.origin,
                "to": t.destination,
                "km": float(t.km),
                "minutes": _opt_float(t.minutes),
            }
            for t in problem.travel
        ],
        "together": [
            {"networks": list(w.networks), "times": int(w.times), "order": w.order, "hard": w.hard}
            for w in problem.together
        ],
    }


def problem_from_dict(d: Mapping[str, Any]) -> Problem:
    """Rebuild a problem from :func:`problem_to_dict`'s output.

    Raises
    ------
    ValueError
        If the dict is malformed (the message names the table and entry);
        :class:`~planner.problem.ProblemError` (a ``ValueError``) if the
        problem it describes is invalid.
    """
    where = "settings"
    try:
        s = d["settings"]
        settings = Settings(
            start=date.fromisoformat(s["start"]),
            end=date.fromisoformat(s["end"]),
            region=str(s["region"]),
            weekdays=_weekdays_from(s["weekdays"]),
            day_start=_time_from(s["day_start"]),
            day_end=_time_from(s["day_end"]),
            slot=int(s["slot"]),
            changeover=int(s["changeover"]),
            min_gap_days=int(s["min_gap_days"]),
            max_meetings_per_day=int(s["max_meetings_per_day"]),
            long_wait=int(s.get("long_wait", 60)),
            public_holidays=bool(s["public_holidays"]),
            school_holidays=bool(s["school_holidays"]),
            road_factor=float(s["road_factor"]),
            speed_kmh=float(s["speed_kmh"]),
            time_limit=float(s["time_limit"]),
            seed=int(s["seed"]),
            timezone=str(s["timezone"]),
            language=str(s["language"]),
            weights=Weights(
                **{
                    f.name: int(s.get(f"weight_{f.name}", getattr(Weights(), f.name)))
                    for f in fields(Weights)
                }
            ),
        )
        networks = []
        for i, n in enumerate(d["networks"]):
            where = f"networks[{i}]"
            networks.append(
                Network(
                    id=str(n["id"]),
                    name=str(n["name"]),
                    meetings=int(n["meetings"]),
                    duration=int(n["duration"]),
                    min_gap_days=int(n["min_gap_days"]),
                    weekdays=_weekdays_from(n["weekdays"]),
                    earliest=_time_from(n["earliest"]),
                    latest=_time_from(n["latest"]),
                    venues=tuple(str(v) for v in n["venues"]),
                    region=str(n["region"]),
                )
            )
        people = []
        for i, p in enumerate(d["people"]):
            where = f"people[{i}]"
            people.append(
                Person(
                    id=str(p["id"]),
                    name=str(p["name"]),
                    lat=float(p["lat"]),
                    lon=float(p["lon"]),
                    organisation=str(p.get("organisation", "")),
                    email=str(p.get("email", "")),
                    unavailable=_dates_from(p.get("unavailable", [])),
                    unavailable_times=_times_from(p.get("unavailable_times", [])),
                    place=str(p.get("place", "")),
                    if_need_be=_dates_from(p.get("if_need_be", [])),
                    if_need_be_times=_times_from(p.get("if_need_be_times", [])),
                )
            )
        memberships = []
        for i, m in enumerate(d["memberships"]):
            where = f"memberships[{i}]"
            memberships.append(
                Membership(str(m["network"]), str(m["person"]), Role(m.get("role", "required")))
            )
        venues = []
        for i, v in enumerate(d["venues"]):
            where = f"venues[{i}]"
            venues.append(
                Venue(
                    id=str(v["id"]),
                    name=str(v["name"]),
                    lat=float(v["lat"]),
                    lon=float(v["lon"]),
                    capacity=int(v["capacity"]),
                    weekdays=_weekdays_from(v["weekdays"]),
                    open=_time_from(v["open"]),
                    close=_time_from(v["close"]),
                    rooms=int(v.get("rooms", 1)),
                    address=str(v.get("address", "")),
                    unavailable=_dates_from(v.get("unavailable", [])),
                    cost=float(v.get("cost", 0.0)),
                    unavailable_times=_times_from(v.get("unavailable_times", [])),
                    place=str(v.get("place", "")),
                )
            )
        fixed = []
        for i, f in enumerate(d.get("fixed", [])):
            where = f"fixed[{i}]"
            fixed.append(
                FixedMeeting(
                    network=str(f["network"]),
                    date=date.fromisoformat(f["date"]),
                    start=_time_from(f["start"]),
                    venue=str(f["venue"]),
                )
            )
        travel = []
        for i, t in enumerate(d.get("travel", [])):
            where = f"travel[{i}]"
            travel.append(
                TravelOverride(
                    origin=str(t["from"]),
                    destination=str(t["to"]),
                    km=float(t["km"]),
                    minutes=_opt_float(t.get("minutes")),
                )
            )
        where = "together"
        together = _together_from(d.get("together", []))
    except ProblemError:
        raise
    except KeyError as exc:
        raise ValueError(f"problem.{where}: key {exc.args[0]!r} is missing") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"problem.{where}: {exc}") from None
    return Problem(
        settings=settings,
        networks=tuple(networks),
        people=tuple(people),
        venues=tuple(venues),
        memberships=tuple(memberships),
        fixed=tuple(fixed),
        travel=tuple(travel),
        together=together,
    )


def canonical_json(value: Any) -> str:
    """Canonical JSON: ``json.dumps(value, sort_keys=True, separators=(",", ":"))``.

    Non-ASCII characters are escaped (``ensure_ascii``, the default), so the
    text is plain ASCII.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def input_hash(problem: Problem) -> str:
    """sha256 hex digest of the canonical JSON of :func:`problem_to_dict`.

    That is ``sha256(json.dumps(problem_to_dict(problem), sort_keys=True,
    separators=(",", ":")).encode("ascii")).hexdigest()``.
    """
    return hashlib.sha256(canonical_json(problem_to_dict(problem)).encode("utf-8")).hexdigest()
