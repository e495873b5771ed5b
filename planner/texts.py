"""Names of weekdays and months, and dates in words, in the plan's language.

Shared by the calendar files (:mod:`planner.ics`) and the report
(:mod:`planner.report`), so both write a date the same way. A language other
than ``nl`` or ``en`` is read as ``nl``.
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "LANGUAGE_DEFAULT",
    "MONTHS",
    "MONTHS_SHORT",
    "WEEKDAYS",
    "WEEKDAYS_SHORT",
    "language_or_default",
    "long_date",
    "month_name",
    "short_date",
]

LANGUAGE_DEFAULT = "nl"
"""The language used for any language that has no texts."""

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
"""Weekday names per language, Monday first."""

WEEKDAYS_SHORT: dict[str, tuple[str, ...]] = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
"""Abbreviated weekday names per language, Monday first."""

MONTHS: dict[str, tuple[str, ...]] = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
"""Month names per language, January first."""

MONTHS_SHORT: dict[str, tuple[str, ...]] = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
"""Abbreviated month names per language, January first."""


def language_or_default(language: str) -> str:
    """The language itself when it has texts here, else :data:`LANGUAGE_DEFAULT`.

    Parameters
    ----------
    language
        A language code, e.g. the ``language`` setting.

    Returns
    -------
    str
        ``nl`` or ``en``.
    """
    return language if language in WEEKDAYS else LANGUAGE_DEFAULT


def long_date(day: date, language: str) -> str:
    """Write a date in words, e.g. ``dinsdag 14 september 2027``.

    Parameters
    ----------
    day
        The date.
    language
        ``nl`` or ``en`` (anything else is read as ``nl``).

    Returns
    -------
    str
        Weekday, day, month and year in that language.
    """
    lang = language_or_default(language)
    return f"{WEEKDAYS[lang][day.weekday()]} {day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def short_date(day: date, language: str) -> str:
    """As :func:`long_date`, with short names: ``di 14 sep 2027``, ``Tue 14 Sep 2027``."""
    lang = language_or_default(language)
    return (
        f"{WEEKDAYS_SHORT[lang][day.weekday()]} {day.day} "
        f"{MONTHS_SHORT[lang][day.month - 1]} {day.year}"
    )


def month_name(month: int, language: str) -> str:
    """The name of a month (1 = January) as :func:`long_date` writes it, e.g. ``september``."""
    return MONTHS[language_or_default(language)][month - 1]
