"""Figures of burden sharing: the United States against European Allies and Canada."""

from __future__ import annotations

import altair as alt
import pandas as pd

from natobook.analysis.indicators import EUROPE_AND_CANADA_GROUP, UNITED_STATES_GROUP
from natobook.charts.spending import title_params, usd_axis, year_x
from natobook.charts.style import PALETTE, WIDTH, estimate_points, with_figure_kind

GROUPS = [EUROPE_AND_CANADA_GROUP, UNITED_STATES_GROUP]
# The same colours as every other two-group figure of the book (charts.targets).
GROUP_SCALE = alt.Scale(domain=GROUPS, range=[PALETTE["blue"], PALETTE["orange"]])
BARS_WIDTH = WIDTH - 200  # the row labels take about 200 px: keep the whole figure within the page's column


def group_shares(shares: pd.DataFrame, title: str, description: str) -> alt.LayerChart:
    """100% bars, one per measure: the two groups' shares of the Allies' combined total, labelled.

    `shares` has measure (row label), group, share (%); the two shares of a measure add up to 100.
    """
    measures = shares["measure"].drop_duplicates().tolist()
    data = shares[["measure", "group", "share"]].assign(group_order=shares["group"].map(GROUPS.index))
    base = (
        alt.Chart(data)
        .transform_stack(
            stack="share",
            groupby=["measure"],
            as_=["start", "end"],
            sort=[alt.SortField("group_order", order="ascending")],
        )
        .transform_calculate(middle="(datum.start + datum.end) / 2")
    )
    # Each measure's name on two lines ("Defence expenditure," / "constant 2015 prices"): room for the bars on a phone.
    y = alt.Y(
        "measure:N", sort=measures, title=None, axis=alt.Axis(labelLimit=320, labelExpr="split(datum.label, ', ')")
    )
    bars = base.mark_bar(height=28).encode(
        y=y,
        x=alt.X("start:Q", title="Share of the Allies' combined total (%)", scale=alt.Scale(domain=[0, 100])),
        x2="end:Q",
        color=alt.Color("group:N", scale=GROUP_SCALE, title=None),
        tooltip=[
            alt.Tooltip("measure:N", title="Measure"),
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("share:Q", title="Share, %", format=".1f"),
        ],
    )
    # White on the light page's dark bars, black on the dark page's light ones (style.DARK_TWINS).
    labels = (
        base.transform_calculate(label="format(datum.share, '.1f') + '%'")
        .mark_text(color=PALETTE["white"], fontWeight="bold")
        .encode(y=y, x="middle:Q", text="label:N", detail="group:N")
    )
    return alt.layer(bars, labels).properties(
        width=BARS_WIDTH, height=alt.Step(44), title=title_params(title), description=description
    )


def spending_per_head(per_head: pd.DataFrame, price_basis: str, title: str, description: str) -> alt.LayerChart:
    """Lines: defence spending per head in the two groups, each year (Table 6).

    `per_head` has year, year_label, estimate, group, value (USD per head at `price_basis`).
    """
    data = with_figure_kind(per_head)
    colour = alt.Color("group:N", scale=GROUP_SCALE, title=None)
    base = alt.Chart(data).encode(
        x=year_x(data),
        y=alt.Y("value:Q", title=usd_axis("USD per head", price_basis)),
        tooltip=[
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("year_label:N", title="Year"),
            alt.Tooltip("value:Q", title="USD per head", format=",.0f"),
        ],
    )
    lines = base.mark_line(strokeWidth=2.5).encode(color=colour)
    shape = alt.Shape("group:N", scale=alt.Scale(domain=GROUPS, range=["circle", "square"]), title=None)
    return alt.layer(lines, estimate_points(base, colour).encode(shape=shape)).properties(
        width=WIDTH, height=320, title=title_params(title), description=description
    )
