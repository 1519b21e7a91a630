"""What the built book offers beyond its pages: provenance, sitemap, link previews, figure downloads, PDF."""

from __future__ import annotations

import hashlib
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from sitekit import site_pages

from natobook import paths

pytestmark = pytest.mark.build
TIDY = paths.PROCESSED / "nato_defence_expenditure.csv"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "meta" and attrs.get("content") is not None:
            self.meta[attrs.get("name") or attrs.get("property") or ""] = attrs["content"]


def _edition_of_the_build() -> tuple[str, str]:
    """The edition data/params/ar2024.yml builds the book from, and how data/editions.yml names it (title and
    release date): read from the files, not from the code that writes the footer."""
    edition = str(yaml.safe_load((paths.PARAMS / "ar2024.yml").read_text(encoding="utf-8"))["edition"])
    entry = yaml.safe_load((paths.DATA / "editions.yml").read_text(encoding="utf-8"))[edition]
    released = f"{entry['published'].day} {entry['published']:%B %Y}"
    return edition, f"{entry['producer']}, {entry['title']}, edition {edition}, released {released}"


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_provenance_page_lists_the_data_file_with_its_real_sha256(built_site):
    text = (built_site / "chapters" / "provenance.html").read_text(encoding="utf-8")
    assert hashlib.sha256(TIDY.read_bytes()).hexdigest() in text
    assert "PR/CP(2024)090" in text and "papermill" in text and "jupyter-book" in text


def test_provenance_page_lists_every_input_with_its_sha256(built_site):
    text = (built_site / "chapters" / "provenance.html").read_text(encoding="utf-8")
    inputs = [
        paths.RAW / "240617-def-exp-2024-TABLES-en.xlsx",  # the workbook
        paths.PROCESSED / "annual_report_2024_share_of_gdp.csv",  # the report's list
        paths.RAW / "annual_report_2024_share_of_gdp_2024.csv",
        paths.PUBLISHED / "annual_report_2024.csv",  # the published facts
        paths.DATA / "events.csv",
        paths.DATA / "claims.csv",
        paths.DATA / "references.bib",
    ]
    for path in inputs:
        row = re.search(
            rf"<td>\s*(<p>)?{re.escape(str(path.relative_to(paths.ROOT)))}(</p>)?\s*</td>.*?</tr>", text, re.S
        )
        assert row, f"the provenance page does not list {path.name}"
        assert hashlib.sha256(path.read_bytes()).hexdigest() in row.group(0), path.name


def test_without_a_public_address_the_book_writes_no_sitemap(built_site):
    # A sitemap lists absolute addresses (sitemaps.org); the book has none until html.baseurl is set, when
    # sphinx-sitemap writes one (tests/test_citation.py builds a page with a base URL and reads it).
    assert not (built_site / "sitemap.xml").exists()


def test_every_page_has_a_title_description_and_preview_image(built_site):
    for page in ("index.html", "chapters/share_of_gdp.html", "chapters/washington_visit.html"):
        meta = _parse(built_site / page).meta
        assert meta.get("og:title") and meta.get("description") and meta.get("og:description"), page
        assert meta.get("og:image", "").endswith("figures/fig-share-of-gdp.png"), page


def test_every_figure_links_downloads_that_exist(built_site):
    checked = 0
    for page_path in site_pages(built_site):
        page = built_site / page_path
        for href in _parse(page).hrefs:
            if re.search(r"figures/fig-[\w-]+\.(svg|png|pdf|csv)$", href):
                assert (page.parent / href).resolve().is_file(), f"{page_path}: broken download {href}"
                checked += 1
    assert checked >= 4 * 10, f"only {checked} figure downloads found"


def test_every_page_names_the_data_edition_in_its_footer(built_site):
    _, words = _edition_of_the_build()
    pages = site_pages(built_site)
    assert len(pages) > 40  # the chapters, a page per Ally, and Sphinx's own (search, index)
    for page_path in pages:
        page = built_site / page_path
        footer = re.search(r'<p class="natobook-edition">(.*?)</p>', page.read_text(encoding="utf-8"), re.S)
        assert footer, f"{page_path}: no edition in the footer"
        assert f"Data: {words} · " in html.unescape(footer.group(1)), (page_path, footer.group(1))
        links = re.findall(r'href="([^"#]*)#?[^"]*">Provenance</a>', footer.group(1))
        target = (page.parent / links[0]).resolve() if links and links[0] else page  # "#": the page itself
        assert links and target == built_site / "chapters" / "provenance.html", (page_path, links)


def test_pdf_edition_has_the_book_with_its_numbers(tmp_path):
    from pypdf import PdfReader

    from natobook.build import pdf

    target = pdf.build_pdf(tmp_path / "book.pdf")
    reader = PdfReader(target)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 20
    assert "Defence spending as a share of GDP" in text and "Figure 1" in text
    assert "PR/CP(2024)090" in text  # the source line of the figures
    assert "References" in text
    assert f"edition {_edition_of_the_build()[0]}, released" in " ".join(text.split())  # the footer, as on the site
    # An interactive chart (the targets slider, the timeline's menu) is printed as its table; a static one as itself.
    words = " ".join(text.replace("\ufb01", "fi").split())
    assert "Data of the figure: How much more each Ally would have had to spend a year to reach a target" in words
    assert "Extra spending to reach 3.5% of GDP, USD million a year (current prices)" in words
    assert "Lifting every Ally to" not in words  # the slider chart's own title
    assert "Data of the figure: Defence expenditure as a share of GDP by Ally" not in words
