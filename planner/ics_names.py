"""Names of calendar events and files: UIDs and file-name slugs.

A meeting's UID (:func:`meeting_uid`, :func:`uid_for`) depends on the
horizon, the network and the meeting's number only; :func:`other_horizon`
and :func:`legacy_uids` tell UIDs of other years and of the old form
apart. :func:`file_names` names every calendar file after a unique,
file-name-safe slug (:func:`unique_slugs`). :mod:`planner.ics` offers all of
these; see its notes for the decisions behind them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from urllib.parse import quote

from planner.ics_format import IcsError
from planner.problem import Problem

UID_DOMAIN = "dakpan"


# ----------------------------------------------------------------- names, uids
def uid_for(network: str, seq: int, horizon: str = "") -> str:
    """UID of a network's ``seq``-th meeting, e.g. ``20270830-20280714.swv-zld-3@dakpan``.

    The id is lower-cased and percent-encoded outside ``a-z 0-9 . _ -``
    (hex digits in lower case too); an id that has upper-case letters gets
    ``~`` and a hash of the id appended. So distinct ids give UIDs that differ
    even when compared without regard to case (CalDAV servers name files
    after UIDs, and some file systems ignore case), and the number after the
    last ``-`` is ``seq``. ``horizon`` (:func:`horizon_tag`) goes in front,
    so that plans of different school years never share a UID; without it
    the UID has the form of plans made before (``swv-zld-3@dakpan``).

    Examples
    --------
    >>> uid_for("swv-zld", 3)
    'swv-zld-3@dakpan'
    >>> uid_for("swv-zld", 3, "20270830-20280714")
    '20270830-20280714.swv-zld-3@dakpan'
    >>> uid_for("a b/é", 2)
    'a%20b%2f%c3%a9-2@dakpan'
    """
    base = quote(network.lower(), safe="-._").lower()
    if network != network.lower():
        base += f"~{_short_hash(network)}"
    prefix = f"{horizon}." if horizon else ""
    return f"{prefix}{base}-{seq}@{UID_DOMAIN}"


def horizon_tag(problem: Problem) -> str:
    """The plan's horizon as it goes into UIDs: ``YYYYMMDD-YYYYMMDD`` (start-end)."""
    s = problem.settings
    return f"{s.start:%Y%m%d}-{s.end:%Y%m%d}"


_HORIZON_UID = re.compile(r"^\d{8}-\d{8}\.")


def meeting_uid(problem: Problem, network: str, seq: int, *, legacy: bool = False) -> str:
    """The UID of a meeting of this plan: with the horizon, or of the old form when ``legacy``."""
    return uid_for(network, seq, "" if legacy else horizon_tag(problem))


def other_horizon(problem: Problem, uid: str) -> bool:
    """Whether ``uid`` is a dakpan UID of another horizon than this plan's (another year)."""
    found = _HORIZON_UID.match(uid)
    return found is not None and found.group(0) != f"{horizon_tag(problem)}."


def legacy_uids(revisions: Mapping[str, tuple[int, str]]) -> bool:
    """Whether an earlier export (:func:`previous_revisions`) used UIDs without the horizon.

    Calendar files of plans made before UIDs carried the horizon keep that
    form when re-exported or re-planned, so that the events people imported
    are updated in place (see ``docs/FORMAT-NOTES.md``, migration).
    """
    return bool(revisions) and not any(_HORIZON_UID.match(uid) for uid in revisions)


def slug(value: str, max_length: int = 60) -> str:
    """A file-name-safe form of an id: lower-case ASCII letters, digits and ``-``.

    Accents are dropped (``Café`` -> ``cafe``), every other run of characters
    becomes one ``-``; an id with nothing left becomes ``id``.
    """
    ascii_ = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return text[:max_length].strip("-") or "id"


def _short_hash(value: str, length: int = 8) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:length]


def unique_slugs(ids: Iterable[str]) -> dict[str, str]:
    """Map ids to slugs that are unique: ids whose slugs coincide get a hash appended.

    Parameters
    ----------
    ids
        Distinct ids of one kind.

    Returns
    -------
    dict[str, str]
        Id -> unique slug.
    """
    keys = list(dict.fromkeys(ids))
    base = {i: slug(i) for i in keys}
    counts = Counter(base.values())
    out = {i: base[i] if counts[base[i]] == 1 else f"{base[i]}-{_short_hash(i)}" for i in keys}
    if len(set(out.values())) < len(out):  # a hashed slug met a plain one: hash them all
        out = {i: f"{base[i]}-{_short_hash(i, 16)}" for i in keys}
    if len(set(out.values())) < len(out):  # pragma: no cover - a sha256 prefix collision
        raise IcsError("cannot give every id a unique file name")
    return out


def file_names(problem: Problem) -> dict[tuple[str, str], str]:
    """File name of every calendar: ``(kind, id)`` -> name.

    Kinds are ``person``, ``network``, ``venue`` (one file per id) and
    ``all`` (id ``""``, file ``all.ics``). A person's file is named after
    their email when the input gives one (the data contract), else their id.
    """
    out: dict[tuple[str, str], str] = {}
    # the contract names a person's own calendar after their email where given
    # (``person-j-devries-example-nl.ics``), else after their id
    labels = {p.id: p.email.strip() or p.id for p in problem.people}
    shared = Counter(labels.values())
    for pid, label in list(labels.items()):
        if shared[label] > 1:  # one email for several people: add the id
            labels[pid] = f"{label}-{pid}"
    slugs = unique_slugs(labels.values())
    for person in problem.people:
        out[("person", person.id)] = f"person-{slugs[labels[person.id]]}.ics"
    for kind, ids in (
        ("network", [n.id for n in problem.networks]),
        ("venue", [v.id for v in problem.venues]),
    ):
        for id_, name in unique_slugs(ids).items():
            out[(kind, id_)] = f"{kind}-{name}.ics"
    out[("all", "")] = "all.ics"
    return out
