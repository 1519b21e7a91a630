"""Sphinx extension: every page says which data edition it shows, how to cite it at that edition's stable address,
and where the same page is in the other editions and in the latest; the "What changed" page.

An edition's site is published at `editions/<edition>/` beside the others, and the latest edition again at the root
(natobook.build.editionsite). The pages are written for their stable place, `editions/<edition>/<page>.html`: a
link to another edition, the editions list or the latest climbs out of the edition's folder, and the publish step
shortens exactly those links for the root's copy. What this build knows of the other editions is what the publish
step recorded in the site published before it (`editions/editions.json`); an edition published later is added
to an older page by its script (`_static/natobook-editions.js`, reading `editions/editions.js`), so the older
page's bytes never change.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from natobook import citation, paths
from natobook.analysis import changes
from natobook.build import editionsite
from natobook.citation import site_root, stable_address
from natobook.data import editions as edition_registry
from natobook.data import schema
from natobook.site import datapackage, sitedata

LATEST_WORDS = "latest edition (this address moves to each new edition)"


def shown(address: str) -> str:
    """An address as the page prints it before its script shows it in full: from the site's root, not the climb."""
    return re.sub(r"^(?:\.\./)+", "", address)


def latest_address(base_url: str, pagename: str) -> str:
    """The same page in the latest edition: an address that moves to each new edition."""
    return f"{site_root(base_url, pagename)}{pagename}.html"


def build_edition(app: Sphinx) -> str | None:
    """The one edition this build's pages were executed on; None when there is none, or several."""
    found = {edition for _, edition in sitedata.editions_built(app)}
    return found.pop() if len(found) == 1 else None


def remember_editions(app: Sphinx, env) -> None:
    """Once, after reading and before pages are written (in worker processes that inherit it)."""
    app.natobook_edition = build_edition(app)
    app.natobook_published = editionsite.read_manifest(paths.SITE)


def earlier_edition(edition: str, manifest: dict) -> str | None:
    """The newest edition published before `edition`, which its "What changed" page compares with."""
    earlier = [name for name in manifest["editions"] if name < edition]
    return max(earlier) if earlier else None


def _link(href: str, text: str, classes: str = "") -> str:
    attribute = f' class="{classes}"' if classes else ""
    return f'<a{attribute} href="{html.escape(href)}">{html.escape(text)}</a>'


def _other_editions(edition: str, pagename: str, base_url: str, manifest: dict) -> str:
    others = [
        name
        for name, pages in sorted(manifest["editions"].items(), reverse=True)
        if name != edition and pagename in pages
    ]
    links = [_link(stable_address(base_url, pagename, name), name) for name in others]
    return ", ".join(links) or "none published before this one"


def _built_on(edition: str, entry: dict) -> str:
    """'built on <NATO's title>, 17 June 2024', or, for an edition data/editions.yml does not describe, what the
    reader needs: that it is not described (its title would only repeat the edition's name)."""
    if not edition_registry.is_described(edition):
        return "a data edition this book does not describe"
    return f"built on {entry['title']}, {edition_registry.release_date(edition)}"


def banner(app: Sphinx, pagename: str, title: str, what_changed: str | None) -> str:
    """The edition note at the top of a page."""
    edition, base = app.natobook_edition, app.config.html_baseurl
    manifest = app.natobook_published
    entry = edition_registry.describe(edition)
    stable = stable_address(base, pagename, edition)
    changed = (
        f" {_link(what_changed, f'What changed since edition {earlier_edition(edition, manifest)}')}."
        if what_changed
        else ""
    )
    return f"""<div class="natobook-editions" role="note" aria-label="Data edition" data-edition="{html.escape(edition)}"
 data-page="{html.escape(pagename)}" data-site-root="{html.escape(site_root(base, pagename))}">
<p><strong>Edition {html.escape(edition)}</strong>, {html.escape(_built_on(edition, entry))}.{changed}</p>
<p>This page in other editions: <span class="natobook-other-editions">\
{_other_editions(edition, pagename, base, manifest)}</span> · \
{_link(latest_address(base, pagename), LATEST_WORDS, "natobook-latest")} · \
{_link(site_root(base, pagename) + editionsite.FOLDER + "/index.html", "all editions")}</p>
<details class="natobook-page-cite"><summary>Cite this page</summary>
<p>{html.escape(citation.page_text(title, edition))} {_link(stable, shown(stable), "natobook-page-address")}</p>
</details>
</div>
"""


