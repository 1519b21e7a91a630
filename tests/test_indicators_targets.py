"""'What the money buys' and 'From 2% to 5%': indicators pinned to what NATO printed, figures as Vega-Lite specs.

Expected numbers come from NATO's workbook (read here with openpyxl, cell by cell) or from the independent
extraction of its printed cells in tests/fixtures/reference (read here with the csv module), never from the code
under test.
"""

from __future__ import annotations

import csv
import re

import openpyxl
import pytest
import vl_convert
from conftest import RAW_WORKBOOK

from natobook.analysis import indicators, target_gaps
from natobook.charts import equipment, style
from natobook.charts import targets as target_charts
from natobook.charts.style import PALETTE

REPORT_YEAR, FIRST_YEAR = 2024, 2014
EQUIPMENT_GUIDELINE = 20.0
TARGETS = [2.0, 3.5, 5.0]
# Table 8a, 2024e, as printed (sheet, cell, value).
EQUIPMENT_2024E = {
    "Poland": ("TABLE8a", "N32", 51.13),
    "Belgium": ("TABLE8a", "N12", 15.16),
    "Canada": ("TABLE8a", "N14", 18.60),
}
# Read off Table 8a by hand: the Allies at or above 20% on equipment in 2014 (column D), and below it in 2024e.
EQUIPMENT_GUIDELINE_MET_2014 = {
    "Estonia",
    "France",
    "Luxembourg",
    "Norway",
    "Sweden",
    "Türkiye",
    "United Kingdom",
    "United States",
}
EQUIPMENT_GUIDELINE_MISSED_2024E = {"Belgium", "Canada"}


@pytest.fixture(scope="module")
def printed(reference_dir) -> list[dict]:
    """Every printed cell of NATO's Tables 1-8b, from the independent extraction."""
    path = reference_dir / "nato_defexp_2014_2024_long.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def printed_by_ally(printed: list[dict], indicator: str, year: int) -> dict[str, float]:
    """{Ally: printed value}; aggregates (blank iso3) left out."""
    return {
        row["country"]: float(row["value"])
        for row in printed
        if row["indicator"] == indicator and row["year"] == str(year) and row["iso3"]
    }


@pytest.fixture(scope="module")
def workbook():
    return openpyxl.load_workbook(RAW_WORKBOOK, data_only=True)


@pytest.fixture(scope="module")
def inputs(tidy_2024):
    return target_gaps.target_inputs(tidy_2024, REPORT_YEAR)


@pytest.fixture(scope="module")
def house_style():
    style.enable()  # the snapshots hold the house theme too


# --- What the money buys -------------------------------------------------------------------------------------


@pytest.mark.parametrize("country", sorted(EQUIPMENT_2024E))
def test_equipment_share_is_the_printed_table_8a_cell(tidy_2024, workbook, country):
    sheet, cell, printed_value = EQUIPMENT_2024E[country]
    assert round(workbook[sheet][cell].value, 2) == printed_value
    shares = indicators.values_by_year(tidy_2024, indicators.EQUIPMENT_SHARE, [REPORT_YEAR])
    row = shares[shares["country"] == country].iloc[0]
    assert row["value"] == printed_value
    assert row["year_label"] == "2024e"


@pytest.mark.parametrize(("year", "expected"), [(FIRST_YEAR, 8), (REPORT_YEAR, 29)])
def test_allies_meeting_the_equipment_guideline(tidy_2024, printed, year, expected):
    shares = printed_by_ally(printed, indicators.EQUIPMENT_SHARE, year)
    meeting = {country for country, value in shares.items() if value >= EQUIPMENT_GUIDELINE}
    by_hand = EQUIPMENT_GUIDELINE_MET_2014 if year == FIRST_YEAR else set(shares) - EQUIPMENT_GUIDELINE_MISSED_2024E
    assert meeting == by_hand and len(meeting) == expected
    counted = indicators.count_allies_at_or_above(tidy_2024, indicators.EQUIPMENT_SHARE, year, EQUIPMENT_GUIDELINE)
    assert counted == expected


def test_the_four_categories_add_up_within_printed_rounding(tidy_2024):
    split = indicators.spending_split(tidy_2024, REPORT_YEAR)
    assert set(split["category"]) == {"Equipment", "Personnel", "Infrastructure", "Other"}
    assert "Iceland" not in set(split["country"])  # no armed forces: absent from Tables 8a/8b
    totals = split.groupby("country")["value"].sum()
    assert len(totals) == 31
    assert ((totals - 100).abs() <= 4 * 0.005 + 1e-9).all(), totals[(totals - 100).abs() > 0.02]


