"""The whole book built on a share-of-GDP-only edition in which some Allies lack the report year reads as prose
(issue #13): no "[not available]" on any page, no note inside a sentence (a note is a paragraph or a figure's
whole caption), counts that name who is left out, an Ally without the report year shown in its latest year,
labelled, and the edition named plainly.

The edition is a TEST FIXTURE derived from NATO's June 2024 data (tests/editionkit.py), built as the README says,
with `build --data` alone, in a copy of the source tree (as test_rebuild builds).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import lxml.html
import pytest
from editionkit import SHARE_ONLY_EDITION, share_only_with_missing_allies
from sitekit import site_pages
from test_rebuild import build_command, build_env

from natobook import nbtools, paths
from natobook.build.sourcetree import copy_book
from natobook.data import schema, tidy_csv

NOTE = nbtools.NOTE  # "Not available in this edition"
# A note that stands alone: "Not available in this edition: needs ...", or one sentence with its subject,
# "The comparison with 2014 is not available in this edition: needs ..."; a figure's caption after its number.
# A paragraph that gives way may keep its bold run-in title before the note ("Real growth of European Allies and
# Canada. Not available in this edition: needs ..."): still one note, whole, about what the title names.
WHOLE_NOTE = re.compile(rf"^(Figure \d+ )?([^.:]+\. )?({NOTE}|[^.:]* is {NOTE.lower()}): needs [^:]*\.$")
BLOCKS = "//p | //figcaption | //li | //td | //th | //caption | //dd"  # where a sentence sits on a page
BUILD_TIMEOUT_SECONDS = 2400  # a cold build of 40 notebooks on a busy two-core machine


@pytest.fixture(scope="module")
def share_only_site(tmp_path_factory) -> Path:
    book = copy_book(tmp_path_factory.mktemp("share-only") / "book")
    data = book / "data" / "share-only.csv"
    tidy_csv.write_tidy_csv(share_only_with_missing_allies(schema.read_tidy_csv(paths.TIDY_CSV)), data)
    # Belgium, Canada and Spain lack the report year where the other Allies have it: the build refuses that unless
    # told to read on (#18), and then every page built from the data names the gaps above its text.
    built = subprocess.run(
        build_command("--data", str(data.relative_to(book)), "--allow-missing"),
        cwd=book,
        env=build_env(book),
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_SECONDS,
    )
    assert built.returncode == 0, f"build in {book} failed:\n{built.stdout}\n{built.stderr[-4000:]}"
    return (book / "_build" / "html").resolve()


def page_text(site: Path, page: str) -> tuple[lxml.html.HtmlElement, str]:
    """The page's main content (the article, without the footer and the edition note, which name the edition on
    every page) and its text with white space collapsed."""
    root = lxml.html.fromstring((site / page).read_bytes())
    article = root.xpath("//article")[0]
    # Left out as the footer is: code, the '#' of anchors, and the edition note, whose job is to name the edition
    # (with its address and the other editions' links) on every page.
    chrome = "//script | //a[contains(@class, 'headerlink')] | //div[contains(@class, 'natobook-editions')]"
    for hidden in article.xpath(chrome):
        hidden.drop_tree()
    return article, " ".join(article.text_content().split())


@pytest.mark.build
def test_no_page_shows_a_marker_or_a_note_inside_a_sentence(share_only_site):
    pages = [page for page in site_pages(share_only_site) if (share_only_site / page).read_bytes().count(b"<article")]
    assert "chapters/countries/bel.html" in pages and "index.html" in pages
    problems = []
    for page in pages:
        article, text = page_text(share_only_site, page)
        if "[not available]" in text:
            problems.append(f"{page}: [not available]")
        for block in article.xpath(BLOCKS):
            found = " ".join(block.text_content().split())
            if NOTE.lower() in found.lower() and not WHOLE_NOTE.match(found):
                problems.append(f"{page}: {found}")
    assert not problems, "notes inside sentences:\n" + "\n".join(problems)


@pytest.mark.build
def test_the_landing_page_names_the_edition_once_and_who_is_left_out(share_only_site):
    _, text = page_text(share_only_site, "index.html")
    assert text.count(SHARE_ONLY_EDITION) == 1 and f"edition {SHARE_ONLY_EDITION}, not described" in text
    assert "editions.yml" not in text
    # NATO's June 2024 Table 3: 23 Allies at or above 2% in 2024e; the three the fixture drops were all below 2%.
    assert (
        "23 Allies were expected to spend at least 2 per cent of GDP on defence in 2024e, against 3 in 2014; "
        "this edition has no figure for 2024e for Belgium, Canada and Spain"
    ) in text


@pytest.mark.build
def test_counts_name_who_is_left_out_and_an_ally_shows_its_latest_year(share_only_site):
    _, chapter = page_text(share_only_site, "chapters/share_of_gdp.html")
    assert (
        "In 2024e, 23 of the 28 Allies with a figure for 2024e (no figure for Belgium, Canada and Spain in this "
        "edition) were expected to spend at least 2 per cent"
    ) in chapter
    _, belgium = page_text(share_only_site, "chapters/countries/bel.html")
    # Table 3: Belgium 1.21% of GDP in 2023e, 0.97% in 2014
    assert (
        "In 2023e, the latest year this edition holds for Belgium, Belgium was expected to spend 1.21 per cent "
        "of its GDP on defence, up from 0.97 per cent in 2014."
    ) in belgium
