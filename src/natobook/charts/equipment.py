"""Figures of what defence money buys: equipment against the 20% guideline, and the four-way split."""

from __future__ import annotations

import altair as alt
import pandas as pd

from natobook.charts.style import (
    GUIDELINE_COLOUR,
    GUIDELINE_TEXT_COLOUR,
    PALETTE,
    WIDTH,
    estimate_marking,
    estimated_series_symbols,
    with_figure_kind,
)

SHARE_FORMAT = ".2f"  # NATO prints Tables 8a/8b to two decimals
# A share of the same year's spending: Table 8 states no price basis because it needs none.
SHARE_AXIS = "% of total defence expenditure"
# Equipment keeps the house blue it has in every figure; "Other" is a residual, so the quiet grey.
CATEGORY_COLOURS = {
    "Equipment": PALETTE["blue"],
    "Personnel": PALETTE["orange"],
    "Infrastructure": PALETTE["green"],
    "Other": PALETTE["grey"],
}


def guideline_rule(guideline: float, label: str) -> alt.LayerChart:
    """A dashed vertical rule at the guideline with its label on top, in the house guideline colour."""
    data = pd.DataFrame({"guideline": [guideline], "label": [label]})
    rule = alt.Chart(data).mark_rule(color=GUIDELINE_COLOUR, strokeDash=[6, 4], size=2).encode(x="guideline:Q")
    text = (
        alt.Chart(data)
        .mark_text(color=GUIDELINE_TEXT_COLOUR, align="left", dx=4, dy=-6, baseline="bottom", fontWeight="bold")
        .encode(x="guideline:Q", y=alt.value(0), text="label:N")
    )
    return rule + text


def equipment_share_by_ally(shares: pd.DataFrame, guideline: float, title: str, description: str) -> alt.LayerChart:
    """Bars: each Ally's equipment share in the latest year; ticks: the same in the first year; the guideline rule.

    `shares` has country, year, year_label, value (see indicators.values_by_year), two years.
    """
    first, latest = shares["year"].min(), shares["year"].max()
    labels = [shares.loc[shares["year"] == y, "year_label"].iloc[0] for y in (first, latest)]
    order = shares[shares["year"] == latest].sort_values("value", ascending=False)["country"].tolist()
    y = alt.Y("country:N", sort=order, title=None)
    years = alt.Scale(domain=labels, range=[PALETTE["black"], PALETTE["blue"]])
    colour = alt.Color(
        "year_label:N",
        title="Year (e = NATO estimate)",
        scale=years,
        legend=alt.Legend(symbolType="square", symbolStrokeWidth=1.5, **estimated_series_symbols(shares, "year_label")),
    )
    tooltip = [
        alt.Tooltip("country:N", title="Ally"),
        alt.Tooltip("year_label:N", title="Year"),
        alt.Tooltip("value:Q", title="Equipment, % of defence expenditure", format=SHARE_FORMAT),
    ]
    # NATO's estimates open with a dashed outline in their year's colour, as in every chart (style.estimate_marking);
    # the year's legend draws its symbol so.
    base = alt.Chart(with_figure_kind(shares)).encode(
        y=y,
        color=colour,
        stroke=alt.Stroke("year_label:N", scale=years),
        tooltip=tooltip,
        **estimate_marking(legend=False),
    )
    x = alt.X("value:Q", title=f"Equipment expenditure, {SHARE_AXIS} (NATO Table 8a)")
    bars = (
        base.transform_filter(alt.datum.year == int(latest)).mark_bar(height={"band": 0.7}, strokeWidth=1.5).encode(x=x)
    )
    ticks = (
        base.transform_filter(alt.datum.year == int(first)).mark_tick(thickness=3, size=14, strokeWidth=1.5).encode(x=x)
    )
    return alt.layer(bars, ticks, guideline_rule(guideline, f"{guideline:g}% guideline")).properties(
        width=WIDTH, height=alt.Step(16), title=title, description=description
    )


def spending_split_by_ally(split: pd.DataFrame, guideline: float, title: str, description: str) -> alt.LayerChart:
    """Stacked bars: equipment, personnel, infrastructure and other as % of each Ally's defence spending.

    Sorted by equipment share, which starts every bar, so the equipment guideline rule reads directly.
    `split` is indicators.spending_split for one year.
    """
    categories = list(CATEGORY_COLOURS)
    order = split[split["category"] == categories[0]].sort_values("value", ascending=False)["country"].tolist()
    label = split["year_label"].iloc[0]
    spent_on = alt.Scale(domain=categories, range=list(CATEGORY_COLOURS.values()))
    bars = (
        alt.Chart(with_figure_kind(split))
        .transform_calculate(stack_order=f"indexof({categories!r}, datum.category)")
        .mark_bar(strokeWidth=1.5)
        .encode(**estimate_marking())  # an estimate year's bars open, as in every chart
        .encode(
            y=alt.Y("country:N", sort=order, title=None),
            x=alt.X(
                "value:Q",
                stack="zero",
                title=f"{label}, {SHARE_AXIS} (NATO Tables 8a and 8b)",
                scale=alt.Scale(domain=[0, 100]),
            ),
            color=alt.Color("category:N", title="Spent on", sort=categories, scale=spent_on),
            stroke=alt.Stroke("category:N", sort=categories, scale=spent_on),
            order=alt.Order("stack_order:Q"),
            tooltip=[
                alt.Tooltip("country:N", title="Ally"),
                alt.Tooltip("year_label:N", title="Year"),
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("value:Q", title="% of defence expenditure", format=SHARE_FORMAT),
            ],
        )
    )
    rule = guideline_rule(guideline, f"{guideline:g}% equipment guideline")
    return alt.layer(bars, rule).properties(width=WIDTH, height=alt.Step(16), title=title, description=description)