def add_banner(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name != "html" or getattr(app, "natobook_edition", None) is None or "body" not in context:
        return  # the single-page build (the PDF's) has no editions beside it
    title = app.env.titles[pagename].astext() if pagename in app.env.titles else html.unescape(context.get("title", ""))
    what_changed = None
    if pagename == app.config.root_doc and earlier_edition(app.natobook_edition, app.natobook_published):
        page = editionsite.WHAT_CHANGED
        what_changed = context["pathto"](page) if page in app.env.found_docs else None
    note = banner(app, pagename, title, what_changed)
    # The landing page opens with its own front door (key figures and the story chart, above the fold on a laptop)
    # and names its edition in words there; its edition note closes it. Every other page opens with its note.
    front_door = pagename == app.config.root_doc
    context["body"] = context["body"] + note if front_door else note + context["body"]


# --- What changed: the numbers that moved since the edition published before ---


def _held_data(edition: str) -> Path:
    """The tidy CSV an edition published with its site (natobook.site.sitedata)."""
    return paths.SITE / editionsite.FOLDER / edition / "data" / edition / datapackage.DATA_FILE


def _number(value: float) -> str:
    return f"{value:,.6g}"


def what_changed_markdown(found: changes.Changes) -> str:
    moved = found.moved
    summary = (
        f"Between edition {found.old_edition} and edition {found.new_edition}, {len(moved):,} of the "
        f"{found.compared:,} values both editions hold moved; edition {found.new_edition} adds {found.added:,} "
        f"values edition {found.old_edition} did not hold, and no longer holds {found.dropped:,}."
    )
    if moved.empty:
        return summary
    header = "| Ally | indicator | year | " + f"edition {found.old_edition} | edition {found.new_edition} | change |"
    rows = [
        f"| {html.escape(row.country)} | `{row.indicator}` | {row.year} | {_number(row.old)} | "
        f"{_number(row.new)} | {'+' if row.change > 0 else ''}{_number(row.change)} |"
        for row in moved.itertuples()
    ]
    return "\n".join([summary, "", header, "| --- | --- | ---: | ---: | ---: | ---: |", *rows])


class WhatChangedDirective(SphinxDirective):
    """`natobook-what-changed`: every value that moved between the edition built and the one published before."""

    def run(self) -> list[nodes.Node]:
        built = sorted(sitedata.editions_built(self.env.app))
        manifest = editionsite.read_manifest(paths.SITE)
        earlier = earlier_edition(built[0][1], manifest) if len(built) == 1 else None
        if earlier is None:
            return self.parse_text_to_nodes(
                "This site holds one data edition so far. When a newer edition is published beside it, its copy of "
                "this page lists every number that moved between the two: per Ally, indicator and year, the old "
                "value, the new one and the change."
            )
        data_path, edition = built[0]
        found = changes.compare(schema.read_tidy_csv(_held_data(earlier)), schema.read_tidy_csv(data_path))
        return self.parse_text_to_nodes(what_changed_markdown(found))


def always_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """The page depends on the editions published before, which no source file records."""
    return [editionsite.WHAT_CHANGED] if editionsite.WHAT_CHANGED in env.found_docs else []


def setup(app: Sphinx) -> dict:
    app.add_directive("natobook-what-changed", WhatChangedDirective)
    app.connect("env-get-outdated", always_outdated)
    app.connect("env-updated", remember_editions)
    app.connect("html-page-context", add_banner)
    app.add_js_file("natobook-editions.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
