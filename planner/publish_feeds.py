"""Subscription feeds: a static folder to put on any web server (``dakpan publish --feeds``).

The folder holds

- ``network-<slug>.ics``, ``venue-<slug>.ics`` and ``all.ics``: the same
  calendars as the plan's ``ics/`` folder (:mod:`planner.ics`), with
  ``REFRESH-INTERVAL``/``X-PUBLISHED-TTL`` so that subscribed calendar apps
  poll them;
- ``p/<token>.ics``: one feed per person, named by an unguessable token (and
  ``p/index.html``, an empty page, so that a server that lists folders does
  not list the tokens);
- ``index.html``: a page in Dutch and English with the network, venue and
  overall feeds as ``webcal://`` and ``https://`` links and how to subscribe
  in Outlook, Google and Apple; it never lists person feeds;
- ``.dakpan-feeds``: a marker, so that only a feed folder is ever replaced.

A person's token is ``HMAC-SHA256(secret, "person:" + id)`` (first 32 hex
digits). The secret lives in a file outside the feed folder, created on
first use with mode 0600 and never printed: knowing one member's feed does
not reveal another's, and the same secret gives the same addresses after a
re-plan. ``links.csv`` (person, email, url) is written for the coordinator
only, outside the feed folder.

The folder is written to a temporary sibling and renamed into place, so a
web server never serves a half-written folder.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import html
import io
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from planner.ics import calendar_files, previous_revisions
from planner.publish_common import Publication, PublishError, carried, write_private

MARKER = ".dakpan-feeds"
PERSON_FOLDER = "p"
TOKEN_HEX = 32
SECRET_BYTES = 32


@dataclass(frozen=True, slots=True)
class FeedLink:
    """One person's feed address (for ``links.csv``)."""

    person: str
    name: str
    email: str
    path: str
    url: str


@dataclass(frozen=True, slots=True)
class FeedResult:
    """What :func:`write_feeds` wrote."""

    folder: Path
    files: int
    links: tuple[FeedLink, ...]
    links_csv: Path
    secret_created: bool


# ----------------------------------------------------------------- the secret
def read_secret(path: Path) -> tuple[bytes, bool]:
    """The feed secret, created (mode 0600, 32 random bytes as hex) when missing.

    Returns
    -------
    tuple[bytes, bool]
        The secret and whether it was created now.

    Raises
    ------
    PublishError
        If the file cannot be read or created, or holds too short a secret.
    """
    created = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise PublishError(f"{path}: cannot create the feed secret ({exc.strerror})") from None
    else:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(SECRET_BYTES) + "\n")
        created = True
    try:
        text = path.read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise PublishError(f"{path}: cannot read the feed secret ({exc})") from None
    if len(text) < 32:
        raise PublishError(
            f"{path}: the feed secret is too short (at least 32 characters; "
            "delete the file to have a new one made, which changes every person's address)"
        )
    return text.encode("utf-8"), created


def person_token(secret: bytes, person: str) -> str:
    """The unguessable name of a person's feed: HMAC-SHA256 of the id, 32 hex digits."""
    digest = hmac.new(secret, f"person:{person}".encode(), hashlib.sha256)
    return digest.hexdigest()[:TOKEN_HEX]


# ---------------------------------------------------------------------- links
def normalise_base_url(base_url: str | None) -> str:
    """``https://host/path/`` (with a final ``/``), or ``""`` when none is given.

    Raises
    ------
    PublishError
        If the URL is not ``http(s)://``.
    """
    if not base_url:
        return ""
    if not base_url.startswith(("https://", "http://")):
        raise PublishError(f"--base-url {base_url!r}: must start with https:// (or http://)")
    return base_url if base_url.endswith("/") else base_url + "/"


def webcal(url: str) -> str:
    """The ``webcal://`` form of an ``http(s)://`` address."""
    return "webcal://" + url.split("://", 1)[1]


