"""A file copied into place whole (a copy is renamed over its target), and only when its bytes changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# A copy in progress beside its target (copy_if_changed), named .<name>.<pid><suffix>.
PARTIAL_SUFFIX = ".partial"


def copy_if_changed(source: Path, target: Path) -> bool:
    """Copy unless `target` already holds the same bytes (an untouched file keeps Sphinx's incremental state)."""
    if (
        target.is_file()
        and target.stat().st_size == source.stat().st_size
        and target.read_bytes() == source.read_bytes()
    ):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}{PARTIAL_SUFFIX}")
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except BaseException:  # an interrupt included: no partial copy stays beside the target
        tmp.unlink(missing_ok=True)
        raise
    return True
