"""The registry of data editions (data/editions.yml): what NATO published, when, on what price basis."""

from __future__ import annotations

import datetime
import re
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from natobook import paths
from natobook.data import checked_yaml
from natobook.data.schema import EDITION_FORMAT

REGISTRY_FILE = paths.DATA / "editions.yml"
EDITION_NAME = re.compile(EDITION_FORMAT)


class Edition(BaseModel):
    """One entry of data/editions.yml; a wrong or missing key is refused with the file, the edition and the key."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    producer: str = Field(min_length=1)
    reference: str = Field(min_length=1)
    published: datetime.date
    price_base_year: int | None = Field(ge=1949, le=2100)
    # Where the base year comes from when NATO's release does not state it (said wherever it is shown).
    price_base_year_source: str | None = None
    raw_file: str = Field(min_length=1)
    estimate_note: str | None = None
    share_of_gdp_table: str | None = None


class Registry(RootModel[dict[str, Edition]]):
    """Edition (YYYY-MM) -> Edition."""


@cache
def registry(path: Path = REGISTRY_FILE) -> dict[str, dict]:
    """Every edition data/editions.yml describes, checked (DataError names the file, the edition and the key)."""
    entries = checked_yaml.read(
        path,
        Registry,
        EDITION_NAME,
        lambda name: f"edition {name!r}: expected YYYY-MM, the year and month of NATO's release",
    )
    return {name: entry.model_dump() for name, entry in entries.items()}


def is_described(edition: str) -> bool:
    """Whether data/editions.yml has an entry for the edition."""
    return edition in registry()


def undescribed(edition: str) -> dict:
    """The stand-in entry of an edition data/editions.yml does not describe: clearly labelled, never guessed.

    A new release can be built before anyone has written its entry; its pages then say so instead of failing.
    `published` and `price_base_year` are None (read the base year from the data: indicators.price_base_year).
    """
    return {
        "title": f"NATO defence-expenditure data, edition {edition} (not described in data/editions.yml)",
        "producer": "NATO",
        "reference": None,
        "published": None,
        "price_base_year": None,
        "price_base_year_source": None,
        "raw_file": None,
        "estimate_note": None,
        "share_of_gdp_table": None,
    }


def describe(edition: str) -> dict:
    """The registry entry of one edition; for an edition it does not know, the labelled stand-in (`undescribed`)."""
    known = registry()
    return known[edition] if edition in known else undescribed(edition)


def release_date(edition: str) -> str:
    """'17 June 2024', or what the reader needs to know when the registry does not record it."""
    published = describe(edition)["published"]
    return f"{published.day} {published:%B %Y}" if published else "release date not recorded in data/editions.yml"


def description(edition: str) -> str:
    """What the landing page says of the edition: '“<title>” (<reference>), released on 17 June 2024', or the
    labelled stand-in and 'release date not recorded in data/editions.yml'."""
    entry = describe(edition)
    if not is_described(edition):
        return f"{entry['title']}; {release_date(edition)}"
    return f"“{entry['title']}” ({entry['reference']}), released on {release_date(edition)}"


def edition_label(edition: str) -> str:
    """How prose names the edition: 'June 2024' (the month NATO released it), or 'edition 2099-01'."""
    published = describe(edition)["published"]
    return f"{published:%B %Y}" if published else f"edition {edition}"


def estimate_name(edition: str) -> str:
    """How prose names the edition's figures after "NATO's" or "the": 'June estimate' (the month of the
    release), or 'edition 2099-01' where no release date is recorded."""
    published = describe(edition)["published"]
    return f"{published:%B} estimate" if published else f"edition {edition}"


def later_or_earlier(edition: str, than: str) -> str:
    """'a later', 'an earlier' or, where a release date is not recorded, 'another': how prose places
    `edition` beside `than` ("the report rests on a later data edition than ours")."""
    mine, theirs = describe(edition)["published"], describe(than)["published"]
    if not mine or not theirs or mine == theirs:
        return "another"
    return "a later" if mine > theirs else "an earlier"


def source_note(edition: str, table: str | None = None) -> str:
    """'NATO, <title>, <table>, <reference>, published <date>' for a figure's Source line.

    For an edition data/editions.yml does not describe: 'NATO defence-expenditure data, edition <X> (not
    described in data/editions.yml), <table>'.
    """
    entry = describe(edition)
    if not is_described(edition):
        return ", ".join(filter(None, [entry["title"], table]))
    parts = [entry["producer"], f"“{entry['title']}”"]
    if table:
        parts.append(table)
    parts += [entry["reference"], f"published {entry['published']:%d %B %Y}"]
    return ", ".join(parts)
