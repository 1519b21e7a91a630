"""The Washington-visit timeline (`data/events.csv`): its schema and its reader.

One row per dated event, January-August 2025, each with the source that reports it:

    date, time_note, place, actors, event_type, summary,
    source_key, source_title, source_url, source_date, confidence

`source_key` is the entry of `data/references.bib` that the row rests on. The checks are a pandera
schema, like the spending data's; every problem is reported with the file, the CSV line number
(the header is line 1) and the column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from natobook import myst
from natobook.data import printed
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


def _not_blank(values: pd.Series) -> pd.Series:
    return values.str.strip().str.len() > 0


_date = pa.Check(_parses_as_date, error="is not a date written YYYY-MM-DD")
_filled = pa.Check(_not_blank, error="is empty")

EVENTS_SCHEMA = pa.DataFrameSchema(
    {
        "date": pa.Column(str, _date),
        "time_note": pa.Column(str),  # may be blank; every other column must say something
        "place": pa.Column(str, _filled),
        "actors": pa.Column(str, _filled),
        "event_type": pa.Column(str, pa.Check.isin(EVENT_TYPES, error=f"is not one of {', '.join(EVENT_TYPES)}")),
        "summary": pa.Column(str, _filled),
        "source_key": pa.Column(
            str, pa.Check.str_matches(r"^[A-Za-z][\w:-]*$", error="is not a bibliography key (letters, digits, _ : -)")
        ),
        "source_title": pa.Column(str, _filled),
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


def _record_lines(path: Path) -> list[int]:
    """The CSV line on which each data record starts (header = line 1), quoted newlines allowed."""
    starts: list[int] = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        previous_end = reader.line_num
        for record in reader:
            if record:  # pandas skips blank lines, so do we
                starts.append(previous_end + 1)
            previous_end = reader.line_num
    return starts


def _as_timestamp(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _line_of(lines: list[int], index) -> int | None:
    try:
        return lines[int(index)]
    except (TypeError, ValueError, IndexError):
        return None


def _read_text_csv(path: str | Path) -> tuple[pd.DataFrame, list[int], str]:
    """All cells as text (blank stays ""), the line on which each record starts, the file name."""
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise DataError([Problem(name, "file not found")])
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        lines = _record_lines(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError([Problem(name, f"cannot be read as CSV: {exc}")]) from exc
    return frame, lines, name


def _validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, name: str, lines: list[int]) -> list[Problem]:
    """Every schema failure as a Problem located by CSV line number and column."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        for case in exc.failure_cases.itertuples(index=False):
            if case.check == "column_in_dataframe":
                problems.append(Problem(name, "required column is missing", column=str(case.failure_case)))
                continue
            column = None if pd.isna(case.column) else str(case.column)
            value = "" if pd.isna(case.failure_case) else str(case.failure_case)
            check = "is repeated" if case.check == "field_uniqueness" else case.check
            problems.append(Problem(name, f"{value!r} {check}", row=_line_of(lines, case.index), column=column))
        return sorted(problems, key=lambda p: (p.row if isinstance(p.row, int) else 0, p.column or ""))
    return []


def read_events(path: str | Path, window: Iterable | None = None) -> pd.DataFrame:
    """Read and check the events file; return it with `date` and `source_date` as datetimes.

    `window` is an optional (first, last) pair of dates (strings or timestamps, both inclusive):
    an event dated outside it is an error, not silently dropped.
    Raises `DataError` listing every problem with its file, CSV line number and column.
    """
    frame, lines, name = _read_text_csv(path)
    problems = _validate(frame, EVENTS_SCHEMA, name, lines)
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
                        row=_line_of(lines, index),
                        column="date",
                    )
                    for index, day in outside["date"].items()
                ]
            )
    return frame


def source_keys(frame: pd.DataFrame) -> list[str]:
    """The distinct bibliography keys the events cite, in order of first appearance."""
    return list(dict.fromkeys(frame["source_key"]))


# ---------------------------------------------------------------------------------------------
# The claims check (`data/claims.csv`): what was widely reported, and what the sources show.
#
#     claim_id, claim, verdict, finding, source_keys, report_facts
#
# `source_keys` lists bibliography keys separated by ";". A claim that quotes the Annual Report's numbers
# names them in `report_facts` (fact_ids of data/published/annual_report_2024.csv) and leaves `verdict`
# blank: its verdict is worked out from that file, the one the reproduction page judges, so that the
# two pages cannot disagree. Numbers from the spending data are never
# written into the text: a placeholder `[[name:.1f]]` stands for the value the notebook glues under
# `name` (shown with `{glue:text}`), and `[[name]]` for glued text (shown with `{glue:md}`).

