"""The one way a page loads its data: the tidy CSV a build hands it, held to the schema (by the build, once, or
here), sliced to one edition."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from natobook.data import schema, validated


def load(data_path: str | Path, edition: str) -> pd.DataFrame:
    """The rows of `edition` in the tidy CSV at `data_path`, validated by natobook.data.schema unless the build that
    runs the page has validated these very bytes (natobook.data.validated)."""
    data = schema.read_tidy_csv(data_path, validate=not validated.is_validated(data_path))
    return data[data["edition"] == edition]
