"""Indicators of chapters 1-3 and the reproduction check, pinned to numbers NATO printed.

Pinned numbers come from NATO's June 2024 release (PR/CP(2024)090: press release and Tables 2, 3, 6)
or from the Secretary General's Annual Report 2024 (data/published/annual_report_2024.csv); sums
are worked out here from the printed cells of the independent extraction in tests/fixtures/reference,
never by the code under test.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from natobook.analysis import indicators
from natobook.data import schema
from natobook.data.printed import tidy_report_shares

EC, TOTAL, US = indicators.EUROPE_AND_CANADA, indicators.NATO_TOTAL, indicators.UNITED_STATES
SHARE = indicators.SHARE_OF_GDP

# NATO, PR/CP(2024)090 (17 June 2024): "23 Allies" at or above 2% in 2024e, 3 in 2014 (Table 3).
JUNE_2024_AT_GUIDELINE = {2014: 3, 2024: 23}
# The Annual Report 2024: 22 Allies at or above 2% (ANEWS_AR24, TASS_AR24).
REPORT_AT_GUIDELINE = 22


@pytest.fixture(scope="module")
def report_shares():
    """The Annual Report's own edition (2025-04): share of GDP, 2024 only."""
    return tidy_report_shares()


@pytest.fixture(scope="module")
def printed_cells(reference_dir) -> dict[tuple[str, str, int], float]:
    """{(country, indicator, year): value} of every printed cell, aggregates included (tests/fixtures/reference)."""
    path = reference_dir / "nato_defexp_2014_2024_long.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return {
            (row["country"], row["indicator"], int(row["year"])): float(row["value"]) for row in csv.DictReader(handle)
        }


def _frame(rows: list[tuple[int, float]], **extra) -> pd.DataFrame:
    return pd.DataFrame({"year": [y for y, _ in rows], "value": [v for _, v in rows], **extra})


# --- Spending in 2024: Allies at the guideline --------------------------------------------------


@pytest.mark.parametrize("year, expected", JUNE_2024_AT_GUIDELINE.items())
def test_allies_at_the_guideline_are_the_printed_counts(tidy_2024, year, expected):
    counts = indicators.allies_at_or_above_by_year(tidy_2024, list(range(2014, 2025)))
    assert counts.set_index("year").loc[year, "count"] == expected


def test_estimate_years_are_marked_from_the_flag(tidy_2024):
    counts = indicators.allies_at_or_above_by_year(tidy_2024, list(range(2014, 2025)))
    labels = dict(zip(counts["year"], counts["year_label"]))
    assert labels[2022] == "2022" and labels[2023] == "2023e" and labels[2024] == "2024e"


def test_the_report_edition_gives_the_printed_22(report_shares):
    assert indicators.count_allies_at_or_above(report_shares, indicators.SHARE_OF_GDP, 2024, 2.0) == REPORT_AT_GUIDELINE
    assert indicators.allies_at_or_above_by_year(report_shares, [2024])["count"].tolist() == [REPORT_AT_GUIDELINE]


def test_a_year_the_edition_lacks_is_missing_not_zero(report_shares):
    assert indicators.missing_years(report_shares, SHARE, [2014, 2023, 2024]) == [2014, 2023]
    with pytest.raises(LookupError, match="not available in this edition: needs share of GDP for 2014 to 2023"):
        indicators.allies_at_or_above_by_year(report_shares, list(range(2014, 2025)))


def test_poland_spends_the_largest_share(tidy_2024, report_shares):
    june = indicators.values_by_year(tidy_2024, indicators.SHARE_OF_GDP, [2024]).iloc[0]
    report = indicators.values_by_year(report_shares, indicators.SHARE_OF_GDP, [2024]).iloc[0]
    assert (june["country"], june["value"], june["year_label"]) == ("Poland", 4.12, "2024e")  # Table 3
    assert (report["country"], report["value"]) == ("Poland", 4.07)  # Annual Report 2024 (KNEWS_AR24)


