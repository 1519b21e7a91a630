"""The targets page: how far each Ally stood from 2% of GDP and from The Hague's levels, in the report year.

The Hague's 5% is not all defence as NATO defines it: at least 3.5% on core defence (what NATO's tables count,
comparable with their shares of GDP) and up to 1.5% on defence- and security-related spending outside that
definition. So a gap to a target is "more spending", never "extra defence spending" as a whole.
"""

from __future__ import annotations

import pandas as pd

from natobook.analysis import indicators, target_gaps
from natobook.charts import targets as target_charts
from natobook.data import editions
from natobook.nbtools import constant_prices, needs, report_year_of, spend_verb, styled_table, year_label_in
from natobook.pages import allies_left_out
from natobook.pages import edition as editions_loaded
from natobook.pages.page import Figure, Page

GAPS = "gaps"  # the paragraphs and the table of gaps: they need every Ally's share of GDP and GDP
BASE_YEAR_UNSTATED = "base-year"  # "at constant base-year prices", where the edition holds no constant prices
NOT_ALL_DEFENCE = (
    "Above {core:g}% a target is not all defence as NATO defines it: The Hague's {hague:g}% counts up "
    "to {related:g}% of GDP of defence- and security-related spending outside that definition."
)


def page(
    data_path: str, edition: str, report_year: int | None, targets: list[float], hague_year: int, slider_target: float
) -> Page:
    data = editions_loaded.load(data_path, edition)
    report_year = report_year_of(data, report_year)
    guideline, core, hague = targets
    label = year_label_in(data, report_year)
    shown = Page(
        texts={
            "report_year_label": label,
            "spent_or_expected": spend_verb(label),
            "source_note": editions.source_note(edition, "Tables 3 and 5"),
        },
        numbers={
            "hague_year": hague_year,
            "hague_related": hague - core,
            "target_guideline": guideline,
            "target_core": core,
            "slider_min": target_charts.SLIDER_RANGE[0],
            "slider_max": target_charts.SLIDER_RANGE[1],
        },
    )
    shown.put_numbers({"target_hague": hague}, {"target_hague": "g"})
    _price_base(shown, data)
    # Printed shares of GDP (Table 3) and GDP (Table 5) in the report year; the United States is one of the groups.
    wanted = [indicators.SHARE_OF_GDP, indicators.GDP_CURRENT]
    missing = needs(data, wanted, [report_year]) + needs(data, wanted, [report_year], [indicators.UNITED_STATES])
    if shown.lack(missing, GAPS, "fig-gap-to-target", "fig-cost-of-targets"):
        return shown
    inputs = target_gaps.target_inputs(data, report_year)
    gaps = target_gaps.gaps_to_targets(inputs, targets)
    totals_bn = target_gaps.gap_totals(gaps) / 1000
    _gaps_in_prose(shown, data, report_year, inputs, totals_bn, targets)
    shown.figures["fig-gap-to-target"] = _slider_figure(inputs, gaps, targets, slider_target)
    shown.figures["fig-cost-of-targets"] = _cost_figure(totals_bn, inputs["year_label"].iloc[0], targets)
    shown.tables[GAPS] = _gap_table(gaps, targets)
    return shown


def _price_base(shown: Page, data: pd.DataFrame) -> None:
    """The base year of NATO's constant prices, read from the data's codes, never assumed; the captions say
    'constant base-year prices' where the edition holds none."""
    if needs(data, [constant_prices("defexp_usd")]):
        shown.texts["price_base_year_text"] = BASE_YEAR_UNSTATED
        return
    code = indicators.constant_price_indicator(data)
    shown.texts["price_basis"] = indicators.price_basis(code)
    shown.put_numbers({"price_base_year": int(code[-4:])}, {"price_base_year": "d"})


def _gaps_in_prose(
    shown: Page, data: pd.DataFrame, year: int, inputs: pd.DataFrame, totals_bn: pd.DataFrame, targets: list[float]
) -> None:
    guideline, core, hague = targets
    label = inputs["year_label"].iloc[0]
    top = inputs.iloc[0]
    above_core = target_gaps.allies_above(inputs, core)
    n_at_hague = int((inputs["share"] >= hague).sum())
    shown.texts["already_spent_or_expected"] = spend_verb(label, len(above_core) != 1, already=True)
    shown.texts["top_spent_or_expected"] = spend_verb(label)
    shown.texts["at_hague_spent_or_expected"] = spend_verb(label, n_at_hague != 1, already=True)
    shown.cases["allies_at_hague"] = "some" if n_at_hague else "none"
    values, specs = {}, {}
    for role, target in zip(("guideline", "core", "hague"), targets):
        for who, gap in (
            ("europe_canada", totals_bn.loc[target, indicators.EUROPE_AND_CANADA_GROUP]),
            ("us", totals_bn.loc[target, indicators.UNITED_STATES_GROUP]),
            ("all", totals_bn.loc[target].sum()),
        ):
            values[f"gap_{who}_{role}_bn"], specs[f"gap_{who}_{role}_bn"] = gap, ",.0f"
    shown.texts["allies_counted"] = allies_left_out.allies_counted(
        data, indicators.SHARE_OF_GDP, year, inputs["country"]
    )
    shown.put_numbers(
        values
        | {
            "n_allies": len(inputs),
            "n_below_guideline": int((inputs["share"] < guideline).sum()),
            "n_above_core": len(above_core),
            "allies_above_core": indicators.names_in_words(above_core) or "none",
            "n_at_or_above_hague": n_at_hague,
            "top_ally": top["country"],
            "top_ally_share": top["share"],
            "us_share": inputs.loc[inputs["group"] == indicators.UNITED_STATES_GROUP, "share"].iloc[0],
        },
        specs
        | {
            "n_allies": "d",
            "n_below_guideline": "d",
            "n_above_core": "d",
            "allies_above_core": None,
            "n_at_or_above_hague": "d",
            "top_ally": None,
            "top_ally_share": ".2f",
            "us_share": ".2f",
        },
    )


