"""Notebooks hold prose and calls, not logic (issue #12): a page's numbers, titles, alt text and notes come from
its function in natobook.pages, so no notebook needs more than a few lines of code."""

from __future__ import annotations

import pytest

from natobook import paths
from natobook.build import textnotebook

MAX_CODE_LINES = 40
SOURCES = sorted(paths.NOTEBOOKS.glob("*.md"))


def code_lines(cell_source: str) -> list[str]:
    """The lines of a code cell that are code: not blank, not a comment (the parameters cell counts too)."""
    return [line for line in cell_source.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_code_lines_counts_code_only():
    source = '# a comment\n\nx = 1  # trailing comment\n    # indented comment\ny = f"#{x}"\n'
    assert code_lines(source) == ["x = 1  # trailing comment", 'y = f"#{x}"']


def test_every_notebook_is_checked():
    assert len(SOURCES) >= 11


@pytest.mark.parametrize("notebook_path", SOURCES, ids=lambda p: p.stem)
def test_notebook_has_at_most_40_code_lines(notebook_path):
    notebook = textnotebook.read_source(notebook_path)
    lines = [line for cell in notebook.cells if cell.cell_type == "code" for line in code_lines(cell.source)]
    assert len(lines) <= MAX_CODE_LINES, (
        f"{notebook_path.name} has {len(lines)} code lines (at most {MAX_CODE_LINES}): move the logic into its "
        f"page function in natobook.pages"
    )
