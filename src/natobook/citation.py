"""How to cite the book and its figures, written from CITATION.cff (the one source of that metadata)."""

from __future__ import annotations

from functools import cache

import yaml

from natobook import paths

# Where each data edition's pages are published, side by side (natobook.build.editionsite)
EDITIONS_FOLDER = "editions"


@cache
def metadata() -> dict:
    with open(paths.ROOT / "CITATION.cff", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _authors(entry: dict) -> str:
    names = []
    for author in entry["authors"]:
        names.append(author.get("name") or f"{author['family-names']}, {author['given-names']}")
    return " and ".join(names)


def year() -> str:
    return str(metadata()["date-released"])[:4]


def book_text() -> str:
    """One-line citation of the book, ready to paste."""
    meta = metadata()
    return f"{_authors(meta)} ({year()}). {meta['title']} (version {meta['version']})."


def _in_book(named: str, edition: str) -> str:
    meta = metadata()
    return (
        f"{_authors(meta)} ({year()}), {named}, data edition {edition}, in {meta['title']}, version {meta['version']}."
    )


def site_root(base_url: str, pagename: str) -> str:
    """The site's root seen from a page at its stable place: the base URL, or the climb out of `editions/<e>/`."""
    return base_url.rstrip("/") + "/" if base_url else "../" * (pagename.count("/") + 2)


def stable_address(base_url: str, pagename: str, edition: str) -> str:
    """A page's address in one edition: it never changes once the edition is published."""
    return f"{site_root(base_url, pagename)}{EDITIONS_FOLDER}/{edition}/{pagename}.html"


def figure_address(base_url: str, docname: str, label: str, edition: str | None) -> str:
    """The figure's stable address: on its edition's page, which never changes once the edition is published
    (natobook.site.editions); absolute under the base URL (html.baseurl in _config.yml), else relative to the
    page, and natobook-cite.js shows it in full. Without an edition, the page in the latest edition."""
    if edition is None:
        return f"{base_url.rstrip('/')}/{docname}.html#{label}" if base_url else f"#{label}"
    return f"{stable_address(base_url, docname, edition)}#{label}"


def figure_text(label: str, edition: str, title: str = "") -> str:
    """One-line citation of one figure: its title, its stable label, the data edition it shows and the book.
    The edition's address and the access date follow it where it is shown (natobook.site.figurelines)."""
    return _in_book(f"“{title.rstrip('.')}” (figure {label})" if title else f"figure “{label}”", edition)


def page_text(title: str, edition: str) -> str:
    """One-line citation of one page of one edition; its stable address follows it (natobook.site.editions)."""
    return _in_book(f"“{title.rstrip('.')}”", edition)


def figure_bibtex(label: str, edition: str, title: str, address: str, accessed: str) -> str:
    """BibTeX of one figure; `address` and `accessed` as the page shows them."""
    meta = metadata()
    return (
        f"@misc{{natobook-{label}-{edition},\n"
        f"  author       = {{{{{_authors(meta)}}}}},\n"
        f"  title        = {{{{{title.rstrip('.') or label}}}}},\n"
        f"  howpublished = {{In: {meta['title']}, version {meta['version']}, figure {label}, data edition {edition}}},\n"
        f"  year         = {{{year()}}},\n"
        f"  url          = {{{address}}},\n"
        f"  urldate      = {{{accessed}}}\n"
        "}"
    )


def book_bibtex() -> str:
    meta = metadata()
    return (
        "@misc{natobook" + year() + ",\n"
        f"  author  = {{{{{_authors(meta)}}}}},\n"
        f"  title   = {{{{{meta['title']}}}}},\n"
        f"  year    = {{{year()}}},\n"
        f"  version = {{{meta['version']}}},\n"
        f"  note    = {{Reproducible research publication built with Jupyter Book}}\n"
        "}"
    )
