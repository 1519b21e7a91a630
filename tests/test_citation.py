"""CITATION.cff is valid Citation File Format 1.2.0 and names NATO's sources; the texts built from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import psutil
import pytest
import yaml
from sitekit import build_one_page, site_pages

from natobook import citation, paths
from natobook.build import provenance

# The CFF 1.2.0 JSON schema, as published by the Citation File Format project (bundled in cffconvert 2.0.0).
CFF_SCHEMA = paths.ROOT / "tests" / "fixtures" / "citation-file-format-1.2.0.schema.json"


def _cff() -> dict:
    return yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_file_is_valid_cff_1_2_0():
    jsonschema.validate(_cff(), json.loads(CFF_SCHEMA.read_text(encoding="utf-8")))


def test_citation_file_references_nato_sources():
    titles = {ref["title"] for ref in _cff()["references"]}
    assert "The Secretary General's Annual Report 2024" in titles
    assert "Defence Expenditure of NATO Countries (2014-2024)" in titles


def test_schema_rejects_a_broken_citation_file():
    broken = _cff() | {"cff-version": "one point two"}
    with pytest.raises(jsonschema.ValidationError, match="one point two"):
        jsonschema.validate(broken, json.loads(CFF_SCHEMA.read_text(encoding="utf-8")))


def test_figure_citation_names_title_label_edition_and_version():
    text = citation.figure_text("fig-share-of-gdp", "2024-06", "Allies' defence spending as a share of GDP.")
    assert "“Allies' defence spending as a share of GDP” (figure fig-share-of-gdp)" in text
    assert "data edition 2024-06" in text and _cff()["title"] in text and f"version {_cff()['version']}" in text


def test_figure_bibtex_carries_address_and_access_date():
    bibtex = citation.figure_bibtex("fig-x", "2024-06", "A title.", "https://example.org/b/p.html#fig-x", "2026-12-02")
    assert bibtex.startswith("@misc{natobook-fig-x-2024-06,")
    assert "url          = {https://example.org/b/p.html#fig-x}" in bibtex and "urldate      = {2026-12-02}" in bibtex
    assert "title        = {{A title}}" in bibtex


BASE_URL = "https://example.org/natobook/"


@pytest.fixture(scope="module")
def page_with_base_url(built_site, tmp_path_factory) -> tuple[str, Path]:
    """The executed share-of-GDP chapter built as a one-page book with a public base URL configured."""
    folder = tmp_path_factory.mktemp("baseurl")
    page = build_one_page(
        paths.CHAPTERS / "share_of_gdp.ipynb",
        folder,
        extensions="sphinxext.opengraph",
        html_baseurl=BASE_URL,
        ogp_site_url="",
    )
    return page, folder / "html"


def test_a_one_page_book_leaves_no_process_behind(built_site, tmp_path):
    """sphinx-sitemap starts a forked Manager process; run inside pytest, it outlived the build and held the
    Playwright driver's pipe open, so the test session never ended (CI was stopped at its time limit)."""
    ours = psutil.Process()
    before = {child.pid for child in ours.children(recursive=True)}
    build_one_page(paths.CHAPTERS / "share_of_gdp.ipynb", tmp_path)
    left = [child.cmdline() for child in ours.children(recursive=True) if child.pid not in before]
    assert left == []


def test_a_figure_is_cited_at_its_editions_absolute_address_under_the_base_url(page_with_base_url):
    page, _ = page_with_base_url
    address = f"{BASE_URL}editions/2024-06/page.html#fig-share-of-gdp"
    line = re.search(r'<p class="natobook-figure-cite">(.*?)</p>', page, re.S).group(1)
    assert f'href="{address}"' in line and f">{address}</a>" in line
    assert f'href="{BASE_URL}page.html#fig-share-of-gdp">latest edition (this address moves' in line
    assert "data edition 2024-06" in line and "accessed" in line
    assert re.search(r"url += \{<span class=\"natobook-figure-url\" data-href=\"" + re.escape(address), page)


def test_link_previews_and_sitemap_follow_the_one_base_url_setting(page_with_base_url):
    page, site = page_with_base_url
    assert f'<meta property="og:url" content="{BASE_URL}page.html"' in page
    assert f"<loc>{BASE_URL}page.html</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_book_bibtex_carries_title_and_year():
    bibtex = citation.book_bibtex()
    assert bibtex.startswith("@misc{natobook")
    assert _cff()["title"] in bibtex and str(_cff()["date-released"])[:4] in bibtex


def _book_config() -> dict:
    return yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_the_site_and_the_citation_carry_one_title():
    config = _book_config()
    assert config["title"] == _cff()["title"]
    assert config["title"].startswith(config["sphinx"]["config"]["ogp_site_name"])


def test_the_title_holds_for_every_edition():
    """A span of years ('2014–2024') in the title would be wrong as soon as the book is rebuilt on a new release."""
    config = _book_config()
    for title in (config["title"], config["sphinx"]["config"]["ogp_site_name"], _cff()["title"]):
        assert not re.search(r"\d{4}\s*[-–]\s*\d{4}", title), title


@pytest.mark.browser
def test_without_a_base_url_the_page_cites_its_editions_address_where_the_reader_sees_it(built_site, browser):
    """The default book has no public address: the script fills in the full address of the figure in its edition,
    on the server the reader uses, and today's date; the latest edition's address is offered as moving."""
    from sitekit import serve

    stable = "editions/2024-06/chapters/share_of_gdp.html#fig-share-of-gdp"
    with serve(built_site) as base:
        page = browser.new_page()
        page.goto(f"{base}/chapters/share_of_gdp.html", wait_until="load")
        line = page.locator("#fig-share-of-gdp .natobook-figure-cite")
        assert line.locator("a.natobook-figure-address").inner_text() == f"{base}/{stable}"
        assert "data edition 2024-06" in line.inner_text()
        latest = line.locator("a.natobook-figure-latest")
        assert latest.inner_text() == "latest edition (this address moves to each new edition)"
        assert latest.evaluate("a => a.href") == f"{base}/chapters/share_of_gdp.html#fig-share-of-gdp"
        today = page.evaluate("new Date().toISOString().slice(0, 10)")
        assert f"accessed {today}." in line.inner_text()
        bibtex = page.locator("#fig-share-of-gdp .natobook-figure-bibtex pre").text_content()
        assert f"url          = {{{base}/{stable}}}" in bibtex
        assert f"urldate      = {{{today}}}" in bibtex
        page.close()


def test_every_page_says_when_it_was_built_and_from_what(built_site):
    """The footer of each page: the data edition, and the build's date and commit (the commit's own date)."""
    stamp = provenance.build_stamp()
    expected = f'<p class="natobook-built">Built {stamp["time"][:10]} from commit {stamp["commit"]}</p>'
    pages = [built_site / page for page in site_pages(built_site)]
    assert len(pages) > 40
    lacking = [
        str(page.relative_to(built_site))
        for page in pages
        if expected not in page.read_text(encoding="utf-8")
        or "natobook-edition" not in page.read_text(encoding="utf-8")
    ]
    assert not lacking, lacking


def test_the_figure_title_is_the_caption_before_its_source(page_with_base_url):
    page, _ = page_with_base_url
    line = re.search(r'<p class="natobook-figure-cite">(.*?)</p>', page, re.S).group(1)
    cited = re.search(r"“(.*?)” \(figure fig-share-of-gdp\)", line).group(1)
    assert cited.startswith("Defence expenditure as a share of GDP by Ally") and cited.endswith("2% guideline")
