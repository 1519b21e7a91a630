"""Paragraphs that give way to a note: how a page stays prose on an edition that lacks some of its inputs.

A page's markdown states what each paragraph, caption or figure needs, as cell metadata in the text notebook:

    +++ {"needs": ["latest"]}

    In {glue:md}`report_year_label`, {glue:md}`n_at_guideline` of the ... Allies ...

The page's code says, under the same names, what the edition lacks (`declare`, one call per page, with the
`lacks` of the page's function in natobook.pages). When the executed notebook is post-processed
(natobook.build.execute.postprocess), `give_way` replaces every cell whose needs are lacking, as a whole, by
one plain note saying what the edition lacks: never "[not available]" inside a sentence, never a half-filled
caption. A figure keeps its number and name (other sentences may refer to it), with the note as its caption.
When the page declares `PAGE` lacking (none of its inputs is held), the cell that needs `PAGE` (the page's
first paragraph) says so once and every other lacking cell is left out.

Where a sentence's wording depends on the data (a verdict, whether any Ally is below a line), each wording is a
markdown cell of its own, kept only in its case, and continues the paragraph before it:

    +++ {"needs": ["extra"]}

    **Extra spending.** ... gives USD {glue:md}`edition_extra_bn_text` billion.

    +++ {"case": {"extra": "reproduced"}, "continues": true}

    That is more than the printed figure: reproduced.

The page's code declares each case's value (`Page.cases`, carried beside its `lacks`); a cell is kept when every
case it names has (one of) the value(s) it gives, and a cell that `continues` is joined to the paragraph before it
(with a space, or none before punctuation), so the reader sees one paragraph and the text is written once, here.
A cell with `"continues": "paragraph"` starts a new paragraph after them, under the same needs (one note for all).
Cells left out of their case are passed over: a continuation goes on the paragraph kept before it, so the
wordings of a paragraph's opening may be followed by one continuation common to all (a continuation that belongs to
one wording names that wording's case too). A continuation whose paragraph gave way to its note goes with it. A cell
naming a case its page did not declare is an error: a misspelt case would otherwise drop its text without a word.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping

NOTE = "Not available in this edition"
LACKS_MIMETYPE = "application/vnd.natobook.lacks+json"
CASES_MIMETYPE = "application/vnd.natobook.cases+json"
NEEDS_KEY = "needs"  # markdown cell metadata: the names of what the cell needs
CASE_KEY = "case"  # markdown cell metadata: {case: value or [values]}, the cell is kept in that case only
CONTINUES_KEY = "continues"  # markdown cell metadata: true, the cell goes on the paragraph before it
NEW_PARAGRAPH = "paragraph"  # ... or, as the value of CONTINUES_KEY, after it as a paragraph of its own
PAGE = "page"  # the name a page declares lacking when it can show none of its numbers
# A figure's name may hold a run's placeholder (fig-{{ iso3|lower }}-...: the pipeline fills it after give_way).
FIGURE_DIRECTIVE = re.compile(r"^(?P<fence>`{3,})\{glue:figure\}\s+(?P<name>\S.*?)\s*$", re.MULTILINE)
# A paragraph's bold run-in title ("**Real growth of European Allies and Canada.** The report gives ..."): kept before
# its note, so that the reader knows what the note is about.
RUN_IN = re.compile(r"^\*\*[^*\n]+\*\*(?=\s)")


def note_phrase(missing: Iterable[str]) -> str:
    """'not available in this edition: needs share of GDP for 2014', to go after a subject (what is missing is
    joined by semicolons: each part may list countries with commas and 'and')."""
    return f"{NOTE.lower()}: needs {'; '.join(dict.fromkeys(missing))}"


def note_text(missing: Iterable[str], subject: str = "") -> str:
    """'Not available in this edition: needs share of GDP for 2014.', or with a subject
    'The comparison with 2014 is not available in this edition: needs share of GDP for 2014.'"""
    phrase = note_phrase(missing)
    return f"{subject} is {phrase}." if subject else f"{phrase[0].upper()}{phrase[1:]}."


def declaration(lacks: Mapping[str, list[str]], cases: Mapping[str, str] | None = None) -> dict:
    """The output that carries a page's `lacks` (name -> what the edition lacks for it; [] for nothing) and its
    `cases` (name -> value) to the post-processing: shown with IPython's display(..., raw=True) in a removed cell."""
    return {
        LACKS_MIMETYPE: {name: list(missing) for name, missing in sorted(lacks.items()) if missing},
        CASES_MIMETYPE: dict(sorted((cases or {}).items())),
        "text/plain": "",
    }


