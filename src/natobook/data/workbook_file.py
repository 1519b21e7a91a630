"""Opening NATO's workbook file: a clear refusal for what is not an .xlsx workbook openpyxl can read."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from natobook.data import csv_text
from natobook.errors import DataError, Problem

# An OLE2 compound file: an Excel 97-2003 .xls, or an .xlsx saved with a password (encrypted inside one).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_OOXML_STREAM = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted .xlsx holds


def open_workbook(path: Path) -> Workbook:
    csv_text.require_file(path, "NATO's defence-expenditure workbook")
    if (what := _not_a_workbook(path)) is not None:
        raise DataError([Problem(str(path), what)])
    try:
        return openpyxl.load_workbook(path, data_only=True)  # data_only: the values NATO's formulas printed
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        zlib.error,
        EOFError,
        ElementTree.ParseError,
    ) as exc:  # a damaged member: garbage XML, a bad CRC, a broken deflate stream
        raise DataError(
            [
                Problem(
                    str(path),
                    f"cannot read it as an Excel .xlsx workbook ({exc}); expected NATO's tables as "
                    f"published (download the file again if it was damaged on the way)",
                )
            ]
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
        return (
            "a password-protected (encrypted) workbook; expected NATO's workbook as published, which has no "
            "password: open it in Excel and save it without one, or download it again"
        )
    return "an Excel 97-2003 (.xls) file, not an .xlsx workbook; expected NATO's .xlsx: save it as .xlsx in Excel"
