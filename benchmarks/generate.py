"""Generate benchmark inputs: three overlap settings in five sizes, deterministic by seed.

Each input is a CSV folder per the data contract (``networks.csv``,
``people.csv``, ``memberships.csv``, ``venues.csv``, ``settings.csv``) for the
school year 2027-2028. Towns and their coordinates are real; networks, boards,
people and venues are fictional.

Overlap settings (how the networks share their members):

- ``low``: networks mostly disjoint; a person sits in 1, rarely 2 networks;
- ``high``: regions of about 12 networks where the same board members sit in
  most of them (each person in 5-10 networks);
- ``partial``: city clusters of about 5 networks; people mostly in networks of
  their own cluster, some in 2-4 networks, and a few networks across clusters.

Sizes: ``S`` (12 networks), ``M`` (29), ``L`` (150), ``XL`` (600, a
province-sized venue list) in Noord-Brabant (region ``zuid``), and
``national`` (600 networks over the three school-holiday regions, each network
with its own ``region``). Every input is read back with
:func:`planner.read.read_problem` and every network is checked to fit its
meetings (one spare) on its candidate dates; a network that does not is made
looser (smaller gap, fewer meetings, all weekdays) and the input written again.

Run::

    python benchmarks/generate.py --setting partial --size L --seed 0 --out DIR
    python benchmarks/generate.py --all --seed 0 1 2 --out DIR
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from planner.calendar import candidate_dates, max_meetings_possible
from planner.read import read_problem

START = date(2027, 8, 30)
END = date(2028, 7, 14)
SETTINGS = ("low", "high", "partial")
SIZES = ("S", "M", "L", "XL", "national")
NETWORKS = {"S": 12, "M": 29, "L": 150, "XL": 600, "national": 600}
VENUES = {"S": 6, "M": 10, "L": 16, "XL": 60, "national": 90}
TOWNS_IN_AREA = {"S": 8, "M": 12, "L": 20, "XL": 30}
NETWORKS_PER_CLUSTER = {"low": 5, "high": 12, "partial": 5}
CROSS_SHARE = 0.15  # partial: share of networks that span two or three clusters
OPTIONAL_SHARE = 0.1
SLACK = 1  # every network alone fits at least one meeting more than it needs
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
NETWORK_COLUMNS = (
    "id", "name", "meetings", "duration", "min_gap_days", "weekdays", "earliest", "latest",
    "venues", "region",
)  # fmt: skip
VENUE_COLUMNS = (
    "id", "name", "address", "lat", "lon", "capacity", "rooms", "weekdays", "open", "close",
    "unavailable",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Town:
    """A real Dutch town: name, coordinates and school-holiday region."""

    name: str
    lat: float
    lon: float
    region: str


def _towns(region: str, rows: str) -> tuple[Town, ...]:
    out = []
    for row in rows.strip().splitlines():
        name, lat, lon = row.rsplit(",", 2)
        out.append(Town(name.strip(), float(lat), float(lon), region))
    return tuple(out)


# Noord-Brabant first (the province of S-XL), larger towns first.
BRABANT = _towns(
    "zuid",
    """
    Tilburg,51.5555,5.0913
    's-Hertogenbosch,51.6978,5.3037
    Eindhoven,51.4416,5.4697
    Breda,51.5719,4.7683
    Helmond,51.4793,5.6570
    Oss,51.7650,5.5181
    Roosendaal,51.5308,4.4653
    Bergen op Zoom,51.4949,4.2911
    Oosterhout,51.6450,4.8597
    Waalwijk,51.6825,5.0706
    Veghel,51.6167,5.5486
    Uden,51.6608,5.6194
    Boxtel,51.5908,5.3292
    Veldhoven,51.4183,5.4028
    Oisterwijk,51.5792,5.1889
    Goirle,51.5208,5.0667
    Dongen,51.6267,4.9389
    Vught,51.6533,5.2875
    Best,51.5075,5.3903
    Etten-Leur,51.5706,4.6356
    Valkenswaard,51.3508,5.4597
    Geldrop,51.4217,5.5597
    Deurne,51.4639,5.7972
    Schijndel,51.6225,5.4319
    Drunen,51.6858,5.1336
    Boxmeer,51.6467,5.9472
    Cuijk,51.7275,5.8792
    Someren,51.3850,5.7111
    Zundert,51.4717,4.6556
    Oudenbosch,51.5883,4.5264
    """,
)
SOUTH = _towns(
    "zuid",
    """
    Maastricht,50.8514,5.6910
    Venlo,51.3704,6.1724
    Roermond,51.1942,5.9875
    Heerlen,50.8882,5.9795
    Weert,51.2517,5.7069
    Sittard,51.0000,5.8667
    Middelburg,51.4988,3.6136
    Goes,51.5040,3.8880
    Terneuzen,51.3358,3.8283
    """,
)
MIDDLE = _towns(
    "midden",
    """
    Utrecht,52.0907,5.1214
    Amersfoort,52.1561,5.3878
    Zeist,52.0894,5.2317
    Nieuwegein,52.0292,5.0806
    Veenendaal,52.0275,5.5583
    Woerden,52.0853,4.8836
    Den Haag,52.0705,4.3007
    Rotterdam,51.9244,4.4777
    Leiden,52.1601,4.4970
    Delft,52.0116,4.3571
    Gouda,52.0115,4.7105
    Dordrecht,51.8133,4.6901
    Zoetermeer,52.0575,4.4931
    Alphen aan den Rijn,52.1292,4.6578
    Apeldoorn,52.2112,5.9699
    Ede,52.0408,5.6658
    Barneveld,52.1400,5.5847
    Harderwijk,52.3417,5.6208
    """,
)
NORTH = _towns(
    "noord",
    """
    Groningen,53.2194,6.5665
    Leeuwarden,53.2012,5.7999
    Assen,52.9925,6.5649
    Emmen,52.7792,6.9069
    Zwolle,52.5168,6.0830
    Enschede,52.2215,6.8937
    Hengelo,52.2658,6.7931
    Deventer,52.2550,6.1639
    Almelo,52.3567,6.6625
    Hoogeveen,52.7225,6.4764
    Meppel,52.6958,6.1944
    Heerenveen,52.9600,5.9194
    Drachten,53.1050,6.0986
    Sneek,53.0325,5.6589
    Lelystad,52.5185,5.4714
    Haarlem,52.3874,4.6462
    Alkmaar,52.6324,4.7534
    Hoorn,52.6425,5.0597
    """,
)


def _interleave(*groups: tuple[Town, ...]) -> tuple[Town, ...]:
    """Round robin over the groups, so that consecutive towns lie in different regions."""
    longest = max(len(g) for g in groups)
    return tuple(g[i] for i in range(longest) for g in groups if i < len(g))


COUNTRY = _interleave(BRABANT + SOUTH, MIDDLE, NORTH)

FIRST_NAMES = (
    "Jan", "Pieter", "Kees", "Willem", "Henk", "Marco", "Erik", "Martijn", "Bas", "Jeroen",
    "Sander", "Thijs", "Ruud", "Frank", "Gerrit", "Johan", "Hans", "Arjen", "Wouter", "Rob",
    "Anne", "Marieke", "Ingrid", "Petra", "Els", "Karin", "Monique", "Sandra", "Linda",
    "Esther", "Ilse", "Janneke", "Femke", "Saskia", "Yvonne", "Hanneke", "Miriam", "Loes",
    "Ahmed", "Fatima", "Youssef", "Naima", "Mehmet", "Emine", "Priya", "Kofi",
)  # fmt: skip
SURNAMES = (
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
    "Vermeulen", "van den Heuvel", "van den Broek", "de Bruijn", "van der Heijden", "Maas",
    "Verhoeven", "van Dam", "Prins", "Blom", "Kramer", "Koning", "van Gils", "Swinkels",
    "van Kempen", "Verbruggen", "Aerts", "van Rooij", "El Amrani", "Yilmaz", "Öztürk",
)  # fmt: skip
NETWORK_KINDS = (
    "Bestuurdersoverleg", "Samenwerkingsverband PO", "Samenwerkingsverband VO",
    "Regionaal Transferpunt", "Kennisnetwerk", "Directeurenoverleg", "Onderwijsalliantie",
    "Netwerk Kindcentra", "Platform Huisvesting", "Netwerk Personeelsbeleid",
)  # fmt: skip
BOARD_WORDS = (
    "Kompas", "Leerkracht", "De Linde", "Horizon", "Optimus", "Prisma", "Signum", "Spectrum",
    "Fectio", "Meerwaarde", "De Waarden", "Kindante", "Veste", "Lucas", "Edith Stein",
)  # fmt: skip
STREETS = ("Schoolstraat", "Markt", "Stationsplein", "Kerkstraat", "Parklaan", "Dorpsstraat")


# --------------------------------------------------------------------- model
@dataclass(frozen=True, slots=True)
class NetSpec:
    """One network before it is written: its home, rules and members."""

    id: str
    name: str
    meetings: int
    duration: int
    min_gap_days: int
    weekdays: str
    earliest: str
    latest: str
    region: str
    centre: tuple[float, float]
    members: tuple[tuple[str, bool], ...] = ()  # (person id, optional)
    venues: tuple[str, ...] = ()


@dataclass(slots=True)
class Built:
    """The tables of one input (rows of cells) before they are written."""

    networks: list[NetSpec]
    people: list[tuple[str, ...]]
    venues: list[tuple[str, ...]]
    capacity: dict[str, int] = field(default_factory=dict)
    region: str = "zuid"
    national: bool = False


@dataclass(frozen=True, slots=True)
class Summary:
    """Sizes and overlap of one generated input, as printed."""

    folder: Path
    networks: int
    people: int
    meetings: int
    venues: int
    shared: float  # share of people in two or more networks
    adjusted: int  # networks made looser to fit their dates
    seconds: float


def area_towns(size: str) -> tuple[Town, ...]:
    """The towns of an input: part of Noord-Brabant, or the whole country."""
    return COUNTRY if size == "national" else BRABANT[: TOWNS_IN_AREA[size]]


def km2(a: tuple[float, float], b: tuple[float, float]) -> float:
    """A squared planar distance proxy (degrees, longitude scaled): for ranking only."""
    return (a[0] - b[0]) ** 2 + ((a[1] - b[1]) * 0.62) ** 2


def nearest(towns: Sequence[Town], at: tuple[float, float], count: int) -> list[Town]:
    """The ``count`` towns nearest to ``at`` (ties: list order)."""
    return sorted(towns, key=lambda t: km2((t.lat, t.lon), at))[:count]


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters only, for e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def membership_count(setting: str, rng: random.Random) -> int:
    """How many networks a new person joins in this overlap setting."""
    if setting == "low":
        return 2 if rng.random() < 0.08 else 1
    if setting == "high":
        return rng.randint(5, 10)
    return rng.choices((1, 2, 3, 4), weights=(36, 39, 20, 5))[0]


def deal(slots: dict[int, int], draw: Callable[[], int], rng: random.Random) -> list[list[int]]:
    """Fill networks' member slots with new people, each in ``draw()`` distinct networks.

    Networks are chosen weighted by their open slots, so all fill together;
    the last people may get fewer networks than drawn.
    """
    left = dict(slots)
    people: list[list[int]] = []
    while any(left.values()):
        want = draw()
        chosen: list[int] = []
        open_ = [n for n, k in left.items() if k > 0]
        while open_ and len(chosen) < want:
            pick = rng.choices(open_, weights=[left[n] for n in open_])[0]
            chosen.append(pick)
            open_.remove(pick)
        for n in chosen:
            left[n] -= 1
        people.append(sorted(chosen))
    return people


def hubs(setting: str, size: str) -> list[Town]:
    """One hub town per cluster: networks of a cluster share their members' homes."""
    count = max(1, round(NETWORKS[size] / NETWORKS_PER_CLUSTER[setting]))
    towns = list(area_towns(size))
    return [towns[i % len(towns)] for i in range(count)]


