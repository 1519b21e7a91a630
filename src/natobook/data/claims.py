"""The claims check (`data/claims.csv`): what was widely reported about the visit and the report, and what the
sources show.

    claim_id, claim, verdict, finding, source_keys, report_facts

`source_keys` lists bibliography keys separated by ";". A claim that quotes the Annual Report's numbers
names them in `report_facts` (fact_ids of data/published/annual_report_2024.csv) and leaves `verdict`
blank: its verdict is worked out from that file, the one the reproduction page judges, so that the
two pages cannot disagree. Numbers from the spending data are never
written into the text: a placeholder `[[name:.1f]]` stands for the value the notebook glues under
`name` (shown with `{glue:text}`), and `[[name]]` for glued text (shown with `{glue:md}`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from natobook import myst
from natobook.data import printed, text_csv
from natobook.errors import DataError, Problem

VERDICTS: tuple[str, ...] = ("confirmed", "partly confirmed", "corrected", "unverifiable")
PLACEHOLDER = re.compile(r"\[\[([A-Za-z_][\w-]*)(:[^\]]*)?\]\]")
_KEY = r"[A-Za-z][\w:-]*"

CLAIMS_SCHEMA = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(
            str, pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$", error="is not a lower-case id"), unique=True
        ),
        "claim": pa.Column(str, text_csv.FILLED),
        "verdict": pa.Column(str, pa.Check.isin((*VERDICTS, ""), error=f"is not one of {', '.join(VERDICTS)}")),
        "finding": pa.Column(str, text_csv.FILLED),
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
    frame, lines, name = text_csv.read(path)
    problems = text_csv.validate(frame, CLAIMS_SCHEMA, name, lines)
    if "report_facts" not in frame.columns:
        frame = frame.assign(report_facts="")
    problems += [
        Problem(
            name,
            "is blank: give a verdict or the report_facts it is worked out from",
            row=text_csv.line_of(lines, index),
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
