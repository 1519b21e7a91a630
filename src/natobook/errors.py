"""Errors that reach a user: each names the file, the row and the column at fault."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    file: str
    message: str
    row: int | str | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class NatobookError(Exception):
    """A failure the user must read: the CLI prints it and exits non-zero, with no traceback."""


class DataError(NatobookError):
    """An input file that is not what the book expects."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        return f"{head}:\n" + "\n".join(f"  {p}" for p in self.problems)


class ParameterError(NatobookError):
    """A notebook or build parameter that is missing, of the wrong type, or out of range."""