def _slider_figure(inputs: pd.DataFrame, gaps: pd.DataFrame, targets: list[float], slider_target: float) -> Figure:
    label = inputs["year_label"].iloc[0]
    slider_gaps_bn = target_gaps.gap_to_target(inputs["share"], inputs["gdp_musd"], slider_target) / 1000
    # The chart's title at the slider's starting point: the chart redraws it wherever the reader moves it.
    title = " ".join(target_charts.slider_title(label, f"{slider_target:g}", f"{slider_gaps_bn.sum():,.0f}"))
    in_group = {
        group: slider_gaps_bn[inputs["group"] == group].sum()
        for group in (indicators.EUROPE_AND_CANADA_GROUP, indicators.UNITED_STATES_GROUP)
    }
    chart = target_charts.gap_to_target_slider(
        inputs,
        slider_target,
        description=(
            f"Interactive bar chart of how much more each of {len(inputs)} Allies would have had to spend to reach a "
            f"target share of GDP, in USD billion at {label} GDP, with a slider for the target from "
            f"{target_charts.SLIDER_RANGE[0]:g}% to {target_charts.SLIDER_RANGE[1]:g}% and the totals for European "
            f"Allies and Canada and for the United States above the bars. {title}: USD "
            f"{in_group[indicators.EUROPE_AND_CANADA_GROUP]:,.0f} bn in Europe and Canada and USD "
            f"{in_group[indicators.UNITED_STATES_GROUP]:,.0f} bn in the United States. "
            + NOT_ALL_DEFENCE.format(core=targets[1], hague=targets[2], related=targets[2] - targets[1])
        ),
    )
    table = target_gaps.gap_table(gaps)
    return Figure(chart, table.rename(columns={t: f"gap_musd_at_{t:g}pct" for t in targets}))


def _cost_figure(totals_bn: pd.DataFrame, label: str, targets: list[float]) -> Figure:
    guideline, core, hague = targets
    totals_long = totals_bn.stack().rename("gap_bn").reset_index()
    title = (
        f"Reaching {guideline:g}% of GDP would have taken USD {totals_bn.loc[guideline].sum():,.0f} bn more a "
        f"year, the Hague core {core:g}% USD {totals_bn.loc[core].sum():,.0f} bn"
    )
    chart = target_charts.cost_of_targets(
        totals_long,
        label,
        title=title,
        description=(
            f"Stacked bar chart of how much more a year the Allies below each level would have had to spend to reach "
            f"{indicators.names_in_words([f'{t:g}%' for t in targets])} of GDP at {label} GDP, split between European "
            f"Allies and Canada and the United States. {title}; {hague:g}% USD {totals_bn.loc[hague].sum():,.0f} bn. "
            + NOT_ALL_DEFENCE.format(core=core, hague=hague, related=hague - core)
        ),
    )
    return Figure(chart, totals_long)


def _gap_table(gaps: pd.DataFrame, targets: list[float]):
    table = target_gaps.gap_table(gaps)
    label = table["year_label"].iloc[0]
    shown = table.rename(
        columns={"country": "Ally", "share": f"Defence, % of GDP ({label})", "gdp_musd": f"GDP {label}, USD bn"}
        | {t: f"Gap to {t:g}%, USD bn" for t in targets}
    )
    shown = shown.drop(columns=["group", "year_label"])
    usd_bn_columns = [column for column in shown.columns if column.endswith("USD bn")]
    shown[usd_bn_columns] = shown[usd_bn_columns] / 1000
    return (
        styled_table(shown, "gaps")
        .hide(axis="index")
        .format({column: "{:,.1f}" for column in usd_bn_columns} | {shown.columns[1]: "{:.2f}"}, escape="html")
        .set_caption(
            f"How much more each Ally would have had to spend a year to reach each target, USD billion "
            f"at current prices, {label}"
        )
    )
