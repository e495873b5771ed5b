"""Generate the realistic Dutch sample problems of this folder.

Four samples for the school year 2027-2028, each a different degree of
overlap between the networks' members:

- ``zeeland.xlsx``: high overlap, one workbook;
- ``randstad/``: partial overlap, a CSV folder as Dutch Excel saves it
  (``;`` separator, Windows-1252, decimal commas);
- ``achterhoek/``: low overlap, a CSV folder (``,`` separator, UTF-8);
- ``veluwe/``: small, places instead of coordinates (``place`` only, contract
  v1.1), a CSV folder (``;`` separator, UTF-8).

Towns and their coordinates are real; boards, venues and people are
fictional. Everything is drawn from ``random.Random(seed)``: the same script
writes the same bytes on every run (the workbook's time stamps are fixed).
The script checks every sample before writing it (it builds a
:class:`planner.problem.Problem` itself, without the project's reader, and
verifies that every network's meetings fit its candidate dates).

Run::

    /work/venv/bin/python samples/generate.py            # write into samples/
    /work/venv/bin/python samples/generate.py --out DIR  # write elsewhere
    /work/venv/bin/python samples/generate.py --check    # exit 1 if files differ
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import math
import random
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from planner.calendar import candidate_dates, max_meetings_possible, venue_open_on
from planner.places import resolve
from planner.problem import (
    WEEKDAY_NAMES,
    WEEKDAY_NAMES_NL,
    FixedMeeting,
    Membership,
    Network,
    Person,
    Problem,
    Role,
    Settings,
    TravelOverride,
    Venue,
)

Cell = str | int | float | None

START = date(2027, 8, 30)  # Monday of the first school week (regio midden)
END = date(2028, 7, 14)  # Friday before the summer holiday of regio noord
STAMP = datetime(2027, 6, 1)  # fixed time stamp of the workbook and its zip entries
HERE = Path(__file__).resolve().parent

COLUMNS: dict[str, tuple[str, ...]] = {
    "networks": (
        "id",
        "name",
        "meetings",
        "duration",
        "min_gap_days",
        "weekdays",
        "earliest",
        "latest",
        "venues",
        "region",
    ),
    "people": ("id", "name", "organisation", "email", "lat", "lon", "unavailable"),
    "memberships": ("network", "person", "role"),
    "venues": (
        "id",
        "name",
        "address",
        "lat",
        "lon",
        "capacity",
        "rooms",
        "weekdays",
        "open",
        "close",
        "unavailable",
        "cost",
    ),
    "fixed": ("network", "date", "start", "venue"),
    "travel": ("from", "to", "km", "minutes"),
    "settings": ("key", "value"),
}


# --------------------------------------------------------------------- model
@dataclass(frozen=True, slots=True)
class Table:
    """One sheet or CSV file: its name, column names and rows of cells."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True, slots=True)
class Sample:
    """One sample problem as tables, and how it is written.

    Parameters
    ----------
    name
        ``zeeland``, ``randstad`` or ``achterhoek``.
    target
        File or folder name inside the output folder.
    tables
        The tables in the order they are written.
    delimiter, encoding, decimal_comma
        How a CSV folder is written (unused for a workbook).
    """

    name: str
    target: str
    tables: tuple[Table, ...]
    delimiter: str = ","
    encoding: str = "utf-8"
    decimal_comma: bool = False

    def table(self, name: str) -> Table:
        """The table called ``name`` (an empty one when the sample lacks it)."""
        for t in self.tables:
            if t.name == name:
                return t
        return Table(name, COLUMNS[name], ())

    def records(self, name: str) -> list[dict[str, Cell]]:
        """Rows of table ``name`` as column -> cell dictionaries."""
        t = self.table(name)
        return [dict(zip(t.columns, row, strict=True)) for row in t.rows]


@dataclass(frozen=True, slots=True)
class Town:
    """A real Dutch town and the coordinates of its centre."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class NetSpec:
    """How to generate one network: its columns and whom it attracts."""

    id: str
    name: str
    meetings: int
    duration: int
    min_gap_days: int | None = None
    weekdays: str = ""
    earliest: str = ""
    latest: str = ""
    venues: tuple[str, ...] = ()
    region: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VenueSpec:
    """One venue's columns (``weekdays`` etc. empty for the default)."""

    id: str
    name: str
    address: str
    town: Town
    capacity: int
    rooms: int = 1
    weekdays: str = ""
    open: str = ""
    close: str = ""
    unavailable: str = ""
    cost: int | None = None

    def row(self) -> tuple[Cell, ...]:
        """The row of the ``venues`` table."""
        return (
            self.id,
            self.name,
            self.address,
            self.town.lat,
            self.town.lon,
            self.capacity,
            self.rooms,
            self.weekdays or None,
            self.open or None,
            self.close or None,
            self.unavailable or None,
            self.cost,
        )


@dataclass(slots=True)
class PersonRec:
    """A person while being generated."""

    id: str
    name: str
    organisation: str
    email: str
    town: Town
    tags: tuple[str, ...]
    unavailable: str = ""
    networks: list[str] = field(default_factory=list)

    def row(self) -> tuple[Cell, ...]:
        """The row of the ``people`` table."""
        return (
            self.id,
            self.name,
            self.organisation,
            self.email,
            self.town.lat,
            self.town.lon,
            self.unavailable or None,
        )


# ------------------------------------------------------------------ helpers
def km_between(a: Town, b: Town) -> float:
    """Great-circle km between two towns (earth radius 6371.0 km)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def ascii_fold(text: str) -> str:
    """``Daniëlle`` -> ``Danielle``: strip accents for e-mail addresses."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


class NameMaker:
    """Draws unique Dutch full names and ``j.devries@example.nl`` addresses."""

    def __init__(self, rng: random.Random, first: Sequence[str], last: Sequence[str]) -> None:
        self.rng = rng
        self.first = list(first)
        self.last = list(last)
        self.names: set[str] = set()
        self.emails: set[str] = set()

    def draw(self) -> tuple[str, str]:
        """Return a new ``(full name, email)``."""
        while True:
            first = self.rng.choice(self.first)
            last = self.rng.choice(self.last)
            full = f"{first} {last}"
            if full not in self.names:
                break
        self.names.add(full)
        local = ascii_fold(first[0] + "." + re.sub(r"[^A-Za-z]", "", ascii_fold(last))).lower()
        email = f"{local}@example.nl"
        n = 2
        while email in self.emails:
            email = f"{local}{n}@example.nl"
            n += 1
        self.emails.add(email)
        return full, email


def weighted_sample(
    rng: random.Random, items: Sequence[str], weights: Sequence[float], k: int
) -> list[str]:
    """Draw ``k`` distinct items, each draw proportional to the remaining weights."""
    pool = list(zip(items, weights, strict=True))
    chosen: list[str] = []
    for _ in range(min(k, len(pool))):
        x = rng.random() * sum(w for _, w in pool)
        index = len(pool) - 1
        for i, (_, w) in enumerate(pool):
            x -= w
            if x < 0:
                index = i
                break
        chosen.append(pool.pop(index)[0])
    return chosen


def nearby(town: Town, towns: Sequence[Town], count: int) -> list[Town]:
    """The ``count`` towns nearest to ``town`` (itself excluded), nearest first."""
    others = [t for t in towns if t.name != town.name]
    return sorted(others, key=lambda t: (km_between(town, t), t.name))[:count]


def home_town(rng: random.Random, base: Town, towns: Sequence[Town], stay: float) -> Town:
    """Where someone whose board sits in ``base`` lives: there, or a town nearby."""
    if rng.random() < stay:
        return base
    return rng.choice(nearby(base, towns, 3))


def venue_list(spec: NetSpec, size: int, venues: Sequence[VenueSpec]) -> str:
    """The ``venues`` cell: preferred venues with room for ``size`` people.

    Empty (all venues) when every venue qualifies and no preference is given.
    """
    wanted = spec.venues or tuple(v.id for v in venues)
    fit = [v.id for v in venues if v.id in wanted and v.capacity >= size]
    if not fit:
        raise ValueError(f"{spec.id}: no venue has room for {size} people")
    if len(fit) == len(venues):
        return ""
    return ";".join(v for v in wanted if v in fit)


def network_row(spec: NetSpec, size: int, venues: Sequence[VenueSpec]) -> tuple[Cell, ...]:
    """The row of the ``networks`` table."""
    return (
        spec.id,
        spec.name,
        spec.meetings,
        spec.duration,
        spec.min_gap_days,
        spec.weekdays or None,
        spec.earliest or None,
        spec.latest or None,
        venue_list(spec, size, venues) or None,
        spec.region or None,
    )


def settings_table(region: str, min_gap_days: int) -> Table:
    """The ``settings`` table shared by every sample (only the region differs)."""
    rows: tuple[tuple[Cell, ...], ...] = (
        ("start", START.isoformat()),
        ("end", END.isoformat()),
        ("region", region),
        ("min_gap_days", min_gap_days),
        ("time_limit", 60),
        ("seed", 0),
        ("language", "nl"),
    )
    return Table("settings", COLUMNS["settings"], rows)


def membership_rows(
    specs: Sequence[NetSpec], people: Sequence[PersonRec], optional: set[tuple[str, str]]
) -> tuple[tuple[Cell, ...], ...]:
    """Memberships network by network, people in file order within a network."""
    rows: list[tuple[Cell, ...]] = []
    for spec in specs:
        for p in people:
            if spec.id in p.networks:
                role = "optional" if (spec.id, p.id) in optional else None
                rows.append((spec.id, p.id, role))
    return tuple(rows)