_NOTES = {
    "nl": (
        "Abonneren",
        "Klik op een webcal-link, of kopieer de https-link en voeg hem toe als agenda-abonnement:",
        [
            "<b>Outlook</b>: Agenda toevoegen &gt; Van internet (Outlook op het web: "
            "Agenda toevoegen &gt; Abonneren vanaf internet), plak de https-link.",
            "<b>Google Agenda</b>: Andere agenda's &gt; + &gt; Via URL, plak de https-link.",
            "<b>Apple Agenda</b>: Archief &gt; Nieuw agenda-abonnement (iPhone: Instellingen "
            "&gt; Agenda &gt; Accounts &gt; Voeg agenda-abonnement toe), plak de link.",
        ],
        "Uw agenda haalt wijzigingen vanzelf op (dakpan vraagt om de 12 uur; Google soms "
        "pas na een dag). Uw eigen, persoonlijke agenda krijgt u van de coördinator.",
    ),
    "en": (
        "Subscribe",
        "Click a webcal link, or copy the https link and add it as a calendar subscription:",
        [
            "<b>Outlook</b>: Add calendar &gt; From internet (Outlook on the web: "
            "Add calendar &gt; Subscribe from web), paste the https link.",
            "<b>Google Calendar</b>: Other calendars &gt; + &gt; From URL, paste the https link.",
            "<b>Apple Calendar</b>: File &gt; New Calendar Subscription (iPhone: Settings "
            "&gt; Calendar &gt; Accounts &gt; Add Subscribed Calendar), paste the link.",
        ],
        "Your calendar picks up changes by itself (dakpan asks every 12 hours; Google may "
        "take a day). Your own, personal feed comes from the coordinator.",
    ),
}


def _row(title: str, name: str, base: str) -> str:
    https = base + name if base else name
    cells = [f"<td>{html.escape(title)}</td>"]
    if base:
        cells.append(f'<td><a class="webcal" href="{html.escape(webcal(https))}">webcal</a></td>')
    else:
        cells.append("<td>—</td>")
    cells.append(f'<td><a class="https" href="{html.escape(https)}">{html.escape(https)}</a></td>')
    return "<tr>" + "".join(cells) + "</tr>"


