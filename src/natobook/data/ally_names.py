"""Which Ally or aggregate a row label of NATO's workbook names: a name or alias from allies.csv, else a country
ISO 3166 knows (a new Ally), named as the workbook first spells it."""

from __future__ import annotations

from functools import cache

import pycountry

from natobook.data import schema, vocabulary, workbook_layout


@cache
def _country_by_name() -> dict[str, tuple[str, str]]:
    """Every spelling of an Ally or aggregate (normalised) -> (NATO's spelling, iso3)."""
    names = {workbook_layout.normal(name): (name, "") for name in vocabulary.AGGREGATES}
    for ally in schema.allies():
        names |= {workbook_layout.normal(name): (ally.country, ally.iso3) for name in (ally.country, *ally.aliases)}
    return names


def _iso3_of_country_name(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of the country ISO 3166 calls `name` (its short, official or common name,
    any case), from pycountry; None if none does. Codes are not matched: a row label is a name."""
    fields = ("name", "official_name", "common_name")
    found = next((country for field in fields if (country := pycountry.countries.get(**{field: name}))), None)
    return found.alpha_3 if found else None


def resolve(name: str, resolved: dict[str, str]) -> tuple[str, str] | None:
    """(NATO's spelling, iso3) of the Ally or aggregate `name` names; None if neither allies.csv nor ISO 3166 knows
    it. `resolved` (iso3 -> first spelling) keeps a new Ally's name as the workbook first spelled it."""
    if (ally := _country_by_name().get(workbook_layout.normal(name))) is not None:
        return ally
    spelled = " ".join(name.split())
    if (code := _iso3_of_country_name(spelled)) is None:
        return None
    # an official name of a listed Ally ("Kingdom of Belgium") still gets NATO's spelling
    listed = schema.ally(code, resolved.setdefault(code, spelled))
    return listed.country, listed.iso3


def unknown(name: str, label: object) -> str:
    """What the ingest says of a row label that names no Ally it knows."""
    return (
        f"unknown Ally {name!r} (label {label!r}); expected a name or alias from natobook/data/allies.csv, a country "
        f"name of ISO 3166 (pycountry) for a new Ally, or an aggregate ({', '.join(vocabulary.AGGREGATES)})"
    )
