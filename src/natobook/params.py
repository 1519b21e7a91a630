"""Parameter sets (data/params/*.yml): which notebooks to run, on which data, with which parameters.

Parameters are checked here, before they reach a notebook: a wrong type or a value out of
range stops the build with a message naming the file and the key.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from natobook import paths
from natobook.errors import ParameterError


@dataclass(frozen=True)
class NotebookRun:
    """One papermill execution: a source notebook, where its output goes, and its parameters."""

    source: Path
    output: Path
    parameters: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ParameterSet:
    name: str
    edition: str
    data: Path
    report_year: int | None
    runs: tuple[NotebookRun, ...]


def _require(mapping: dict, key: str, kind: type | tuple, where: str):
    if key not in mapping:
        raise ParameterError(f"{where}: missing key {key!r}")
    value = mapping[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ParameterError(f"{where}: key {key!r} must be {expected}, got {type(value).__name__} {value!r}")
    return value


def _check_report_year(value, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1949 <= value <= 2100:
        raise ParameterError(f"{where}: key 'report_year' must be a year between 1949 and 2100, got {value!r}")
    return value


def load(path: Path) -> ParameterSet:
    """Read and check a parameter set; paths inside it are relative to the book's root."""
    path = Path(path)
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"{where}: no such parameter file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{where}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise ParameterError(f"{where}: expected a mapping of keys, got {type(raw).__name__}")
    runs = []
    for index, entry in enumerate(_require(raw, "notebooks", list, where)):
        entry_where = f"{where}: notebooks[{index}]"
        if not isinstance(entry, dict):
            raise ParameterError(f"{entry_where}: expected a mapping with 'source'")
        source = paths.ROOT / _require(entry, "source", str, entry_where)
        output = paths.ROOT / entry.get("output", f"chapters/{source.name}")
        runs.append(NotebookRun(source, output, dict(_require(entry, "parameters", dict, entry_where) if "parameters" in entry else {})))
    return ParameterSet(
        name=path.stem,
        edition=str(_require(raw, "edition", (str, int), where)),
        data=paths.ROOT / _require(raw, "data", str, where),
        report_year=_check_report_year(raw.get("report_year"), where),
        runs=tuple(runs),
    )