def test_allies_that_crossed_the_line_between_editions(tidy_2024, report_shares, reference_dir):
    june = indicators.values_in_year(tidy_2024, SHARE, 2024)
    report = indicators.values_in_year(report_shares, SHARE, 2024)
    with open(reference_dir / "annual_report_2024_share_of_gdp_2024.csv", encoding="utf-8", newline="") as handle:
        report_at = {row["country"] for row in csv.DictReader(handle) if float(row["value"]) >= 2}
    with open(reference_dir / "share_of_gdp_wide_2014_2024.csv", encoding="utf-8") as handle:
        june_at = {row["country"] for row in csv.DictReader(handle) if row["iso3"] and float(row["2024e"]) >= 2}
    assert indicators.allies_no_longer_at(june, report) == sorted(june_at - report_at)
    assert indicators.allies_no_longer_at(report, june) == sorted(report_at - june_at)
    assert len(june_at) - len(report_at) == JUNE_2024_AT_GUIDELINE[2024] - REPORT_AT_GUIDELINE


def test_editions_side_by_side_pairs_every_ally(tidy_2024, report_shares):
    side = indicators.editions_side_by_side(pd.concat([tidy_2024, report_shares]), SHARE, 2024)
    assert side.groupby("edition")["country"].nunique().to_dict() == {"2024-06": 31, "2025-04": 31}
    assert (side["year_label"] == "2024e").all()


# --- Europe and Canada step up --------------------------------------------------------------------


def test_real_change_of_europe_and_canada_is_table_3(tidy_2024):
    changes = indicators.country_series(tidy_2024, EC, indicators.REAL_CHANGE, [2023, 2024])
    assert changes["value"].tolist() == [9.26, 17.95]  # Table 3, NATO Europe and Canada, 2023e and 2024e


def test_real_change_agrees_with_the_constant_price_levels(tidy_2024):
    code = indicators.constant_price_indicator(tidy_2024, "defexp_usd")
    growth = 100 * (indicators.value_of(tidy_2024, EC, code, 2024) / indicators.value_of(tidy_2024, EC, code, 2023) - 1)
    assert growth == pytest.approx(17.95, abs=0.005)  # Table 2 levels against Table 3's printed change


def test_consecutive_years_of_increase_is_the_reports_ten(tidy_2024):
    changes = indicators.country_series(tidy_2024, EC, indicators.REAL_CHANGE, list(range(2014, 2025)))
    assert indicators.consecutive_years_of_increase(changes) == 10  # "for the 10th consecutive year"


@pytest.mark.parametrize("changes, expected", [([-1.0, 2.0, 3.0], 2), ([1.0, -1.0], 0), ([0.0, 1.0], 1), ([], 0)])
def test_consecutive_years_counts_back_from_the_last_year(changes, expected):
    frame = _frame(list(zip(range(2000, 2000 + len(changes)), changes)))
    assert indicators.consecutive_years_of_increase(frame.sample(frac=1, random_state=1)) == expected


def test_extra_over_base_year_worked_example():
    extra = indicators.extra_over_base_year(_frame([(2014, 100.0), (2015, 110.0), (2016, 130.0)]), 2014)
    assert extra["extra"].tolist() == [10.0, 30.0]
    assert extra["cumulative"].tolist() == [10.0, 40.0]
    with pytest.raises(LookupError, match="2013"):
        indicators.extra_over_base_year(_frame([(2014, 1.0)]), 2013)


def test_cumulative_extra_spending_equals_a_sum_of_printed_cells(tidy_2024, printed_cells):
    code = indicators.constant_price_indicator(tidy_2024, "defexp_usd")
    levels = indicators.country_series(tidy_2024, EC, code, list(range(2014, 2025)))
    ours = indicators.extra_over_base_year(levels, 2014)["cumulative"].iloc[-1]
    base = printed_cells[(EC, "defexp_usd_const2015", 2014)]
    expected = sum(printed_cells[(EC, "defexp_usd_const2015", year)] - base for year in range(2015, 2025))
    assert ours == pytest.approx(expected)
    assert ours / 1000 < 700  # at 2015 prices, short of the report's "more than USD 700 billion" (see reproduction)


