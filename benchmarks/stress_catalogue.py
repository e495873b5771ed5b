"""The catalogue of stress shapes (see ``benchmarks/stress.py``).

Each function builds one :class:`~benchmarks.stress_shapes.Shape` from a
seeded random generator. Names say the shape; ``about`` says what it stresses.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from benchmarks.stress_shapes import (
    DAYS,
    Row,
    Shape,
    ShapeFn,
    base_settings,
    near,
    network,
    overlapping,
    people_near,
    person,
    venue,
    venues_near,
    weekdays_between,
    witness_row,
)


def _ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i:02d}" for i in range(count)]


def slot5(rng: random.Random) -> Shape:
    """5-minute grid, odd durations and windows on the grid, 5-minute changeover."""
    nets = _ids("n", 10)
    people = people_near(rng, 40)
    rows = [
        network(
            nid,
            3,
            rng.choice((35, 55, 85, 125)),
            min_gap_days="14",
            earliest=rng.choice(("", "10:05", "08:50")),
        )
        for nid in nets
    ]
    return Shape(
        "slot5",
        "slot 5, day 08:50-16:35, changeover 5, durations 35..125",
        base_settings(
            "2027-09-06", "2027-12-17", slot="5", day_start="08:50", day_end="16:35", changeover="5"
        ),
        {
            "networks": rows,
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 8),
            "venues": venues_near(rng, 4, rooms="1"),
        },
    )


def slot60(rng: random.Random) -> Shape:
    """60-minute grid: the room's 15-minute changeover pushes the next start a whole hour."""
    nets = _ids("n", 12)
    people = people_near(rng, 36)
    rows = [network(nid, 4, rng.choice((60, 120, 180)), min_gap_days="21") for nid in nets]
    rows[0]["latest"] = "12:00"
    rows[0]["duration"] = "180"
    return Shape(
        "slot60",
        "slot 60, day 08:00-18:00, a 180-minute network that must end by 12:00",
        base_settings("2027-09-06", "2028-06-30", slot="60", day_start="08:00", day_end="18:00"),
        {
            "networks": rows,
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 9),
            "venues": venues_near(rng, 3, rooms="1"),
        },
    )


def one_day(rng: random.Random) -> Shape:
    """A horizon of one Tuesday: five networks with one shared member, all that day."""
    day = date(2027, 10, 5)
    nets = _ids("n", 5)
    people = people_near(rng, 16)
    members = [{"network": nid, "person": "p000", "role": ""} for nid in nets]
    for n, nid in enumerate(nets):
        members += [
            {"network": nid, "person": f"p{1 + 3 * n + k:03d}", "role": ""} for k in range(3)
        ]
    witness = []
    for n, nid in enumerate(nets):
        start = 9 * 60 + n * 75
        who = sorted(m["person"] for m in members if m["network"] == nid)
        witness.append(witness_row(nid, 1, day, (_hm(start), _hm(start + 60)), "v00", who=who))
    return Shape(
        "one_day",
        "start = end (a Tuesday); one person in all 5 networks; max_meetings_per_day 5",
        base_settings(day.isoformat(), day.isoformat(), max_meetings_per_day="5"),
        {
            "networks": [network(nid, 1, 60) for nid in nets],
            "people": people,
            "memberships": members,
            "venues": venues_near(rng, 2, rooms="1"),
        },
        witness=witness,
    )


def one_week_dst(rng: random.Random) -> Shape:
    """One week across the end of summer time (31 Oct 2027), 2-meeting networks with gap 2."""
    nets = _ids("n", 12)
    people = people_near(rng, 30)
    rows = [network(nid, rng.choice((1, 2)), 90, min_gap_days="2") for nid in nets]
    return Shape(
        "one_week_dst",
        "2027-10-27..2027-11-02: 7 days, summer time ends on the Sunday",
        base_settings("2027-10-27", "2027-11-02", region="noord"),
        {
            "networks": rows,
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 6),
            "venues": venues_near(rng, 3, rooms="2"),
        },
    )


