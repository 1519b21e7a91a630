"""Sphinx extension: under every chart, a line to cite it and links to download it; on every page, a
footer naming the data edition the book was built from.

Figures are the `{glue:figure}` blocks whose label starts with `fig-`. The downloads
(SVG, PNG, PDF, CSV) are written by natobook.build.figures into the site's `figures/` folder, for
the figures whose notebook glued a chart; a figure that shows the note "Not available in this
edition" in its place has nothing to download, so it gets no line.
The edition a figure or the footer names is read from the executed notebooks' papermill
parameters, so any build (another edition, the PDF's single page) names its own.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import nbformat
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.search import js_index
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from natobook import citation, myst, paths
from natobook.build import provenance
from natobook.build.figures import FORMATS, glued_figures
from natobook.citation import figure_address
from natobook.data import editions
from natobook.site import editions as edition_site

DOWNLOAD_LABELS = {"svg": "SVG", "png": "PNG (2×)", "pdf": "PDF", "csv": "CSV"}


@cache
def _notebook_edition(source: str) -> str | None:
    if not source.endswith(".ipynb") or not Path(source).exists():
        return None
    notebook = nbformat.read(source, as_version=4)
    return notebook.metadata.get("papermill", {}).get("parameters", {}).get("edition")


@cache
def _notebook_charts(source: str) -> frozenset[str]:
    """The figures an executed notebook glues as a chart (a Vega-Lite spec), not as a note.

    Decided from the glued outputs, by the very test natobook.build.figures exports by, so a figure has
    download links exactly when its files are exported. Not from the exported files: Sphinx may run
    before they are written or beside stale ones (the PDF build, a build in another folder).
    """
    return frozenset(name for name, _ in glued_figures(Path(source)))


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
    edition = _notebook_edition(source)
    if edition is None:
        return
    depth = app.builder.get_target_uri(docname).count("/")
    root = "../" * depth
    charts = _notebook_charts(source)
    for figure in doctree.findall(nodes.figure):
        labels = [name for name in figure["ids"] if name.startswith("fig-") and name in charts]
        if labels:
            title = figure_title(figure)
            address = figure_address(app.config.html_baseurl, docname, labels[0], edition)
            latest = f"{edition_site.latest_address(app.config.html_baseurl, docname)}#{labels[0]}"
            figure += _figure_line(labels[0], edition, root, title, address, latest)
            figure += _figure_bibtex(labels[0], edition, title, address)


def edition_words(edition: str) -> str:
    """'NATO Public Diplomacy Division, Defence Expenditure of NATO Countries (2014-2024), edition 2024-06,
    released 17 June 2024'; for an edition data/editions.yml does not describe, its labelled stand-in."""
    entry = editions.describe(edition)
    if not editions.is_described(edition):
        return f"{entry['title']}, {editions.release_date(edition)}"
    return f"{entry['producer']}, {entry['title']}, edition {edition}, released {editions.release_date(edition)}"


def edition_footer(used: list[str], provenance_uri: str | None) -> str:
    """The footer's HTML: 'Data: <edition> · Provenance'; every edition named when the notebooks disagree.
    Strings from data are escaped (the theme inserts the footer as HTML)."""
    if not used:
        return ""
    named = "; ".join(html.escape(edition_words(edition)) for edition in used)
    link = f' · <a href="{html.escape(provenance_uri)}">Provenance</a>' if provenance_uri else ""
    return f'<p class="natobook-edition">Data: {named}{link}</p>'


@cache
def built_line() -> str:
    """'Built 2026-12-02 from commit 56ba4f6e3ef9': the commit's date, so the same sources give the same pages."""
    stamp = provenance.build_stamp()
    return f'<p class="natobook-built">Built {html.escape(stamp["time"][:10])} from commit {html.escape(stamp["commit"])}</p>'


def _build_editions(env) -> list[str]:
    """The editions the pages of this build were executed on (their notebooks' papermill parameters)."""
    found = {_notebook_edition(str(env.doc2path(doc))) for doc in env.found_docs}
    return sorted(found - {None})


# sphinx-book-theme hides the page footer in print; the PDF edition (natobook.build.pdf prints the single-page site)
# keeps it, for it names the data edition. In the page's head, so the package ships no stylesheet file.
PRINT_FOOTER_STYLE = (
    "<style>@media print { html body .bd-main .bd-footer-content { display: block !important; } }</style>"
)