def network_spec(index: int, hub: Town, rng: random.Random) -> NetSpec:
    """A network's rules: 4-8 meetings of 60-120 minutes, 21-35 days apart."""
    weekdays = ""
    if rng.random() < 0.2:
        weekdays = ";".join(sorted(rng.sample(WEEKDAYS, rng.choice((2, 3, 4))), key=WEEKDAYS.index))
    earliest, latest = "", ""
    window = rng.random()
    if window < 0.12:
        earliest = "13:00"
    elif window < 0.22:
        latest = "12:30"
    return NetSpec(
        id=f"n{index + 1:03d}",
        name=f"{rng.choice(NETWORK_KINDS)} {hub.name} {index + 1}",
        meetings=rng.choice((4, 5, 5, 6, 6, 6, 7, 7, 8)),
        duration=rng.choice((60, 75, 90, 90, 90, 105, 120, 120)),
        min_gap_days=rng.choice((21, 21, 28, 28, 35)),
        weekdays=weekdays,
        earliest=earliest,
        latest=latest,
        region=hub.region,
        centre=(hub.lat, hub.lon),
    )


def random_dates(rng: random.Random, count: int) -> str:
    """``count`` weekday dates or short ranges in the horizon, as a cell."""
    days = (END - START).days
    items = []
    for _ in range(count):
        day = START + timedelta(days=rng.randrange(days))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        if rng.random() < 0.25:
            items.append(f"{day.isoformat()}..{(day + timedelta(days=2)).isoformat()}")
        else:
            items.append(day.isoformat())
    return ";".join(sorted(set(items)))


