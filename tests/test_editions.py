"""Editions side by side (issue #17): each data edition's site at its own stable address, never rewritten by another
edition's build; the latest at the root; every page and figure cited at its edition's address; what changed.

The publishing tests run the real publish step on small sites in tmp_path. The site tests read the built book
(`make book`); the two-edition tests build the TEST FIXTURE edition of tests/editionkit.py beside it, in a copy.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from editionkit import REVISED, TEST_EDITION, write_test_edition
from sitekit import serve, site_pages
from test_rebuild import published_bytes, run_build, seed_published_site

from natobook import paths
from natobook.analysis import changes
from natobook.build import editionsite, execute, publish
from natobook.build.sourcetree import copy_book
from natobook.data import schema
from natobook.site import editions

JUNE_2024 = "2024-06"

# --- Publishing: the real publish step on small built sites --------------------------------------------------


@pytest.fixture
def publishing(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    monkeypatch.setattr(paths, "SITE", tmp_path / "build" / "html")
    monkeypatch.setattr(execute, "FIGURE_EXPORTS", tmp_path / "build" / "figures")
    return tmp_path


def built_site(root: Path, edition: str, words: str = "") -> Path:
    """A built book as Sphinx leaves it: a landing page and a chapter whose edition links climb out of
    `editions/<edition>/` (as natobook.site.editions writes them), and a script."""
    site = root / f"built-{edition}{words}"
    (site / "chapters").mkdir(parents=True)
    (site / "_static").mkdir()
    (site / "index.html").write_text(
        f'<p>Edition {edition}{words}</p><a href="chapters/a.html">in the edition</a>'
        f'<a href="../../editions/index.html">all editions</a>'
    )
    (site / "chapters" / "a.html").write_text(
        f'<p>{edition}</p><a href="../index.html">landing</a><a href="../../../chapters/a.html">latest</a>'
    )
    (site / "_static" / "x.js").write_bytes(bytes(range(256)))
    return site


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_new_edition_is_added_beside_the_one_before_which_stays_byte_identical(publishing):
    publish.publish(built_site(publishing, JUNE_2024), JUNE_2024)
    before = files(paths.SITE / "editions" / JUNE_2024)
    assert before["index.html"] == (publishing / f"built-{JUNE_2024}" / "index.html").read_bytes()

    publish.publish(built_site(publishing, TEST_EDITION), TEST_EDITION)

    assert files(paths.SITE / "editions" / JUNE_2024) == before
    assert (paths.SITE / "editions" / TEST_EDITION / "chapters" / "a.html").read_text().startswith(f"<p>{TEST_EDITION}")
    manifest = json.loads((paths.SITE / "editions" / "editions.json").read_text())
    assert manifest == {
        "latest": TEST_EDITION,
        "editions": {JUNE_2024: ["chapters/a", "index"], TEST_EDITION: ["chapters/a", "index"]},
    }
    assert (paths.SITE / "editions" / "editions.js").read_text().startswith("window.natobookEditions = {")
    assert len(list(paths.BUILD.glob("site-*"))) == 1  # the site published before is gone once switched


def test_the_root_is_the_latest_edition_with_the_links_leaving_it_shortened(publishing):
    publish.publish(built_site(publishing, JUNE_2024), JUNE_2024)
    publish.publish(built_site(publishing, TEST_EDITION), TEST_EDITION)

    assert (paths.SITE / "index.html").read_text() == (
        f'<p>Edition {TEST_EDITION}</p><a href="chapters/a.html">in the edition</a>'
        '<a href="editions/index.html">all editions</a>'
    )
    assert (paths.SITE / "chapters" / "a.html").read_text() == (
        f'<p>{TEST_EDITION}</p><a href="../index.html">landing</a><a href="../chapters/a.html">latest</a>'
    )
    assert (paths.SITE / "_static" / "x.js").read_bytes() == bytes(range(256))


def test_rebuilding_an_older_edition_replaces_only_its_folder_and_the_latest_stays_at_the_root(publishing):
    publish.publish(built_site(publishing, JUNE_2024), JUNE_2024)
    publish.publish(built_site(publishing, TEST_EDITION), TEST_EDITION)
    newer = files(paths.SITE / "editions" / TEST_EDITION)

    publish.publish(built_site(publishing, JUNE_2024, " corrected"), JUNE_2024)

    assert files(paths.SITE / "editions" / TEST_EDITION) == newer
    assert "corrected" in (paths.SITE / "editions" / JUNE_2024 / "index.html").read_text()
    assert (paths.SITE / "index.html").read_text().startswith(f"<p>Edition {TEST_EDITION}</p>")


def test_a_failure_while_assembling_leaves_the_published_site_byte_identical(publishing, monkeypatch):
    publish.publish(built_site(publishing, JUNE_2024), JUNE_2024)
    before = published_bytes(paths.BUILD)

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(editionsite, "_write_manifest", disk_full)
    with pytest.raises(OSError, match="No space left"):
        publish.publish(built_site(publishing, TEST_EDITION), TEST_EDITION)

    assert published_bytes(paths.BUILD) == before
    assert len(list(paths.BUILD.glob("site-*"))) == 1  # no half-assembled folder left behind


def test_the_editions_page_lists_every_edition_newest_first_and_the_latest_as_moving(publishing):
    publish.publish(built_site(publishing, JUNE_2024), JUNE_2024)
    publish.publish(built_site(publishing, TEST_EDITION), TEST_EDITION)

    page = (paths.SITE / "editions" / "index.html").read_text()
    newer, older = page.index(f'href="{TEST_EDITION}/index.html"'), page.index(f'href="{JUNE_2024}/index.html"')
    assert newer < older
    assert "also the latest edition, at an address that moves" in page
    assert "Defence Expenditure of NATO Countries (2014-2024), 17 June 2024" in page
    assert f"edition {TEST_EDITION} (not described in data/editions.yml)" in page


@pytest.mark.parametrize(
    ("depth", "page", "at_root"),
    [
        (0, '<a href="../../editions/2024-06/index.html">', '<a href="editions/2024-06/index.html">'),
        (
            1,
            '<a href="../../../index.html"><a href="../_static/x.css">',
            '<a href="../index.html"><a href="../_static/x.css">',
        ),
        (
            2,
            'data-site-root="../../../../" src="../../_static/y.js"',
            'data-site-root="../../" src="../../_static/y.js"',
        ),
        (1, '<a href="../figures/a.svg">', '<a href="../figures/a.svg">'),
    ],
)
def test_at_the_root_only_the_links_that_leave_the_edition_are_shortened(depth, page, at_root):
    assert editionsite.at_root(page, depth) == at_root


# --- What changed --------------------------------------------------------------------------------------------


def tidy(edition: str, values: dict[tuple[str, str, int], float]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"edition": edition, "country": c, "indicator": i, "year": y, "value": v} for (c, i, y), v in values.items()]
    )


def test_compare_lists_each_moved_value_with_old_new_and_change():
    old = tidy(
        "2024-06",
        {
            ("Poland", "defexp_share_gdp", 2023): 3.26,
            ("Poland", "defexp_share_gdp", 2024): 4.12,
            ("Italy", "defexp_share_gdp", 2024): 1.49,
            ("Italy", "military_personnel", 2014): 180.0,
        },
    )
    new = tidy(
        "2099-01",
        {
            ("Poland", "defexp_share_gdp", 2023): 3.26,
            ("Poland", "defexp_share_gdp", 2024): 4.2,
            ("Italy", "defexp_share_gdp", 2024): 1.5,
            ("Italy", "defexp_share_gdp", 2025): 1.6,
        },
    )

    found = changes.compare(old, new)

    assert (found.old_edition, found.new_edition) == ("2024-06", "2099-01")
    assert (found.compared, found.added, found.dropped) == (3, 1, 1)
    assert found.moved[["country", "indicator", "year", "old", "new"]].values.tolist() == [
        ["Italy", "defexp_share_gdp", 2024, 1.49, 1.5],
        ["Poland", "defexp_share_gdp", 2024, 4.12, 4.2],
    ]
    assert found.moved["change"].round(2).tolist() == [0.01, 0.08]


def test_the_what_changed_table_lists_the_fixture_editions_moved_values(tmp_path):
    fixture = write_test_edition(paths.TIDY_CSV, tmp_path / "fixture.csv")
    text = editions.what_changed_markdown(
        changes.compare(schema.read_tidy_csv(paths.TIDY_CSV), schema.read_tidy_csv(fixture))
    )
    assert f"Between edition {JUNE_2024} and edition {TEST_EDITION}, 3 of the " in text
    assert "| Canada | `military_personnel` | 2022 | 67.4 | 68 | +0.6 |" in text
    assert "| Germany | `defexp_share_gdp` | 2023 | 1.64 | 1.57 | -0.07 |" in text
    assert "| Poland | `defexp_share_gdp` | 2024 | 4.12 | 4.2 | +0.08 |" in text
    assert len(REVISED) == 3


# --- The built book: every page names its edition and cites its stable address ------------------------------


def edition_of(site: Path) -> str:
    return json.loads((site / "editions" / "editions.json").read_text())["latest"]


def book_pages(site: Path) -> list[str]:
    """The book's pages: not Sphinx's generated index and search pages, which show and cite nothing."""
    return [page for page in site_pages(site) if page not in ("genindex.html", "search.html")]


def test_every_page_names_its_edition_and_its_stable_address(built_site):
    edition = edition_of(built_site)
    for page in book_pages(built_site):
        text = (built_site / page).read_text(encoding="utf-8")
        name = page.removesuffix(".html")
        assert f'data-edition="{edition}"' in text and f"<strong>Edition {edition}</strong>" in text, page
        stable = "../" * name.count("/") + f"editions/{edition}/{name}.html"
        assert f'class="natobook-page-address" href="{stable}">editions/{edition}/{name}.html</a>' in text, page
        assert "latest edition (this address moves to each new edition)" in text, page


def test_every_figure_is_cited_at_its_editions_address_and_the_latest_is_labelled_moving(built_site):
    edition = edition_of(built_site)
    cited = 0
    for page in site_pages(built_site):
        text = (built_site / page).read_text(encoding="utf-8")
        name = page.removesuffix(".html")
        for label in re.findall(r'class="natobook-figure-address reference external" href="[^"]*#(fig-[^"]+)"', text):
            stable = "../" * name.count("/") + f"editions/{edition}/{name}.html#{label}"
            shown = f"editions/{edition}/{name}.html#{label}"
            assert f'href="{stable}">{shown}</a>' in text and f'data-href="{stable}">{shown}</span>' in text, page
            assert f"data edition {edition}" in text
            cited += 1
    assert cited > 100  # the chapters' figures and four per country page


# --- Two editions: June 2024, then the TEST FIXTURE edition beside it ----------------------------------------


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory) -> dict:
    """The book published on June 2024 (the main build's site), then built on the fixture edition in a copy."""
    june = paths.SITE.resolve()
    if not (june / "editions" / JUNE_2024).is_dir():
        pytest.fail("the main build has no editions/2024-06: run `make book` first")
    book = copy_book(tmp_path_factory.mktemp("editions") / "book")
    seed_published_site(book, june)
    before = files(june / "editions" / JUNE_2024)
    data = write_test_edition(paths.TIDY_CSV, book / "data" / "test-edition.csv")
    run_build(book, "--data", str(data.relative_to(book)))
    return {"site": (book / "_build" / "html").resolve(), "june": before}


@pytest.mark.build
def test_the_june_2024_edition_stays_byte_identical_beside_the_new_one(two_editions):
    site = two_editions["site"]
    assert files(site / "editions" / JUNE_2024) == two_editions["june"]
    assert json.loads((site / "editions" / "editions.json").read_text())["latest"] == TEST_EDITION
    assert f"<strong>Edition {TEST_EDITION}</strong>" in (site / "index.html").read_text()
    assert not any(site.glob(f"editions/{JUNE_2024}/**/*{TEST_EDITION}*"))


@pytest.mark.build
def test_the_new_editions_pages_cite_its_address_and_link_the_june_edition(two_editions):
    page = (two_editions["site"] / "editions" / TEST_EDITION / "chapters" / "share_of_gdp.html").read_text()
    assert f'href="../../../editions/{TEST_EDITION}/chapters/share_of_gdp.html#fig-share-of-gdp"' in page
    assert f'<a href="../../../editions/{JUNE_2024}/chapters/share_of_gdp.html">{JUNE_2024}</a>' in page
    assert f"data edition {TEST_EDITION}" in page


@pytest.mark.build
def test_the_what_changed_page_lists_the_moved_values_and_the_landing_page_links_it(two_editions):
    site = two_editions["site"] / "editions" / TEST_EDITION
    assert (
        f'href="chapters/what_changed.html">What changed since edition {JUNE_2024}</a>'
        in (site / "index.html").read_text()
    )
    table = (site / "chapters" / "what_changed.html").read_text()
    for (country, indicator, year), (old, new) in REVISED.items():
        cells = [rf"<td[^>]*><p>{text}</p></td>\s*" for text in (country, "(.*?)", year, "([^<]+)", "([^<]+)")]
        row = re.search("".join(cells), table)
        assert row and row[1].endswith(f'"pre">{indicator}</span></code>'), (country, indicator, year)
        assert (float(row[2]), float(row[3])) == (old, new), (country, indicator, year)


@pytest.mark.build
@pytest.mark.browser
def test_the_june_edition_reaches_the_newer_one_and_the_latest_reaches_june(two_editions, browser):
    with serve(two_editions["site"]) as base:
        page = browser.new_page()
        page.goto(f"{base}/editions/{JUNE_2024}/chapters/share_of_gdp.html", wait_until="load")
        newer = page.locator(".natobook-other-editions a", has_text=TEST_EDITION)
        newer.wait_for()
        newer.click()
        page.wait_for_load_state("load")
        assert page.url == f"{base}/editions/{TEST_EDITION}/chapters/share_of_gdp.html"
        page.goto(f"{base}/chapters/share_of_gdp.html", wait_until="load")
        assert page.locator("a.natobook-page-address").text_content() == (  # folded: not rendered, not inner text
            f"{base}/editions/{TEST_EDITION}/chapters/share_of_gdp.html"
        )
        page.locator(".natobook-other-editions a", has_text=JUNE_2024).click()
        page.wait_for_load_state("load")
        assert page.url == f"{base}/editions/{JUNE_2024}/chapters/share_of_gdp.html"
        page.close()
    assert os.path.isfile(two_editions["site"] / "editions" / "index.html")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_editions_list_has_no_serious_accessibility_violation(built_site, browser, scheme):
    from axe_playwright_python.sync_playwright import Axe

    with serve(built_site) as base:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{base}/editions/index.html", wait_until="load")
        found = [
            (v["id"], v["nodes"][0]["target"])
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        context.close()
    assert not found, found
