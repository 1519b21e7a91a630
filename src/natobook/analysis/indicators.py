"""Pure functions over the tidy dataset: no I/O, no plotting.

The tidy frame has the columns edition, country, iso3, year, indicator, value, unit, estimate
(see schema.py). Aggregates ("NATO Europe and Canada", "NATO Total") have a blank iso3.
"""

from __future__ import annotations

import re

import pandas as pd

from natobook.data.vocabulary import AGGREGATES, EUROPE_AND_CANADA, NATO_TOTAL

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


def year_label(year: int, estimate: bool) -> str:
    """NATO's way of marking estimates: 2024e."""
    return f"{year}e" if estimate else str(year)


# --- What the money buys (Tables 8a/8b); the cost of reaching a target share of GDP is natobook.analysis.target_gaps ---

EQUIPMENT_SHARE = "equipment_share"
# Table 8a/8b categories, in the order NATO prints them; the four add up to 100% of each Ally's spending.
SPENDING_CATEGORIES = {
    "equipment_share": "Equipment",
    "personnel_share": "Personnel",
    "infrastructure_share": "Infrastructure",
    "other_share": "Other",
}
GDP_CURRENT = "gdp_usd_current"
EUROPE_AND_CANADA_GROUP = "European Allies and Canada"
UNITED_STATES_GROUP = "United States"


