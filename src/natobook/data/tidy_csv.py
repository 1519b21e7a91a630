"""The book's tidy CSV as written: sorted rows, the schema's column order, the same bytes for the same frame."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from natobook.data import schema

SORT_ORDER = ["edition", "indicator", "country", "year"]  # each series together, in time order


def write_tidy_csv(frame: pd.DataFrame, path: Path) -> None:
    """Validate `frame` and write it as the book's tidy CSV: sorted rows, schema column order, no index,
    UTF-8 with '\\n' line endings, `estimate` as true/false. Same frame, same bytes."""
    path = Path(path)
    tidy = sorted_rows(schema.validate_tidy(frame, str(path)))
    text = tidy.assign(estimate=tidy["estimate"].map(schema.BOOL_TEXT)).to_csv(index=False, lineterminator="\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


def sorted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[list(schema.COLUMNS)].sort_values(SORT_ORDER, kind="mergesort").reset_index(drop=True)
