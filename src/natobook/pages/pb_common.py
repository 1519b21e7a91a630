"""What the pages of the report's checks, targets, burden sharing, equipment and the visit share: a page that also
shows tables, a number shown in prose, and what an edition lacks for a paragraph."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
from IPython.display import HTML, Markdown, display
from myst_nb import glue

from natobook.analysis import indicators
from natobook.analysis import reproduction as checks
from natobook.nbtools import save_figure_data, show_page, year_label_in
from natobook.pages.page import Page
from natobook.pages.paragraphs import PAGE


@dataclass
class TabledPage(Page):
    """A page that also shows tables (`tables`: a styled table, shown where the notebook calls show_table, by
    name), the CSVs behind them (`table_data`: written beside the figures' CSVs), HTML another page pastes (`html`:
    the landing page's strip of key figures) and MyST made by the book's own code, glued as it is (`markdown`:
    tables that carry glue and cite roles, shown with {glue:md} and :format: myst). Texts from data go in `texts`,
    escaped, never here."""

    tables: dict[str, object] = field(default_factory=dict)
    table_data: dict[str, pd.DataFrame] = field(default_factory=dict)
    html: dict[str, str] = field(default_factory=dict)
    markdown: dict[str, str] = field(default_factory=dict)


def show(page: Page) -> None:
    """show_page, and for a TabledPage the CSVs behind its tables, its HTML and its MyST."""
    show_page(page)
    for name, frame in getattr(page, "table_data", {}).items():
        save_figure_data(frame, name)
    for name, markup in getattr(page, "html", {}).items():
        glue(name, HTML(markup), display=False)
    for name, markup in getattr(page, "markdown", {}).items():
        glue(name, Markdown(markup), display=False)


def show_table(page: TabledPage, name: str) -> None:
    """The table `name` where the notebook calls this; nothing where the edition cannot give it (the paragraph
    that introduces it says so: it needs `name`)."""
    if name in page.tables:
        display(page.tables[name])


def show_numbers(page: Page, values: Mapping[str, object], specs: Mapping[str, str | None]) -> None:
    """Put each value on the page: a number under its key (for {glue:text} and for tests) and, formatted with its
    spec (".1f", ",.0f", "d"), as `<key>_text` for {glue:md}; a spec of None puts the value as text."""
    for key, spec in specs.items():
        value = values[key]
        if spec is None:
            page.texts[key] = str(value)
        else:
            page.numbers[key] = value
            page.texts[f"{key}_text"] = format(value, spec)


def lack(page: Page, missing: list[str], *names: str) -> bool:
    """Declare `missing` (what the edition lacks) for each of `names`; True when something is missing."""
    for name in names:
        page.lacks[name] = list(dict.fromkeys(page.lacking(name) + list(missing)))
    return bool(missing)


def matching_basis(table: pd.DataFrame, fact_id: str) -> str:
    """The price bases on which a printed number is reproduced ('constant 2015 prices'), in words, from the
    reproduction check's table; 'neither price basis' when none."""
    found = table[(table["fact_id"] == fact_id) & (table["status"] == checks.REPRODUCED)]["basis"]
    return indicators.names_in_words(found.tolist()) or "neither price basis"


def lacks_all(page: Page) -> Page:
    """Declare the whole page lacking when the edition lacks something for every paragraph and figure that
    needs anything: then the page's first paragraph says so once (natobook.pages.paragraphs.PAGE)."""
    if page.lacks and all(page.lacks.values()):
        page.lacks[PAGE] = list(dict.fromkeys(phrase for missing in page.lacks.values() for phrase in missing))
    return page


def allies_counted(data: pd.DataFrame, indicator: str, year: int, counted, noun: str = "Allies") -> str:
    """`noun` ('Allies'), or where the edition has no figure for `year` for some Allies it holds `indicator` for in
    other years, 'Allies with a figure for 2024e (no figure for Belgium and Canada in this edition)': a count names
    who it leaves out. `counted`: the names of the Allies counted."""
    held = indicators.allies(indicators.series(data, indicator))["country"].unique()
    left_out = sorted(set(held) - set(counted))
    if not left_out:
        return noun
    return (f"{noun} with a figure for {year_label_in(data, year)} (no figure for "
            f"{indicators.names_in_words(left_out)} in this edition)")
