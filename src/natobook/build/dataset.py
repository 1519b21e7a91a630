"""Which data a build runs on: the parameter set's, or a file named on the command line.

`python -m natobook build --data PATH` takes NATO's workbook (.xlsx, read by `ingest`: the release is
not written in it, so `--edition` is required) or a tidy CSV (.csv, held to `schema`). A CSV may hold
several editions: `--edition` picks one, by default the latest. `--report-year` defaults to the latest
year of that edition. Without `--data`, the parameter set's data, edition and report year stand, each
replaced by `--edition` or `--report-year` when given.

An edition or a report year the data does not hold stops the build with a message naming the file,
the column and what the file does hold. So does a value missing where the data holds it for the other Allies
(a blank workbook cell, a row missing from a CSV: natobook.data.missing), unless `--allow-missing`; then the
gaps accepted travel with the data to the site, which names them on every page built from it.

The notebooks always read a validated tidy CSV of the one edition built, in the build folder and named by its
rows (`_build/data/edition-<edition>-<sha256 of its rows>.csv`): a workbook is ingested into it, a CSV of many
editions is read and validated once, here, and sliced, so each notebook reads a few thousand rows rather than
every edition's. As the name follows the content, the same data under another file name hits the cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from natobook import paths
from natobook.build.params import ParameterSet
from natobook.data import csv_text, missing, schema, tidy_csv, validated
from natobook.errors import DataError, ParameterError, Problem

WORKBOOK, TIDY_CSV = ".xlsx", ".csv"


@dataclass(frozen=True)
class Choice:
    """What the command line asks for; None: not given."""

    data: Path | None = None
    edition: str | None = None
    report_year: int | None = None
    allow_missing: bool = False  # values missing for one Ally are read with a warning, not refused (data.missing)


@dataclass(frozen=True)
class Resolved:
    """The parameter set with the data, edition and report year the build runs on, and that data (validated)."""

    pset: ParameterSet
    frame: pd.DataFrame
    accepted: tuple[missing.MissingValue, ...] = ()  # the gaps `allow_missing` let through


def resolve(pset: ParameterSet, choice: Choice = Choice()) -> Resolved:
    """The data a build runs on; DataError or ParameterError (one message) when it cannot be had."""
    return _of_file(pset, choice) if choice.data is not None else _of_parameter_set(pset, choice)


def _of_parameter_set(pset: ParameterSet, choice: Choice) -> Resolved:
    frame = schema.read_tidy_csv(pset.data)
    edition = _edition_held(frame, choice.edition or pset.edition, pset.data)
    year = choice.report_year if choice.report_year is not None else pset.report_year
    accepted = _gaps_of_csv(frame, edition, pset.data, choice.allow_missing)
    year = _year_held(frame, edition, year, pset.data)
    validated.record(pset.data)  # accepted whole: the notebooks this build starts need not validate it again
    return Resolved(_replaced(pset, pset.data, edition, year), frame, accepted)


def _of_file(pset: ParameterSet, choice: Choice) -> Resolved:
    source = choice.data  # messages name it as it was given
    frame, accepted = _read(source, choice.edition, choice.allow_missing)
    edition = _edition_held(frame, choice.edition or max(frame["edition"]), source)
    year = choice.report_year if choice.report_year is not None else _years(frame, edition)[-1]
    year = _year_held(frame, edition, year, source)
    if _suffix(source) == TIDY_CSV:
        accepted = _gaps_of_csv(frame, edition, source, choice.allow_missing)
    return Resolved(_replaced(pset, _edition_slice(frame, edition), edition, year), frame, accepted)


def _gaps_of_csv(frame: pd.DataFrame, edition: str, file: Path, allow: bool) -> tuple[missing.MissingValue, ...]:
    found = missing.missing_rows(frame[frame["edition"] == edition], str(file))
    return missing.refuse_or_accept(found, allow, str(file))


def _replaced(pset: ParameterSet, data: Path, edition: str, report_year: int | None) -> ParameterSet:
    return dataclasses.replace(pset, data=data, edition=edition, report_year=report_year)


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def _read(
    path: Path, edition: str | None, allow_missing: bool = False
) -> tuple[pd.DataFrame, list[missing.MissingValue]]:
    """The tidy rows of a workbook (ingested as `edition`, with the blank cells `allow_missing` let through) or of
    a tidy CSV (its gaps are found once its edition is known), by the file's extension."""
    csv_text.require_file(path, f"NATO's workbook ({WORKBOOK}) or a tidy CSV ({TIDY_CSV})")
    kind = _suffix(path)
    if kind == TIDY_CSV:
        return schema.read_tidy_csv(path), []
    if kind != WORKBOOK:
        raise DataError(
            [
                Problem(
                    str(path),
                    f"unknown file type {kind or '(no extension)'!r}; expected NATO's "
                    f"workbook ({WORKBOOK}) or a tidy CSV ({TIDY_CSV})",
                )
            ]
        )
    if edition is None:
        raise ParameterError(
            f"{path}: no --edition given; expected the year and month of NATO's release, "
            f"e.g. --edition 2025-06 (a workbook does not say which release it is)"
        )
    from natobook.data import ingest  # openpyxl: only when a workbook is read

    return ingest.read_workbook(path, edition, allow_missing)


def _edition_held(frame: pd.DataFrame, edition: str, file: Path) -> str:
    held = sorted(frame["edition"].unique())
    if edition not in held:
        raise DataError(
            [
                Problem(
                    str(file),
                    f"no rows of edition {edition!r}; expected one of the editions it holds: {', '.join(held)}",
                    column="edition",
                )
            ]
        )
    return edition


def _years(frame: pd.DataFrame, edition: str) -> list[int]:
    return sorted(int(year) for year in frame.loc[frame["edition"] == edition, "year"].unique())


def _year_held(frame: pd.DataFrame, edition: str, year: int | None, file: Path) -> int | None:
    """`year` if edition `edition` of the data holds it; None stays None (each notebook takes the latest)."""
    held = _years(frame, edition)
    if year is not None and year not in held:
        raise DataError(
            [
                Problem(
                    str(file),
                    f"no rows for report year {year} in edition {edition}; expected one "
                    f"of the years it holds: {', '.join(map(str, held))}",
                    column="year",
                )
            ]
        )
    return year


def _edition_slice(frame: pd.DataFrame, edition: str) -> Path:
    """The rows of one edition as a tidy CSV in the build folder, named by the sha256 of its bytes (written sorted,
    so the same rows in any order, from a workbook or a CSV, are the same file)."""
    folder = paths.BUILD / "data"
    partial = folder / f".edition-{edition}.{os.getpid()}"  # renamed whole: a stopped build leaves no partial slice
    tidy_csv.write_tidy_csv(frame[frame["edition"] == edition], partial)
    path = folder / f"edition-{edition}-{hashlib.sha256(partial.read_bytes()).hexdigest()[:16]}.csv"
    os.replace(partial, path)  # the same bytes when it was there already: its Sphinx and cache state stay
    validated.record(path)  # written from validated rows, and held to the schema again as it was written
    return path
