"""``dakpan validate`` and ``dakpan template`` through the CLI."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.app import app
from tests.test_read import base, set_cell, write_csv, write_xlsx

runner = CliRunner()


def table_rows(stdout: str) -> dict[str, list[str]]:
    """Body rows of the rich tables, keyed by their first cell (wrapped cells joined)."""
    out: dict[str, list[str]] = {}
    last: list[str] = []
    for line in stdout.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            if cells[0]:
                last = out.setdefault(cells[0], cells[1:])
            else:  # a continuation line of a wrapped row
                last[:] = [f"{a} {b}".strip() for a, b in zip(last, cells[1:], strict=True)]
    return out


def test_validate_prints_counts_networks_and_overlap(tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "in", base())
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{folder}: valid. Horizon 2027-09-06..2027-10-01 (26 days)."
    rows = table_rows(result.stdout)
    assert rows["networks"] == ["3"]
    assert rows["people"] == ["3"]
    assert rows["venues"] == ["2"]
    assert rows["memberships, required"] == ["3"]
    assert rows["memberships, optional"] == ["2"]
    assert rows["fixed meetings"] == ["1"]
    assert rows["travel overrides"] == ["2"]
    # network, meetings, required, optional, candidate dates, max fit, room, flag
    # (the figures are derived in test_read.test_summary_counts_and_overlap)
    assert rows["swv-zld"] == ["2", "2", "0", "16", "4", "20", "ok"]
    assert rows["po-mid"] == ["1", "1", "1", "6", "2", "20", "ok"]
    assert rows["007"] == ["1", "0", "1", "8", "4", "20", "ok"]
    # piet and quinta of 3 people are in 2 networks = 67%; 5 memberships / 3 people = 1.67
    assert (
        "Overlap: 2 of 3 people (67%) are in 2 or more networks; 1.67 networks per person on "
        "average; 1 network pairs share required members."
    ) in lines
    assert table_rows(result.stdout.split("sharing the most")[1]) == {"swv-zld": ["po-mid", "1"]}
    assert result.stderr == ""


def test_validate_flags_networks_that_cannot_fit(tmp_path: Path) -> None:
    t = base()
    set_cell(t, "networks", 3, "meetings", "3")  # po-mid: only 2 fit (6 dates, 14-day gap)
    set_cell(t, "venues", 2, "capacity", "1")  # goes holds 1 of swv-zld's 2 members
    set_cell(t, "networks", 3, "venues", "goes")  # and po-mid (2 members) only has goes
    result = runner.invoke(app, ["validate", str(write_csv(tmp_path / "in", t))])
    assert result.exit_code == 0, result.output
    rows = table_rows(result.stdout)
    assert rows["swv-zld"][-1] == "no room"
    assert rows["po-mid"][-1] == "no fit; no room"
    lines = result.stdout.splitlines()
    assert (
        "1 network(s) cannot fit their meetings with their minimum gap on their candidate "
        "dates: po-mid"
    ) in lines
    assert "2 network(s) have more members than any of their venues holds: swv-zld, po-mid" in lines


def test_validate_prints_warnings(tmp_path: Path) -> None:
    t = base()
    t["settings"].append(["colour", "blue"])
    result = runner.invoke(app, ["validate", str(write_csv(tmp_path / "in", t))])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "warning: settings.csv row 10, column key: unknown setting 'colour' ignored"
    )


def test_validate_warns_about_unknown_school_holiday_years(tmp_path: Path) -> None:
    t = base()
    t["settings"] = [
        ["key", "value"],
        ["start", "2041-09-02"],
        ["end", "2041-09-27"],
    ]
    set_cell(t, "fixed", 2, "date", "2041-09-10")
    set_cell(t, "people", 2, "unavailable", "")
    set_cell(t, "venues", 3, "unavailable", "")
    result = runner.invoke(app, ["validate", str(write_csv(tmp_path / "in", t))])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "warning: school holidays of 2041 are not known to the holidays package; meetings may "
        "be planned in them"
    )


def test_validate_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "input.xlsx", base())
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert table_rows(result.stdout)["po-mid"] == ["1", "1", "1", "6", "2", "20", "ok"]


def test_template_writes_a_workbook_that_validates_as_empty(tmp_path: Path) -> None:
    out = tmp_path / "invoer.xlsx"
    result = runner.invoke(app, ["template", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}; fill it in, then run: dakpan validate {out}\n"
    assert out.stat().st_size > 0
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"{out}: the input has 3 problem(s):"
    assert lines[1] == (
        "invoer.xlsx, sheet networks has no rows: the input is empty (fill in at least one "
        "network, its people, memberships and venues)"
    )
    assert "Traceback" not in result.output


def test_template_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"mine")
    result = runner.invoke(app, ["template", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"{out} already exists; use --force to overwrite it\n"
    assert out.read_bytes() == b"mine"
    result = runner.invoke(app, ["template", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"PK")


def test_template_needs_an_xlsx_name_and_an_existing_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", str(tmp_path / "t.csv")])
    assert (result.exit_code, result.stderr) == (
        2,
        f"{tmp_path / 't.csv'}: the template is an Excel workbook; give a name ending in .xlsx\n",
    )
    out = tmp_path / "nope" / "t.xlsx"
    result = runner.invoke(app, ["template", str(out)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"{out}: folder {tmp_path / 'nope'} does not exist\n",
    )
