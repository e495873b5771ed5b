"""The data model: one planning problem, validated once when built.

Everything here is a frozen, slotted dataclass. Times of day are whole
minutes after midnight (``int``), dates are :class:`datetime.date`, weekdays
are ``0`` (Monday) to ``6`` (Sunday). The reader (:mod:`planner.read`) fills
in every default of the data contract, so the objects here hold resolved
values only.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from planner.weights import Weights

WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES_NL: tuple[str, ...] = ("ma", "di", "wo", "do", "vr", "za", "zo")
REGIONS: tuple[str, ...] = ("noord", "midden", "zuid")
LANGUAGES: tuple[str, ...] = ("nl", "en")


def fmt_time(minutes: int) -> str:
    """Format minutes after midnight as ``HH:MM``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def fmt_weekdays(days: Iterable[int]) -> str:
    """Format weekday numbers as ``mon;tue``."""
    return ";".join(WEEKDAY_NAMES[d] for d in sorted(days))


class ProblemError(ValueError):
    """A problem that breaks the data contract (raised when it is built).

    Parameters
    ----------
    messages
        One readable message per fault.
    """

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


class Role(enum.Enum):
    """A member's role in a network."""

    REQUIRED = "required"
    OPTIONAL = "optional"


@dataclass(frozen=True, slots=True)
class Settings:
    """Problem-wide settings (the ``settings`` sheet), defaults per the contract."""

    start: date
    end: date
    region: str = "midden"
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    day_start: int = 9 * 60
    day_end: int = 17 * 60
    slot: int = 15
    changeover: int = 15
    min_gap_days: int = 21
    max_meetings_per_day: int = 3
    long_wait: int = 60
    public_holidays: bool = True
    school_holidays: bool = True
    road_factor: float = 1.3
    speed_kmh: float = 60.0
    time_limit: float = 60.0
    seed: int = 0
    timezone: str = "Europe/Amsterdam"
    language: str = "nl"
    weights: Weights = field(default_factory=Weights)

    @property
    def horizon_days(self) -> int:
        """Number of days in the horizon, ``end - start + 1``."""
        return (self.end - self.start).days + 1

    def validate(self) -> list[str]:
        """Return the faults of these settings (empty when valid)."""
        out: list[str] = []
        if self.end < self.start:
            out.append(f"settings: end {self.end} is before start {self.start}")
        if self.region not in REGIONS:
            out.append(f"settings: region {self.region!r} is not one of {', '.join(REGIONS)}")
        if not self.weekdays:
            out.append("settings: weekdays is empty")
        if self.slot <= 0:
            out.append(f"settings: slot must be > 0, got {self.slot}")
        if not 0 <= self.day_start < self.day_end <= 24 * 60:
            out.append(
                f"settings: day_start {fmt_time(self.day_start)} must be before "
                f"day_end {fmt_time(self.day_end)}"
            )
        if self.changeover < 0:
            out.append(f"settings: changeover must be >= 0, got {self.changeover}")
        if self.min_gap_days < 0:
            out.append(f"settings: min_gap_days must be >= 0, got {self.min_gap_days}")
        if self.max_meetings_per_day < 1:
            out.append(
                f"settings: max_meetings_per_day must be >= 1, got {self.max_meetings_per_day}"
            )
        if self.long_wait < 0:
            out.append(f"settings: long_wait must be >= 0, got {self.long_wait}")
        if self.road_factor <= 0:
            out.append(f"settings: road_factor must be > 0, got {self.road_factor}")
        if self.speed_kmh <= 0:
            out.append(f"settings: speed_kmh must be > 0, got {self.speed_kmh}")
        if self.time_limit <= 0:
            out.append(f"settings: time_limit must be > 0, got {self.time_limit}")
        if self.language not in LANGUAGES:
            out.append(f"settings: language {self.language!r} is not one of nl, en")
        return out


@dataclass(frozen=True, slots=True)
class Network:
    """A network (samenwerkingsverband, alliance, ...) that meets several times."""

    id: str
    name: str
    meetings: int
    duration: int
    min_gap_days: int
    weekdays: frozenset[int]
    earliest: int
    latest: int
    venues: tuple[str, ...]
    region: str


@dataclass(frozen=True, slots=True)
class Person:
    """A board member (bestuurder) or whoever a board sends."""

    id: str
    name: str
    lat: float
    lon: float
    organisation: str = ""
    email: str = ""
    unavailable: frozenset[date] = frozenset()
    unavailable_times: frozenset[tuple[date, int, int]] = frozenset()
    """Time ranges ``(date, start minute, end minute)`` the person cannot meet (v1.1)."""
    place: str = ""  # the `place` text lat/lon were resolved from ("" when given)
    if_need_be: frozenset[date] = frozenset()
    """Dates the person can meet only "if need be" (a soft preference, a cost)."""
    if_need_be_times: frozenset[tuple[date, int, int]] = frozenset()
    """Time ranges ``(date, start, end)`` the person can meet only "if need be"."""


