"""Figures of revisions between data editions: the same year's figures as two releases printed them."""

from __future__ import annotations

import altair as alt
import pandas as pd

from natobook.charts.spending import dumbbell_layers, guideline_layers, title_params
from natobook.charts.style import WIDTH


def share_of_gdp_revisions(
    rows: pd.DataFrame,
    order: list[str],
    guideline: float,
    crossed: list[str],
    crossed_note: str,
    title: str,
    description: str,
) -> alt.LayerChart:
    """Dot plot: each Ally's share of GDP in the earlier and the later edition, sorted by the later one;
    the Allies in `crossed` carry `crossed_note` beside their dots.

    `rows` has country, value, estimate, year_label and edition_label; `order` lists the edition labels, earlier first.
    """
    legend = f"Edition (shares of GDP for {', '.join(rows['year_label'].unique())})"
    (link, points), y = dumbbell_layers(rows, "edition_label", legend, order, order[-1])
    rule, rule_label = guideline_layers(guideline)
    marked = rows[rows["country"].isin(crossed)].groupby("country", as_index=False)["value"].max()
    note = (
        alt.Chart(marked.assign(note=crossed_note))
        .mark_text(align="left", dx=8, fontWeight="bold", fontSize=11)
        .encode(y=y, x="value:Q", text="note:N")
    )
    return alt.layer(link, rule, points, rule_label, note).properties(
        width=WIDTH, height=alt.Step(16), title=title_params(title), description=description
    )
