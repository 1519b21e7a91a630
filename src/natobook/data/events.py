"""The Washington-visit timeline (`data/events.csv`): its schema and its reader (the claims: natobook.data.claims).

One row per dated event, January-August 2025, each with the source that reports it:

    date, time_note, place, actors, event_type, summary,
    source_key, source_title, source_url, source_date, confidence

`source_key` is the entry of `data/references.bib` that the row rests on. The checks are a pandera
schema, like the spending data's; every problem is reported with the file, the CSV line number
(the header is line 1) and the column.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from natobook.data import text_csv
from natobook.errors import DataError, Problem

# The kinds of event the timeline distinguishes, in the order the chart lists them.
EVENT_TYPES: tuple[str, ...] = ("meeting", "statement", "negotiation", "publication", "personnel", "summit")
CONFIDENCE_LEVELS: tuple[str, ...] = ("high", "medium", "low")
DATE_FORMAT = "%Y-%m-%d"

COLUMNS: tuple[str, ...] = (
    "date",
    "time_note",
    "place",
    "actors",
    "event_type",
    "summary",
    "source_key",
    "source_title",
    "source_url",
    "source_date",
    "confidence",
)


def _parses_as_date(values: pd.Series) -> pd.Series:
    written = values.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
    return written & pd.to_datetime(values, format=DATE_FORMAT, errors="coerce").notna()


_date = pa.Check(_parses_as_date, error="is not a date written YYYY-MM-DD")

EVENTS_SCHEMA = pa.DataFrameSchema(
    {
        "date": pa.Column(str, _date),
        "time_note": pa.Column(str),  # may be blank; every other column must say something
        "place": pa.Column(str, text_csv.FILLED),
        "actors": pa.Column(str, text_csv.FILLED),
        "event_type": pa.Column(str, pa.Check.isin(EVENT_TYPES, error=f"is not one of {', '.join(EVENT_TYPES)}")),
        "summary": pa.Column(str, text_csv.FILLED),
        "source_key": pa.Column(
            str, pa.Check.str_matches(r"^[A-Za-z][\w:-]*$", error="is not a bibliography key (letters, digits, _ : -)")
        ),
        "source_title": pa.Column(str, text_csv.FILLED),
        "source_url": pa.Column(str, pa.Check.str_matches(r"^https?://\S+$", error="is not an http(s) URL")),
        "source_date": pa.Column(str, _date),
        "confidence": pa.Column(
            str, pa.Check.isin(CONFIDENCE_LEVELS, error=f"is not one of {', '.join(CONFIDENCE_LEVELS)}")
        ),
    },
    strict=False,  # extra columns are carried along, not refused
    ordered=False,
    name="events",
)


def _as_timestamp(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def read_events(path: str | Path, window: Iterable | None = None) -> pd.DataFrame:
    """Read and check the events file; return it with `date` and `source_date` as datetimes.

    `window` is an optional (first, last) pair of dates (strings or timestamps, both inclusive):
    an event dated outside it is an error, not silently dropped.
    Raises `DataError` listing every problem with its file, CSV line number and column.
    """
    frame, lines, name = text_csv.read(path)
    problems = text_csv.validate(frame, EVENTS_SCHEMA, name, lines)
    if problems:
        raise DataError(problems)

    frame = frame.copy()
    frame["date"] = pd.to_datetime(frame["date"], format=DATE_FORMAT)
    frame["source_date"] = pd.to_datetime(frame["source_date"], format=DATE_FORMAT)

    if window is not None:
        first, last = (_as_timestamp(w) for w in window)
        if first > last:
            raise DataError([Problem(name, f"the window starts ({first:%Y-%m-%d}) after it ends ({last:%Y-%m-%d})")])
        outside = frame[(frame["date"] < first) | (frame["date"] > last)]
        if not outside.empty:
            raise DataError(
                [
                    Problem(
                        name,
                        f"{day:%Y-%m-%d} lies outside the window {first:%Y-%m-%d} to {last:%Y-%m-%d}",
                        row=text_csv.line_of(lines, index),
                        column="date",
                    )
                    for index, day in outside["date"].items()
                ]
            )
    return frame


def source_keys(frame: pd.DataFrame) -> list[str]:
    """The distinct bibliography keys the events cite, in order of first appearance."""
    return list(dict.fromkeys(frame["source_key"]))
