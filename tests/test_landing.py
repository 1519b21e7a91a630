"""The landing page's key figures: each computed number beside the one the Annual Report printed, with the one
verdict the reproduction page gives it, on NATO's June 2024 data and on an edition that lacks them."""

from __future__ import annotations

import pytest

from natobook.analysis import key_figures, recompute, reproduction
from natobook.data import editions, printed

JUNE, REPORT = "2024-06", "2025-04"
NAMES = {JUNE: "NATO's June 2024 data", REPORT: "the report's per-Ally list"}


def _cards(frames):
    facts = printed.read_facts()
    bases = {name: editions.describe(name)["price_base_year"] for name in (JUNE, REPORT)}
    table = reproduction.compare(facts, recompute.computed_values(facts, frames, 2014, 2.0), bases, NAMES)
    return key_figures.key_figure_cards(table, reproduction.fact_verdicts(table, NAMES), JUNE, NAMES)


@pytest.fixture(scope="module")
def cards(tidy_2024):
    return _cards({JUNE: tidy_2024, REPORT: printed.tidy_report_shares()})


def test_each_card_sets_the_computed_number_beside_the_printed_one(cards):
    shown = [(card["computed"], card["printed"], card["verdict"]) for card in cards]
    assert shown == [
        ("22", "22", reproduction.REPRODUCED),
        ("17.95", "19.4", reproduction.EXPLAINED),
        ("430.1", "486", reproduction.EXPLAINED),
        ("63.7", "64", reproduction.REPRODUCED),
    ]
    assert cards[0]["source"] == "the report's per-Ally list" and cards[0]["also"] == "NATO's June 2024 data: 23"
    assert cards[3]["source"] == "NATO's June 2024 data, constant 2015 prices"


def test_an_edition_without_the_numbers_says_so_on_its_cards(tidy_2024):
    shares_only = tidy_2024[tidy_2024["indicator"] == "defexp_share_gdp"]
    cards = _cards({JUNE: shares_only, REPORT: shares_only.iloc[0:0]})
    money = cards[2]
    assert (money["computed"], money["source"], money["verdict"]) == (
        "–",
        "no data edition we hold",
        reproduction.NOT_COMPUTABLE,
    )
    assert cards[0]["computed"] == "23" and cards[0]["verdict"] == reproduction.EXPLAINED


def test_the_strip_escapes_what_comes_from_data(cards):
    strip = key_figures.key_figures_html([dict(cards[0], label="<b>Allies</b>")])
    assert "&lt;b&gt;Allies&lt;/b&gt;" in strip and "<b>" not in strip
    assert "Annual Report: <strong>22</strong>" in strip
