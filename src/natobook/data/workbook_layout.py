"""What NATO's workbook looks like: its tables by title, the indicators each holds, and how its labels read.

The layout knowledge of the ingest (natobook.data.ingest), kept apart from the reading: next year's workbook
with a renamed block or a new table is a change here only. Tables are recognised by title, blocks by heading,
never by cell address; each measure's code is a template of data/indicators.yml, which gives its unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from natobook.data import indicator_registry


@dataclass(frozen=True)
class Measure:
    """One indicator of a table: the heading that announces it and its code.

    `heading` is a regex searched in the block heading (in a by-column table: the column header),
    lower-cased with spaces collapsed; None marks the only block of a table without headings.
    `code` is a code template of data/indicators.yml, whose `unit` template goes with it: {base} is the
    price base year read from the table's text, {currency} the national currency in the row label, plus the
    named groups of `heading`.
    """

    heading: str | None
    code: str

    @property
    def unit(self) -> str:
        return indicator_registry.unit_template(self.code)


@dataclass(frozen=True)
class TableKind:
    """One of NATO's tables, recognised by its title and, where two share a title, by its unit line."""

    name: str  # NATO's title, for messages
    title: str  # regex searched in the title text after "Table N :", lower-cased
    measures: tuple[Measure, ...]
    unit_line: str = ""  # regex searched in the text between the title and the year header
    by_column: bool = False  # each header column is its own measure (Table 4), not each block


TABLES = (
    TableKind(
        "Table 1 : Defence expenditure (million national currency units)",
        title=r"^defence expenditure$",
        unit_line=r"national currency",
        measures=(
            Measure(r"^current prices$", "defexp_ncu_current"),
            Measure(r"^constant \d{4} prices$", "defexp_ncu_const{base}"),
        ),
    ),
    TableKind(
        "Table 2 : Defence expenditure (million US dollars)",
        title=r"^defence expenditure$",
        unit_line=r"us dollars",
        measures=(
            Measure(r"^current prices and exchange rates$", "defexp_usd_current"),
            Measure(r"^constant \d{4} prices and exchange rates$", "defexp_usd_const{base}"),
        ),
    ),
    TableKind(
        "Table 3 : Defence expenditure as a share of GDP and annual real change",
        title=r"share of gdp",
        measures=(
            Measure(r"^share of real gdp", "defexp_share_gdp"),
            Measure(r"^annual real change", "defexp_real_change"),
        ),
    ),
    TableKind(
        "Table 4 : Defence expenditure real change 2014-2024e",
        title=r"real change \d{4}",
        by_column=True,
        measures=(
            Measure(r"^(?P<label>\d{4}e?)$", "t4_defexp_usd_const{base}_{label}"),
            Measure(r"^real change (?P<first>\d{4})-(?P<last>\d{4})(?P<e>e?)", "defexp_real_change_{first}_{last}"),
            Measure(r"^share of real gdp (?P<label>\d{4}e?)", "t4_defexp_share_gdp_{label}"),
        ),
    ),
    TableKind(
        "Table 5 : GDP",
        title=r"^gdp$",
        measures=(
            Measure(r"^current prices and exchange rates$", "gdp_usd_current"),
            Measure(r"^constant \d{4} prices and exchange rates$", "gdp_usd_const{base}"),
        ),
    ),
    TableKind(
        "Table 6 : GDP per capita and defence expenditure per capita",
        title=r"per capita",
        measures=(
            Measure(r"^gdp per capita", "gdp_per_capita_const{base}"),
            Measure(r"^defence expenditure per capita", "defexp_per_capita_const{base}"),
        ),
    ),
    TableKind(
        "Table 7 : Military personnel",
        title=r"military personnel",
        measures=(Measure(None, "military_personnel"),),
    ),
    TableKind(  # one kind for two sheets: 8a holds the first two blocks, 8b the other two
        "Tables 8a and 8b : Distribution of defence expenditure by main category",
        title=r"distribution of defence expenditure",
        measures=(
            Measure(r"^equipment", "equipment_share"),
            Measure(r"^personnel", "personnel_share"),
            Measure(r"^infrastructure", "infrastructure_share"),
            Measure(r"^other", "other_share"),
        ),
    ),
)

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
