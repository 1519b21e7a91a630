"""A small CSV of text cells (data/events.csv, data/claims.csv) read and checked with a pandera schema: every
problem is reported with the file, the CSV line number (the header is line 1) and the column."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from natobook.errors import DataError, Problem


def _not_blank(values: pd.Series) -> pd.Series:
    return values.str.strip().str.len() > 0


FILLED = pa.Check(_not_blank, error="is empty")


def record_lines(path: Path) -> list[int]:
    """The CSV line on which each data record starts (header = line 1), quoted newlines allowed."""
    starts: list[int] = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        previous_end = reader.line_num
        for record in reader:
            if record:  # pandas skips blank lines, so do we
                starts.append(previous_end + 1)
            previous_end = reader.line_num
    return starts


def line_of(lines: list[int], index) -> int | None:
    try:
        return lines[int(index)]
    except (TypeError, ValueError, IndexError):
        return None


def read(path: str | Path) -> tuple[pd.DataFrame, list[int], str]:
    """All cells as text (blank stays ""), the line on which each record starts, the file name."""
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise DataError([Problem(name, "file not found")])
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        lines = record_lines(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError([Problem(name, f"cannot be read as CSV: {exc}")]) from exc
    return frame, lines, name


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, name: str, lines: list[int]) -> list[Problem]:
    """Every schema failure as a Problem located by CSV line number and column."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        for case in exc.failure_cases.itertuples(index=False):
            if case.check == "column_in_dataframe":
                problems.append(Problem(name, "required column is missing", column=str(case.failure_case)))
                continue
            column = None if pd.isna(case.column) else str(case.column)
            value = "" if pd.isna(case.failure_case) else str(case.failure_case)
            check = "is repeated" if case.check == "field_uniqueness" else case.check
            problems.append(Problem(name, f"{value!r} {check}", row=line_of(lines, case.index), column=column))
        return sorted(problems, key=lambda p: (p.row if isinstance(p.row, int) else 0, p.column or ""))
    return []
