"""Figures of the cost of reaching a target share of GDP: a slider the reader moves, and the totals per target.

The slider figure computes every gap in the reader's browser (a Vega-Lite parameter drives calculate
and aggregate transforms), so the page needs no server. Its formula is the one of
natobook.analysis.target_gaps.gap_to_target; tests render the spec with vl-convert and compare the two.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from natobook.analysis.indicators import EUROPE_AND_CANADA_GROUP, UNITED_STATES_GROUP
from natobook.charts.style import PALETTE, WIDTH

USD_BN_FORMAT = ",.0f"
ALLY_AXIS_WIDTH = 112  # px the axis of Allies' names takes ("North Macedonia" at the house font size, and a gap)
GROUPS = [EUROPE_AND_CANADA_GROUP, UNITED_STATES_GROUP]
GROUP_SCALE = alt.Scale(domain=GROUPS, range=[PALETTE["blue"], PALETTE["orange"]])
SLIDER_NAME = "target_pct"
SLIDER_RANGE = (1.0, 6.0, 0.1)  # % of GDP: min, max, step
# The title states the finding at the target the reader picks; this says what moves when the reader slides.
SLIDER_HINT = "The slider above sets the target: the title, totals and bars follow"


def usd_axis(year_label: str) -> str:
    # "Spending", not "defence spending": above 3.5% of GDP a Hague target counts spending outside NATO's definition.
    return f"Spending gap a year, USD billion (current prices, {year_label} GDP)"


def gap_expression(target: str, share: str = "datum.share", gdp_musd: str = "datum.gdp_musd") -> str:
    """target_gaps.gap_to_target in Vega expression language, in USD billion (the data carry million)."""
    return f"max(0, ({target} - {share}) / 100 * {gdp_musd}) / 1000"


def slider_title(year_label: str, target: str, total_bn: str) -> list[str]:
    """The slider figure's title, two short lines (a phone's width): the words, with the target and total given."""
    return [f"Lifting every Ally to {target}% of {year_label} GDP", f"would take USD {total_bn} bn more a year"]


def usd_bn_text(field: str) -> str:
    return f"'USD ' + format(datum.{field}, '{USD_BN_FORMAT}') + ' bn'"


def _gap_sum(rows: pd.DataFrame) -> str:
    """The Allies' total gap at the slider's target, in Vega expression language, from their printed figures."""
    terms = [
        gap_expression(SLIDER_NAME, repr(float(share)), repr(float(gdp)))
        for share, gdp in zip(rows["share"], rows["gdp_musd"], strict=True)
    ]
    return " + ".join(terms) or "0"


def _usd_bn(expression: str) -> str:
    return f"' + format({expression}, '{USD_BN_FORMAT}') + '"


def _quoted(text: str) -> str:
    """Text inside a single-quoted Vega string."""
    return text.replace("\\", "\\\\").replace("'", "\\'")


def _lines_expression(lines: list[str]) -> dict:
    """Lines of text holding pieces of expression (`' + ... + '`), as one Vega expression: an array of strings."""
    return {"expr": "[" + ", ".join(f"'{line}'" for line in lines) + "]"}


def _slider_title(inputs: pd.DataFrame, year_label: str) -> alt.Title:
    """slider_title as a Vega expression of the slider, the total summed over the Allies' printed figures."""
    target = f"' + format({SLIDER_NAME}, '~g') + '"
    return alt.Title(
        _lines_expression(slider_title(_quoted(year_label), target, _usd_bn(_gap_sum(inputs)))), subtitle=SLIDER_HINT
    )


