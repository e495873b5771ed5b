"""Publishing from the web app: the subscription feed folder of a plan (``dakpan publish --feeds``).

The feeds are written with :func:`planner.publish_feeds.write_feeds` into
``DATA/uploads/<upload>/feeds/<plan>/site`` (so that re-publishing a later
plan carries the calendars' ``SEQUENCE`` numbers on), with the secret in
``DATA/feed-secret`` and the coordinator's ``links.csv`` beside ``site``.
"""

from __future__ import annotations

from pathlib import Path

from planner.publish_common import load, require_clean
from planner.publish_feeds import write_feeds

SECRET = "feed-secret"
"""The feed secret's file name in the data folder."""


def feeds_folder(upload_dir: Path, pid: str) -> tuple[Path, Path]:
    """The feed folder of a plan and its ``links.csv`` (neither need exist)."""
    base = upload_dir / "feeds" / pid
    return base / "site", base / "links.csv"


def publish_feeds(data: Path, upload_dir: Path, plan_dir: Path, base_url: str) -> Path:
    """Write (or replace) a plan's feed folder; return it.

    Parameters
    ----------
    data
        The app's data folder (holds the secret).
    upload_dir, plan_dir
        The upload's folder and the plan's folder.
    base_url
        The public ``https://`` address the folder will have, or ``""``.

    Raises
    ------
    planner.publish_common.PublishError
        When the plan breaks a hard rule, the address is not http(s), or a
        file cannot be written.
    """
    site, links = feeds_folder(upload_dir, plan_dir.name)
    site.parent.mkdir(parents=True, exist_ok=True)
    pub = load(plan_dir)
    require_clean(pub)
    write_feeds(
        site,
        pub,
        secret_file=data / SECRET,
        base_url=base_url.strip() or None,
        links_csv=links,
        plan_dir=plan_dir,
    )
    return site