def with_year_labels(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` with NATO's estimate mark added as `year_label` (2024e)."""
    rows = rows.copy()
    rows["year_label"] = [year_label(y, e) for y, e in zip(rows["year"], rows["estimate"])]
    return rows


def values_by_year(frame: pd.DataFrame, indicator: str, years: list[int]) -> pd.DataFrame:
    """One row per Ally and year of one indicator (country, iso3, year, value, estimate, year_label)."""
    rows = allies(series(frame, indicator))
    rows = rows[rows["year"].isin(years)][["country", "iso3", "year", "value", "estimate"]]
    return with_year_labels(rows).sort_values(["year", "value"], ascending=[True, False]).reset_index(drop=True)


def count_allies_at_or_above(frame: pd.DataFrame, indicator: str, year: int, threshold: float) -> int:
    """How many Allies' printed value of `indicator` in `year` is at least `threshold`."""
    return int((values_in_year(frame, indicator, year)["value"] >= threshold).sum())


def spending_split(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Tables 8a/8b in long form for one year: country, category, value (% of defence spending), year_label."""
    rows = allies(frame[frame["indicator"].isin(list(SPENDING_CATEGORIES))])
    rows = rows[rows["year"] == year][["country", "iso3", "year", "indicator", "value", "estimate"]]
    rows = with_year_labels(rows).assign(category=lambda r: r["indicator"].map(SPENDING_CATEGORIES))
    return rows.sort_values(["country", "indicator"]).reset_index(drop=True)


def largest_category_counts(split: pd.DataFrame) -> pd.Series:
    """How many Allies spend the largest part of their budget on each category (index: category label)."""
    largest = split.loc[split.groupby("country")["value"].idxmax(), "category"]
    return largest.value_counts().reindex(list(SPENDING_CATEGORIES.values()), fill_value=0)


def constant_price_indicator(frame: pd.DataFrame, stem: str = "defexp_usd") -> str:
    """The constant-price code of `stem` in this release (defexp_usd_const2015, ..._const2021, ...)."""
    codes = sorted(c for c in frame["indicator"].unique() if re.fullmatch(rf"{stem}_const\d{{4}}", c))
    if len(codes) != 1:
        raise ValueError(f"expected one constant-price {stem!r} indicator, found {codes}")
    return codes[0]


def price_base_year(frame: pd.DataFrame) -> int:
    """The base year of NATO's constant prices in this release, read from the indicator code."""
    return int(constant_price_indicator(frame)[-4:])


# --- Spending in 2024, Europe and Canada, burden sharing, and the reproduction check (chapters 1-3, 6) ---

UNITED_STATES = "United States"
REAL_CHANGE = "defexp_real_change"


def value_of(frame: pd.DataFrame, country: str, indicator: str, year: int) -> float:
    """The printed value of one indicator for one Ally or aggregate and year; LookupError says what is missing."""
    rows = frame[(frame["country"] == country) & (frame["indicator"] == indicator) & (frame["year"] == year)]
    if rows.empty:
        raise LookupError(f"needs {indicator} for {country} in {year}")
    return float(rows["value"].iloc[0])


def price_basis(indicator: str) -> str:
    """'current prices' or 'constant 2015 prices', read from the indicator code (never assumed)."""
    if match := re.search(r"_const(\d{4})$", indicator):
        return f"constant {match.group(1)} prices"
    if indicator.endswith("_current"):
        return "current prices"
    raise ValueError(f"{indicator!r} carries no price basis")


def year_span(years: list[int]) -> str:
    """'2014', '2014 to 2023' for a run of consecutive years, else '2014, 2016'."""
    years = sorted(years)
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]} to {years[-1]}"
    return ", ".join(str(year) for year in years)


def missing_years(frame: pd.DataFrame, indicator: str, years: list[int]) -> list[int]:
    """The years among `years` for which no Ally has a value of `indicator` (an edition may hold one year only)."""
    held = set(allies(series(frame, indicator))["year"])
    return [year for year in years if year not in held]


def unavailable_note(what: str, years: list[int]) -> str:
    """The note a page shows instead of a figure the edition cannot support."""
    return f"not available in this edition: needs {what} for {year_span(years)}"


def allies_at_or_above_by_year(frame: pd.DataFrame, years: list[int], threshold: float = GUIDELINE_PCT) -> pd.DataFrame:
    """year, count, estimate, year_label: Allies at or above `threshold` % of GDP each year, on printed values.

    Raises LookupError when a year has no shares at all: a count of 0 there would be a wrong answer.
    """
    if missing := missing_years(frame, SHARE_OF_GDP, years):
        raise LookupError(unavailable_note("share of GDP", missing))
    shares = allies(series(frame, SHARE_OF_GDP))
    estimated = shares.groupby("year")["estimate"].any()
    rows = pd.DataFrame(
        {
            "year": years,
            "count": [count_allies_at_or_above(frame, SHARE_OF_GDP, year, threshold) for year in years],
            "estimate": [bool(estimated[year]) for year in years],
        }
    )
    return with_year_labels(rows)


def country_series(frame: pd.DataFrame, country: str, indicator: str, years: list[int]) -> pd.DataFrame:
    """year, value, estimate, year_label of one Ally's or aggregate's indicator, in time order; all years required."""
    rows = series(frame, indicator)
    rows = rows[(rows["country"] == country) & rows["year"].isin(years)][["year", "value", "estimate"]]
    if missing := sorted(set(years) - set(rows["year"])):
        raise LookupError(f"needs {indicator} for {country} in {year_span(missing)}")
    return with_year_labels(rows.sort_values("year").reset_index(drop=True))


def consecutive_years_of_increase(changes: pd.DataFrame) -> int:
    """How many years, counting back from the last in `changes` (year, value: % real change), rose in a row."""
    count = 0
    for change in changes.sort_values("year")["value"].iloc[::-1]:
        if change <= 0:
            break
        count += 1
    return count


def extra_over_base_year(levels: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Each year after `base_year`: `extra` = level minus the base-year level, and its running total `cumulative`.

    `levels` has year, value (and whatever else rides along, e.g. year_label); same unit out as in.
    """
    base = levels.loc[levels["year"] == base_year, "value"]
    if base.empty:
        raise LookupError(f"needs the {base_year} level")
    rows = levels[levels["year"] > base_year].sort_values("year").copy()
    rows["extra"] = rows["value"] - float(base.iloc[0])
    rows["cumulative"] = rows["extra"].cumsum()
    return rows.reset_index(drop=True)


def share_of_nato_total(frame: pd.DataFrame, country: str, indicator: str, year: int) -> float:
    """`country`'s value as a percentage of NATO Total's value of the same indicator and year."""
    return 100 * value_of(frame, country, indicator, year) / value_of(frame, NATO_TOTAL, indicator, year)


def group_shares(frame: pd.DataFrame, indicators: list[str], year: int) -> pd.DataFrame:
    """indicator, price_basis, group, share (%): the United States and European Allies and Canada as shares
    of NATO Total, for each indicator (NATO Total = the two groups; GDP totals include Iceland)."""
    rows = []
    for indicator in indicators:
        for group, country in ((UNITED_STATES_GROUP, UNITED_STATES), (EUROPE_AND_CANADA_GROUP, EUROPE_AND_CANADA)):
            share = share_of_nato_total(frame, country, indicator, year)
            rows.append({"indicator": indicator, "price_basis": price_basis(indicator), "group": group, "share": share})
    return pd.DataFrame(rows)


def allies_no_longer_at(first: pd.DataFrame, second: pd.DataFrame, threshold: float = GUIDELINE_PCT) -> list[str]:
    """Allies at or above `threshold` in `first` but below it in `second` (frames: country, value), by name.

    Swap the arguments for the Allies that rose to the threshold.
    """
    joined = first.merge(second, on="country", suffixes=("_first", "_second"))
    moved = joined[(joined["value_first"] >= threshold) & (joined["value_second"] < threshold)]
    return sorted(moved["country"])


def editions_side_by_side(frame: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    """edition, country, iso3, value, estimate, year_label for each Ally that every edition in `frame` holds."""
    per_edition = {edition: values_in_year(rows, indicator, year) for edition, rows in frame.groupby("edition")}
    common = set.intersection(*(set(rows["country"]) for rows in per_edition.values()))
    rows = pd.concat([rows.assign(edition=edition, year=year) for edition, rows in per_edition.items()])
    rows = with_year_labels(rows[rows["country"].isin(common)])
    return rows[["edition", "country", "iso3", "year", "value", "estimate", "year_label"]].reset_index(drop=True)


def names_in_words(names: list[str]) -> str:
    """'Poland', 'Belgium and Canada', 'Estonia, Latvia and Poland'; '' for no names."""
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def spending_of_later_members(
    frame: pd.DataFrame, indicator: str, base_year: int, years: list[int], joined: dict[str, int]
) -> float:
    """Sum over `years` of the values of Allies that joined after `base_year`, each from its accession year on:
    the part of an aggregate's rise over `base_year` that enlargement brought (NATO's aggregates count an Ally
    from its accession). `joined` maps country to accession year (schema.allies())."""
    rows = allies(series(frame, indicator))
    rows = rows[rows["year"].isin(years)]
    accession = rows["country"].map(joined)
    return float(rows.loc[(accession > base_year) & (rows["year"] >= accession), "value"].sum())
