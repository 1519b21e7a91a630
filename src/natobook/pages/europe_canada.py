"""The Europe-and-Canada chapter: what European Allies and Canada spend, how fast it grows, and how much more they
put into defence than at the first year's level, beside what the Annual Report 2024 printed."""

from __future__ import annotations

import pandas as pd

from natobook.analysis import indicators
from natobook.charts import spending
from natobook.data import editions, printed, schema
from natobook.nbtools import constant_prices, needs, report_year_of, spend_verb, year_label_in
from natobook.pages.edition import load
from natobook.pages.page import Page

EC = indicators.EUROPE_AND_CANADA
CONSTANT = constant_prices("defexp_usd")
# The page rests on NATO's aggregate for European Allies and Canada, every year from first_year to the report year.
SERIES = [CONSTANT, indicators.REAL_CHANGE, "defexp_usd_current"]


def page(data_path, edition: str, report_year: int | None, first_year: int, published_path) -> Page:
    data = load(data_path, edition)
    report_year = report_year_of(data, report_year)
    facts = printed.read_facts(published_path).set_index("fact_id")
    report_edition = facts.loc["AR24_EXTRA700", "printed_edition"]
    label = year_label_in(data, report_year)
    later_members = [a for a in schema.allies() if a.joined > first_year and a.has_armed_forces]
    shown = Page(
        texts={
            "source_note": editions.source_note(edition, "Tables 2 and 3"),
            "report_year_label": label,
            "spent_or_expected": spend_verb(label, plural=True),
            "previous_year_label": year_label_in(data, report_year - 1),
            "later_members": indicators.names_in_words([f"{a.country} ({a.joined})" for a in later_members]),
            "edition_published": editions.edition_label(edition),
        },
        # What the Annual Report printed (data/published/annual_report_2024.csv), quoted beside our numbers.
        numbers={
            "first_year": first_year,
            "printed_real_change": facts.loc["AR24_EC_REAL", "value"],
            "printed_years_of_increase": facts.loc["AR24_CONSEC", "value"],
            "printed_extra_bn": facts.loc["AR24_EXTRA700", "value"],
            "report_price_base_year": editions.describe(report_edition)["price_base_year"],
            "printed_year": int(facts.loc["AR24_EC_REAL", "year"]),
            "report_published_year": editions.describe(report_edition)["published"].year,
        },
        lacks={
            "latest": needs(data, SERIES, [report_year], countries=[EC]),
            "series": needs(data, SERIES, range(first_year, report_year + 1), countries=[EC]),
        },
    )
    shown.lacks |= {
        "fig-europe-canada-spending": shown.lacking("series"),
        "fig-europe-canada-extra-spending": shown.lacking("series"),
    }
    if not shown.lacking("latest"):
        _latest(shown, data, report_year)
    if not shown.lacking("series"):
        _spending(shown, data, edition, report_year, first_year, later_members, facts)
    return shown


def _latest(shown: Page, data: pd.DataFrame, report_year: int) -> None:
    """The report year's spending, at constant and at current prices, and its real change (USD billion: the
    tables are in million)."""
    constant = indicators.constant_price_indicator(data)
    shown.texts["price_basis"] = indicators.price_basis(constant)
    shown.numbers |= {
        "price_base_year": int(constant[-4:]),
        "ec_spending_latest_bn": indicators.value_of(data, EC, constant, report_year) / 1000,
        "ec_spending_latest_current_bn": indicators.value_of(data, EC, "defexp_usd_current", report_year) / 1000,
        "ec_real_change_latest": indicators.value_of(data, EC, indicators.REAL_CHANGE, report_year),
    }