def new_year_regions(rng: random.Random) -> Shape:
    """Across New Year and the spring holidays, which differ by region."""
    nets = _ids("n", 15)
    people = people_near(rng, 45)
    regions = ("noord", "midden", "zuid")
    rows = [
        network(nid, 3, 90, min_gap_days="21", region=regions[i % 3]) for i, nid in enumerate(nets)
    ]
    return Shape(
        "new_year_regions",
        "2027-12-06..2028-03-10: Christmas; spring break noord 02-19, midden/zuid 02-26",
        base_settings("2027-12-06", "2028-03-10"),
        {
            "networks": rows,
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 6),
            "venues": venues_near(rng, 4, rooms="2"),
        },
    )


def nearly_full(rng: random.Random) -> Shape:
    """Every network needs the most meetings its own dates allow at a large gap."""
    nets = _ids("n", 10)
    people = people_near(rng, 30)
    rows = [
        network(nid, 1, 120, min_gap_days=str(rng.choice((28, 35, 42))), weekdays=DAYS[i % 5])
        for i, nid in enumerate(nets)
    ]
    shape = Shape(
        "nearly_full",
        "meetings = the most its weekday allows at gap 28..42; shared members",
        base_settings("2027-08-30", "2028-07-14"),
        {
            "networks": rows,
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 6),
            "venues": venues_near(rng, 3, rooms="1"),
        },
    )
    shape.fill = nets
    return shape


def tight_venues(rng: random.Random) -> Shape:
    """Many one-room venues open two hours on one or two weekdays; each network a few venues."""
    nets = _ids("n", 16)
    people = people_near(rng, 48, towns=10)
    venues = []
    for i in range(20):
        days = ";".join(sorted(rng.sample(DAYS[:5], rng.choice((1, 2))), key=DAYS.index))
        venues.append(
            venue(
                f"v{i:02d}",
                *near(rng, i % 10, 0.02),
                20,
                rooms="1",
                weekdays=days,
                open="13:00",
                close="15:00",
            )
        )
    rows = []
    for i, nid in enumerate(nets):
        allowed = sorted({f"v{(2 * i + k) % 20:02d}" for k in range(3)})
        rows.append(network(nid, 3, 120, min_gap_days="28", venues=";".join(allowed)))
    return Shape(
        "tight_venues",
        "20 one-room venues open 13-15h on 1-2 weekdays; 120-minute meetings",
        base_settings("2027-09-06", "2028-06-30"),
        {
            "networks": rows,
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 6),
            "venues": venues,
        },
    )


def weekend_venues(rng: random.Random) -> Shape:
    """Networks that meet on Saturday at a venue open only then, beside weekday networks."""
    nets = _ids("n", 8)
    people = people_near(rng, 24)
    venues = [
        venue("v00", *near(rng, 0, 0.02), 30, weekdays="za", open="10:00", close="13:00"),
        venue("v01", *near(rng, 1, 0.02), 30, weekdays="wo;vr"),
        venue(
            "v02",
            *near(rng, 2, 0.02),
            30,
            weekdays="thu",
            unavailable="2027-10-07;2027-11-01..2027-11-30",
        ),
    ]
    rows = []
    for i, nid in enumerate(nets):
        if i < 3:
            rows.append(network(nid, 4, 150, min_gap_days="21", weekdays="sat", venues="v00"))
        else:
            rows.append(
                network(nid, 4, 90, min_gap_days="21", weekdays="tue;thu", venues="v01;v02")
            )
    return Shape(
        "weekend_venues",
        "venue open 'za' 10-13h; tue;thu networks at a 'wo;vr' and a thu venue",
        base_settings("2027-09-06", "2028-06-30"),
        {
            "networks": rows,
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 5),
            "venues": venues,
        },
    )