def sizes(specs: Sequence[NetSpec], people: Sequence[PersonRec]) -> dict[str, int]:
    """Members per network."""
    return {s.id: sum(s.id in p.networks for p in people) for s in specs}


# ------------------------------------------------------------------ names
FIRST_NAMES = (
    "Jan", "Pieter", "Kees", "Willem", "Henk", "Marco", "Erik", "Martijn", "Bas", "Jeroen",
    "Sander", "Thijs", "Ruud", "Frank", "Gerrit", "Johan", "Hans", "Arjen", "Wouter", "Maarten",
    "Rob", "Paul", "Mark", "Bart", "Niels", "Joost", "Rik", "Stefan", "René", "Noël", "André",
    "Anne", "Marieke", "Annemiek", "Ingrid", "Petra", "Els", "Karin", "Monique", "Sandra",
    "Linda", "Esther", "Ilse", "Janneke", "Marloes", "Femke", "Saskia", "Wendy", "Yvonne",
    "Hanneke", "Miriam", "Daniëlle", "Mariëlle", "Loes", "Hélène", "Zoë", "Jolanda", "Astrid",
)  # fmt: skip
RANDSTAD_FIRST = (
    "Ahmed", "Fatima", "Mohamed", "Samira", "Youssef", "Naima", "Mehmet", "Emine", "Hakan",
    "Nadia", "Rachid", "Priya", "Ravi", "Shanti", "Kofi", "Ama", "Linh", "Sevda", "Orhan",
)  # fmt: skip
SURNAMES = (
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
    "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn",
    "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet", "Hoekstra", "Maas",
    "Verhoeven", "Koster", "van Dam", "Prins", "Blom", "Huisman", "de Jong", "van Dijk",
    "Kramer", "Koning", "van 't Hof", "Terpstra", "Verbeek", "Post", "Kuipers",
)  # fmt: skip
RANDSTAD_SURNAMES = (
    "El Amrani", "Bouzid", "Yilmaz", "Öztürk", "Kaya", "Benali", "Aydin", "Ramdin",
    "Sewnath", "Kartosen", "Haddou", "Tahiri", "Dogan", "Ceylan", "Nguyen", "Pinas",
    "Çelik", "Mensah", "Tjon A Fat", "Doornbos",
)  # fmt: skip
ZEELAND_SURNAMES = (
    "Minderhoud", "Geschiere", "Bimmel", "Louwerse", "Verhage", "Wisse", "de Koeijer",
    "Dieleman", "Boone", "Kodde", "Sinke", "Rijk", "Verburg", "Joosse", "Kole", "de Jonge",
    "Schout", "Kesteloo", "Koene", "Traas", "Polderman", "Goedegebuure", "Nijsse", "Jobse",
    "de Visser", "Zuidweg", "Pieterse", "Lokerse", "Adriaanse", "Huibregtse", "Quaak",
    "Riemens", "Vermue", "Cijsouw", "Meulmeester",
)  # fmt: skip
OOST_SURNAMES = (
    "Wolbers", "Nijhof", "ter Horst", "Wissink", "Hulshof", "Klein Gebbink", "te Lintelo",
    "Oonk", "Hesselink", "Lansink", "Roerink", "Nijenhuis", "Wiggers", "Kamphuis", "Olthof",
    "Brinkhuis", "Tijink", "Rouwmaat", "Heijink", "Wentink", "Ribbers", "Hoitink",
    "Stoltenborg", "Maathuis", "Assink", "Rikkerink", "Bruggink", "Bennink", "Esselink",
    "Eppink", "Pelgrum", "Scholten", "Velderman", "ten Dam", "Boerrigter", "Oude Vrielink",
    "Harbers", "Kappert", "Leferink", "Nijland",
)  # fmt: skip


# ================================================================== Zeeland
ZEELAND_TOWNS = {
    t.name: t
    for t in (
        Town("Middelburg", 51.4988, 3.6136),
        Town("Vlissingen", 51.4426, 3.5736),
        Town("Goes", 51.5040, 3.8880),
        Town("Terneuzen", 51.3358, 3.8283),
        Town("Zierikzee", 51.6502, 3.9196),
        Town("Hulst", 51.2800, 4.0522),
        Town("Oostburg", 51.3256, 3.4881),
        Town("Breskens", 51.3964, 3.5556),
        Town("Kapelle", 51.4867, 3.9589),
        Town("Yerseke", 51.4933, 4.0508),
        Town("Krabbendijke", 51.4275, 4.1139),
        Town("Tholen", 51.5317, 4.2208),
        Town("Sint-Maartensdijk", 51.5469, 4.0775),
        Town("Bruinisse", 51.6606, 4.0928),
        Town("Brouwershaven", 51.7264, 3.9111),
        Town("Renesse", 51.7317, 3.7725),
        Town("Domburg", 51.5636, 3.4961),
        Town("Veere", 51.5483, 3.6667),
        Town("Arnemuiden", 51.5017, 3.6750),
        Town("Koudekerke", 51.4811, 3.5511),
        Town("Heinkenszand", 51.4758, 3.8186),
        Town("Kortgene", 51.5539, 3.8025),
        Town("Axel", 51.2667, 3.9083),
        Town("Sas van Gent", 51.2275, 3.7986),
        Town("Sluis", 51.3083, 3.3861),
        Town("Wemeldinge", 51.5200, 4.0000),
    )
}

# Area of each town: Walcheren, (Noord- en Zuid-)Beveland, Schouwen-Duiveland,
# Tholen, Zeeuws-Vlaanderen.
ZEELAND_AREA = {
    "Middelburg": "wal", "Vlissingen": "wal", "Domburg": "wal", "Veere": "wal",
    "Arnemuiden": "wal", "Koudekerke": "wal", "Goes": "bev", "Kapelle": "bev",
    "Yerseke": "bev", "Krabbendijke": "bev", "Heinkenszand": "bev", "Kortgene": "bev",
    "Wemeldinge": "bev", "Zierikzee": "sch", "Bruinisse": "sch", "Brouwershaven": "sch",
    "Renesse": "sch", "Tholen": "tho", "Sint-Maartensdijk": "tho", "Terneuzen": "zvl",
    "Hulst": "zvl", "Oostburg": "zvl", "Breskens": "zvl", "Axel": "zvl",
    "Sas van Gent": "zvl", "Sluis": "zvl",
}  # fmt: skip

# (board, town of its office, sector: po primary, vo secondary, so special)
ZEELAND_BOARDS = (
    ("Stichting Openbaar Onderwijs Walcheren", "Middelburg", "po"),
    ("Stichting Protestants-Christelijk Onderwijs De Bevelanden", "Goes", "po"),
    ("Stichting Katholiek Onderwijs Hulst en Omstreken", "Hulst", "po"),
    ("Stichting Openbaar Primair Onderwijs Schouwen-Duiveland", "Zierikzee", "po"),
    ("Vereniging Gereformeerd Schoolonderwijs Tholen", "Tholen", "po"),
    ("Stichting Scholengroep Scheldemond", "Vlissingen", "vo"),
    ("Stichting Voortgezet Onderwijs De Delta", "Goes", "vo"),
    ("Stichting Lyceum Zeeuws-Vlaanderen", "Terneuzen", "vo"),
    ("Stichting Speciaal Onderwijs De Zeeuwse Branding", "Middelburg", "so"),
    ("Stichting Christelijk Onderwijs Walcheren", "Vlissingen", "po"),
    ("Stichting Interconfessioneel Onderwijs Schouwen", "Zierikzee", "po"),
    ("Stichting Openbaar Onderwijs West-Zeeuws-Vlaanderen", "Oostburg", "po"),
    ("Stichting Primair Onderwijs Axel-Terneuzen", "Terneuzen", "po"),
    ("Stichting Openbaar Onderwijs Noord-Beveland", "Kortgene", "po"),
    ("Stichting Bijzonder Onderwijs Borsele", "Heinkenszand", "po"),
    ("Stichting Openbaar Onderwijs Reimerswaal", "Krabbendijke", "po"),
    ("Vereniging Christelijk Onderwijs Yerseke", "Yerseke", "po"),
    ("Stichting Onderwijs Veere", "Domburg", "po"),
    ("Stichting Scholengemeenschap Oosterschelde", "Zierikzee", "vo"),
    ("Stichting Reformatorisch Voortgezet Onderwijs Zeeland", "Goes", "vo"),
    ("Stichting Praktijkonderwijs Zeeland", "Vlissingen", "vo"),
    ("Stichting Christelijk Onderwijs Breskens", "Breskens", "po"),
    ("Stichting Samen Leren Tholen", "Sint-Maartensdijk", "po"),
    ("Stichting Kindcentra Kapelle", "Kapelle", "po"),
    ("Stichting Brede Scholen Kanaalzone", "Sas van Gent", "po"),
    ("Vereniging Scholen met de Bijbel Arnemuiden", "Arnemuiden", "po"),
    ("Stichting Voortgezet Speciaal Onderwijs Zeeuws-Vlaanderen", "Axel", "so"),
)
# Boards that send a second person (a policy officer, optional in most networks).
ZEELAND_TWO_SEATS = (0, 5, 6)

