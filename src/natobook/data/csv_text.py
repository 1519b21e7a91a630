"""A CSV file's text read safely: every way it can fail to be a UTF-8, comma-separated file of the expected
columns becomes one DataError naming the file, the line and the column (natobook.data.schema reads the tidy CSV
with it; what the values must be is the schema's business)."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from natobook.errors import DataError, Problem


def require_file(path: Path, expected: str) -> None:
    """Raise DataError unless `path` names a file: a missing path, a link to nothing and a folder are each
    said so. `expected` says what the file should be, e.g. 'a tidy CSV'."""
    file = str(path)
    if path.is_symlink() and not path.exists():
        raise DataError(
            [Problem(file, f"a symbolic link to {os.readlink(path)!r}, which does not exist; expected {expected}")]
        )
    if not path.exists():
        raise DataError([Problem(file, f"file not found; expected {expected}")])
    if not path.is_file():
        raise DataError([Problem(file, f"is a folder, not a file; expected {expected}")])


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_text(path: Path, expected: str, columns: Sequence[str]) -> str:
    """The file's text, or one DataError saying what it is instead of a UTF-8 CSV (`expected`, with `columns`)."""
    file = str(path)
    require_file(path, expected)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(
            [Problem(file, f"cannot read the file ({exc.strerror}); expected {expected} that can be read")]
        ) from None
    if not data.strip():
        raise DataError([Problem(file, f"file is empty; expected the header {','.join(columns)} and data rows")])
    if data.startswith(_UTF16_BOMS):
        raise DataError([Problem(file, "UTF-16 text; expected UTF-8: re-save the file as UTF-8 CSV")])
    if b"\x00" in data:
        raise DataError([Problem(file, "binary data (NUL bytes); expected a CSV text file")])
    try:
        return data.decode("utf-8-sig")  # tolerate the byte-order mark Excel puts on UTF-8 CSVs
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise DataError(
            [Problem(file, f"not UTF-8 text (byte 0x{bad}); expected UTF-8: re-save the file as UTF-8", row=line)]
        ) from None


def records(text: str, file: str, columns: Sequence[str]) -> tuple[list[int], list[dict[str, str]]]:
    """The data records as {column: text}, each with the line it starts on; header and shape checked."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines, records, problems = [], [], []
    start = 1
    try:
        header = _header(next(reader), file, columns)
        start = reader.line_num + 1
        for fields in reader:
            if fields and len(fields) != len(header):
                hint = " (truncated row?)" if len(fields) < len(header) else ""
                found = f"expected {len(header)} fields, found {len(fields)}{hint}"
                problems.append(Problem(file, found, row=start))
            elif fields:  # blank lines are skipped, as every CSV reader does
                lines.append(start)
                records.append(dict(zip(header, fields)))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(file, f"malformed CSV ({exc}); expected comma-separated fields", row=start))
    if problems:
        raise DataError(problems)
    return lines, records


def _header(header: list[str], file: str, columns: Sequence[str]) -> list[str]:
    names = [name.strip() for name in header]
    if len(names) == 1 and re.search(r"[;\t|]", names[0]):
        delimiter = re.search(r"[;\t|]", names[0]).group()
        raise DataError(
            [
                Problem(
                    file,
                    f"found one column {names[0]!r}: wrong delimiter {delimiter!r}? expected "
                    f"comma-separated columns {','.join(columns)}",
                    row=1,
                )
            ]
        )
    problems = [
        Problem(file, f"missing column; expected the columns {', '.join(columns)}", row=1, column=name)
        for name in columns
        if name not in names
    ]
    problems += [
        Problem(file, f"unexpected column; expected only {', '.join(columns)}", row=1, column=name)
        for name in names
        if name not in columns or names.count(name) > 1
    ]
    if problems:
        raise DataError(list(dict.fromkeys(problems)))  # a repeated column is reported once
    return names


def _parse_int(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\s*[+-]?\d+\s*", text) else None


def _parse_float(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if abs(number) < float("inf") else None


def _bool_parser(spellings: dict[bool, str]):
    by_spelling = {spelling: value for value, spelling in spellings.items()}
    return lambda text: by_spelling.get(text.strip().lower())


def typed_frame(
    lines: list[int], records: list[dict[str, str]], file: str, dtypes: dict[str, str], bool_text: dict[bool, str]
) -> pd.DataFrame:
    """The records as typed columns (`dtypes`: column -> the schema's pandas dtype); every value that does not
    read as its type is a Problem naming the line and the column."""
    parsers = {  # (parser, pandas dtype, a good value), by the type the schema gives a column
        "int64": (_parse_int, "int64", "a whole number such as 2024"),
        "float64": (_parse_float, "float64", "a number such as 1234.5"),
        "bool": (_bool_parser(bool_text), "bool", f"{bool_text[True]} or {bool_text[False]}"),
        "string[python]": (str, "str", "text"),
    }
    columns, problems = {}, []
    for name, schema_dtype in dtypes.items():
        parse, dtype, expected = parsers[schema_dtype]
        texts = [record[name] for record in records]
        values = [parse(text) for text in texts]
        unreadable = [
            Problem(file, f"expected {expected}, found {text!r}", row=line, column=name)
            for line, text, value in zip(lines, texts, values)
            if value is None
        ]
        problems += unreadable
        if not unreadable:
            columns[name] = pd.Series(values, dtype=dtype)
    if problems:
        raise DataError(sorted(problems, key=lambda problem: problem.row))
    # Index = line - 2, so that validate_tidy's "line = index + 2" names the true line even after blank lines.
    return pd.DataFrame(columns).set_axis([line - 2 for line in lines])
