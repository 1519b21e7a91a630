"""Figures of the country pages (one Ally's profile, the small multiples of all Allies) and the sortable index table.

Every chart takes frames from natobook.analysis.profiles: year, value, estimate, year_label in time order.
The x axis is the year label, so NATO's estimate years read "2024e" as NATO prints them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import altair as alt
import pandas as pd

from natobook.charts.style import (
    GUIDELINE_COLOUR,
    GUIDELINE_TEXT_COLOUR,
    PALETTE,
    WIDTH,
    estimate_marking,
    estimate_points,
    with_figure_kind,
)

HEIGHT = 240
HALF_WIDTH = (WIDTH - 60) // 2
# Target lines are told apart by dash as well as by label, so they survive greyscale printing.
TARGET_DASHES = ([6, 4], [2, 3], [10, 3, 2, 3])
YEAR_TITLE = "Year (e = NATO estimate)"


def _year_axis(series: pd.DataFrame, narrow: bool = False) -> alt.X:
    """Years in time order; slanted on a narrow panel, where eleven labels do not fit side by side."""
    axis = alt.Axis(labelAngle=-45 if narrow else 0)
    return alt.X("year_label:O", sort=series["year_label"].tolist(), title=YEAR_TITLE, axis=axis)


def _line(
    series: pd.DataFrame, y_title: str, value_format: str, domain_max: float | None = None, narrow: bool = False
) -> alt.LayerChart:
    """The Ally's values as a line with a dot per year, and a tooltip giving each printed value."""
    scale = alt.Scale(domain=[0, domain_max]) if domain_max else alt.Scale(zero=True)
    base = alt.Chart(with_figure_kind(series)).encode(
        x=_year_axis(series, narrow),
        y=alt.Y("value:Q", title=y_title, scale=scale),
        tooltip=[alt.Tooltip("year_label:N", title="Year"), alt.Tooltip("value:Q", title=y_title, format=value_format)],
    )
    return alt.layer(base.mark_line(color=PALETTE["blue"], strokeWidth=2), estimate_points(base, PALETTE["blue"]))


def _reference_lines(levels: list[float], unit: str) -> alt.LayerChart:
    """Horizontal rules at each level, labelled at the right edge ("2%", "3.5%")."""
    rules = pd.DataFrame({"level": levels, "label": [f"{level:g}{unit}" for level in levels]})
    layers = []
    for index in range(len(rules)):
        one = alt.Chart(rules.iloc[[index]])
        layers.append(
            one.mark_rule(color=GUIDELINE_COLOUR, strokeDash=TARGET_DASHES[index % 3], size=1.5).encode(y="level:Q")
        )
        # At the right edge, whatever width the chart is drawn at ("width": Vega-Lite's name for that edge).
        layers.append(
            one.mark_text(
                color=GUIDELINE_TEXT_COLOUR, align="right", baseline="bottom", dy=-3, fontWeight="bold"
            ).encode(y="level:Q", x=alt.value("width"), text="label:N")
        )
    return alt.layer(*layers)


def share_trajectory(series: pd.DataFrame, targets: list[float], title: str, description: str) -> alt.LayerChart:
    """One Ally's share of GDP each year, against the target shares (2%, 3.5%, 5%)."""
    top = max([*targets, float(series["value"].max())]) * 1.1
    line = _line(series, "Defence expenditure, % of GDP (share of real GDP)", ".2f", domain_max=round(top, 1))
    return alt.layer(_reference_lines(targets, "%"), line).properties(
        width=WIDTH, height=HEIGHT, title=title, description=description
    )


def real_change_bars(series: pd.DataFrame, price_basis: str, title: str, description: str) -> alt.Chart:
    """Annual real change of defence expenditure, a bar per year: increases blue, decreases vermillion."""
    rows = with_figure_kind(series.assign(direction=["increase" if v >= 0 else "decrease" for v in series["value"]]))
    y_title = f"Annual real change, % ({price_basis})"
    direction = alt.Scale(domain=["increase", "decrease"], range=[PALETTE["blue"], PALETTE["vermillion"]])
    return (
        alt.Chart(rows)
        .mark_bar(strokeWidth=1.5)
        .encode(**estimate_marking())
        .encode(
            x=_year_axis(series),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color("direction:N", title="Real change", scale=direction),
            stroke=alt.Stroke("direction:N", scale=direction, legend=None),
            tooltip=[alt.Tooltip("year_label:N", title="Year"), alt.Tooltip("value:Q", title=y_title, format="+.2f")],
        )
        .properties(width=WIDTH, height=HEIGHT, title=title, description=description)
    )


def equipment_trajectory(series: pd.DataFrame, guideline: float, title: str, description: str) -> alt.LayerChart:
    """Share of defence expenditure spent on major equipment each year, against the equipment guideline."""
    top = max(guideline, float(series["value"].max())) * 1.15
    line = _line(series, "Equipment, % of defence expenditure", ".2f", domain_max=round(top))
    return alt.layer(_reference_lines([guideline], "%"), line).properties(
        width=WIDTH, height=HEIGHT, title=title, description=description
    )


def per_head_and_personnel(
    per_head: pd.DataFrame, personnel: pd.DataFrame, price_basis: str, title: str, description: str
) -> alt.HConcatChart:
    """Two panels side by side: defence expenditure per head, and military personnel."""
    money = _line(per_head, f"USD per person ({price_basis})", ",.0f", narrow=True).properties(
        width=HALF_WIDTH, height=HEIGHT - 40, title="Defence expenditure per head"
    )
    people = _line(personnel, "Military personnel, thousands", ",.1f", narrow=True).properties(
        width=HALF_WIDTH, height=HEIGHT - 40, title="Military personnel"
    )
    return alt.hconcat(money, people).resolve_scale(y="independent").properties(title=title, description=description)


