"""The rules of a tidy dataset (natobook.data.schema) as a pandera schema, and its failures as Problems that name
the CSV line and column of each. Imported only when data is validated: pandera is slow to import."""

from __future__ import annotations

from functools import cache

import pandas as pd
import pandera.pandas as pa

from natobook.data.schema import (
    COLUMNS,
    DTYPES,
    EDITION_FORMAT,
    FIRST_YEAR,
    INDICATOR_PATTERN,
    KEY,
    LAST_YEAR,
    allies,
    iso3_country_codes,
)
from natobook.data.vocabulary import AGGREGATES, NATIONAL_2PCT_LAW
from natobook.errors import DataError, Problem


@cache
def _iso3_by_country() -> dict[str, str]:
    """Every name an Ally may carry (NATO's spelling and its aliases) and the aggregates' -> iso3 ('' for these)."""
    names = {name: ally.iso3 for ally in allies() for name in (ally.country, *ally.aliases)}
    return names | {name: "" for name in AGGREGATES}


def _listed(codes: pd.Series) -> pd.Series:
    return codes.isin([ally.iso3 for ally in allies()])


def _unnamed(frame: pd.DataFrame) -> pd.Series:
    return frame["country"].str.strip() == ""  # fails the column's own check: not judged again here


def _country_fits_listed_code(frame: pd.DataFrame) -> pd.Series:
    """An Ally listed in allies.csv carries its name or an alias; judged only where the code is listed."""
    named = frame["country"].map(_iso3_by_country())
    return ~_listed(frame["iso3"]) | _unnamed(frame) | (named == frame["iso3"])


def _code_fits_country(frame: pd.DataFrame) -> pd.Series:
    """Where the code is not a listed Ally's: a listed name or an aggregate needs its own code (blank for an
    aggregate); any other name is a new Ally's and needs a code. A code that is no country code at all fails
    its own column check, so it is not judged here."""
    codes = frame["iso3"]
    named = frame["country"].map(_iso3_by_country())
    judged = ~_listed(codes) & (codes.isin(iso3_country_codes()) | (codes == "")) & ~_unnamed(frame)
    fits = named.isna() & (codes != "") | (named == codes)
    return ~judged | fits


def _one_name_per_code(frame: pd.DataFrame) -> pd.Series:
    """Within an edition, every row of one code spells the country as the first row that passes the
    allies.csv check does (a row that fails it is reported by that check alone)."""
    fits = _country_fits_listed_code(frame) & ~_unnamed(frame)
    first = frame["country"].where(fits).groupby([frame["edition"], frame["iso3"]], sort=False).transform("first")
    return ~fits | (frame["iso3"] == "") | (frame["country"] == first)


def _is_share(indicators: pd.Series) -> pd.Series:
    return indicators.str.contains("share", regex=False)


def _is_real_change(indicators: pd.Series) -> pd.Series:
    return indicators.str.contains("real_change", regex=False)


def _is_flag(indicators: pd.Series) -> pd.Series:
    return indicators == NATIONAL_2PCT_LAW


def _is_amount(indicators: pd.Series) -> pd.Series:
    """Spending, GDP, per-capita and personnel figures: everything that is not a share, change or flag."""
    return ~(_is_share(indicators) | _is_real_change(indicators) | _is_flag(indicators))


def _value_rule(applies_to, holds, expected: str) -> pa.Check:
    """A check of `value` on the rows whose indicator `applies_to` selects (real changes may be negative)."""
    return pa.Check(lambda frame: ~applies_to(frame["indicator"]) | holds(frame["value"]), error=expected)


_ROW_CHECKS = {  # checks that read several columns, each under the column to blame when it fails
    "value": [
        _value_rule(_is_share, lambda v: v.between(0, 100), "a share from 0 to 100"),
        _value_rule(_is_amount, lambda v: v >= 0, "an amount of at least 0 (spending, GDP, personnel)"),
        _value_rule(_is_flag, lambda v: v.isin([0, 1]), "a flag: 0 or 1"),
    ],
    "country": [
        pa.Check(_country_fits_listed_code, error="the name allies.csv gives this row's iso3 code, or an alias"),
        pa.Check(_one_name_per_code, error="the name of the first row with this iso3 code in this edition"),
    ],
    "iso3": [
        pa.Check(
            _code_fits_country,
            error="the iso3 code allies.csv gives this country, an ISO 3166-1 alpha-3 code for a new Ally "
            "(blank only for NATO Europe and Canada and NATO Total)",
        )
    ],
}
_NOT_EMPTY = "at least one data row"
_BLAMED_COLUMN = {check.error: column for column, checks in _ROW_CHECKS.items() for check in checks}