ZEELAND_VENUES = (
    VenueSpec(
        "goes",
        "Onderwijshuis De Bevelanden",
        "Stationspark 14, 4462 DZ Goes",
        ZEELAND_TOWNS["Goes"],
        capacity=40,
        rooms=2,
    ),
    VenueSpec(
        "middelburg",
        "Bestuurskantoor Stichting Openbaar Onderwijs Walcheren, zaal De Abdij",
        "Nieuwe Burg 3, 4331 AE Middelburg",
        ZEELAND_TOWNS["Middelburg"],
        capacity=30,
    ),
    VenueSpec(
        "vlissingen",
        "Regionaal Onderwijscentrum Scheldekwartier",
        "Kenniswerf 21, 4381 AB Vlissingen",
        ZEELAND_TOWNS["Vlissingen"],
        capacity=30,
        unavailable="2028-01-10..2028-01-21",
        cost=60,
    ),
    VenueSpec(
        "terneuzen",
        "Stadhuis Terneuzen, Zeeuws-Vlaamse zaal",
        "Oostelijk Bolwerk 4, 4531 GP Terneuzen",
        ZEELAND_TOWNS["Terneuzen"],
        capacity=28,
        weekdays="mon;tue;wed;thu",
        unavailable="2027-11-11;2028-03-22",
    ),
    VenueSpec(
        "zierikzee",
        "Zalencentrum Het Havenhoofd",
        "Oude Haven 9, 4301 AE Zierikzee",
        ZEELAND_TOWNS["Zierikzee"],
        capacity=24,
        open="09:30",
        close="17:00",
        cost=90,
    ),
)

# tags: area (wal bev sch tho zvl) and sector (po vo so); "all" attracts everyone.
ZEELAND_NETWORKS = (
    NetSpec(
        "swv-po-nz",
        "Samenwerkingsverband Passend Onderwijs PO Noord-Zeeland",
        6,
        120,
        35,
        venues=("goes", "middelburg", "zierikzee"),
        tags=("po+wal", "po+bev", "po+sch", "po+tho", "so"),
    ),
    NetSpec(
        "swv-po-zvl",
        "Samenwerkingsverband Passend Onderwijs PO Zeeuws-Vlaanderen",
        6,
        120,
        35,
        weekdays="di;do",
        venues=("terneuzen", "goes"),
        tags=("po+zvl", "so"),
    ),
    NetSpec(
        "swv-vo-zld",
        "Samenwerkingsverband Passend Onderwijs VO Zeeland",
        6,
        90,
        28,
        tags=("vo", "so"),
    ),
    NetSpec("gka-zld", "Gelijke Kansen Alliantie Zeeland", 5, 120, 35, tags=("all",)),
    NetSpec(
        "stt-zld",
        "Sterk Techniekonderwijs Zeeland",
        4,
        150,
        42,
        earliest="13:00",
        tags=("vo",),
    ),
    NetSpec(
        "rea-wal",
        "Regionale Educatieve Agenda Walcheren",
        6,
        90,
        28,
        venues=("middelburg", "vlissingen"),
        tags=("wal",),
    ),
    NetSpec(
        "rea-osr",
        "Regionale Educatieve Agenda Oosterschelderegio",
        6,
        90,
        28,
        venues=("goes", "zierikzee"),
        tags=("bev", "sch", "tho"),
    ),
    NetSpec(
        "oab-zld",
        "OAB-overleg Zeeland (onderwijsachterstandenbeleid)",
        8,
        60,
        21,
        tags=("po",),
    ),
    NetSpec("ral-zld", "Regionale Aanpak Lerarentekort Zeeland", 5, 105, 35, tags=("all",)),
    NetSpec("bo-po-zld", "Bestuurdersoverleg Primair Onderwijs Zeeland", 8, 120, 28, tags=("po",)),
    NetSpec(
        "ikc-zld",
        "Netwerk Integrale Kindcentra Zeeland",
        4,
        90,
        42,
        weekdays="ma;wo;vr",
        tags=("po",),
    ),
    NetSpec(
        "thz-zld",
        "Overleg Thuiszitters en Verzuim Zeeland",
        6,
        75,
        35,
        latest="12:30",
        tags=("vo", "so"),
    ),
)


def _attracts(spec: NetSpec, tags: tuple[str, ...]) -> bool:
    """Whether a person with ``tags`` (sector, area) is drawn to network ``spec``."""
    return any(tag == "all" or all(p in tags for p in tag.split("+")) for tag in spec.tags)


def build_zeeland() -> Sample:
    """High overlap: 12 networks where the same ~30 board members sit almost everywhere."""
    rng = random.Random(2027)
    towns = list(ZEELAND_TOWNS.values())
    names = NameMaker(rng, FIRST_NAMES, ZEELAND_SURNAMES + SURNAMES[:15])
    people: list[PersonRec] = []
    second: list[str] = []
    for index, (board, town_name, sector) in enumerate(ZEELAND_BOARDS):
        seats = 2 if index in ZEELAND_TWO_SEATS else 1
        for seat in range(seats):
            full, email = names.draw()
            base = ZEELAND_TOWNS[town_name]
            pid = f"p{len(people) + 1:02d}"
            people.append(
                PersonRec(
                    id=pid,
                    name=full,
                    organisation=board,
                    email=email,
                    town=home_town(rng, base, towns, 0.6),
                    tags=(sector, ZEELAND_AREA[town_name]),
                )
            )
            if seat == 1:
                second.append(pid)
    net_ids = [s.id for s in ZEELAND_NETWORKS]
    for p in people:
        k = rng.randint(5, 10) if p.id not in second else rng.randint(5, 6)
        weights = [5.0 if _attracts(s, p.tags) else 0.7 for s in ZEELAND_NETWORKS]
        chosen = weighted_sample(rng, net_ids, weights, k)
        p.networks = [n for n in net_ids if n in chosen]
    # A second person of a board is optional wherever the first one also sits;
    # a few more optional seats are spread at random.
    optional: set[tuple[str, str]] = set()
    by_id = {p.id: p for p in people}
    for pid in second:
        first = by_id[f"p{int(pid[1:]) - 1:02d}"]
        optional |= {(n, pid) for n in by_id[pid].networks if n in first.networks}
    for p in rng.sample(people, 4):
        if p.id not in second:
            optional.add((rng.choice(p.networks), p.id))
    unavailable = {
        "p04": "2027-10-11..2027-10-15",
        "p12": "2028-03-20;2028-03-21",
        "p19": "2027-11-29..2027-12-03;2028-06-12",
    }
    for pid, text in unavailable.items():
        by_id[pid].unavailable = text
    size = sizes(ZEELAND_NETWORKS, people)
    networks = tuple(network_row(s, size[s.id], ZEELAND_VENUES) for s in ZEELAND_NETWORKS)
    fixed: tuple[tuple[Cell, ...], ...] = (
        ("bo-po-zld", "2027-09-14", "09:30", "goes"),
        ("rea-wal", "2028-06-15", "13:30", "middelburg"),
    )
    breskens = next(p for p in people if p.town.name == "Breskens")
    oostburg = next(p for p in people if p.town.name == "Oostburg")
    travel: tuple[tuple[Cell, ...], ...] = (
        # voetveer Vlissingen-Breskens: a short crossing, but waiting and walking take time
        (breskens.id, "vlissingen", 7.0, 40),
        (oostburg.id, "vlissingen", 19.0, 50),
        # Westerscheldetunnel: the road is much longer than the straight line
        ("terneuzen", "vlissingen", 38.0, 35),
        ("terneuzen", "goes", 33.0, 30),
    )
    return Sample(
        name="zeeland",
        target="zeeland.xlsx",
        tables=(
            Table("networks", COLUMNS["networks"], networks),
            Table("people", COLUMNS["people"], tuple(p.row() for p in people)),
            Table(
                "memberships",
                COLUMNS["memberships"],
                membership_rows(ZEELAND_NETWORKS, people, optional),
            ),
            Table("venues", COLUMNS["venues"], tuple(v.row() for v in ZEELAND_VENUES)),
            Table("fixed", COLUMNS["fixed"], fixed),
            Table("travel", COLUMNS["travel"], travel),
            settings_table("zuid", 28),
        ),
    )


