"""Sphinx extension: "Chart | Table" for every figure, the figure's data as an HTML table beside its chart.

Every `{glue:figure}` whose notebook glued a chart (a Vega-Lite spec) and saved the CSV behind it
(chapters/figures/<name>.csv, nbtools.save_figure_data) gets, in the page itself, a table of that CSV:
the same rows and the same numbers as written there (rounded as NATO prints them), headed by words with
units, and years as NATO labels them ("2024e": an estimate). One place makes it for every figure, so a
new figure has a table by being declared.

The table is in the HTML, so a reader without JavaScript (or a search engine, or a text browser) has the
numbers under the chart's place; _static/natobook-figure-table.js turns the two into tabs (the WAI-ARIA
tab pattern: arrow keys, Home, End) showing the chart first. In print (the PDF edition) an interactive chart,
whose slider or menu paper cannot offer, is replaced by its table; _static/natobook-figure-table.css.
"""

from __future__ import annotations

import csv
import html
import itertools
import re
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from natobook import paths
from natobook.build.figures import glued_figures, title_text

# Words for columns the figures' CSVs share; they come before the chart's own titles, so that every table reads
# a year the same way and names its estimates.
COLUMN_WORDS = {
    "country": "Ally",
    "year_label": "Year (e = NATO estimate)",
    "year": "Year",
    "group": "Group",
    "unit": "Unit",
    "price_basis": "Price basis",
    "indicator": "Indicator (NATO code)",
    "edition": "Data edition",
    "edition_label": "Data edition",
    "target": "Target, % of GDP",
    "date": "Date",
    "actors": "Who",
    "source_url": "Source address",
    "in_detail": "Shown in the detailed view",
    "current": "At current prices (see the unit)",
}
# gap_musd_at_3.5pct: what an Ally would add to reach 3.5% of its GDP (the targets page).
GAP_COLUMN = re.compile(r"gap_musd_at_(?P<target>[\d.]+)pct")
GAP_WORDS = "Extra spending to reach {target}% of GDP, USD million a year (current prices)"
# A column that says again what another says in words is left out: the ISO code beside the Ally's name, the
# year and the estimate flag beside NATO's label ("2024e"), an indicator code beside its name.
SAID_BY = {
    "iso3": ("country",),
    "year": ("year_label",),
    "estimate": ("year_label",),
    "indicator": ("category", "measure"),
    "edition": ("edition_label",),
    "source_key": ("source_title",),
}
BOOLEAN_WORDS = {"True": "yes", "False": "no"}
# The columns that say what a row is about, shown first (in the CSV's order).
ROW_NAMES = ("country", "edition_label", "group", "category", "measure", "year", "year_label", "date")


def _spec_titles(spec, found: dict[str, set[str]]) -> dict[str, set[str]]:
    """Every title the chart gives a field (axes, legends, tooltips), by field."""
    if isinstance(spec, dict):
        if isinstance(spec.get("field"), str) and spec.get("title"):
            found.setdefault(spec["field"], set()).add(title_text(spec["title"]))
        for value in spec.values():
            _spec_titles(value, found)
    elif isinstance(spec, list):
        for value in spec:
            _spec_titles(value, found)
    return found


def _is_interactive(spec) -> bool:
    """A chart with a control (a slider, a menu, a legend to click): paper cannot show what it hides."""
    if isinstance(spec, dict):
        if any(isinstance(param, dict) and ("bind" in param or "select" in param) for param in spec.get("params", [])):
            return True
        return any(_is_interactive(value) for value in spec.values())
    if isinstance(spec, list):
        return any(_is_interactive(value) for value in spec)
    return False


def column_header(column: str, rows: list[dict[str, str]], titles: dict[str, set[str]], by_indicator: bool) -> str:
    """The header of a column: the shared words, the chart's longest title of that field (the one with its units),
    or the column's name in words. A quantity in more than one unit (`by_indicator`: a row per indicator) names
    each; the CSV's `value` takes the CSV's own `unit` where the chart gives it no title."""
    if column in COLUMN_WORDS:
        return COLUMN_WORDS[column]
    if gap := GAP_COLUMN.fullmatch(column):
        return GAP_WORDS.format(target=gap["target"])
    # Longest first, ties in alphabetical order: a set's order changes with each process's hash seed.
    named = sorted(titles.get(column, ()), key=lambda title: (-len(title), title))
    if named:
        return "; ".join(sorted(named)) if by_indicator and len(named) > 1 else named[0]
    words = column.replace("_", " ").capitalize()
    units = {row["unit"] for row in rows if row.get("unit")}
    return f"{words} ({units.pop()})" if column == "value" and len(units) == 1 else words