def _totals_panel(base: alt.Chart, year_label: str, allies_count: int) -> alt.LayerChart:
    """Four lines of text the slider rewrites: the target, each group's total gap, Allies already there.

    They start at the figure's left edge, under the title: moved left by the width the bars' axis of Allies'
    names takes (ALLY_AXIS_WIDTH), the panel's origin being aligned with the bars'.
    """
    y = alt.Y("line:O", axis=None)
    text = dict(align="left", baseline="middle", fontSize=13, dx=-ALLY_AXIS_WIDTH)
    heading = (
        base.transform_aggregate(n="count()")
        .transform_calculate(
            line="0",
            label=f"'To reach ' + format({SLIDER_NAME}, '.1f') + '% of {year_label} GDP, a year:'",
        )
        .mark_text(fontWeight="bold", **text)
    )
    groups = (
        base.transform_aggregate(total_bn="sum(gap_bn)", groupby=["group"])
        .transform_calculate(
            line=f"indexof({GROUPS!r}, datum.group) + 1",
            label=f"datum.group + ': ' + {usd_bn_text('total_bn')}",
        )
        .mark_text(**text)
    )
    everyone = (
        base.transform_aggregate(total_bn="sum(gap_bn)")
        .transform_calculate(line=str(len(GROUPS) + 1), label=f"'All Allies: ' + {usd_bn_text('total_bn')}")
        .mark_text(**text)
    )
    already = (
        base.transform_calculate(there=f"datum.share >= {SLIDER_NAME} ? 1 : 0")
        .transform_aggregate(n_there="sum(there)")
        .transform_calculate(
            line=str(len(GROUPS) + 2),
            label=f"'Allies already at or above the target: ' + datum.n_there + ' of {allies_count}'",
        )
        .mark_text(**text)
    )
    layers = [layer.encode(y=y, x=alt.value(0), text="label:N") for layer in (heading, groups, everyone, already)]
    return alt.layer(*layers).properties(width=WIDTH, height=100)


def gap_to_target_slider(inputs: pd.DataFrame, initial_target: float, description: str) -> alt.VConcatChart:
    """Each Ally's extra spending to reach the target the reader picks on a slider, with live totals; the title
    (slider_title) states the total at the target picked.

    `inputs` is target_gaps.target_inputs: country, group, share (printed % of GDP), gdp_musd, year_label.
    """
    low, high, step = SLIDER_RANGE
    target = alt.param(
        name=SLIDER_NAME,
        value=initial_target,
        bind=alt.binding_range(min=low, max=high, step=step, name="Target, % of GDP: "),
    )
    year_label = inputs["year_label"].iloc[0]
    data = inputs[["country", "group", "share", "gdp_musd", "year_label"]]
    base = alt.Chart(data).transform_calculate(gap_bn=gap_expression(SLIDER_NAME))
    bars = (
        base.mark_bar()
        .encode(
            y=alt.Y(
                "country:N",
                sort=alt.EncodingSortField("gap_bn", op="sum", order="descending"),
                title=None,
                axis=alt.Axis(minExtent=ALLY_AXIS_WIDTH, maxExtent=ALLY_AXIS_WIDTH, labelLimit=ALLY_AXIS_WIDTH - 8),
            ),
            x=alt.X("gap_bn:Q", title=usd_axis(year_label), axis=alt.Axis(format=USD_BN_FORMAT)),
            # The legend under the bars: above them it would part the slider from the totals it drives.
            color=alt.Color("group:N", scale=GROUP_SCALE, title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("country:N", title="Ally"),
                alt.Tooltip("share:Q", title=f"Defence, % of GDP ({year_label}, NATO)", format=".2f"),
                alt.Tooltip("gdp_musd:Q", title=f"GDP {year_label}, USD million (current)", format=",.0f"),
                alt.Tooltip("gap_bn:Q", title="Extra spending needed, USD bn", format=",.1f"),
            ],
        )
        .properties(width=WIDTH, height=alt.Step(14))
    )
    return (
        alt.vconcat(_totals_panel(base, year_label, len(data)), bars, spacing=12)
        .add_params(target)
        .properties(title=_slider_title(data, year_label), description=description)
    )


def cost_of_targets(totals: pd.DataFrame, year_label: str, title: str, description: str) -> alt.LayerChart:
    """Stacked bars: the total gap of each group at each target, with the all-Allies total at the bar's end.

    `totals` is long: target (% of GDP), group, gap_bn.
    """
    totals = totals.assign(target_label=totals["target"].map(lambda t: f"{t:g}% of GDP"))
    order = totals.sort_values("target")["target_label"].unique().tolist()
    y = alt.Y("target_label:N", sort=order, title="Target")
    bars = (
        alt.Chart(totals)
        .transform_calculate(group_order=f"indexof({GROUPS!r}, datum.group)")
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("gap_bn:Q", stack="zero", title=usd_axis(year_label), axis=alt.Axis(format=USD_BN_FORMAT)),
            color=alt.Color("group:N", scale=GROUP_SCALE, title=None),
            order=alt.Order("group_order:Q"),  # a number: Vega-Lite warns of an order over a nominal field
            tooltip=[
                alt.Tooltip("target_label:N", title="Target"),
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("gap_bn:Q", title="Extra spending needed, USD bn", format=USD_BN_FORMAT),
            ],
        )
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