@dataclass(frozen=True, slots=True)
class Membership:
    """A person's seat in a network."""

    network: str
    person: str
    role: Role = Role.REQUIRED


@dataclass(frozen=True, slots=True)
class Venue:
    """A place to meet, with its rooms, capacity, hours and closures."""

    id: str
    name: str
    lat: float
    lon: float
    capacity: int
    weekdays: frozenset[int]
    open: int
    close: int
    rooms: int = 1
    address: str = ""
    unavailable: frozenset[date] = frozenset()
    cost: float = 0.0
    unavailable_times: frozenset[tuple[date, int, int]] = frozenset()
    """Time ranges ``(date, start minute, end minute)`` the venue is closed (v1.1)."""
    place: str = ""  # the `place` text lat/lon were resolved from ("" when given)


@dataclass(frozen=True, slots=True)
class FixedMeeting:
    """A meeting already agreed; it counts toward its network's ``meetings``."""

    network: str
    date: date
    start: int
    venue: str


@dataclass(frozen=True, slots=True)
class TravelOverride:
    """A road distance (and optionally time) that replaces the computed one."""

    origin: str
    destination: str
    km: float
    minutes: float | None = None


@dataclass(frozen=True, slots=True)
class Together:
    """A relay wish (contract v1.1, table ``together``).

    Attributes
    ----------
    networks
        Two or more network ids that want to meet in one session (one venue,
        one date), in the listed order.
    times
        How many sessions should hold all of them (>= 1).
    order
        Back to back in the listed order: the first meeting of each listed
        network in the session starts at or after the end of the previous
        network's first meeting there.
    hard
        A hard rule (kind ``together``) instead of a soft goal.
    """

    networks: tuple[str, ...]
    times: int
    order: bool = False
    hard: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """One planning problem: networks, people, memberships, venues and settings.

    Built once and validated in ``__post_init__``: unique ids, one id space
    for people and venues, every reference resolves, every number in range.
    A :class:`ProblemError` lists every fault found.

    The look-up attributes (``network_by_id`` ...) are derived when built.
    """

    settings: Settings
    networks: tuple[Network, ...]
    people: tuple[Person, ...]
    venues: tuple[Venue, ...]
    memberships: tuple[Membership, ...]
    fixed: tuple[FixedMeeting, ...] = ()
    travel: tuple[TravelOverride, ...] = ()
    together: tuple[Together, ...] = ()
    previous: tuple[FixedMeeting, ...] = ()
    """Re-planning: the published placements of the free meetings (a wish, not a
    rule). Per network, its k-th free meeting in order of date and start is
    *kept* when it lies at the k-th previous placement (date, start, venue) of
    that network; otherwise it is moved and costs ``weight_moved_meeting``, and
    each member (required or optional) with a moved meeting costs
    ``weight_moved_member`` once (see :class:`planner.weights.Weights`). A
    placement at a venue no longer in the input keeps its place in that order
    (the meeting must move; the later ones are still matched)."""

    network_by_id: Mapping[str, Network] = field(init=False, repr=False, compare=False)
    person_by_id: Mapping[str, Person] = field(init=False, repr=False, compare=False)
    venue_by_id: Mapping[str, Venue] = field(init=False, repr=False, compare=False)
    _members: Mapping[str, tuple[Membership, ...]] = field(init=False, repr=False, compare=False)
    _networks_of: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "network_by_id", {n.id: n for n in self.networks})
        set_(self, "person_by_id", {p.id: p for p in self.people})
        set_(self, "venue_by_id", {v.id: v for v in self.venues})
        members: dict[str, list[Membership]] = {n.id: [] for n in self.networks}
        networks_of: dict[str, list[str]] = {p.id: [] for p in self.people}
        for m in self.memberships:
            members.setdefault(m.network, []).append(m)
            networks_of.setdefault(m.person, []).append(m.network)
        set_(self, "_members", {k: tuple(v) for k, v in members.items()})
        set_(self, "_networks_of", {k: tuple(v) for k, v in networks_of.items()})
        errors = self._validate()
        if errors:
            raise ProblemError(errors)

    # ------------------------------------------------------------------ checks
    def _validate(self) -> list[str]:
        s = self.settings
        out = s.validate()
        out += _duplicates("network", [n.id for n in self.networks])
        out += _duplicates("person", [p.id for p in self.people])
        out += _duplicates("venue", [v.id for v in self.venues])
        both = sorted(set(self.person_by_id) & set(self.venue_by_id))
        out += [f"id {i!r} is both a person and a venue" for i in both]
        for n in self.networks:
            where = f"network {n.id!r}"
            if not n.id:
                out.append("a network has an empty id")
            if n.meetings < 1:
                out.append(f"{where}: meetings must be >= 1, got {n.meetings}")
            if n.duration <= 0 or (s.slot > 0 and n.duration % s.slot):
                out.append(
                    f"{where}: duration {n.duration} must be > 0 and a multiple of slot {s.slot}"
                )
            if n.min_gap_days < 0:
                out.append(f"{where}: min_gap_days must be >= 0, got {n.min_gap_days}")
            if not n.weekdays or not n.weekdays <= set(range(7)):
                out.append(f"{where}: weekdays must be a non-empty set of weekdays")
            if not 0 <= n.earliest < n.latest <= 24 * 60:
                out.append(
                    f"{where}: earliest {fmt_time(n.earliest)} must be before "
                    f"latest {fmt_time(n.latest)}"
                )
            if n.region not in REGIONS:
                out.append(f"{where}: region {n.region!r} is not one of {', '.join(REGIONS)}")
            if not n.venues:
                out.append(f"{where}: no venue allowed")
            out += [
                f"{where}: venue {v!r} is not a venue id"
                for v in n.venues
                if v not in self.venue_by_id
            ]
        for p in self.people:
            out += _latlon(f"person {p.id!r}", p.lat, p.lon)
        for v in self.venues:
            where = f"venue {v.id!r}"
            out += _latlon(where, v.lat, v.lon)
            if v.capacity < 1:
                out.append(f"{where}: capacity must be >= 1, got {v.capacity}")
            if v.rooms < 1:
                out.append(f"{where}: rooms must be >= 1, got {v.rooms}")
            if not 0 <= v.open < v.close <= 24 * 60:
                out.append(f"{where}: open {fmt_time(v.open)} must be before close")
            if v.cost < 0:
                out.append(f"{where}: cost must be >= 0, got {v.cost}")
        seen: set[tuple[str, str]] = set()
        for m in self.memberships:
            if m.network not in self.network_by_id:
                out.append(f"membership: {m.network!r} is not a network id")
            if m.person not in self.person_by_id:
                out.append(f"membership: {m.person!r} is not a person id")
            if (m.network, m.person) in seen:
                out.append(f"membership: {m.person!r} is listed twice in {m.network!r}")
            seen.add((m.network, m.person))
        fixed_count: dict[str, int] = {}
        for f in self.fixed:
            if f.network not in self.network_by_id:
                out.append(f"fixed: {f.network!r} is not a network id")
            if f.venue not in self.venue_by_id:
                out.append(f"fixed: {f.venue!r} is not a venue id")
            fixed_count[f.network] = fixed_count.get(f.network, 0) + 1
        for nid, count in fixed_count.items():
            net = self.network_by_id.get(nid)
            if net is not None and count > net.meetings:
                out.append(
                    f"fixed: network {nid!r} has {count} fixed meetings but meetings "
                    f"is {net.meetings}"
                )
        for f in self.previous:  # a published venue may be gone: that meeting must move
            if f.network not in self.network_by_id:
                out.append(f"previous: {f.network!r} is not a network id")
        ids = set(self.person_by_id) | set(self.venue_by_id)
        for t in self.travel:
            for end in (t.origin, t.destination):
                if end not in ids:
                    out.append(f"travel: {end!r} is neither a person nor a venue id")
            if t.km < 0 or (t.minutes is not None and t.minutes < 0):
                out.append(f"travel: {t.origin!r}->{t.destination!r} must not be negative")
        out += self._validate_v11()
        return out + _hostile(self)

    def _validate_v11(self) -> list[str]:
        """Faults of the contract v1.1 additions: time ranges and relay wishes."""
        out: list[str] = []
        for kind, items in (("person", self.people), ("venue", self.venues)):
            for item in items:
                out += [
                    f"{kind} {item.id!r}: unavailable time {day} {fmt_time(t0)}-{fmt_time(t1)} "
                    "must end after it starts, within the day"
                    for day, t0, t1 in sorted(item.unavailable_times)
                    if not 0 <= t0 < t1 <= 24 * 60
                ]
        for i, wish in enumerate(self.together, start=1):
            where = f"together {i}"
            if len(wish.networks) < 2:
                out.append(f"{where}: needs two or more networks, got {len(wish.networks)}")
            if len(set(wish.networks)) < len(wish.networks):
                out.append(f"{where}: a network is listed twice")
            out += [
                f"{where}: {n!r} is not a network id"
                for n in wish.networks
                if n not in self.network_by_id
            ]
            if wish.times < 1:
                out.append(f"{where}: times must be >= 1, got {wish.times}")
        return out

    # ---------------------------------------------------------------- look-ups
    def members(self, network: str, role: Role | None = None) -> tuple[str, ...]:
        """Person ids of a network's members, optionally of one role, in file order."""
        return tuple(
            m.person for m in self._members.get(network, ()) if role is None or m.role is role
        )

    def required_members(self, network: str) -> tuple[str, ...]:
        """Person ids of a network's required members."""
        return self.members(network, Role.REQUIRED)

    def optional_members(self, network: str) -> tuple[str, ...]:
        """Person ids of a network's optional members."""
        return self.members(network, Role.OPTIONAL)

    def networks_of(self, person: str) -> tuple[str, ...]:
        """Network ids a person belongs to (any role), in file order."""
        return self._networks_of.get(person, ())

    def shared_members(
        self, first: str, second: str, role: Role | None = Role.REQUIRED
    ) -> tuple[str, ...]:
        """Person ids in both networks (required members only by default)."""
        other = set(self.members(second, role))
        return tuple(p for p in self.members(first, role) if p in other)

    def fixed_of(self, network: str) -> tuple[FixedMeeting, ...]:
        """Fixed meetings of one network, by date and start."""
        return tuple(
            sorted(
                (f for f in self.fixed if f.network == network),
                key=lambda f: (f.date, f.start),
            )
        )

    def place(self, id_: str) -> tuple[float, float]:
        """``(lat, lon)`` of a person's home or a venue."""
        if id_ in self.person_by_id:
            p = self.person_by_id[id_]
            return p.lat, p.lon
        v = self.venue_by_id[id_]
        return v.lat, v.lon


