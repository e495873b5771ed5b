"""The Typer application: ``dakpan validate | template | check | baseline | plan | export-ics``
and ``dakpan analyze``.

Each group of commands lives in its own module with a ``register(app)``
function; this module only assembles them.
"""

from __future__ import annotations

import typer

from planner import __version__

app = typer.Typer(
    name="dakpan",
    help="Plan back-to-back (dakpan) meetings of networks that share members.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dakpan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Plan back-to-back (dakpan) meetings of networks that share members."""


def _register_all() -> None:
    from cli import commands_check, commands_ics, commands_input, commands_plan

    for module in (commands_input, commands_check, commands_plan, commands_ics):
        module.register(app)
    from cli import commands_publish

    commands_publish.register(app)
    from cli import commands_analyze

    commands_analyze.register(app)
    from cli import commands_availability

    commands_availability.register(app)
    from cli import commands_serve

    commands_serve.register(app)
    from cli import commands_replan

    commands_replan.register(app)
    _guard_all()


def _guard_all() -> None:
    """Every command ends an internal error with exit 3 and a log file (never a traceback)."""
    from cli.safety import guarded

    for info in app.registered_commands:
        if info.callback is not None and not hasattr(info.callback, "__wrapped__"):
            info.callback = guarded(info.callback)


_register_all()


def main() -> None:
    """Entry point of the ``dakpan`` console script."""
    app()