# ================================================================= Randstad
# Regio noord: Noord-Holland (Amsterdam and around), Flevoland (Almere).
# Regio midden: Zuid-Holland (Rotterdam, Den Haag, Leiden), Utrecht.
RANDSTAD_TOWNS: dict[str, tuple[tuple[Town, int], ...]] = {
    "ams": (
        (Town("Amsterdam", 52.3676, 4.9041), 12),
        (Town("Amstelveen", 52.3114, 4.8701), 2),
        (Town("Diemen", 52.3391, 4.9627), 1),
        (Town("Zaandam", 52.4420, 4.8292), 2),
        (Town("Haarlem", 52.3874, 4.6462), 2),
        (Town("Almere", 52.3508, 5.2647), 2),
        (Town("Purmerend", 52.5050, 4.9597), 1),
        (Town("Hoofddorp", 52.3061, 4.6907), 1),
    ),
    "rtd": (
        (Town("Rotterdam", 51.9244, 4.4777), 12),
        (Town("Schiedam", 51.9192, 4.3989), 2),
        (Town("Vlaardingen", 51.9125, 4.3417), 1),
        (Town("Capelle aan den IJssel", 51.9292, 4.5778), 2),
        (Town("Barendrecht", 51.8567, 4.5347), 1),
        (Town("Spijkenisse", 51.8450, 4.3292), 1),
        (Town("Dordrecht", 51.8133, 4.6901), 2),
        (Town("Krimpen aan den IJssel", 51.9167, 4.5917), 1),
    ),
    "dh": (
        (Town("Den Haag", 52.0705, 4.3007), 12),
        (Town("Delft", 52.0116, 4.3571), 2),
        (Town("Rijswijk", 52.0367, 4.3250), 2),
        (Town("Zoetermeer", 52.0575, 4.4931), 2),
        (Town("Leidschendam", 52.0833, 4.3917), 1),
        (Town("Wassenaar", 52.1450, 4.4000), 1),
        (Town("Leiden", 52.1601, 4.4970), 2),
        (Town("Naaldwijk", 51.9933, 4.2083), 1),
    ),
    "utr": (
        (Town("Utrecht", 52.0907, 5.1214), 12),
        (Town("Nieuwegein", 52.0292, 5.0806), 2),
        (Town("Zeist", 52.0894, 5.2333), 2),
        (Town("Houten", 52.0283, 5.1681), 1),
        (Town("IJsselstein", 52.0200, 5.0428), 1),
        (Town("Maarssen", 52.1350, 5.0417), 1),
        (Town("De Bilt", 52.1100, 5.1806), 1),
        (Town("Woerden", 52.0858, 4.8833), 1),
    ),
}
RANDSTAD_PEOPLE = {"ams": 56, "rtd": 55, "dh": 52, "utr": 46}  # 209 in all
RANDSTAD_AREAS = {
    "ams": (
        "Amsterdam", "Amsterdam-Noord", "Amsterdam Nieuw-West", "Amsterdam-Zuidoost",
        "Amstelland", "Zaanstreek", "Haarlem", "Almere", "Waterland",
    ),
    "rtd": (
        "Rotterdam", "Rotterdam-Zuid", "Rijnmond", "Delfshaven", "Kralingen", "Schiedam",
        "Vlaardingen", "Capelle", "Drechtsteden",
    ),
    "dh": (
        "Den Haag", "Haaglanden", "Scheveningen", "Den Haag Zuidwest", "Delft", "Rijswijk",
        "Zoetermeer", "Westland", "Leiden",
    ),
    "utr": (
        "Utrecht", "Utrecht-Overvecht", "Leidsche Rijn", "Nieuwegein", "Zeist", "Houten",
        "Lekstroom", "De Bilt", "Stichtse Vecht",
    ),
}  # fmt: skip
BOARD_KINDS = {
    "po": (
        "Stichting Openbaar Primair Onderwijs",
        "Stichting Katholiek Primair Onderwijs",
        "Stichting Protestants-Christelijk Basisonderwijs",
        "Stichting Islamitisch Primair Onderwijs",
        "Stichting Montessori- en Daltonscholen",
        "Stichting Vrijescholen",
        "Stichting Kindcentra",
        "Vereniging Christelijk Basisonderwijs",
        "Stichting Interconfessioneel Primair Onderwijs",
    ),
    "vo": (
        "Stichting Voortgezet Onderwijs",
        "Stichting Lyceum",
        "Stichting Scholengroep",
        "Stichting Christelijk Voortgezet Onderwijs",
        "Stichting Openbaar Voortgezet Onderwijs",
        "Stichting Praktijkonderwijs",
    ),
    "so": (
        "Stichting Speciaal Onderwijs",
        "Stichting Expertisecentrum Speciaal Onderwijs",
        "Coöperatie Passend Onderwijs",
    ),
}

RANDSTAD_VENUES = (
    VenueSpec(
        "ams-zuidas",
        "Congrescentrum Zuidas, zaal Amstel",
        "Gustav Mahlerplein 40, 1082 MA Amsterdam",
        Town("Amsterdam-Zuidas", 52.3383, 4.8728),
        capacity=30,
        rooms=2,
        cost=150,
    ),
    VenueSpec(
        "ams-nw",
        "Onderwijshuis Nieuw-West",
        "Osdorpplein 120, 1068 EV Amsterdam",
        Town("Amsterdam-Osdorp", 52.3583, 4.7969),
        capacity=25,
        close="16:30",
        unavailable="2027-12-13..2027-12-17;2028-05-22",
    ),
    VenueSpec(
        "rtd-kvz",
        "Kennishuis Kop van Zuid",
        "Wilhelminakade 60, 3072 AR Rotterdam",
        Town("Rotterdam-Kop van Zuid", 51.9064, 4.4889),
        capacity=30,
        rooms=2,
        cost=100,
    ),
    VenueSpec(
        "rtd-alex",
        "Bestuursbureau Prins Alexander, vergaderzaal",
        "Hesseplaats 5, 3069 EA Rotterdam",
        Town("Rotterdam-Alexander", 51.9517, 4.5533),
        capacity=20,
    ),
    VenueSpec(
        "dh-centrum",
        "Haags Onderwijshuis, Spuizaal",
        "Spui 70, 2511 BT Den Haag",
        Town("Den Haag-Centrum", 52.0789, 4.3140),
        capacity=30,
        rooms=2,
    ),
    VenueSpec(
        "dh-ypenburg",
        "Regionaal Onderwijscentrum Ypenburg",
        "Laan van Hoornwijck 55, 2497 GT Den Haag",
        Town("Den Haag-Ypenburg", 52.0400, 4.3700),
        capacity=20,
        unavailable="2028-03-06..2028-03-10",
    ),
    VenueSpec(
        "utr-cs",
        "Onderwijscentrum Stationsgebied, zaal Domstad",
        "Croeselaan 18, 3521 BJ Utrecht",
        Town("Utrecht-Centrum", 52.0894, 5.1100),
        capacity=40,
        rooms=3,
        cost=200,
    ),
    VenueSpec(
        "utr-lr",
        "Kindcentrum Leidsche Rijn, vergaderzaal",
        "Brederoplein 3, 3541 NH Utrecht",
        Town("Utrecht-Leidsche Rijn", 52.0900, 5.0570),
        capacity=24,
        open="09:30",
    ),
    VenueSpec(
        "leiden",
        "Zalencentrum Rijnland",
        "Stationsplein 12, 2312 AJ Leiden",
        Town("Leiden", 52.1601, 4.4970),
        capacity=30,
        weekdays="ma;di;wo;do",
        cost=125,
    ),
)

# tags: the cities whose people may join, then sector tags (po vo so, all).
RANDSTAD_NETWORKS = (
    NetSpec("ams-swv-po", "Samenwerkingsverband Passend Primair Onderwijs Amsterdam-Diemen",
            6, 120, 35, venues=("ams-zuidas", "ams-nw"), region="noord", tags=("ams", "po", "so")),
    NetSpec("ams-swv-vo", "Samenwerkingsverband VO Amsterdam-Diemen", 6, 90, 28,
            venues=("ams-zuidas", "ams-nw"), region="noord", tags=("ams", "vo", "so")),
    NetSpec("ams-gka", "Gelijke Kansen Alliantie Amsterdam Nieuw-West", 5, 120, 35,
            venues=("ams-nw", "ams-zuidas"), region="noord", tags=("ams", "all")),
    NetSpec("ams-rea", "Regionale Educatieve Agenda Amsterdam", 5, 90, 35,
            venues=("ams-zuidas", "ams-nw"), region="noord", tags=("ams", "all")),
    NetSpec("ams-oab", "OAB-overleg Amsterdam (voor- en vroegschoolse educatie)", 6, 60, 28,
            weekdays="ma;wo", venues=("ams-nw", "ams-zuidas"), region="noord",
            tags=("ams", "po")),
    NetSpec("ams-stt", "Sterk Techniekonderwijs Amsterdam-Zaanstreek", 4, 150, 42,
            venues=("ams-zuidas", "ams-nw"), region="noord", tags=("ams", "vo")),
    NetSpec("ams-ral", "Regionale Aanpak Lerarentekort Amsterdam", 6, 90, 28,
            venues=("ams-zuidas", "ams-nw"), region="noord", tags=("ams", "all")),
    NetSpec("rtd-swv-po", "Samenwerkingsverband Passend Onderwijs PO Rotterdam", 6, 120, 35,
            venues=("rtd-kvz", "rtd-alex"), tags=("rtd", "po", "so")),
    NetSpec("rtd-swv-vo", "Samenwerkingsverband VO Rotterdam-Zuid", 6, 90, 28,
            venues=("rtd-kvz", "rtd-alex"), tags=("rtd", "vo", "so")),
    NetSpec("rtd-gka", "Gelijke Kansen Alliantie Rotterdam-Zuid", 5, 120, 35,
            venues=("rtd-kvz", "rtd-alex"), tags=("rtd", "all")),
    NetSpec("rtd-rea", "Regionale Educatieve Agenda Rotterdam", 5, 90, 35,
            venues=("rtd-kvz", "rtd-alex"), tags=("rtd", "all")),
    NetSpec("rtd-oab", "OAB-overleg Rotterdam", 8, 60, 21, latest="12:30",
            venues=("rtd-alex", "rtd-kvz"), tags=("rtd", "po")),
    NetSpec("rtd-stt", "Sterk Techniekonderwijs Rijnmond", 4, 150, 42,
            venues=("rtd-kvz", "rtd-alex"), tags=("rtd", "vo")),
    NetSpec("rtd-ikc", "Netwerk Kindcentra Rotterdam", 5, 90, 35, weekdays="di;do",
            venues=("rtd-alex", "rtd-kvz"), tags=("rtd", "po")),
    NetSpec("dh-swv-po", "Samenwerkingsverband Passend Onderwijs PO Haaglanden", 6, 120, 35,
            venues=("dh-centrum", "dh-ypenburg"), tags=("dh", "po", "so")),
    NetSpec("dh-swv-vo", "Samenwerkingsverband VO Den Haag", 6, 90, 28,
            venues=("dh-centrum", "dh-ypenburg"), tags=("dh", "vo", "so")),
    NetSpec("dh-gka", "Gelijke Kansen Alliantie Den Haag Zuidwest", 5, 120, 35,
            venues=("dh-ypenburg", "dh-centrum"), tags=("dh", "all")),
    NetSpec("dh-rea", "Regionale Educatieve Agenda Haaglanden", 5, 90, 35,
            venues=("dh-centrum", "dh-ypenburg"), tags=("dh", "all")),
    NetSpec("dh-oab", "OAB-overleg Den Haag", 7, 75, 28,
            venues=("dh-centrum", "dh-ypenburg"), tags=("dh", "po")),
    NetSpec("dh-stt", "Sterk Techniekonderwijs Haaglanden", 4, 150, 42, weekdays="di;wo;do",
            venues=("dh-centrum", "dh-ypenburg"), tags=("dh", "vo")),
    NetSpec("utr-swv-po", "Samenwerkingsverband Passend Onderwijs PO Utrecht", 6, 120, 35,
            venues=("utr-cs", "utr-lr"), tags=("utr", "po", "so")),
    NetSpec("utr-swv-vo", "Samenwerkingsverband VO Utrecht", 6, 90, 28,
            venues=("utr-cs", "utr-lr"), tags=("utr", "vo", "so")),
    NetSpec("utr-gka", "Gelijke Kansen Alliantie Utrecht Overvecht", 5, 120, 35,
            weekdays="ma;di;do", venues=("utr-lr", "utr-cs"), tags=("utr", "all")),
    NetSpec("utr-rea", "Regionale Educatieve Agenda Utrecht", 5, 90, 35, earliest="13:00",
            venues=("utr-cs", "utr-lr"), tags=("utr", "all")),
    NetSpec("utr-stt", "Sterk Techniekonderwijs Utrecht", 4, 150, 42,
            venues=("utr-cs", "utr-lr"), tags=("utr", "vo")),
    NetSpec("g4-gka", "G4-overleg Gelijke Kansen", 4, 120, 42, venues=("utr-cs", "leiden"),
            tags=("ams", "rtd", "dh", "utr", "all")),
    NetSpec("rs-ral", "Randstedelijk Overleg Lerarentekort", 5, 105, 35,
            venues=("utr-cs", "ams-zuidas"), tags=("ams", "utr", "all")),
    NetSpec("zh-stt", "Sterk Techniekonderwijs Zuid-Holland", 4, 120, 42,
            venues=("rtd-kvz", "dh-centrum", "leiden"), tags=("rtd", "dh", "vo")),
    NetSpec("rs-kpo", "Kenniskring Passend Onderwijs Randstad", 4, 90, 42,
            venues=("utr-cs", "leiden", "rtd-kvz"), tags=("ams", "rtd", "dh", "utr", "so")),
)  # fmt: skip
CITIES = ("ams", "rtd", "dh", "utr")


