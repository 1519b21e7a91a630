"""Small helpers the notebooks share: show a page's result (glue its texts, numbers and figures, write the data
behind each figure), glue text safely, and say what an edition cannot give.

What an edition cannot give. A data edition may hold only some of NATO's indicators (a press summary holds shares
of GDP only), other years than the page expects, or another price base. A page's function states what each
paragraph, caption or figure needs with `needs`, which lists what the edition lacks; `show_page` declares it, and
the paragraphs that need it give way, whole, to one note (natobook.pages.paragraphs): never a crash, a blank chart,
a wrong number or a hole in a sentence.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display
from myst_nb import glue
from pandas.io.formats.style import Styler

from natobook import paths
from natobook.analysis import indicators as ind
from natobook.analysis.profiles import in_prose
from natobook.data import indicator_registry, rounding, schema
from natobook.pages.page import Page
from natobook.pages.paragraphs import NOTE, declaration, note_phrase, note_text  # noqa: F401  (NOTE: notebooks and tests read it here)

# A page's references to glued values: {glue:text}`key:.1f`, {glue:md}`key`, ```{glue:figure} key
GLUE_ROLE = re.compile(r"\{glue(?::(\w+))?\}`([^`]+)`")
GLUE_DIRECTIVE = re.compile(r"^\s*```+\{glue(?::\w+)?\}\s+(\S+)", re.MULTILINE)
MARKDOWN_FORMATS = ("commonmark", "gfm", "myst")  # {glue:md}`key:myst`
NOT_DRAWN = "<!-- not drawn: this edition lacks its inputs; the caption says which -->"  # a lacking figure's content


def constant_prices(stem: str) -> str:
    """The pattern of `stem`'s constant-price code in any release: defexp_usd_const2015, ..._const2021."""
    return rf"{stem}_const\d{{4}}"


# What each indicator is, in the words of a note ("needs <words> for 2014"): data/indicators.yml.
INDICATOR_WORDS = indicator_registry.words_by_pattern()


def indicator_words(pattern: str) -> str:
    """The words for an indicator code or pattern in a note; the code itself when it has none."""
    return INDICATOR_WORDS.get(pattern, pattern)


def figures_folder() -> Path:
    """Where figure CSVs go: chapters/figures, or NATOBOOK_FIGURES_DIR (tests run notebooks on other data)."""
    return Path(os.environ.get("NATOBOOK_FIGURES_DIR") or paths.FIGURES)


def glue_text(name: str, text: str) -> None:
    """Glue a string for `{glue:md}`; escaped, because strings from data must never become markup."""
    glue(name, Markdown(html.escape(str(text))), display=False)


def glue_plain(name: str, text: str) -> None:
    """Glue a string for `{glue:text}` on another page (`path::name:s`): across pages glue shows text/plain
    only, never Markdown (docutils escapes the text there)."""
    glue(name, str(text), display=False)


def glue_number(name: str, value) -> None:
    """Glue a number for `{glue:text}`; numpy scalars become plain Python numbers, whose repr formats."""
    glue(name, value.item() if hasattr(value, "item") else value, display=False)


class _Table(Styler):
    """A Styler whose plain-text form is its data, not the default `<... Styler at 0x7f...>`: a memory address
    in the executed notebook would differ in every build."""

    def __repr__(self) -> str:
        return self.data.to_string(index=False)


def styled_table(frame: pd.DataFrame, name: str) -> Styler:
    """`frame.style` for a table on a page, named `name` (unique on the page): its HTML id is T_<name> where
    pandas would draw a random one (every build would differ), and every cell and header is escaped, because
    text from data (an Ally's name) must never become markup. A later `.format` of some columns replaces their
    formatting: pass escape="html" there too."""
    return (
        _Table(frame, uuid=name)
        .format(escape="html")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
    )


def save_figure_data(frame: pd.DataFrame, name: str) -> None:
    """Write the CSV behind figure `name` where its caption's download link points, each number rounded as
    NATO prints it (natobook.data.rounding): no float residue, no false precision."""
    folder = figures_folder()
    folder.mkdir(parents=True, exist_ok=True)
    rounding.as_nato_prints(frame).to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")


def show_page(page: Page) -> None:
    """Glue everything a page's function computed: texts, numbers, each figure with the CSV behind it (a figure
    the edition cannot draw is glued empty: its caption gives way to the note, see natobook.pages.paragraphs), the
    CSVs behind its tables, its HTML and its MyST; and declare what the edition lacks, for the paragraphs that
    need it, and which wording each case takes."""
    for name, text in page.texts.items():
        glue_text(name, text)
    for name, number in page.numbers.items():
        glue_number(name, number)
    for name, figure in page.figures.items():
        save_figure_data(figure.data, name)
        glue(name, figure.chart, display=False)
    for name in page.lacks:
        if name.startswith("fig-") and page.lacks[name] and name not in page.figures:
            # Markup that draws nothing but is not empty: myst-nb skips an output that renders to nothing and
            # would show the object's text/plain repr ("<IPython.core.display.Markdown object>") instead.
            glue(name, Markdown(NOT_DRAWN), display=False)
    for name, frame in page.table_data.items():
        save_figure_data(frame, name)
    for name, markup in page.html.items():
        glue(name, HTML(markup), display=False)
    for name, markup in page.markdown.items():
        glue(name, Markdown(markup), display=False)
    display(declaration(page.lacks, page.cases), raw=True)


