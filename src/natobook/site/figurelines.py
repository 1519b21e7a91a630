"""Under every chart, a line to cite it (at its edition's address, with the reader's access date), its BibTeX,
and links to download it.

Figures are the `{glue:figure}` blocks whose label starts with `fig-`. The downloads (SVG, PNG, PDF, CSV) are
written by natobook.build.figures into the site's `figures/` folder, for the figures whose notebook glued a chart;
a figure that shows the note "Not available in this edition" in its place has nothing to download, so it gets no
line. The edition a figure names is read from its executed notebook, so any build names its own.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx

from natobook import citation
from natobook.build.figures import FORMATS
from natobook.citation import figure_address
from natobook.site import editions as edition_site
from natobook.site import executed

DOWNLOAD_LABELS = {"svg": "SVG", "png": "PNG (2×)", "pdf": "PDF", "csv": "CSV"}

# Filled in by _static/natobook-cite.js with the reader's date; this text stands where scripts do not run.
ACCESSED_PLACEHOLDER = "the date you read it"


def figure_title(figure: nodes.figure) -> str:
    """What the figure shows: its caption up to the first bold label (**Source:**, **Notes:**)."""
    caption = next(iter(figure.findall(nodes.caption)), None)
    if caption is None:
        return ""
    words = []
    for child in caption.children:
        if isinstance(child, nodes.strong) and child.astext().rstrip().endswith(":"):
            break
        words.append(child.astext())
    return " ".join("".join(words).split())


def _accessed() -> nodes.raw:
    return nodes.raw("", f'<span class="natobook-accessed">{ACCESSED_PLACEHOLDER}</span>', format="html")


def _figure_line(label: str, edition: str, root: str, title: str, address: str, latest: str) -> nodes.paragraph:
    line = nodes.paragraph(classes=["natobook-figure-cite"])
    line += nodes.strong(text="Cite this figure: ")
    line += nodes.Text(citation.figure_text(label, edition, title) + " ")
    line += nodes.reference("", edition_site.shown(address), refuri=address, classes=["natobook-figure-address"])
    line += nodes.Text(", accessed ")
    line += _accessed()
    line += nodes.Text(". The same figure in the ")
    line += nodes.reference("", edition_site.LATEST_WORDS, refuri=latest, classes=["natobook-figure-latest"])
    line += nodes.Text(". ")
    line += nodes.strong(text="Download: ")
    for index, fmt in enumerate((*FORMATS, "csv")):
        if index:
            line += nodes.Text(" · ")
        line += _download_link(f"{root}figures/{label}.{fmt}", download_name(label, edition, fmt), DOWNLOAD_LABELS[fmt])
    return line


def download_name(label: str, edition: str, fmt: str) -> str:
    """The name a download is saved under: what it is and which edition, 'natobook-share-of-gdp-2024-06.png'."""
    return f"natobook-{label.removeprefix('fig-')}-{edition}.{fmt}"


def _download_link(href: str, name: str, text: str) -> nodes.raw:
    """A link that saves the file under `name` (docutils' references have no `download` attribute)."""
    return nodes.raw(
        "",
        f'<a class="reference external" href="{html.escape(href)}" download="{html.escape(name)}">'
        f"{html.escape(text)}</a>",
        format="html",
    )


def _figure_bibtex(label: str, edition: str, title: str, address: str) -> nodes.raw:
    """The figure's BibTeX, folded under its citation line; the address and date spans are filled in by script."""
    url, date = "\x00url\x00", "\x00date\x00"
    text = html.escape(citation.figure_bibtex(label, edition, title, url, date))
    text = text.replace(
        url,
        f'<span class="natobook-figure-url" data-href="{html.escape(address)}">'
        f"{html.escape(edition_site.shown(address))}</span>",
    )
    text = text.replace(date, f'<span class="natobook-accessed">{ACCESSED_PLACEHOLDER}</span>')
    return nodes.raw(
        "",
        f'<details class="natobook-figure-bibtex"><summary>BibTeX of this figure</summary><pre>{text}</pre></details>',
        format="html",
    )


def add_figure_lines(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    source = str(app.env.doc2path(docname))
    edition = executed.notebook_edition(source)
    if edition is None:
        return
    depth = app.builder.get_target_uri(docname).count("/")
    root = "../" * depth
    charts = executed.notebook_charts(source)
    for figure in doctree.findall(nodes.figure):
        labels = [name for name in figure["ids"] if name.startswith("fig-") and name in charts]
        if labels:
            title = figure_title(figure)
            address = figure_address(app.config.html_baseurl, docname, labels[0], edition)
            latest = f"{edition_site.latest_address(app.config.html_baseurl, docname)}#{labels[0]}"
            figure += _figure_line(labels[0], edition, root, title, address, latest)
            figure += _figure_bibtex(labels[0], edition, title, address)
