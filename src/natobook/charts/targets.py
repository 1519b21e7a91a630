"""Figures of the cost of reaching a target share of GDP: a slider the reader moves, and the totals per target.

The slider figure computes every gap in the reader's browser (a Vega-Lite parameter drives calculate
and aggregate transforms), so the page needs no server. Its formula is the one of
indicators.gap_to_target; tests render the spec with vl-convert and compare the two.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from natobook.charts.style import PALETTE, WIDTH
from natobook.indicators import EUROPE_AND_CANADA_GROUP, UNITED_STATES_GROUP

USD_BN_FORMAT = ",.0f"
GROUPS = [EUROPE_AND_CANADA_GROUP, UNITED_STATES_GROUP]
GROUP_SCALE = alt.Scale(domain=GROUPS, range=[PALETTE["blue"], PALETTE["orange"]])
SLIDER_NAME = "target_pct"
SLIDER_RANGE = (1.0, 6.0, 0.1)  # % of GDP: min, max, step
# The title states the finding at the starting target; this says what moves when the reader slides.
SLIDER_HINT = "Move the slider under the chart to change the target: the bars and the totals follow"


def usd_axis(year_label: str) -> str:
    return f"Extra defence spending needed a year, USD billion (current prices, {year_label} GDP)"


def gap_expression(target: str) -> str:
    """indicators.gap_to_target in Vega expression language, in USD billion (the data carry million)."""
    return f"max(0, ({target} - datum.share) / 100 * datum.gdp_musd) / 1000"


def usd_bn_text(field: str) -> str:
    return f"'USD ' + format(datum.{field}, '{USD_BN_FORMAT}') + ' bn'"


def _totals_panel(base: alt.Chart, year_label: str, allies_count: int) -> alt.LayerChart:
    """Four lines of text the slider rewrites: the target, each group's total gap, Allies already there."""
    y = alt.Y("line:O", axis=None)
    text = dict(align="left", baseline="middle", fontSize=13)
    heading = base.transform_aggregate(n="count()").transform_calculate(
        line="0",
        label=f"'To reach ' + format({SLIDER_NAME}, '.1f') + '% of {year_label} GDP, extra spending a year:'",
    ).mark_text(fontWeight="bold", **text)
    groups = base.transform_aggregate(total_bn="sum(gap_bn)", groupby=["group"]).transform_calculate(
        line=f"indexof({GROUPS!r}, datum.group) + 1",
        label=f"datum.group + ': ' + {usd_bn_text('total_bn')}",
    ).mark_text(**text)
    everyone = base.transform_aggregate(total_bn="sum(gap_bn)").transform_calculate(
        line=str(len(GROUPS) + 1), label=f"'All Allies: ' + {usd_bn_text('total_bn')}"
    ).mark_text(**text)
    already = base.transform_calculate(there=f"datum.share >= {SLIDER_NAME} ? 1 : 0").transform_aggregate(
        n_there="sum(there)"
    ).transform_calculate(
        line=str(len(GROUPS) + 2),
        label=f"'Allies already at or above the target: ' + datum.n_there + ' of {allies_count}'",
    ).mark_text(**text)
    layers = [layer.encode(y=y, x=alt.value(0), text="label:N") for layer in (heading, groups, everyone, already)]
    return alt.layer(*layers).properties(width=WIDTH, height=100)


def gap_to_target_slider(
    inputs: pd.DataFrame, initial_target: float, title: str, description: str
) -> alt.VConcatChart:
    """Each Ally's extra spending to reach the target the reader picks on a slider, with live totals.

    `inputs` is indicators.target_inputs: country, group, share (printed % of GDP), gdp_musd, year_label.
    """
    low, high, step = SLIDER_RANGE
    target = alt.param(
        name=SLIDER_NAME,
        value=initial_target,
        bind=alt.binding_range(min=low, max=high, step=step, name="Target, % of GDP "),
    )
    year_label = inputs["year_label"].iloc[0]
    data = inputs[["country", "group", "share", "gdp_musd", "year_label"]]
    base = alt.Chart(data).transform_calculate(gap_bn=gap_expression(SLIDER_NAME))
    bars = base.mark_bar().encode(
        y=alt.Y("country:N", sort=alt.EncodingSortField("gap_bn", op="sum", order="descending"), title=None),
        x=alt.X("gap_bn:Q", title=usd_axis(year_label), axis=alt.Axis(format=USD_BN_FORMAT)),
        color=alt.Color("group:N", scale=GROUP_SCALE, title=None),
        tooltip=[
            alt.Tooltip("country:N", title="Ally"),
            alt.Tooltip("share:Q", title=f"Defence, % of GDP ({year_label}, NATO)", format=".2f"),
            alt.Tooltip("gdp_musd:Q", title=f"GDP {year_label}, USD million (current)", format=",.0f"),
            alt.Tooltip("gap_bn:Q", title="Extra spending needed, USD bn", format=",.1f"),
        ],
    ).properties(width=WIDTH, height=alt.Step(14))
    return (
        alt.vconcat(_totals_panel(base, year_label, len(data)), bars, spacing=12)
        .add_params(target)
        .properties(title=alt.Title(title, subtitle=SLIDER_HINT), description=description)
    )


def cost_of_targets(totals: pd.DataFrame, year_label: str, title: str, description: str) -> alt.LayerChart:
    """Stacked bars: the total gap of each group at each target, with the all-Allies total at the bar's end.

    `totals` is long: target (% of GDP), group, gap_bn.
    """
    totals = totals.assign(target_label=totals["target"].map(lambda t: f"{t:g}% of GDP"))
    order = totals.sort_values("target")["target_label"].unique().tolist()
    y = alt.Y("target_label:N", sort=order, title="Target")
    bars = alt.Chart(totals).mark_bar().encode(
        y=y,
        x=alt.X("gap_bn:Q", stack="zero", title=usd_axis(year_label), axis=alt.Axis(format=USD_BN_FORMAT)),
        color=alt.Color("group:N", scale=GROUP_SCALE, title=None),
        order=alt.Order("group:N"),
        tooltip=[
            alt.Tooltip("target_label:N", title="Target"),
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("gap_bn:Q", title="Extra spending needed, USD bn", format=USD_BN_FORMAT),
        ],
    )
    ends = (
        alt.Chart(totals)
        .transform_aggregate(total_bn="sum(gap_bn)", groupby=["target_label"])
        .transform_calculate(label=f"'All Allies: ' + {usd_bn_text('total_bn')}")
        .mark_text(align="left", dx=6, fontSize=12)
        .encode(y=y, x="total_bn:Q", text="label:N")
    )
    # Narrower than the house width by the room the "All Allies: USD ... bn" label needs beyond the longest bar.
    width = WIDTH - 140
    return alt.layer(bars, ends).properties(width=width, height=alt.Step(40), title=title, description=description)
