"""The small typed result of a page's function: what its notebook glues, and what the edition lacks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from natobook.pages.paragraphs import PAGE


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
    A figure the edition cannot draw is absent from `figures` and named in `lacks`. `cases` names, for each
    sentence whose wording depends on the data, which wording the markdown keeps (its cells' `case` metadata).

    A page may also show tables (`tables`: a styled table, shown where the notebook calls show_table, by name),
    with the CSVs behind them (`table_data`: written beside the figures' CSVs), HTML another page pastes (`html`:
    the landing page's strip of key figures) and MyST made by the book's own code, glued as it is (`markdown`:
    tables that carry glue and cite roles, shown with {glue:md} and :format: myst). Texts from data go in `texts`,
    escaped, never in `html` or `markdown`.
    """

    texts: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, int | float] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    lacks: dict[str, list[str]] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)
    tables: dict[str, object] = field(default_factory=dict)
    table_data: dict[str, pd.DataFrame] = field(default_factory=dict)
    html: dict[str, str] = field(default_factory=dict)
    markdown: dict[str, str] = field(default_factory=dict)

    def draw(self, name: str, chart: Callable[..., object], frame: pd.DataFrame, *args, **labels) -> None:
        """The figure `name`: `chart` drawn from `frame` (with its other arguments, title and description), and
        `frame` kept as the CSV behind it, so that what a reader downloads is what was drawn."""
        self.figures[name] = Figure(chart(frame, *args, **labels), frame)

    def lacking(self, name: str) -> list[str]:
        return self.lacks.get(name, [])

    def lack(self, missing: list[str], *names: str) -> bool:
        """Declare `missing` (what the edition lacks) for each of `names`; True when something is missing."""
        for name in names:
            self.lacks[name] = list(dict.fromkeys(self.lacking(name) + list(missing)))
        return bool(missing)

    def put_numbers(self, values: Mapping[str, object], specs: Mapping[str, str | None]) -> None:
        """Each value under its key: a number for {glue:text} and for tests, and, formatted with its spec (".1f",
        ",.0f", "d"), as `<key>_text` for {glue:md}; a spec of None puts the value as text."""
        for key, spec in specs.items():
            value = values[key]
            if spec is None:
                self.texts[key] = str(value)
            else:
                self.numbers[key] = value
                self.texts[f"{key}_text"] = format(value, spec)

    def lacking_everywhere(self) -> Page:
        """Declare the whole page lacking when the edition lacks something for every paragraph and figure that
        needs anything: then the page's first paragraph says so once (natobook.pages.paragraphs.PAGE)."""
        if self.lacks and all(self.lacks.values()):
            self.lacks[PAGE] = list(dict.fromkeys(phrase for missing in self.lacks.values() for phrase in missing))
        return self
