"""What an executed notebook (chapters/*.ipynb) tells the site: the data edition it ran on (its papermill
parameters), the figures it glued as charts, and its title as the reader sees it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import nbformat

from natobook.build.figures import glued_figures


@cache
def notebook_edition(source: str) -> str | None:
    if not source.endswith(".ipynb") or not Path(source).exists():
        return None
    notebook = nbformat.read(source, as_version=4)
    return notebook.metadata.get("papermill", {}).get("parameters", {}).get("edition")


@cache
def notebook_charts(source: str) -> frozenset[str]:
    """The figures an executed notebook glues as a chart (a Vega-Lite spec), not as a note.

    Decided from the glued outputs, by the very test natobook.build.figures exports by, so a figure has
    download links exactly when its files are exported. Not from the exported files: Sphinx may run
    before they are written or beside stale ones (the PDF build, a build in another folder).
    """
    return frozenset(name for name, _ in glued_figures(Path(source)))


# A country page's heading is the Ally's name, glued: "# {glue:md}`country`".
GLUED_HEADING = re.compile(r"^\{glue:(?:md|text)\}`([^`:]+)`$")


def _glued_text(notebook, name: str) -> str | None:
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") == name:
                data = output.get("data", {})
                return next((str(value) for key, value in data.items() if key.endswith("text/markdown")), None)
    return None


@cache
def page_title(source: str) -> str | None:
    """An executed notebook's first heading as the reader sees it (a glued heading resolved); None if it has none."""
    if not source.endswith(".ipynb") or not Path(source).exists():
        return None
    notebook = nbformat.read(source, as_version=4)
    headings = (
        line[2:].strip()
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("# ")
    )
    heading = next(headings, None)
    glued = GLUED_HEADING.match(heading or "")
    return _glued_text(notebook, glued[1]) if glued else heading