def test_largest_category_counts_match_the_printed_tables(tidy_2024, printed):
    codes = list(indicators.SPENDING_CATEGORIES)
    per_category = {code: printed_by_ally(printed, code, REPORT_YEAR) for code in codes}
    largest_by_hand = {
        country: max(codes, key=lambda code: per_category[code][country]) for country in per_category[codes[0]]
    }
    counts = indicators.largest_category_counts(indicators.spending_split(tidy_2024, REPORT_YEAR))
    for code, label in indicators.SPENDING_CATEGORIES.items():
        assert counts[label] == list(largest_by_hand.values()).count(code), label
    assert counts["Personnel"] == 18


# --- From 2% to 5% ---------------------------------------------------------------------------------------------


def test_target_inputs_are_the_printed_share_and_current_gdp(inputs, workbook):
    assert len(inputs) == 31 and "Iceland" not in set(inputs["country"])  # Iceland: in Table 5 only
    spain = inputs.set_index("country").loc["Spain"]
    assert spain["share"] == round(workbook["TABLE3"]["N37"].value, 2) == 1.28
    assert spain["gdp_musd"] == 1_658_360  # TABLE5!N38, million USD at current prices
    assert spain["year_label"] == "2024e" and spain["group"] == indicators.EUROPE_AND_CANADA_GROUP
    assert inputs.set_index("country").loc["United States", "group"] == indicators.UNITED_STATES_GROUP


@pytest.mark.parametrize(
    ("country", "target", "expected_musd"),
    [
        ("Spain", 2.0, (2.0 - 1.28) / 100 * 1_658_360),  # TABLE3!N37, TABLE5!N38
        ("United States", 3.5, (3.5 - 3.38) / 100 * 28_719_942),  # TABLE3!N41, TABLE5!N42
        ("United States", 5.0, (5.0 - 3.38) / 100 * 28_719_942),
        ("Poland", 3.5, 0.0),  # printed 4.12: above the target, no gap and no credit
        # Printed 2.00 (TABLE3!N35), though its current-price spending / GDP is 2,841 / 142,812 = 1.99%:
        # the gap works from the printed share, so an Ally NATO counts at 2% has nothing to add.
        ("Slovak Republic", 2.0, 0.0),
    ],
)
def test_gap_worked_examples(inputs, country, target, expected_musd):
    gaps = target_gaps.gaps_to_targets(inputs, [target]).set_index("country")
    assert gaps.loc[country, "gap_musd"] == pytest.approx(expected_musd, abs=1e-6)


def test_gap_totals_equal_an_independent_sum_over_printed_cells(inputs, printed):
    shares = printed_by_ally(printed, indicators.SHARE_OF_GDP, REPORT_YEAR)
    gdp = printed_by_ally(printed, indicators.GDP_CURRENT, REPORT_YEAR)
    totals = target_gaps.gap_totals(target_gaps.gaps_to_targets(inputs, TARGETS))
    for target in TARGETS:
        gaps = {country: max(0.0, (target - share) / 100 * gdp[country]) for country, share in shares.items()}
        us = gaps.pop("United States")
        assert totals.loc[target, indicators.UNITED_STATES_GROUP] == pytest.approx(us, abs=1e-6)
        assert totals.loc[target, indicators.EUROPE_AND_CANADA_GROUP] == pytest.approx(sum(gaps.values()), abs=1e-6)


def test_who_is_above_the_core_level_and_at_five_percent(inputs, tidy_2024, printed):
    shares = printed_by_ally(printed, indicators.SHARE_OF_GDP, REPORT_YEAR)
    by_hand = [country for country, share in sorted(shares.items(), key=lambda item: -item[1]) if share > 3.5]
    assert target_gaps.allies_above(inputs, 3.5) == by_hand
    assert target_gaps.allies_above(inputs, 3.5) == ["Poland"]  # 4.12, TABLE3!N32; next Estonia 3.43
    assert indicators.count_allies_at_or_above(tidy_2024, indicators.SHARE_OF_GDP, REPORT_YEAR, 5.0) == 0
    assert inputs.iloc[0][["country", "share"]].tolist() == ["Poland", 4.12]


def test_price_base_year_is_read_from_the_data(tidy_2024, workbook):
    assert f"Based on {indicators.price_base_year(tidy_2024)} prices" == workbook["TABLE3"]["B6"].value
    renamed = tidy_2024.assign(indicator=tidy_2024["indicator"].str.replace("const2015", "const2021"))
    assert indicators.price_base_year(renamed) == 2021


