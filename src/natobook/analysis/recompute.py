"""Every headline number the Annual Report 2024 printed, worked out again from one data edition: how each is
computed from NATO's tables (`computations`), and all of them for every edition held (`computed_values`), each in
the fact's own unit. Pure: tidy frames in, a table out; natobook.analysis.reproduction judges the results.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from natobook.analysis import indicators
from natobook.data import rounding

PER_BILLION = 1e3  # the tables are in million USD
PER_TRILLION = 1e6
EC, US, TOTAL = indicators.EUROPE_AND_CANADA, indicators.UNITED_STATES, indicators.NATO_TOTAL

# (frame of one edition, year) -> (value in the fact's unit, price basis or "" where prices do not apply)
Compute = Callable[[pd.DataFrame, int], tuple[float, str]]

# What the codes in an edition's gaps are, in the words of the reproduction table.
CODE_WORDS = {
    r"defexp_usd_current": "defence expenditure in USD at current prices",
    r"gdp_usd_current": "GDP in USD at current prices",
    r"defexp_usd_const\d{4}": "defence expenditure in USD at constant prices",
    r"gdp_usd_const\d{4}": "GDP in USD at constant prices",
    r"defexp_usd": "defence expenditure in USD",
    r"gdp_usd": "GDP in USD",
    indicators.SHARE_OF_GDP: "shares of GDP",
    indicators.REAL_CHANGE: "the real change in defence expenditure",
}


def in_words(text: str) -> str:
    """'needs defexp_usd_current for X' -> 'needs defence expenditure in USD at current prices for X'."""
    for code, words in CODE_WORDS.items():
        text = re.sub(rf"\b{code}\b", words, text)
    return text


# Facts no edition of the defence-expenditure tables can give, and why.
NOT_IN_THE_TABLES = {
    "AR24_UKR": "needs military assistance to Ukraine, which NATO's defence-expenditure tables do not hold",
}


def _code(frame: pd.DataFrame, stem: str, prices: str) -> str:
    """The indicator of `stem` at 'current' or 'constant' prices in this edition (base year read, not assumed)."""
    if prices == "current":
        return f"{stem}_current"
    try:
        return indicators.constant_price_indicator(frame, stem)
    except ValueError:
        raise LookupError(f"needs {stem} at constant prices") from None


def amount(country: str, stem: str, prices: str, per: float) -> Compute:
    """One printed amount, rescaled from million USD."""

    def compute(frame, year):
        code = _code(frame, stem, prices)
        return indicators.value_of(frame, country, code, year) / per, indicators.price_basis(code)

    return compute


def change_on_year(country: str, stem: str, prices: str, per: float) -> Compute:
    """An amount minus the year before's, rescaled from million USD."""

    def compute(frame, year):
        code = _code(frame, stem, prices)
        change = indicators.value_of(frame, country, code, year) - indicators.value_of(frame, country, code, year - 1)
        return change / per, indicators.price_basis(code)

    return compute


def share_of_total(country: str, stem: str, prices: str) -> Compute:
    """A country's or group's percentage of NATO Total."""

    def compute(frame, year):
        code = _code(frame, stem, prices)
        return indicators.share_of_nato_total(frame, country, code, year), indicators.price_basis(code)

    return compute


def shown_with(decimals: int, compute: Compute) -> Compute:
    """Mark a computation whose result has a precision of its own: a value of NATO's tables keeps the
    decimals NATO prints it with (17.95, never 17.950), a count none. Others get one more than printed."""
    compute.decimals = decimals
    return compute


def printed(country: str, indicator: str) -> Compute:
    """A value NATO's tables print as it is (a share of GDP, a real change)."""

    def compute(frame, year):
        return indicators.value_of(frame, country, indicator, year), ""

    return shown_with(rounding.decimals_of(indicator), compute)


def real_change(country: str) -> Compute:
    """NATO's real change as printed; it is worked out at the edition's constant prices, so the row carries that
    basis (a real change depends on the base year's prices and exchange rates), or none where the edition
    has no constant prices to name it by."""

    def compute(frame, year):
        value = indicators.value_of(frame, country, indicators.REAL_CHANGE, year)
        try:
            return value, indicators.price_basis(indicators.constant_price_indicator(frame))
        except ValueError:
            return value, ""

    return shown_with(rounding.decimals_of(indicators.REAL_CHANGE), compute)


def allies_at(threshold: float) -> Compute:
    def compute(frame, year):
        if indicators.missing_years(frame, indicators.SHARE_OF_GDP, [year]):
            raise LookupError(f"needs {indicators.SHARE_OF_GDP} for the Allies in {year}")
        return indicators.count_allies_at_or_above(frame, indicators.SHARE_OF_GDP, year, threshold), ""

    return shown_with(0, compute)


