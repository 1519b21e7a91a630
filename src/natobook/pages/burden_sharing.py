"""The burden-sharing page: the United States' share of the Allies' spending and GDP beside Europe's and Canada's,
on both price bases, checked against what the Annual Report printed; and spending per head."""

from __future__ import annotations

import pandas as pd

from natobook.analysis import indicators, recompute
from natobook.analysis import reproduction as checks
from natobook.charts import burden
from natobook.data import editions, printed
from natobook.nbtools import constant_prices, needs, report_year_of, spend_verb, year_label_in
from natobook.pages import edition as editions_loaded
from natobook.pages.page import Figure, Page

US, EC = indicators.UNITED_STATES_GROUP, indicators.EUROPE_AND_CANADA_GROUP
CHECKED = ["AR24_US_DEF", "AR24_US_GDP"]  # the report's two US shares, checked on this page
SHARES_SPECS = {
    "price_basis": None,
    "gdp_price_basis": None,
    "us_def_share_const": ".1f",
    "us_def_share_current": ".1f",
    "ec_def_share_const": ".1f",
    "ec_def_share_current": ".1f",
    "us_gdp_share_current": ".1f",
    "us_gdp_share_const": ".1f",
    "us_def_matching_basis": None,
    "us_gdp_matching_basis": None,
}
PER_HEAD_SPECS = {
    "per_head_price_basis": None,
    "us_per_head": ",.0f",
    "ec_per_head": ",.0f",
    "per_head_ratio_latest": ".1f",
    "per_head_ratio_first": ".1f",
    "per_head_ratio_direction": None,
}


def page(data_path: str, edition: str, report_year: int | None, first_year: int, published_path: str) -> Page:
    data = editions_loaded.load(data_path, edition)
    report_year = report_year_of(data, report_year)
    label = year_label_in(data, report_year)
    facts = printed.read_facts(published_path)
    checked = facts[facts["fact_id"].isin(CHECKED)]
    shown = Page(
        texts={
            "source_note": editions.source_note(edition, "Tables 2 and 5"),
            "source_note_per_head": editions.source_note(edition, "Table 6"),
            "report_year_label": label,
            "spent_or_expected": spend_verb(label),
        },
        numbers={
            "printed_us_def_share": checked.set_index("fact_id").loc["AR24_US_DEF", "value"],
            "printed_us_gdp_share": checked.set_index("fact_id").loc["AR24_US_GDP", "value"],
            "first_year": first_year,
        },
    )
    _shares(shown, data, edition, report_year, label, checked, first_year)
    _per_head(shown, data, report_year, label, first_year)
    return shown.lacking_everywhere()


