"""Read NATO's "Defence Expenditure of NATO Countries" workbook into one tidy frame.

The only module that knows the workbook's layout. Tables are found by their titles
("Table 3 : Defence expenditure as a share of GDP and annual real change"), header rows by their
year cells, blocks by their headings and Allies by their names, never by cell address, so that
next year's workbook (one more year column, a new Ally, shifted rows, a new price base year)
still reads. Anything that does not fit raises a DataError naming the sheet and cell.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import pandas as pd
import pycountry

from natobook.data import missing, schema
from natobook.errors import DataError, ParameterError, Problem

if TYPE_CHECKING:  # openpyxl loads only when a workbook is read: every notebook imports this module's
    # write_tidy_csv (through natobook.data.printed), and openpyxl is a good part of a notebook's imports
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

NATIONAL_2PCT_LAW_UNIT = "flag: national law or political agreement calls for at least 2% of GDP"
SORT_ORDER = ["edition", "indicator", "country", "year"]  # each series together, in time order


@dataclass(frozen=True)
class Measure:
    """One indicator of a table: the heading that announces it, its code and its unit.

    `heading` is a regex searched in the block heading (in a by-column table: the column header),
    lower-cased with spaces collapsed; None marks the only block of a table without headings.
    `code` and `unit` are str.format templates: {base} is the price base year read from the
    table's text, {currency} the national currency in the row label, plus the named groups of
    `heading`.
    """

    heading: str | None
    code: str
    unit: str


@dataclass(frozen=True)
class TableKind:
    """One of NATO's tables, recognised by its title and, where two share a title, by its unit line."""

    name: str  # NATO's title, for messages
    title: str  # regex searched in the title text after "Table N :", lower-cased
    measures: tuple[Measure, ...]
    unit_line: str = ""  # regex searched in the text between the title and the year header
    by_column: bool = False  # each header column is its own measure (Table 4), not each block


USD_CURRENT = "million USD, current prices and exchange rates"
USD_CONSTANT = "million USD, constant {base} prices and exchange rates"
SHARE_OF_GDP = "% of GDP (share of real GDP, based on {base} prices)"
SHARE_OF_SPENDING = "% of total defence expenditure"