# The columns' types are the reader's (schema.DTYPES), so a frame read is typed as it is checked.
TIDY_SCHEMA = pa.DataFrameSchema(
    {
        "edition": pa.Column(
            DTYPES["edition"], pa.Check.str_matches(rf"^{EDITION_FORMAT}$", error="an edition as YYYY-MM, e.g. 2024-06")
        ),
        "country": pa.Column(
            DTYPES["country"], pa.Check(lambda names: names.str.strip() != "", error="a country name (not blank)")
        ),
        "iso3": pa.Column(
            DTYPES["iso3"],
            pa.Check(
                lambda codes: codes.isin(iso3_country_codes()) | (codes == ""),
                error="a known country code: ISO 3166-1 alpha-3 in capitals, e.g. ALB (blank for an aggregate)",
            ),
        ),
        "year": pa.Column(
            DTYPES["year"],
            pa.Check.in_range(FIRST_YEAR, LAST_YEAR, error=f"a year from {FIRST_YEAR} to {LAST_YEAR}"),
        ),
        "indicator": pa.Column(
            DTYPES["indicator"],
            pa.Check.str_matches(
                rf"^(?:{INDICATOR_PATTERN})$", error="a known indicator code (schema.INDICATOR_PATTERN)"
            ),
        ),
        "value": pa.Column(DTYPES["value"], pa.Check(lambda v: v.abs() < float("inf"), error="a finite number")),
        "unit": pa.Column(DTYPES["unit"], pa.Check(lambda units: units.str.strip() != "", error="a unit (not blank)")),
        "estimate": pa.Column(DTYPES["estimate"]),
    },
    checks=[
        *(check for checks in _ROW_CHECKS.values() for check in checks),
        pa.Check(lambda frame: len(frame) > 0, error=_NOT_EMPTY),
    ],
    unique=KEY,
    report_duplicates="exclude_first",
    strict=True,
    ordered=True,
)


def validate(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """`frame` if it is a valid tidy dataset; otherwise DataError, one Problem per failure (see schema.validate_tidy)."""
    try:
        return TIDY_SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataError(_problems(exc.failure_cases, source)) from None


def _problems(failures: pd.DataFrame, source: str) -> list[Problem]:
    cases = failures.to_dict("records")
    whole_column = [case for case in cases if pd.isna(case["index"])]
    if whole_column:  # missing or wrong-typed columns: row checks ran on garbage, so report only these
        return list(dict.fromkeys(_column_problem(case, source) for case in whole_column))
    problems: dict[Problem, None] = {}  # ordered set: a duplicated row fails once per key column
    for case in cases:
        blamed = _BLAMED_COLUMN.get(case["check"], case["column"])
        if case["column"] == blamed:
            problems[_row_problem(case, failures, source)] = None
    return sorted(problems, key=lambda problem: problem.row)


def _column_problem(case: dict, source: str) -> Problem:
    check, found = str(case["check"]), case["failure_case"]
    if check == "column_in_dataframe":
        return Problem(source, f"missing column; expected the columns {', '.join(COLUMNS)}", column=found)
    if check == "column_in_schema":
        return Problem(source, f"unexpected column; expected only {', '.join(COLUMNS)}", column=found)
    if check == "column_ordered":
        return Problem(source, f"columns out of order; expected {', '.join(COLUMNS)}")
    if check == _NOT_EMPTY:
        return Problem(source, f"no data rows; expected {_NOT_EMPTY}")
    if check.startswith("dtype("):
        return Problem(source, f"expected type {check[7:-2]}, found {found}", column=case["column"])
    return Problem(source, f"expected {check}, found {found}", column=_text_or_none(case["column"]))


def _row_problem(case: dict, failures: pd.DataFrame, source: str) -> Problem:
    index, check, found = int(case["index"]), case["check"], case["failure_case"]
    line = index + 2
    if check == "multiple_fields_uniqueness":
        key = failures[(failures["index"] == index) & (failures["check"] == check)]
        values = ", ".join(str(value) for value in key["failure_case"])
        return Problem(
            source, f"repeats an earlier row's key ({values}); expected each {', '.join(KEY)} once", row=line
        )
    if check == "not_nullable":
        return Problem(source, "expected a value, found nothing", row=line, column=case["column"])
    return Problem(source, f"expected {check}, found {found!r}", row=line, column=case["column"])


def _text_or_none(value) -> str | None:
    return None if pd.isna(value) else str(value)