def test_names_in_words():
    assert [indicators.names_in_words(n) for n in ([], ["Poland"], ["Belgium", "Canada"], ["A", "B", "C"])] == [
        "",
        "Poland",
        "Belgium and Canada",
        "A, B and C",
    ]


# --- Figures -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figures(tidy_2024, inputs, house_style) -> dict:
    """Each figure of the two chapters, built from the 2024 data with fixed title and alt text."""
    gaps = target_gaps.gaps_to_targets(inputs, TARGETS)
    totals = (target_gaps.gap_totals(gaps) / 1000).stack().rename("gap_bn").reset_index()
    shares = indicators.values_by_year(tidy_2024, indicators.EQUIPMENT_SHARE, [FIRST_YEAR, REPORT_YEAR])
    split = indicators.spending_split(tidy_2024, REPORT_YEAR)
    return {
        "fig-equipment-share": equipment.equipment_share_by_ally(shares, EQUIPMENT_GUIDELINE, "Title", "Alt text"),
        "fig-spending-categories": equipment.spending_split_by_ally(split, EQUIPMENT_GUIDELINE, "Title", "Alt text"),
        "fig-gap-to-target": target_charts.gap_to_target_slider(inputs, 5.0, "Alt text"),
        "fig-cost-of-targets": target_charts.cost_of_targets(totals, "2024e", "Title", "Alt text"),
    }


FIGURE_NAMES = ["fig-equipment-share", "fig-spending-categories", "fig-gap-to-target", "fig-cost-of-targets"]


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_figure_spec_matches_snapshot(figures, name, chart_snapshot):
    assert figures[name].to_dict() == chart_snapshot(name=name)


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_figure_compiles_and_uses_the_colour_blind_safe_palette(figures, name):
    spec = figures[name].to_dict()
    assert spec["description"] == "Alt text"
    assert vl_convert.vegalite_to_svg(spec).startswith("<svg")
    marks_and_scales = {key: value for key, value in spec.items() if key != "config"}  # config: greys of the theme
    colours = {colour.upper() for colour in re.findall(r"#[0-9A-Fa-f]{6}", str(marks_and_scales))}
    assert colours <= {colour.upper() for colour in PALETTE.values()}, colours


def test_estimate_years_are_marked_from_the_data(figures):
    svg = vl_convert.vegalite_to_svg(figures["fig-equipment-share"].to_dict())
    assert ">2024e<" in svg and ">2014<" in svg
    assert "2024e GDP" in vl_convert.vegalite_to_svg(figures["fig-cost-of-targets"].to_dict())


def _svg_texts(chart) -> list[str]:
    # A line of a text of several lines is a <tspan> (the slider figure's title).
    return re.findall(r"<(?:text|tspan)[^>]*>([^<]*)</(?:text|tspan)>", vl_convert.vegalite_to_svg(chart.to_dict()))


def test_slider_is_a_client_side_parameter_from_one_to_six_percent(figures):
    (param,) = figures["fig-gap-to-target"].to_dict()["params"]
    assert param["name"] == target_charts.SLIDER_NAME and param["value"] == 5.0
    assert {k: param["bind"][k] for k in ("input", "min", "max", "step")} == {
        "input": "range",
        "min": 1.0,
        "max": 6.0,
        "step": 0.1,
    }


@pytest.mark.parametrize("target", [5.0, 3.5, 2.0, 1.0])
def test_slider_totals_drawn_by_vega_equal_the_python_totals(inputs, house_style, target):
    """The browser's formula (a Vega expression) and target_gaps.gap_to_target must agree at any target."""
    texts = _svg_texts(target_charts.gap_to_target_slider(inputs, target, "Alt text"))
    totals = target_gaps.gap_totals(target_gaps.gaps_to_targets(inputs, [target])).loc[target] / 1000
    for group, total in totals.items():
        assert f"{group}: USD {total:,.0f} bn" in texts
    assert f"All Allies: USD {totals.sum():,.0f} bn" in texts
    n_there = int((inputs["share"] >= target).sum())
    assert f"Allies already at or above the target: {n_there} of {len(inputs)}" in texts
    assert f"To reach {target:.1f}% of 2024e GDP, a year:" in texts
    # The title follows the slider too, with the same total as the totals under it.
    assert f"Lifting every Ally to {target:g}% of 2024e GDP" in texts
    assert f"would take USD {totals.sum():,.0f} bn more a year" in texts
