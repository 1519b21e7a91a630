"""What a build was made from: data files and their sha256, editions, notebook parameters, versions, commit.

The build time shown is the time of the commit built (the SOURCE_DATE_EPOCH convention of
reproducible builds), so two builds of the same inputs produce the same pages.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
from importlib import metadata
from pathlib import Path

import nbformat

from natobook import paths


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def notebook_runs(chapters: Path) -> list[dict]:
    """Each executed notebook with the parameters papermill recorded for it."""
    runs = []
    for path in sorted(chapters.rglob("*.ipynb")):
        recorded = nbformat.read(path, as_version=4).metadata.get("papermill", {})
        runs.append({
            "notebook": str(path.relative_to(paths.ROOT)),
            "source": os.path.relpath(paths.ROOT / recorded.get("input_path", ""), paths.ROOT) if recorded else "",
            "parameters": recorded.get("parameters", {}),
        })
    return runs


def data_files(runs: list[dict]) -> list[dict]:
    """Every data file a notebook was given (parameters ending in _path), with its sha256."""
    found = {}
    for run in runs:
        for key, value in run["parameters"].items():
            if key.endswith("_path") and isinstance(value, str):
                path = (paths.NOTEBOOKS / value).resolve()
                if path.is_file():
                    found[path] = {"file": os.path.relpath(path, paths.ROOT), "sha256": sha256(path)}
    return sorted(found.values(), key=lambda entry: entry["file"])


def package_versions() -> list[tuple[str, str]]:
    """The pinned runtime packages, as installed."""
    names = []
    for line in (paths.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==", line.strip())
        if match:
            names.append(match.group(1))
    return [(name, metadata.version(name)) for name in names]


def _git(*args: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def build_stamp() -> dict:
    """The commit built and the build time: SOURCE_DATE_EPOCH if set, else the commit's own time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    commit_time = _git("log", "-1", "--format=%cI")
    if epoch:
        when = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).isoformat()
    else:
        when = commit_time or "unknown (not a git checkout)"
    return {"commit": _git("rev-parse", "--short=12", "HEAD") or "unknown", "time": when}
