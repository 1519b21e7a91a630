"""TEST FIXTURES, not NATO data: editions made from NATO's real June 2024 release
(data/processed/nato_defence_expenditure.csv), standing in for releases we do not have. Both are labelled
2099-01, which is no release of NATO's and which data/editions.yml does not describe (so their pages say so).

* The second edition, for the tests of editions published side by side: the June 2024 release with three values
  changed by hand (REVISED), so that "What changed" has something to list; every other number is NATO's.
* The share-only edition, for the tests of partial editions: the June 2024 shares of GDP only, as in NATO's press
  summaries, without the report year's row of three Allies (LEFT_OUT); rows removed, no number changed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from natobook import paths
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


SHARE_ONLY_EDITION = TEST_EDITION
# Allies whose report-year (2024e) share of GDP the share-only fixture drops: NATO printed 1.30, 1.37 and 1.28
# (June 2024, Table 3), all below 2%, so the count at the guideline stays NATO's 23.
LEFT_OUT = ("Belgium", "Canada", "Spain")
REPORT_YEAR = 2024


def share_only_with_missing_allies(real: pd.DataFrame) -> pd.DataFrame:
    """TEST FIXTURE: the June 2024 shares of GDP only (as in NATO's press summaries), relabelled as an edition
    data/editions.yml does not describe, without the report year's row of the Allies in LEFT_OUT."""
    shares = real[(real["indicator"] == "defexp_share_gdp") & (real["edition"] == "2024-06")]
    dropped = shares["country"].isin(LEFT_OUT) & (shares["year"] == REPORT_YEAR)
    return shares[~dropped].assign(edition=SHARE_ONLY_EDITION)


def write_share_only_csv(folder: Path) -> Path:
    """share_only_with_missing_allies of the committed June 2024 tidy CSV, written to `folder` as a tidy CSV."""
    path = folder / "share_only.csv"
    share_only_with_missing_allies(schema.read_tidy_csv(paths.TIDY_CSV)).to_csv(path, index=False)
    return path
