"""The Washington-visit timeline: one dot per reported event, one row per kind of event.

Two panels share one colour legend:

* an overview of the whole window (January-August 2025), where the visit week is a dense cluster;
* a detail of the weeks around the visit, where that cluster can be read dot by dot.

The legend is bound to a point selection that *filters* the dots of both panels: clicking
"meeting" leaves only the meetings; shift-click adds types; a click on the background shows all
again. The colour scale's domain is fixed to every type, so the legend keeps listing all of them.

A legend answers only the mouse, so a "Show:" menu under the chart (a labelled <select>) filters
the same dots from the keyboard. Vega-Lite cannot bind one parameter to both the legend and an
input element, so the menu is a second parameter and each panel applies both filters: a dot is
drawn when it passes the legend selection *and* the menu (either one left at "all" lets every
type through).

Tooltips answer only the mouse too: `timeline_data.events_table_myst` lists the same fields, one row
per event, as a table the chapter prints under the figure.

`timeline_data.timeline_frame` prepares the data (it is also the CSV published behind the figure);
`visit_timeline` draws it.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from natobook.charts import style, timeline_data
from natobook.data.events import EVENT_TYPES

SELECTION = "type_pick"  # name of the legend-bound selection parameter
MENU = "type_menu"  # name of the parameter bound to the "Show:" menu
MENU_ALL = "all"  # the menu's value that lets every type through
MENU_LABEL = "Show: "  # the menu's visible label, which is also its accessible name
DETAIL_LAYER = "events"  # Vega mark names: the dots sit in the SVG groups `.events_marks`
OVERVIEW_LAYER = "events_overview"  # ... and `.events_overview_marks`
PANEL_WIDTH = style.WIDTH - 70  # with the row labels, the figure fits the book's text column
DETAIL_ROW = 44  # pixels per event type
LEGEND_COLUMNS = 3  # two rows of three types fit a phone's width
OVERVIEW_ROW = 20
# One colour per type, from the colour-blind-safe house palette.
TYPE_COLOURS = dict(zip(EVENT_TYPES, style.CATEGORY))


def _utc(day: pd.Timestamp) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def type_menu(types: Sequence[str]) -> alt.Parameter:
    """The keyboard's way to filter: a labelled drop-down of "all types" and each type."""
    if MENU_ALL in types:
        raise ValueError(f"an event type may not be called {MENU_ALL!r}: the menu uses it for 'all types'")
    return alt.param(
        name=MENU,
        value=MENU_ALL,
        bind=alt.binding_select(options=[MENU_ALL, *types], labels=["all types", *types], name=MENU_LABEL),
    )


def menu_filter() -> str:
    """The menu's filter, applied after the legend's: a dot must pass both."""
    return f"{MENU} === '{MENU_ALL}' || datum.event_type === {MENU}"