def time_ranges(rng: random.Random) -> Shape:
    """Members with dozens of unavailable time ranges and some date ranges."""
    nets = _ids("n", 10)
    people = people_near(rng, 30)
    first = date(2027, 9, 6)
    for p in people:
        items = []
        for _ in range(rng.randint(10, 40)):
            day = first + timedelta(days=rng.randrange(120))
            start = rng.randrange(9 * 60, 16 * 60, 15)
            end = min(start + rng.choice((30, 60, 120, 240)), 17 * 60)
            items.append(f"{day.isoformat()} {_hm(start)}-{_hm(end)}")
        if rng.random() < 0.3:
            day = first + timedelta(days=rng.randrange(100))
            items.append(f"{day.isoformat()}..{(day + timedelta(days=6)).isoformat()}")
        p["unavailable"] = ";".join(items)
    venues = venues_near(rng, 3, rooms="2")
    venues[0]["unavailable"] = "2027-09-14 09:00-13:00;2027-10-05 12:00-17:00"
    return Shape(
        "time_ranges",
        "10-40 unavailable time ranges a person, some week-long date ranges, venue time ranges",
        base_settings("2027-09-06", "2027-12-31"),
        {
            "networks": [network(nid, 3, 90, min_gap_days="14") for nid in nets],
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 6),
            "venues": venues,
        },
    )


def fixed_awkward(rng: random.Random) -> Shape:
    """Fixed meetings on the horizon's edges, back to back in one room, and all-fixed networks."""
    people = people_near(rng, 12)
    nets = _ids("n", 6)
    rows = [
        network("n00", 3, 120, min_gap_days="28"),
        network("n01", 2, 60, min_gap_days="28"),
        network("n02", 1, 60),
        network("n03", 3, 90, min_gap_days="35"),
        network("n04", 2, 120, min_gap_days="7", latest="13:00"),
        network("n05", 1, 60),
    ]
    venues = [
        venue("v00", *near(rng, 0, 0.0), 30, rooms="1", close="16:00"),
        venue("v01", *near(rng, 0, 0.0), 30, rooms="1"),
    ]
    # first day at day_start; back to back in a 1-room venue (changeover exactly); last day
    # ending at the venue's close; ending at day_end (the day before: n02 shares members);
    # in the middle of a 35-day chain; ending at its latest; all fixed, gap exactly 7 days
    fixed = [
        {"network": nid, "date": day, "start": start, "venue": vid}
        for nid, day, start, vid in (
            ("n00", "2027-09-06", "09:00", "v00"),
            ("n01", "2027-09-06", "11:15", "v00"),
            ("n00", "2027-12-17", "14:00", "v00"),
            ("n02", "2027-12-16", "16:00", "v01"),
            ("n03", "2027-10-27", "10:00", "v01"),
            ("n04", "2027-11-02", "11:00", "v01"),
            ("n04", "2027-11-09", "09:00", "v01"),
        )
    ]
    shared = ["p000", "p001"]
    members = [{"network": nid, "person": pid, "role": ""} for nid in nets for pid in shared]
    members += [
        {"network": nid, "person": f"p{2 + i:03d}", "role": ""} for i, nid in enumerate(nets)
    ]
    return Shape(
        "fixed_awkward",
        "fixed on first/last day, at close/day_end, back to back in one room",
        base_settings("2027-09-06", "2027-12-17"),
        {
            "networks": rows,
            "people": people,
            "memberships": members,
            "venues": venues,
            "fixed": fixed,
        },
    )


def hard_relay(rng: random.Random) -> Shape:
    """Hard relay wishes: six networks back to back in order, twice; four more three times."""
    nets = _ids("n", 12)
    people = people_near(rng, 40)
    rows = [network(nid, 3, 60, min_gap_days="21") for nid in nets]
    together = [
        {"networks": ";".join(nets[:6]), "times": "2", "order": "yes", "hard": "yes"},
        {"networks": ";".join(nets[6:10]), "times": "3", "order": "", "hard": "yes"},
        {"networks": ";".join(nets[9:12]), "times": "1", "order": "no", "hard": "no"},
    ]
    return Shape(
        "hard_relay",
        "hard wishes: 6 networks in order x2 (7.5 of 8 hours), 4 networks x3; daily cap 6",
        base_settings("2027-09-06", "2028-06-30", max_meetings_per_day="6"),
        {
            "networks": rows,
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 5),
            "venues": venues_near(rng, 3, rooms="1"),
            "together": together,
        },
    )


