"""Pure functions over the tidy dataset: no I/O, no plotting.

The tidy frame has the columns edition, country, iso3, year, indicator, value, unit, estimate
(see schema.py). Aggregates ("NATO Europe and Canada", "NATO Total") have a blank iso3.
"""
from __future__ import annotations

import pandas as pd

EUROPE_AND_CANADA = "NATO Europe and Canada"
NATO_TOTAL = "NATO Total"
AGGREGATES = (EUROPE_AND_CANADA, NATO_TOTAL)
SHARE_OF_GDP = "defexp_share_gdp"
GUIDELINE_PCT = 2.0


def allies(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows for individual Allies (aggregates dropped)."""
    return frame[~frame["country"].isin(AGGREGATES)]


def series(frame: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """All rows of one indicator."""
    return frame[frame["indicator"] == indicator]


def latest_year(frame: pd.DataFrame, indicator: str = SHARE_OF_GDP) -> int:
    """The most recent year the data holds for an indicator."""
    years = series(frame, indicator)["year"]
    if years.empty:
        raise ValueError(f"the data holds no {indicator!r} values")
    return int(years.max())


def values_in_year(frame: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    """One row per Ally: country, iso3, value, estimate for one indicator and year."""
    rows = allies(series(frame, indicator))
    rows = rows[rows["year"] == year]
    return rows[["country", "iso3", "value", "estimate"]].reset_index(drop=True)


def count_at_or_above(frame: pd.DataFrame, year: int, threshold: float = GUIDELINE_PCT) -> int:
    """How many Allies spent at least `threshold` per cent of GDP in `year`, on the printed values."""
    shares = values_in_year(frame, SHARE_OF_GDP, year)
    return int((shares["value"] >= threshold).sum())


def year_label(year: int, estimate: bool) -> str:
    """NATO's way of marking estimates: 2024e."""
    return f"{year}e" if estimate else str(year)


def shares_of_gdp(frame: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Share of GDP per Ally for the given years, with NATO's estimate mark in `year_label`."""
    rows = allies(series(frame, SHARE_OF_GDP))
    rows = rows[rows["year"].isin(years)][["country", "iso3", "year", "value", "estimate"]].copy()
    rows["year_label"] = [year_label(y, e) for y, e in zip(rows["year"], rows["estimate"])]
    return rows.sort_values(["year", "value"], ascending=[True, False]).reset_index(drop=True)
