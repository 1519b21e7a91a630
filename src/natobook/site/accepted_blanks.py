"""Sphinx extension: values accepted as missing (`build --allow-missing`) are named on every page built from them.

The build writes the gaps it accepted (natobook.data.missing: Ally, indicator, year, and where) to a JSON file
and points `natobook_accepted_blanks` at it. A page is built from the data when its notebook was executed on it
(its papermill parameters name a `data_path`) or when it glues values from such a notebook (the landing page);
each such page opens with a warning naming every gap. Which of its numbers a gap changes the page cannot know
(an Ally's missing share changes every rank "of the 31", on every country page), so the warning says that the
numbers which use these values are computed without them, on every page whose numbers may use them, and on
no other page (the bibliography, the provenance page, how to cite).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

GLUED_FROM = re.compile(r"\{glue(?::\w+)?\}`([^`:]+\.ipynb)::")  # {glue:text}`chapters/x.ipynb::name:s`
CSS_CLASS = "natobook-accepted-blanks"


def accepted(app: Sphinx) -> list[dict]:
    path = app.config.natobook_accepted_blanks
    return json.loads(Path(path).read_text(encoding="utf-8")) if path and Path(path).is_file() else []


@cache
def executed_on_the_data(notebook: Path) -> bool:
    if not notebook.is_file():
        return False
    recorded = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {}).get("papermill", {})
    return bool(recorded.get("parameters", {}).get("data_path"))


def built_from_the_data(source: Path, root: Path) -> bool:
    if source.suffix == ".ipynb":
        return executed_on_the_data(source)
    glued = GLUED_FROM.findall(source.read_text(encoding="utf-8")) if source.is_file() else []
    return any(executed_on_the_data((root / notebook).resolve()) for notebook in glued)


def _gap_words(gap: dict) -> str:
    from natobook import nbtools

    words = nbtools.indicator_words(gap["indicator"])
    named = f"{words} ({gap['indicator']})" if words != gap["indicator"] else gap["indicator"]
    return f"{gap['country']}, {named}, {gap['year']}"


def warning_node(gaps: list[dict]) -> nodes.Element:
    box = nodes.admonition(classes=["warning", CSS_CLASS])
    box += nodes.title(text="Values missing from the data")
    value, it = ("this value", "it") if len(gaps) == 1 else ("these values", "them")
    box += nodes.paragraph(
        text=(
            f"NATO prints {value} for the other Allies, but the data this book was built from lacks {it} (the build "
            f"was told to read on without {it}). Every number on this page that uses {it}, a total, a count or a "
            f"rank across the Allies included, is computed without {it}:"
        )
    )
    listing = nodes.bullet_list()
    for gap in gaps:
        listing += nodes.list_item("", nodes.paragraph(text=_gap_words(gap)))
    box += listing
    return box


def add_warning(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    gaps = accepted(app)
    if not gaps or not built_from_the_data(Path(app.env.doc2path(docname)), Path(app.srcdir)):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    parent = section if section is not None else doctree
    title = next((index for index, child in enumerate(parent.children) if isinstance(child, nodes.title)), -1)
    parent.insert(title + 1, warning_node(gaps))


def setup(app: Sphinx) -> dict:
    app.add_config_value("natobook_accepted_blanks", "", "env", types=[str])
    app.connect("doctree-resolved", add_warning)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
