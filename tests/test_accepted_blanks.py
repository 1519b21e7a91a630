"""A value missing where NATO prints one, accepted with `build --allow-missing`: the real build, in a copy of the
book, on NATO's data without Belgium's 2024 share of GDP.

* every page built from the data opens with a warning naming the Ally, the indicator and the year
  (natobook.site.accepted_blanks), and the pages not built from it carry none;
* the same data under another file name executes no notebook again (the cache is keyed by content).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_build_command import belgiums_2024_share_row_removed
from test_rebuild import run_build

from natobook.build.sourcetree import copy_book
from natobook.site.accepted_blanks import CSS_CLASS

# Pages whose numbers come from the data (their notebooks read it, or they glue from those that do) ...
BUILT_FROM_THE_DATA = (
    "index.html",
    "chapters/share_of_gdp.html",
    "chapters/targets.html",
    "chapters/countries/bel.html",
    "chapters/countries/deu.html",
    "chapters/countries.html",
)
# ... and pages that are not: what they say does not depend on Belgium's share.
NOT_BUILT_FROM_THE_DATA = ("chapters/bibliography.html", "chapters/provenance.html", "chapters/how_to_cite.html")
NAMED = "Belgium, share of GDP (defexp_share_gdp), 2024"
BUILD_TIMEOUT = 2400  # every notebook executes on data of its own: 5 minutes on a quiet machine, 20 on a busy one


@pytest.fixture(scope="module")
def gap_accepted(tmp_path_factory) -> tuple[Path, str]:
    """The book built on the data without Belgium's 2024 share (accepted), in data/raw/, then on the same file renamed:
    the published site after the first build, and what the second build printed."""
    book = copy_book(tmp_path_factory.mktemp("gap") / "book")
    data = belgiums_2024_share_row_removed(book / "data" / "raw")  # where the README puts a new release
    first = run_build(book, "--data", str(data.relative_to(book)), "--allow-missing", timeout=BUILD_TIMEOUT)
    assert "1 value(s) missing where NATO prints one" in first.stderr
    site = (book / "_build" / "html").resolve()
    kept = shutil.copytree(site, book.parent / "first-site")
    renamed = data.rename(data.with_name("the same rows, renamed.csv"))
    second = run_build(book, "--data", str(renamed.relative_to(book)), "--allow-missing", timeout=BUILD_TIMEOUT)
    return kept, second.stdout


def warnings_on(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [" ".join(box.get_text(" ").split()) for box in soup.select(f".{CSS_CLASS}")]


@pytest.mark.build
@pytest.mark.parametrize("page", BUILT_FROM_THE_DATA)
def test_a_page_built_from_the_data_names_the_missing_value(gap_accepted, page):
    site, _ = gap_accepted
    shown = warnings_on(site / page)
    assert len(shown) == 1, shown
    assert "Values missing from the data" in shown[0] and NAMED in shown[0], shown[0]


@pytest.mark.build
@pytest.mark.parametrize("page", NOT_BUILT_FROM_THE_DATA)
def test_a_page_not_built_from_the_data_shows_no_warning(gap_accepted, page):
    site, _ = gap_accepted
    assert (site / page).is_file()
    assert warnings_on(site / page) == []


@pytest.mark.build
def test_the_warning_stands_under_the_title_before_the_text(gap_accepted):
    site, _ = gap_accepted
    soup = BeautifulSoup((site / "chapters" / "share_of_gdp.html").read_text(encoding="utf-8"), "html.parser")
    after_title = soup.select_one("article section h1").find_next_sibling()
    assert CSS_CLASS in after_title.get("class", []), after_title


@pytest.mark.build
def test_the_same_data_under_another_name_executes_no_notebook(gap_accepted):
    _, printed = gap_accepted
    counts = re.search(r"(\d+) notebook\(s\) executed, (\d+) from the cache", printed)
    assert counts and int(counts.group(1)) == 0 and int(counts.group(2)) > 40, printed
