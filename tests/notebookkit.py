"""Run a book notebook with papermill as the pipeline does, and read back what it glued and showed.

One helper for the notebook tests, so each test file asserts numbers instead of re-reading outputs.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill

from natobook import paths
from natobook.build import textnotebook
from natobook.charts.style import SPEC_MIMETYPE
from natobook.nbtools import GLUE_ROLE
from natobook.pages import paragraphs
from natobook.pages.page import Page

RECORD_PREFIX = "application/papermill.record/"


FIGURES_ENV = "NATOBOOK_FIGURES_DIR"  # natobook.nbtools.figures_folder: where a notebook writes its figure CSVs


@contextlib.contextmanager
def figures_written_to(folder: Path):
    """Kernels started meanwhile (they inherit the environment) write figure CSVs to `folder`, not to the book's
    chapters/figures: a test run on other data or parameters must not change the sources of the built book."""
    before = os.environ.get(FIGURES_ENV)
    os.environ[FIGURES_ENV] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop(FIGURES_ENV, None)
        else:
            os.environ[FIGURES_ENV] = before


def figures_of(output: Path) -> Path:
    """The folder `execute` has the notebook executed into `output` write its figure CSVs to."""
    return output.parent / "figures"


def execute(name: str, output: Path, **parameters) -> Path:
    """Execute notebooks/<name>.md into `output` with `parameters`, with the pipeline's kernel and waits;
    its figure CSVs go to figures_of(output)."""
    with figures_written_to(figures_of(output)):
        papermill.execute_notebook(
            textnotebook.read_source(paths.NOTEBOOKS / f"{name}.md"),
            str(output),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(paths.NOTEBOOKS),
            progress_bar=False,
            execution_timeout=600,
            # On a busy machine a glue output can reach the client after nbclient's default 4 s wait and be
            # dropped without an error: wait longer, and fail rather than lose it (as the pipeline does).
            iopub_timeout=60,
            raise_on_iopub_timeout=True,
        )
    return output


@dataclass
class Outputs:
    """What an executed notebook glued ({name: {mime: value}}, record prefix removed) and showed (Markdown)."""

    glued: dict[str, dict] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)
    figures: Path | None = None  # where its figure CSVs were written
    lacks: dict[str, list[str]] = field(default_factory=dict)  # what its page declared the edition lacks
    cases: dict[str, str] = field(default_factory=dict)  # which wording of each sentence its page declared
    markdown: list[str] = field(default_factory=list)  # its markdown cells as the book gets them (after give_way)

    def text(self, name: str) -> str:
        """A glued value as the page shows it: Markdown unescaped, else the plain-text repr."""
        bundle = self.glued[name]
        markdown = bundle.get("text/markdown")
        return html.unescape(markdown) if markdown is not None else bundle["text/plain"]

    def texts(self) -> dict[str, str]:
        return {name: self.text(name) for name in self.glued}

    def prose(self) -> list[str]:
        """The markdown cells as the book gets them, with each {glue:md} and {glue:text} role filled in as the page
        shows it and white space folded: the paragraphs a reader reads (other roles, such as {numref} and
        {cite:p}, left as written)."""
        return [filled_in(source, self.text, self._number) for source in self.markdown]

    def _number(self, name: str):
        return ast.literal_eval(self.glued[name]["text/plain"])

    def specs(self) -> dict[str, dict]:
        """The Vega-Lite spec of every glued chart; a figure replaced by a note has none."""
        return {name: bundle[SPEC_MIMETYPE] for name, bundle in self.glued.items() if SPEC_MIMETYPE in bundle}


def read_outputs(notebook_path: Path) -> Outputs:
    notebook = nbformat.read(notebook_path, as_version=4)
    outputs = Outputs(
        figures=figures_of(notebook_path),
        lacks=paragraphs.declared_lacks(notebook),
        cases=paragraphs.declared_cases(notebook),
    )
    given_way = copy.deepcopy(notebook)
    paragraphs.give_way(given_way)
    outputs.markdown = [cell.source for cell in given_way.cells if cell.cell_type == "markdown"]
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            scrap = out.get("metadata", {}).get("scrapbook")
            data = out.get("data", {})
            if scrap:
                outputs.glued[scrap["name"]] = {mime.removeprefix(RECORD_PREFIX): value for mime, value in data.items()}
            else:
                outputs.shown.append(html.unescape(data.get("text/markdown", "")))
    return outputs


def run(name: str, out_dir: Path, **parameters) -> Outputs:
    """Execute notebooks/<name>.md into `out_dir` and read back its outputs."""
    return read_outputs(execute(name, out_dir / f"{name}.ipynb", **parameters))


def page_prose(name: str, page: Page) -> str:
    """What notebooks/<name>.md says for `page` (its natobook.pages function's result), without a kernel: the markdown
    the pipeline keeps (natobook.pages.paragraphs.give_way, with the page's lacks and cases), each {glue:md} and
    {glue:text} role filled from the page (a key the page does not glue is a KeyError), its white space made single
    spaces. Other roles are left as written."""
    notebook = textnotebook.read_source(paths.NOTEBOOKS / f"{name}.md")
    declared = nbformat.v4.new_code_cell()
    declared.outputs = [nbformat.v4.new_output("display_data", data=paragraphs.declaration(page.lacks, page.cases))]
    notebook.cells.insert(0, declared)
    paragraphs.give_way(notebook)
    markdown = "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    return filled_in(markdown, page.texts.__getitem__, page.numbers.__getitem__)


def filled_in(markdown: str, text_of, number_of) -> str:
    """`markdown` with each {glue:md}`key` given text_of(key), each {glue:text}`key:spec` number_of(key) formatted
    with spec, and its white space folded, as a reader reads it."""

    def filled(role: re.Match) -> str:
        kind, body = role.groups()
        if kind == "text":
            key, _, spec = body.rpartition(":")
            return format(number_of(key), spec)
        return text_of(body)

    return " ".join(GLUE_ROLE.sub(filled, markdown).split())