def index_html(title: str, rows: list[tuple[str, str, str]], base: str) -> str:
    """The feed folder's ``index.html``: Dutch, then English.

    Parameters
    ----------
    title
        The page title.
    rows
        ``(group, calendar title, file name)`` of every listed feed; groups
        are ``network``, ``venue`` and ``all``.
    base
        The folder's public address (``""``: relative links, no webcal).
    """
    heads = {
        "network": ("Netwerken", "Networks"),
        "venue": ("Locaties", "Venues"),
        "all": ("Alles", "Everything"),
    }
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;"
        "text-align:left}h2{margin-top:1.5em}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for group, (nl, en) in heads.items():
        chosen = [r for r in rows if r[0] == group]
        if not chosen:
            continue
        parts.append(f'<h2 id="{group}">{nl} / <span lang="en">{en}</span></h2>')
        parts.append("<table><tr><th>agenda / calendar</th><th>webcal</th><th>https</th></tr>")
        parts += [_row(r[1], r[2], base) for r in chosen]
        parts.append("</table>")
    for lang, (head, intro, items, after) in _NOTES.items():
        parts.append(f'<section lang="{lang}"><h2>{head}</h2><p>{intro}</p><ul>')
        parts += [f"<li>{item}</li>" for item in items]
        parts.append(f"</ul><p>{after}</p></section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def links_csv_text(links: tuple[FeedLink, ...]) -> str:
    """``links.csv``: ``person,name,email,url``, one row per person."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["person", "name", "email", "url"])
    for link in links:
        writer.writerow([link.person, link.name, link.email, link.url])
    return buffer.getvalue()


# -------------------------------------------------------------------- writing
def _replaceable(folder: Path) -> None:
    if not folder.exists():
        return
    if not folder.is_dir():
        raise PublishError(f"{folder}: exists and is not a folder")
    if any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise PublishError(
            f"{folder}: is not empty and holds no dakpan feeds ({MARKER}); "
            "refusing to replace it: choose a new or empty folder"
        )


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def feed_files(
    pub: Publication, secret: bytes, base: str, previous: dict[str, tuple[int, str]]
) -> tuple[dict[str, bytes], tuple[FeedLink, ...]]:
    """Every file of the feed folder (relative path -> bytes) and the person links.

    ``previous`` is ``UID -> (SEQUENCE, fingerprint)`` of the feeds published
    before (their SEQUENCE numbers carry on).
    """
    problem = pub.problem
    sequence = carried(pub, previous)
    files = calendar_files(problem, pub.schedule, sequence=sequence, cancelled=pub.cancelled)
    out: dict[str, bytes] = {MARKER: b"dakpan feed folder\n"}
    out[f"{PERSON_FOLDER}/index.html"] = b"<!DOCTYPE html><title></title>\n"
    rows: list[tuple[str, str, str]] = []
    links: list[FeedLink] = []
    people = problem.person_by_id
    for f in files:
        if f.kind == "person":
            path = f"{PERSON_FOLDER}/{person_token(secret, f.key)}.ics"
            who = people[f.key]
            links.append(FeedLink(f.key, who.name, who.email, path, base + path))
        else:
            path = f.name
            rows.append((f.kind, f.title, f.name))
        out[path] = f.data
    title = "dakpan: agenda's / calendars"
    out["index.html"] = index_html(title, rows, base).encode("utf-8")
    return out, tuple(links)


def write_feeds(
    folder: Path,
    pub: Publication,
    *,
    secret_file: Path,
    base_url: str | None,
    links_csv: Path,
    plan_dir: Path | None = None,
) -> FeedResult:
    """Write (or replace) the feed folder and the coordinator's ``links.csv``.

    Parameters
    ----------
    folder
        The feed folder (created, or replaced if it holds dakpan feeds).
    pub
        The plan (see :func:`planner.publish_common.load`).
    secret_file
        The secret's file (outside ``folder``), created when missing.
    base_url
        The folder's public ``https://`` address, or ``None`` (relative links).
    links_csv
        Where to write ``links.csv`` (outside ``folder``; mode 0600).
    plan_dir
        The plan folder, if any: the secret may not lie inside it either (a
        re-plan replaces the folder, and with it every person's address).

    Returns
    -------
    FeedResult
        What was written.

    Raises
    ------
    PublishError
        If a path is unsuitable or a file cannot be written.
    """
    base = normalise_base_url(base_url)
    for private, what in ((secret_file, "--secret-file"), (links_csv, "links.csv")):
        if _inside(private, folder):
            raise PublishError(f"{what} {private} lies inside the published folder {folder}")
    if plan_dir is not None and _inside(secret_file, plan_dir):
        raise PublishError(
            f"--secret-file {secret_file} lies inside the plan folder {plan_dir}, which a "
            "re-plan replaces: keep it elsewhere (default ~/.config/dakpan/feed-secret)"
        )
    _replaceable(folder)
    secret, created = read_secret(secret_file)
    try:
        previous = previous_revisions(folder) if folder.is_dir() else {}
    except Exception as exc:
        raise PublishError(f"{folder}: cannot read the earlier feeds ({exc})") from None
    files, links = feed_files(pub, secret, base, previous)
    _replace_folder(folder, files)
    try:
        write_private(links_csv, links_csv_text(links).encode("utf-8"))
    except OSError as exc:
        raise PublishError(f"{links_csv}: cannot write ({exc.strerror or exc})") from None
    ics = sum(1 for name in files if name.endswith(".ics"))
    return FeedResult(folder, ics, links, links_csv, created)


def _replace_folder(folder: Path, files: dict[str, bytes]) -> None:
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise PublishError(f"{folder}: cannot write ({exc.strerror or exc})") from None
    try:
        for name, data in files.items():
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for sub in [tmp, *(p for p in tmp.rglob("*") if p.is_dir())]:
            os.chmod(sub, 0o755)
        if folder.exists():
            old = tmp.with_name(tmp.name[: -len(".tmp")] + ".old")
            folder.rename(old)
            try:
                tmp.rename(folder)
            except OSError:
                old.rename(folder)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise PublishError(f"{folder}: cannot write ({exc.strerror or exc})") from None
