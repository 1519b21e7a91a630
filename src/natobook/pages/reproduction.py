"""The reproduction page: each number the Annual Report 2024 printed beside what each data edition gives, the
verdicts counted apart for NATO's own texts and the press's renderings, and how the estimates were revised."""

from __future__ import annotations

import pandas as pd

from natobook.analysis import indicators, key_figures, recompute, reproduction_table
from natobook.analysis import reproduction as checks
from natobook.data import editions, printed
from natobook.nbtools import constant_prices, needs, styled_table
from natobook.pages import edition as editions_loaded
from natobook.pages import revisions
from natobook.pages.page import Page

US, EC, TOTAL = indicators.UNITED_STATES, indicators.EUROPE_AND_CANADA, indicators.NATO_TOTAL
DEFENCE, GDP = constant_prices("defexp_usd"), constant_prices("gdp_usd")
UNSTATED_BASIS = "prices this edition does not state"  # the shares' basis where the edition holds no constant prices

# Each number this edition gives: key -> (fact, price basis, format, the paragraph that shows it).
OURS = {
    "edition_n_at_guideline": ("AR24_N2PCT", "", "d", "guideline"),
    "edition_ec_real_change": ("AR24_EC_REAL", "constant", ".2f", "real_growth"),
    "edition_us_def_share_const": ("AR24_US_DEF", "constant", ".1f", "us_def"),
    "edition_us_def_share_current": ("AR24_US_DEF", "current prices", ".1f", "us_def"),
    "edition_us_gdp_share_current": ("AR24_US_GDP", "current prices", ".1f", "us_gdp"),
    "edition_us_gdp_share_const": ("AR24_US_GDP", "constant", ".1f", "us_gdp"),
    "edition_ec_usd_current_bn": ("AR24_EC_USD", "current prices", ",.1f", "ec_usd"),
    "edition_ec_usd_const_bn": ("AR24_EC_USD", "constant", ",.1f", "ec_usd"),
    "edition_extra_bn": ("AR24_EXTRA700", "constant", ",.0f", "extra"),
    "edition_years_of_increase": ("AR24_CONSEC", "", "d", "increase"),
}
PRINTED = {
    "printed_n_at_guideline": "AR24_N2PCT",
    "printed_ec_real_change": "AR24_EC_REAL",
    "printed_us_def_share": "AR24_US_DEF",
    "printed_us_gdp_share": "AR24_US_GDP",
    "printed_ec_usd_bn": "AR24_EC_USD",
    "printed_ec_usd_tass_bn": "AR24_EC_TASS",
    "printed_extra_bn": "AR24_EXTRA700",
    "printed_years_of_increase": "AR24_CONSEC",
}
VERDICT_NUMBERS = {"printed_us_def_share": ".0f", "printed_us_gdp_share": ".0f", "report_price_base_year": "d"}
# How the report's national figures stand to this edition's, as an adjective (editions.later_or_earlier).
FIGURES_RELATION = {"a later": "later", "an earlier": "earlier", "another": "other"}
TABLE_STYLES = [
    {"selector": "", "props": "font-size: 0.8em; line-height: 1.3;"},
    {"selector": "td, th", "props": "padding: 0.2em 0.4em; vertical-align: top;"},
    {"selector": "td:nth-child(8)", "props": "white-space: nowrap;"},  # the status mark and its word on one line
]
TABLES = {"reproduction": printed.BY_NATO, "press-renderings": printed.PRESS_RENDERING}  # table -> origin of its rows


