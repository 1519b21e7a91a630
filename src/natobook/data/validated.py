"""The data files a build has held to the schema, by the sha256 of their bytes: the notebooks it runs read them
without validating them again, and so never import pandera (about 0.2 s of every notebook's start). A file not
recorded, or changed since the build validated it (other bytes, another digest), is validated as any other."""

from __future__ import annotations

import hashlib
from pathlib import Path

from natobook import paths

RECORD = Path("data") / "validated.sha256"  # in the build folder: one digest per line


def _digest(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _recorded() -> set[str]:
    record = paths.BUILD / RECORD
    return set(record.read_text(encoding="utf-8").split()) if record.is_file() else set()


def record(path: str | Path) -> None:
    """Say that the build has validated the file at `path`, as it is now."""
    digest = _digest(path)
    if digest not in _recorded():
        (paths.BUILD / RECORD).parent.mkdir(parents=True, exist_ok=True)
        with open(paths.BUILD / RECORD, "a", encoding="utf-8") as out:
            out.write(f"{digest}\n")


def is_validated(path: str | Path) -> bool:
    """Whether a build has validated the file at `path` with the bytes it holds now."""
    return _digest(path) in _recorded()
