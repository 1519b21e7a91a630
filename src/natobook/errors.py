"""Errors that reach a user: each names the file, the row and the column at fault."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

SHOWN_PROBLEMS = 5  # a message lists this many problems, then counts the rest by kind
QUOTED = re.compile(r"'[^']*'")  # what differs between problems of one kind: the value found


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

    @property
    def kind(self) -> str:
        """The problem without its row and the value it found, e.g. "file, column 'value': expected a number,
        found '…'"."""
        column = f", column {self.column!r}" if self.column is not None else ""
        return f"{self.file}{column}: " + QUOTED.sub("'…'", self.message)


class NatobookError(Exception):
    """A failure the user must read: the CLI prints it and exits non-zero, with no traceback."""


class DataError(NatobookError):
    """An input file that is not what the book expects."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        """The first few problems, then the rest counted by kind (a thousands separator in every row of a CSV is
        one mistake, not 2,000 lines to read); `listing` has them all."""
        lines = [f"  {p}" for p in self.problems[:SHOWN_PROBLEMS]]
        rest = Counter(problem.kind for problem in self.problems[SHOWN_PROBLEMS:])
        lines += [f"  and {count:,} more of the same kind ({kind})" for kind, count in rest.items()]
        return f"{self._head()}:\n" + "\n".join(lines)

    def _head(self) -> str:
        count = len(self.problems)
        return "1 problem" if count == 1 else f"{count:,} problems"

    def listing(self) -> str:
        """Every problem, one a line."""
        return f"{self._head()}:\n" + "\n".join(f"  {p}" for p in self.problems)


class ParameterError(NatobookError):
    """A notebook or build parameter that is missing, of the wrong type, or out of range."""
