"""Read NATO's "Defence Expenditure of NATO Countries" workbook into one tidy frame.

Tables are found by their titles ("Table 3 : Defence expenditure as a share of GDP and annual real change"),
header rows by their year cells, blocks by their headings and Allies by their names, never by cell address, so
that next year's workbook (one more year column, a new Ally, shifted rows, a new price base year) still reads.
Anything that does not fit raises a DataError naming the sheet and cell. What the workbook looks like is
natobook.data.workbook_layout; where its tables sit in a sheet, workbook_sheet; opening the file, workbook_file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook

from natobook.data import (
    ally_names,
    indicator_registry,
    missing,
    schema,
    tidy_csv,
    vocabulary,
    workbook_file,
    workbook_layout,
    workbook_sheet,
)
from natobook.errors import DataError, ParameterError, Problem


def ingest_workbook(path: Path, edition: str, allow_missing: bool = False) -> pd.DataFrame:
    """Read NATO's workbook at `path` into one validated tidy frame (schema.COLUMNS), sorted as written.

    A blank cell where the table prints values for other Allies in that column is an error; `allow_missing`
    reads on without it, with a warning naming each such cell.
    """
    return read_workbook(path, edition, allow_missing)[0]


def read_workbook(
    path: Path, edition: str, allow_missing: bool = False
) -> tuple[pd.DataFrame, list[missing.MissingValue]]:
    """`ingest_workbook`, and the blank cells it read on without (`allow_missing`), each named by Ally, indicator
    and year."""
    path = Path(path)
    if not re.fullmatch(schema.EDITION_FORMAT, edition):
        raise ParameterError(f"{path}: edition {edition!r}: expected YYYY-MM, the year and month of NATO's release")
    reader = _WorkbookReader(path, edition, allow_missing)
    reader.read(workbook_file.open_workbook(path))
    if reader.missing:
        missing.warn(reader.missing, str(path))
    frame = pd.DataFrame(reader.records, columns=list(schema.COLUMNS))
    frame = frame.astype({"year": "int64", "value": "float64", "estimate": "bool"})
    return schema.validate_tidy(tidy_csv.sorted_rows(frame), f"tidy rows read from {path}"), reader.missing


class _WorkbookReader:
    """Walks one workbook, collecting tidy records and every problem met on the way."""

    def __init__(self, path: Path, edition: str, allow_missing: bool = False):
        self.file = str(path)
        self.edition = edition
        self.allow_missing = allow_missing
        self.missing: list[missing.MissingValue] = []  # blank cells let through by allow_missing
        # the first header met for each year: its estimate mark
        self.year_headers: dict[int, workbook_sheet.Column] = {}
        self.records: list[dict] = []
        self.problems: dict[Problem, None] = {}  # ordered set: one bad label or heading is met many times
        self.flagged: dict[str, str] = {}  # Allies carrying NATO's asterisk: country -> iso3
        # the tables met, and the measures read from each
        self.found: dict[workbook_layout.TableKind, set[workbook_layout.Measure]] = {}
        self.resolved: dict[str, str] = {}  # labels found through ISO 3166, not allies.csv: iso3 -> first spelling
        self.titles: list[str] = []  # every table title met, for a message when an expected one is missing

    def read(self, workbook: Workbook) -> None:
        for sheet in workbook.worksheets:
            for table in workbook_sheet.tables(sheet):
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
        return Problem(
            self.file, f"{sheet}!{cell.coordinate}: {message}", row=f"{cell.row} of sheet {sheet}", column=column
        )

    def _read_table(self, table: workbook_sheet.Table) -> None:
        header = workbook_sheet.header_row(table)
        # The title and unit lines: they tell Table 1 from Table 2 and may give the price base year.
        above_header = [n for n in table.row_numbers() if header is None or n < header]
        preamble = " ".join(workbook_layout.normal(cell.value) for n in above_header for cell in table.row(n))
        kind = workbook_sheet.kind_of(table, preamble)
        if kind is None:
            return  # a table the book does not use
        self.found.setdefault(kind, set())
        if header is None:
            self._problem(
                f"no header row of years (2014, '2019', '2024e', ...) below the title {table.title.value!r}",
                table.title,
            )
            return
        first_year = min(cell.column for cell in table.row(header) if workbook_layout.year_label(cell.value))
        columns = [self._column(kind, cell) for cell in table.row(header) if cell.column >= first_year]
        if None in columns:
            return
        for block in workbook_sheet.blocks(table, header, columns):
            self._read_block(table, kind, block, preamble)

    def _column(self, kind: workbook_layout.TableKind, cell: Cell) -> workbook_sheet.Column | None:
        if not kind.by_column:
            if year := workbook_layout.year_label(cell.value):
                return self._same_mark(workbook_sheet.Column(cell, int(year["year"]), bool(year["e"])))
            self._problem(f"header {cell.value!r}: expected a year such as 2024 or 2024e", cell)
            return None
        text = workbook_layout.normal(cell.value)
        years = workbook_layout.YEAR_IN_TEXT.findall(text)
        for measure in kind.measures:
            if years and (match := re.search(measure.heading, text)):
                year, estimate = years[-1]
                return self._same_mark(
                    workbook_sheet.Column(cell, int(year), bool(estimate), measure, match.groupdict())
                )
        expected = ", ".join(repr(m.heading) for m in kind.measures)
        self._problem(
            f"header {cell.value!r}: expected a column of {kind.name!r} matching one of {expected}, with its year", cell
        )
        return None

    def _same_mark(self, column: workbook_sheet.Column) -> workbook_sheet.Column:
        """The column, after checking that every table marks its year as an estimate ('2024e') alike."""
        first = self.year_headers.setdefault(column.year, column)
        if first.estimate != column.estimate:
            said = {True: "an estimate", False: "not an estimate"}
            self._problem(
                f"header {column.header.value!r} says {column.year} is {said[column.estimate]}, but "
                f"{first.header.parent.title}!{first.header.coordinate} ({first.header.value!r}) says "
                f"it is {said[first.estimate]}; expected every table to mark the year alike",
                column.header,
            )
        return column

    def _block_measure(
        self, kind: workbook_layout.TableKind, block: workbook_sheet.Block
    ) -> workbook_layout.Measure | None:
        heading = workbook_layout.normal(block.heading.value) if block.heading else None
        if measure := next((m for m in kind.measures if workbook_sheet.announces(m, heading)), None):
            return measure
        expected = ", ".join(repr(m.heading) for m in kind.measures if m.heading)
        if block.heading is None:
            self._problem(
                f"data rows before any block heading; expected a heading matching {expected}", block.rows[0][0]
            )
        else:
            self._problem(
                f"unknown block heading {block.heading.value!r} in {kind.name!r}; expected one matching {expected}",
                block.heading,
            )
        return None

    def _read_block(
        self, table: workbook_sheet.Table, kind: workbook_layout.TableKind, block: workbook_sheet.Block, preamble: str
    ) -> None:
        block_measure = None if kind.by_column else self._block_measure(kind, block)
        if block_measure is None and not kind.by_column:
            return
        heading = workbook_layout.normal(block.heading.value) if block.heading else ""
        base = workbook_sheet.price_base(heading) or workbook_sheet.price_base(
            preamble
        )  # 'Constant 2015 prices' or 'Based on 2015 prices'
        self._check_blanks(table, block, block_measure, base)
        for label, values in block.rows:
            parts = workbook_layout.LABEL.match(str(label.value))
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

    def _check_blanks(
        self,
        table: workbook_sheet.Table,
        block: workbook_sheet.Block,
        block_measure: workbook_layout.Measure | None,
        base: str | None,
    ) -> None:
        """A blank cell in a column where the block prints values for other rows: a value NATO left out or a cell
        deleted by mistake, either way a number the book would compute without, silently."""
        printed = {column.header.column: column for _, values in block.rows for column, _ in values}
        for label, values in block.rows:
            for number in sorted(printed.keys() - {column.header.column for column, _ in values}):
                column = printed[number]
                parts = workbook_layout.LABEL.match(str(label.value))
                found = self._located(
                    f"blank cell for {parts['name']} in column {column.header.value!r}, where "
                    f"the table prints values for the other rows; expected a number (or "
                    f"build with --allow-missing to read on without it)",
                    label.parent.cell(label.row, number),
                    column=str(column.header.value),
                )
                if not self.allow_missing:
                    self.problems[found] = None
                elif (ally := self._ally(parts["name"], label)) is not None:
                    fields = {"base": base, "currency": " ".join((parts["currency"] or "").split())} | column.fields
                    named = self._code_and_unit(column.measure or block_measure, fields, label, table)
                    if named is not None:
                        self.missing.append(missing.MissingValue(*ally, named[0], column.year, found))

    def _ally(self, name: str, label: Cell) -> tuple[str, str] | None:
        """(NATO's spelling, iso3) of the Ally or aggregate a row label names (natobook.data.ally_names)."""
        if (ally := ally_names.resolve(name, self.resolved)) is None:
            self._problem(ally_names.unknown(name, label.value), label)
        return ally

    def _code_and_unit(
        self, measure: workbook_layout.Measure, fields: dict, label: Cell, table: workbook_sheet.Table
    ) -> tuple[str, str] | None:
        known = {name: value for name, value in fields.items() if value}
        try:
            return measure.code.format(**known), measure.unit.format(**known)
        except KeyError as absent:
            name = absent.args[0]
            self._problem(f"no {workbook_layout.TEMPLATE_FIELDS[name]}", label if name == "currency" else table.title)
            return None

    def _number(self, cell: Cell, column: workbook_sheet.Column) -> float | None:
        if isinstance(cell.value, bool) or not isinstance(cell.value, (int, float)):
            self._problem(f"expected a number, found {cell.value!r}", cell, column=str(column.header.value))
            return None
        return workbook_layout.as_printed(cell.value, cell.number_format)

    def _check_everything_found(self, workbook: Workbook) -> None:
        for kind in workbook_layout.table_kinds():
            if kind not in self.found:
                sheets = ", ".join(workbook.sheetnames)
                found = "; ".join(self.titles) or "none"
                self._problem(
                    f"no table titled like {kind.name!r} in any sheet ({sheets}); the titles found: "
                    f"{found}; expected NATO's full set of tables"
                )
        if self.problems:
            return  # a missing measure would only echo the problems already found
        for kind, measures in self.found.items():
            for measure in kind.measures:
                if measure not in measures:
                    where = "column" if kind.by_column else "block"
                    self._problem(
                        f"{kind.name!r}: no data for {measure.code!r}; expected a {where} "
                        f"headed like {measure.heading or 'the table title'!r}"
                    )

    def _add_national_law_flags(self) -> None:
        """One row per Ally marked with NATO's '*': the country profiles need the flag, not just a footnote."""
        latest = max(record["year"] for record in self.records)
        for ally in sorted(self.flagged.items()):
            self._record(
                ally,
                latest,
                vocabulary.NATIONAL_2PCT_LAW,
                1.0,
                indicator_registry.unit_template(vocabulary.NATIONAL_2PCT_LAW),
                estimate=False,
            )

    def _record(self, ally: tuple[str, str], year: int, indicator: str, value: float, unit: str, estimate: bool):
        country, iso3 = ally
        self.records.append(
            {
                "edition": self.edition,
                "country": country,
                "iso3": iso3,
                "year": year,
                "indicator": indicator,
                "value": value,
                "unit": unit,
                "estimate": estimate,
            }
        )