def test_spending_of_later_members_is_the_sum_of_their_printed_cells(tidy_2024, printed_cells):
    joined = {ally.country: ally.joined for ally in schema.allies()}
    ours = indicators.spending_of_later_members(tidy_2024, "defexp_usd_const2015", 2014, [2024], joined)
    later = [country for country, year in joined.items() if 2014 < year <= 2024 and country != "Iceland"]
    assert sorted(later) == ["Finland", "Montenegro", "North Macedonia", "Sweden"]
    assert ours == pytest.approx(sum(printed_cells[(c, "defexp_usd_const2015", 2024)] for c in later))


def test_the_aggregate_counts_each_ally_from_its_accession(tidy_2024, printed_cells):
    """Why the enlargement share matters: NATO Europe and Canada = the sum of its members from accession."""
    joined = {ally.country: ally.joined for ally in schema.allies()}
    members = [c for c, year in joined.items() if year <= 2023 and c not in (US, "Iceland")]
    total = sum(printed_cells[(c, "defexp_usd_const2015", 2023)] for c in members)
    assert total == pytest.approx(printed_cells[(EC, "defexp_usd_const2015", 2023)], abs=len(members))


# --- Burden sharing -------------------------------------------------------------------------------


def test_us_share_of_spending_rounds_to_the_reports_64_at_constant_prices_only(tidy_2024):
    constant = indicators.share_of_nato_total(tidy_2024, US, "defexp_usd_const2015", 2024)
    current = indicators.share_of_nato_total(tidy_2024, US, "defexp_usd_current", 2024)
    assert round(constant) == 64 and round(current) != 64  # Annual Report 2024: 64%
    assert constant == pytest.approx(100 * 754_684 / 1_184_796)  # Table 2 printed cells, 2024e


def test_us_share_of_gdp_rounds_to_the_reports_53_at_current_prices(tidy_2024):
    current = indicators.share_of_nato_total(tidy_2024, US, "gdp_usd_current", 2024)
    assert round(current) == 53  # Annual Report 2024: 53%
    assert current == pytest.approx(100 * 28_719_942 / 53_976_437)  # Table 5 printed cells, 2024e


def test_group_shares_add_up_to_nato_total(tidy_2024):
    codes = ["defexp_usd_const2015", "defexp_usd_current", "gdp_usd_const2015", "gdp_usd_current"]
    shares = indicators.group_shares(tidy_2024, codes, 2024)
    assert shares.groupby("indicator")["share"].sum().tolist() == pytest.approx([100.0] * 4, abs=0.01)
    assert set(shares["price_basis"]) == {"constant 2015 prices", "current prices"}


def test_spending_per_head_is_table_6(tidy_2024):
    code = indicators.constant_price_indicator(tidy_2024, "defexp_per_capita")
    assert indicators.value_of(tidy_2024, US, code, 2024) == 2239  # Table 6, 2024e
    assert indicators.value_of(tidy_2024, EC, code, 2024) == 669


# --- Small helpers ----------------------------------------------------------------------------------


def test_price_basis_is_read_from_the_code():
    assert indicators.price_basis("defexp_usd_const2021") == "constant 2021 prices"
    assert indicators.price_basis("gdp_usd_current") == "current prices"
    with pytest.raises(ValueError):
        indicators.price_basis("defexp_share_gdp")


@pytest.mark.parametrize(
    "years, text", [([2014], "2014"), ([2016, 2014, 2015], "2014 to 2016"), ([2014, 2016], "2014, 2016")]
)
def test_year_span(years, text):
    assert indicators.year_span(years) == text


def test_value_of_names_what_is_missing(report_shares):
    with pytest.raises(LookupError, match="needs defexp_usd_current for NATO Europe and Canada in 2024"):
        indicators.value_of(report_shares, EC, "defexp_usd_current", 2024)
    with pytest.raises(LookupError, match="needs defexp_share_gdp for NATO Total in 2014 to 2015"):
        indicators.country_series(report_shares, TOTAL, SHARE, [2014, 2015])