def make_venues(size: str, rng: random.Random) -> tuple[list[tuple[str, ...]], dict[str, int]]:
    """Venues in the area's towns (larger towns first), with capacity, rooms and closures."""
    towns = area_towns(size)
    rows: list[tuple[str, ...]] = []
    capacity: dict[str, int] = {}
    kinds = ("Onderwijscentrum", "Vergadercentrum", "Bestuursbureau", "Kindcentrum", "Lyceum")
    for i in range(VENUES[size]):
        town = towns[i % len(towns)]
        vid = f"v{i + 1:02d}"
        cap = rng.choice((20, 25, 30, 35, 40, 40, 50, 60))
        capacity[vid] = cap
        closed_day = rng.choice(WEEKDAYS) if rng.random() < 0.15 else ""
        rows.append(
            (
                vid,
                f"{rng.choice(kinds)} {town.name}",
                f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {town.name}",
                f"{town.lat + rng.gauss(0, 0.008):.4f}",
                f"{town.lon + rng.gauss(0, 0.012):.4f}",
                str(cap),
                str(rng.choices((1, 2, 3), weights=(50, 35, 15))[0]),
                ";".join(d for d in WEEKDAYS if d != closed_day) if closed_day else "",
                rng.choice(("", "", "08:30")),
                rng.choice(("", "", "17:30")),
                random_dates(rng, rng.randint(1, 3)),
            )
        )
    return rows, capacity