VERDICTS: tuple[str, ...] = ("confirmed", "partly confirmed", "corrected", "unverifiable")
PLACEHOLDER = re.compile(r"\[\[([A-Za-z_][\w-]*)(:[^\]]*)?\]\]")
_KEY = r"[A-Za-z][\w:-]*"

CLAIMS_SCHEMA = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(
            str, pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$", error="is not a lower-case id"), unique=True
        ),
        "claim": pa.Column(str, _filled),
        "verdict": pa.Column(str, pa.Check.isin((*VERDICTS, ""), error=f"is not one of {', '.join(VERDICTS)}")),
        "finding": pa.Column(str, _filled),
        "source_keys": pa.Column(
            str,
            pa.Check.str_matches(rf"^\s*{_KEY}(\s*;\s*{_KEY})*\s*$", error="is not a list of bibliography keys"),
        ),
    },
    strict=False,
    ordered=False,
    name="claims",
)


def split_keys(value: str) -> list[str]:
    """'a; b;c' -> ['a', 'b', 'c']."""
    return [key.strip() for key in value.split(";") if key.strip()]


def report_verdict(fact_ids: list[str], facts: pd.DataFrame) -> str:
    """A claim quoting the report's numbers holds if a source prints every one of them, in part if some
    (the others are 'not printed' on the reproduction page), and cannot be checked if none."""
    held = facts.set_index("fact_id")["value"].reindex(fact_ids).notna()
    return "confirmed" if held.all() else "partly confirmed" if held.any() else "unverifiable"


def read_claims(path: str | Path, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and check the claims file; `source_keys` becomes a list of keys per claim, and a claim with
    `report_facts` gets its verdict from `facts` (by default the Annual Report's, natobook.data.printed)."""
    frame, lines, name = _read_text_csv(path)
    problems = _validate(frame, CLAIMS_SCHEMA, name, lines)
    if "report_facts" not in frame.columns:
        frame = frame.assign(report_facts="")
    problems += [
        Problem(
            name,
            "is blank: give a verdict or the report_facts it is worked out from",
            row=_line_of(lines, index),
            column="verdict",
        )
        for index in frame.index[(frame["verdict"] == "") & (frame["report_facts"] == "")]
    ]
    if problems:
        raise DataError(problems)
    if facts is None:
        facts = printed.read_facts()
    if unknown := sorted({key for keys in frame["report_facts"] for key in split_keys(keys)} - set(facts["fact_id"])):
        raise DataError(
            [Problem(name, f"names facts the published file lacks: {', '.join(unknown)}", column="report_facts")]
        )
    frame = frame.copy()
    frame["source_keys"] = frame["source_keys"].map(split_keys)
    quoted = frame["report_facts"] != ""
    frame.loc[quoted, "verdict"] = [
        report_verdict(split_keys(keys), facts) for keys in frame.loc[quoted, "report_facts"]
    ]
    return frame


def placeholders(text: str) -> list[str]:
    """The names of the glued values a claims text refers to."""
    return [match.group(1) for match in PLACEHOLDER.finditer(text)]


def with_glue_roles(text: str) -> str:
    """Escape a claims text for MyST and turn its placeholders into glue roles."""
    out, position = [], 0
    for match in PLACEHOLDER.finditer(text):
        out.append(myst.escape(text[position : match.start()]))
        name, spec = match.group(1), match.group(2)
        out.append(f"{{glue:text}}`{name}{spec}`" if spec else f"{{glue:md}}`{name}`")
        position = match.end()
    out.append(myst.escape(text[position:]))
    return "".join(out)


def claims_table_myst(
    claims: pd.DataFrame,
    caption: str = "Widely reported claims, checked against the sources",
    unavailable: dict[str, str] | None = None,
) -> str:
    """A MyST list-table of the claims, with glue roles for numbers and `{cite:p}` for sources.

    Meant to be glued as Markdown and shown with ```{glue:md} name``` and `:format: myst`, so that
    the roles inside it are resolved by the book build like any other. `unavailable`: placeholder -> the note saying
    what the edition lacks for it; a cell that quotes such a value is that note, whole, never a sentence with a hole.
    """
    unavailable = unavailable or {}

    def cell(text: str) -> str:
        lacking = [unavailable[name] for name in placeholders(text) if name in unavailable]
        return myst.escape(" ".join(dict.fromkeys(lacking))) if lacking else with_glue_roles(text)

    rows = []
    for claim in claims.itertuples(index=False):
        keys = claim.source_keys if isinstance(claim.source_keys, list) else split_keys(claim.source_keys)
        rows.append(
            [
                cell(claim.claim),
                f"**{myst.escape(claim.verdict.capitalize())}**",
                cell(claim.finding),
                f"{{cite:p}}`{','.join(keys)}`",
            ]
        )
    header = ["Claim as reported", "Verdict", "What the sources show", "Sources"]
    return myst.list_table(caption, "30 13 42 15", "claims-table", header, rows)
