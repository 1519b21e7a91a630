"""The book's YAML registries (data/indicators.yml, data/editions.yml, data/workbook_tables.yml), read and checked
with their pydantic models, so that a mistake in one is an error naming the file and the key, not a traceback."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import RootModel, ValidationError

from natobook.errors import DataError, Problem

Root = TypeVar("Root", bound=RootModel)


def read(path: Path, model: type[Root], key: re.Pattern, bad_key: Callable[[str], str]):
    """The file's top-level mapping (its keys as text: YAML reads some names as numbers), checked with the root
    model, each key matched in full by `key`; DataError lists each problem as 'data/x.yml, column 'key.field':
    message', and each key that does not match as 'data/x.yml: <bad_key(key)>'."""
    with open(path, encoding="utf-8") as handle:
        raw = {str(name): entry for name, entry in (yaml.safe_load(handle) or {}).items()}
    try:
        entries = model.model_validate(raw).root
    except ValidationError as error:
        raise DataError(
            [
                Problem(str(path), issue["msg"], column=".".join(str(part) for part in issue["loc"]) or None)
                for issue in error.errors()
            ]
        ) from None
    if bad := [name for name in entries if not key.fullmatch(name)]:
        raise DataError([Problem(str(path), bad_key(name)) for name in bad])
    return entries
