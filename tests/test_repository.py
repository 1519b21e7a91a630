"""The repository holds sources only: text notebooks without outputs, generated files ignored by git."""

from __future__ import annotations

import subprocess

import nbformat
import pytest

from natobook import paths
from natobook.build import textnotebook

SOURCES = sorted(paths.NOTEBOOKS.glob("*.md"))
GENERATED = [
    "chapters/share_of_gdp.ipynb",
    "chapters/countries/pol.ipynb",
    "chapters/figures/fig-share-of-gdp.csv",
    "_build/html",  # a symlink to the published site-* folder
    ".natobook-cache/entry",
    "_static/vega-bundle.js",
]


def test_there_are_notebook_sources():
    assert len(SOURCES) >= 10


def test_notebook_sources_are_text_notebooks_only():
    """Sources are MyST Markdown (jupytext), reviewable in a diff; JSON notebooks live only in chapters/."""
    assert not list(paths.NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.parametrize("notebook_path", SOURCES, ids=lambda p: p.name)
def test_notebook_sources_parse_with_a_parameters_cell(notebook_path):
    assert notebook_path.read_text(encoding="utf-8").startswith("---\njupytext:"), "not a jupytext MyST notebook"
    notebook = textnotebook.read_source(notebook_path)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code)
    assert "parameters" in code[0].metadata.get("tags", []), "the first code cell must be tagged parameters"
    assert notebook.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("generated", GENERATED)
def test_generated_files_are_ignored_by_git(generated):
    result = subprocess.run(["git", "check-ignore", "-q", generated], cwd=paths.ROOT)
    assert result.returncode == 0, f"{generated} would be committed: add it to .gitignore"
