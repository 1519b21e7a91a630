"""Numbers written out as NATO prints them: one rule per indicator, the decimals of NATO's workbook.

The expected decimals are read here from the workbook's own number formats (cells formatted "#,##0.00"
print two decimals), not from natobook.data.rounding; the site check reads every CSV the built site links.
"""

from __future__ import annotations

import csv
import re
from collections import Counter

import openpyxl
import pandas as pd
import pytest
from conftest import RAW_WORKBOOK

from natobook import paths
from natobook.data import rounding, schema

# The workbook's sheet that prints each indicator (Tables 1 to 8b of NATO's release).
SHEET_OF = {
    "defexp_ncu_current": "TABLE1",
    "defexp_usd_const2015": "TABLE2",
    "defexp_share_gdp": "TABLE3",
    "gdp_usd_current": "TABLE5",
    "equipment_share": "TABLE8a",
    "personnel_share": "TABLE8b",
}


def _printed_decimals(sheet) -> int:
    """The decimals of the number format most of the sheet's numbers are printed with."""
    formats = Counter(
        cell.number_format
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, (int, float)) and cell.number_format != "General"
    )
    shown = formats.most_common(1)[0][0]
    return len(shown.split(".")[1]) if "." in shown else 0


@pytest.fixture(scope="module")
def workbook():
    return openpyxl.load_workbook(RAW_WORKBOOK)


@pytest.mark.parametrize("indicator, sheet", sorted(SHEET_OF.items()))
def test_each_indicator_is_rounded_as_natos_table_prints_it(workbook, indicator, sheet):
    assert rounding.decimals_of(indicator) == _printed_decimals(workbook[sheet])


def test_the_tidy_data_already_carry_no_more_decimals_than_their_rule():
    data = schema.read_tidy_csv(paths.PROCESSED / "nato_defence_expenditure.csv")
    for indicator, rows in data.groupby("indicator"):
        assert (rows["value"].round(rounding.decimals_of(indicator)) == rows["value"]).all(), indicator


def test_float_noise_and_false_precision_are_rounded_away():
    frame = pd.DataFrame(
        {
            "country": ["United States", "Germany"],
            "gap_musd_at_3.5pct": [34463.93040000003, 63618.483],
            "extra": [179.77200000000002, -55.88799999999998],
            "share": [63.697379126870786, 36.302620873129214],
            "value": [17.95, 2.0],
            "indicator": ["defexp_real_change", "defexp_share_gdp"],
        }
    )
    out = rounding.as_nato_prints(frame)
    assert out["gap_musd_at_3.5pct"].tolist() == [34464.0, 63618.0]  # million USD: none
    assert out["extra"].tolist() == [179.772, -55.888]  # billion USD: the printed millions
    assert out["share"].tolist() == [63.7, 36.3]
    assert out["value"].tolist() == [17.95, 2.0]


def test_an_indicator_without_a_rule_is_named():
    with pytest.raises(ValueError, match="no rounding rule for indicator 'defexp_new_thing'"):
        rounding.decimals_of("defexp_new_thing")


# Decimals of each figure CSV column other than an indicator's own `value`: share of total and real change
# as Table 3 prints shares (2), million USD as Tables 2 and 5 (0), billion USD the same millions (3).
COLUMN_RULE = {"share": 2, "real_change": 2, "gdp_musd": 0, "current": 3, "extra": 3, "cumulative": 3, "gap_bn": 3}
UNIT_RULE = {"USD billion": 3, "USD per head": 0}


def _decimals(text: str) -> int:
    """The decimals a CSV cell writes (trailing zeros of a float such as 2065.0 are not precision)."""
    match = re.fullmatch(r"-?\d+\.(\d+)", text)
    return len(match.group(1).rstrip("0")) if match else 0


def _rule(column: str, row: dict) -> int | None:
    if column in COLUMN_RULE:
        return COLUMN_RULE[column]
    if column.startswith("gap_musd_at_"):
        return 0
    if column == "value" and row.get("indicator", "").startswith(("defexp", "gdp", "equipment", "personnel")):
        return rounding.decimals_of(row["indicator"])
    if column == "value" and "unit" in row:
        return next((d for start, d in UNIT_RULE.items() if row["unit"].startswith(start)), None)
    if column in ("computed", "difference"):  # the reproduction table: the decimals it shows, per row
        return int(row["decimals"])
    return None


def test_no_csv_the_site_links_has_float_noise_or_false_precision(built_site):
    files = sorted(built_site.glob("figures/*.csv")) + sorted(built_site.glob("_downloads/*/*.csv"))
    assert files, "the built site links no CSV"
    found = []
    for path in files:
        with open(path, encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                for column, text in row.items():
                    decimals = _decimals(text or "")
                    rule = _rule(column, row)
                    if decimals > (rule if rule is not None else 6):  # 6: past any NATO rule, only float residue
                        found.append(f"{path.name} line {line} {column}={text} (rule {rule})")
    assert not found, f"{len(found)} values with more decimals than NATO prints, e.g. {found[:5]}"
