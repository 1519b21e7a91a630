"""The small typed result of a page's function: what its notebook glues, and what the edition lacks."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Figure:
    """A chart (an Altair chart, or anything myst-nb can glue) and the frame behind it: its CSV."""

    chart: object
    data: pd.DataFrame


@dataclass
class Page:
    """What one run of a page shows.

    `texts` are glued for `{glue:md}` (escaped: text from data never becomes markup); `numbers` for
    `{glue:text}` with a format spec, and for other pages and tests; `figures` under their stable names
    (fig-...); `lacks` names what the edition lacks for each paragraph, caption or figure that needs it
    ([] or absent: nothing), matched against the `needs` of the page's markdown cells (natobook.pages.paragraphs).
    A figure the edition cannot draw is absent from `figures` and named in `lacks`.
    """

    texts: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, int | float] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    lacks: dict[str, list[str]] = field(default_factory=dict)

    def lacking(self, name: str) -> list[str]:
        return self.lacks.get(name, [])
