"""``dakpan serve``: the web page for coordinators (upload, check, plan, download).

Bound to 127.0.0.1 by default. On any other host a token is required on
every request: ``--token``, or one generated and printed once.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer

from planner.web.store import default_data_dir
from planner.web.uploads import MAX_UPLOAD

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
"""Hosts that only this computer can reach."""


def serve_command(
    *,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Folder for uploads and plans.", show_default=False),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="Access token required on every request (generated when another host "
            "than 127.0.0.1 is given without one).",
            show_default=False,
        ),
    ] = None,
    max_upload_mb: Annotated[
        int, typer.Option("--max-upload-mb", min=1, max=200, help="Largest upload in MB.")
    ] = MAX_UPLOAD // (1024 * 1024),
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Search workers of the one solve.")
    ] = 2,
) -> None:
    """Serve the web page for coordinators: upload an input, plan, download the plan.

    Open the printed address in a browser. Uploads and plans are kept under
    --data (default: dakpan's folder in your data directory).
    """
    import uvicorn

    from planner.web.app import LOOPBACK_HOSTS, create_app

    if token is not None and len(token) < 16:
        typer.echo("--token must be at least 16 characters long", err=True)
        raise typer.Exit(2)
    local = host in LOOPBACK
    if not local and token is None:
        token = secrets.token_urlsafe(24)
        typer.echo(f"Access token (shown once): {token}")
    folder = data if data is not None else default_data_dir()
    try:
        app = create_app(
            folder,
            token=token,
            allowed_hosts=LOOPBACK_HOSTS if local else None,
            max_upload=max_upload_mb * 1024 * 1024,
            workers=workers,
        )
    except OSError as exc:
        typer.echo(f"{folder}: cannot be used as the data folder ({exc.strerror})", err=True)
        raise typer.Exit(2) from None
    shown = f"[{host}]" if ":" in host else host
    suffix = f"/?token={token}" if token is not None else "/"
    typer.echo(
        f"dakpan serve: open http://{shown}:{port}{suffix}  (data in {folder}; Ctrl-C stops)"
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the app."""
    app.command("serve")(serve_command)
