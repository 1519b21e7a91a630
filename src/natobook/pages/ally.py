"""One Ally in one edition, as its country page reads it: its series, what the edition lacks of it, and the names of
its figures (natobook.pages.country_profile)."""

from __future__ import annotations

import pandas as pd

from natobook.analysis import profiles
from natobook.nbtools import country_name, needs

# The page's figures, under the names its markdown gives them: fig-<iso3 in lower case>-<kind>.
FIGURE_KINDS = {
    "share": "share-of-gdp",
    "changes": "real-change",
    "equipment": "equipment-share",
    "people": "per-head-personnel",
}


class Ally:
    """One Ally in one edition, and what the edition lacks of it."""

    def __init__(self, data: pd.DataFrame, iso3: str, report_year: int, first_year: int) -> None:
        self.data, self.iso3, self.report_year, self.first_year = data, iso3, report_year, first_year
        self.country = country_name(data, iso3)
        self.years = list(range(first_year, report_year + 1))

    def lacks(self, needed: list[str], years: list[int] | range = ()) -> list[str]:
        return needs(self.data, needed, years, countries=[self.country])

    def series(self, indicator: str) -> pd.DataFrame:
        return profiles.ally_series(self.data, self.iso3, indicator, self.first_year, self.report_year)

    def figure(self, kind: str) -> str:
        return f"fig-{self.iso3.lower()}-{FIGURE_KINDS[kind]}"
