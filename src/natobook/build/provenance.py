"""What a build was made from: data files and their sha256, editions, notebook parameters, versions, commit.

The build time shown is the time of the commit built (the SOURCE_DATE_EPOCH convention of
reproducible builds), so two builds of the same inputs produce the same pages.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import os
import re
import subprocess
from importlib import metadata
from pathlib import Path

import nbformat

from natobook import paths
from natobook.data import editions

# What each input a notebook reads is, in words (its parameter's name -> the provenance page's description).
INPUT_WORDS = {
    "data_path": "the defence-expenditure data the pages read (tidy CSV, from NATO's workbook)",
    "report_data_path": "the Annual Report 2024's per-Ally shares of GDP (tidy CSV)",
    "report_raw_path": "the Annual Report 2024's per-Ally shares of GDP, as quoted",
    "published_path": "the numbers the Annual Report 2024 printed, with their sources",
    "events_path": "the events of the Washington visit, with their sources",
    "claims_path": "the claims checked in the Washington chapter",
    "bibliography_path": "the bibliography",
}
BIBLIOGRAPHY = paths.DATA / "references.bib"  # read by the book build itself (_config.yml: bibtex_bibfiles)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _path_parameters(notebook) -> dict[str, str]:
    """The *_path parameters a notebook ran with: its defaults (the cell tagged `parameters`), then what
    papermill injected, which overrides them. papermill records only the injected ones."""
    found = {}
    for cell in notebook.cells:
        if cell.cell_type != "code" or not {"parameters", "injected-parameters"} & set(cell.metadata.get("tags", [])):
            continue
        for statement in ast.parse(cell.source).body:
            if (
                isinstance(statement, ast.Assign)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
            ):
                found |= {
                    target.id: statement.value.value
                    for target in statement.targets
                    if isinstance(target, ast.Name) and target.id.endswith("_path")
                }
    return found


def notebook_runs(chapters: Path) -> list[dict]:
    """Each executed notebook with the parameters papermill recorded for it and the files it read."""
    runs = []
    for path in sorted(chapters.rglob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        recorded = notebook.metadata.get("papermill", {})
        runs.append(
            {
                "notebook": str(path.relative_to(paths.ROOT)),
                "source": os.path.relpath(paths.ROOT / recorded.get("input_path", ""), paths.ROOT) if recorded else "",
                "parameters": recorded.get("parameters", {}),
                "inputs": _path_parameters(notebook),
            }
        )
    return runs


def _entry(path: Path, what: str) -> dict:
    return {"file": os.path.relpath(path, paths.ROOT), "what": what, "sha256": sha256(path)}


def data_files(runs: list[dict]) -> list[dict]:
    """Every input the pages were made from, with what it is and its sha256: each file a notebook read
    (its *_path parameters, defaults included), the raw file NATO published of each edition used, and the
    bibliography the book build reads."""
    found = {}
    for run in runs:
        for key, value in run["inputs"].items():
            path = (paths.NOTEBOOKS / value).resolve()
            if path.is_file():
                found[path] = _entry(path, INPUT_WORDS.get(key, key))
    for edition in {run["parameters"].get("edition") for run in runs} - {None}:
        raw = editions.describe(edition)["raw_file"]
        if raw and (paths.ROOT / raw).is_file():
            found[(paths.ROOT / raw).resolve()] = _entry(
                paths.ROOT / raw, f"NATO's file of edition {edition}, byte for byte"
            )
    if BIBLIOGRAPHY.is_file():
        found[BIBLIOGRAPHY.resolve()] = _entry(BIBLIOGRAPHY, INPUT_WORDS["bibliography_path"])
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
