"""Availability from polls and calendars, written into a copy of the input.

:func:`import_availability` reads poll exports (:mod:`planner.polls`) and
calendar files (:mod:`planner.busy`), matches every voter to a person (by
e-mail, else by name, ignoring case, accents and spacing; a calendar by its
file name or ``--person``), and merges what they cannot do into the
``people`` table: a "No" (or a busy time) becomes an ``unavailable`` item
(``YYYY-MM-DD`` for a whole date, ``YYYY-MM-DD HH:MM-HH:MM`` for a slot); an
"If need be" an item of the new optional column ``if_need_be``. Each cell's
items come out sorted and without repeats; nothing already there is removed.

:func:`planner.inputcopy.write_input_copy` writes the result in the input's own form: a CSV
folder (every other file copied byte for byte, ``people.csv`` in its own
encoding, separator and line ends) or a workbook (rewritten by openpyxl, the
other sheets' cells unchanged), through a temporary file or folder that
replaces the target only when complete.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.busy import busy_ballot, calendar_files
from planner.polls import Ballot, Option, read_poll
from planner.problem import Person, Problem
from planner.read import InputError, InputIssue, parse_date

__all__ = [
    "Addition",
    "ImportResult",
    "Unmatched",
    "import_availability",
    "merge_items",
    "normalise_name",
]

UNAVAILABLE = "unavailable"
IF_NEED_BE = "if_need_be"
_RANGE_ITEM = re.compile(r"(\S+)\s+(\d{1,2}[:.]\d{2})\s*-\s*(\d{1,2}[:.]\d{2})")


@dataclass(frozen=True, slots=True)
class Addition:
    """What an import adds for one person (only items that were not there)."""

    person: str
    unavailable: tuple[str, ...] = ()
    if_need_be: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A voter (or calendar) that matches no person, with the closest person if any."""

    source: str
    name: str
    email: str
    suggestion: str | None
    reason: str = "matches no person"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The outcome of :func:`import_availability`.

    Attributes
    ----------
    additions
        Per person (in the problem's order) the items added; people with
        nothing new are left out.
    unmatched
        Voters and calendars that match no person (never silently dropped).
    cells
        The new ``unavailable`` and ``if_need_be`` cell texts of every person
        with additions, by person id.
    """

    additions: tuple[Addition, ...]
    unmatched: tuple[Unmatched, ...]
    cells: Mapping[str, tuple[str, str]] = field(default_factory=dict)


# ------------------------------------------------------------------ matching
def normalise_name(text: str) -> str:
    """``text`` without accents, case and extra spacing (``José  de Vries``: ``jose de vries``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").casefold().split())


class _Matcher:
    """Finds the person a ballot belongs to."""

    def __init__(self, people: Sequence[Person]) -> None:
        self.people = people
        self.by_id = {p.id: p for p in people}
        self.by_email: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for p in people:
            if p.email:
                self.by_email.setdefault(p.email.strip().casefold(), []).append(p.id)
            self.by_name.setdefault(normalise_name(p.name), []).append(p.id)
            self.by_name.setdefault(normalise_name(p.id), []).append(p.id)

    def find(self, ballot: Ballot) -> str | Unmatched:
        if ballot.person is not None:
            if ballot.person in self.by_id:
                return ballot.person
            return self._unmatched(ballot, ballot.person, "is not a person id")
        email = ballot.email.strip().casefold()
        hits = self.by_email.get(email, []) if email else []
        name = ballot.name.strip()
        if not hits:
            hits = sorted(set(self.by_name.get(normalise_name(name), [])))
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return self._unmatched(ballot, name, f"matches several people ({', '.join(hits)})")
        return self._unmatched(ballot, name, "matches no person")

    def _unmatched(self, ballot: Ballot, name: str, reason: str) -> Unmatched:
        names = {normalise_name(p.name): p for p in self.people}
        close = difflib.get_close_matches(normalise_name(name), list(names), n=1, cutoff=0.6)
        hint = f"{names[close[0]].name} ({names[close[0]].id})" if close else None
        return Unmatched(ballot.source, ballot.name, ballot.email, hint, reason)


# ------------------------------------------------------------------- merging
def _item_key(item: str) -> tuple[date, str]:
    first = re.split(r"\.\.|\s", item, maxsplit=1)[0]
    try:
        return parse_date(first), item
    except ValueError:
        return date.max, item


def _split_items(cell: str) -> list[str]:
    return [i.strip() for i in re.split(r"[;,]", cell) if i.strip()]


def _whole_dates(items: Iterable[str]) -> set[date]:
    """The dates the items make unavailable as a whole (dates and ``..`` ranges)."""
    from datetime import timedelta

    out: set[date] = set()
    for item in items:
        try:
            if ".." in item:
                a, _, b = item.partition("..")
                lo, hi = parse_date(a.strip()), parse_date(b.strip())
                out.update(lo + timedelta(days=k) for k in range((hi - lo).days + 1))
            elif not _RANGE_ITEM.fullmatch(item):
                out.add(parse_date(item))
        except ValueError:
            continue  # an item the reader will report; kept as it is
    return out


def merge_items(
    cell: str, options: Iterable[Option], blocked: Iterable[date] = ()
) -> tuple[str, tuple[str, ...]]:
    """Merge options into a list cell.

    Parameters
    ----------
    cell
        The cell's text (items separated by ``;`` or ``,``).
    options
        What to add.
    blocked
        Dates on which no item is added (e.g. unavailable as a whole).

    Returns
    -------
    tuple[str, tuple[str, ...]]
        The new cell text (``;``-separated, sorted by date, no repeats) and
        the items that were added.
    """
    existing = _split_items(cell)
    whole = _whole_dates(existing) | set(blocked)
    have = set(existing)
    added: list[str] = []
    for o in sorted(set(options)):
        item = o.item()
        if o.day in whole or item in have:
            continue
        if o.whole_day:
            whole.add(o.day)
        have.add(item)
        added.append(item)
    merged = sorted(set(existing) | set(added), key=_item_key)
    return ";".join(merged), tuple(sorted(added, key=_item_key))


# ------------------------------------------------------------------ reading
def read_ballots(
    problem: Problem, sources: Sequence[Path], person: str | None = None
) -> list[Ballot]:
    """Every ballot of the poll exports and calendars given.

    Parameters
    ----------
    problem
        Its time zone and horizon's end are used.
    sources
        Poll exports (``.csv``, ``.xlsx``), calendar files (``.ics``) or
        folders of calendar files.
    person
        The person every calendar belongs to (else: its file name).

    Raises
    ------
    InputError
        Listing the faults of every source that cannot be read.
    """
    tz = ZoneInfo(problem.settings.timezone)
    out: list[Ballot] = []
    issues: list[InputIssue] = []
    for source in sources:
        if not source.exists():
            issues.append(InputIssue(str(source), None, None, "does not exist"))
            continue
        try:
            if source.is_dir() or source.suffix.lower() == ".ics":
                files = calendar_files(source)
                if not files:
                    issues.append(InputIssue(str(source), None, None, "holds no .ics file"))
                out.extend(busy_ballot(f, tz, problem.settings.end, person) for f in files)
            else:
                out.extend(read_poll(source, tz))
        except InputError as exc:
            issues.extend(exc.issues)
    if issues:
        raise InputError(issues)
    return out


def import_availability(
    problem: Problem,
    ballots: Sequence[Ballot],
    cells: Mapping[str, tuple[str, str]],
    only: str | None = None,
) -> ImportResult:
    """Match ballots to people and merge them into their cells.

    Parameters
    ----------
    problem
        The people to match.
    ballots
        From :func:`read_ballots`.
    cells
        Per person id, the current ``unavailable`` and ``if_need_be`` cell texts.
    only
        When given, only this person's ballots are used (``--person`` with polls).

    Returns
    -------
    ImportResult
        What was added per person, the voters that match no one and the new cells.
    """
    matcher = _Matcher(problem.people)
    no: dict[str, set[Option]] = {}
    maybe: dict[str, set[Option]] = {}
    unmatched: list[Unmatched] = []
    for ballot in ballots:
        found = matcher.find(ballot)
        if isinstance(found, Unmatched):
            unmatched.append(found)
            continue
        if only is not None and found != only:
            continue
        no.setdefault(found, set()).update(ballot.no)
        maybe.setdefault(found, set()).update(ballot.if_need_be)
    additions: list[Addition] = []
    new_cells: dict[str, tuple[str, str]] = {}
    for p in problem.people:
        if p.id not in no:
            continue
        old_un, old_maybe = cells.get(p.id, ("", ""))
        un_cell, un_added = merge_items(old_un, no[p.id])
        # an answer "No" elsewhere wins over "If need be" for the same option
        maybe_cell, maybe_added = merge_items(
            old_maybe, maybe[p.id] - no[p.id], _whole_dates(_split_items(un_cell))
        )
        if un_added or maybe_added:
            additions.append(Addition(p.id, un_added, maybe_added))
            new_cells[p.id] = (un_cell, maybe_cell)
    return ImportResult(tuple(additions), tuple(unmatched), new_cells)
