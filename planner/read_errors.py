"""The reader's faults: :class:`InputIssue`, :class:`InputError`, and the collector of both.

Every part of the reader reports through one :class:`_Reader`, which keeps the
issues (ranked: settings first, then the tables in contract order) and the
warnings of one input. Other modules that read user files (plan files, polls,
calendars) raise :class:`InputError` too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.safety import printable

#: Most issues an :class:`InputError` prints before "... and N more".
MAX_ISSUES = 50


@dataclass(frozen=True, slots=True)
class InputIssue:
    """One fault of the input.

    Attributes
    ----------
    file
        ``memberships.csv``, ``input.xlsx, sheet memberships``, or ``input``
        for a fault of the whole problem.
    row
        Row as the user sees it in Excel (header is row 1), or ``None``.
    column
        Column name, or ``None``.
    message
        What was found and what was expected.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """File, row, column and message; control characters shown as ``\\x1b``."""
        if self.row is None and self.column is None:
            sep = ": " if self.file == "input" else " "
            return printable(f"{self.file}{sep}{self.message}")
        where = self.file
        if self.row is not None:
            where += (", row " if "," in self.file else " row ") + str(self.row)
        if self.column is not None:
            where += f", column {self.column}"
        return printable(f"{where}: {self.message}")


class InputError(Exception):
    """The input cannot be read; :attr:`issues` lists every fault found.

    Parameters
    ----------
    issues
        The faults, in the order they should be shown.
    """

    def __init__(self, issues: Sequence[InputIssue]) -> None:
        self.issues: tuple[InputIssue, ...] = tuple(issues)
        super().__init__("\n".join(self.lines()))

    def lines(self, limit: int = MAX_ISSUES) -> list[str]:
        """The issues as text, at most ``limit`` of them, then ``... and N more``.

        Parameters
        ----------
        limit
            Most issues to show.

        Returns
        -------
        list[str]
            One line per issue.
        """
        out = [str(i) for i in self.issues[:limit]]
        if len(self.issues) > limit:
            out.append(f"... and {len(self.issues) - limit} more")
        return out


class _Reader:
    """Collects issues and warnings while reading one input."""

    def __init__(self) -> None:
        self.issues: list[tuple[int, int, InputIssue]] = []
        self._warnings: list[tuple[int, int, str]] = []
        self.settings_broken = False  # a fault of the settings source is reported

    def fail(
        self, file: str, row: int | None, column: str | None, message: str, rank: int = 50
    ) -> None:
        self.issues.append((rank, len(self.issues), InputIssue(file, row, column, message)))

    def warn(
        self, file: str, row: int | None, column: str | None, message: str, rank: int = 0
    ) -> None:
        text = str(InputIssue(file, row, column, message))
        self._warnings.append((rank, len(self._warnings), text))

    @property
    def warnings(self) -> list[str]:
        return [w for _, _, w in sorted(self._warnings)]

    def sorted_issues(self) -> list[InputIssue]:
        return [i for _, _, i in sorted(self.issues, key=lambda t: (t[0], t[1]))]
