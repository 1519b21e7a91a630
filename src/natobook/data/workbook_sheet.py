"""Where the tables of a workbook sheet are: each table's rows, its header row of years, its blocks of rows.

The geometry of NATO's sheets, found from their text (titles, year headers, headings), never from cell addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from natobook.data.workbook_layout import PRICE_BASE, TITLE, Measure, TableKind, normal, table_kinds, year_label


@dataclass
class Column:
    """One header column: the year it holds and, in a by-column table, its own measure."""

    header: Cell
    year: int
    estimate: bool
    measure: Measure | None = None
    fields: dict[str, str] = field(default_factory=dict)  # the measure's named groups, e.g. label='2024e'


@dataclass
class Block:
    """Data rows under one block heading (None: rows before any heading)."""

    heading: Cell | None
    rows: list[tuple[Cell, list[tuple[Column, Cell]]]] = field(default_factory=list)


@dataclass
class Table:
    """One table found in a sheet: its title cell and the non-empty cells of the rows it spans."""

    title: Cell
    rows: dict[int, list[Cell]]  # row number -> its non-empty cells, left to right

    def row(self, number: int) -> list[Cell]:
        return self.rows.get(number, [])

    def row_numbers(self) -> list[int]:
        return sorted(self.rows)


def tables(sheet: Worksheet) -> list[Table]:
    """The tables of a sheet: each spans from its title row to the next title row or the sheet's end."""
    rows = {}
    for row in sheet.iter_rows():
        if cells := [cell for cell in row if cell.value is not None and str(cell.value).strip()]:
            rows[cells[0].row] = cells
    titles = [cell for cells in rows.values() for cell in cells if TITLE.match(str(cell.value))]
    ends = [title.row for title in titles[1:]] + [sheet.max_row + 1]
    return [
        Table(title, {number: cells for number, cells in rows.items() if title.row <= number < end})
        for title, end in zip(titles, ends)
    ]


def header_row(table: Table) -> int | None:
    """The first row below the title holding a year: the column headers."""
    rows = (n for n in table.row_numbers() if n > table.title.row)
    return next((n for n in rows if any(year_label(cell.value) for cell in table.row(n))), None)


def kind_of(table: Table, preamble: str) -> TableKind | None:
    """Which of NATO's tables this is; None for a table the book does not use."""
    title = normal(TITLE.match(table.title.value)["text"])
    return next((k for k in table_kinds() if re.search(k.title, title) and re.search(k.unit_line, preamble)), None)


def price_base(text: str) -> str | None:
    return match.group(1) if (match := PRICE_BASE.search(text)) else None


def announces(measure: Measure, heading: str | None) -> bool:
    """Whether a block heading (None: no heading yet) introduces this measure."""
    if heading is None or measure.heading is None:
        return heading is None and measure.heading is None
    return re.search(measure.heading, heading) is not None


def blocks(table: Table, header: int, columns: list[Column]) -> list[Block]:
    """Split the rows below the header into blocks; a text-only row directly above data rows is a heading.

    Text rows that no data follows (notes, page numbers) are skipped, and so are rows of numbers
    without a label (NATO's '#REF!' and check-sum rows): they are not part of any published series.
    """
    first_column = min(column.header.column for column in columns)
    blocks, heading = [Block(None)], None
    for number in (n for n in table.row_numbers() if n > header):
        cells = {cell.column: cell for cell in table.row(number)}
        label = next((c for c in cells.values() if c.column < first_column and isinstance(c.value, str)), None)
        values = [(column, cells[column.header.column]) for column in columns if column.header.column in cells]
        if label and not values:
            heading = label
        elif label:
            if heading is not None:
                blocks.append(Block(heading))
                heading = None
            blocks[-1].rows.append((label, values))
    return [block for block in blocks if block.rows]