# myst-nb sets glued text in bold (.pasted-text): numbers would stand out of the prose, and of the sidebar's
# titles ("From 2% to 5%"), as if they were emphasised. They read as the words around them.
GLUED_TEXT_STYLE = "<style>html span.pasted-text { font-weight: inherit; }</style>"


def _provenance_uri(app: Sphinx, context: dict) -> str | None:
    """The link to the provenance page from the page being written; in the single-page build (the PDF's),
    an anchor in that page (Sphinx's relative links drop it)."""
    docs = _provenance_docs(app.env)
    if not docs:
        return None
    _, _, anchor = app.builder.get_target_uri(docs[0]).partition("#")
    return f"#{anchor}" if anchor else context["pathto"](docs[0])


def add_edition_footer(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """sphinx-book-theme shows `extra_footer` at the foot of every page (its own pages too: search, index)."""
    footer = edition_footer(_build_editions(app.env), _provenance_uri(app, context)) + built_line()
    context["theme_extra_footer"] = (context.get("theme_extra_footer") or "") + footer
    context["metatags"] = context.get("metatags", "") + PRINT_FOOTER_STYLE + GLUED_TEXT_STYLE


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


def link_previews_follow_base_url(app: Sphinx, config) -> None:
    """One setting for the public address: html.baseurl in _config.yml also gives the link previews theirs, and
    the sitemap (sphinx-sitemap) its absolute addresses. Without it there is no sitemap (the protocol wants
    absolute addresses), which is no fault of the build: sphinx-sitemap's warning about it is silenced."""
    if config.html_baseurl and not getattr(config, "ogp_site_url", None):
        config.ogp_site_url = config.html_baseurl
    config.sitemap_url_scheme = "{link}"  # no language or version folders: the book has one of each
    if not config.html_baseurl:
        config.suppress_warnings = [*config.suppress_warnings, "sitemap.configuration"]


def _base_year(entry: dict) -> str:
    """'2015', or '2021 (not stated in NATO's report; ...)' where the release does not state its base year."""
    year = entry["price_base_year"]
    if entry["price_base_year_source"]:
        return f"{year} ({entry['price_base_year_source']})"
    return "" if year is None else str(year)


def provenance_markdown() -> str:
    runs = provenance.notebook_runs(paths.CHAPTERS)
    stamp = provenance.build_stamp()
    used = {run["parameters"].get("edition") for run in runs} - {None}
    sections = [
        f"Built from commit `{myst.inline(stamp['commit'])}`; build time {myst.inline(stamp['time'])} "
        "(the commit's time, so that rebuilding the same inputs gives the same pages).",
        "## Data editions",
        myst.pipe_table(
            ["edition", "title", "reference", "published", "price base year"],
            [
                [name, entry["title"], entry["reference"], entry["published"], _base_year(entry)]
                for name, entry in editions.registry().items()
                if name in used
            ],
        ),
        "## Data files",
        "Every input the pages were made from:",
        myst.pipe_table(
            ["file", "what it is", "sha256"],
            [[entry["file"], entry["what"], entry["sha256"]] for entry in provenance.data_files(runs)],
        ),
        "## Notebooks and their parameters",
        myst.pipe_table(
            ["page", "notebook", "parameters (recorded by papermill)"],
            [[run["notebook"], run["source"], json.dumps(run["parameters"], sort_keys=True)] for run in runs],
        ),
        "## Package versions",
        myst.pipe_table(["package", "version"], [list(pair) for pair in provenance.package_versions()]),
    ]
    return "\n\n".join(sections)


class ProvenanceDirective(SphinxDirective):
    """`natobook-provenance`: the tables of what this build was made from."""

    def run(self) -> list[nodes.Node]:
        return self.parse_text_to_nodes(provenance_markdown())


def _provenance_docs(env) -> list[str]:
    return sorted(doc for doc in env.found_docs if doc.endswith("provenance"))


def always_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """The provenance page describes the whole build, so it is rewritten on every build."""
    return _provenance_docs(env)


# sphinx-book-theme 1.3 gives its templates the page's and the book's titles as plain text and prints them
# unescaped ({{ pagetitle }} in the print header, {{ root_title }} in the sidebar): a title from the data,
# such as an Ally's name, would become markup. They are escaped after the theme has set them.
THEME_PLAIN_TEXT = ("pagetitle", "root_title")


def escape_theme_titles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    for key in THEME_PLAIN_TEXT:
        if isinstance(context.get(key), str):
            context[key] = html.escape(context[key])


def tidy_search_index(app: Sphinx, exception: Exception | None) -> None:
    """The search index as a build from scratch writes it, with its section titles escaped.

    Sphinx merges the index of the previous build in the same folder and keeps every word it ever indexed, with
    no pages once none has it (an old commit's hash from the provenance page): those are dropped, so a rebuild
    writes the same index as a first build. And Sphinx 7.4's search page shows the section titles ("alltitles")
    with innerHTML while the index holds them as plain text: a title from the data would become markup in the
    results (Sphinx 8.2 escapes them in the page). So the index holds them escaped (unescaped first: idempotent).
    """
    path = Path(app.outdir) / "searchindex.js"
    if exception is not None or app.builder.name != "html" or not path.is_file():
        return
    index = js_index.loads(path.read_text(encoding="utf-8"))
    for words in ("terms", "titleterms"):
        index[words] = {word: pages for word, pages in index[words].items() if pages != []}
    index["alltitles"] = {html.escape(html.unescape(title)): where for title, where in index["alltitles"].items()}
    path.write_text(js_index.dumps(index), encoding="utf-8")


def copy_mystnb_css_first(app: Sphinx) -> None:
    """myst-nb copies its stylesheet into _static when the build has finished, after the pages are written; Sphinx
    stamps a page's link to it with its checksum (?v=...) only if it is already there, so a first build and a
    rebuild in the same folder would write different pages. Copied before any page is written, every build stamps it."""
    from myst_nb import sphinx_ext as myst_nb_sphinx

    if app.builder.format == "html":
        (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
        myst_nb_sphinx.add_global_html_resources(app, None)


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


def title_order(title: str) -> str:
    """Alphabetical as a reader expects it: "Türkiye" among the T's, not after "United States"."""
    return unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().casefold()


class GlobsByTitle(SphinxTransform):
    """The pages a `_toc.yml` glob lists (the country profiles, one file per ISO code) in the order of their titles,
    so that the sidebar and the previous/next links run from Albania to the United States.

    Runs after sphinx-external-toc has made the toctree (its transform's priority is 100) and before Sphinx
    collects it (at doctree-read), which sets the previous/next order.
    """

    default_priority = 101

    def apply(self, **kwargs) -> None:
        for toctree in self.document.findall(addnodes.toctree):
            if toctree.get("glob"):
                toctree["entries"] = sorted(toctree["entries"], key=self.order)
                toctree["includefiles"] = [docname for _, docname in toctree["entries"]]

    def order(self, entry: tuple) -> str:
        title = page_title(str(self.env.doc2path(entry[1])))
        return title_order(title or entry[1])


def _globbed_docs(env) -> set[str]:
    return {
        doc
        for toctrees in env.tocs.values()
        for toctree in toctrees.findall(addnodes.toctree)
        if toctree.get("glob")
        for doc in toctree["includefiles"]
    }


def figures_within_page(app: Sphinx, env) -> list[str]:
    """The pages a glob lists (31 country profiles) number their figures within the page, Figure 1 to 4 on each, not
    106 to 109 of the whole book: a reader cites "Poland, Figure 2" (or the figure's stable name, under it).

    Runs after Sphinx has numbered the figures through the book (its handler's priority is 500).
    """
    renumbered = []
    for docname in sorted(_globbed_docs(env)):
        numbers = env.toc_fignumbers.get(docname, {})
        for figtype, figures in numbers.items():
            in_page_order = sorted(figures, key=lambda figure_id: figures[figure_id])
            numbers[figtype] = {figure_id: (index,) for index, figure_id in enumerate(in_page_order, start=1)}
        if numbers:
            renumbered.append(docname)
    return renumbered


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx_sitemap")
    app.add_transform(GlobsByTitle)
    app.connect("env-get-updated", figures_within_page, priority=600)
    app.add_directive("natobook-provenance", ProvenanceDirective)
    app.connect("env-get-outdated", always_outdated)
    app.connect("config-inited", link_previews_follow_base_url)
    app.add_js_file("natobook-cite.js")
    app.connect("build-finished", tidy_search_index)
    app.connect("builder-inited", copy_mystnb_css_first)
    app.connect("doctree-resolved", add_figure_lines)
    app.connect("html-page-context", add_edition_footer)
    app.connect("html-page-context", escape_theme_titles, priority=900)  # after the theme's own handler (500)
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