def _duplicates(kind: str, ids: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for i in ids:
        if i in seen:
            out.append(f"{kind} id {i!r} appears twice")
        seen.add(i)
    return out


def _latlon(where: str, lat: float, lon: float) -> list[str]:
    out = []
    if not -90 <= lat <= 90:
        out.append(f"{where}: lat {lat} is not between -90 and 90")
    if not -180 <= lon <= 180:
        out.append(f"{where}: lon {lon} is not between -180 and 180")
    return out


_SETTING_NUMBERS = (
    "slot",
    "changeover",
    "min_gap_days",
    "max_meetings_per_day",
    "road_factor",
    "speed_kmh",
    "time_limit",
    "seed",
)


def _hostile(problem: Problem) -> list[str]:
    """Ids that break files and numbers that overflow the planner (:mod:`planner.safety`)."""
    from planner.safety import MAX_HORIZON_DAYS, NUMBER_LIMITS, id_problem

    out: list[str] = []
    for kind, items in (
        ("network", problem.networks),
        ("person", problem.people),
        ("venue", problem.venues),
    ):
        for item in items:
            why = id_problem(item.id)
            if why is not None:
                out.append(f"{kind} id {item.id!r} {why}")
    s = problem.settings
    numbers: list[tuple[str, str, str, float]] = [
        ("settings", "settings", key, float(getattr(s, key))) for key in _SETTING_NUMBERS
    ]
    numbers += [("settings", "settings", "weight", float(w)) for w in vars_of(s.weights)]
    for n in problem.networks:
        numbers += [
            (f"network {n.id!r}", "networks", c, float(getattr(n, c)))
            for c in ("meetings", "duration", "min_gap_days")
        ]
    for v in problem.venues:
        numbers += [
            (f"venue {v.id!r}", "venues", c, float(getattr(v, c)))
            for c in ("capacity", "rooms", "cost")
        ]
    for t in problem.travel:
        where = f"travel {t.origin!r}->{t.destination!r}"
        numbers.append((where, "travel", "km", t.km))
        if t.minutes is not None:
            numbers.append((where, "travel", "minutes", t.minutes))
    for where, table, column, value in numbers:
        high = NUMBER_LIMITS[table, column]
        if not value <= high:  # also NaN
            out.append(f"{where}: {column} {value:g} is too large (at most {high:,g})")
    if s.horizon_days > MAX_HORIZON_DAYS:
        days = s.horizon_days
        out.append(f"settings: the horizon spans {days:,} days (at most {MAX_HORIZON_DAYS:,})")
    return out


def vars_of(weights: Weights) -> list[int]:
    """The values of every weight."""
    from dataclasses import fields

    return [int(getattr(weights, f.name)) for f in fields(weights)]
