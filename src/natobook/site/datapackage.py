"""One edition's tidy data as a Frictionless Data Package: the CSV and a `datapackage.json` that describes it.

The descriptor is written from what the project already states: the column types of the tidy schema, the
units the data itself carries per indicator, the edition's entry in data/editions.yml and the provenance of
its raw file (data/raw/*.meta.yml). Readers can then cite, load and check the data without this book's code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml

from natobook import paths
from natobook.build import provenance
from natobook.data import editions, schema
from natobook.data.tidy_csv import write_tidy_csv

DATA_FILE = "nato_defence_expenditure.csv"
DESCRIPTOR = "datapackage.json"
# NATO's terms: its material may be reproduced with acknowledgement of the source. Open Definition's id for
# "other, attribution" says exactly that; the title quotes the terms as the raw file's provenance states them.
LICENCE_ID = "other-at"

_FIELDS = {
    "edition": (
        "string",
        "NATO's release, year and month (YYYY-MM)",
        {"required": True, "pattern": schema.EDITION_FORMAT},
    ),
    "country": ("string", "The Ally as NATO spells it, or one of NATO's aggregates", {"required": True}),
    "iso3": ("string", "ISO 3166-1 alpha-3 code of the Ally; blank for NATO's aggregates", {"pattern": "[A-Z]{3}"}),
    "year": ("integer", "Calendar year", {"required": True}),
    "indicator": ("string", "What is measured: see `indicators` for each code's units", {"required": True}),
    "value": ("number", "The number as NATO prints it (NATO's rounding), in `unit`", {"required": True}),
    "unit": ("string", "The unit of `value`, in words", {"required": True}),
    "estimate": ("boolean", "true for the years NATO marks 'e' (estimates)", {"required": True}),
}


def _field(name: str, codes: list[str]) -> dict:
    kind, description, constraints = _FIELDS[name]
    if name == "indicator":
        constraints = constraints | {"enum": codes}
    field = {"name": name, "type": kind, "description": description, "constraints": constraints}
    if kind == "boolean":
        field |= {"trueValues": [schema.BOOL_TEXT[True]], "falseValues": [schema.BOOL_TEXT[False]]}
    return field


def units_by_indicator(data: pd.DataFrame) -> dict[str, list[str]]:
    """Every unit each indicator is given in (national-currency tables have one per currency)."""
    return {code: sorted(units) for code, units in data.groupby("indicator")["unit"].unique().items()}


def _raw_provenance(entry: dict) -> dict:
    raw = entry.get("raw_file")
    meta = paths.ROOT / f"{raw}.meta.yml" if raw else None
    if meta is None or not meta.is_file():
        return {}
    with open(meta, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _sources(entry: dict, raw: dict) -> list[dict]:
    urls = raw.get("url") or {}
    reference = f" ({entry['reference']})" if entry.get("reference") else ""
    published = f", published {entry['published']}" if entry.get("published") else ""
    source = {"title": f"{entry['producer']}, {entry['title']}{reference}{published}"}
    if address := urls.get("page") or urls.get("report_page"):
        source["path"] = address
    return [source]


def descriptor(data: pd.DataFrame, edition: str, csv_path: Path) -> dict:
    """The Data Package descriptor of `csv_path`, which holds `data`: one edition's tidy rows."""
    entry = editions.describe(edition)
    raw = _raw_provenance(entry)
    units = units_by_indicator(data)
    return {
        "profile": "tabular-data-package",
        "name": f"nato-defence-expenditure-{edition}",
        "title": f"{entry['title']}, edition {edition}, as tidy data",
        "description": "One row per edition, Ally (or NATO aggregate), year and indicator, with NATO's printed value, "
        "its unit and NATO's estimate mark. Made by the natobook build from NATO's own tables.",
        "version": edition,
        "licenses": [
            {
                "name": LICENCE_ID,
                "title": " ".join(
                    str(raw.get("terms_of_use", "NATO material, reproduced with acknowledgement")).split()
                ),
            }
        ],
        "sources": _sources(entry, raw),
        "indicators": units,
        "resources": [
            {
                "name": "nato-defence-expenditure",
                "path": csv_path.name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": csv_path.stat().st_size,
                "hash": f"sha256:{provenance.sha256(csv_path)}",
                "schema": {
                    "fields": [_field(name, sorted(units)) for name in schema.COLUMNS],
                    "missingValues": [""],
                    "primaryKey": list(schema.KEY),
                },
            }
        ],
    }


def write_package(data: pd.DataFrame, edition: str, folder: Path) -> Path:
    """Write `edition`'s rows of `data` and their descriptor into `folder`; return the descriptor's path."""
    rows = data[data["edition"] == edition]
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / DATA_FILE
    write_tidy_csv(rows, csv_path)
    target = folder / DESCRIPTOR
    target.write_text(
        json.dumps(descriptor(rows, edition, csv_path), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return target
