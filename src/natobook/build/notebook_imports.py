"""Which of the package's files a notebook's execution depends on: the modules its code imports, transitively.

The cache key of an executed notebook covers these files (and the package's data files), not the whole package:
editing the build machinery, the Sphinx extensions or another chapter's chart does not re-execute a notebook that
never imports them. Imports are read from the source with `ast` (also those inside functions), never executed.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from natobook.build import textnotebook

PACKAGE = "natobook"
# Modules that shape an executed notebook without being imported by it: the source is read into a notebook
# object by textnotebook, and post-processing fills {{ placeholders }} with params.render.
SHAPES_EXECUTED_NOTEBOOKS = ("natobook.build.textnotebook", "natobook.build.params")


@cache  # a build asks it of the same modules for every notebook: each text is parsed once
def imported_modules(code: str) -> frozenset[str]:
    """Every natobook module `code` names in an import, as dotted names (a name imported from a package may be
    a submodule: both are kept, and `module_files` keeps those that exist)."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == PACKAGE}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == PACKAGE:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return frozenset(found)


def module_files(module: str, src: Path) -> list[Path]:
    """The files importing `module` runs: each package's __init__.py on the way, and the module itself."""
    parts = module.split(".")
    files = [src.joinpath(*parts[:depth], "__init__.py") for depth in range(1, len(parts) + 1)]
    files.append(src.joinpath(*parts).with_suffix(".py"))
    return [path for path in files if path.is_file()]


def notebook_code(source: Path) -> str:
    """The code cells of a notebook source, IPython magics and shell lines left out (they are no Python)."""
    cells = textnotebook.read_source(source).cells
    lines = [
        line
        for cell in cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if not line.lstrip().startswith(("%", "!"))
    ]
    return "\n".join(lines)


def closure(modules: Iterable[str], src: Path) -> list[Path]:
    """The files of `modules` and of every natobook module they import, transitively, sorted."""
    seen: set[Path] = set()
    pending = [path for module in modules for path in module_files(module, src)]
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        pending += [
            found
            for module in imported_modules(path.read_text(encoding="utf-8"))
            for found in module_files(module, src)
        ]
    return sorted(seen)


def dependencies(source: Path, src: Path) -> list[Path]:
    """Every package file an execution of the notebook `source` depends on: its import closure, the modules that
    shape an executed notebook, and the package's data files (allies.csv, ...)."""
    modules = {*imported_modules(notebook_code(source)), *SHAPES_EXECUTED_NOTEBOOKS}
    data_files = [path for path in (src / PACKAGE).rglob("*") if path.is_file() and path.suffix not in (".py", ".pyc")]
    return sorted({*closure(modules, src), *data_files})


def digest(source: Path, src: Path) -> str:
    """sha256 over the relative paths and contents of `dependencies`."""
    hashed = hashlib.sha256()
    for path in dependencies(source, src):
        hashed.update(f"{path.relative_to(src).as_posix()}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    return hashed.hexdigest()
