"""Sphinx extension: the site publishes the data each page was built from, as a Frictionless Data Package.

For every (data file, edition) the executed notebooks were given (their papermill parameters `data_path` and
`edition`), the edition's rows and their `datapackage.json` go to `data/<edition>/` in the site: a stable
address a report can cite and a reader can load without this book's code. When the pages were built on one
edition, as the book is, a copy also stands at `data/`, the address the landing and how-to-cite pages link to.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from sphinx.application import Sphinx

from natobook import paths
from natobook.data import schema
from natobook.site import datapackage


def _data_of(notebook: Path) -> tuple[Path, str] | None:
    given = nbformat.read(notebook, as_version=4).metadata.get("papermill", {}).get("parameters", {})
    if not (given.get("data_path") and given.get("edition")):
        return None
    return (paths.NOTEBOOKS / given["data_path"]).resolve(), given["edition"]


def editions_built(app: Sphinx) -> set[tuple[Path, str]]:
    """Each data file and edition a page of this build was executed on."""
    notebooks = (Path(app.env.doc2path(doc)) for doc in app.env.found_docs)
    return {used for path in notebooks if path.suffix == ".ipynb" and (used := _data_of(path))}


def write_data_packages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    built = sorted(editions_built(app))
    site_data = Path(app.outdir) / "data"
    for data_path, edition in built:
        written = datapackage.write_package(schema.read_tidy_csv(data_path), edition, site_data / edition)
    if len(built) == 1:  # the same two files again: copied, not read and validated a second time
        shutil.copytree(written.parent, site_data, dirs_exist_ok=True)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", write_data_packages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