def page(
    data_path: str,
    edition: str,
    report_data_path: str,
    report_raw_path: str,
    report_edition: str,
    published_path: str,
    first_year: int,
    guideline: float,
) -> Page:
    """The page; its tables: every check, in two parts (NATO's numbers, the press's renderings), both in one CSV;
    and the landing page's strip of key figures (`landing_key_figures`, HTML pasted by the landing page)."""
    data = editions_loaded.load(data_path, edition)
    report_data = editions_loaded.load(report_data_path, report_edition)
    frames = {edition: data, report_edition: report_data}
    facts = printed.read_facts(published_path)
    price_base_years = {
        name: editions.describe(name)["price_base_year"] for name in {*frames, *facts["printed_edition"]}
    }
    # An edition data/editions.yml does not describe is named once, on the landing page's prose: here "this edition".
    own = f"NATO's {editions.edition_label(edition)} data" if editions.is_described(edition) else "this edition's data"
    names = {edition: own, report_edition: "the report's per-Ally list"}
    table = checks.compare(
        facts, recompute.computed_values(facts, frames, first_year, guideline), price_base_years, names
    )
    verdicts = checks.fact_verdicts(table, names)
    shown = Page(
        table_data={"tab-reproduction": table},
        html={
            "landing_key_figures": key_figures.key_figures_html(
                key_figures.key_figure_cards(table, verdicts, edition, names)
            )
        },
    )
    for name, origin in TABLES.items():
        rows = reproduction_table.display_table(table[table["origin"] == origin], printed.SOURCE_NAMES, names)
        shown.tables[name] = styled_table(rows, name).hide(axis="index").set_table_styles(TABLE_STYLES)
    _counts(shown, verdicts, facts)
    year = int(facts.set_index("fact_id").loc["AR24_N2PCT", "year"])  # the year the report's numbers are for
    _editions(shown, edition, report_edition, price_base_years, year, guideline, first_year)
    shown.numbers |= {key: facts.set_index("fact_id").loc[fact_id, "value"] for key, fact_id in PRINTED.items()}
    # The numbers inside a verdict's words, also as text for {glue:md}: plain in the sentence, as the words around
    # them, where {glue:text} would set each in a span of its own.
    shown.put_numbers(shown.numbers, VERDICT_NUMBERS)
    shown.numbers["report_n_at_guideline"] = int(checks.verdict(table, "AR24_N2PCT", report_edition)["computed"])
    basis = _constant_basis(shown, data)
    statuses = _headlines(shown, table, data, edition, year, first_year, basis)
    _verdicts(shown, table, edition, statuses, basis, editions.later_or_earlier(report_edition, edition))
    revisions.section(shown, data, report_data, report_raw_path, edition, report_edition, guideline, basis)
    return shown


def _counts(shown: Page, verdicts: pd.DataFrame, facts: pd.DataFrame) -> None:
    """The verdicts counted apart: what NATO printed, and the press's renderings of it (TASS, Infodefensa)."""
    by_nato = verdicts[verdicts["origin"] == printed.BY_NATO]
    press = verdicts[verdicts["origin"] == printed.PRESS_RENDERING]
    shown.numbers |= {"n_nato": len(by_nato), "n_press": len(press)}
    for origin, rows in (("nato", by_nato), ("press", press)):
        for word in checks.VERDICTS:
            shown.numbers[f"n_{origin}_{word.replace(' ', '_')}"] = int((rows["verdict"] == word).sum())
    not_printed = by_nato.loc[by_nato["verdict"] == checks.NOT_PRINTED, "fact_id"]
    statements = facts.set_index("fact_id").loc[not_printed, "statement"].tolist()
    shown.texts["not_printed_statements"] = indicators.names_in_words(statements) or "none"
    outlets = facts.loc[facts["origin"] == printed.PRESS_RENDERING, "source_id"].map(printed.SOURCE_NAMES).unique()
    shown.texts["press_outlets"] = indicators.names_in_words(sorted(outlets))


def _editions(
    shown: Page, edition: str, report_edition: str, price_base_years: dict, year: int, guideline: float, first_year: int
) -> None:
    shown.texts |= {
        "edition": edition,
        "edition_name": f"NATO's {editions.estimate_name(edition)}",
        "report_edition": report_edition,
        "edition_published": editions.edition_label(edition),
        "source_note": editions.source_note(edition, editions.describe(edition)["share_of_gdp_table"]),
        "report_source_note": _report_list_source(report_edition),
    }
    shown.numbers |= {
        "report_price_base_year": price_base_years[report_edition],
        "report_published_year": editions.describe(report_edition)["published"].year,
        "printed_year": year,
        "guideline": guideline,
        "first_year": first_year,
    }


def _report_list_source(report_edition: str) -> str:
    """What the report's per-Ally list is: the press's quotation of it, from the report (not a NATO file or title)."""
    entry = editions.describe(report_edition)
    if not editions.is_described(report_edition):
        return editions.source_note(report_edition, entry["share_of_gdp_table"])
    return (
        f"{entry['share_of_gdp_table']}, from the {entry['reference']} ({entry['producer']}, published "
        f"{entry['published']:%d %B %Y})"
    )


