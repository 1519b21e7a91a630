"""The Europe-and-Canada page, computed without a kernel, against NATO's June 2024 tables (PR/CP(2024)090) and the
independent extraction in tests/fixtures/reference/; on a TEST FIXTURE (tests/editionkit.py) it gives way whole."""

from __future__ import annotations

import csv

import pytest
from editionkit import SHARE_ONLY_EDITION, write_share_only_csv

from natobook import paths
from natobook.data import printed
from natobook.pages import europe_canada

FACTS = paths.DATA / "published" / "annual_report_2024.csv"


def test_june_2024_gives_table_2_and_3_figures(reference_dir):
    page = europe_canada.page(paths.TIDY_CSV, "2024-06", 2024, 2014, FACTS)
    assert page.numbers["ec_real_change_latest"] == 17.95  # Table 3, NATO Europe and Canada, 2024e
    assert page.numbers["ec_spending_latest_bn"] == pytest.approx(430.112)  # Table 2, constant 2015 prices
    assert page.numbers["ec_spending_latest_current_bn"] == pytest.approx(506.692)  # Table 2, current prices
    facts = printed.read_facts(FACTS).set_index("fact_id")
    assert page.numbers["ec_years_of_increase"] == facts.loc["AR24_CONSEC", "value"] == 10  # reproduced
    assert page.texts["price_basis"] == "constant 2015 prices" and page.numbers["price_base_year"] == 2015
    with open(reference_dir / "nato_defexp_2014_2024_long.csv", encoding="utf-8") as handle:
        levels = {
            int(r["year"]): float(r["value"])
            for r in csv.DictReader(handle)
            if r["country"] == "NATO Europe and Canada" and r["indicator"] == "defexp_usd_const2015"
        }
    expected = sum(levels[year] - levels[2014] for year in range(2015, 2025)) / 1000
    assert page.numbers["ec_extra_cumulative_bn"] == pytest.approx(expected)
    assert {name: missing for name, missing in page.lacks.items() if missing} == {}
    assert set(page.figures) == {"fig-europe-canada-spending", "fig-europe-canada-extra-spending"}
    # Beside the report (AR24_CONSEC 10 years, AR24_EC_REAL 19.4% from the April 2025 release): the same run, a
    # different growth rate (17.95), and a later edition than this one.
    assert page.cases == {"run_of_increase": "same", "growth_rate": "differs", "report_edition": "later"}


def test_shares_alone_make_every_paragraph_and_figure_give_way(tmp_path):
    page = europe_canada.page(write_share_only_csv(tmp_path), SHARE_ONLY_EDITION, 2024, 2014, FACTS)
    assert page.lacking("series") == [
        "defence expenditure in USD at constant prices",
        "annual real change in defence expenditure",
        "defence expenditure in USD at current prices",
    ]
    assert page.lacking("fig-europe-canada-spending") == page.lacking("series") and page.figures == {}
    assert "ec_spending_latest_bn" not in page.numbers  # no number is better than a wrong one