def make_person(pid: str, hub: Town, towns: Sequence[Town], rng: random.Random) -> tuple[str, ...]:
    """A board member living near ``hub``, with a few unavailable dates."""
    town = hub if rng.random() < 0.65 else rng.choice(nearest(towns, (hub.lat, hub.lon), 4))
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    board = f"Stichting {rng.choice(BOARD_WORDS)} {town.name}"
    email = f"{ascii_fold(first)}.{ascii_fold(last)}{pid[1:]}@{ascii_fold(board)[9:]}.nl"
    unavailable = random_dates(rng, rng.choice((0, 1, 1, 2, 3)))
    return (
        pid,
        f"{first} {last}",
        board,
        email,
        f"{town.lat + rng.gauss(0, 0.02):.4f}",
        f"{town.lon + rng.gauss(0, 0.03):.4f}",
        unavailable,
    )


def build(setting: str, size: str, seed: int) -> Built:
    """All tables of one input, drawn from a generator seeded by its name and seed."""
    rng = random.Random(f"dakpan-bench-{setting}-{size}-{seed}")
    towns = area_towns(size)
    cluster_hubs = hubs(setting, size)
    # Networks, each in a cluster; in `partial` some span 2-3 neighbouring clusters.
    spans: list[list[int]] = []
    nets: list[NetSpec] = []
    for i in range(NETWORKS[size]):
        home = i * len(cluster_hubs) // NETWORKS[size]
        span = [home]
        if setting == "partial" and len(cluster_hubs) > 1 and rng.random() < CROSS_SHARE:
            at = (cluster_hubs[home].lat, cluster_hubs[home].lon)
            others = sorted(
                (c for c in range(len(cluster_hubs)) if cluster_hubs[c] != cluster_hubs[home]),
                key=lambda c: km2((cluster_hubs[c].lat, cluster_hubs[c].lon), at),
            )
            span += others[: rng.choice((1, 2))]
        spans.append(span)
        nets.append(network_spec(i, cluster_hubs[home], rng))
    sizes = [round(rng.triangular(10, 30, 12)) for _ in nets]
    # Members: per cluster, new people take the network slots the cluster owns.
    members: list[list[tuple[str, bool]]] = [[] for _ in nets]
    people: list[tuple[str, ...]] = []
    for c, hub in enumerate(cluster_hubs):
        slots: dict[int, int] = {}
        for n, span in enumerate(spans):
            if c in span:
                share = sizes[n] // len(span) + (span.index(c) < sizes[n] % len(span))
                slots[n] = share
        for joined in deal(slots, lambda: membership_count(setting, rng), rng):
            pid = f"p{len(people) + 1:04d}"
            people.append(make_person(pid, hub, towns, rng))
            for n in joined:
                members[n].append((pid, rng.random() < OPTIONAL_SHARE))
    venue_rows, capacity = make_venues(size, rng)
    where = {row[0]: (float(row[3]), float(row[4])) for row in venue_rows}
    done = []
    for net, span, mem in zip(nets, spans, members, strict=True):
        lat = sum(cluster_hubs[c].lat for c in span) / len(span)
        lon = sum(cluster_hubs[c].lon for c in span) / len(span)
        fits = [v for v in where if capacity[v] >= len(mem)]
        allowed = sorted(fits, key=lambda v: km2(where[v], (lat, lon)))[: rng.choice((4, 5, 6))]
        done.append(replace(net, members=tuple(mem), venues=tuple(sorted(allowed))))
    national = size == "national"
    return Built(done, people, venue_rows, capacity, "midden" if national else "zuid", national)


