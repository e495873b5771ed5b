"""The installed distribution holds every package of the source tree.

Tests import ``planner`` from the checkout, so a subpackage missing from the
wheel (as ``planner.solver`` once was) would only show on a fresh install.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parent.parent


def test_every_source_package_is_in_the_distribution() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    shipped = set(find_packages(where=ROOT, include=include))
    in_tree = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("planner", "cli")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert in_tree <= shipped
    assert {"planner", "planner.solver", "cli"} <= shipped
    assert config["project"]["scripts"]["dakpan"] == "cli.app:main"