def declared_lacks(notebook) -> dict[str, list[str]]:
    """Every name an executed notebook's page declared lacking, with what it lacks."""
    return _declared(notebook, LACKS_MIMETYPE)


def declared_cases(notebook) -> dict[str, str]:
    """Every case an executed notebook's page declared, with its value."""
    return _declared(notebook, CASES_MIMETYPE)


def _declared(notebook, mimetype: str) -> dict:
    found: dict = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            declared = output.get("data", {}).get(mimetype)
            if declared is not None:
                found.update(json.loads(declared) if isinstance(declared, str) else declared)
    return found


def give_way(notebook) -> None:
    """Replace each markdown cell whose needs the page declared lacking by its note, keep each wording in its case
    only, and join continuations to their paragraph (see the module's doc)."""
    lacks, cases = declared_lacks(notebook), declared_cases(notebook)
    kept = []
    paragraph = None  # the kept markdown cell, as written, that a continuation joins
    for cell in notebook.cells:
        if _continues(cell):
            if paragraph is not None and _in_case(cell, cases):
                paragraph.source = _joined(paragraph.source, cell.source, cell.metadata[CONTINUES_KEY])
            continue
        if not _in_case(cell, cases):
            continue  # a wording of another case: what continues goes on the wording kept before it
        needs = _needs_of(cell)
        missing = [phrase for name in needs for phrase in lacks.get(name, [])]
        paragraph = cell if cell.get("cell_type") == "markdown" and not missing else None
        if not missing:
            kept.append(cell)
        elif PAGE not in lacks or PAGE in needs:  # else the page's own note, at the top, already says it
            cell.source = _note_in_place_of(cell.source, missing)
            kept.append(cell)
    notebook.cells = kept


def _continues(cell) -> bool:
    return cell.get("cell_type") == "markdown" and cell.get("metadata", {}).get(CONTINUES_KEY) in (True, NEW_PARAGRAPH)


def _in_case(cell, cases: Mapping[str, str]) -> bool:
    """Whether every case the cell names has (one of) its values; an undeclared case is an error, not a silence."""
    wanted = cell.get("metadata", {}).get(CASE_KEY, {}) if cell.get("cell_type") == "markdown" else {}
    for name, values in wanted.items():
        if name not in cases:
            raise ValueError(
                f"a markdown cell names the case {name!r}, which its page did not declare (declared: "
                f"{', '.join(sorted(cases)) or 'none'}); the cell begins: {cell.source[:60]!r}"
            )
        if cases[name] not in ([values] if isinstance(values, str) else values):
            return False
    return True


def _joined(paragraph: str, continuation: str, how: bool | str) -> str:
    """The paragraph with the continuation after it: a space between, none before punctuation; a blank line
    between for a new paragraph."""
    text = continuation.strip()
    if how is True and "\n\n" in text:
        raise ValueError(
            f"a cell that continues a paragraph holds more than one paragraph (end it with +++): {text[:60]!r}"
        )
    if how == NEW_PARAGRAPH:
        return f"{paragraph.rstrip()}\n\n{text}"
    return paragraph.rstrip() + ("" if text[:1] in tuple(",.;:)") else " ") + text


def _needs_of(cell) -> list[str]:
    if cell.get("cell_type") != "markdown":
        return []
    needs = cell.get("metadata", {}).get(NEEDS_KEY, [])
    return [needs] if isinstance(needs, str) else list(needs)


def _note_in_place_of(source: str, missing: list[str]) -> str:
    """The note as a paragraph (after the paragraph's bold run-in title, if it has one, the note in plain type); a
    figure keeps its directive and name, with the note as its whole caption."""
    note = html.escape(note_text(missing), quote=False)
    figure = FIGURE_DIRECTIVE.search(source)
    if not figure:
        run_in = RUN_IN.match(source.lstrip())
        return f"{run_in[0]} {note}" if run_in else f"**{note}**"
    fence, name = figure["fence"], figure["name"]
    return f"{fence}{{glue:figure}} {name}\n:name: {name}\n\n{note}\n{fence}"
