"""The report's lower-bound note: what no plan can undercut, and how far this plan is above it."""

from __future__ import annotations

from html import escape

from planner.bounds import lower_bounds
from planner.check import CheckReport
from planner.problem import Problem
from planner.report_texts import DECIMALS, TEXTS, number, percent


def bounds_note(problem: Problem, report: CheckReport, language: str = "nl") -> str:
    """A paragraph: the least travel and trips of any plan (:func:`planner.bounds.lower_bounds`)
    and how far the plan of ``report`` is above them; empty for a plan with hard violations.

    Parameters
    ----------
    problem
        The problem the plan is for.
    report
        The checker's report of the plan.
    language
        ``nl`` or ``en``.
    """
    f = report.figures
    if report.hard_violations or f.travel_km <= 0 or f.trips <= 0:
        return ""
    b = lower_bounds(problem)

    def above(value: float, bound: float) -> str:
        return percent(max(0.0, value / bound - 1), language) if bound > 0 else "–"

    text = TEXTS[language]["bounds_note"].format(
        km=number(b.travel_km, DECIMALS["travel_km"], language),
        trips=number(b.trips, DECIMALS["trips"], language),
        km_pct=above(f.travel_km, b.travel_km),
        trips_pct=above(f.trips, b.trips),
    )
    return f'<p class="small" id="bounds">{escape(text)}</p>'
