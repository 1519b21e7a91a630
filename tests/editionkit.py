"""A TEST FIXTURE, not NATO data: a second data edition for the tests of editions published side by side.

It is NATO's June 2024 release (data/processed/nato_defence_expenditure.csv) under the edition code 2099-01, which
is no release of NATO's and which data/editions.yml does not describe (so its pages say so), with three values
changed by hand (REVISED). It exists only to be built beside the June 2024 edition: every other number is NATO's.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from natobook.data import schema, tidy_csv

TEST_EDITION = "2099-01"
# (country, indicator, year): (NATO's June 2024 value, the fixture's value). Typed from the June 2024 CSV.
REVISED = {
    ("Poland", "defexp_share_gdp", 2024): (4.12, 4.2),
    ("Germany", "defexp_share_gdp", 2023): (1.64, 1.57),
    ("Canada", "military_personnel", 2022): (67.4, 68.0),
}


def fixture_edition_rows(june_2024: pd.DataFrame) -> pd.DataFrame:
    rows = june_2024.assign(edition=TEST_EDITION)
    for (country, indicator, year), (_, value) in REVISED.items():
        cell = (rows["country"] == country) & (rows["indicator"] == indicator) & (rows["year"] == year)
        assert cell.sum() == 1, (country, indicator, year)
        rows.loc[cell, "value"] = value
    return rows


def write_test_edition(june_2024_csv: Path, target: Path) -> Path:
    """The fixture edition as a tidy CSV at `target`."""
    tidy_csv.write_tidy_csv(fixture_edition_rows(schema.read_tidy_csv(june_2024_csv)), target)
    return target
