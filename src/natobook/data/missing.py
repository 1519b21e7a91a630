"""Values NATO prints for the other Allies but the data lacks for one: refused, or accepted and named.

A blank workbook cell (found by `ingest`, with its sheet and cell) and a row missing from a tidy CSV (found here)
are the same fault: a number every page would compute without, silently. Without `--allow-missing` either stops
the build; with it, each accepted gap is printed as a warning and handed to the site (natobook.site.accepted_blanks),
which names it on every page built from the data.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from natobook.errors import DataError, Problem

# An Ally's NATO mark, a row only for the Allies that carry it: its absence is not a gap.
NOT_EVERY_ALLY = ("national_2pct_law",)


@dataclass(frozen=True)
class MissingValue:
    """One Ally's value of one indicator in one year, absent where the data holds it for other Allies."""

    country: str
    iso3: str
    indicator: str
    year: int
    problem: Problem  # where it is missing, as the user is told

    def record(self) -> dict:
        return {
            "country": self.country,
            "iso3": self.iso3,
            "indicator": self.indicator,
            "year": self.year,
            "where": str(self.problem),
        }


def missing_rows(frame: pd.DataFrame, file: str) -> list[MissingValue]:
    """The rows a tidy frame of one edition lacks: within an indicator, an Ally with rows for some years and none
    for a year that other Allies have (the CSV form of a blank cell in NATO's table of that indicator)."""
    found = []
    for indicator, rows in frame[~frame["indicator"].isin(NOT_EVERY_ALLY)].groupby("indicator", sort=True):
        years = sorted(int(year) for year in rows["year"].unique())
        for (iso3, country), own in rows.groupby(["iso3", "country"], sort=True):
            held = {int(year) for year in own["year"]}
            for year in (year for year in years if year not in held):
                others = int((rows["year"] == year).sum())
                span = f"{min(held)}-{max(held)}" if len(held) > 1 else str(min(held))
                message = (
                    f"no row for {country} ({iso3 or 'aggregate'}), indicator {indicator!r}, year {year}, "
                    f"where {others} other row(s) of that indicator hold {year} and {country}'s rows hold "
                    f"{span}; expected its value (or build with --allow-missing to read on without it)"
                )
                found.append(MissingValue(country, iso3, indicator, year, Problem(file, message, column="year")))
    return found


def refuse_or_accept(found: list[MissingValue], allow: bool, file: str) -> tuple[MissingValue, ...]:
    """DataError naming each gap, unless `allow`: then a warning naming each, and the gaps accepted."""
    if not found:
        return ()
    if not allow:
        raise DataError([gap.problem for gap in found])
    warn(found, file)
    return tuple(found)


def warn(found: list[MissingValue], file: str) -> None:
    print(
        f"WARNING: {file}: {len(found)} value(s) missing where NATO prints one, read without them "
        f"(--allow-missing); every number that uses them is computed without them, and every page built "
        f"from the data says so:",
        file=sys.stderr,
    )
    for gap in found:
        print(f"  {gap.problem}", file=sys.stderr)


def write_record(accepted: tuple[MissingValue, ...], path: Path) -> None:
    """The accepted gaps as JSON for the site (a list, possibly empty); written whole, by rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(
        json.dumps([gap.record() for gap in accepted], indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    os.replace(partial, path)