def optional_only(rng: random.Random) -> Shape:
    """Networks of optional members only, without members, one person optional in many."""
    nets = _ids("n", 8)
    people = people_near(rng, 20)
    members = [{"network": nid, "person": "p000", "role": "optional"} for nid in nets[:6]]
    for i, nid in enumerate(nets[:4]):
        members += [
            {"network": nid, "person": f"p{1 + 2 * i + k:03d}", "role": "optioneel"}
            for k in range(2)
        ]
    members += [{"network": "n04", "person": "p010", "role": "required"}]
    return Shape(
        "optional_only",
        "4 networks of optional members only, 2 with no members, p000 optional in 6 networks",
        base_settings("2027-09-06", "2027-12-17"),
        {
            "networks": [network(nid, 2, 60, min_gap_days="21") for nid in nets],
            "people": people,
            "memberships": members,
            "venues": venues_near(rng, 2, capacity=3, rooms="1"),
        },
    )


def disjoint(rng: random.Random) -> Shape:
    """Forty networks that share no member, in one area."""
    nets = _ids("n", 40)
    people = people_near(rng, 200, towns=12)
    members = [
        {"network": nid, "person": f"p{5 * i + k:03d}", "role": ""}
        for i, nid in enumerate(nets)
        for k in range(5)
    ]
    return Shape(
        "disjoint",
        "40 networks x 5 members, no member shared; 8 venues of 2 rooms",
        base_settings("2027-09-06", "2028-06-30"),
        {
            "networks": [network(nid, 4, 120, min_gap_days="28") for nid in nets],
            "people": people,
            "memberships": members,
            "venues": venues_near(rng, 8, rooms="2"),
        },
        big=True,
    )


def zero_km(rng: random.Random) -> Shape:
    """Everyone and every venue at one address: all distances 0."""
    nets = _ids("n", 10)
    people = [person(f"p{i:03d}", "52.0907", "5.1214") for i in range(30)]
    venues = [venue(f"v{i:02d}", "52.0907", "5.1214", 30, rooms="1") for i in range(3)]
    return Shape(
        "zero_km",
        "all people and venues at 52.0907,5.1214; travel_km must be 0",
        base_settings("2027-09-06", "2028-06-30", changeover="0"),
        {
            "networks": [network(nid, 4, 90, min_gap_days="21") for nid in nets],
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 6),
            "venues": venues,
        },
    )


def big_travel(rng: random.Random) -> Shape:
    """A full travel table in both directions (asymmetric), long venue-to-venue minutes."""
    nets = _ids("n", 30)
    people = people_near(rng, 120, towns=12)
    venues = venues_near(rng, 12, rooms="2")
    ids = [p["id"] for p in people] + [v["id"] for v in venues]
    travel = []
    for a in ids:
        for v in venues:
            b = v["id"]
            if a == b:
                continue
            km = rng.uniform(0, 150)
            travel.append(
                {
                    "from": a,
                    "to": b,
                    "km": f"{km:.1f}",
                    "minutes": str(int(km * rng.uniform(0.8, 2.0))),
                }
            )
    return Shape(
        "big_travel",
        "travel table of ~1,600 rows, asymmetric, minutes up to 300",
        base_settings("2027-09-06", "2028-06-30"),
        {
            "networks": [network(nid, 4, 90, min_gap_days="28") for nid in nets],
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 7),
            "venues": venues,
            "travel": travel,
        },
        big=True,
    )