def _weight(spec: NetSpec, city: str, sector: str) -> float:
    """How strongly someone of ``city`` and ``sector`` is drawn to ``spec`` (0: never)."""
    cities = [t for t in spec.tags if t in CITIES]
    if city not in cities:
        return 0.0
    match = sector in spec.tags or "all" in spec.tags
    base = 4.0 if match else 0.6
    return base * (0.5 if len(cities) > 1 else 1.0)


def build_randstad() -> Sample:
    """Partial overlap: 29 networks, 209 people in four city clusters plus cross-city networks."""
    rng = random.Random(2028)
    names = NameMaker(rng, FIRST_NAMES + RANDSTAD_FIRST, SURNAMES + RANDSTAD_SURNAMES)
    people: list[PersonRec] = []
    sectors = ("po", "vo", "so")
    for city in CITIES:
        towns = [t for t, _ in RANDSTAD_TOWNS[city]]
        weights = [w for _, w in RANDSTAD_TOWNS[city]]
        for _ in range(RANDSTAD_PEOPLE[city]):
            sector = rng.choices(sectors, weights=(60, 30, 10))[0]
            board = f"{rng.choice(BOARD_KINDS[sector])} {rng.choice(RANDSTAD_AREAS[city])}"
            full, email = names.draw()
            people.append(
                PersonRec(
                    id=f"p{len(people) + 1:03d}",
                    name=full,
                    organisation=board,
                    email=email,
                    town=rng.choices(towns, weights=weights)[0],
                    tags=(city, sector),
                )
            )
    specs = RANDSTAD_NETWORKS
    ids = [s.id for s in specs]
    for p in people:
        k = rng.choices((1, 2, 3, 4), weights=(32, 33, 22, 13))[0]
        pull = [_weight(s, p.tags[0], p.tags[1]) for s in specs]
        pool = [(i, w) for i, w in zip(ids, pull, strict=True) if w > 0]
        chosen = weighted_sample(rng, [i for i, _ in pool], [w for _, w in pool], k)
        p.networks = [n for n in ids if n in chosen]
    _repair_sizes(rng, specs, people, low=8, high=25, most=4)
    optional: set[tuple[str, str]] = set()
    for spec in specs:
        members = [p for p in people if spec.id in p.networks]
        for p in rng.sample(members, 1 if len(members) < 15 else 2):
            optional.add((spec.id, p.id))
    for pid, text in (
        ("p007", "2027-11-08..2027-11-12"),
        ("p071", "2028-02-14;2028-02-15"),
        ("p130", "2028-04-03..2028-04-07"),
        ("p188", "2027-09-20;2028-06-26..2028-06-30"),
    ):
        people[int(pid[1:]) - 1].unavailable = text
    size = sizes(specs, people)
    networks = tuple(network_row(s, size[s.id], RANDSTAD_VENUES) for s in specs)
    fixed: tuple[tuple[Cell, ...], ...] = (
        ("g4-gka", "2027-10-07", "10:00", "utr-cs"),
        ("ams-rea", "2028-01-18", "14:00", "ams-zuidas"),
    )
    almere = next(p for p in people if p.town.name == "Almere")
    travel: tuple[tuple[Cell, ...], ...] = (
        # the two Rotterdam venues: across the Maas, through the city
        ("rtd-kvz", "rtd-alex", 12.5, 25),
        # Almere to the Zuidas: the A1/A10 in the morning rush
        (almere.id, "ams-zuidas", 31.8, 45),
    )
    return Sample(
        name="randstad",
        target="randstad",
        tables=(
            Table("networks", COLUMNS["networks"], networks),
            Table("people", COLUMNS["people"], tuple(p.row() for p in people)),
            Table("memberships", COLUMNS["memberships"], membership_rows(specs, people, optional)),
            Table("venues", COLUMNS["venues"], tuple(v.row() for v in RANDSTAD_VENUES)),
            Table("fixed", COLUMNS["fixed"], fixed),
            Table("travel", COLUMNS["travel"], travel),
            settings_table("midden", 28),
        ),
        delimiter=";",
        encoding="cp1252",
        decimal_comma=True,
    )


def _repair_sizes(
    rng: random.Random,
    specs: Sequence[NetSpec],
    people: list[PersonRec],
    *,
    low: int,
    high: int,
    most: int,
) -> None:
    """Bring every network to ``low``..``high`` members, nobody above ``most`` networks.

    Too large: drop the members with the most other networks (never someone's
    last network). Too small: add the eligible people with the fewest networks,
    those the network attracts most first.
    """
    for spec in specs:
        members = [p for p in people if spec.id in p.networks]
        rng.shuffle(members)
        members.sort(key=lambda p: -len(p.networks))
        while len(members) > high:
            p = members.pop(0)
            if len(p.networks) < 2:
                raise ValueError(f"{spec.id}: cannot shrink to {high}")
            p.networks.remove(spec.id)
        if len(members) < low:
            pool = [
                p
                for p in people
                if spec.id not in p.networks
                and len(p.networks) < most
                and _weight(spec, p.tags[0], p.tags[1]) > 0
            ]
            rng.shuffle(pool)
            pool.sort(key=lambda p: (-_weight(spec, p.tags[0], p.tags[1]), len(p.networks)))
            order = [s.id for s in specs]
            for p in pool[: low - len(members)]:
                p.networks = [n for n in order if n in p.networks or n == spec.id]


