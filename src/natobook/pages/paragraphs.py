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
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping

NOTE = "Not available in this edition"
LACKS_MIMETYPE = "application/vnd.natobook.lacks+json"
NEEDS_KEY = "needs"  # markdown cell metadata: the names of what the cell needs
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


def declaration(lacks: Mapping[str, list[str]]) -> dict:
    """The output that carries a page's `lacks` (name -> what the edition lacks for it; [] for nothing) to the
    post-processing: shown with IPython's display(..., raw=True) in a removed cell."""
    return {
        LACKS_MIMETYPE: {name: list(missing) for name, missing in sorted(lacks.items()) if missing},
        "text/plain": "",
    }


def declared_lacks(notebook) -> dict[str, list[str]]:
    """Every name an executed notebook's page declared lacking, with what it lacks."""
    lacks: dict[str, list[str]] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            declared = output.get("data", {}).get(LACKS_MIMETYPE)
            if declared is not None:
                lacks.update(json.loads(declared) if isinstance(declared, str) else declared)
    return lacks


def give_way(notebook) -> None:
    """Replace each markdown cell whose needs the page declared lacking by its note (see the module's doc)."""
    lacks = declared_lacks(notebook)
    kept = []
    for cell in notebook.cells:
        needs = _needs_of(cell)
        missing = [phrase for name in needs for phrase in lacks.get(name, [])]
        if not missing:
            kept.append(cell)
            continue
        if PAGE in lacks and PAGE not in needs:
            continue  # the page's own note, at the top, already says what the edition lacks
        cell.source = _note_in_place_of(cell.source, missing)
        kept.append(cell)
    notebook.cells = kept


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
