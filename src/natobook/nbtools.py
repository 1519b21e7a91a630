"""Small helpers the notebooks share: glue text safely, save the data behind a figure."""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import Markdown
from myst_nb import glue

from natobook import paths


def glue_text(name: str, text: str) -> None:
    """Glue a string for `{glue:md}`; escaped, because strings from data must never become markup."""
    glue(name, Markdown(html.escape(str(text))), display=False)


def glue_number(name: str, value) -> None:
    """Glue a number for `{glue:text}`; numpy scalars become plain Python numbers, whose repr formats."""
    glue(name, value.item() if hasattr(value, "item") else value, display=False)


def save_figure_data(frame: pd.DataFrame, name: str) -> None:
    """Write the CSV behind figure `name` where its caption's download link points."""
    paths.FIGURES.mkdir(parents=True, exist_ok=True)
    frame.to_csv(paths.FIGURES / f"{name}.csv", index=False, lineterminator="\n")