# =============================================================== Achterhoek
ACHTERHOEK_TOWNS = {
    t.name: t
    for t in (
        Town("Doetinchem", 51.9650, 6.2886),
        Town("Winterswijk", 51.9725, 6.7194),
        Town("Aalten", 51.9250, 6.5806),
        Town("Lichtenvoorde", 51.9867, 6.5667),
        Town("Groenlo", 52.0417, 6.6167),
        Town("Eibergen", 52.1000, 6.6500),
        Town("Borculo", 52.1158, 6.5211),
        Town("Ruurlo", 52.0883, 6.4500),
        Town("Lochem", 52.1594, 6.4111),
        Town("Vorden", 52.1050, 6.3142),
        Town("Zelhem", 52.0067, 6.3467),
        Town("Terborg", 51.9200, 6.3533),
        Town("Ulft", 51.8942, 6.3800),
        Town("Dinxperlo", 51.8633, 6.4900),
        Town("Neede", 52.1342, 6.6139),
        Town("'s-Heerenberg", 51.8767, 6.2458),
        Town("Enschede", 52.2215, 6.8937),
        Town("Hengelo", 52.2658, 6.7931),
        Town("Almelo", 52.3567, 6.6625),
        Town("Oldenzaal", 52.3133, 6.9286),
        Town("Haaksbergen", 52.1567, 6.7389),
        Town("Borne", 52.3000, 6.7500),
        Town("Rijssen", 52.3100, 6.5200),
        Town("Goor", 52.2333, 6.5833),
        Town("Delden", 52.2608, 6.7181),
        Town("Losser", 52.2608, 7.0050),
        Town("Tubbergen", 52.4067, 6.7842),
        Town("Vriezenveen", 52.4083, 6.6222),
        Town("Nijverdal", 52.3600, 6.4639),
    )
}
ACHTERHOEK_AREA_TOWNS = {
    "ach": (
        "Doetinchem", "Winterswijk", "Aalten", "Lichtenvoorde", "Groenlo", "Eibergen",
        "Borculo", "Ruurlo", "Lochem", "Vorden", "Zelhem", "Terborg", "Ulft", "Dinxperlo",
        "Neede", "'s-Heerenberg",
    ),
    "twe": (
        "Enschede", "Hengelo", "Almelo", "Oldenzaal", "Haaksbergen", "Borne", "Rijssen",
        "Goor", "Delden", "Losser", "Tubbergen", "Vriezenveen", "Nijverdal",
    ),
}  # fmt: skip
ACHTERHOEK_VENUES = (
    VenueSpec(
        "doetinchem",
        "Onderwijscentrum Achterhoek",
        "Terborgseweg 20, 7001 EB Doetinchem",
        ACHTERHOEK_TOWNS["Doetinchem"],
        capacity=20,
        rooms=2,
    ),
    VenueSpec(
        "winterswijk",
        "Raadhuis Winterswijk, commissiekamer",
        "Markt 8, 7101 BZ Winterswijk",
        ACHTERHOEK_TOWNS["Winterswijk"],
        capacity=16,
        weekdays="mon;tue;wed;thu",
        unavailable="2027-11-01..2027-11-05",
    ),
    VenueSpec(
        "borculo",
        "Zalencentrum De Berkel",
        "Burgemeester Bloemersstraat 2, 7271 DC Borculo",
        ACHTERHOEK_TOWNS["Borculo"],
        capacity=24,
        cost=80,
    ),
    VenueSpec(
        "enschede",
        "Onderwijsbureau Twente",
        "Hengelosestraat 75, 7514 AE Enschede",
        ACHTERHOEK_TOWNS["Enschede"],
        capacity=20,
        rooms=2,
    ),
    VenueSpec(
        "hengelo",
        "Techniekhuis Hengelo",
        "Industrieplein 4, 7553 LL Hengelo",
        ACHTERHOEK_TOWNS["Hengelo"],
        capacity=18,
        open="08:30",
        close="17:00",
    ),
    VenueSpec(
        "almelo",
        "Bestuurskantoor Stichting Openbaar Onderwijs Almelo, vergaderzaal",
        "Wierdensestraat 11, 7607 GE Almelo",
        ACHTERHOEK_TOWNS["Almelo"],
        capacity=16,
        unavailable="2028-02-07;2028-06-19..2028-06-23",
    ),
)
# tags: the area its members come from
ACHTERHOEK_NETWORKS = (
    NetSpec("ach-swv-po", "Samenwerkingsverband Passend Onderwijs PO Achterhoek", 6, 120, 35,
            venues=("doetinchem", "winterswijk"), tags=("ach",)),
    NetSpec("ach-swv-vo", "Samenwerkingsverband VO Achterhoek", 5, 90, 35,
            venues=("doetinchem",), tags=("ach",)),
    NetSpec("ach-stt", "Sterk Techniekonderwijs Achterhoek", 4, 150, 42, earliest="12:30",
            venues=("doetinchem", "winterswijk", "borculo"), tags=("ach",)),
    NetSpec("ach-rea", "Regionale Educatieve Agenda Achterhoek", 5, 90, 35,
            venues=("doetinchem", "borculo"), tags=("ach",)),
    NetSpec("twe-swv-po", "Samenwerkingsverband Passend Onderwijs PO Enschede-Haaksbergen",
            6, 120, 35, venues=("enschede",), region="noord", tags=("twe",)),
    NetSpec("twe-swv-vo", "Samenwerkingsverband VO Twente", 6, 90, 28, weekdays="tue;thu",
            venues=("hengelo", "enschede"), region="noord", tags=("twe",)),
    NetSpec("twe-stt", "Sterk Techniekonderwijs Twente", 4, 120, 42,
            venues=("hengelo",), region="noord", tags=("twe",)),
    NetSpec("twe-oab", "OAB-overleg Almelo", 7, 60, 21, latest="12:00",
            venues=("almelo", "hengelo"), region="noord", tags=("twe",)),
    NetSpec("grens", "Grensoverleg Onderwijs Achterhoek-Twente", 4, 120, 42,
            venues=("borculo",), tags=("ach", "twe")),
)  # fmt: skip
ACHTERHOEK_SIZES = {
    "ach-swv-po": 14,
    "ach-swv-vo": 9,
    "ach-stt": 12,
    "ach-rea": 13,
    "twe-swv-po": 12,
    "twe-swv-vo": 10,
    "twe-stt": 11,
    "twe-oab": 8,
    "grens": 10,
}
# (network, network it borrows members from, how many)
ACHTERHOEK_SHARED = (
    ("ach-rea", "ach-swv-po", 2),
    ("ach-stt", "ach-swv-vo", 2),
    ("twe-stt", "twe-swv-vo", 2),
    ("grens", "ach-rea", 1),
    ("grens", "twe-swv-po", 1),
)
ACHTERHOEK_BOARDS = {
    "ach": (
        "Stichting Openbaar Onderwijs Achterhoek",
        "Stichting Katholiek Onderwijs Oost-Gelderland",
        "Stichting Christelijk Primair Onderwijs Berkelland",
        "Stichting Scholengroep Oude IJssel",
        "Stichting Voortgezet Onderwijs Achterhoek",
        "Stichting Kindcentra Winterswijk",
        "Stichting Samenwerkingsscholen Montferland",
        "Vereniging Protestants-Christelijk Onderwijs Aalten",
    ),
    "twe": (
        "Stichting Openbaar Onderwijs Enschede",
        "Stichting Katholiek Onderwijs Twente",
        "Stichting Christelijk Onderwijs Hengelo",
        "Stichting Scholengemeenschap Twente-Midden",
        "Stichting Openbaar Onderwijs Almelo",
        "Stichting Primair Onderwijs Noordoost-Twente",
        "Stichting Voortgezet Onderwijs Oldenzaal",
        "Stichting Speciaal Onderwijs Twente",
    ),
}


def build_achterhoek() -> Sample:
    """Low overlap: 9 networks in the Achterhoek and Twente that hardly share members."""
    rng = random.Random(2029)
    names = NameMaker(rng, FIRST_NAMES, OOST_SURNAMES + SURNAMES[:10])
    people: list[PersonRec] = []
    by_network: dict[str, list[PersonRec]] = {}
    borrowed = Counter[str]()
    for net, _, count in ACHTERHOEK_SHARED:
        borrowed[net] += count
    for spec in ACHTERHOEK_NETWORKS:
        members: list[PersonRec] = []
        for source, donor, count in ACHTERHOEK_SHARED:
            if source == spec.id:
                candidates = [p for p in by_network[donor] if p not in members]
                for p in rng.sample(candidates, count):
                    p.networks.append(spec.id)
                    members.append(p)
        for _ in range(ACHTERHOEK_SIZES[spec.id] - borrowed[spec.id]):
            area = rng.choice(spec.tags)
            town = ACHTERHOEK_TOWNS[rng.choice(ACHTERHOEK_AREA_TOWNS[area])]
            full, email = names.draw()
            p = PersonRec(
                id=f"p{len(people) + 1:02d}",
                name=full,
                organisation=rng.choice(ACHTERHOEK_BOARDS[area]),
                email=email,
                town=town,
                tags=(area,),
                networks=[spec.id],
            )
            people.append(p)
            members.append(p)
        by_network[spec.id] = members
    optional = {
        ("ach-swv-po", by_network["ach-swv-po"][-1].id),
        ("twe-swv-vo", by_network["twe-swv-vo"][-1].id),
        ("grens", by_network["grens"][-1].id),
    }
    for pid, text in (("p05", "2027-09-27..2027-10-01"), ("p44", "2028-01-17;2028-05-29")):
        people[int(pid[1:]) - 1].unavailable = text
    size = sizes(ACHTERHOEK_NETWORKS, people)
    networks = tuple(network_row(s, size[s.id], ACHTERHOEK_VENUES) for s in ACHTERHOEK_NETWORKS)
    fixed: tuple[tuple[Cell, ...], ...] = (("ach-rea", "2027-09-21", "14:00", "doetinchem"),)
    return Sample(
        name="achterhoek",
        target="achterhoek",
        tables=(
            Table("networks", COLUMNS["networks"], networks),
            Table("people", COLUMNS["people"], tuple(p.row() for p in people)),
            Table(
                "memberships",
                COLUMNS["memberships"],
                membership_rows(ACHTERHOEK_NETWORKS, people, optional),
            ),
            Table("venues", COLUMNS["venues"], tuple(v.row() for v in ACHTERHOEK_VENUES)),
            Table("fixed", COLUMNS["fixed"], fixed),
            settings_table("midden", 28),
        ),
    )


