"""Exported figures stand alone (issue #15): the SVG, PNG and PDF of a figure carry, drawn inside, its title, the
units of its axes, the source line with the data edition, the book's name and the figure's address, and the
licence; files are written whole or not at all."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdf
import pytest
import yaml

from natobook import paths
from natobook.build import figures

SPEC = {
    "title": "Spending rose every year",
    "data": {"values": [{"year": str(y), "value": v} for y, v in [(2022, 1.5), (2023, 1.8), (2024, 2.1)]]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "year", "type": "ordinal"},
        "y": {"field": "value", "type": "quantitative", "title": "USD billion, constant 2015 prices"},
    },
}
BASE = "https://example.org/natobook/"
CITATION = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def _words(text: str) -> str:
    return " ".join(text.split())


def svg_text(svg: bytes) -> str:
    """Every text of an SVG, in document order, as a reader's search would find it."""
    return _words(
        " ".join(element.text or "" for element in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))
    )


def pdf_text(pdf: bytes) -> str:
    return _words(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))


@pytest.fixture
def published_at(monkeypatch):
    """The book as if html.baseurl in _config.yml were BASE."""
    monkeypatch.setattr(figures, "site_base_url", lambda: BASE)


def test_an_export_carries_title_units_source_book_address_and_licence(published_at):
    credit = figures.credit_lines("fig-example", "2024-06", "chapters/spending")
    exported = figures.render(SPEC, credit)
    address = "https://example.org/natobook/editions/2024-06/chapters/spending.html#fig-example"  # its edition's page
    for text in (svg_text(exported["svg"]), pdf_text(exported["pdf"])):
        assert "Spending rose every year" in text
        assert "Units: USD billion, constant 2015 prices" in text
        assert "Source: NATO Public Diplomacy Division" in text and "data edition 2024-06" in text
        assert "Defence Expenditure of NATO Countries (2014-2024)" in text
        assert CITATION["title"] in text and address in text
        assert "Licence: CC BY 4.0" in text
    assert exported["png"].startswith(b"\x89PNG")


def test_without_a_base_url_the_export_gives_the_repository_address_or_none_made_up(monkeypatch):
    monkeypatch.setattr(figures, "site_base_url", lambda: "")
    text = svg_text(figures.render(SPEC, figures.credit_lines("fig-example", "2024-06", "chapters/spending"))["svg"])
    assert CITATION["title"] in text
    repository = CITATION.get("repository-code")
    assert (repository in text) if repository else ("http" not in text)


def test_a_long_address_is_kept_whole_on_one_line(monkeypatch):
    base = "https://example.org/" + "a-very-long-folder-name/" * 5
    monkeypatch.setattr(figures, "site_base_url", lambda: base)
    svg = figures.render(SPEC, figures.credit_lines("fig-example", "2024-06", "chapters/spending"))["svg"]
    lines = [element.text or "" for element in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert any(f"{base}editions/2024-06/chapters/spending.html#fig-example" in line for line in lines)


def test_the_drawing_grows_to_hold_the_credit():
    plain = figures.vl_convert.vegalite_to_svg(figures.with_units(SPEC))
    credited = figures.with_credit(plain, ["Source: one line.", "From: another."])
    height = lambda svg: float(re.search(r'<svg[^>]* height="([\d.]+)"', svg)[1])  # noqa: E731
    assert height(credited) >= height(plain) + 2 * figures.CREDIT_LINE_HEIGHT


def test_an_export_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    target = tmp_path / "fig-example.svg"
    target.write_bytes(b"the last good export")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(figures.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        figures.write_atomically(target, b"<svg>half</svg>")
    assert target.read_bytes() == b"the last good export"
    assert [path.name for path in tmp_path.iterdir()] == ["fig-example.svg"]


def test_export_figure_leaves_no_temporary_file_and_files_anyone_may_read(tmp_path):
    figures.export_figure("fig-example", SPEC, tmp_path, ["Source: a test."])
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".fig-example.sha256",
        "fig-example.pdf",
        "fig-example.png",
        "fig-example.svg",
    ]
    assert {path.stat().st_mode & 0o777 for path in tmp_path.iterdir()} == {0o644}


def _built_exports(built_site: Path, fmt: str) -> list[Path]:
    found = sorted((built_site / "figures").glob(f"fig-*.{fmt}"))
    assert len(found) > 20, f"only {len(found)} exported {fmt} files"
    return found


def test_every_exported_svg_of_the_site_carries_its_source_book_and_licence(built_site):
    for path in _built_exports(built_site, "svg"):
        text = svg_text(path.read_bytes())
        assert re.search(r"Source: .+; data edition \d{4}-\d{2}\.", text), path.name
        assert f"From: {CITATION['title']}, version {CITATION['version']}, figure {path.stem}" in text, path.name
        assert "Licence: CC BY 4.0" in text, path.name


def test_an_exported_pdf_of_the_site_carries_its_source_book_and_licence(built_site):
    text = pdf_text((built_site / "figures" / "fig-share-of-gdp.pdf").read_bytes())
    assert "Source: NATO Public Diplomacy Division" in text and "data edition 2024-06" in text
    assert "figure fig-share-of-gdp" in text and CITATION["title"] in text and "Licence: CC BY 4.0" in text
    assert "Units: Defence expenditure, % of GDP (NATO, share of real GDP)" in text


def test_download_links_save_under_descriptive_names(built_site):
    """The PNG would otherwise open in place, and every file save as fig-….png with no word of the book or edition."""
    page = (built_site / "chapters" / "share_of_gdp.html").read_text(encoding="utf-8")
    links = re.findall(
        r'<a class="reference external" href="\.\./figures/fig-share-of-gdp\.(\w+)" download="([^"]+)"', page
    )
    assert links == [(fmt, f"natobook-share-of-gdp-2024-06.{fmt}") for fmt in ("svg", "png", "pdf", "csv")]
    for page_path in built_site.rglob("*.html"):
        text = page_path.read_text(encoding="utf-8")
        undownloadable = re.findall(
            r'<a [^>]*href="[^"]*figures/fig-[\w-]+\.(?:svg|png|pdf|csv)"(?![^>]*download=)', text
        )
        assert not undownloadable, f"{page_path}: {undownloadable[:2]}"
