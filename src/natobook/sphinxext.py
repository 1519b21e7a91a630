"""Sphinx extension: under every numbered figure, a line to cite it and links to download it.

Figures are the `{glue:figure}` blocks whose label starts with `fig-`. The downloads
(SVG, PNG, PDF, CSV) are written by natobook.figures into the site's `figures/` folder.
The edition a figure shows is read from the executed notebook's papermill parameters.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import nbformat
from docutils import nodes
from sphinx.application import Sphinx

from natobook import citation
from natobook.figures import FORMATS

DOWNLOAD_LABELS = {"svg": "SVG", "png": "PNG (2×)", "pdf": "PDF", "csv": "CSV"}


@cache
def _notebook_edition(source: str) -> str | None:
    if not source.endswith(".ipynb") or not Path(source).exists():
        return None
    notebook = nbformat.read(source, as_version=4)
    return notebook.metadata.get("papermill", {}).get("parameters", {}).get("edition")


def _figure_line(label: str, edition: str, root: str) -> nodes.paragraph:
    line = nodes.paragraph(classes=["natobook-figure-cite"])
    line += nodes.strong(text="Cite this figure: ")
    line += nodes.Text(citation.figure_text(label, edition) + " ")
    line += nodes.strong(text="Download: ")
    for index, fmt in enumerate((*FORMATS, "csv")):
        if index:
            line += nodes.Text(" · ")
        line += nodes.reference("", DOWNLOAD_LABELS[fmt], refuri=f"{root}figures/{label}.{fmt}")
    return line


def add_figure_lines(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    edition = _notebook_edition(str(app.env.doc2path(docname)))
    if edition is None:
        return
    depth = app.builder.get_target_uri(docname).count("/")
    root = "../" * depth
    for figure in doctree.findall(nodes.figure):
        labels = [name for name in figure["ids"] if name.startswith("fig-")]
        if labels:
            figure += _figure_line(labels[0], edition, root)


def visit_citation(translator, node: nodes.citation) -> None:
    """Bibliography entries as list items of a list.

    Docutils marks each entry role="doc-biblioentry", a role ARIA 1.1 deprecated; axe-core
    and screen readers then see a role="list" with no items (a critical violation).
    """
    if not isinstance(node.previous_sibling(), nodes.citation):
        translator.body.append('<div role="list" class="citation-list">\n')
    translator.body.append(translator.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(translator, node: nodes.citation) -> None:
    translator.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        translator.body.append("</div>\n")


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", add_figure_lines)
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