# ------------------------------------------------------------------- writing
def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """One UTF-8, comma-separated file with ``\\n`` line ends."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write(built: Built, folder: Path) -> None:
    """Write the five tables of ``built`` into ``folder`` (created when missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(
        folder / "networks.csv",
        NETWORK_COLUMNS,
        [
            (
                n.id,
                n.name,
                str(n.meetings),
                str(n.duration),
                str(n.min_gap_days),
                n.weekdays,
                n.earliest,
                n.latest,
                ";".join(n.venues),
                n.region if built.national else "",
            )
            for n in built.networks
        ],
    )
    write_csv(
        folder / "people.csv",
        ("id", "name", "organisation", "email", "lat", "lon", "unavailable"),
        built.people,
    )
    write_csv(
        folder / "memberships.csv",
        ("network", "person", "role"),
        [
            (n.id, pid, "optional" if optional else "required")
            for n in built.networks
            for pid, optional in n.members
        ],
    )
    write_csv(
        folder / "venues.csv",
        VENUE_COLUMNS,
        built.venues,
    )
    settings = (
        ("start", START.isoformat()),
        ("end", END.isoformat()),
        ("region", built.region),
        ("time_limit", "60"),
    )
    write_csv(folder / "settings.csv", ("key", "value"), settings)


# -------------------------------------------------------------- verification
def tight_networks(folder: Path) -> list[str]:
    """Networks whose candidate dates hold fewer than ``meetings`` + SLACK meetings.

    Reads the folder with the project's reader (which raises on any input
    error) and packs each network alone on its candidate dates.
    """
    problem = read_problem(folder)
    out = []
    for net in problem.networks:
        fit = max_meetings_possible(candidate_dates(problem, net.id), net.min_gap_days)
        if fit < net.meetings + SLACK:
            out.append(net.id)
    return out


def loosen(net: NetSpec) -> NetSpec:
    """One step looser: all weekdays, then a smaller gap, then one meeting fewer."""
    if net.weekdays:
        return replace(net, weekdays="")
    if net.min_gap_days > 21:
        return replace(net, min_gap_days=net.min_gap_days - 7)
    if net.meetings > 4:
        return replace(net, meetings=net.meetings - 1)
    return replace(net, min_gap_days=max(7, net.min_gap_days - 7))


def generate(setting: str, size: str, seed: int, out: Path) -> Summary:
    """Build, write and verify one input in ``out/<setting>-<size>-s<seed>/``."""
    began = time.perf_counter()
    built = build(setting, size, seed)
    folder = out / f"{setting}-{size}-s{seed}"
    adjusted: set[str] = set()
    for _ in range(8):
        write(built, folder)
        tight = set(tight_networks(folder))
        if not tight:
            break
        adjusted |= tight
        built.networks = [loosen(n) if n.id in tight else n for n in built.networks]
    else:
        raise RuntimeError(f"{folder}: networks still without enough dates")
    counts: dict[str, int] = {}
    for net in built.networks:
        for pid, _ in net.members:
            counts[pid] = counts.get(pid, 0) + 1
    shared = sum(1 for k in counts.values() if k >= 2) / max(1, len(built.people))
    return Summary(
        folder=folder,
        networks=len(built.networks),
        people=len(built.people),
        meetings=sum(n.meetings for n in built.networks),
        venues=len(built.venues),
        shared=shared,
        adjusted=len(adjusted),
        seconds=time.perf_counter() - began,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: one input, or ``--all`` settings and sizes, for each seed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setting", choices=SETTINGS)
    parser.add_argument("--size", choices=SIZES)
    parser.add_argument("--seed", type=int, nargs="+", default=[0])
    parser.add_argument("--all", action="store_true", help="every setting and size")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.all:
        jobs = [(s, z) for z in SIZES for s in SETTINGS]
    elif args.setting and args.size:
        jobs = [(args.setting, args.size)]
    else:
        parser.error("give --setting and --size, or --all")
    print("folder,networks,people,meetings,venues,shared,adjusted,seconds")
    for seed in args.seed:
        for setting, size in jobs:
            s = generate(setting, size, seed, args.out)
            print(
                f"{s.folder.name},{s.networks},{s.people},{s.meetings},{s.venues},"
                f"{s.shared:.2f},{s.adjusted},{s.seconds:.1f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
