"""The data behind the Washington-visit timeline (also the CSV published with the figure): one row per event,
ISO dates, a lane per dot in each panel so a cluster of events spreads across its row; the alt text that states
the finding; and the table that lists what each dot's tooltip says (tooltips answer only the mouse)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from natobook import myst

DETAIL_DAYS_BEFORE, DETAIL_DAYS_AFTER = 10, 8  # the detail panel: visit start -10 d to visit end +8 d

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


def day(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def long_date(day: pd.Timestamp) -> str:
    return f"{day.day} {day:%B %Y}"


def span(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """'24–25 April 2025', '14 April – 2 May 2025'."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{long_date(last)}"
    return f"{first.day} {first:%B} – {long_date(last)}"


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
        day(visit[0]) - pd.Timedelta(days=DETAIL_DAYS_BEFORE),
        day(visit[1]) + pd.Timedelta(days=DETAIL_DAYS_AFTER),
    )


def timeline_frame(events: pd.DataFrame, detail: Sequence) -> pd.DataFrame:
    """The data behind the figure: one row per event, ISO dates, a lane per dot in each panel."""
    frame = events.copy()
    frame["date"] = pd.to_datetime(frame["date"]).dt.normalize()
    first, last = day(detail[0]), day(detail[1])
    frame["in_detail"] = frame["date"].between(first, last)
    frame["lane_overview"] = 0
    frame["lane_detail"] = 0
    for _, group in frame.groupby("event_type", sort=False):
        frame.loc[group.index, "lane_overview"] = assign_lanes(group["date"], gap_days=4)
        frame.loc[group.index, "lane_detail"] = assign_lanes(group["date"], gap_days=0.5)
    frame = frame.sort_values(["date", "event_type"], kind="stable").reset_index(drop=True)
    frame["date_label"] = frame["date"].map(long_date)
    frame["midday"] = frame["date"].dt.strftime("%Y-%m-%dT12:00:00Z")  # dots centred on their day
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    return frame[CSV_COLUMNS + PLOT_COLUMNS]


def default_description(frame: pd.DataFrame, window: Sequence, visit: Sequence) -> str:
    """Alt text that states the finding, worked out from the data it describes."""
    dates = pd.to_datetime(frame["date"])
    first, last = day(window[0]), day(window[1])
    visit_start, visit_end = day(visit[0]), day(visit[1])
    near = dates.between(visit_start - pd.Timedelta(days=7), visit_end + pd.Timedelta(days=7))
    return (
        f"Timeline of {len(frame)} reported events from {long_date(first)} to {long_date(last)}, "
        f"one row per type of event, with a close-up of the weeks around the visit below. "
        f"{int(near.sum())} of the {len(frame)} events fall within a week of Rutte's visit to Washington "
        f"on {span(visit_start, visit_end)}, which is shaded; the rest are spread thinly over the other months. "
        f"Every event, with its date, type, place and source, is also listed in the table below the figure."
    )


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