def trajectories_grid(
    rows: pd.DataFrame, order: list[str], guideline: float, title: str, description: str, columns: int = 6
) -> alt.FacetChart:
    """Small multiples: every Ally's share of GDP over the years, one panel each, ordered by `order`."""
    first, last = rows["year"].min(), rows["year"].max()
    base = alt.Chart().encode(
        x=alt.X(
            "year:Q",
            title=None,
            scale=alt.Scale(domain=[first, last]),
            axis=alt.Axis(values=[int(first), int(last)], format="d", labelFontSize=9),
        ),
        y=alt.Y("value:Q", title="% of GDP", axis=alt.Axis(tickCount=3, labelFontSize=9)),
    )
    tooltip = [
        alt.Tooltip("country:N", title="Ally"),
        alt.Tooltip("year_label:N", title="Year"),
        alt.Tooltip("value:Q", title="% of GDP", format=".2f"),
    ]
    line = base.mark_line(color=PALETTE["blue"], strokeWidth=1.5).encode(tooltip=tooltip)
    # A small dot a year, NATO's estimates open as in every chart of the book; one legend above the panels.
    points = estimate_points(base, PALETTE["blue"], size=12).encode(tooltip=tooltip)
    # The guideline is decorative in each panel (the caption states it): hidden from screen readers.
    rule = (
        alt.Chart()
        .mark_rule(color=GUIDELINE_COLOUR, strokeDash=[4, 3], size=1, aria=False)
        .encode(y=alt.datum(guideline))
    )
    return (
        alt.layer(rule, line, points, data=with_figure_kind(rows))
        .properties(width=84, height=60)
        .facet(
            facet=alt.Facet("country:N", sort=order, title=None, header=alt.Header(labelFontSize=10, labelLimit=96)),
            columns=columns,
        )
        .properties(title=title, description=description)
    )


@dataclass(frozen=True)
class Column:
    """One column of a sortable table: the frame's field, its header, and how its numbers print."""

    field: str
    header: str
    number_format: str | None = None  # e.g. "{:.2f}"; None for text


def sortable_table(
    table: pd.DataFrame, columns: list[Column], caption: str, links: dict[str, str], table_id: str
) -> str:
    """An HTML table whose headers sort it (click again to reverse); the first column links each row.

    Headers are buttons (keyboard-usable) and the sorted column carries `aria-sort`. Sorting uses each
    cell's `data-sort` value, so numbers sort as numbers. `links` maps the first column's text to a URL.
    Every string from the data is escaped.
    """
    head = "".join(
        f'<th scope="col" aria-sort="none"><button type="button" data-column="{i}">{html.escape(c.header)}'
        '<span class="sort-mark" aria-hidden="true"></span></button></th>'
        for i, c in enumerate(columns)
    )
    body = "".join(
        "<tr>" + "".join(_cell(row, column, links if i == 0 else None) for i, column in enumerate(columns)) + "</tr>"
        for _, row in table.iterrows()
    )
    return (
        f'{_SORT_STYLE}<table class="natobook-sortable" id="{html.escape(table_id)}">'
        f"<caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{_SORT_SCRIPT}"
    )


def _cell(row: pd.Series, column: Column, links: dict[str, str] | None) -> str:
    value = row[column.field]
    if column.number_format is None:
        text = html.escape(str(value))
        shown = f'<a href="{html.escape(links[str(value)])}">{text}</a>' if links else text
        return f'<th scope="row" data-sort="{text}">{shown}</th>' if links else f'<td data-sort="{text}">{shown}</td>'
    if pd.isna(value):
        return '<td class="number" data-sort="">–</td>'
    return f'<td class="number" data-sort="{float(value)!r}">{column.number_format.format(value)}</td>'


# Headers read as headers, not as grey buttons; the arrow shows the sorted column and its direction.
_SORT_STYLE = """<style>
table.natobook-sortable { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
table.natobook-sortable caption { caption-side: top; text-align: left; padding-bottom: 0.5em; }
table.natobook-sortable th, table.natobook-sortable td { padding: 0.25em 0.7em; border-bottom: 1px solid #ddd; }
table.natobook-sortable thead th { vertical-align: bottom; border-bottom: 2px solid #444; }
table.natobook-sortable td.number { text-align: right; font-variant-numeric: tabular-nums; }
table.natobook-sortable th[scope=row] { text-align: left; font-weight: normal; }
table.natobook-sortable thead button { all: unset; cursor: pointer; font-weight: bold; }
table.natobook-sortable thead button:focus-visible { outline: 2px solid #0072B2; }
table.natobook-sortable th[aria-sort=ascending] .sort-mark::after { content: " \\25B2"; }
table.natobook-sortable th[aria-sort=descending] .sort-mark::after { content: " \\25BC"; }
</style>"""

# Plain DOM, no library: the page stays offline. Guarded so that two tables on a page share one handler.
_SORT_SCRIPT = """<script>(function () {
  if (window.natobookSortable) { return; }
  window.natobookSortable = true;
  function key(cell) {
    var raw = cell.getAttribute('data-sort');
    return raw === '' ? '' : (cell.classList.contains('number') ? parseFloat(raw) : raw);
  }
  function sortBy(table, column, button) {
    var th = button.parentElement;
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    table.querySelectorAll('thead th').forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[column]), y = key(b.cells[column]);
      if (x === '' || y === '') { return x === y ? 0 : (x === '' ? 1 : -1); }
      var order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest('table.natobook-sortable thead button');
    if (button) { sortBy(button.closest('table'), Number(button.getAttribute('data-column')), button); }
  });
})();</script>"""