def _constant_basis(shown: Page, data: pd.DataFrame) -> str:
    """'constant 2015 prices', read from the edition's constant-price code; '' where it holds none."""
    if needs(data, [DEFENCE]):
        shown.texts["constant_basis"] = UNSTATED_BASIS
        return ""
    shown.texts["constant_basis"] = indicators.price_basis(indicators.constant_price_indicator(data))
    return shown.texts["constant_basis"]


def _headlines(
    shown: Page, table: pd.DataFrame, data: pd.DataFrame, edition: str, year: int, first_year: int, basis: str
) -> dict[str, str]:
    """Each of OURS on the page, or its paragraph declared lacking; returns the verdict (status) of each."""
    wanted = {
        "edition_n_at_guideline": needs(data, [indicators.SHARE_OF_GDP], [year]),
        "edition_ec_real_change": needs(data, [indicators.REAL_CHANGE], [year], [EC]),
        "edition_us_def_share_const": needs(data, [DEFENCE], [year], [US, TOTAL]),
        "edition_us_def_share_current": needs(data, ["defexp_usd_current"], [year], [US, TOTAL]),
        "edition_us_gdp_share_current": needs(data, [indicators.GDP_CURRENT], [year], [US, TOTAL]),
        "edition_us_gdp_share_const": needs(data, [GDP], [year], [US, TOTAL]),
        "edition_ec_usd_current_bn": needs(data, ["defexp_usd_current"], [year], [EC]),
        "edition_ec_usd_const_bn": needs(data, [DEFENCE], [year], [EC]),
        "edition_extra_bn": needs(data, [DEFENCE], range(first_year, year + 1), [EC]),
        "edition_years_of_increase": needs(data, [indicators.REAL_CHANGE], [year], [EC]),
    }
    statuses = {}
    for key, (fact_id, price, spec, paragraph) in OURS.items():
        if shown.lack(wanted[key], paragraph):
            statuses[key] = checks.NOT_COMPUTABLE
            continue
        row = checks.verdict(table, fact_id, edition, basis if price == "constant" else price)
        shown.put_numbers({key: int(row["computed"]) if spec == "d" else row["computed"]}, {key: spec})
        statuses[key] = row["status"]
    for fact_id, key in (("AR24_US_DEF", "us_def_matching_basis"), ("AR24_US_GDP", "us_gdp_matching_basis")):
        shown.texts[key] = checks.matching_basis(table, fact_id)
    return statuses


def _verdicts(
    shown: Page, table: pd.DataFrame, edition: str, statuses: dict[str, str], basis: str, relation: str
) -> None:
    """Which wording each headline's verdict takes (the wordings are the notebook's markdown): worked out, not
    written in. `relation` places the report's data edition beside this one: 'a later', 'an earlier' or 'another'
    (an edition data/editions.yml does not date)."""
    money = {statuses["edition_ec_usd_current_bn"], statuses["edition_ec_usd_const_bn"]}
    shown.cases |= {
        "ec_real_change": statuses["edition_ec_real_change"],
        "us_bases": _us_bases(shown, table, edition),
        "ec_usd": min(money, key=checks.STATUSES.index),  # one of the two reproduced is enough
        "extra": statuses["edition_extra_bn"],
        "increase": statuses["edition_years_of_increase"],
    }
    shown.texts["report_edition_relation"] = relation  # "comes from a later data edition"
    shown.texts["report_figures_relation"] = FIGURES_RELATION[relation]  # "rests on later national figures"
    # An edition without constant prices in USD may still give a real change, at constant prices it does not name.
    shown.texts["real_change_basis"] = basis or "constant prices"


def _us_bases(shown: Page, table: pd.DataFrame, edition: str) -> str:
    """'different' when the two US shares the report gives side by side each match, but on different price bases
    only (the page then sets both on one basis); 'not different' otherwise, or when either share is lacking."""
    if any(shown.lacking(name) for name in ("us_def", "us_gdp")):
        return "not different"
    matched = {
        fact_id: set(
            table.loc[
                (table["fact_id"] == fact_id) & (table["edition"] == edition) & (table["status"] == checks.REPRODUCED),
                "basis",
            ]
        )
        for fact_id in ("AR24_US_DEF", "AR24_US_GDP")
    }
    apart = matched["AR24_US_DEF"] and matched["AR24_US_GDP"] and not matched["AR24_US_DEF"] & matched["AR24_US_GDP"]
    return "different" if apart else "not different"