# ================================================================== veluwe
# Places instead of coordinates (contract v1.1): people and venues give only `place`.
VELUWE_PLACES = (
    "Apeldoorn", "Ede", "Harderwijk", "Barneveld", "Ermelo", "Nunspeet", "Epe", "Elburg",
    "Nijkerk", "Putten, Gelderland", "Voorthuizen", "Wageningen", "Lunteren", "Twello",
    "Heerde", "Vaassen", "Hattem", "Oldebroek",
)  # fmt: skip
VELUWE_BOARDS = (
    "Stichting Openbaar Primair Onderwijs Apeldoorn",
    "Stichting Christelijk Onderwijs Noord-Veluwe",
    "Stichting Katholiek Onderwijs Veluwe",
    "Stichting Scholengroep Ede",
    "Vereniging Gereformeerd Onderwijs Barneveld",
    "Stichting Voortgezet Onderwijs Harderwijk",
)
VELUWE_COLUMNS = {
    "people": ("id", "name", "organisation", "email", "place", "unavailable"),
    "venues": (
        "id", "name", "address", "place", "capacity", "rooms", "weekdays", "open", "close",
        "unavailable", "cost",
    ),
}  # fmt: skip
VELUWE_VENUES = (
    # id, name, address, place, capacity, rooms, weekdays, unavailable
    ("apeldoorn", "Onderwijshuis Apeldoorn", "Deventerstraat 40, 7321 CD Apeldoorn",
     "Apeldoorn", 20, 2, None, "2027-12-20..2027-12-24"),
    ("ede", "Bestuurscentrum De Vallei", "Stationsweg 9, 6711 PJ Ede", "Ede", 16, 1,
     "mon;tue;wed;thu", None),
    ("harderwijk", "Zalencentrum Het Strand", "Strandboulevard 2, 3841 AB Harderwijk",
     "Harderwijk", 14, 1, None, None),
)  # fmt: skip
# network spec, then how many members of its own and how many it shares with the networks before
VELUWE_NETWORKS = (
    (NetSpec("vel-swv-po", "Samenwerkingsverband Passend Onderwijs PO Noord-Veluwe", 5, 120, 35,
             venues=("harderwijk", "apeldoorn")), 10, 0),
    (NetSpec("vel-swv-vo", "Samenwerkingsverband VO Apeldoorn-Epe", 5, 90, 35,
             venues=("apeldoorn",)), 7, 2),
    (NetSpec("vel-rea", "Regionale Educatieve Agenda Veluwe", 4, 120, 42), 6, 6),
    (NetSpec("vel-oab", "OAB-overleg Ede-Barneveld", 6, 60, 28, latest="12:30",
             venues=("ede",)), 7, 2),
)  # fmt: skip


def build_veluwe() -> Sample:
    """Places only: 4 Veluwe networks whose people and venues give a town, no coordinates."""
    rng = random.Random(2031)
    names = NameMaker(rng, FIRST_NAMES, SURNAMES)
    people: list[PersonRec] = []
    for spec, own, shared in VELUWE_NETWORKS:
        before = [p for p in people if spec.id not in p.networks]
        for p in rng.sample(before, shared):
            p.networks.append(spec.id)
        for _ in range(own):
            full, email = names.draw()
            place = rng.choice(VELUWE_PLACES)
            people.append(
                PersonRec(
                    id=f"v{len(people) + 1:02d}",
                    name=full,
                    organisation=rng.choice(VELUWE_BOARDS),
                    email=email,
                    town=Town(place, 0.0, 0.0),
                    tags=(),
                    networks=[spec.id],
                )
            )
    people[3].unavailable = "2027-10-04..2027-10-08"
    specs = tuple(spec for spec, _, _ in VELUWE_NETWORKS)
    venues = tuple(
        VenueSpec(
            i, n, a, Town(place, 0.0, 0.0), cap, rooms, weekdays=wd or "", unavailable=u or ""
        )
        for i, n, a, place, cap, rooms, wd, u in VELUWE_VENUES
    )
    size = sizes(specs, people)
    optional = {("vel-rea", [p for p in people if "vel-rea" in p.networks][-1].id)}
    return Sample(
        name="veluwe",
        target="veluwe",
        tables=(
            Table(
                "networks",
                COLUMNS["networks"],
                tuple(network_row(s, size[s.id], venues) for s in specs),
            ),
            Table(
                "people",
                VELUWE_COLUMNS["people"],
                tuple(
                    (p.id, p.name, p.organisation, p.email, p.town.name, p.unavailable or None)
                    for p in people
                ),
            ),
            Table("memberships", COLUMNS["memberships"], membership_rows(specs, people, optional)),
            Table(
                "venues",
                VELUWE_COLUMNS["venues"],
                tuple(
                    (
                        v.id,
                        v.name,
                        v.address,
                        v.town.name,
                        v.capacity,
                        v.rooms,
                        v.weekdays or None,
                        None,
                        None,
                        v.unavailable or None,
                        None,
                    )
                    for v in venues
                ),
            ),
            settings_table("midden", 28),
        ),
        delimiter=";",
    )


def build_all() -> tuple[Sample, ...]:
    """The four samples, in the order of the README."""
    return (build_zeeland(), build_randstad(), build_achterhoek(), build_veluwe())


# ============================================================= to a Problem
WEEKDAY_INDEX = {n: i for i, n in enumerate(WEEKDAY_NAMES)} | {
    n: i for i, n in enumerate(WEEKDAY_NAMES_NL)
}


def parse_weekdays(text: str) -> frozenset[int]:
    """``"di;do"`` or ``"tue;thu"`` -> ``frozenset({1, 3})``."""
    return frozenset(WEEKDAY_INDEX[part.strip().lower()] for part in text.split(";"))