def column_headers(columns: list[str], rows: list[dict[str, str]], titles: dict[str, set[str]]) -> dict[str, str]:
    """The header of each shown column; two columns the chart titles alike (one axis for bars and line) are told
    apart by their shortest titles (the tooltips': "Above the 2014 level, USD bn")."""
    by_indicator = "indicator" in columns
    headers = {column: column_header(column, rows, titles, by_indicator) for column in columns}
    alike = [header for header in headers.values() if list(headers.values()).count(header) > 1]
    return {
        column: f"{min(titles[column], key=lambda title: (len(title), title))}; {header}"
        if header in alike and len(titles.get(column, ())) > 1
        else header
        for column, header in headers.items()
    }


def shown_columns(header: list[str]) -> list[str]:
    """The CSV's columns a reader needs, what each row is about (the Ally, the year) first."""
    shown = [column for column in header if not any(other in header for other in SAID_BY.get(column, ()))]
    return sorted(shown, key=lambda column: column not in ROW_NAMES)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_number_column(column: str, rows: list[dict[str, str]]) -> bool:
    cells = [row[column] for row in rows if row[column] != ""]
    return bool(cells) and all(_is_number(cell) for cell in cells)


def cell_text(text: str) -> str:
    """A cell as the CSV writes it, booleans in words."""
    return BOOLEAN_WORDS.get(text, text)


def read_figure_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The CSV's header and its rows as the text it holds (no number read and written again: the same digits)."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def table_html(caption: str, path: Path, titles: dict[str, set[str]]) -> str:
    header, rows = read_figure_csv(path)
    columns = shown_columns(header)
    headers = column_headers(columns, rows, titles)
    kind = {column: ' class="number"' if _is_number_column(column, rows) else "" for column in columns}
    head = "".join(
        f'<th scope="col" data-column="{html.escape(column)}"{kind[column]}>{html.escape(headers[column])}</th>'
        for column in columns
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td{kind[column]}>{html.escape(cell_text(row[column]))}</td>" for column in columns)
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="natobook-figure-data" data-csv="{html.escape(path.name)}">'
        f"<caption>Data of the figure: {html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def tabs_html(label: str) -> str:
    """The two tabs, hidden until natobook-figure-table.js makes them work (without it, both views stay shown)."""
    tab = (
        '<button type="button" role="tab" id="{label}-tab-{view}" aria-controls="{label}-{view}" '
        'aria-selected="{selected}" tabindex="{index}">{name}</button>'
    )
    return (
        '<div class="natobook-figure-tabs" role="tablist" aria-label="View of the figure" hidden>'
        + tab.format(label=label, view="chart", selected="true", index="0", name="Chart")
        + tab.format(label=label, view="table", selected="false", index="-1", name="Table")
        + "</div>"
    )


@cache
def book_specs() -> dict[str, dict]:
    """The chart of every figure the executed notebooks glue, by name. Looked up by the figure's name, not its page:
    the single-page build (the PDF edition's) resolves every figure of the book under one page, the root."""
    return {
        name: spec for notebook in sorted(paths.CHAPTERS.rglob("*.ipynb")) for name, spec in glued_figures(notebook)
    }


def _raw(markup: str) -> nodes.raw:
    return nodes.raw("", markup, format="html")


def add_figure_tables(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Around each chart, its tab panel, and after it the panel of its table (before the caption)."""
    from natobook.site.figurelines import figure_title

    specs = book_specs()
    for figure in doctree.findall(nodes.figure):
        label = next((name for name in figure["ids"] if name in specs), None)
        data = paths.FIGURES / f"{label}.csv"
        if label is None or not data.is_file():
            continue
        # The glued output: what stands before the caption (the citation line under it is added by figurelines).
        chart = list(itertools.takewhile(lambda child: not isinstance(child, nodes.caption), figure.children))
        if not chart:
            continue
        spec = specs[label]
        if _is_interactive(spec):
            figure["classes"].append("natobook-print-table")
        table = table_html(figure_title(figure), data, _spec_titles(spec, {}))
        first, last = figure.index(chart[0]), figure.index(chart[-1])
        figure.insert(
            last + 1,
            _raw(
                f'</div><div class="natobook-figure-panel natobook-figure-table" id="{label}-table" role="tabpanel" '
                f'aria-labelledby="{label}-tab-table" tabindex="0">{table}</div>'
            ),
        )
        figure.insert(
            first,
            _raw(
                tabs_html(label)
                + f'<div class="natobook-figure-panel" id="{label}-chart" role="tabpanel" aria-labelledby="{label}-tab-chart">'
            ),
        )


def setup(app: Sphinx) -> dict:
    app.add_js_file("natobook-figure-table.js")
    app.add_css_file("natobook-figure-table.css")
    app.connect("doctree-resolved", add_figure_tables)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
