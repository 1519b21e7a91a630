"""The reproduction check's table as readers read it (natobook.pages.reproduction shows it): formatted numbers,
each fact's own columns once, sources by name, a status mark with its word and the reason in words. The check
itself, and the full reasons its CSV keeps, are natobook.analysis.reproduction's."""

from __future__ import annotations

import re

import pandas as pd

from natobook.analysis.reproduction import (
    DIFFERS,
    EDITION,
    MARKS,
    MORE_THAN,
    NOT_COMPUTABLE,
    PRICE_BASIS,
    ROUNDING,
    UNEXPLAINED,
    number_text,
    row_verdict,
)

DISPLAY_COLUMNS = {
    "statement": "Number",
    "printed": "Printed",
    "source": "Source",
    "edition": "Data",
    "basis": "Price basis",
    "computed": "Computed",
    "difference": "Difference",
    "verdict": "Status",
    "why": "Why",
}


def _reason_in_words(row) -> str:
    """The row's reason as a reader reads it: 'the edition lacks ...' for a gap, nothing when reproduced."""
    if row.status == NOT_COMPUTABLE:
        return "these data lack " + "; ".join(part.removeprefix("needs ") for part in row.reason.split("; "))
    if row.status == DIFFERS:
        printed_basis = re.search(r"printed basis ([^;]+)", row.reason)
        return "; ".join(
            f"another price basis than the report's, {printed_basis.group(1)}"
            if kind == PRICE_BASIS and printed_basis
            else _SHORT_REASONS.get(kind, kind)
            for kind in row.reason_kinds.split(", ")
        )
    return row.reason


# A difference's causes as the table's Why column gives them: short, for the Data and Price basis columns
# beside them already say which edition and basis; the full sentences are in the table's CSV.
_SHORT_REASONS = {
    EDITION: "another data edition than the report's",
    ROUNDING: "within one unit of the last printed digit",
    UNEXPLAINED: "not explained by data edition, price basis or rounding",
}


def display_table(
    table: pd.DataFrame, source_names: dict[str, str], edition_names: dict[str, str] | None = None
) -> pd.DataFrame:
    """The reproduction table as text for readers: formatted numbers, each fact's own columns shown once (on
    its first row), sources by name, a status mark with its word and the reason in words. The full reasons
    stay in `table` (and its CSV)."""
    names = edition_names or {}
    decimals = table["decimals"].astype(int)
    source = table["source_id"].map(source_names).fillna(table["source_id"])
    shown = table.assign(
        printed=(table["printed"] + " " + table["unit"].str.replace(f" ({MORE_THAN})", "", regex=False)).where(
            table["printed"] != "", "not printed"
        ),
        source=(source + ", " + table["confidence"] + " confidence").where(table["source_id"] != "", "none found"),
        edition=table["edition"].map(lambda code: names.get(code, code)),
        basis=table["basis"].replace("", "–"),
        computed=[number_text(v, d) for v, d in zip(table["computed"], decimals)],
        difference=[number_text(v, d, "+") for v, d in zip(table["difference"], decimals)],
        verdict=[f"{MARKS[row_verdict(row)]} {row_verdict(row)}" for row in table.itertuples()],
        why=[_reason_in_words(row) for row in table.itertuples()],
    )
    repeated = table["fact_id"].duplicated()
    shown.loc[repeated, ["statement", "printed", "source"]] = ""
    return shown[list(DISPLAY_COLUMNS)].rename(columns=DISPLAY_COLUMNS)
