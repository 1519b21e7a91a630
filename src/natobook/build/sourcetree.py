"""Copy the book's source tree: what a clone holds (plus untracked data the book needs), never what a build
writes. A copy run with PYTHONPATH=<copy>/src imports its own natobook, whose location makes the copy the
book's root (natobook.paths): its build, cache and published site then stay inside it. The benchmark and
the rebuild tests build in such copies so that the real site and cache are never touched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from natobook import paths

# Generated outputs and caches, wherever they are (the folders .gitignore lists).
GENERATED_NAMES = frozenset(
    {".venv", "_build", ".natobook-cache", ".pytest_cache", "__pycache__", ".ipynb_checkpoints", "node_modules"}
)
# Generated files at one place in the tree (.gitignore too): executed notebooks, what they write, the chart library.
GENERATED_PATHS = frozenset({"chapters/countries", "chapters/figures", "_static/vega-bundle.js", "_toc.yml.generated"})


def is_generated(relative: Path) -> bool:
    """Whether the path (relative to the book's root) is something a build or an install writes."""
    posix = relative.as_posix()
    return bool(
        GENERATED_NAMES & set(relative.parts)
        or relative.name.endswith(".egg-info")
        or any(posix == path or posix.startswith(f"{path}/") for path in GENERATED_PATHS)
        or (relative.parts[:1] == ("chapters",) and relative.suffix == ".ipynb")
    )


def copy_book(target: Path, with_git: bool = False, root: Path = paths.ROOT) -> Path:
    """Copy the book's sources from `root` into `target` (which must not exist yet) and return it.

    `with_git` copies .git as well, for a build whose provenance page names the commit and its time; without
    it the copy is no git checkout and that page says so.
    """

    def ignored(folder: str, names: list[str]) -> set[str]:
        relative = Path(folder).relative_to(root)
        return {
            name
            for name in names
            if is_generated(relative / name) or (name == ".git" and not with_git and relative == Path("."))
        }

    # symlinks stay symlinks: a link into the source tree would otherwise copy what it points to twice
    shutil.copytree(root, target, symlinks=True, ignore=ignored)
    return target