def parse_time(text: str) -> int:
    """``"13:30"`` -> 810 minutes after midnight."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def parse_dates(text: str) -> frozenset[date]:
    """``"2027-10-11..2027-10-13;2028-01-05"`` -> the four dates."""
    out: set[date] = set()
    for part in text.split(";"):
        first, _, last = part.strip().partition("..")
        a = date.fromisoformat(first)
        b = date.fromisoformat(last) if last else a
        out |= {a + timedelta(days=i) for i in range((b - a).days + 1)}
    return frozenset(out)


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell)


def _located(record: dict[str, Cell]) -> dict[str, Any]:
    """``lat``, ``lon`` and ``place`` of a people or venues record (contract v1.1)."""
    if record.get("lat") is not None:
        return {"lat": float(_text(record["lat"])), "lon": float(_text(record["lon"]))}
    place = _text(record["place"])
    found = resolve(place)
    return {"lat": found.lat, "lon": found.lon, "place": place}


def to_problem(sample: Sample) -> Problem:
    """Build the :class:`Problem` a contract-following reader makes of ``sample``.

    Independent of :mod:`planner.read`: it works on the typed cells and fills
    in the contract's defaults itself.
    """
    raw = {str(r["key"]): r["value"] for r in sample.records("settings")}
    known = {"start", "end", "region", "min_gap_days", "time_limit", "seed", "language"}
    if set(raw) - known:
        raise ValueError(f"to_problem does not handle settings {sorted(set(raw) - known)}")
    settings = Settings(
        start=date.fromisoformat(_text(raw["start"])),
        end=date.fromisoformat(_text(raw["end"])),
        region=_text(raw.get("region", "midden")),
        min_gap_days=int(_text(raw.get("min_gap_days", 21))),
        time_limit=float(_text(raw.get("time_limit", 60))),
        seed=int(_text(raw.get("seed", 0))),
        language=_text(raw.get("language", "nl")),
    )
    venues = tuple(
        Venue(
            id=_text(r["id"]),
            name=_text(r["name"]),
            address=_text(r["address"]),
            **_located(r),
            capacity=int(_text(r["capacity"])),
            rooms=int(_text(r["rooms"])) if r["rooms"] is not None else 1,
            weekdays=parse_weekdays(_text(r["weekdays"])) if r["weekdays"] else settings.weekdays,
            open=parse_time(_text(r["open"])) if r["open"] else settings.day_start,
            close=parse_time(_text(r["close"])) if r["close"] else settings.day_end,
            unavailable=parse_dates(_text(r["unavailable"])) if r["unavailable"] else frozenset(),
            cost=float(_text(r["cost"])) if r["cost"] is not None else 0.0,
        )
        for r in sample.records("venues")
    )
    all_venues = tuple(v.id for v in venues)
    networks = tuple(
        Network(
            id=_text(r["id"]),
            name=_text(r["name"]),
            meetings=int(_text(r["meetings"])),
            duration=int(_text(r["duration"])),
            min_gap_days=int(_text(r["min_gap_days"]))
            if r["min_gap_days"] is not None
            else settings.min_gap_days,
            weekdays=parse_weekdays(_text(r["weekdays"])) if r["weekdays"] else settings.weekdays,
            earliest=parse_time(_text(r["earliest"])) if r["earliest"] else settings.day_start,
            latest=parse_time(_text(r["latest"])) if r["latest"] else settings.day_end,
            venues=tuple(_text(r["venues"]).split(";")) if r["venues"] else all_venues,
            region=_text(r["region"]) or settings.region,
        )
        for r in sample.records("networks")
    )
    people = tuple(
        Person(
            id=_text(r["id"]),
            name=_text(r["name"]),
            organisation=_text(r["organisation"]),
            email=_text(r["email"]),
            **_located(r),
            unavailable=parse_dates(_text(r["unavailable"])) if r["unavailable"] else frozenset(),
        )
        for r in sample.records("people")
    )
    memberships = tuple(
        Membership(_text(r["network"]), _text(r["person"]), Role(_text(r["role"]) or "required"))
        for r in sample.records("memberships")
    )
    fixed = tuple(
        FixedMeeting(
            network=_text(r["network"]),
            date=date.fromisoformat(_text(r["date"])),
            start=parse_time(_text(r["start"])),
            venue=_text(r["venue"]),
        )
        for r in sample.records("fixed")
    )
    travel = tuple(
        TravelOverride(
            origin=_text(r["from"]),
            destination=_text(r["to"]),
            km=float(_text(r["km"])),
            minutes=float(_text(r["minutes"])) if r["minutes"] is not None else None,
        )
        for r in sample.records("travel")
    )
    return Problem(
        settings=settings,
        networks=networks,
        people=people,
        venues=venues,
        memberships=memberships,
        fixed=fixed,
        travel=travel,
    )


# ============================================================ verification
def _first_start(problem: Problem, network: Network, venue: Venue) -> int | None:
    """Earliest grid start of ``network`` at ``venue`` that fits both windows, or None."""
    s = problem.settings
    lo = max(network.earliest, venue.open)
    start = s.day_start + -(-(lo - s.day_start) // s.slot) * s.slot
    if start + network.duration <= min(network.latest, venue.close):
        return start
    return None


def fit_dates(problem: Problem, network_id: str) -> tuple[date, ...]:
    """Candidate dates of a network at a venue whose hours hold one of its meetings."""
    net = problem.network_by_id[network_id]
    venues = [
        v
        for v in (problem.venue_by_id[i] for i in net.venues)
        if _first_start(problem, net, v) is not None
    ]
    return tuple(
        d for d in candidate_dates(problem, network_id) if any(venue_open_on(v, d) for v in venues)
    )


def most_meetings(problem: Problem, network_id: str) -> int:
    """Most meetings of a network that fit its dates and gap around its fixed meetings.

    Fixed meetings are kept; the others are packed greedily into the dates
    at least ``min_gap_days`` away from them. ``-1`` when the fixed
    meetings themselves are closer than the gap.
    """
    net = problem.network_by_id[network_id]
    gap = net.min_gap_days
    days = fit_dates(problem, network_id)
    pinned = sorted({f.date for f in problem.fixed_of(network_id)})
    if any((b - a).days < gap for a, b in itertools.pairwise(pinned)):
        return -1
    bounds: list[tuple[date | None, date | None]] = list(
        zip([None, *pinned], [*pinned, None], strict=True)
    )
    count = len(pinned)
    for lo, hi in bounds:
        segment = tuple(
            d
            for d in days
            if (lo is None or (d - lo).days >= gap) and (hi is None or (hi - d).days >= gap)
        )
        count += max_meetings_possible(segment, gap)
    return count


Placement = tuple[str, date, int, str]


def witness(problem: Problem) -> tuple[list[Placement], list[str]]:
    """A plan that keeps every hard rule, found greedily: proof of feasibility.

    Fixed meetings first; then, network by network (fewest dates first), the
    earliest dates at ``min_gap_days`` from its other meetings on which no
    required member has another meeting, at the first allowed venue that is
    open and not yet used that day, at its earliest start. Each (date, venue)
    and each (required person, date) thus holds one meeting at most, so no
    clash, travel gap, daily cap or room conflict can arise.

    Returns
    -------
    tuple
        The placements ``(network, date, start, venue)`` and, for every
        network the greedy could not complete, a fault message.
    """
    busy_people: dict[date, set[str]] = {}
    busy_venues: dict[date, set[str]] = {}
    placements: list[Placement] = []
    taken: dict[str, list[date]] = {n.id: [] for n in problem.networks}

    def place(net: Network, day: date, start: int, venue: str) -> None:
        placements.append((net.id, day, start, venue))
        taken[net.id].append(day)
        busy_people.setdefault(day, set()).update(problem.required_members(net.id))
        busy_venues.setdefault(day, set()).add(venue)

    for f in problem.fixed:
        place(problem.network_by_id[f.network], f.date, f.start, f.venue)
    faults: list[str] = []
    dates = {n.id: fit_dates(problem, n.id) for n in problem.networks}
    for net in sorted(problem.networks, key=lambda n: (len(dates[n.id]), n.id)):
        members = set(problem.required_members(net.id))
        venues = [problem.venue_by_id[v] for v in net.venues]
        for day in dates[net.id]:
            if len(taken[net.id]) >= net.meetings:
                break
            if any(abs((day - d).days) < net.min_gap_days for d in taken[net.id]):
                continue
            if members & busy_people.get(day, set()):
                continue
            for v in venues:
                start = _first_start(problem, net, v)
                if (
                    start is not None
                    and venue_open_on(v, day)
                    and v.id not in busy_venues.get(day, set())
                ):
                    place(net, day, start, v.id)
                    break
        if len(taken[net.id]) < net.meetings:
            faults.append(f"{net.id}: greedy plan placed {len(taken[net.id])} of {net.meetings}")
    return placements, faults


def verify(problem: Problem) -> list[str]:
    """Faults that would make a sample unplannable or unrealistic (empty when fine)."""
    out: list[str] = witness(problem)[1]
    for net in problem.networks:
        size = len(problem.members(net.id))
        small = [v for v in net.venues if problem.venue_by_id[v].capacity < size]
        if small:
            out.append(f"{net.id}: {size} members do not fit venue(s) {small}")
        most = most_meetings(problem, net.id)
        if most < net.meetings + 1:
            out.append(f"{net.id}: {net.meetings} meetings but at most {most} fit (no slack)")
    seen: dict[date, list[str]] = {}
    for f in problem.fixed:
        net = problem.network_by_id[f.network]
        venue = problem.venue_by_id[f.venue]
        first = _first_start(problem, net, venue)
        if f.venue not in net.venues:
            out.append(f"fixed {f.network}: venue {f.venue} not allowed")
        if f.date not in fit_dates(problem, f.network) or not venue_open_on(venue, f.date):
            out.append(f"fixed {f.network}: {f.date} is not a candidate date at {f.venue}")
        if (
            first is None
            or f.start < first
            or (f.start - problem.settings.day_start) % problem.settings.slot
            or f.start + net.duration > min(net.latest, venue.close)
        ):
            out.append(f"fixed {f.network}: start {f.start} does not fit")
        seen.setdefault(f.date, []).append(f.network)
    out += [f"fixed meetings share {day}: {nets}" for day, nets in seen.items() if len(nets) > 1]
    return out


@dataclass(frozen=True, slots=True)
class Stats:
    """Sizes and overlap of one sample, as the README states them."""

    networks: int
    people: int
    venues: int
    memberships: int
    optional: int
    meetings: int
    fixed: int
    travel: int
    network_sizes: tuple[int, int]
    networks_per_person: tuple[int, int]
    people_by_count: tuple[tuple[int, int], ...]
    min_slack: int


def stats(problem: Problem) -> Stats:
    """Compute the :class:`Stats` of a problem."""
    per_person = Counter(len(problem.networks_of(p.id)) for p in problem.people)
    net_sizes = [len(problem.members(n.id)) for n in problem.networks]
    return Stats(
        networks=len(problem.networks),
        people=len(problem.people),
        venues=len(problem.venues),
        memberships=len(problem.memberships),
        optional=sum(m.role is Role.OPTIONAL for m in problem.memberships),
        meetings=sum(n.meetings for n in problem.networks),
        fixed=len(problem.fixed),
        travel=len(problem.travel),
        network_sizes=(min(net_sizes), max(net_sizes)),
        networks_per_person=(min(per_person), max(per_person)),
        people_by_count=tuple(sorted(per_person.items())),
        min_slack=min(most_meetings(problem, n.id) - n.meetings for n in problem.networks),
    )


# ================================================================ writing
def _format(cell: Cell, decimal_comma: bool) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        text = f"{cell:.4f}".rstrip("0").rstrip(".") if cell != int(cell) else f"{cell:.1f}"
        return text.replace(".", ",") if decimal_comma else text
    return str(cell)


def write_csv_folder(sample: Sample, folder: Path) -> list[Path]:
    """Write each table as ``<name>.csv`` in ``folder``; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in sample.tables:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=sample.delimiter, lineterminator="\r\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([_format(c, sample.decimal_comma) for c in row])
        path = folder / f"{table.name}.csv"
        path.write_bytes(buffer.getvalue().encode(sample.encoding))
        paths.append(path)
    return paths


def workbook_bytes(sample: Sample) -> bytes:
    """The sample as an ``.xlsx`` workbook, byte for byte the same on every run."""
    wb = Workbook()
    wb.remove(wb.active)
    for table in sample.tables:
        ws = wb.create_sheet(table.name)
        ws.append(list(table.columns))
        for row in table.rows:
            ws.append(list(row))
    wb.properties.creator = "dakpan samples/generate.py"
    wb.properties.created = STAMP
    buffer = io.BytesIO()
    wb.save(buffer)
    # openpyxl stamps the save time into docProps/core.xml and the zip entries:
    # replace both by STAMP.
    stamp = STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=STAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def write_sample(sample: Sample, out: Path) -> list[Path]:
    """Write one sample into folder ``out``; return the files written."""
    target = out / sample.target
    if sample.target.endswith(".xlsx"):
        out.mkdir(parents=True, exist_ok=True)
        target.write_bytes(workbook_bytes(sample))
        return [target]
    return write_csv_folder(sample, target)


def main(argv: Sequence[str] | None = None) -> int:
    """Check and write every sample; with ``--check`` only compare to the files on disk."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: here)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    args = parser.parse_args(argv)
    failed = False
    for sample in build_all():
        problem = to_problem(sample)
        faults = verify(problem)
        if faults:
            print(f"{sample.name}: " + "; ".join(faults), file=sys.stderr)
            failed = True
            continue
        st = stats(problem)
        if args.check:
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                for path in write_sample(sample, Path(tmp)):
                    rel = path.relative_to(tmp)
                    on_disk = args.out / rel
                    if not on_disk.exists() or on_disk.read_bytes() != path.read_bytes():
                        print(f"{rel} differs from the generator's output", file=sys.stderr)
                        failed = True
        else:
            write_sample(sample, args.out)
        print(f"{sample.name}: {st}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
