"""Parameter sets (data/params/*.yml): which notebooks to run, on which data, with which parameters.

Parameters are checked here, before they reach a notebook: a wrong type or a value out of
range stops the build with a message naming the file and the key.

One notebook can be run once per Ally: an entry with `foreach` is expanded over the data,
so a new Ally in next year's data gets its page without an edit here::

    - source: notebooks/country_profile.md
      foreach: ally                                   # see FOREACH
      output: chapters/countries/{{ iso3|lower }}.ipynb
      parameters: {first_year: 2014}

Each expanded run gets the parameters of its item (here `iso3`). `{{ name }}` and
`{{ name|lower }}` in `output` are filled from the run's parameters; the pipeline fills the
same placeholders in the notebook's markdown cells after execution (figure names, links).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from natobook import paths
from natobook.errors import ParameterError

# {{ name }} or {{ name|lower }}; anything else in double braces is left alone (MyST substitutions).
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*(\|\s*lower\s*)?\}\}")


@dataclass(frozen=True)
class NotebookRun:
    """One papermill execution: a source notebook, where its output goes, and its parameters."""

    source: Path
    output: Path
    parameters: dict = field(default_factory=dict)


@dataclass(frozen=True)
class NotebookEntry:
    """One `notebooks:` entry of a parameter set, before `foreach` is expanded."""

    source: Path
    output: str  # relative to the book's root; may hold {{ placeholders }}
    parameters: dict
    foreach: str | None = None


@dataclass(frozen=True)
class ParameterSet:
    name: str
    edition: str
    data: Path
    report_year: int | None
    entries: tuple[NotebookEntry, ...]


def _allies_reporting(frame: pd.DataFrame) -> list[dict]:
    from natobook.analysis import profiles

    return [{"iso3": code} for code in profiles.allies_reporting(frame)["iso3"]]


def _allies_without_armed_forces(frame: pd.DataFrame) -> list[dict]:
    from natobook.data import schema

    named = frame.loc[frame["iso3"] != "", ["country", "iso3"]].drop_duplicates("iso3").sort_values("country")
    return [{"iso3": code} for code in named["iso3"] if not schema.ally(code).has_armed_forces]


# What `foreach` can expand over: each takes the set's edition of the tidy data, returns one
# parameter mapping per run.
FOREACH = {
    "ally": _allies_reporting,  # every Ally with any defence-expenditure indicator in the data
    # allies.csv: has_armed_forces false (Iceland); an Ally not listed there has armed forces (schema.ally)
    "ally_without_armed_forces": _allies_without_armed_forces,
}


def render(template: str, values: dict, strict: bool = True) -> str:
    """Fill {{ name }} / {{ name|lower }} from `values`; unknown names raise (strict) or stay as they are."""

    def fill(match: re.Match) -> str:
        name, lower = match.group(1), match.group(2)
        if name not in values:
            if strict:
                raise ParameterError(f"{template!r}: no parameter {name!r} to fill {match.group(0)!r}")
            return match.group(0)
        text = str(values[name])
        return text.lower() if lower else text

    return PLACEHOLDER.sub(fill, template)


def generated_pattern(entry: NotebookEntry) -> str | None:
    """The glob of every output a `foreach` entry can write (placeholders as *), to find stale ones."""
    return PLACEHOLDER.sub("*", entry.output) if entry.foreach else None


def _require(mapping: dict, key: str, kind: type | tuple, where: str):
    if key not in mapping:
        raise ParameterError(f"{where}: missing key {key!r}")
    value = mapping[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ParameterError(f"{where}: key {key!r}: expected {expected}, found {type(value).__name__} {value!r}")
    return value


def _check_report_year(value, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1949 <= value <= 2100:
        raise ParameterError(f"{where}: key 'report_year': expected a year from 1949 to 2100, or null for the "
                             f"latest year in the data, found {value!r}")
    return value


def _entry(entry, where: str) -> NotebookEntry:
    if not isinstance(entry, dict):
        raise ParameterError(f"{where}: expected a mapping with 'source'")
    source = paths.ROOT / _require(entry, "source", str, where)
    foreach = entry.get("foreach")
    if foreach is not None and foreach not in FOREACH:
        raise ParameterError(f"{where}: unknown foreach {foreach!r}; known: {', '.join(sorted(FOREACH))}")
    if foreach is not None and not PLACEHOLDER.search(_require(entry, "output", str, where)):
        raise ParameterError(f"{where}: a foreach entry needs an output with a placeholder, e.g. {{{{ iso3|lower }}}}")
    output = _require(entry, "output", str, where) if "output" in entry else f"chapters/{source.stem}.ipynb"
    parameters = dict(_require(entry, "parameters", dict, where)) if "parameters" in entry else {}
    return NotebookEntry(source, output, parameters, foreach)


def load(path: Path) -> ParameterSet:
    """Read and check a parameter set; paths inside it are relative to the book's root."""
    path = Path(path)
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"{where}: no such parameter file; expected a parameter set such as "
                             f"{paths.PARAMS / 'ar2024.yml'} (a relative path is read from the working folder, "
                             f"then from the book's folder, {paths.ROOT})") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{where}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise ParameterError(f"{where}: expected a mapping of keys, got {type(raw).__name__}")
    entries = tuple(
        _entry(entry, f"{where}: notebooks[{index}]")
        for index, entry in enumerate(_require(raw, "notebooks", list, where))
    )
    return ParameterSet(
        name=path.stem,
        edition=str(_require(raw, "edition", (str, int), where)),
        data=paths.ROOT / _require(raw, "data", str, where),
        report_year=_check_report_year(raw.get("report_year"), where),
        entries=entries,
    )


def expand(pset: ParameterSet, frame: pd.DataFrame) -> tuple[NotebookRun, ...]:
    """Every run of the set: `foreach` entries once per item of the set's edition of `frame` (the tidy data)."""
    edition = frame[frame["edition"] == pset.edition]
    runs = []
    for entry in pset.entries:
        items = FOREACH[entry.foreach](edition) if entry.foreach else [{}]
        for item in items:
            parameters = entry.parameters | item
            runs.append(NotebookRun(entry.source, paths.ROOT / render(entry.output, parameters), parameters))
    outputs = [run.output for run in runs]
    if clashes := sorted({str(o.relative_to(paths.ROOT)) for o in outputs if outputs.count(o) > 1}):
        raise ParameterError(f"{pset.name}: more than one notebook writes {', '.join(clashes)}")
    return tuple(runs)