def _spending(
    shown: Page, data: pd.DataFrame, edition: str, report_year: int, first_year: int, later_members, facts: pd.DataFrame
) -> None:
    years = list(range(first_year, report_year + 1))
    label = shown.texts["report_year_label"]
    constant = indicators.constant_price_indicator(data)
    basis = indicators.price_basis(constant)
    levels = indicators.country_series(data, EC, constant, years)
    changes = indicators.country_series(data, EC, indicators.REAL_CHANGE, years)
    current = indicators.country_series(data, EC, "defexp_usd_current", years)
    # USD billion (the tables are in million), with the real change NATO prints beside each year.
    spending_bn = levels.assign(
        value=levels["value"] / 1000,
        current=current["value"].to_numpy() / 1000,
        real_change=changes["value"].to_numpy(),
        unit=f"USD billion, {basis} and exchange rates (current: USD billion, current prices)",
    )
    extra = indicators.extra_over_base_year(spending_bn[["year", "year_label", "estimate", "value"]], first_year)
    extra["unit"] = f"USD billion, {basis} and exchange rates"
    streak = indicators.consecutive_years_of_increase(changes)
    first, latest = spending_bn.iloc[0], spending_bn.iloc[-1]
    joined = {a.country: a.joined for a in later_members}
    # Like for like: the same Allies in both years, without those that joined after first_year (NATO's aggregate
    # counts each from its accession, so its rise includes what they brought).
    joined_since_bn = indicators.spending_of_later_members(data, constant, first_year, [report_year], joined) / 1000
    estimate_years = indicators.names_in_words(spending_bn.loc[spending_bn["estimate"], "year_label"].tolist())
    shown.numbers |= {
        "ec_spending_first_bn": first["value"],
        "ec_real_growth_since_first_pct": 100 * (latest["value"] / first["value"] - 1),
        "ec_like_for_like_growth_pct": 100 * ((latest["value"] - joined_since_bn) / first["value"] - 1),
        "ec_increase_since": report_year - streak + 1,
        "ec_extra_cumulative_bn": extra["cumulative"].iloc[-1],
        "ec_extra_latest_bn": extra["extra"].iloc[-1],
        "ec_extra_enlargement_bn": indicators.spending_of_later_members(
            data, constant, first_year, extra["year"].tolist(), joined
        )
        / 1000,
    }
    shown.texts |= {
        "extra_years": f"{extra['year_label'].iloc[0]} to {label}",
        "estimate_years": estimate_years,
    }
    _beside_the_report(shown, edition, facts, streak, latest["real_change"])
    title = (
        f"European Allies and Canada raised real defence spending {streak} years in a row, "
        f"by {latest['real_change']:.1f}% in {label}"
    )
    shown.draw(
        "fig-europe-canada-spending",
        spending.europe_canada_spending,
        spending_bn,
        basis,
        title=title,
        description=(
            f"Bar chart of the defence expenditure of European Allies and Canada, USD billion at {basis}, "
            f"{first_year} to {label}, with the annual real change above each bar. {title}. Spending rose "
            f"from USD {first['value']:,.0f} billion in {first_year} to USD {latest['value']:,.0f} billion "
            f"in {label}."
        ),
    )
    cumulative = extra["cumulative"].iloc[-1]
    title = (
        f"European Allies and Canada put USD {cumulative:,.0f} billion more into defence over "
        f"{extra['year_label'].iloc[0]}–{label} than at their {first_year} level"
    )
    shown.draw(
        "fig-europe-canada-extra-spending",
        spending.extra_spending_over_base,
        extra,
        str(first_year),
        basis,
        title=title,
        description=(
            f"Bar chart of the defence spending of European Allies and Canada above its {first_year} level "
            f"in each year from {extra['year_label'].iloc[0]} to {label}, USD billion at {basis}, with a "
            f"line for the running total. {title}. In {label} alone the extra was USD "
            f"{extra['extra'].iloc[-1]:,.0f} billion."
        ),
    )


def _beside_the_report(shown: Page, edition: str, facts: pd.DataFrame, streak: int, real_change: float) -> None:
    """Whether our run and growth rate are the report's, worked out, not assumed; and how its edition differs (the
    wording of each case is in the notebook)."""
    report_relation = editions.later_or_earlier(facts.loc["AR24_EXTRA700", "printed_edition"], edition)
    shown.texts["report_relation"] = report_relation
    shown.put_numbers({"ec_years_of_increase": streak}, {"ec_years_of_increase": "d"})
    shown.cases |= {
        "run_of_increase": "same" if streak == facts.loc["AR24_CONSEC", "value"] else "other",
        "growth_rate": "same" if round(real_change, 1) == facts.loc["AR24_EC_REAL", "value"] else "differs",
        "report_edition": "later" if report_relation == "a later" else "not later",
    }