def _shares(
    shown: Page, data: pd.DataFrame, edition: str, year: int, label: str, checked: pd.DataFrame, first_year: int
) -> None:
    """Shares of NATO Total: the two groups' and the total's spending and GDP, at constant and at current prices."""
    missing = needs(
        data,
        [constant_prices("defexp_usd"), "defexp_usd_current", constant_prices("gdp_usd"), indicators.GDP_CURRENT],
        [year],
        countries=[indicators.UNITED_STATES, indicators.EUROPE_AND_CANADA, indicators.NATO_TOTAL],
    )
    if shown.lack(missing, "shares", "fig-burden-shares"):
        return
    spending_constant = indicators.constant_price_indicator(data, "defexp_usd")
    gdp_constant = indicators.constant_price_indicator(data, "gdp_usd")
    price_basis = indicators.price_basis(spending_constant)
    measures = {  # indicator -> row of the figure
        spending_constant: f"Defence expenditure, {price_basis}",
        "defexp_usd_current": "Defence expenditure, current prices",
        gdp_constant: f"GDP, {indicators.price_basis(gdp_constant)}",
        "gdp_usd_current": "GDP, current prices",
    }
    shares = indicators.group_shares(data, list(measures), year)
    shares = shares.assign(measure=shares["indicator"].map(measures), year=year)

    def share(group: str, indicator: str) -> float:
        return shares.loc[(shares["group"] == group) & (shares["indicator"] == indicator), "share"].iloc[0]

    # Which of our price bases reproduces what the Annual Report printed (the reproduction check judges it).
    bases = {name: editions.describe(name)["price_base_year"] for name in {edition, *checked["printed_edition"]}}
    verdicts = checks.compare(checked, recompute.computed_values(checked, {edition: data}, first_year, 2.0), bases)
    shown.put_numbers(
        {
            "price_basis": price_basis,
            "gdp_price_basis": indicators.price_basis(gdp_constant),
            "us_def_share_const": share(US, spending_constant),
            "us_def_share_current": share(US, "defexp_usd_current"),
            "ec_def_share_const": share(EC, spending_constant),
            "ec_def_share_current": share(EC, "defexp_usd_current"),
            "us_gdp_share_current": share(US, "gdp_usd_current"),
            "us_gdp_share_const": share(US, gdp_constant),
            "us_def_matching_basis": checks.matching_basis(verdicts, "AR24_US_DEF"),
            "us_gdp_matching_basis": checks.matching_basis(verdicts, "AR24_US_GDP"),
        },
        SHARES_SPECS,
    )
    us_spending, us_gdp = share(US, spending_constant), share(US, "gdp_usd_current")
    title = (
        f"The United States accounts for {us_spending:.0f}% of the Allies' defence spending ({price_basis}) "
        f"and {us_gdp:.0f}% of their GDP (current prices) in {label}"
    )
    chart = burden.group_shares(
        shares,
        title=title,
        description=(
            f"Stacked bars of the shares of the United States and of European Allies and Canada in the Allies' "
            f"combined defence expenditure and GDP in {label}, at {price_basis} and at current prices. "
            f"{title}. At current prices the US share of defence spending is {share(US, 'defexp_usd_current'):.1f}%."
        ),
    )
    shown.figures["fig-burden-shares"] = Figure(
        chart, shares[["year", "measure", "indicator", "price_basis", "group", "share"]]
    )


def _per_head(shown: Page, data: pd.DataFrame, year: int, label: str, first_year: int) -> None:
    years = list(range(first_year, year + 1))
    missing = needs(
        data,
        [constant_prices("defexp_per_capita")],
        years,
        countries=[indicators.UNITED_STATES, indicators.EUROPE_AND_CANADA],
    )
    if shown.lack(missing, "per_head", "fig-spending-per-head"):
        return
    code = indicators.constant_price_indicator(data, "defexp_per_capita")
    basis = indicators.price_basis(code)
    per_head = pd.concat(
        [
            indicators.country_series(data, country, code, years).assign(group=group)
            for group, country in ((US, indicators.UNITED_STATES), (EC, indicators.EUROPE_AND_CANADA))
        ],
        ignore_index=True,
    )
    per_head["unit"] = f"USD per head, {basis} and exchange rates"
    by_group = per_head.pivot(index="year", columns="group", values="value")
    ratio = by_group[US] / by_group[EC]
    shown.put_numbers(
        {
            "per_head_price_basis": basis,
            "us_per_head": by_group[US].iloc[-1],
            "ec_per_head": by_group[EC].iloc[-1],
            "per_head_ratio_latest": ratio.iloc[-1],
            "per_head_ratio_first": ratio.iloc[0],
            "per_head_ratio_direction": "down" if ratio.iloc[-1] < ratio.iloc[0] else "up",
        },
        PER_HEAD_SPECS,
    )
    verb = "spends" if not label.endswith("e") else spend_verb(label)  # an estimate is what NATO expected
    title = (
        f"Per head, the United States {verb} {ratio.iloc[-1]:.1f} times as much on defence as European Allies "
        f"and Canada in {label}, against {ratio.iloc[0]:.1f} times in {first_year}"
    )
    shown.draw(
        "fig-spending-per-head",
        burden.spending_per_head,
        per_head,
        basis,
        title=title,
        description=(
            f"Line chart of defence expenditure per head, USD at {basis}, {first_year} to {label}, for the United "
            f"States and for European Allies and Canada. {title}. In {label}: United States USD "
            f"{by_group[US].iloc[-1]:,.0f}, European Allies and Canada USD {by_group[EC].iloc[-1]:,.0f}."
        ),
    )