def years_of_increase(country: str) -> Compute:
    def compute(frame, year):
        changes = indicators.series(frame, indicators.REAL_CHANGE)
        changes = changes[(changes["country"] == country) & (changes["year"] <= year)]
        if changes.empty:
            raise LookupError(f"needs {indicators.REAL_CHANGE} for {country}")
        return indicators.consecutive_years_of_increase(changes), ""

    return shown_with(0, compute)


def cumulative_extra(country: str, base_year: int, per: float) -> Compute:
    """Sum over the years after `base_year` of (constant-price spending - the base-year level)."""

    def compute(frame, year):
        code = _code(frame, "defexp_usd", "constant")
        levels = indicators.country_series(frame, country, code, list(range(base_year, year + 1)))
        extra = indicators.extra_over_base_year(levels, base_year)["extra"].sum()
        return extra / per, indicators.price_basis(code)

    return compute


def both_prices(make: Callable[..., Compute], *args) -> tuple[Compute, Compute]:
    return make(*args[:2], "constant", *args[2:]), make(*args[:2], "current", *args[2:])


def computations(first_year: int, guideline: float) -> dict[str, tuple[Compute, ...]]:
    """How each fact is worked out of a tidy frame; money facts both at constant and at current prices."""
    return {
        "AR24_EC_USD": both_prices(amount, EC, "defexp_usd", PER_BILLION),
        "AR24_EC_REAL": (real_change(EC),),
        "AR24_N2PCT": (allies_at(guideline),),
        "AR24_EC_GDP": (printed(EC, indicators.SHARE_OF_GDP),),
        "AR24_US_GDP": both_prices(share_of_total, US, "gdp_usd"),
        "AR24_US_DEF": both_prices(share_of_total, US, "defexp_usd"),
        "AR24_EC_DEF": both_prices(share_of_total, EC, "defexp_usd"),
        "AR24_EXTRA700": (cumulative_extra(EC, first_year, PER_BILLION),),
        "AR24_CONSEC": (years_of_increase(EC),),
        "AR24_NATO_GDP": (printed(TOTAL, indicators.SHARE_OF_GDP),),
        "AR24_US_USD_CUR": (amount(US, "defexp_usd", "current", PER_BILLION),),
        "AR24_TOTAL_TASS": both_prices(amount, TOTAL, "defexp_usd", PER_TRILLION),
        "AR24_US_TASS": both_prices(amount, US, "defexp_usd", PER_BILLION),
        "AR24_EC_TASS": both_prices(amount, EC, "defexp_usd", PER_BILLION),
        "AR24_TOTAL23_TASS": both_prices(amount, TOTAL, "defexp_usd", PER_TRILLION),
        "AR24_INCR_TASS": both_prices(change_on_year, TOTAL, "defexp_usd", PER_BILLION),
    }


def computed_values(
    facts: pd.DataFrame, frames: dict[str, pd.DataFrame], first_year: int, guideline: float
) -> pd.DataFrame:
    """fact_id, edition, value, basis, decimals, missing: each fact from each edition, every way it can be
    computed; `decimals` is the result's own precision where it has one (see shown_with), else NaN.

    Where an edition cannot give a fact, one row says what is missing (value NaN).
    """
    plans = computations(first_year, guideline)
    rows = []
    for fact in facts.itertuples():
        for edition, frame in frames.items():
            results, missing = [], []
            for compute in plans.get(fact.fact_id, ()):
                try:
                    results.append((*compute(frame, int(fact.year)), getattr(compute, "decimals", np.nan)))
                except LookupError as exc:
                    missing.append(in_words(str(exc)))
            if fact.fact_id in NOT_IN_THE_TABLES:
                missing.append(NOT_IN_THE_TABLES[fact.fact_id])
            rows += [
                {
                    "fact_id": fact.fact_id,
                    "edition": edition,
                    "value": value,
                    "basis": basis,
                    "decimals": decimals,
                    "missing": "",
                }
                for value, basis, decimals in results
            ]
            if missing and not results:
                rows.append(
                    {
                        "fact_id": fact.fact_id,
                        "edition": edition,
                        "value": np.nan,
                        "basis": "",
                        "decimals": np.nan,
                        "missing": "; ".join(dict.fromkeys(missing)),
                    }
                )
    return pd.DataFrame(rows, columns=["fact_id", "edition", "value", "basis", "decimals", "missing"])
