"""The cache of executed notebooks: .natobook-cache/<key[:2]>/<key>/{notebook.ipynb, files/..., exports/..., run.json}.

An entry is stored whole or not at all, restored only when its files are the bytes stored, and pruned when
unused. The figure exports are read from and written to `execute.FIGURE_EXPORTS` at call time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from natobook import paths
from natobook.build import execute, figures, provenance
from natobook.build.filecopy import copy_if_changed
from natobook.build.runs import Planned, relative_to_book

ENTRY_RECORD = "run.json"  # in each cache entry: what ran, its figures, and the sha256 of each file
CACHE_KEEP_DAYS = 30  # entries unused for this long are removed after a build
# and the least recently used beyond this size (a full build's entries take about 50 MB)
CACHE_MAX_BYTES = 512 * 2**20
CACHE = Path(os.environ.get("NATOBOOK_CACHE_DIR", paths.CACHE))
# Links in a page's markdown to files a notebook wrote (the CSV behind each figure): {download}`text <path>`.
DOWNLOAD_LINK = re.compile(r"\{download\}`(?:[^`<]*<([^>`]+)>|([^`]+))`")


def linked_files(notebook_path: Path) -> list[Path]:
    """Files in chapters/ that the page's markdown links with {download} (written by the notebook)."""
    cells = json.loads(notebook_path.read_text(encoding="utf-8"))["cells"]  # plain JSON: no need to validate again
    found = []
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for match in DOWNLOAD_LINK.finditer(source):
            target = (notebook_path.parent / (match.group(1) or match.group(2)).strip()).resolve()
            if target.is_file() and target.is_relative_to(paths.CHAPTERS.resolve()):
                found.append(target)
    return sorted(set(found))


def cache_entry(key: str) -> Path:
    return CACHE / key[:2] / key


def cache_store(planned: Planned, figure_names: tuple[str, ...] = ()) -> None:
    """Keep the executed notebook, the files its page links and its figure exports; written whole or not at all."""
    entry = cache_entry(planned.key)
    if entry.exists():
        return
    entry.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=entry.parent, prefix=".tmp-"))
    try:
        _stage_entry(planned, figure_names, staging)
        try:
            os.rename(staging, entry)
        except OSError:  # another build stored the same entry meanwhile
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:  # an interrupt included: no half-staged entry stays in the cache
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _stage_entry(planned: Planned, figure_names: tuple[str, ...], staging: Path) -> None:
    shutil.copyfile(planned.run.output, staging / "notebook.ipynb")
    for path in linked_files(planned.run.output):
        relative = path.relative_to(paths.CHAPTERS.resolve())
        (staging / "files" / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, staging / "files" / relative)
    for path in _exports_of(figure_names):
        (staging / "exports").mkdir(exist_ok=True)
        shutil.copyfile(path, staging / "exports" / path.name)
    (staging / ENTRY_RECORD).write_text(
        json.dumps(
            {
                "source": relative_to_book(planned.run.source),
                "output": planned.label,
                "parameters": planned.parameters,
                "figures": list(figure_names),
                "sha256": _entry_digests(staging),
            },
            sort_keys=True,
            indent=1,
            default=str,
        )
    )


def _entry_digests(entry: Path) -> dict[str, str]:
    """sha256 of every file of a cache entry but its record, by path within the entry."""
    return {
        path.relative_to(entry).as_posix(): provenance.sha256(path)
        for path in sorted(entry.rglob("*"))
        if path.is_file() and path.name != ENTRY_RECORD
    }


def _intact_record(entry: Path) -> dict | None:
    """The entry's record if every file it lists is there with the bytes stored, and no other; else None."""
    try:
        record = json.loads((entry / ENTRY_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if record.get("sha256") == _entry_digests(entry) else None


def cache_restore(planned: Planned) -> tuple[str, ...] | None:
    """Copy a cached result into place and return the names of its figures; None when there is none, or when
    the entry's files are not the bytes stored (a damaged entry is removed: the notebook executes again)."""
    entry = cache_entry(planned.key)
    notebook = entry / "notebook.ipynb"
    if not notebook.is_file():
        return None
    if (record := _intact_record(entry)) is None:
        print(
            f"cache entry {relative_to_book(entry)} is damaged: removed, {planned.label} executes again",
            file=sys.stderr,
        )
        shutil.rmtree(entry, ignore_errors=True)
        return None
    files = entry / "files"
    for path in sorted(files.rglob("*")) if files.is_dir() else []:
        if path.is_file():
            copy_if_changed(path, paths.CHAPTERS / path.relative_to(files))
    exports = entry / "exports"
    for path in sorted(exports.iterdir()) if exports.is_dir() else []:
        copy_if_changed(path, execute.FIGURE_EXPORTS / path.name)
    copy_if_changed(notebook, planned.run.output)
    os.utime(entry)  # last used now: pruning keeps it
    return tuple(record.get("figures", ()))


def _entry_bytes(entry: Path) -> int:
    return sum(path.stat().st_size for path in entry.rglob("*") if path.is_file())


def prune_cache(
    keep_days: float = CACHE_KEEP_DAYS, only: set[str] | None = None, max_bytes: int = CACHE_MAX_BYTES
) -> int:
    """Remove entries no build has used for `keep_days` (old data, old code), every entry whose key is not in
    `only` when given (`build --prune-cache`), then the least recently used until the rest fits in `max_bytes`;
    returns how many were removed."""
    cutoff = time.time() - keep_days * 86400
    entries = sorted((entry for entry in CACHE.glob("??/*") if entry.is_dir()), key=lambda e: e.stat().st_mtime)
    unwanted = (lambda entry: entry.name not in only) if only is not None else (lambda entry: False)
    removed = [entry for entry in entries if entry.stat().st_mtime < cutoff or unwanted(entry)]
    kept = [(entry, _entry_bytes(entry)) for entry in entries if entry not in removed]
    total = sum(size for _, size in kept)
    for entry, size in kept:  # oldest first
        if total <= max_bytes:
            break
        removed.append(entry)
        total -= size
    for entry in removed:
        shutil.rmtree(entry, ignore_errors=True)
    return len(removed)


def _exports_of(figure_names: tuple[str, ...]) -> list[Path]:
    candidates = [
        execute.FIGURE_EXPORTS / f"{name}.{fmt}" for name in figure_names for fmt in (*figures.FORMATS, "csv")
    ]
    return [path for path in candidates if path.is_file()]
