"""The book's Sphinx extension: the figure lines (figurelines), the page footer (pagefooter), the provenance page
(provenancepage), the country profiles' order (countryorder), and what the theme and Sphinx need mended for the
book's pages to be accessible, escaped and the same on every build (here). The sitemap is sphinx-sitemap's.
"""

from __future__ import annotations

import html
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.search import js_index

from natobook.site import countryorder, figurelines, pagefooter, provenancepage


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


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx_sitemap")
    app.add_transform(countryorder.GlobsByTitle)
    app.connect("env-get-updated", countryorder.figures_within_page, priority=600)
    app.add_directive("natobook-provenance", provenancepage.ProvenanceDirective)
    app.connect("env-get-outdated", provenancepage.always_outdated)
    app.connect("config-inited", link_previews_follow_base_url)
    app.add_js_file("natobook-cite.js")
    app.connect("build-finished", tidy_search_index)
    app.connect("builder-inited", copy_mystnb_css_first)
    app.connect("doctree-resolved", figurelines.add_figure_lines)
    app.connect("html-page-context", pagefooter.add_edition_footer)
    app.connect("html-page-context", escape_theme_titles, priority=900)  # after the theme's own handler (500)
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
