"""TEST FIXTURES: editions derived from NATO's real June 2024 data, standing in for releases we do not have.

They are not NATO releases. Each is made from the committed tidy CSV by removing rows, never by adding or
changing a number, so every value a page shows on them is one NATO printed.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from natobook import paths
from natobook.data import schema

SHARE_ONLY_EDITION = "2099-01"  # an edition data/editions.yml does not describe
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
