"""The registry of data editions (data/editions.yml): what NATO published, when, on what price basis."""
from __future__ import annotations

from functools import cache

import yaml

from natobook import paths
from natobook.errors import ParameterError


@cache
def registry() -> dict[str, dict]:
    with open(paths.DATA / "editions.yml", encoding="utf-8") as handle:
        return {str(name): entry for name, entry in yaml.safe_load(handle).items()}


def describe(edition: str) -> dict:
    """The registry entry of one edition, or a ParameterError listing the known ones."""
    known = registry()
    if edition not in known:
        raise ParameterError(f"unknown edition {edition!r}; data/editions.yml knows {', '.join(sorted(known))}")
    return known[edition]


def source_note(edition: str, table: str | None = None) -> str:
    """'NATO, <title>, <table>, <reference>, published <date>' for a figure's Source line."""
    entry = describe(edition)
    parts = [entry["producer"], f"“{entry['title']}”"]
    if table:
        parts.append(table)
    parts += [entry["reference"], f"published {entry['published']:%d %B %Y}"]
    return ", ".join(parts)
