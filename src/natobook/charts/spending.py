"""Figures of defence spending: shares of GDP by Ally, Allies at the guideline, Europe and Canada's spending.

Also the pieces the other chapter modules share (burden.py, revisions.py): the estimate colours and
the dot-plot ("dumbbell") layers that set two values of each Ally side by side.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from natobook.charts.style import (
    GUIDELINE_COLOUR,
    GUIDELINE_TEXT_COLOUR,
    LINK_COLOUR,
    PALETTE,
    WIDTH,
    estimate_marking,
    estimate_points,
    estimated_series_symbols,
    with_figure_kind,
)

# Two lines: on a phone the dot plot is about 230 px wide beside the Allies' names, too narrow for it on one.
SHARE_AXIS = ["Defence expenditure, % of GDP", "(NATO, share of real GDP)"]
TWO_SERIES_COLOURS = [PALETTE["grey"], PALETTE["blue"]]  # earlier quiet, later in the house blue
TWO_SERIES_SHAPES = ["circle", "diamond"]
YEAR_AXIS = alt.Axis(title=None, labelAngle=0)
TITLE_CHARACTERS = 78  # a title line at the house font size stays within the chart's WIDTH


def title_params(title: str, subtitle: str | None = None) -> alt.TitleParams:
    """A finding-stating title wrapped to the chart's width (long titles would widen the figure past the page)."""
    lines = textwrap.wrap(title, TITLE_CHARACTERS)
    return alt.TitleParams(lines, subtitle=subtitle) if subtitle else alt.TitleParams(lines)


def usd_axis(unit: str, price_basis: str) -> str:
    """'USD billion, constant 2015 prices and exchange rates' (NATO converts at the same base year)."""
    return f"{unit}, {price_basis} and exchange rates"


def estimate_bars(base: alt.Chart) -> alt.Chart:
    """Bars in the house blue, NATO's estimates open with a dashed outline (style.estimate_marking)."""
    return base.mark_bar(color=PALETTE["blue"], stroke=PALETTE["blue"], strokeWidth=1.5).encode(**estimate_marking())


def year_x(frame: pd.DataFrame) -> alt.X:
    """Years on x as NATO labels them (2024e), in time order."""
    return alt.X("year_label:O", sort=frame.sort_values("year")["year_label"].tolist(), axis=YEAR_AXIS)


def guideline_layers(guideline: float) -> list[alt.Chart]:
    """A dashed vertical rule at the guideline, labelled at the top."""
    rule_data = pd.DataFrame({"guideline": [guideline], "label": [f"{guideline:g}% guideline"]})
    rule = alt.Chart(rule_data).mark_rule(color=GUIDELINE_COLOUR, strokeDash=[6, 4], size=2).encode(x="guideline:Q")
    label = (
        alt.Chart(rule_data)
        .mark_text(color=GUIDELINE_TEXT_COLOUR, align="left", dx=4, dy=-6, baseline="bottom", fontWeight="bold")
        .encode(x="guideline:Q", y=alt.value(0), text="label:N")
    )
    return [rule, label]


def dumbbell_layers(
    frame: pd.DataFrame, series: str, series_title: str, order: list[str], sort_by: str
) -> tuple[list[alt.Chart], alt.Y]:
    """Each Ally's two values joined by a grey line, one colour and shape per series (at most two).

    `frame` has country, value, estimate and the `series` column; Allies are sorted by their `sort_by` value.
    Returns the layers and the y encoding, for callers that add layers of their own.
    """
    ranked = frame[frame[series] == sort_by].sort_values("value", ascending=False)["country"].tolist()
    y = alt.Y("country:N", sort=ranked, title=None)
    base = alt.Chart(with_figure_kind(frame))
    link = base.mark_rule(color=LINK_COLOUR, aria=False).encode(y=y, x=alt.X("min(value):Q"), x2=alt.X2("max(value):Q"))
    colours = alt.Scale(domain=order, range=TWO_SERIES_COLOURS[: len(order)])
    # NATO's estimates open with a dashed outline, as in every chart (style.estimate_marking); the series' legend
    # draws its symbols so (an estimate year, "2024e").
    legend = alt.Legend(direction="vertical", **estimated_series_symbols(frame, series))
    points = (
        base.mark_point(filled=True, size=70, strokeWidth=1.5)
        .encode(  # opaque by the house theme
            **estimate_marking(legend=False)
        )
        .encode(
            y=y,
            x=alt.X("value:Q", title=SHARE_AXIS),
            color=alt.Color(f"{series}:N", title=series_title, legend=legend, scale=colours),
            stroke=alt.Stroke(f"{series}:N", scale=colours),  # merged into the colour legend
            shape=alt.Shape(f"{series}:N", scale=alt.Scale(domain=order, range=TWO_SERIES_SHAPES[: len(order)])),
            tooltip=[
                alt.Tooltip("country:N", title="Ally"),
                alt.Tooltip(f"{series}:N", title=series_title),
                alt.Tooltip("value:Q", title="% of GDP", format=".2f"),
            ],
        )
    )
    return [link, points], y