def visit_timeline(
    events: pd.DataFrame,
    window: Sequence,
    visit: Sequence = ("2025-04-24", "2025-04-25"),
    detail: Sequence | None = None,
    title: str = "Rutte's Washington visit fell in the busiest weeks of the timeline",
    description: str | None = None,
    types: Sequence[str] = EVENT_TYPES,
) -> alt.VConcatChart:
    """Dots on a date axis, one row and one colour per event type; an overview and a detail.

    `events` is what `natobook.data.events.read_events` returns; `window` (first, last day, inclusive)
    is the overview's date range; the `visit` days (first, last, inclusive) are shaded; `detail`
    (first, last) is the close-up's range, by default `detail_window(visit)`. Tooltips give the
    date, the summary and the source.
    """
    first, last = timeline_data.day(window[0]), timeline_data.day(window[1])
    visit_start, visit_end = timeline_data.day(visit[0]), timeline_data.day(visit[1])
    detail_first, detail_last = (timeline_data.day(d) for d in (detail or timeline_data.detail_window(visit)))
    frame = timeline_data.timeline_frame(events, (detail_first, detail_last))
    types = list(types)
    unknown = sorted(set(frame["event_type"]) - set(types))
    if unknown:
        raise ValueError(f"event types with no colour: {', '.join(unknown)}")
    description = description or timeline_data.default_description(frame, window, visit)

    type_pick = alt.selection_point(name=SELECTION, fields=["event_type"], bind="legend")
    menu = type_menu(types)
    colour = alt.Color(
        "event_type:N",
        # Short enough for a phone's width; the subtitle says how to filter with the legend.
        title="Type of event",
        scale=alt.Scale(domain=types, range=[TYPE_COLOURS.get(t, style.PALETTE["grey"]) for t in types]),
        legend=alt.Legend(orient="top", direction="horizontal", columns=LEGEND_COLUMNS, symbolType="circle"),
    )
    tooltip = [
        alt.Tooltip("date_label:N", title="Date"),
        alt.Tooltip("event_type:N", title="Type"),
        alt.Tooltip("summary:N", title="What happened"),
        alt.Tooltip("place:N", title="Where"),
        alt.Tooltip("source_title:N", title="Source"),
        alt.Tooltip("confidence:N", title="Confidence in the source"),
    ]

    rows = alt.Y(
        "event_type:N",
        title=None,
        sort=types,
        scale=alt.Scale(domain=types, paddingInner=0.1),
        axis=alt.Axis(labelFontSize=11, ticks=False, domain=False, labelPadding=6),
    )

    def panel(
        first_day, last_day, row_height, lane_field, name, size, x_title, x_format, ticks, with_param, boxed=None
    ):
        x_scale = alt.Scale(type="utc", domain=[_utc(first_day), _utc(last_day + pd.Timedelta(days=1))])
        x_axis = alt.Axis(title=x_title, format=x_format, tickCount=ticks, grid=True, labelFlush=False)
        days = pd.DataFrame(
            {
                "start": [visit_start.strftime("%Y-%m-%d")],
                "end": [(visit_end + pd.Timedelta(days=1)).strftime("%Y-%m-%d")],
                "label": [f"Visit, {visit_start.day}–{visit_end.day} {visit_end:%b}"],
            }
        )
        shade = (
            alt.Chart(days)
            .mark_rect(color=style.PALETTE["yellow"], opacity=0.5, aria=False)  # its label says what it is
            .encode(x=alt.X("start:T", axis=x_axis), x2="end:T")
        )
        label = (
            alt.Chart(days)
            .mark_text(align="left", baseline="bottom", dx=3, dy=-3, fontSize=11)
            .encode(x=alt.X("end:T", axis=x_axis), y=alt.value(0), text="label:N")
        )
        lanes = int(frame[lane_field].abs().max()) or 1
        placed = (
            alt.Chart(frame)
            # What a screen reader says of a dot: the event in words, not the fields that place it.
            .transform_calculate(spoken="datum.date_label + ', ' + datum.event_type + ': ' + datum.summary")
            .encode(
                # The one layer that states the scale: stated in every layer, Vega-Lite finds the domains in
                # conflict (a date object against its parsed signal) and warns.
                x=alt.X("midday:T", title="Date", scale=x_scale, axis=x_axis),
                y=rows,
                yOffset=alt.YOffset(
                    f"{lane_field}:O", scale=alt.Scale(domain=list(range(-lanes, lanes + 1))), title=None
                ),
                tooltip=tooltip,
            )
        )
        dots = (
            placed.mark_point(
                filled=True, size=size, opacity=1, stroke=style.PALETTE["white"], strokeWidth=0.8, clip=True
            )
            .encode(color=colour if with_param else colour.legend(None), description="spoken:N")
            .properties(name=name)
        )
        if with_param:
            dots = dots.add_params(type_pick)
        dots = dots.transform_filter(type_pick).transform_filter(menu_filter())
        layers = [shade, label]
        if boxed is not None:  # mark which days the close-up shows
            box = pd.DataFrame(
                {
                    "start": [boxed[0].strftime("%Y-%m-%d")],
                    "end": [(boxed[1] + pd.Timedelta(days=1)).strftime("%Y-%m-%d")],
                }
            )
            layers.append(
                alt.Chart(box)
                .mark_rect(fill=None, stroke=style.PALETTE["grey"], strokeDash=[3, 2], aria=False)
                .encode(x=alt.X("start:T", axis=x_axis), x2="end:T")
            )
        return (
            alt.layer(*layers, dots)
            .properties(width=PANEL_WIDTH, height=row_height * len(types))
            .resolve_scale(yOffset="independent")
        )

    overview = panel(
        first,
        last,
        OVERVIEW_ROW,
        "lane_overview",
        OVERVIEW_LAYER,
        30,
        f"{timeline_data.span(first, last)}: all events",
        "%b",
        {"interval": "month", "step": 1},
        True,
        boxed=(detail_first, detail_last),
    )
    detail_panel = panel(
        detail_first,
        detail_last,
        DETAIL_ROW,
        "lane_detail",
        DETAIL_LAYER,
        80,
        f"{timeline_data.span(detail_first, detail_last)}: close-up of the dashed box above",
        "%-d %b",
        {"interval": "day", "step": 2},
        False,
    )

    return (
        alt.vconcat(overview, detail_panel, spacing=18)
        .resolve_scale(color="shared", x="independent", y="independent", yOffset="independent")
        # A legend merged across the panels loses its binding to the selection (Vega-Lite drops the
        # legend's interactive encoding), so the one legend belongs to the overview, where the
        # selection is defined; the close-up has none and shares the colour scale.
        .resolve_legend(color="independent")
        .add_params(menu)  # a top-level parameter: one menu for both panels
        .properties(
            title=alt.Title(
                title,
                subtitle=[
                    f"Events reported between {timeline_data.long_date(first)} and {timeline_data.long_date(last)}, by type. "
                    f"Shaded: Rutte in Washington, {timeline_data.span(visit_start, visit_end)}.",
                    "Click a type in the legend to show only it (shift-click adds one), the background to show all.",
                ],
            ),
            description=description,
        )
    )
