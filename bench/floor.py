"""The floor of one notebook: what it costs before its first line of work (a kernel started, the book's imports)
against what the book's notebooks cost in all. Writes the "Per-notebook floor" section of bench/RESULTS.md.

Measured two ways:

* directly: papermill executes, one after another, a notebook holding only the import statements of every
  notebook in notebooks/ (as the pipeline runs them: kernel python3, cwd notebooks/): the kernel's start
  (papermill's notebook start to its first cell), the imports (that cell), and the whole call;
* in the executed notebooks of the last build (chapters/, papermill's own timings per notebook and per cell):
  kernel start (notebook start to first cell), the cells that import (which here also read the data), and
  everything else (the work).
  Those notebooks ran `--jobs` at a time on a shared machine, so their numbers carry its load.

    .venv/bin/python bench/floor.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
import papermill
from sections import FLOOR, replace_section

from natobook import paths
from natobook.build import textnotebook


def _imports(source: str) -> bool:
    """Whether a cell imports anything (in these notebooks, the cell that imports also reads the data)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:  # IPython magics: not an import cell
        return False
    return any(isinstance(node, (ast.Import, ast.ImportFrom)) for node in body)


def book_imports() -> list[str]:
    """Every import statement of the notebooks' code cells, once each, in the order first met."""
    found: dict[str, None] = {}
    for source in sorted(paths.NOTEBOOKS.glob("*.md")):
        for cell in textnotebook.read_source(source).cells:
            if cell.cell_type != "code":
                continue
            try:
                body = ast.parse(cell.source).body
            except SyntaxError:
                continue
            found |= {ast.unparse(node): None for node in body if isinstance(node, (ast.Import, ast.ImportFrom))}
    return list(found)


def _seconds(start: str, end: str) -> float:
    return (dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)).total_seconds()


def split_of(notebook: nbformat.NotebookNode) -> dict[str, float]:
    """kernel start, the cells that import and the rest of one executed notebook, from papermill's timings."""
    recorded = notebook.metadata.papermill
    cells = [cell for cell in notebook.cells if cell.metadata.get("papermill", {}).get("start_time")]
    start = _seconds(recorded["start_time"], cells[0].metadata.papermill["start_time"]) if cells else 0.0
    imports = sum(
        cell.metadata.papermill["duration"] or 0 for cell in cells if cell.cell_type == "code" and _imports(cell.source)
    )
    return {
        "start": start,
        "imports": imports,
        "work": recorded["duration"] - start - imports,
        "total": recorded["duration"],
    }


def measure_directly(imports: list[str], repeats: int) -> list[dict[str, float]]:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("\n".join(imports))])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(repeats):
            output = Path(scratch) / f"floor-{number}.ipynb"
            began = time.perf_counter()
            papermill.execute_notebook(
                notebook, str(output), kernel_name="python3", cwd=str(paths.NOTEBOOKS), progress_bar=False
            )
            call = time.perf_counter() - began
            runs.append(split_of(nbformat.read(output, as_version=4)) | {"call": call})
    return runs


def in_the_build() -> list[dict[str, float]]:
    return [split_of(nbformat.read(path, as_version=4)) for path in sorted(paths.CHAPTERS.rglob("*.ipynb"))]


def load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def section(direct: list[dict], built: list[dict], imports: list[str], loads: tuple[str, str]) -> list[str]:
    def median(rows: list[dict], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    floor = median(direct, "start") + median(direct, "imports")
    total = sum(row["total"] for row in built)
    lines = [
        FLOOR,
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} by `bench/floor.py`; load average {loads[0]} before and "
        f"{loads[1]} after (2 cores, shared).",
        "",
        f"**Directly** (median of {len(direct)} runs, one at a time): a notebook holding only the {len(imports)} "
        f"import statements of the book's notebooks costs {median(direct, 'start'):.2f} s to start its kernel and "
        f"{median(direct, 'imports'):.2f} s to import, a floor of **{floor:.2f} s** per notebook "
        f"({median(direct, 'call'):.2f} s for papermill's whole call, shutting the kernel down included).",
        "",
        f"**In the last build's {len(built)} executed notebooks** (papermill's timings; run side by side, under "
        f"that build's load; the figure exports after each notebook are not in them):",
        "",
        "| per notebook | median (s) | sum over the build (s) | share of the sum |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {label} | {median(built, key):.2f} | {sum(row[key] for row in built):.1f} | "
            f"{sum(row[key] for row in built) / total:.0%} |"
            for key, label in (
                ("start", "kernel start"),
                ("imports", "cells that import (and read the data)"),
                ("work", "the rest: data, numbers, charts"),
                ("total", "notebook, in all"),
            )
        ),
        "",
        f"Kernel start and the import cells are {(median(built, 'start') + median(built, 'imports')) / median(built, 'total'):.0%} "
        f"of a typical notebook of that build. The direct floor and the build's notebooks ran at different times, so "
        f"under different loads: compare shares within each, not seconds across them. The imports are mostly pandas, "
        f"altair and myst-nb; pandera only where a page validates data its build has not (natobook.data.validated).",
        "",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    before = load()
    imports = book_imports()
    direct = measure_directly(imports, options.repeats)
    built = in_the_build()
    if not built:
        raise SystemExit(f"no executed notebooks in {paths.CHAPTERS}: build the book first (make book)")
    lines = section(direct, built, imports, (before, load()))
    replace_section(FLOOR, lines)
    print("\n".join(lines))
    print(json.dumps({"direct": direct}, indent=1))


if __name__ == "__main__":
    main()
