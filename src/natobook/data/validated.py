"""The data files a build has held to the schema, by the sha256 of their bytes: the notebooks it runs read them
without validating them again, and so never import pandera (about 0.2 s of every notebook's start). A file not
recorded, or changed since the build validated it (other bytes, another digest), is validated as any other.

The record is the build's environment, which its workers and their kernels inherit: nothing is written (a refused
or failed build leaves its folders as they were), and a notebook run any other way, or on a dask worker of another
machine, validates what it reads.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ENVIRONMENT = "NATOBOOK_VALIDATED_SHA256"  # the digests, separated by spaces


def _digest(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _recorded() -> set[str]:
    return set(os.environ.get(ENVIRONMENT, "").split())


def record(path: str | Path) -> None:
    """Say, for the processes this one starts from now on, that the file at `path` as it is now is valid."""
    os.environ[ENVIRONMENT] = " ".join(sorted(_recorded() | {_digest(path)}))


def is_validated(path: str | Path) -> bool:
    """Whether the build that started this process validated the file at `path` with the bytes it holds now."""
    return _digest(path) in _recorded()