def _pair(
    rng: random.Random, first: str, last: str, gap: int
) -> tuple[dict[str, list[Row]], list[date]]:
    """Two networks with the same three required members, one 120-minute window a Wednesday."""
    people = people_near(rng, 3)
    rows = [
        network(
            nid, 2, 120, min_gap_days=str(gap), weekdays="wed", earliest="09:00", latest="11:00"
        )
        for nid in ("a", "b")
    ]
    members = [
        {"network": nid, "person": p["id"], "role": ""} for nid in ("a", "b") for p in people
    ]
    days = weekdays_between(date.fromisoformat(first), date.fromisoformat(last), 2)
    tables = {
        "networks": rows,
        "people": people,
        "memberships": members,
        "venues": venues_near(rng, 2, rooms="2"),
    }
    return tables, days


def subtle_infeasible(rng: random.Random) -> Shape:
    """Two networks, same required members, one meeting a day fits, 4 meetings on 3 days."""
    tables, days = _pair(rng, "2027-11-01", "2027-11-19", 7)
    return Shape(
        "subtle_infeasible",
        "a, b: same 3 members, wed only, 09-11h window for 120 min, 2 meetings each",
        base_settings("2027-11-01", "2027-11-19"),
        tables,
        expect="infeasible",
        why=f"{len(days)} Wednesdays, each fits one meeting of the shared members; 4 needed",
    )


def barely_feasible(rng: random.Random) -> Shape:
    """As subtle_infeasible with a fourth Wednesday and gap 14: one plan up to swapping a and b."""
    tables, days = _pair(rng, "2027-11-01", "2027-11-26", 14)
    who = [p["id"] for p in tables["people"]]
    witness = [
        witness_row("a", 1, days[0], ("09:00", "11:00"), "v00", who=who),
        witness_row("b", 1, days[1], ("09:00", "11:00"), "v00", who=who),
        witness_row("a", 2, days[2], ("09:00", "11:00"), "v00", who=who),
        witness_row("b", 2, days[3], ("09:00", "11:00"), "v00", who=who),
    ]
    return Shape(
        "barely_feasible",
        "4 Wednesdays, gap 14: only a on w1,w3 and b on w2,w4 (or swapped)",
        base_settings("2027-11-01", "2027-11-26"),
        tables,
        witness=sorted(witness, key=lambda r: r["date"]),
    )


def cap_one(rng: random.Random) -> Shape:
    """max_meetings_per_day 1 with members in many networks: no relay possible."""
    nets = _ids("n", 8)
    people = people_near(rng, 10)
    return Shape(
        "cap_one",
        "max_meetings_per_day 1, each person in ~5 of 8 networks, capacity = network size exactly",
        base_settings("2027-09-06", "2028-06-30", max_meetings_per_day="1"),
        {
            "networks": [network(nid, 5, 60, min_gap_days="28") for nid in nets],
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 6),
            "venues": venues_near(rng, 2, capacity=6, rooms="3"),
        },
    )


def beyond_2030(rng: random.Random) -> Shape:
    """A horizon in 2031 (school holidays unknown: a warning), weekend settings."""
    nets = _ids("n", 6)
    people = people_near(rng, 18)
    return Shape(
        "beyond_2030",
        "2031-01-06..2031-04-30, weekdays sat;sun, day 10:00-14:00",
        base_settings(
            "2031-01-06", "2031-04-30", weekdays="sat;sun", day_start="10:00", day_end="14:00"
        ),
        {
            "networks": [network(nid, 3, 90, min_gap_days="14") for nid in nets],
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 5),
            "venues": venues_near(rng, 2, rooms="1"),
        },
    )


