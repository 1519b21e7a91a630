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

Tooltips answer only the mouse too: `events_table_myst` lists the same fields, one row per event,
as a table the chapter prints under the figure.

`timeline_frame` prepares the data (it is also the CSV published behind the figure);
`visit_timeline` draws it.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from natobook import myst
from natobook.charts import style
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
DETAIL_DAYS_BEFORE, DETAIL_DAYS_AFTER = 10, 8  # the detail panel: visit start -10 d to visit end +8 d

# One colour per type, from the colour-blind-safe house palette.
TYPE_COLOURS = dict(zip(EVENT_TYPES, style.CATEGORY))

CSV_COLUMNS = [
    "date",
    "event_type",
    "place",
    "actors",
    "summary",
    "source_key",
    "source_title",
    "source_url",
    "confidence",
    "in_detail",
]
# Columns the chart needs besides CSV_COLUMNS (not published: they are drawing aids).
PLOT_COLUMNS = ["date_label", "midday", "lane_overview", "lane_detail"]


def _day(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _long_date(day: pd.Timestamp) -> str:
    return f"{day.day} {day:%B %Y}"


def _span(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """'24–25 April 2025', '14 April – 2 May 2025'."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{_long_date(last)}"
    return f"{first.day} {first:%B} – {_long_date(last)}"


def _centred(lane: int) -> int:
    """Lane number -> offset from the row's centre line: 0, +1, -1, +2, -2, ..."""
    return (lane + 1) // 2 * (1 if lane % 2 else -1)


def assign_lanes(dates: pd.Series, gap_days: float) -> pd.Series:
    """Give each event the first lane whose previous event is at least `gap_days` earlier.

    Spreads a cluster of events of one type (a dozen statements in one April week) across the
    row instead of stacking dots on one another. The result is an offset from the row's centre
    line (0, +1, -1, +2, ...). `dates` must belong to one row of the chart.
    """
    lane_ends: list[pd.Timestamp] = []
    lanes = pd.Series(0, index=dates.index, dtype="int64")
    for index, day in dates.sort_values(kind="stable").items():
        for lane, end in enumerate(lane_ends):
            if (day - end) / pd.Timedelta(days=1) >= gap_days:
                lane_ends[lane] = day
                lanes[index] = _centred(lane)
                break
        else:
            lane_ends.append(day)
            lanes[index] = _centred(len(lane_ends) - 1)
    return lanes


def detail_window(visit: Sequence) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The days the detail panel shows: from ten days before the visit to eight days after it."""
    return (
        _day(visit[0]) - pd.Timedelta(days=DETAIL_DAYS_BEFORE),
        _day(visit[1]) + pd.Timedelta(days=DETAIL_DAYS_AFTER),
    )


def timeline_frame(events: pd.DataFrame, detail: Sequence) -> pd.DataFrame:
    """The data behind the figure: one row per event, ISO dates, a lane per dot in each panel."""
    frame = events.copy()
    frame["date"] = pd.to_datetime(frame["date"]).dt.normalize()
    first, last = _day(detail[0]), _day(detail[1])
    frame["in_detail"] = frame["date"].between(first, last)
    frame["lane_overview"] = 0
    frame["lane_detail"] = 0
    for _, group in frame.groupby("event_type", sort=False):
        frame.loc[group.index, "lane_overview"] = assign_lanes(group["date"], gap_days=4)
        frame.loc[group.index, "lane_detail"] = assign_lanes(group["date"], gap_days=0.5)
    frame = frame.sort_values(["date", "event_type"], kind="stable").reset_index(drop=True)
    frame["date_label"] = frame["date"].map(_long_date)
    frame["midday"] = frame["date"].dt.strftime("%Y-%m-%dT12:00:00Z")  # dots centred on their day
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    return frame[CSV_COLUMNS + PLOT_COLUMNS]


def _utc(day: pd.Timestamp) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def default_description(frame: pd.DataFrame, window: Sequence, visit: Sequence) -> str:
    """Alt text that states the finding, worked out from the data it describes."""
    dates = pd.to_datetime(frame["date"])
    first, last = _day(window[0]), _day(window[1])
    visit_start, visit_end = _day(visit[0]), _day(visit[1])
    near = dates.between(visit_start - pd.Timedelta(days=7), visit_end + pd.Timedelta(days=7))
    return (
        f"Timeline of {len(frame)} reported events from {_long_date(first)} to {_long_date(last)}, "
        f"one row per type of event, with a close-up of the weeks around the visit below. "
        f"{int(near.sum())} of the {len(frame)} events fall within a week of Rutte's visit to Washington "
        f"on {_span(visit_start, visit_end)}, which is shaded; the rest are spread thinly over the other months. "
        f"Every event, with its date, type, place and source, is also listed in the table below the figure."
    )


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


def events_table_myst(frame: pd.DataFrame, caption: str, name: str) -> str:
    """What each dot's tooltip says, as a MyST list-table (one row per event) with `{cite:p}` sources.

    `frame` is `timeline_frame`'s result. Four columns, not one per tooltip field: six overflow the
    text column. Every value from the data is escaped, so a summary can hold `<`, `*` or backticks
    without becoming markup. Meant to be glued as Markdown and shown with ```{glue:md} name``` and
    `:format: myst`, like the claims table.
    """
    rows = [
        [
            myst.cell(event.date_label),
            myst.cell(event.event_type),
            f"{myst.cell(event.summary)} Where: {myst.inline(event.place)}.",
            f"{myst.cell(event.source_title)} {{cite:p}}`{event.source_key}`. Confidence: {myst.inline(event.confidence)}.",
        ]
        for event in frame.itertuples(index=False)
    ]
    header = ["Date", "Type", "What happened, and where", "Source, and our confidence in it"]
    return myst.list_table(caption, "14 12 44 30", "events-table", header, rows, name=name)


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
    first, last = _day(window[0]), _day(window[1])
    visit_start, visit_end = _day(visit[0]), _day(visit[1])
    detail_first, detail_last = (_day(d) for d in (detail or detail_window(visit)))
    frame = timeline_frame(events, (detail_first, detail_last))
    types = list(types)
    unknown = sorted(set(frame["event_type"]) - set(types))
    if unknown:
        raise ValueError(f"event types with no colour: {', '.join(unknown)}")
    description = description or default_description(frame, window, visit)

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
        f"{_span(first, last)}: all events",
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
        f"{_span(detail_first, detail_last)}: close-up of the dashed box above",
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
                    f"Events reported between {_long_date(first)} and {_long_date(last)}, by type. "
                    f"Shaded: Rutte in Washington, {_span(visit_start, visit_end)}.",
                    "Click a type in the legend to show only it (shift-click adds one), the background to show all.",
                ],
            ),
            description=description,
        )
    )
