"""Figures of defence spending as a share of GDP."""
from __future__ import annotations

import altair as alt
import pandas as pd

from natobook.charts.style import GUIDELINE_COLOUR, PALETTE, WIDTH


def share_of_gdp_by_ally(shares: pd.DataFrame, guideline: float, title: str, description: str) -> alt.LayerChart:
    """Dot plot: each Ally's share of GDP in two years, sorted by the later one, with the guideline as a rule.

    `shares` has country, year, year_label, value, estimate (see indicators.shares_of_gdp).
    """
    latest = shares["year"].max()
    order = shares[shares["year"] == latest].sort_values("value", ascending=False)["country"].tolist()
    labels = sorted(shares["year_label"].unique())
    y = alt.Y("country:N", sort=order, title=None)
    base = alt.Chart(shares)
    link = base.mark_rule(color="#b0b0b0").encode(
        y=y, x=alt.X("min(value):Q"), x2=alt.X2("max(value):Q")
    )
    points = base.mark_point(filled=True, size=70, opacity=1).encode(
        y=y,
        x=alt.X("value:Q", title="Defence expenditure, % of GDP (NATO, share of real GDP)"),
        color=alt.Color(
            "year_label:N",
            title="Year (e = NATO estimate)",
            scale=alt.Scale(domain=labels, range=[PALETTE["sky"], PALETTE["blue"]][: len(labels)]),
        ),
        shape=alt.Shape("year_label:N", scale=alt.Scale(domain=labels, range=["circle", "diamond"][: len(labels)])),
        tooltip=[
            alt.Tooltip("country:N", title="Ally"),
            alt.Tooltip("year_label:N", title="Year"),
            alt.Tooltip("value:Q", title="% of GDP", format=".2f"),
        ],
    )
    rule_data = pd.DataFrame({"guideline": [guideline], "label": [f"{guideline:g}% guideline"]})
    rule = alt.Chart(rule_data).mark_rule(color=GUIDELINE_COLOUR, strokeDash=[6, 4], size=2).encode(x="guideline:Q")
    rule_label = alt.Chart(rule_data).mark_text(
        color=GUIDELINE_COLOUR, align="left", dx=4, dy=-6, baseline="bottom", fontWeight="bold"
    ).encode(x="guideline:Q", y=alt.value(0), text="label:N")
    return alt.layer(link, rule, points, rule_label).properties(
        width=WIDTH, height=alt.Step(16), title=title, description=description
    )
