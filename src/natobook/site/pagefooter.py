"""At the foot of every page: the data edition the book was built from (every edition named when the pages
disagree), a link to the provenance page, and the commit the pages were built from."""

from __future__ import annotations

import html
from functools import cache

from sphinx.application import Sphinx

from natobook.build import provenance
from natobook.data import editions
from natobook.site import executed, provenancepage


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
    found = {executed.notebook_edition(str(env.doc2path(doc))) for doc in env.found_docs}
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
    docs = provenancepage.provenance_docs(app.env)
    if not docs:
        return None
    _, _, anchor = app.builder.get_target_uri(docs[0]).partition("#")
    return f"#{anchor}" if anchor else context["pathto"](docs[0])


def add_edition_footer(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """sphinx-book-theme shows `extra_footer` at the foot of every page (its own pages too: search, index)."""
    footer = edition_footer(_build_editions(app.env), _provenance_uri(app, context)) + built_line()
    context["theme_extra_footer"] = (context.get("theme_extra_footer") or "") + footer
    context["metatags"] = context.get("metatags", "") + PRINT_FOOTER_STYLE + GLUED_TEXT_STYLE