TABLES = (
    TableKind(
        "Table 1 : Defence expenditure (million national currency units)",
        title=r"^defence expenditure$",
        unit_line=r"national currency",
        measures=(
            Measure(r"^current prices$", "defexp_ncu_current", "million {currency}, current prices"),
            Measure(
                r"^constant \d{4} prices$", "defexp_ncu_const{base}", "million {currency}, constant {base} prices"
            ),
        ),
    ),
    TableKind(
        "Table 2 : Defence expenditure (million US dollars)",
        title=r"^defence expenditure$",
        unit_line=r"us dollars",
        measures=(
            Measure(r"^current prices and exchange rates$", "defexp_usd_current", USD_CURRENT),
            Measure(r"^constant \d{4} prices and exchange rates$", "defexp_usd_const{base}", USD_CONSTANT),
        ),
    ),
    TableKind(
        "Table 3 : Defence expenditure as a share of GDP and annual real change",
        title=r"share of gdp",
        measures=(
            Measure(r"^share of real gdp", "defexp_share_gdp", SHARE_OF_GDP),
            Measure(r"^annual real change", "defexp_real_change", "% annual real change (based on {base} prices)"),
        ),
    ),
    TableKind(
        "Table 4 : Defence expenditure real change 2014-2024e",
        title=r"real change \d{4}",
        by_column=True,
        measures=(
            Measure(r"^(?P<label>\d{4}e?)$", "t4_defexp_usd_const{base}_{label}", USD_CONSTANT),
            Measure(
                r"^real change (?P<first>\d{4})-(?P<last>\d{4})(?P<e>e?)",
                "defexp_real_change_{first}_{last}",
                "% real change {first}-{last}{e} ({base} prices and exchange rates)",
            ),
            Measure(r"^share of real gdp (?P<label>\d{4}e?)", "t4_defexp_share_gdp_{label}", SHARE_OF_GDP),
        ),
    ),
    TableKind(
        "Table 5 : GDP",
        title=r"^gdp$",
        measures=(
            Measure(r"^current prices and exchange rates$", "gdp_usd_current", USD_CURRENT),
            Measure(r"^constant \d{4} prices and exchange rates$", "gdp_usd_const{base}", USD_CONSTANT),
        ),
    ),
    TableKind(
        "Table 6 : GDP per capita and defence expenditure per capita",
        title=r"per capita",
        measures=(
            Measure(
                r"^gdp per capita",
                "gdp_per_capita_const{base}",
                "thousand USD per capita, {base} prices and exchange rates",
            ),
            Measure(
                r"^defence expenditure per capita",
                "defexp_per_capita_const{base}",
                "USD per capita, {base} prices and exchange rates",
            ),
        ),
    ),
    TableKind(
        "Table 7 : Military personnel",
        title=r"military personnel",
        measures=(Measure(None, "military_personnel", "thousand persons"),),
    ),
    TableKind(  # one kind for two sheets: 8a holds the first two blocks, 8b the other two
        "Tables 8a and 8b : Distribution of defence expenditure by main category",
        title=r"distribution of defence expenditure",
        measures=(
            Measure(r"^equipment", "equipment_share", SHARE_OF_SPENDING),
            Measure(r"^personnel", "personnel_share", SHARE_OF_SPENDING),
            Measure(r"^infrastructure", "infrastructure_share", SHARE_OF_SPENDING),
            Measure(r"^other", "other_share", SHARE_OF_SPENDING),
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


def ingest_workbook(path: Path, edition: str, allow_missing: bool = False) -> pd.DataFrame:
    """Read NATO's workbook at `path` into one validated tidy frame (schema.COLUMNS), sorted as written.

    A blank cell where the table prints values for other Allies in that column is an error; `allow_missing`
    reads on without it, with a warning naming each such cell.
    """
    return read_workbook(path, edition, allow_missing)[0]


def read_workbook(path: Path, edition: str,
                  allow_missing: bool = False) -> tuple[pd.DataFrame, list[missing.MissingValue]]:
    """`ingest_workbook`, and the blank cells it read on without (`allow_missing`), each named by Ally, indicator
    and year."""
    path = Path(path)
    if not re.fullmatch(schema.EDITION_FORMAT, edition):
        raise ParameterError(f"{path}: edition {edition!r}: expected YYYY-MM, the year and month of NATO's release")
    reader = _WorkbookReader(path, edition, allow_missing)
    reader.read(_open_workbook(path))
    if reader.missing:
        missing.warn(reader.missing, str(path))
    frame = pd.DataFrame(reader.records, columns=list(schema.COLUMNS))
    frame = frame.astype({"year": "int64", "value": "float64", "estimate": "bool"})
    return schema.validate_tidy(_sorted(frame), f"tidy rows read from {path}"), reader.missing


def write_tidy_csv(frame: pd.DataFrame, path: Path) -> None:
    """Validate `frame` and write it as the book's tidy CSV: sorted rows, schema column order, no index,
    UTF-8 with '\\n' line endings, `estimate` as true/false. Same frame, same bytes."""
    path = Path(path)
    tidy = _sorted(schema.validate_tidy(frame, str(path)))
    text = tidy.assign(estimate=tidy["estimate"].map(schema.BOOL_TEXT)).to_csv(index=False, lineterminator="\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[list(schema.COLUMNS)].sort_values(SORT_ORDER, kind="mergesort").reset_index(drop=True)


# An OLE2 compound file: an Excel 97-2003 .xls, or an .xlsx saved with a password (encrypted inside one).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_OOXML_STREAM = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted .xlsx holds


def _open_workbook(path: Path) -> Workbook:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    schema.require_file(path, "NATO's defence-expenditure workbook")
    if (what := _not_a_workbook(path)) is not None:
        raise DataError([Problem(str(path), what)])
    try:
        return openpyxl.load_workbook(path, data_only=True)  # data_only: the values NATO's formulas printed
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, zlib.error, EOFError,
            ElementTree.ParseError) as exc:  # a damaged member: garbage XML, a bad CRC, a broken deflate stream
        raise DataError(
            [Problem(str(path), f"cannot read it as an Excel .xlsx workbook ({exc}); expected NATO's tables as "
                                f"published (download the file again if it was damaged on the way)")]
        ) from None


def _not_a_workbook(path: Path) -> str | None:
    """What the file is, when it is recognisably not an .xlsx workbook openpyxl can read; else None."""
    with open(path, "rb") as file:
        start = file.read(len(OLE2_MAGIC))
        if not start:
            return "the file is empty; expected NATO's .xlsx workbook (download it again)"
        if start != OLE2_MAGIC:
            return None
        encrypted = ENCRYPTED_OOXML_STREAM in file.read()
    if encrypted:
        return ("a password-protected (encrypted) workbook; expected NATO's workbook as published, which has no "
                "password: open it in Excel and save it without one, or download it again")
    return "an Excel 97-2003 (.xls) file, not an .xlsx workbook; expected NATO's .xlsx: save it as .xlsx in Excel"


def _normal(text: object) -> str:
    """Lower-cased, with runs of spaces (including no-break spaces) collapsed: how headings are matched."""
    return " ".join(str(text).split()).casefold()


@cache
def _country_by_name() -> dict[str, tuple[str, str]]:
    """Every spelling of an Ally or aggregate (normalised) -> (NATO's spelling, iso3)."""
    names = {_normal(name): (name, "") for name in schema.AGGREGATES}
    for ally in schema.allies():
        names |= {_normal(name): (ally.country, ally.iso3) for name in (ally.country, *ally.aliases)}
    return names


def _iso3_of_country_name(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of the country ISO 3166 calls `name` (its short, official or common name,
    any case), from pycountry; None if none does. Codes are not matched: a row label is a name."""
    fields = ("name", "official_name", "common_name")
    found = next((country for field in fields if (country := pycountry.countries.get(**{field: name}))), None)
    return found.alpha_3 if found else None


def _as_printed(value: int | float, number_format: str) -> float:
    """The value as the cell shows it: rounded half-up (Excel's rule) to its number format's decimals."""
    section = number_format.split(";")[0]  # the format of positive numbers
    if not re.search(r"[0#]", section):
        return float(value)  # 'General' or text: Excel shows the number as stored
    places = len(match.group(1)) if (match := DECIMALS.search(section)) else 0
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return float(rounded) + 0.0  # + 0.0 turns a rounded -0.00 into 0.0


def _year_label(value: object) -> re.Match | None:
    """A header cell holding a year: 2014, 2014.0, '2019' or '2024e' (e: estimate)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if type(value) is int or isinstance(value, str):  # type(), not isinstance(): True is no year
        return YEAR_LABEL.match(str(value))
    return None


@dataclass
class _Column:
    """One header column: the year it holds and, in a by-column table, its own measure."""

    header: Cell
    year: int
    estimate: bool
    measure: Measure | None = None
    fields: dict[str, str] = field(default_factory=dict)  # the measure's named groups, e.g. label='2024e'


@dataclass
class _Block:
    """Data rows under one block heading (None: rows before any heading)."""

    heading: Cell | None
    rows: list[tuple[Cell, list[tuple[_Column, Cell]]]] = field(default_factory=list)


@dataclass
class _Table:
    """One table found in a sheet: its title cell and the non-empty cells of the rows it spans."""

    title: Cell
    rows: dict[int, list[Cell]]  # row number -> its non-empty cells, left to right

    def row(self, number: int) -> list[Cell]:
        return self.rows.get(number, [])

    def row_numbers(self) -> list[int]:
        return sorted(self.rows)


def _tables(sheet: Worksheet) -> list[_Table]:
    """The tables of a sheet: each spans from its title row to the next title row or the sheet's end."""
    rows = {}
    for row in sheet.iter_rows():
        if cells := [cell for cell in row if cell.value is not None and str(cell.value).strip()]:
            rows[cells[0].row] = cells
    titles = [cell for cells in rows.values() for cell in cells if TITLE.match(str(cell.value))]
    ends = [title.row for title in titles[1:]] + [sheet.max_row + 1]
    return [
        _Table(title, {number: cells for number, cells in rows.items() if title.row <= number < end})
        for title, end in zip(titles, ends)
    ]


def _header_row(table: _Table) -> int | None:
    """The first row below the title holding a year: the column headers."""
    rows = (n for n in table.row_numbers() if n > table.title.row)
    return next((n for n in rows if any(_year_label(cell.value) for cell in table.row(n))), None)


def _kind(table: _Table, preamble: str) -> TableKind | None:
    """Which of NATO's tables this is; None for a table the book does not use."""
    title = _normal(TITLE.match(table.title.value)["text"])
    return next((k for k in TABLES if re.search(k.title, title) and re.search(k.unit_line, preamble)), None)


def _price_base(text: str) -> str | None:
    return match.group(1) if (match := PRICE_BASE.search(text)) else None


def _announces(measure: Measure, heading: str | None) -> bool:
    """Whether a block heading (None: no heading yet) introduces this measure."""
    if heading is None or measure.heading is None:
        return heading is None and measure.heading is None
    return re.search(measure.heading, heading) is not None


def _blocks(table: _Table, header: int, columns: list[_Column]) -> list[_Block]:
    """Split the rows below the header into blocks; a text-only row directly above data rows is a heading.

    Text rows that no data follows (notes, page numbers) are skipped, and so are rows of numbers
    without a label (NATO's '#REF!' and check-sum rows): they are not part of any published series.
    """
    first_column = min(column.header.column for column in columns)
    blocks, heading = [_Block(None)], None
    for number in (n for n in table.row_numbers() if n > header):
        cells = {cell.column: cell for cell in table.row(number)}
        label = next((c for c in cells.values() if c.column < first_column and isinstance(c.value, str)), None)
        values = [(column, cells[column.header.column]) for column in columns if column.header.column in cells]
        if label and not values:
            heading = label
        elif label:
            if heading is not None:
                blocks.append(_Block(heading))
                heading = None
            blocks[-1].rows.append((label, values))
    return [block for block in blocks if block.rows]


# What a unit or code template may need from the workbook, as the user would be told it is missing.
_TEMPLATE_FIELDS = {
    "base": "price base year in the table's text, e.g. 'Constant 2015 prices' or 'Based on 2015 prices'",
    "currency": "national currency in brackets after the Ally's name, e.g. 'Albania   (Leks)'",
}


class _WorkbookReader:
    """Walks one workbook, collecting tidy records and every problem met on the way."""

    def __init__(self, path: Path, edition: str, allow_missing: bool = False):
        self.file = str(path)
        self.edition = edition
        self.allow_missing = allow_missing
        self.missing: list[missing.MissingValue] = []  # blank cells let through by allow_missing
        self.year_headers: dict[int, _Column] = {}  # the first header met for each year: its estimate mark
        self.records: list[dict] = []
        self.problems: dict[Problem, None] = {}  # ordered set: one bad label or heading is met many times
        self.flagged: dict[str, str] = {}  # Allies carrying NATO's asterisk: country -> iso3
        self.found: dict[TableKind, set[Measure]] = {}  # the tables met, and the measures read from each
        self.resolved: dict[str, str] = {}  # labels found through ISO 3166, not allies.csv: iso3 -> first spelling
        self.titles: list[str] = []  # every table title met, for a message when an expected one is missing

    def read(self, workbook: Workbook) -> None:
        for sheet in workbook.worksheets:
            for table in _tables(sheet):
                title = " ".join(str(table.title.value).split())
                self.titles.append(f"{sheet.title}!{table.title.coordinate} {title!r}")
                self._read_table(table)
        self._check_everything_found(workbook)
        if self.problems:
            raise DataError(list(self.problems))
        self._add_national_law_flags()

    def _problem(self, message: str, cell: Cell | None = None, column: str | None = None) -> None:
        self.problems[self._located(message, cell, column)] = None

    def _located(self, message: str, cell: Cell | None = None, column: str | None = None) -> Problem:
        if cell is None:
            return Problem(self.file, message)
        sheet = cell.parent.title
        return Problem(self.file, f"{sheet}!{cell.coordinate}: {message}", row=f"{cell.row} of sheet {sheet}",
                       column=column)

    def _read_table(self, table: _Table) -> None:
        header = _header_row(table)
        # The title and unit lines: they tell Table 1 from Table 2 and may give the price base year.
        above_header = [n for n in table.row_numbers() if header is None or n < header]
        preamble = " ".join(_normal(cell.value) for n in above_header for cell in table.row(n))
        kind = _kind(table, preamble)
        if kind is None:
            return  # a table the book does not use
        self.found.setdefault(kind, set())
        if header is None:
            self._problem(f"no header row of years (2014, '2019', '2024e', ...) below the title "
                          f"{table.title.value!r}", table.title)
            return
        first_year = min(cell.column for cell in table.row(header) if _year_label(cell.value))
        columns = [self._column(kind, cell) for cell in table.row(header) if cell.column >= first_year]
        if None in columns:
            return
        for block in _blocks(table, header, columns):
            self._read_block(table, kind, block, preamble)

    def _column(self, kind: TableKind, cell: Cell) -> _Column | None:
        if not kind.by_column:
            if year := _year_label(cell.value):
                return self._same_mark(_Column(cell, int(year["year"]), bool(year["e"])))
            self._problem(f"header {cell.value!r}: expected a year such as 2024 or 2024e", cell)
            return None
        text = _normal(cell.value)
        years = YEAR_IN_TEXT.findall(text)
        for measure in kind.measures:
            if years and (match := re.search(measure.heading, text)):
                year, estimate = years[-1]
                return self._same_mark(_Column(cell, int(year), bool(estimate), measure, match.groupdict()))
        expected = ", ".join(repr(m.heading) for m in kind.measures)
        self._problem(f"header {cell.value!r}: expected a column of {kind.name!r} matching one of {expected}, "
                      f"with its year", cell)
        return None

    def _same_mark(self, column: _Column) -> _Column:
        """The column, after checking that every table marks its year as an estimate ('2024e') alike."""
        first = self.year_headers.setdefault(column.year, column)
        if first.estimate != column.estimate:
            said = {True: "an estimate", False: "not an estimate"}
            self._problem(f"header {column.header.value!r} says {column.year} is {said[column.estimate]}, but "
                          f"{first.header.parent.title}!{first.header.coordinate} ({first.header.value!r}) says "
                          f"it is {said[first.estimate]}; expected every table to mark the year alike", column.header)
        return column

    def _block_measure(self, kind: TableKind, block: _Block) -> Measure | None:
        heading = _normal(block.heading.value) if block.heading else None
        if measure := next((m for m in kind.measures if _announces(m, heading)), None):
            return measure
        expected = ", ".join(repr(m.heading) for m in kind.measures if m.heading)
        if block.heading is None:
            self._problem(f"data rows before any block heading; expected a heading matching {expected}",
                          block.rows[0][0])
        else:
            self._problem(f"unknown block heading {block.heading.value!r} in {kind.name!r}; "
                          f"expected one matching {expected}", block.heading)
        return None

    def _read_block(self, table: _Table, kind: TableKind, block: _Block, preamble: str) -> None:
        block_measure = None if kind.by_column else self._block_measure(kind, block)
        if block_measure is None and not kind.by_column:
            return
        heading = _normal(block.heading.value) if block.heading else ""
        base = _price_base(heading) or _price_base(preamble)  # 'Constant 2015 prices' or 'Based on 2015 prices'
        self._check_blanks(table, block, block_measure, base)
        for label, values in block.rows:
            parts = LABEL.match(str(label.value))
            if (ally := self._ally(parts["name"], label)) is None:
                continue
            if parts["flag"]:
                self.flagged[ally[0]] = ally[1]
            fields = {"base": base, "currency": " ".join((parts["currency"] or "").split())}
            for column, cell in values:
                measure = column.measure or block_measure
                named = self._code_and_unit(measure, fields | column.fields, label, table)
                value = self._number(cell, column)
                if named is None or value is None:
                    continue
                self.found[kind].add(measure)
                self._record(ally, column.year, named[0], value, named[1], column.estimate)

    def _check_blanks(self, table: _Table, block: _Block, block_measure: Measure | None, base: str | None) -> None:
        """A blank cell in a column where the block prints values for other rows: a value NATO left out or a cell
        deleted by mistake, either way a number the book would compute without, silently."""
        printed = {column.header.column: column for _, values in block.rows for column, _ in values}
        for label, values in block.rows:
            for number in sorted(printed.keys() - {column.header.column for column, _ in values}):
                column = printed[number]
                parts = LABEL.match(str(label.value))
                found = self._located(f"blank cell for {parts['name']} in column {column.header.value!r}, where "
                                      f"the table prints values for the other rows; expected a number (or "
                                      f"build with --allow-missing to read on without it)",
                                      label.parent.cell(label.row, number), column=str(column.header.value))
                if not self.allow_missing:
                    self.problems[found] = None
                elif (ally := self._ally(parts["name"], label)) is not None:
                    fields = {"base": base, "currency": " ".join((parts["currency"] or "").split())} | column.fields
                    named = self._code_and_unit(column.measure or block_measure, fields, label, table)
                    if named is not None:
                        self.missing.append(missing.MissingValue(*ally, named[0], column.year, found))

    def _ally(self, name: str, label: Cell) -> tuple[str, str] | None:
        """(NATO's spelling, iso3) of the Ally or aggregate a row label names: from allies.csv, else a new Ally
        whose name ISO 3166 knows (named as the workbook first spells it)."""
        if (ally := _country_by_name().get(_normal(name))) is not None:
            return ally
        spelled = " ".join(name.split())
        if (code := _iso3_of_country_name(spelled)) is None:
            self._problem(f"unknown Ally {name!r} (label {label.value!r}); expected a name or alias from "
                          f"natobook/data/allies.csv, a country name of ISO 3166 (pycountry) for a new Ally, or an "
                          f"aggregate ({', '.join(schema.AGGREGATES)})", label)
            return None
        # an official name of a listed Ally ("Kingdom of Belgium") still gets NATO's spelling
        listed = schema.ally(code, self.resolved.setdefault(code, spelled))
        return listed.country, listed.iso3

    def _code_and_unit(self, measure: Measure, fields: dict, label: Cell, table: _Table) -> tuple[str, str] | None:
        known = {name: value for name, value in fields.items() if value}
        try:
            return measure.code.format(**known), measure.unit.format(**known)
        except KeyError as absent:
            name = absent.args[0]
            self._problem(f"no {_TEMPLATE_FIELDS[name]}", label if name == "currency" else table.title)
            return None

    def _number(self, cell: Cell, column: _Column) -> float | None:
        if isinstance(cell.value, bool) or not isinstance(cell.value, (int, float)):
            self._problem(f"expected a number, found {cell.value!r}", cell, column=str(column.header.value))
            return None
        return _as_printed(cell.value, cell.number_format)

    def _check_everything_found(self, workbook: Workbook) -> None:
        for kind in TABLES:
            if kind not in self.found:
                sheets = ", ".join(workbook.sheetnames)
                found = "; ".join(self.titles) or "none"
                self._problem(f"no table titled like {kind.name!r} in any sheet ({sheets}); the titles found: "
                              f"{found}; expected NATO's full set of tables")
        if self.problems:
            return  # a missing measure would only echo the problems already found
        for kind, measures in self.found.items():
            for measure in kind.measures:
                if measure not in measures:
                    where = "column" if kind.by_column else "block"
                    self._problem(f"{kind.name!r}: no data for {measure.code!r}; expected a {where} "
                                  f"headed like {measure.heading or 'the table title'!r}")

    def _add_national_law_flags(self) -> None:
        """One row per Ally marked with NATO's '*': the country profiles need the flag, not just a footnote."""
        latest = max(record["year"] for record in self.records)
        for ally in sorted(self.flagged.items()):
            self._record(ally, latest, schema.NATIONAL_2PCT_LAW, 1.0, NATIONAL_2PCT_LAW_UNIT, estimate=False)

    def _record(self, ally: tuple[str, str], year: int, indicator: str, value: float, unit: str, estimate: bool):
        country, iso3 = ally
        self.records.append({"edition": self.edition, "country": country, "iso3": iso3, "year": year,
                             "indicator": indicator, "value": value, "unit": unit, "estimate": estimate})
