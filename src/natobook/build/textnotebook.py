"""Notebook sources are MyST Markdown text notebooks (jupytext): prose first, readable in a diff and in review.

papermill executes them as notebook objects. jupytext draws random cell ids when it reads a text notebook;
the executed notebooks must be the same in every build, so each cell gets its position as its id.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat

# jupytext records its own version in the text notebook's header: not the executed notebook's business.
_TEXT_ONLY_METADATA = "jupytext"


def read_source(path: Path | str) -> nbformat.NotebookNode:
    """The notebook at `path` (a MyST text notebook, or an .ipynb) with stable cell ids."""
    notebook = jupytext.read(path)
    notebook.metadata.pop(_TEXT_ONLY_METADATA, None)
    notebook.metadata.setdefault("language_info", {"name": "python"})
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index:02d}"
    return notebook
