"""The landing page's one chart: how many Allies were at the guideline each year (the chapter's bars), with the
count the Annual Report printed for its year beside the edition's own. Compact, so that it shows without
scrolling on a laptop screen."""

from __future__ import annotations

import altair as alt
import pandas as pd

from natobook.charts.spending import allies_at_guideline_by_year, year_x
from natobook.charts.style import GUIDELINE_TEXT_COLOUR

HEIGHT = 170
WIDTH = "container"  # the page's column, from a phone's to a laptop's


def allies_at_guideline_story(
    counts: pd.DataFrame, guideline: float, printed: int | None, printed_label: str, title: str, description: str
) -> alt.LayerChart:
    """The bars of `counts` (year, year_label, count, estimate) and, where the report printed a count for the
    last year, a tick at it labelled `printed_label` (the report's 22 beside June's 23), in the guideline's text
    colour: a label needs 4.5:1 against the page, and the style gives that colour its dark-mode twin."""
    chart = allies_at_guideline_by_year(counts, guideline, title, description)
    if printed is not None:
        last = counts.sort_values("year").iloc[[-1]].assign(printed=printed, printed_label=printed_label)
        mark = alt.Chart(last).encode(x=year_x(counts), y="printed:Q")
        chart.layer += [
            mark.mark_tick(color=GUIDELINE_TEXT_COLOUR, thickness=3, size=30).encode(
                tooltip=[alt.Tooltip("printed_label:N", title="Printed")]
            ),
            mark.mark_text(align="right", dx=-18, color=GUIDELINE_TEXT_COLOUR, fontWeight="bold").encode(
                text="printed_label:N"
            ),
        ]
    return chart.properties(width=WIDTH, height=HEIGHT)
