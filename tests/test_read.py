"""Reading inputs: every format gives the same Problem, defaults resolved, leniency.

The module also holds the small input (:data:`BASE`) and the writers that
``test_read_errors.py`` and ``test_cli_input.py`` use.
"""

from __future__ import annotations

import copy
import csv
import re
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from planner.problem import (
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
from planner.read import (
    SCHEMA,
    SETTINGS_KEYS,
    TABLES,
    InputError,
    InputIssue,
    read_problem,
    read_problem_with_warnings,
    settings_defaults,
    summarize,
)
from planner.template import COLUMN_HELP, SETTING_HELP, write_template
from planner.weights import Weights

Tables = dict[str, list[list[str]]]

#: A small input: three networks (one with the id ``007``), three people,
#: two venues, one fixed meeting, two travel overrides. Row numbers as Excel
#: shows them: the header is row 1, so ``swv-zld`` is networks row 2.
BASE: Tables = {
    "networks": [
        [
            *("id", "name", "meetings", "duration", "min_gap_days", "weekdays"),
            *("earliest", "latest", "venues", "region"),
        ],
        ["swv-zld", "SWV Zeeland", "2", "60", "", "", "", "", "goes", ""],
        [
            "po-mid",
            "PO Midden",
            "1",
            "90",
            "14",
            "ma;di",
            "9:30",
            "16:00",
            "goes;middelburg",
            "zuid",
        ],
        ["007", "Netwerk Zeven", "1", "45", "", "WO;thu", "", "", "", ""],
    ],
    "people": [
        ["id", "name", "organisation", "email", "lat", "lon", "unavailable"],
        [
            "piet",
            "Piet",
            "Stichting X",
            "p@x.nl",
            "51.4426",
            "3.5736",
            "2027-09-10;2027-09-20..2027-09-22",
        ],
        ["quinta", "Quinta", "", "", "51.504", "3.888", ""],
        ["rene", "René", "", "", "51.4426", "3.5736", ""],
    ],
    "memberships": [
        ["network", "person", "role"],
        ["swv-zld", "piet", ""],
        ["swv-zld", "quinta", "required"],
        ["po-mid", "piet", "verplicht"],
        ["po-mid", "rene", "optional"],
        ["007", "quinta", "optioneel"],
    ],
    "venues": [
        [
            *("id", "name", "address", "lat", "lon", "capacity", "rooms", "weekdays"),
            *("open", "close", "unavailable", "cost"),
        ],
        ["goes", "Goes", "Markt 1", "51.504", "3.888", "20", "", "", "", "", "", ""],
        [
            *("middelburg", "Café De Zeeuw", "", "51.4988", "3.6136", "12", "2", "mon;tue;wed"),
            *("08:00", "18:00", "2027-09-15", "125.5"),
        ],
    ],
    "fixed": [
        ["network", "date", "start", "venue"],
        ["po-mid", "2027-09-14", "10:00", "middelburg"],
    ],
    "travel": [
        ["from", "to", "km", "minutes"],
        ["piet", "goes", "40.5", "45"],
        ["quinta", "middelburg", "30", ""],
    ],
    "settings": [
        ["key", "value"],
        ["start", "2027-09-06"],
        ["end", "2027-10-01"],
        ["region", "noord"],
        ["day_start", "08:30"],
        ["public_holidays", "false"],
        ["school_holidays", "nee"],
        ["min_gap_days", "7"],
        ["weight_trips", "50"],
    ],
}

WORKDAYS = frozenset(range(5))


def base() -> Tables:
    """A fresh deep copy of :data:`BASE`."""
    return copy.deepcopy(BASE)


def expected_problem() -> Problem:
    """:data:`BASE` as the reader must resolve it, every default written out."""
    s = Settings(
        start=date(2027, 9, 6),
        end=date(2027, 10, 1),
        region="noord",
        day_start=8 * 60 + 30,  # 08:30 = 510
        public_holidays=False,
        school_holidays=False,
        min_gap_days=7,
        weights=Weights(trips=50),
    )
    networks = (
        # empty cells -> settings: gap 7, workdays, 08:30-17:00, region noord
        Network("swv-zld", "SWV Zeeland", 2, 60, 7, WORKDAYS, 510, 1020, ("goes",), "noord"),
        Network(
            id="po-mid",
            name="PO Midden",
            meetings=1,
            duration=90,
            min_gap_days=14,
            weekdays=frozenset({0, 1}),
            earliest=570,
            latest=960,
            venues=("goes", "middelburg"),
            region="zuid",
        ),
        # weekdays "WO;thu" = wed, thu; empty venues -> all venues in file order
        Network(
            id="007",
            name="Netwerk Zeven",
            meetings=1,
            duration=45,
            min_gap_days=7,
            weekdays=frozenset({2, 3}),
            earliest=510,
            latest=1020,
            venues=("goes", "middelburg"),
            region="noord",
        ),
    )
    piet_away = {date(2027, 9, 10), date(2027, 9, 20), date(2027, 9, 21), date(2027, 9, 22)}
    people = (
        Person("piet", "Piet", 51.4426, 3.5736, "Stichting X", "p@x.nl", frozenset(piet_away)),
        Person("quinta", "Quinta", 51.504, 3.888),
        Person("rene", "René", 51.4426, 3.5736),
    )
    venues = (
        # empty cells -> settings weekdays, 08:30-17:00, 1 room, cost 0
        Venue("goes", "Goes", 51.504, 3.888, 20, WORKDAYS, 510, 1020, 1, "Markt 1"),
        Venue(
            id="middelburg",
            name="Café De Zeeuw",
            lat=51.4988,
            lon=3.6136,
            capacity=12,
            weekdays=frozenset({0, 1, 2}),
            open=480,
            close=1080,
            rooms=2,
            unavailable=frozenset({date(2027, 9, 15)}),
            cost=125.5,
        ),
    )
    memberships = (
        Membership("swv-zld", "piet", Role.REQUIRED),
        Membership("swv-zld", "quinta", Role.REQUIRED),
        Membership("po-mid", "piet", Role.REQUIRED),
        Membership("po-mid", "rene", Role.OPTIONAL),
        Membership("007", "quinta", Role.OPTIONAL),
    )
    return Problem(
        settings=s,
        networks=networks,
        people=people,
        venues=venues,
        memberships=memberships,
        fixed=(FixedMeeting("po-mid", date(2027, 9, 14), 600, "middelburg"),),
        travel=(
            TravelOverride("piet", "goes", 40.5, 45.0),
            TravelOverride("quinta", "middelburg", 30.0, None),
        ),
    )


def set_cell(t: Tables, table: str, row: int, column: str, value: str) -> None:
    """Set the cell at Excel row ``row`` (header = 1) and ``column`` of ``table``."""
    header = t[table][0]
    t[table][row - 1][header.index(column)] = value


def drop_column(t: Tables, table: str, column: str) -> None:
    """Remove a column from a table."""
    i = t[table][0].index(column)
    for r in t[table]:
        del r[i]


def write_csv(
    folder: Path,
    tables: Tables,
    *,
    sep: str = ",",
    encoding: str = "utf-8",
    decimal_comma: bool = False,
) -> Path:
    """Write ``tables`` as CSV files in ``folder`` (created); return ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        out = rows
        if decimal_comma:
            out = [[re.sub(r"^(-?\d+)\.(\d+)$", r"\1,\2", c) for c in r] for r in rows]
        with (folder / f"{name}.csv").open("w", encoding=encoding, newline="") as fh:
            csv.writer(fh, delimiter=sep, lineterminator="\r\n").writerows(out)
    return folder


def typed(cell: str) -> object:
    """The value Excel would store for ``cell``: number, date, time, bool or text."""
    if re.fullmatch(r"-?(0|[1-9]\d*)", cell):
        return int(cell)
    if re.fullmatch(r"-?\d+\.\d+", cell):
        return float(cell)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", cell):
        return date.fromisoformat(cell)
    if re.fullmatch(r"\d{1,2}:\d\d", cell):
        h, m = cell.split(":")
        return time(int(h), int(m))
    if cell in ("true", "false"):
        return cell == "true"
    return cell if cell else None


def write_xlsx(path: Path, tables: Tables, *, as_excel: bool = True, upper: bool = False) -> Path:
    """Write ``tables`` as sheets of a workbook; typed cells when ``as_excel``."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name.upper() if upper else name)
        for r in rows:
            ws.append([typed(c) if as_excel else c for c in r])
    wb.save(path)
    return path


# ------------------------------------------------------------------ formats
def test_csv_comma_utf8_reads_to_the_expected_problem(tmp_path: Path) -> None:
    problem, warnings = read_problem_with_warnings(write_csv(tmp_path / "in", base()))
    assert problem == expected_problem()
    assert warnings == []


FORMATS = ["csv-comma-utf8", "csv-semicolon-cp1252-decimal-comma", "csv-utf8-bom", "xlsx"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_to_an_equal_problem(tmp_path: Path, fmt: str) -> None:
    t = base()
    if fmt == "csv-comma-utf8":
        path = write_csv(tmp_path / "in", t)
    elif fmt == "csv-semicolon-cp1252-decimal-comma":
        path = write_csv(tmp_path / "in", t, sep=";", encoding="cp1252", decimal_comma=True)
        # the é of René / Café is one byte 0xE9 in Windows-1252, and lat is 51,4426
        assert b"Ren\xe9" in (path / "people.csv").read_bytes()
        assert b"51,4426" in (path / "people.csv").read_bytes()
    elif fmt == "csv-utf8-bom":
        path = write_csv(tmp_path / "in", t, encoding="utf-8-sig")
        assert (path / "networks.csv").read_bytes().startswith(b"\xef\xbb\xbfid,")
    else:
        path = write_xlsx(tmp_path / "input.xlsx", t)
    assert read_problem(path) == expected_problem()


def test_xlsx_with_text_cells_and_upper_case_sheet_names(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "in.xlsx", base(), as_excel=False, upper=True)
    assert read_problem(path) == expected_problem()


def test_xlsx_cells_of_every_excel_type_are_normalised(tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "in.xlsx", base())
    wb = load_workbook(path)
    ws = wb["networks"]
    ws["D2"] = 60.0  # duration as float -> "60"
    ws["G2"] = timedelta(hours=8, minutes=30)  # earliest as a duration -> "08:30"
    wb["fixed"]["B2"] = datetime(2027, 9, 14)  # midnight datetime -> a date
    wb["settings"]["B6"] = False  # public_holidays as a boolean cell
    wb.save(path)
    assert read_problem(path) == expected_problem()


def test_ids_with_leading_zeros_stay_text(tmp_path: Path) -> None:
    problem = read_problem(write_csv(tmp_path / "in", base()))
    assert [n.id for n in problem.networks] == ["swv-zld", "po-mid", "007"]
    assert problem.members("007") == ("quinta",)


# ----------------------------------------------------------------- defaults
def test_defaults_come_from_the_settings(tmp_path: Path) -> None:
    t = base()
    t["settings"] += [["weekdays", "di;do"], ["day_end", "16:00"], ["region", "zuid"]]
    t["settings"] = [r for r in t["settings"] if r[0] != "region" or r[1] == "zuid"]
    p = read_problem(write_csv(tmp_path / "in", t))
    tue_thu = frozenset({1, 3})
    zld = p.network_by_id["swv-zld"]
    # weekdays tue;thu, 08:30..16:00 (510..960), gap 7, region zuid all from settings
    assert (zld.weekdays, zld.earliest, zld.latest, zld.min_gap_days, zld.region) == (
        tue_thu,
        510,
        960,
        7,
        "zuid",
    )
    goes = p.venue_by_id["goes"]
    assert (goes.weekdays, goes.open, goes.close, goes.rooms, goes.cost) == (
        tue_thu,
        510,
        960,
        1,
        0.0,
    )


def test_settings_defaults_without_optional_keys(tmp_path: Path) -> None:
    t = base()
    t["settings"] = [["key", "value"], ["start", "2027-09-06"], ["end", "2028-07-14"]]
    p = read_problem(write_csv(tmp_path / "in", t))
    assert p.settings == Settings(start=date(2027, 9, 6), end=date(2028, 7, 14))


def test_settings_defaults_text_matches_settings() -> None:
    d = settings_defaults()
    assert list(d) == list(SETTINGS_KEYS)
    assert d["start"] == ""
    assert d["weekdays"] == "mon;tue;wed;thu;fri"
    assert (d["day_start"], d["day_end"], d["slot"], d["road_factor"]) == (
        "09:00",
        "17:00",
        "15",
        "1.3",
    )
    assert (d["public_holidays"], d["speed_kmh"], d["weight_trips"]) == ("true", "60", "100")


# ---------------------------------------------------------------- leniency
def test_dutch_and_english_weekday_names(tmp_path: Path) -> None:
    t = base()
    set_cell(t, "networks", 2, "weekdays", "Maandag; vr;ZO")
    set_cell(t, "venues", 2, "weekdays", "ma;di;wo;do;vr;za;zo")
    p = read_problem(write_csv(tmp_path / "in", t))
    assert p.network_by_id["swv-zld"].weekdays == frozenset({0, 4, 6})
    assert p.venue_by_id["goes"].weekdays == frozenset(range(7))


def test_date_ranges_are_inclusive_and_merge_with_dates(tmp_path: Path) -> None:
    t = base()
    set_cell(t, "people", 3, "unavailable", "2027-12-30..2028-01-02; 2028-01-01;7-1-2028")
    p = read_problem(write_csv(tmp_path / "in", t))
    # 30, 31 Dec and 1, 2 Jan (inclusive), the repeated 1 Jan once, plus 7 Jan (D-M-YYYY)
    assert p.person_by_id["quinta"].unavailable == frozenset(
        {date(2027, 12, 30), date(2027, 12, 31), date(2028, 1, 1), date(2028, 1, 2)}
        | {date(2028, 1, 7)}
    )


def test_times_with_seconds_and_booleans(tmp_path: Path) -> None:
    t = base()
    set_cell(t, "networks", 3, "earliest", "09:30:00")
    t["settings"][5][1] = "ONWAAR"  # public_holidays, as Dutch Excel writes FALSE
    assert read_problem(write_csv(tmp_path / "in", t)) == expected_problem()


def test_decimal_comma_in_a_comma_file_when_quoted(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in", base(), decimal_comma=True)
    assert b'"51,4426"' in (path / "people.csv").read_bytes()
    assert read_problem(path) == expected_problem()


def test_header_is_case_insensitive_and_stripped(tmp_path: Path) -> None:
    t = base()
    t["networks"][0][:5] = [" ID", "Name ", "MEETINGS", "Duration", "Min Gap Days"]
    assert read_problem(write_csv(tmp_path / "in", t)) == expected_problem()


def test_blank_rows_are_skipped_and_row_numbers_still_count_them(tmp_path: Path) -> None:
    t = base()
    t["memberships"].insert(2, ["", "", ""])
    set_cell(t, "memberships", 4, "person", "nobody")
    with pytest.raises(InputError) as exc:
        read_problem(write_csv(tmp_path / "in", t))
    assert exc.value.issues == (
        InputIssue("memberships.csv", 4, "person", "'nobody' is not a person id"),
    )


def test_separator_detection_respects_quotes(tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "in", base(), sep=";")
    # a header whose quoted name holds commas must still be read as ';'-separated
    (folder / "fixed.csv").write_text(
        '"network";"date";"start";"venue";"note, with, commas"\r\n'
        "po-mid;2027-09-14;10:00;middelburg;x\r\n",
        encoding="utf-8",
    )
    problem, warnings = read_problem_with_warnings(folder)
    assert problem == expected_problem()
    assert warnings == [
        "fixed.csv row 1, column note,_with,_commas: unknown column 'note,_with,_commas' "
        "ignored (known: network, date, start, venue)"
    ]


def test_excel_separator_line_and_blank_optional_file(tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "in", base(), sep=";")
    text = (folder / "memberships.csv").read_text(encoding="utf-8")
    (folder / "memberships.csv").write_text("sep=;\r\n" + text, encoding="utf-8")
    (folder / "travel.csv").write_bytes(b"")  # an empty optional file is as good as none
    assert read_problem(folder) == replace(expected_problem(), travel=())


def test_problem_errors_become_input_issues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner import read
    from planner.problem import ProblemError

    def refuse(**_: object) -> Problem:
        raise ProblemError(["network 'x': no venue allowed", "id 'y' is both a person and a venue"])

    monkeypatch.setattr(read, "Problem", refuse)
    with pytest.raises(InputError) as exc:
        read_problem(write_csv(tmp_path / "in", base()))
    assert exc.value.lines() == [
        "input: network 'x': no venue allowed",
        "input: id 'y' is both a person and a venue",
    ]


# ------------------------------------------------------------ settings.toml
def test_settings_toml_instead_of_settings_csv(tmp_path: Path) -> None:
    t = base()
    del t["settings"]
    folder = write_csv(tmp_path / "in", t)
    (folder / "settings.toml").write_text(
        "start = 2027-09-06\n"
        'end = "2027-10-01"\n'
        'region = "noord"\n'
        'day_start = "08:30"\n'
        "public_holidays = false\n"
        "school_holidays = false\n"
        "min_gap_days = 7\n"
        "weight_trips = 50\n",
        encoding="utf-8",
    )
    assert read_problem(folder) == expected_problem()


def test_settings_toml_lists_and_settings_table(tmp_path: Path) -> None:
    t = base()
    del t["settings"]
    folder = write_csv(tmp_path / "in", t)
    (folder / "settings.toml").write_text(
        "[settings]\nstart = 2027-09-06\nend = 2027-10-01\nweekdays = ['mon', 'wed']\n"
        "day_start = 08:30:00\n",
        encoding="utf-8",
    )
    s = read_problem(folder).settings
    assert (s.weekdays, s.day_start) == (frozenset({0, 2}), 510)


# ------------------------------------------------------------------ weights
def test_every_weight_key_sets_its_weight(tmp_path: Path) -> None:
    t = base()
    t["settings"] = [r for r in t["settings"] if not r[0].startswith("weight_")]
    for i, key in enumerate(Weights.keys()):
        t["settings"].append([key, str(i + 1)])
    p = read_problem(write_csv(tmp_path / "in", t))
    # the keys in Weights.keys() order get 1, 2, 3, ...
    assert p.settings.weights == Weights(*range(1, len(Weights.keys()) + 1))


# ----------------------------------------------------------------- warnings
def test_unknown_columns_files_and_settings_give_warnings(tmp_path: Path) -> None:
    t = base()
    for i, r in enumerate(t["people"]):
        r.append("phone" if i == 0 else "")
    t["networks"][0].append("nmae")
    for r in t["networks"][1:]:
        r.append("x")
    t["settings"].append(["sead", "3"])
    folder = write_csv(tmp_path / "in", t)
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")
    problem, warnings = read_problem_with_warnings(folder)
    assert problem == expected_problem()
    assert warnings == [
        "notes.csv is not a table of the input; ignored",
        "settings.csv row 10, column key: unknown setting 'sead' ignored (did you mean 'seed'?)",
        "networks.csv row 1, column nmae: unknown column 'nmae' ignored (did you mean 'name'?) "
        "(known: id, name, meetings, duration, min_gap_days, weekdays, earliest, latest, "
        "venues, region)",
        "people.csv row 1, column phone: unknown column 'phone' ignored (known: id, name, "
        "organisation, email, place, lat, lon, unavailable, if_need_be)",
    ]


def test_fixed_meeting_outside_the_horizon_is_a_warning(tmp_path: Path) -> None:
    t = base()
    set_cell(t, "fixed", 2, "date", "2027-11-02")
    problem, warnings = read_problem_with_warnings(write_csv(tmp_path / "in", t))
    assert problem.fixed[0].date == date(2027, 11, 2)
    assert warnings == [
        "fixed.csv row 2, column date: 2027-11-02 lies outside the planning horizon "
        "2027-09-06..2027-10-01"
    ]


def test_network_without_members_is_allowed(tmp_path: Path) -> None:
    t = base()
    t["memberships"] = [r for r in t["memberships"] if r[0] != "007"]
    p = read_problem(write_csv(tmp_path / "in", t))
    assert p.members("007") == ()


# ------------------------------------------------------------------ summary
def test_summary_counts_and_overlap(tmp_path: Path) -> None:
    s = summarize(read_problem(write_csv(tmp_path / "in", base())))
    assert (s.networks, s.people, s.venues, s.fixed, s.travel) == (3, 3, 2, 1, 2)
    assert (s.required_memberships, s.optional_memberships) == (3, 2)
    # piet (swv-zld, po-mid) and quinta (swv-zld, 007) are in 2 networks; rene in 1
    assert s.people_in_several == 2
    assert s.mean_networks_per_person == pytest.approx(5 / 3)
    # only piet is required in two networks: the one pair (swv-zld, po-mid)
    assert (s.sharing_pairs, s.top_pairs) == (1, (("swv-zld", "po-mid", 1),))
    zld, pomid, zeven = s.per_network
    # swv-zld: 20 workdays 6 Sep..1 Oct, minus piet's 10, 20, 21, 22 Sep = 16 dates; with a
    # 7-day gap greedy takes 6, 13, 23 (20-22 out), 30 Sep -> 4
    assert (zld.candidate_dates, zld.max_meetings, zld.fits) == (16, 4, True)
    # po-mid: Mon/Tue = 8 dates minus piet's 20, 21 Sep = 6; gap 14: 6 Sep, 27 Sep -> 2
    assert (pomid.candidate_dates, pomid.max_meetings) == (6, 2)
    # 007: Wed/Thu, optional member only, goes open Wed/Thu: 8 dates; gap 7 -> 4 (8, 15, 22, 29)
    assert (zeven.candidate_dates, zeven.max_meetings, zeven.largest_room) == (8, 4, 20)
    assert (zld.required, zld.optional, pomid.required, pomid.optional) == (2, 0, 1, 1)


def test_summary_flags_a_network_that_cannot_fit(tmp_path: Path) -> None:
    t = base()
    set_cell(t, "networks", 3, "meetings", "3")  # po-mid fits only 2 (see above)
    set_cell(t, "venues", 3, "capacity", "1")
    s = summarize(read_problem(write_csv(tmp_path / "in", t)))
    pomid = s.per_network[1]
    # po-mid has 2 members; goes holds 20
    assert (pomid.fits, pomid.room_fits) == (False, True)


# ----------------------------------------------------------------- template
def test_template_has_every_sheet_column_and_explanation(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    write_template(path)
    wb = load_workbook(path)
    assert wb.sheetnames == [*TABLES, "settings", "uitleg"]
    for name in TABLES:
        ws = wb[name]
        assert [c.value for c in ws[1]] == [c.name for c in SCHEMA[name]]
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.max_row == 1
    settings = [[c.value for c in r] for r in wb["settings"].iter_rows()]
    assert settings[0] == ["key", "value"]
    assert settings[1:3] == [["start", None], ["end", None]]
    # the other contract settings at their defaults; the weights are explained in uitleg only
    assert dict(settings[3:]) == {
        k: v
        for k, v in settings_defaults().items()
        if k not in ("start", "end") and not k.startswith("weight_")
    }
    explained = {(r[0], r[1]) for r in wb["uitleg"].iter_rows(min_row=5, values_only=True)}
    assert {(t, c.name) for t in TABLES for c in SCHEMA[t]} <= explained
    assert {("settings", k) for k in SETTINGS_KEYS} <= explained
    assert set(COLUMN_HELP) == {(t, c.name) for t in TABLES for c in SCHEMA[t]}
    assert set(SETTING_HELP) == set(SETTINGS_KEYS)


def test_template_read_back_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    with pytest.raises(InputError) as exc:
        read_problem(path)
    assert [str(i) for i in exc.value.issues] == [
        "t.xlsx, sheet networks has no rows: the input is empty (fill in at least one network, "
        "its people, memberships and venues)",
        "t.xlsx, sheet settings, row 2, column value: setting 'start' is required (its value is "
        "empty): give the first date of the planning horizon as YYYY-MM-DD",
        "t.xlsx, sheet settings, row 3, column value: setting 'end' is required (its value is "
        "empty): give the last date of the planning horizon as YYYY-MM-DD",
    ]


def test_template_filled_in_reads(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    write_template(path)
    wb = load_workbook(path)
    t = base()
    for name in TABLES:
        header = t.get(name, [[]])[0]
        for r in t.get(name, [[]])[1:]:
            cells = dict(zip(header, r, strict=True))
            wb[name].append(
                [typed(cells[c.name]) if c.name in cells else None for c in SCHEMA[name]]
            )
    ws = wb["settings"]
    values = dict(r[0:2] for r in t["settings"][1:])
    for row in ws.iter_rows(min_row=2):
        key = row[0].value
        if key in values:
            row[1].value = values.pop(key)
    for k, v in values.items():
        ws.append([k, v])
    wb.save(path)
    assert read_problem(path) == expected_problem()
