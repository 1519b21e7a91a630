"""The one registry of the tidy data's indicators (data/indicators.yml), checked with pydantic.

Everything else that must know the indicators is derived from it: the schema's pattern of valid codes, the
units the ingest writes, the decimals NATO prints (natobook.data.rounding) and the words of the pages' notes
("needs share of GDP for 2014"). A new indicator is one entry in the file, not five edits in four modules.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from natobook import paths
from natobook.data import checked_yaml

REGISTRY_FILE = paths.DATA / "indicators.yml"
# What each placeholder of a code template stands for, as a regular expression.
PLACEHOLDERS = {"base": r"\d{4}", "first": r"\d{4}", "last": r"\d{4}", "label": r"\d{4}e?"}
CODE_TEMPLATE = re.compile(r"^[a-z0-9_]*(\{(" + "|".join(PLACEHOLDERS) + r")\}[a-z0-9_]*)*$")


class Indicator(BaseModel):
    """One entry: the NATO table it comes from, the unit template, NATO's decimals, the words of a note."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    decimals: int = Field(ge=0, le=6)
    words: str = Field(min_length=1)


class Registry(RootModel[dict[str, Indicator]]):
    """Code template -> Indicator."""


@cache
def indicators(path: Path = REGISTRY_FILE) -> dict[str, Indicator]:
    """The registry, read and checked; DataError names the file, the code and the key at fault."""
    return checked_yaml.read(
        path,
        Registry,
        CODE_TEMPLATE,
        lambda code: (
            f"{code!r} is no code template: lower-case letters, digits, '_' and "
            f"the placeholders {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
        ),
    )


def code_pattern(template: str) -> str:
    """The regular expression of a code template: 'defexp_usd_const{base}' -> 'defexp_usd_const\\d{4}'."""
    return re.sub(r"\{(\w+)\}", lambda match: PLACEHOLDERS[match[1]], template)


def schema_pattern() -> str:
    """Every valid indicator code, as one alternation (natobook.data.schema)."""
    return "|".join(code_pattern(template) for template in indicators())


def unit_template(template: str) -> str:
    """The unit the ingest writes for the code `template` (a KeyError names a code the registry lacks)."""
    return indicators()[template].unit


def decimals_by_pattern() -> tuple[tuple[str, int], ...]:
    """(code pattern, decimals NATO prints): the rounding rules (natobook.data.rounding)."""
    return tuple((code_pattern(template), entry.decimals) for template, entry in indicators().items())


def words_by_pattern() -> dict[str, str]:
    """Code pattern -> the words of a note; a page asks by code or by the pattern of a constant-price code."""
    return {code_pattern(template): entry.words for template, entry in indicators().items()}
