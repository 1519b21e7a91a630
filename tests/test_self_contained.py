"""The repository stands alone: no tracked file reads or names a path outside it.

A reader's clone, or a reviewer's in an empty folder, has nothing beside it. Relative paths (`../x`) are
resolved from the folder of the file that names them (where notebooks, pages and tests are run from) and
must stay inside the repository; the curated sources the project was built from are never named.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest

from natobook import paths

THIS_FILE = Path(__file__).resolve()
# A relative path; not a link in a web page's HTML (href="../x"), which the browser resolves against the page's address.
RELATIVE_PATH = re.compile(r"(\b(?:href|src|data-site-root)=\"|)((?:\.\./)+[\w.{}-]*)")
# Spellings of "a folder beside the clone": the sources folder the project was compiled from, and the
# parent of the book's root taken in code.
OUTSIDE = re.compile(r"shared/sources|shared/DESIGN|ROOT\.parent\b|ROOT\s*/\s*[\"']\.\.[\"']")


def tracked_text_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=paths.ROOT, capture_output=True, check=True).stdout
    files = [paths.ROOT / name for name in listed.decode().split("\0") if name]
    return [
        path
        for path in files
        if path.resolve() != THIS_FILE and path.is_file() and b"\0" not in path.read_bytes()[:8192]
    ]


def escapes(path: Path) -> list[str]:
    """Every line of `path` that names a place outside the repository, as 'file:line: text'."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        outside = [
            match
            for in_html, match in RELATIVE_PATH.findall(line)
            if not in_html and not (path.parent / match).resolve().is_relative_to(paths.ROOT)
        ]
        if outside or OUTSIDE.search(line):
            found.append(f"{path.relative_to(paths.ROOT)}:{number}: {line.strip()[:160]}")
    return found


def test_the_repository_is_a_git_checkout_with_files():
    assert len(tracked_text_files()) > 50


def test_no_tracked_file_names_a_path_outside_the_repository():
    found = [hit for path in tracked_text_files() for hit in escapes(path)]
    assert not found, "paths outside the repository:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        'SOURCES = paths.ROOT.parent / "shared" / "sources"',
        "see ../shared/sources/SOURCES.md",
        "open('../../elsewhere/data.csv')",
        "copied from shared/sources/nato_2024_release/raw",
    ],
)
def test_the_guard_catches_an_outside_path(tmp_path, line, monkeypatch):
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    (tmp_path / "notebooks").mkdir()
    offender = tmp_path / "notebooks" / "page.md"
    offender.write_text(f"fine line\n{line}\n", encoding="utf-8")
    assert escapes(offender) == [f"notebooks/page.md:2: {line}"]


def test_the_guard_accepts_paths_that_stay_inside(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    (tmp_path / "notebooks").mkdir()
    page = tmp_path / "notebooks" / "page.md"
    page.write_text(
        'data_path = "../data/processed/x.csv"\n{doc}`index <../countries>`\n'
        '<a href="../../../editions/index.html">a link in a page of the site</a>\n',
        encoding="utf-8",
    )
    assert escapes(page) == []


def test_reference_files_are_the_ones_their_provenance_note_describes(reference_dir):
    """Each oracle file's sha256 is the one its README states, so an edit to an oracle cannot pass unseen."""
    note = (reference_dir / "README.md").read_text(encoding="utf-8")
    stated = dict(re.findall(r"^\| `([\w.]+\.csv)` \| `([0-9a-f]{64})` \|", note, flags=re.MULTILINE))
    on_disk = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in reference_dir.glob("*.csv")}
    assert len(stated) == 4 and stated == on_disk
