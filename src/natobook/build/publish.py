"""Putting the site live: a new site folder beside the editions published before, switched to in one atomic
rename, and a record of what it was built from, so that an unchanged book is not built again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

from natobook import paths
from natobook.build import editionsite, execute, jupyterbook, provenance
from natobook.build.cachekey import runtime_versions, tree_digest

# What the book reads, for "nothing changed": the source tree without these.
NOT_BOOK_INPUTS = {
    ".git",
    ".venv",
    "_build",
    ".natobook-cache",
    ".pytest_cache",
    ".ruff_cache",
    "notebooks",
    "tests",
    "bench",
    "node_modules",
}


def book_fingerprint() -> str:
    """A digest of everything the book build reads: the source tree (executed notebooks included), the runtime,
    and the commit and its time, which every page's footer names (a new commit with the same files still gets
    pages that say so)."""
    tops = sorted(p.name for p in paths.ROOT.iterdir() if p.name not in NOT_BOOK_INPUTS)
    inside = paths.BUILD.resolve().is_relative_to(paths.ROOT.resolve())
    skip = (paths.BUILD.resolve().relative_to(paths.ROOT.resolve()).as_posix(),) if inside else ()
    record = paths.BUILD / jupyterbook.ACCEPTED_BLANKS
    accepted = provenance.sha256(record) if record.is_file() else ""
    stamp = provenance.build_stamp()
    read = f"{tree_digest(paths.ROOT, tuple(tops), skip)}{runtime_versions()}{accepted}{stamp['commit']}{stamp['time']}"
    return hashlib.sha256(read.encode()).hexdigest()


def publish(built_html: Path, edition: str) -> Path:
    """Assemble a new site folder, every edition held before beside the one built (natobook.build.editionsite),
    and switch `_build/html` to it in one atomic rename."""
    previous = paths.SITE.resolve() if paths.SITE.is_symlink() else None
    site = paths.BUILD / f"site-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    if site == previous:  # two publishes within a second: a name of its own, for the old site is still served
        site = site.with_name(f"{site.name}-{time.monotonic_ns()}")
    try:
        editionsite.assemble(site, built_html, execute.FIGURE_EXPORTS, edition, previous)
    except BaseException:  # a half-assembled folder is never published, nor left behind
        shutil.rmtree(site, ignore_errors=True)
        raise
    link_tmp = paths.BUILD / f".html-{os.getpid()}"
    link_tmp.unlink(missing_ok=True)
    link_tmp.symlink_to(site.name)
    if paths.SITE.exists() and not paths.SITE.is_symlink():
        shutil.rmtree(paths.SITE)  # a plain folder from an older layout: replace it once
    os.replace(link_tmp, paths.SITE)
    for old in paths.BUILD.glob("site-*"):
        if old != site:
            shutil.rmtree(old, ignore_errors=True)
    return site


PUBLISHED_STATE = "published.json"  # in BUILD: which site is published, and the fingerprint it was built from


def published_site_if_current(fingerprint: str) -> Path | None:
    """The published site when it was built from exactly this source tree, else None."""
    try:
        state = json.loads((paths.BUILD / PUBLISHED_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    site = paths.BUILD / str(state.get("site", ""))
    current = paths.SITE.is_symlink() and paths.SITE.resolve() == site.resolve() and site.is_dir()
    return site if current and state.get("fingerprint") == fingerprint else None


def record_published(site: Path, fingerprint: str) -> None:
    state = paths.BUILD / PUBLISHED_STATE
    tmp = state.with_name(f".{state.name}.{os.getpid()}")
    tmp.write_text(json.dumps({"site": site.name, "fingerprint": fingerprint}), encoding="utf-8")
    os.replace(tmp, state)
