"""Run `jupyter-book build` with warnings as errors, and turn a failure into a readable message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from natobook import paths
from natobook.errors import NatobookError

MESSAGE_LINES = 30


class BookBuildError(NatobookError):
    """jupyter-book failed; the message carries its warnings and errors, the log the rest."""


def _problems(log_text: str) -> list[str]:
    lines = log_text.splitlines()
    flagged = [line for line in lines if "WARNING" in line or "ERROR" in line or "Error" in line]
    return (flagged or lines)[-MESSAGE_LINES:]


def build(work_dir: Path, builder: str = "html") -> Path:
    """Build the book from the source tree into `work_dir`; returns the built folder."""
    log_path = paths.BUILD / "logs" / f"jupyter-book-{builder}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(paths.ROOT),
        "--builder",
        builder,
        "--path-output",
        str(work_dir),
        "-W",
        "-n",
        "--keep-going",
    ]
    with open(log_path, "w", encoding="utf-8") as log:
        result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, cwd=paths.ROOT)
    if result.returncode != 0:
        problems = "\n  ".join(_problems(log_path.read_text(encoding="utf-8")))
        raise BookBuildError(f"jupyter-book build ({builder}) failed; full log: {log_path}\n  {problems}")
    return work_dir / "_build" / builder
