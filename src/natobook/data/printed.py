"""Numbers NATO printed outside its workbook: the Annual Report 2024's own per-Ally shares of GDP
(the "2025-04" edition) and its headline facts (data/published/annual_report_2024.csv).

The per-Ally list is kept byte for byte in data/raw with its provenance (.meta.yml); this module
turns it into the book's tidy schema so that the notebooks read it like any other edition.
Regenerate the tidy file with `python -m natobook.data.printed`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from natobook import paths
from natobook.data import schema
from natobook.data.tidy_csv import write_tidy_csv
from natobook.errors import DataError, Problem

REPORT_EDITION = "2025-04"
REPORT_SHARES_RAW = paths.RAW / "annual_report_2024_share_of_gdp_2024.csv"
REPORT_SHARES_TIDY = paths.PROCESSED / "annual_report_2024_share_of_gdp.csv"
REPORT_FACTS = paths.PUBLISHED / "annual_report_2024.csv"
# Short names of the sources (each row's source_id and source_url in data/published/annual_report_2024.csv).
SOURCE_NAMES = {
    "NATO_SGAR24_PAGE": "NATO, report page",
    "ANEWS_AR24": "Anadolu",
    "TASS_AR24": "TASS",
    "KNEWS_AR24": "Knews",
    "INFODEFENSA_AR24": "Infodefensa",
}
# The raw file's own columns after the tidy ones (source_id, confidence, ...) stay in data/raw: the
# tidy schema has no place for them, and the .meta.yml states them.
_TIDY_FROM_RAW = [column for column in schema.COLUMNS if column != "edition"]
# Who printed each fact (the `origin` column): NATO (its own page, or the report as news reports quote it), or
# only one outlet's rendering of the report, a figure NATO's text is not known to carry (TASS, Infodefensa).
BY_NATO = "NATO"
PRESS_RENDERING = "press rendering"
ORIGINS = (BY_NATO, PRESS_RENDERING)


def tidy_report_shares(raw: Path | str = REPORT_SHARES_RAW, edition: str = REPORT_EDITION) -> pd.DataFrame:
    """The Annual Report's per-Ally shares of GDP as a validated tidy frame of one edition."""
    source = pd.read_csv(raw, dtype=str, keep_default_na=False)
    if missing := [column for column in _TIDY_FROM_RAW if column not in source.columns]:
        raise DataError(
            [
                Problem(str(raw), f"missing column; expected {', '.join(_TIDY_FROM_RAW)}", column=name)
                for name in missing
            ]
        )
    frame = pd.DataFrame(
        {
            "edition": edition,
            "country": source["country"],
            "iso3": source["iso3"],
            "year": source["year"].astype(int),
            "indicator": source["indicator"],
            "value": source["value"].astype(float),
            "unit": source["unit"],
            "estimate": source["estimate"].map({"true": True, "false": False}),
        }
    )
    return schema.validate_tidy(frame[list(schema.COLUMNS)], str(raw))


def write_report_shares(raw: Path | str = REPORT_SHARES_RAW, output: Path | str = REPORT_SHARES_TIDY) -> Path:
    """Convert the raw list and write it as the book's tidy CSV (same input, same bytes)."""
    write_tidy_csv(tidy_report_shares(raw), Path(output))
    return Path(output)


def read_facts(path: Path | str = REPORT_FACTS) -> pd.DataFrame:
    """The Annual Report's headline facts; `value` is NaN where no source printed one (a hole, not a zero)."""
    facts = pd.read_csv(
        path,
        dtype={"fact_id": str, "printed_edition": str},
        keep_default_na=False,
        na_values={"value": [""], "printed_decimals": [""]},
    )
    if "origin" not in facts.columns:
        raise DataError(
            [Problem(str(path), f"missing column; expected one of {', '.join(ORIGINS)} per fact", column="origin")]
        )
    if problems := [
        Problem(str(path), f"{origin!r} is not one of {', '.join(ORIGINS)}", row=index + 2, column="origin")
        for index, origin in facts["origin"].items()
        if origin not in ORIGINS
    ]:
        raise DataError(problems)
    return facts


if __name__ == "__main__":
    print(f"wrote {write_report_shares()}")
