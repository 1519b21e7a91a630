"""Sphinx extension: under every numbered figure, a line to cite it and links to download it.

Figures are the `{glue:figure}` blocks whose label starts with `fig-`. The downloads
(SVG, PNG, PDF, CSV) are written by natobook.figures into the site's `figures/` folder.
The edition a figure shows is read from the executed notebook's papermill parameters.
"""
from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

import nbformat
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from natobook import citation, editions, paths, provenance
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


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """sitemap.xml of every page; absolute when html_baseurl is set, else relative to the site root."""
    if exception is not None or app.builder.name != "html":
        return
    base = app.config.html_baseurl or ""
    pages = sorted(app.builder.get_target_uri(doc) for doc in app.env.found_docs)
    entries = "".join(f"  <url><loc>{html.escape(base + page)}</loc></url>\n" for page in pages)
    (Path(app.outdir) / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n",
        encoding="utf-8",
    )


def _cell(value) -> str:
    """Text safe inside a MyST table cell: no markup from data, no column breaks."""
    return html.escape(str(value)).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def provenance_markdown() -> str:
    runs = provenance.notebook_runs(paths.CHAPTERS)
    stamp = provenance.build_stamp()
    used = {run["parameters"].get("edition") for run in runs} - {None}
    sections = [
        f"Built from commit `{_cell(stamp['commit'])}`; build time {_cell(stamp['time'])} "
        "(the commit's time, so that rebuilding the same inputs gives the same pages).",
        "## Data editions",
        _table(["edition", "title", "reference", "published", "price base year"], [
            [name, entry["title"], entry["reference"], entry["published"], entry["price_base_year"]]
            for name, entry in editions.registry().items() if name in used
        ]),
        "## Data files",
        _table(["file", "sha256"], [[entry["file"], entry["sha256"]] for entry in provenance.data_files(runs)]),
        "## Notebooks and their parameters",
        _table(["page", "notebook", "parameters (recorded by papermill)"], [
            [run["notebook"], run["source"], json.dumps(run["parameters"], sort_keys=True)] for run in runs
        ]),
        "## Package versions",
        _table(["package", "version"], [list(pair) for pair in provenance.package_versions()]),
    ]
    return "\n\n".join(sections)


class ProvenanceDirective(SphinxDirective):
    """`natobook-provenance`: the tables of what this build was made from."""

    def run(self) -> list[nodes.Node]:
        return self.parse_text_to_nodes(provenance_markdown())


def always_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """The provenance page describes the whole build, so it is rewritten on every build."""
    return [doc for doc in env.found_docs if doc.endswith("provenance")]


def setup(app: Sphinx) -> dict:
    app.add_directive("natobook-provenance", ProvenanceDirective)
    app.connect("env-get-outdated", always_outdated)
    app.connect("build-finished", write_sitemap)
    app.connect("doctree-resolved", add_figure_lines)
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
