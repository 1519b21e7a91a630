"""A notebook run of the build as planned, what came of it, and the error that stops a build."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from natobook import paths
from natobook.build import params as params_module
from natobook.errors import NatobookError


class BuildError(NatobookError):
    """The build stopped; the published site was not touched."""


@dataclass(frozen=True)
class Planned:
    """A run with the parameters papermill receives and its cache key."""

    run: params_module.NotebookRun
    parameters: dict
    key: str

    @property
    def label(self) -> str:
        return relative_to_book(self.run.output)


@dataclass(frozen=True)
class RunFailure:
    run: params_module.NotebookRun
    parameters: dict
    error: str
    cell: str | None = None  # "cell 5 (id cell-04)" when the error came from a cell
    kept: Path | None = None  # the partly executed notebook, for reading the traceback

    def __str__(self) -> str:
        lines = [
            f"{relative_to_book(self.run.source)} -> {relative_to_book(self.run.output)}",
            f"    parameters: {json.dumps(self.parameters, sort_keys=True, default=str)}",
            f"    {self.cell + ': ' if self.cell else ''}{self.error}",
        ]
        if self.kept:
            lines.append(f"    executed notebook kept at {self.kept}")
        return "\n".join(lines)


@dataclass(frozen=True)
class RunOutcome:
    """What one execution gave: a failure, or the names of the figures its notebook glues (exported)."""

    failure: RunFailure | None = None
    figures: tuple[str, ...] = ()


@dataclass
class ExecutionReport:
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failures: list[RunFailure] = field(default_factory=list)
    figures: set[str] = field(default_factory=set)  # every figure of the set's pages


def relative_to_book(path: Path) -> str:
    """The path from the book's root (for messages and records), or as given when outside it."""
    try:
        return str(Path(path).relative_to(paths.ROOT))
    except ValueError:
        return str(path)
