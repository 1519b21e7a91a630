"""What a tidy dataset is, and the reader that holds CSV files to it.

A tidy dataset has one row per (edition, country, year, indicator) and exactly the columns in
COLUMNS. Its rules (types, the allowed indicator codes, the ranges, the key, and which names go with which
country codes: an Ally listed in allies.csv carries its name there, or an alias, and any other ISO 3166-1
alpha-3 country code is a new Ally, named as the data names it; see `ally` for what is assumed of it) are
natobook.data.tidy_rules, a pandera schema, imported only when data is validated: a notebook that reads a file
its build has validated already (natobook.data.validated) never loads pandera. `validate_tidy` turns the rules'
failures into a DataError that names the CSV line and column of each; `read_tidy_csv` reads a file defensively
(encoding, delimiter, truncated rows, types) before validating it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd
import pycountry

from natobook.data import csv_text, indicator_registry

COLUMNS = ("edition", "country", "iso3", "year", "indicator", "value", "unit", "estimate")
KEY = ["edition", "country", "year", "indicator"]
EDITION_FORMAT = r"\d{4}-\d{2}"  # year-month of NATO's release, e.g. 2024-06
FIRST_YEAR, LAST_YEAR = 1949, 2100  # NATO was founded in 1949; later than 2100 can only be a typo
BOOL_TEXT = {True: "true", False: "false"}  # how `estimate` is spelled in the CSV
# The columns' types as read, and as natobook.data.tidy_rules checks them.
DTYPES = {
    "edition": "string[python]",
    "country": "string[python]",
    "iso3": "string[python]",
    "year": "int64",
    "indicator": "string[python]",
    "value": "float64",
    "unit": "string[python]",
    "estimate": "bool",
}

# Every code of data/indicators.yml (natobook.data.indicator_registry). Price-based codes carry their base
# year (_const2015, _const2021, ...): NATO rebases every few years, so any base is accepted.
INDICATOR_PATTERN = indicator_registry.schema_pattern()


@dataclass(frozen=True)
class Ally:
    country: str  # as NATO spells it ("Türkiye", "Slovak Republic")
    iso3: str
    aliases: tuple[str, ...]  # other spellings seen in NATO's tables over the years
    has_armed_forces: bool  # False for Iceland, which NATO lists only in its GDP tables
    joined: int | None  # year of accession: NATO's aggregates count an Ally from this year on; None: not known


@cache
def allies() -> tuple[Ally, ...]:
    """The Allies listed in the package data file natobook/data/allies.csv."""
    text = resources.files("natobook.data").joinpath("allies.csv").read_text(encoding="utf-8")
    return tuple(
        Ally(
            country=row["country"],
            iso3=row["iso3"],
            aliases=tuple(filter(None, row["aliases"].split("|"))),
            has_armed_forces=row["has_armed_forces"] == "true",
            joined=int(row["joined"]),
        )
        for row in csv.DictReader(io.StringIO(text))
    )


def ally(iso3: str, country: str = "") -> Ally:
    """The Ally allies.csv lists under `iso3`; else a new Ally (a country code not listed yet), named `country`,
    with the defaults every consumer relies on: it has armed forces, and its year of accession is not known."""
    listed = next((entry for entry in allies() if entry.iso3 == iso3), None)
    return listed or Ally(country=country, iso3=iso3, aliases=(), has_armed_forces=True, joined=None)


@cache
def iso3_country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-3 country code (from pycountry): a code not in allies.csv may be a new Ally's."""
    return frozenset(country.alpha_3 for country in pycountry.countries)


def validate_tidy(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Return `frame` if it is a valid tidy dataset; otherwise raise DataError, one Problem per failure, each
    naming the CSV line (index i is line i + 2, line 1 being the header) and column (natobook.data.tidy_rules)."""
    from natobook.data import tidy_rules  # pandera: only when validating

    return tidy_rules.validate(frame, source)


def read_tidy_csv(path: Path | str, validate: bool = True) -> pd.DataFrame:
    """Read a tidy CSV, and validate it unless told it was (`validate`); every way it can be wrong becomes a
    DataError naming file, line, column."""
    path = Path(path)
    text = csv_text.read_text(path, "a tidy CSV", COLUMNS)
    lines, records = csv_text.records(text, str(path), COLUMNS)
    frame = csv_text.typed_frame(lines, records, str(path), DTYPES, BOOL_TEXT)
    return (validate_tidy(frame, str(path)) if validate else frame).reset_index(drop=True)
