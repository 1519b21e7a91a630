"""The built book frames each claim as its data allow: estimates are what NATO expected, not what was spent; one
verdict per claim on every page; NATO's printed numbers counted apart from the press's renderings."""

from __future__ import annotations

import html
import re

import pytest
from sitekit import site_pages

from natobook.analysis import reproduction
from natobook.data import printed

pytestmark = pytest.mark.build

ESTIMATE_YEAR = re.compile(r"\b(19|20)\d\de\b")  # NATO's label of an estimate year: 2024e


def _text(page) -> str:
    """A page's visible words: no scripts, styles or tags, entities decoded, whitespace collapsed."""
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))
    return text.replace("\u2019", "'")  # the book's typographic apostrophes, as typed here


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[a-z)%])\.\s+(?=[A-Z])", text)


def test_no_estimate_year_is_described_as_spent(built_site):
    found = [
        f"{page}: {sentence.strip()[:160]}"
        for page in site_pages(built_site)
        for sentence in _sentences(_text(built_site / page))
        if ESTIMATE_YEAR.search(sentence) and re.search(r"\bspent\b", sentence)
    ]
    assert not found, f"{len(found)} sentences say 'spent' of an estimate year, e.g. {found[:3]}"


def test_the_36_percent_has_the_same_verdict_on_both_pages(built_site):
    visit = _text(built_site / "chapters" / "washington_visit.html")
    claim = re.search(r"Europe and Canada for 36 ?%\. (\w+(?: \w+)?)", visit)
    assert claim and claim.group(1) == "Partly confirmed", claim and claim.group(0)
    assert re.search(r"36 ?% is only the complement of the US share", visit)
    reproduced = _text(built_site / "chapters" / "reproduction.html")
    row = re.search(
        r"European Allies and Canada share of Allies' combined defence expenditure not printed none found"
        r".*?(\? not printed)",
        reproduced,
    )
    assert row, "the reproduction table does not mark the 36% as printed by no source"


def test_reproduction_page_counts_nato_apart_from_the_press(built_site):
    text = _text(built_site / "chapters" / "reproduction.html")
    facts = printed.read_facts()
    n_nato = int((facts["origin"] == printed.BY_NATO).sum())
    n_press = int((facts["origin"] == printed.PRESS_RENDERING).sum())
    assert (n_nato, n_press) == (10, 7)
    assert f"NATO printed {n_nato} of the numbers we check" in text
    assert f"{n_press} numbers are press renderings of the report (Infodefensa and TASS)" in text
    assert "10 differ" not in text
    # The press table holds TASS's 468 and the NATO table does not.
    nato_table, press_table = re.split(r"How the press rendered the report\W+These", text)
    assert "468 billion USD" in press_table and "468 billion USD" not in nato_table
    for mark in reproduction.MARKS.values():
        assert mark in text  # the status marks, explained above the table


def test_us_shares_name_the_basis_each_matches_on(built_site):
    text = _text(built_site / "chapters" / "reproduction.html")
    assert "match on different price bases; on one basis, one of them fails" in text
    assert (
        "at current prices throughout, the United States would have 65.6 per cent of the spending (printed 64)" in text
    )
    assert "at constant 2015 prices throughout, 51.1 per cent of the GDP (printed 53)" in text


def test_real_growth_names_edition_and_likely_price_base(built_site):
    text = _text(built_site / "chapters" / "reproduction.html")
    assert "NATO's June estimate was 17.95 per cent" in text
    assert "one of data edition, and probably of price base too" in text
    assert "No NATO text we hold states the report's price base" in text


def test_wording_the_sources_support(built_site):
    landing = _text(built_site / "index.html")
    assert "the day he arrived" not in landing
    visit = _text(built_site / "chapters" / "washington_visit.html")
    assert "every Ally that reports defence expenditure (all but Iceland" in visit
    europe = _text(built_site / "chapters" / "europe_canada.html")
    assert re.search(
        r"stands 72 per cent above its 2014 level .*? like for like, without them, the rise is \d+ per cent", europe
    )
    targets = _text(built_site / "chapters" / "targets.html")
    assert "The comparable figure for The Hague is the core level of 3.5 per cent" in targets
    assert "The other 1.5 per cent is a different kind of spending" in targets