def show_table(page: Page, name: str) -> None:
    """The table `name` where the notebook calls this; nothing where the edition cannot give it (the paragraph
    that introduces it says so: it needs `name`)."""
    if name in page.tables:
        display(page.tables[name])


# --- What an edition cannot give ---


def report_year_of(data: pd.DataFrame, requested: int | None) -> int:
    """The year a page reports on: the one asked for, else the latest year with shares of GDP, else the
    latest year the edition holds at all (an edition without shares still gets its notes, not a crash)."""
    if requested:
        return int(requested)
    shares = ind.series(data, ind.SHARE_OF_GDP)
    return int((shares if not shares.empty else data)["year"].max())


def year_label_in(data: pd.DataFrame, year: int) -> str:
    """NATO's label of `year` in this edition: '2024e' when its values for that year are estimates."""
    return ind.year_label(year, bool(data.loc[data["year"] == year, "estimate"].any()))


def spend_verb(year_label: str, plural: bool = False, already: bool = False) -> str:
    """'spent' for a year NATO reports, 'was expected to spend' / 'were expected to spend' for an estimate
    year ('2024e'): an estimate is what NATO expected, not what was spent. With `already`: 'already spent',
    'were already expected to spend'."""
    adverb = "already " if already else ""
    if not year_label.endswith("e"):
        return f"{adverb}spent"
    return f"{'were' if plural else 'was'} {adverb}expected to spend"


def needs(
    data: pd.DataFrame, indicators: Iterable[str], years: Iterable[int] = (), countries: Iterable[str] = ()
) -> list[str]:
    """What a figure or number needs and `data` lacks, one phrase per indicator: [] when it lacks nothing.

    `indicators` are codes or patterns matched in full, such as constant_prices("defexp_usd"), which
    matches any price base. Each of `years` must be held; with `countries` (names as in the data, e.g.
    "NATO Europe and Canada"), by each of them, otherwise by any row. An indicator the edition lacks
    altogether is named alone; otherwise the phrase says for whom and for which years.
    """
    years = sorted(set(years))
    missing = []
    for pattern in indicators:
        rows = data[data["indicator"].str.fullmatch(pattern)]
        if rows.empty:  # the edition lacks it altogether: no need to list countries and years
            missing.append(indicator_words(pattern))
            continue
        lacking_by_country = {}  # country (None: any) -> the years it lacks; an empty list: it lacks them all
        for country in list(countries) or [None]:
            held = rows if country is None else rows[rows["country"] == country]
            held_years = set(held["year"])
            lacking = [year for year in years if year not in held_years]
            if held.empty or lacking:
                lacking_by_country[country] = lacking
        for lacking in dict.fromkeys(map(tuple, lacking_by_country.values())):
            who = [country for country, its in lacking_by_country.items() if tuple(its) == lacking and country]
            missing.append(_phrase(pattern, who, list(lacking)))
    return missing


def _phrase(pattern: str, countries: list[str], years: list[int]) -> str:
    """'share of GDP for 2014', 'defence expenditure in USD at constant prices for NATO Total, 2014 to 2024'."""
    words = indicator_words(pattern)
    if countries:
        words += f" for {ind.names_in_words([in_prose(country) for country in countries])}"
    if years:
        words += f"{',' if countries else ' for'} {ind.year_span(years)}"
    return words


def estimate_words(data: pd.DataFrame, year: int) -> str:
    """Whether NATO marks `year`'s values in this edition as estimates, in words that follow 'year, '.
    Read from the shares of GDP where the edition has them (flags such as NATO's asterisk are no estimates)."""
    rows = data[data["year"] == year]
    shares = rows[rows["indicator"] == ind.SHARE_OF_GDP]
    flags = (shares if not shares.empty else rows)["estimate"]
    if flags.all() and not flags.empty:
        return "which NATO marks as an estimate"
    return "for which NATO marks some values as estimates" if flags.any() else "which NATO does not mark as an estimate"


def country_name(data: pd.DataFrame, iso3: str) -> str:
    """An Ally's name as the data spells it, else as natobook/data/allies.csv does, else its code."""
    names = data.loc[data["iso3"] == iso3, "country"].unique()
    if len(names):
        return str(names[0])
    listed = [ally.country for ally in schema.allies() if ally.iso3 == iso3]
    return listed[0] if listed else iso3


def referenced_glue_keys(markdown: str) -> set[str]:
    """The glue keys a page's markdown refers to in its own notebook (`{glue:...}` roles and directives);
    references to other pages (path::key) are left out."""
    keys = set()
    for kind, body in GLUE_ROLE.findall(markdown):
        key, _, spec = body.rpartition(":")
        if "::" not in body:
            keys.add(key if key and (kind == "text" or spec in MARKDOWN_FORMATS) else body)
    return keys | set(GLUE_DIRECTIVE.findall(markdown))
