"""``dakpan publish PLAN_DIR``: subscription feeds, a CalDAV calendar, e-mail invitations.

One command, three channels, any combination:

- ``--feeds DIR [--base-url URL] [--secret-file FILE] [--links FILE]``
- ``--caldav URL [--user USER] [--create]``
- ``--invitations DIR --organizer EMAIL [--smtp HOST:PORT [--smtp-user USER]]``

``--dry-run`` only says what would happen; ``--yes`` skips every
confirmation. A plan that breaks a hard rule is never published. The
command only parses, calls :mod:`planner.publish_feeds`,
:mod:`planner.publish_caldav` and :mod:`planner.publish_mail`, and prints.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from planner.publish_caldav import CalDavSync, credentials, plan_sync, run_sync
from planner.publish_common import Publication, PublishError, find_credentials, load, require_clean
from planner.publish_feeds import write_feeds
from planner.publish_mail import (
    Outbox,
    parse_smtp,
    pending,
    read_state,
    send,
    write_outbox,
)
from planner.read import InputError

#: Exit code when publishing fails (server, refusal, hard violations, declined).
EXIT_FAILED = 1
#: Exit code for a plan folder or options that cannot be used.
EXIT_INPUT = 2
#: Environment variable with the SMTP password.
SMTP_PASSWORD_ENV = "DAKPAN_SMTP_PASSWORD"


def _default_secret() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "dakpan" / "feed-secret"


def _confirm(question: str, yes: bool) -> bool:
    if yes:
        return True
    return typer.confirm(question, default=False)


def _feeds(
    pub: Publication,
    folder: Path,
    *,
    plan_dir: Path,
    base_url: str | None,
    secret_file: Path,
    links: Path,
    dry_run: bool,
) -> None:
    if dry_run:
        typer.echo(f"feeds: would write {folder} and {links} (dry run: nothing written)")
        return
    result = write_feeds(
        folder,
        pub,
        secret_file=secret_file,
        base_url=base_url,
        links_csv=links,
        plan_dir=plan_dir,
    )
    if result.secret_created:
        typer.echo(f"feeds: created a new secret in {secret_file} (keep it; never share it)")
    typer.echo(
        f"feeds: wrote {result.files} calendars and index.html to {result.folder}; "
        f"person links for the coordinator only: {result.links_csv}"
    )
    if not base_url:
        typer.echo("feeds: no --base-url given: index.html has relative links and no webcal://")


def _caldav(
    pub: Publication,
    url: str,
    *,
    user: str | None,
    create: bool,
    dry_run: bool,
    yes: bool,
) -> None:
    sync = CalDavSync(url, credentials(url, user))
    plan = plan_sync(sync, pub, create=create, dry_run=dry_run)
    if plan.created_calendar:
        typer.echo(f"caldav: {'would create' if dry_run else 'created'} the calendar {sync.url}")
    counts = {
        k: sum(1 for a in plan.actions if a.kind == k) for k in ("create", "update", "delete")
    }
    typer.echo(
        f"caldav: {counts['create']} to create, {counts['update']} to update, "
        f"{counts['delete']} to delete, {plan.unchanged} unchanged; "
        f"{plan.foreign} other events in the calendar are left alone"
    )
    for action in plan.actions:
        typer.echo(f"  {action.kind:<6} {action.label}")
    if not plan.actions or dry_run:
        if dry_run:
            typer.echo("caldav: dry run: nothing changed")
        return
    if not _confirm(f"Apply {len(plan.actions)} changes to {sync.url}?", yes):
        typer.echo("caldav: nothing changed")
        raise typer.Exit(EXIT_FAILED)
    done = run_sync(sync, plan)
    typer.echo(f"caldav: {done} changes made")


def _summary(outbox: Outbox) -> None:
    counts = outbox.counts()
    typer.echo(
        f"invitations: {counts['new']} new, {counts['update']} updated, {counts['cancel']} "
        f"cancelled, to {len(outbox.recipients())} addresses"
    )
    for address in outbox.recipients():
        mine = [inv for inv in outbox.invitations if inv.email == address]
        kinds = {k: sum(1 for inv in mine if inv.kind == k) for k in ("new", "update", "cancel")}
        typer.echo(
            f"  {address}: {kinds['new']} new, {kinds['update']} updated, "
            f"{kinds['cancel']} cancelled"
        )
    if outbox.without_email:
        typer.echo(f"invitations: skipped (no e-mail address): {', '.join(outbox.without_email)}")


def _invitations(
    pub: Publication,
    folder: Path,
    *,
    organizer: str | None,
    organizer_name: str,
    smtp: str | None,
    smtp_user: str | None,
    dry_run: bool,
    yes: bool,
) -> None:
    if not organizer or "@" not in organizer:
        raise PublishError("--invitations needs --organizer EMAIL (the coordinator's address)")
    if smtp is not None:
        parse_smtp(smtp)
    when = datetime.now(UTC).replace(microsecond=0)  # the messages' Date and DTSTAMP
    outbox = pending(
        pub, read_state(folder), organizer=organizer, organizer_name=organizer_name, when=when
    )
    _summary(outbox)
    if dry_run:
        typer.echo("invitations: dry run: nothing written or sent")
        return
    paths = write_outbox(
        folder, outbox, organizer=organizer, organizer_name=organizer_name, when=when
    )
    typer.echo(f"invitations: wrote {len(paths)} .eml files to {folder}")
    if smtp is None or not outbox.invitations:
        return
    login = None
    if smtp_user is not None or os.environ.get(SMTP_PASSWORD_ENV) is not None:
        host, _ = parse_smtp(smtp)
        creds = find_credentials(host, smtp_user, SMTP_PASSWORD_ENV)
        if creds.user and creds.password:
            login = (creds.user, creds.password)
    if not _confirm(f"Send {len(outbox.invitations)} messages via {smtp}?", yes):
        typer.echo("invitations: nothing sent")
        raise typer.Exit(EXIT_FAILED)
    sent = send(
        folder,
        outbox,
        smtp=smtp,
        login=login,
        organizer=organizer,
        organizer_name=organizer_name,
        when=when,
    )
    typer.echo(f"invitations: sent {sent} messages; recorded in {folder / 'sent.json'}")


def publish(  # noqa: PLR0917 - Typer passes every option as a parameter
    plan_dir: Annotated[
        Path, typer.Argument(metavar="PLAN_DIR", help="Plan folder written by `dakpan plan`.")
    ],
    feeds: Annotated[
        Path | None, typer.Option("--feeds", help="Write subscription feeds to this folder.")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Public https:// address of the --feeds folder."),
    ] = None,
    secret_file: Annotated[
        Path | None,
        typer.Option(
            "--secret-file",
            help="Secret behind the person feed addresses (created on first use; keep it "
            "outside the feeds folder). Default: ~/.config/dakpan/feed-secret.",
        ),
    ] = None,
    links: Annotated[
        Path | None,
        typer.Option(
            "--links", help="Where to write links.csv (default: PLAN_DIR/feed-links.csv)."
        ),
    ] = None,
    caldav: Annotated[
        str | None, typer.Option("--caldav", help="URL of the CalDAV calendar to sync into.")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="CalDAV user name.")] = None,
    create: Annotated[
        bool, typer.Option("--create", help="Create the CalDAV calendar when it is missing.")
    ] = False,
    invitations: Annotated[
        Path | None,
        typer.Option("--invitations", help="Folder for invitation .eml files and sent.json."),
    ] = None,
    organizer: Annotated[
        str | None, typer.Option("--organizer", help="The coordinator's e-mail address.")
    ] = None,
    organizer_name: Annotated[
        str, typer.Option("--organizer-name", help="The coordinator's name.")
    ] = "",
    smtp: Annotated[
        str | None, typer.Option("--smtp", help="Send the invitations via HOST:PORT.")
    ] = None,
    smtp_user: Annotated[
        str | None,
        typer.Option("--smtp-user", help=f"SMTP login (password: {SMTP_PASSWORD_ENV} or netrc)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only say what would be done.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    schedule_csv: Annotated[
        bool,
        typer.Option("--schedule-csv", help="Take the meetings from the edited schedule.csv."),
    ] = False,
) -> None:
    """Publish a plan: calendar feeds, a CalDAV calendar and/or e-mail invitations."""
    if feeds is None and caldav is None and invitations is None:
        typer.echo("error: give --feeds DIR, --caldav URL and/or --invitations DIR", err=True)
        raise typer.Exit(EXIT_INPUT)
    try:
        pub = load(plan_dir, schedule_from_csv=schedule_csv)
    except InputError as exc:
        typer.echo(f"{plan_dir}: cannot read the plan:", err=True)
        for line in exc.lines():
            typer.echo(line, err=True)
        raise typer.Exit(EXIT_INPUT) from None
    folder = plan_dir if plan_dir.is_dir() else plan_dir.parent
    try:
        require_clean(pub)
        if feeds is not None:
            _feeds(
                pub,
                feeds,
                plan_dir=folder,
                base_url=base_url,
                secret_file=secret_file or _default_secret(),
                links=links or folder / "feed-links.csv",
                dry_run=dry_run,
            )
        if caldav is not None:
            _caldav(pub, caldav, user=user, create=create, dry_run=dry_run, yes=yes)
        if invitations is not None:
            _invitations(
                pub,
                invitations,
                organizer=organizer,
                organizer_name=organizer_name,
                smtp=smtp,
                smtp_user=smtp_user,
                dry_run=dry_run,
                yes=yes,
            )
    except PublishError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_FAILED) from None


def register(app: typer.Typer) -> None:
    """Add ``publish`` to ``app``."""
    app.command("publish")(publish)
