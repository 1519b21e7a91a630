"""NATO's rounding, one rule per indicator, for every number the book writes out (figure CSVs, tables).

The rule is the number of decimals NATO's workbook prints an indicator with (its cells' number formats):
shares of GDP, real changes and the shares of Tables 3, 4, 8a and 8b with 2; million USD and national
currency (Tables 1, 2, 5) and spending per head (Table 6) with none; GDP per head (Table 6) and military
personnel in thousands (Table 7) with 1. Amounts the book rescales to billion USD keep every printed
digit of the millions: 3 decimals. Writing more would be false precision; float residue such as
34463.93040000003 is only noise.
"""

from __future__ import annotations

import re

import pandas as pd

from natobook.data import indicator_registry

# (pattern of an indicator code, decimals NATO prints it with): data/indicators.yml.
INDICATOR_DECIMALS = indicator_registry.decimals_by_pattern()
MILLION, BILLION = 0, 3  # decimals of an amount in million USD, and of the same amount in billion USD
# Figure CSV columns that are not an indicator's own value, by what they hold (the CSVs' headers).
COLUMN_DECIMALS = {
    "share": 2,  # percentage of NATO Total (a share like Table 3's)
    "real_change": 2,
    "current": BILLION,
    "extra": BILLION,
    "cumulative": BILLION,
    "gap_bn": BILLION,
    "gdp_musd": MILLION,
}
COLUMN_PATTERNS = ((r"gap_musd_at_.*", MILLION),)
# A `unit` column names the unit of `value` where the CSV carries no indicator code.
UNIT_DECIMALS = (("USD billion", BILLION), ("USD per head", 0))
NOISE_DECIMALS = 9  # a value no rule covers is only stripped of float residue


def _indicator_rule(indicator: str) -> int | None:
    return next((decimals for pattern, decimals in INDICATOR_DECIMALS if re.fullmatch(pattern, str(indicator))), None)


def decimals_of(indicator: str) -> int:
    """The decimals NATO prints `indicator` with; ValueError names an indicator no rule covers."""
    if (decimals := _indicator_rule(indicator)) is None:
        raise ValueError(f"no rounding rule for indicator {indicator!r}: add NATO's in natobook.data.rounding")
    return decimals


def column_decimals(column: str) -> int | None:
    """The rule of a figure CSV column other than `value`, or None."""
    if column in COLUMN_DECIMALS:
        return COLUMN_DECIMALS[column]
    return next((decimals for pattern, decimals in COLUMN_PATTERNS if re.fullmatch(pattern, column)), None)


def _value_decimals(frame: pd.DataFrame) -> pd.Series | int:
    """The rule of each row's `value`: by its indicator code, else by its unit, else float noise only."""
    if "indicator" in frame.columns:
        return frame["indicator"].map(
            lambda code: _indicator_rule(code) if _indicator_rule(code) is not None else NOISE_DECIMALS
        )
    if "unit" in frame.columns:
        return frame["unit"].map(
            lambda unit: next((d for start, d in UNIT_DECIMALS if str(unit).startswith(start)), NOISE_DECIMALS)
        )
    return NOISE_DECIMALS


def as_nato_prints(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every float column rounded by its rule (see the module's docstring)."""
    rounded = frame.copy()
    for column in rounded.columns:
        if not pd.api.types.is_float_dtype(rounded[column]):
            continue
        decimals = _value_decimals(rounded) if column == "value" else column_decimals(column)
        decimals = NOISE_DECIMALS if decimals is None else decimals
        if isinstance(decimals, pd.Series):
            rounded[column] = [round(v, d) if pd.notna(v) else v for v, d in zip(rounded[column], decimals)]
        else:
            rounded[column] = rounded[column].round(decimals)
    return rounded
