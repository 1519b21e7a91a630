"""A notebook's cache key covers the package files its code imports, transitively, not the whole package."""

from __future__ import annotations

from pathlib import Path

from natobook import paths
from natobook.build import notebook_imports

SRC = Path(notebook_imports.__file__).resolve().parents[2]
NOTEBOOK = """---
jupytext:
  text_representation: {{extension: .md, format_name: myst}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
---

# A page

```{{code-cell}}
:tags: [parameters]
x = 1
```

```{{code-cell}}
%matplotlib inline
{code}
```
"""


def _package(tmp_path: Path) -> Path:
    """TEST FIXTURE: a small natobook package: page -> analysis.numbers -> data.reader; build.runner apart."""
    files = {
        "natobook/__init__.py": "",
        "natobook/analysis/__init__.py": "",
        "natobook/analysis/numbers.py": "from natobook.data import reader\n",
        "natobook/data/__init__.py": "",
        "natobook/data/reader.py": "def read():\n    from natobook import paths\n",
        "natobook/data/allies.csv": "iso3\nPOL\n",
        "natobook/paths.py": "ROOT = None\n",
        "natobook/build/__init__.py": "",
        "natobook/build/runner.py": "X = 1\n",
        "natobook/build/textnotebook.py": "",
        "natobook/build/params.py": "",
        "natobook/charts/__init__.py": "",
        "natobook/charts/other_chapter.py": "Y = 1\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(NOTEBOOK.format(code="from natobook.analysis import numbers\nnumbers.read()"), encoding="utf-8")
    return page


def test_the_dependencies_are_the_import_closure_the_shaping_modules_and_the_data_files(tmp_path):
    page = _package(tmp_path)
    found = {path.relative_to(tmp_path).as_posix() for path in notebook_imports.dependencies(page, tmp_path)}
    assert found == {
        "natobook/__init__.py",
        "natobook/analysis/__init__.py",
        "natobook/analysis/numbers.py",
        "natobook/data/__init__.py",
        "natobook/data/reader.py",
        "natobook/paths.py",
        "natobook/data/allies.csv",
        "natobook/build/__init__.py",
        "natobook/build/textnotebook.py",
        "natobook/build/params.py",
    }


def test_editing_an_imported_module_changes_the_digest_editing_another_does_not(tmp_path):
    page = _package(tmp_path)
    before = notebook_imports.digest(page, tmp_path)
    (tmp_path / "natobook/build/runner.py").write_text("X = 2\n")
    (tmp_path / "natobook/charts/other_chapter.py").write_text("Y = 2\n")
    assert notebook_imports.digest(page, tmp_path) == before
    (tmp_path / "natobook/data/reader.py").write_text("def read():\n    return 2\n")  # imported through numbers
    assert notebook_imports.digest(page, tmp_path) != before


def test_the_real_chapters_depend_on_their_own_charts_and_not_on_the_build_machinery():
    share = {
        p.relative_to(SRC).as_posix() for p in notebook_imports.dependencies(paths.NOTEBOOKS / "share_of_gdp.md", SRC)
    }
    assert {"natobook/nbtools.py", "natobook/data/schema.py", "natobook/data/allies.csv"} <= share
    assert "natobook/build/pipeline.py" not in share and "natobook/site/sphinxext.py" not in share
    assert "natobook/build/execute.py" not in share and "natobook/build/jupyterbook.py" not in share
    assert "natobook/charts/targets.py" not in share  # another chapter's chart
    cite = {
        p.relative_to(SRC).as_posix() for p in notebook_imports.dependencies(paths.NOTEBOOKS / "how_to_cite.md", SRC)
    }
    assert "natobook/citation.py" in cite


def test_of_the_build_machinery_notebooks_depend_only_on_what_shapes_an_executed_notebook():
    """Editing the cache, the pools, the Jupyter Book runner or publishing re-executes no notebook."""
    shaping = {"natobook/build/__init__.py"} | {
        f"natobook/build/{module.rsplit('.', 1)[1]}.py" for module in notebook_imports.SHAPES_EXECUTED_NOTEBOOKS
    }
    for source in sorted(paths.NOTEBOOKS.glob("*.md")):
        depended = {p.relative_to(SRC).as_posix() for p in notebook_imports.dependencies(source, SRC)}
        build = {path for path in depended if path.startswith("natobook/build/")}
        assert build <= shaping, (source.name, sorted(build - shaping))
