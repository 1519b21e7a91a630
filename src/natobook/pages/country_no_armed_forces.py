"""The short page of an Ally without armed forces (Iceland): why it has no spending, and the GDP NATO lists."""

from __future__ import annotations

from natobook.analysis import indicators, profiles
from natobook.data import editions
from natobook.nbtools import country_name, needs, report_year_of, year_label_in
from natobook.pages.edition import load
from natobook.pages.page import Page


def page(data_path, edition: str, report_year: int | None, iso3: str) -> Page:
    data = load(data_path, edition)
    report_year = report_year_of(data, report_year)
    country = country_name(data, iso3)
    n_reporting = len(profiles.allies_reporting(data))
    shown = Page(
        texts={
            "country": country,
            "country_in_prose": profiles.in_prose(country),
            "report_year_label": year_label_in(data, report_year),
            "source_note_t5": editions.source_note(edition, "Table 5"),
        },
        numbers={"n_reporting": n_reporting},
        lacks={
            "gdp": needs(data, [indicators.GDP_CURRENT], [report_year], countries=[country]),
            "reporting": [] if n_reporting else ["defence expenditure of any Ally"],
        },
    )
    if not shown.lacking("gdp"):
        shown.numbers["gdp_latest_musd"] = indicators.value_of(data, country, indicators.GDP_CURRENT, report_year)
    return shown
