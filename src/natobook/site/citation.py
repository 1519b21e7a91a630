"""How to cite the book and its figures, written from CITATION.cff (the one source of that metadata)."""
from __future__ import annotations

from functools import cache

import yaml

from natobook import paths


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


def figure_address(base_url: str, docname: str, label: str) -> str:
    """The figure's address on the published site: absolute under the configured base URL (html.baseurl in
    _config.yml); without one, the anchor alone, which natobook-cite.js turns into the page's own address."""
    anchor = f"#{label}"
    return f"{base_url.rstrip('/')}/{docname}.html{anchor}" if base_url else anchor


def figure_text(label: str, edition: str, title: str = "") -> str:
    """One-line citation of one figure: its title, its stable label, the data edition it shows and the book.
    The address and the access date follow it where it is shown (natobook.site.sphinxext)."""
    meta = metadata()
    named = f"“{title.rstrip('.')}” (figure {label})" if title else f"figure “{label}”"
    return (f"{_authors(meta)} ({year()}), {named}, data edition {edition}, in {meta['title']}, "
            f"version {meta['version']}.")


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
