"""What NATO's workbook looks like: its tables by title, the indicators each holds, and how its labels read.

The layout knowledge of the ingest (natobook.data.ingest), kept apart from the reading. The tables and their
blocks are data, in data/workbook_tables.yml (checked here with pydantic, and against data/indicators.yml): next
year's workbook with a renamed block or a new table is a change there only. Tables are recognised by title, blocks
by heading, never by cell address; each measure's code is a template of data/indicators.yml, which gives its unit.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from natobook import paths
from natobook.data import checked_yaml, indicator_registry
from natobook.errors import DataError, Problem

TABLES_FILE = paths.DATA / "workbook_tables.yml"
TABLE_NAME = re.compile(
    r"Tables? \w+( and \w+)?"
)  # as data/indicators.yml names a table: 'Table 1', 'Tables 8a and 8b'


class Measure(BaseModel):
    """One indicator of a table: the heading that announces it (a regex; None for the only block of a table
    without headings) and its code template (data/workbook_tables.yml explains both)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heading: str | None
    code: str = Field(min_length=1)

    @property
    def unit(self) -> str:
        return indicator_registry.unit_template(self.code)


class TableKind(BaseModel):
    """One of NATO's tables, recognised by its title and, where two share a title, by its unit line."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)  # NATO's title, for messages
    title: str = Field(min_length=1)  # regex searched in the title text after "Table N :", lower-cased
    measures: tuple[Measure, ...] = Field(min_length=1)
    unit_line: str = ""  # regex searched in the text between the title and the year header
    by_column: bool = False  # each header column is its own measure (Table 4), not each block


class Tables(RootModel[dict[str, TableKind]]):
    """NATO's table ('Table 1', as data/indicators.yml names it) -> how to read it."""


@cache
def table_kinds(path: Path = TABLES_FILE) -> tuple[TableKind, ...]:
    """NATO's tables as the ingest reads them; DataError names the file and the key at fault, and each measure
    whose code data/indicators.yml does not list under that table."""
    kinds = checked_yaml.read(
        path,
        Tables,
        TABLE_NAME,
        lambda name: f"{name!r}: expected NATO's name of a table, as 'Table 1' or 'Tables 8a and 8b'",
    )
    registry = indicator_registry.indicators()
    wrong = [
        Problem(
            str(path),
            f"{measure.code!r} is listed under {table!r}, but data/indicators.yml "
            + (f"puts it in {registry[measure.code].table!r}" if measure.code in registry else "has no such code"),
            column=f"{table}.measures",
        )
        for table, kind in kinds.items()
        for measure in kind.measures
        if measure.code not in registry or registry[measure.code].table != table
    ]
    if wrong:
        raise DataError(wrong)
    return tuple(kinds.values())


# What a unit or code template may need from the workbook, as the user would be told it is missing.
TEMPLATE_FIELDS = {
    "base": "price base year in the table's text, e.g. 'Constant 2015 prices' or 'Based on 2015 prices'",
    "currency": "national currency in brackets after the Ally's name, e.g. 'Albania   (Leks)'",
}
TITLE = re.compile(r"^\s*table\s+\w+\s*:\s*(?P<text>.+?)\s*$", re.IGNORECASE | re.DOTALL)
YEAR_LABEL = re.compile(r"^\s*(?P<year>\d{4})\s*(?P<e>e?)\s*$", re.IGNORECASE)  # 2014, '2019', '2024e'
YEAR_IN_TEXT = re.compile(r"(?P<year>\d{4})(?P<e>e?)\b", re.IGNORECASE)  # 'Real change 2014-2024e (%)'
PRICE_BASE = re.compile(r"\b(\d{4}) prices", re.IGNORECASE)  # 'Constant 2015 prices', 'Based on 2015 prices'
# 'Czechia*   (Koruny)': the name, NATO's asterisk (national 2% law), the national currency
LABEL = re.compile(r"^(?P<name>.*?)\s*(?P<flag>\*?)\s*(?:\((?P<currency>[^()]*)\))?\s*$", re.DOTALL)
DECIMALS = re.compile(r"\.([0#]+)")  # '#,##0.00' -> two decimals


def normal(text: object) -> str:
    """Lower-cased, with runs of spaces (including no-break spaces) collapsed: how headings are matched."""
    return " ".join(str(text).split()).casefold()


def as_printed(value: int | float, number_format: str) -> float:
    """The value as the cell shows it: rounded half-up (Excel's rule) to its number format's decimals."""
    section = number_format.split(";")[0]  # the format of positive numbers
    if not re.search(r"[0#]", section):
        return float(value)  # 'General' or text: Excel shows the number as stored
    places = len(match.group(1)) if (match := DECIMALS.search(section)) else 0
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return float(rounded) + 0.0  # + 0.0 turns a rounded -0.00 into 0.0


def year_label(value: object) -> re.Match | None:
    """A header cell holding a year: 2014, 2014.0, '2019' or '2024e' (e: estimate)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if type(value) is int or isinstance(value, str):  # type(), not isinstance(): True is no year
        return YEAR_LABEL.match(str(value))
    return None
