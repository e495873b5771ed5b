"""Tests of analysis.html, the SVG pictures and the report section (headless Chromium too)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from planner.analyze import analyze
from planner.analyze_html import (
    ANALYSIS_HTML,
    analysis_html,
    verdict,
    write_analysis_folder,
)
from planner.analyze_svg import change_percent, graph_svg, heatmap_svg, savings_svg
from planner.baseline import baseline
from planner.check import check
from planner.problem import Problem
from planner.read import read_problem
from planner.report import report_html
from tests.test_analyze import mixed_input, two_groups_whole_km

ROOT = Path(__file__).resolve().parent.parent
RANDSTAD = ROOT / "samples" / "randstad"

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
)


def chromium() -> str:
    """The Chromium binary, or skip the test when it is not installed."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium)")
    return found


def test_svgs_are_byte_identical_across_runs_and_processes(tmp_path: Path) -> None:
    """Writing Randstad's analysis here and in a fresh process (other hash seed): same bytes."""
    problem = read_problem(RANDSTAD)
    here = tmp_path / "here"
    names = write_analysis_folder(here, problem, analyze(problem))
    assert names == [
        "analysis.html",
        "analysis.json",
        "graph.svg",
        "heatmap.svg",
        "savings-A.svg",
        "savings-B.svg",
        "savings-C.svg",
        "savings-D.svg",
        "together.csv",
    ]
    there = tmp_path / "there"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    code = "from cli.app import main; main()"
    subprocess.run(
        [sys.executable, "-c", code, "analyze", str(RANDSTAD), "--no-plan", "--out", str(there)],
        check=True,
        env=env,
        capture_output=True,
        cwd=ROOT,
    )
    for name in names:
        assert (here / name).read_bytes() == (there / name).read_bytes(), name
    again = analyze(problem)
    assert graph_svg(problem, again) == (here / "graph.svg").read_text(encoding="utf-8")


def test_pictures_are_self_contained_and_name_every_network() -> None:
    """Graph and heat map: one node title per network, no scripts or links, every group drawn."""
    problem = mixed_input()
    result = analyze(problem, figures=False)
    graph = graph_svg(problem, result)
    heat = heatmap_svg(problem, result)
    for svg in (graph, heat):
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" ')
        assert svg.endswith("</svg>\n")
        for bad in ("<script", "href", "<image", "url("):
            assert bad not in svg
    assert graph.count("<circle") == 3 + 13  # a circle per group, a node per network
    for g in ("Groep A · hoog · 4", "Groep B · gedeeltelijk · 6", "Groep C · laag · 3"):
        assert g in graph
    # heat map: two cells per linked pair (6 + 6 + 2 pairs), a diagonal cell per network
    assert heat.count("gedeelde leden</title></rect>") == 2 * 14


def test_savings_chart_and_verdict_of_a_group_with_a_plan() -> None:
    """Group A of the whole-km input: baseline against a plan, the saving in the verdict."""
    problem = two_groups_whole_km()
    plan = baseline(problem)
    result = analyze(problem, plan=plan, plan_source="given")
    group = result.groups[0]
    assert group.saving() == {"travel_km": 0.0, "trips": 0.0, "sessions": 0.0}
    svg = savings_svg(group, "en")
    assert svg.count("<rect") == 2 + 6  # legend, then baseline and plan bars of 3 figures
    assert verdict(group, "en") == (
        "Group A (2 networks, 2 members): partial — 50% of the members sit in 2 or more "
        "networks; mean overlap 0.50; planning together saves 0% travel."
    )
    assert verdict(result.groups[1], "nl") == (
        "Groep B (1 netwerk, 1 leden): laag — 0% van de leden zit in 2 of meer netwerken; "
        "gemiddelde overlap 0,00; samen plannen scheelt 0% reiskilometers."
    )


def test_analysis_folder_refuses_a_foreign_folder(tmp_path: Path) -> None:
    """An existing folder that holds no analysis.html is refused and left untouched."""
    problem = mixed_input()
    (tmp_path / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(OSError, match="holds no analysis"):
        write_analysis_folder(tmp_path, problem, analyze(problem, figures=False))
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    out = tmp_path / "out"
    write_analysis_folder(out, problem, analyze(problem, figures=False))
    write_analysis_folder(out, problem, analyze(problem, figures=False))  # replaces its own
    assert (out / ANALYSIS_HTML).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "out"]


def test_page_language_follows_the_setting() -> None:
    """English input: an English page; Dutch by default."""
    problem = mixed_input()
    en = replace(problem, settings=replace(problem.settings, language="en"))
    assert "<h1>How networks overlap</h1>" in analysis_html(en, analyze(en, figures=False))
    nl = analysis_html(problem, analyze(problem, figures=False))
    assert "<h1>Samenhang tussen netwerken</h1>" in nl
    assert '<html lang="nl">' in nl


def test_report_html_holds_the_analysis_section() -> None:
    """report.html of a plan carries the analysis: its section, graph and heat map inline."""
    problem: Problem = two_groups_whole_km()
    plan = baseline(problem)
    text = report_html(problem, plan, check(problem, plan), check(problem, plan))
    assert text.count('<section id="analysis">') == 1
    assert "<div class='pic' style='overflow-x:auto' id='graph'><svg width=" in text
    assert "id='heatmap'><svg width=" in text
    assert "http:" not in text


def test_analysis_html_in_headless_chromium(tmp_path: Path) -> None:
    """Chromium renders analysis.html: graph and heat map present, no console errors, screenshot."""
    binary = chromium()
    problem = read_problem(RANDSTAD)
    out = tmp_path / "analysis"
    write_analysis_folder(out, problem, analyze(problem))
    page = (out / ANALYSIS_HTML).as_uri()
    flags = [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [binary, *flags, "--enable-logging=stderr", "--v=0", "--dump-dom", page],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert ":CONSOLE" not in dom.stderr
    assert '<div class="pic" style="overflow-x:auto" id="graph"><svg' in dom.stdout
    assert 'id="heatmap"><svg' in dom.stdout
    assert dom.stdout.count("<svg") == 2 + 4  # graph, heat map, one chart per group
    artefacts = tmp_path / "artefacts"
    artefacts.mkdir()
    shot = artefacts / "analysis.png"
    subprocess.run(
        [binary, *flags, f"--screenshot={shot}", "--window-size=1200,2600", page],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000


def test_change_percent_signs() -> None:
    """A saving of 34% reads -34%, a cost of 5% reads +5%, and no change 0% (never -0%)."""
    assert [change_percent(r) for r in (0.34, -0.05, 0.0, 0.004, -0.004)] == [
        "-34%",
        "+5%",
        "0%",
        "0%",
        "0%",
    ]