def province(rng: random.Random) -> Shape:
    """A province-sized mix: 150 networks, slot 5, odd weekdays, tight venues, relays."""
    nets = _ids("n", 150)
    people = people_near(rng, 450, towns=14)
    for p in people[::7]:
        day = date(2027, 9, 6) + timedelta(days=rng.randrange(250))
        p["unavailable"] = f"{day.isoformat()} 09:00-12:30;{(day + timedelta(days=3)).isoformat()}"
    venues = []
    for i in range(30):
        extra = {"rooms": str(rng.choice((1, 1, 2, 3)))}
        if i % 3 == 0:
            extra.update(open="12:00", close="17:00")
        if i % 5 == 0:
            extra["weekdays"] = "ma;di;do"
        venues.append(venue(f"v{i:02d}", *near(rng, i, 0.05), rng.choice((12, 20, 40)), **extra))
    regions = ("noord", "midden", "zuid")
    rows = []
    for i, nid in enumerate(nets):
        extra = {"min_gap_days": str(rng.choice((21, 28, 35))), "region": regions[(i // 50) % 3]}
        if i % 4 == 0:
            extra["weekdays"] = "tue;wed;thu"
        if i % 6 == 0 and not (i < 40 and i % 8 < 2):  # not in a hard relay wish
            extra["earliest"] = "13:00"
        rows.append(network(nid, rng.choice((3, 4, 5, 6)), rng.choice((55, 90, 120)), **extra))
    members = overlapping(rng, nets, [p["id"] for p in people], 8)
    together = [
        {"networks": f"{nets[i]};{nets[i + 1]}", "times": "1", "order": "yes", "hard": "yes"}
        for i in range(0, 40, 8)
    ]
    return Shape(
        "province",
        "150 networks, 450 people, 30 venues (some 12-17h, ma;di;do), slot 5, 5 hard wishes",
        base_settings("2027-08-30", "2028-07-14", slot="5", region="midden"),
        {
            "networks": rows,
            "people": people,
            "memberships": members,
            "venues": venues,
            "together": together,
        },
        big=True,
    )


def _format_base(rng: random.Random) -> Shape:
    nets = _ids("n", 8)
    people = people_near(rng, 24)
    names = ("Zoë Ëlberg", "Jan-Willem Çelik", "Anouk Öztürk", "Renée Brügge")
    for i, p in enumerate(people[:4]):
        p["name"] = names[i]
    venues = venues_near(rng, 3, rooms="1", weekdays="mon;tue;wed;thu")
    return Shape(
        "format_base",
        "comma CSV reference for the two format variants below (accents in names)",
        base_settings("2027-09-06", "2028-06-30"),
        {
            "networks": [
                network(nid, 4, 90, min_gap_days="28", weekdays="mon;wed;thu") for nid in nets
            ],
            "people": people,
            "memberships": overlapping(rng, nets, [p["id"] for p in people], 5),
            "venues": venues,
        },
    )


def format_base(rng: random.Random) -> Shape:
    """The reference for the format variants."""
    return _format_base(rng)


def format_semicolon(rng: random.Random) -> Shape:
    """format_base as Dutch Excel writes it: ';', decimal comma, Windows-1252, Dutch weekdays."""
    shape = _format_base(rng)
    for row in shape.tables["networks"]:
        row["weekdays"] = "ma;wo;do"
    for row in shape.tables["venues"]:
        row["weekdays"] = "ma;di;wo;do"
    shape.name, shape.form, shape.same_plan_as = "format_semicolon", "semicolon", "format_base"
    shape.about = "format_base as ';' + decimal comma + cp1252 + Dutch weekdays + settings.toml"
    return shape


def format_xlsx(rng: random.Random) -> Shape:
    """format_base as one workbook."""
    shape = _format_base(rng)
    shape.name, shape.form, shape.same_plan_as = "format_xlsx", "xlsx", "format_base"
    shape.about = "format_base as one .xlsx workbook"
    return shape


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


#: Every shape, in the order the runner takes them (each builds from its own seeded rng).
SHAPES: dict[str, ShapeFn] = {
    fn.__name__: fn
    for fn in (
        slot5,
        slot60,
        one_day,
        one_week_dst,
        new_year_regions,
        nearly_full,
        tight_venues,
        weekend_venues,
        time_ranges,
        fixed_awkward,
        hard_relay,
        optional_only,
        disjoint,
        zero_km,
        big_travel,
        subtle_infeasible,
        barely_feasible,
        cap_one,
        beyond_2030,
        format_base,
        format_semicolon,
        format_xlsx,
        province,
    )
}
