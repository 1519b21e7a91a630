"""Parameter sets (data/params/*.yml): which notebooks to run, on which data, with which parameters.

Parameter sets are checked here with pydantic, before anything runs: a wrong type, an unknown key or a
value out of range stops the build with a message naming the file, the entry and the key.

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
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError, model_validator

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


class _Entry(BaseModel):
    """One `notebooks:` entry as written in the file."""

    model_config = ConfigDict(extra="forbid")

    source: StrictStr
    output: StrictStr | None = None
    parameters: dict[str, Any] = {}
    foreach: Literal[tuple(FOREACH)] | None = None

    @model_validator(mode="after")
    def _foreach_writes_one_page_per_item(self) -> _Entry:
        if self.foreach is not None and (self.output is None or not PLACEHOLDER.search(self.output)):
            raise ValueError("a foreach entry needs an output with a placeholder, e.g. {{ iso3|lower }}")
        return self


class _SetFile(BaseModel):
    """A parameter set as written in data/params/*.yml."""

    model_config = ConfigDict(extra="forbid")

    edition: StrictStr  # YYYY-MM, quoted or not: YAML reads 2024-06 as text
    data: StrictStr
    report_year: StrictInt | None = Field(default=None, ge=1949, le=2100)  # null: the latest year in the data
    notebooks: list[_Entry]


def _where(location: tuple) -> str:
    """('notebooks', 0, 'foreach') -> "notebooks[0]: key 'foreach'"."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f"{': ' if text else ''}key {part!r}"
    return text.replace("key 'notebooks'[", "notebooks[")


# pydantic's words where they would name our classes; "Input should be ..." reads "expected ...".
_PLAIN_WORDS = {
    "model_type": "expected a mapping of keys",
    "dict_type": "expected a mapping of keys",
    "missing": "missing: this key is required",
    "extra_forbidden": "not a key the book knows",
}


def _message(where: str, error: ValidationError) -> str:
    """Every problem of the file, each with the entry and key it is in, and the value found."""
    lines = []
    for issue in error.errors():
        words = _PLAIN_WORDS.get(issue["type"], issue["msg"].removeprefix("Value error, "))
        words = words.replace("Input should be ", "expected ")
        shown = issue["type"] not in ("missing", "value_error") and "input" in issue
        found = f", found {issue['input']!r}" if shown else ""
        located = _where(issue["loc"])
        lines.append(f"{where}: {located}: {words}{found}" if located else f"{where}: {words}{found}")
    return "\n".join(lines)


def load(path: Path) -> ParameterSet:
    """Read and check a parameter set (pydantic); paths inside it are relative to the book's root."""
    path = Path(path)
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(
            f"{where}: no such parameter file; expected a parameter set such as "
            f"{paths.PARAMS / 'ar2024.yml'} (a relative path is read from the working folder, "
            f"then from the book's folder, {paths.ROOT})"
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{where}: not valid YAML ({exc})") from None
    try:
        checked = _SetFile.model_validate(raw)
    except ValidationError as error:
        raise ParameterError(_message(where, error)) from None
    entries = tuple(
        NotebookEntry(
            paths.ROOT / entry.source,
            entry.output or f"chapters/{Path(entry.source).stem}.ipynb",
            dict(entry.parameters),
            entry.foreach,
        )
        for entry in checked.notebooks
    )
    return ParameterSet(
        name=path.stem,
        edition=str(checked.edition),
        data=paths.ROOT / checked.data,
        report_year=checked.report_year,
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