def share_of_gdp_by_ally(shares: pd.DataFrame, guideline: float, title: str, description: str) -> alt.LayerChart:
    """Dot plot: each Ally's share of GDP in two years (or one), sorted by the later one, with the guideline.

    `shares` has country, year, year_label, value, estimate (see indicators.values_by_year).
    """
    labels = shares.sort_values("year")["year_label"].unique().tolist()
    (link, points), _ = dumbbell_layers(shares, "year_label", "Year (e = NATO estimate)", labels, labels[-1])
    rule, rule_label = guideline_layers(guideline)
    return alt.layer(link, rule, points, rule_label).properties(
        width=WIDTH, height=alt.Step(16), title=title_params(title), description=description
    )


def allies_at_guideline_by_year(counts: pd.DataFrame, guideline: float, title: str, description: str) -> alt.LayerChart:
    """Bars: the number of Allies at or above the guideline each year, labelled, estimates marked.

    `counts` has year, year_label, count, estimate (see indicators.allies_at_or_above_by_year).
    """
    data = with_figure_kind(counts)
    base = alt.Chart(data).encode(x=year_x(data))
    bars = estimate_bars(base).encode(
        y=alt.Y("count:Q", title=f"Allies at or above {guideline:g}% of GDP (number)", axis=alt.Axis(tickMinStep=1)),
        tooltip=[alt.Tooltip("year_label:N", title="Year"), alt.Tooltip("count:Q", title="Allies")],
    )
    labels = base.mark_text(dy=-6, baseline="bottom", fontWeight="bold").encode(y="count:Q", text="count:Q")
    return alt.layer(bars, labels).properties(
        width=WIDTH, height=300, title=title_params(title), description=description
    )


def europe_canada_spending(levels: pd.DataFrame, price_basis: str, title: str, description: str) -> alt.LayerChart:
    """Bars: European Allies and Canada's defence spending each year; above each bar, the annual real change.

    `levels` has year, year_label, estimate, value (USD billion at `price_basis`), real_change (%).
    """
    data = with_figure_kind(levels)
    base = alt.Chart(data).encode(x=year_x(data))
    bars = estimate_bars(base).encode(
        y=alt.Y("value:Q", title=usd_axis("USD billion", price_basis)),
        tooltip=[
            alt.Tooltip("year_label:N", title="Year"),
            alt.Tooltip("value:Q", title="USD billion", format=",.1f"),
            alt.Tooltip("real_change:Q", title="Real change, %", format="+.2f"),
        ],
    )
    changes = (
        base.transform_calculate(label="format(datum.real_change, '+.1f') + '%'")
        .mark_text(dy=-6, baseline="bottom", fontSize=11)
        .encode(y="value:Q", text="label:N")
    )
    return alt.layer(bars, changes).properties(
        width=WIDTH,
        height=320,
        description=description,
        title=title_params(title, subtitle="Above each bar: annual real change (%), as NATO prints it"),
    )


def extra_spending_over_base(
    extra: pd.DataFrame, base_label: str, price_basis: str, title: str, description: str
) -> alt.LayerChart:
    """Bars: each year's spending above the base-year level; line: the running total since the base year.

    `extra` has year, year_label, estimate, extra and cumulative (USD billion at `price_basis`).
    """
    data = with_figure_kind(extra)
    base = alt.Chart(data).encode(x=year_x(data))
    axis_title = usd_axis("USD billion", price_basis)
    bars = estimate_bars(base).encode(
        y=alt.Y("extra:Q", title=axis_title),
        tooltip=[
            alt.Tooltip("year_label:N", title="Year"),
            alt.Tooltip("extra:Q", title=f"Above the {base_label} level, USD bn", format=",.1f"),
            alt.Tooltip("cumulative:Q", title=f"Running total since {base_label}, USD bn", format=",.1f"),
        ],
    )
    total = base.encode(y=alt.Y("cumulative:Q", title=axis_title))
    total_line = total.mark_line(color=PALETTE["orange"], strokeWidth=2.5)
    total_points = estimate_points(total, PALETTE["orange"], size=40)
    end = (
        base.transform_filter(alt.datum.year == int(data["year"].max()))
        .transform_calculate(label="'Running total: USD ' + format(datum.cumulative, ',.0f') + ' bn'")
        .mark_text(color=PALETTE["orange"], align="right", dx=-8, dy=-4, fontWeight="bold")
        .encode(y="cumulative:Q", text="label:N")
    )
    return alt.layer(bars, total_line, total_points, end).properties(
        width=WIDTH,
        height=320,
        description=description,
        title=title_params(
            title,
            subtitle=(
                f"Bars: spending above the {base_label} level in each year; orange line: running total since {base_label}"
            ),
        ),
    )
