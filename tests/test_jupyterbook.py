"""Jupyter Book runs one way, `python -m natobook.build.jupyterbook` (the site's html and the PDF's singlehtml):
a one-page book in tmp_path builds through it, and a broken reference fails it with the warning in the message."""

from __future__ import annotations

from pathlib import Path

import pytest

from natobook import paths
from natobook.build import jupyterbook, pipeline
from natobook.build.runs import BuildError

CONFIG = "title: One page\nsphinx:\n  extra_extensions: [natobook.site.accepted_blanks]\n"


@pytest.fixture
def one_page_book(tmp_path, monkeypatch) -> Path:
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    (book / "index.md").write_text("# One page\n\nSee {ref}`the-page`.\n\n(the-page)=\n## The page\n", encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", book)
    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    return book


@pytest.mark.parametrize("builder", ["html", "singlehtml"])
def test_a_book_builds_through_the_runner_module(one_page_book, tmp_path, builder):
    built = jupyterbook.build(tmp_path / "work", builder)
    assert built == tmp_path / "work" / "_build" / builder
    assert "The page" in (built / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "work" / ".complete").is_file()  # the next build may reuse its environment


def test_a_warning_fails_the_build_and_names_itself(one_page_book, tmp_path):
    index = one_page_book / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("{ref}`the-page`", "{ref}`nowhere`"), encoding="utf-8")
    with pytest.raises(jupyterbook.BookBuildError) as raised:
        jupyterbook.build(tmp_path / "work", "singlehtml")
    log = tmp_path / "build" / "logs" / "jupyter-book-singlehtml.log"
    assert str(raised.value).startswith(f"jupyter-book build (singlehtml) failed; full log: {log}\n  ")
    assert "nowhere" in str(raised.value) and "WARNING" in str(raised.value)
    assert not (tmp_path / "work").exists()  # the next build reads every page again


def test_the_site_build_says_nothing_was_published(monkeypatch, tmp_path):
    log = tmp_path / "jupyter-book-html.log"

    def fails(*args):
        raise jupyterbook.BookBuildError("html", log, ["index.md:3: WARNING: undefined label: 'nowhere'"])

    monkeypatch.setattr(jupyterbook, "build", fails)
    with pytest.raises(BuildError) as raised:
        pipeline._build_book(jobs=2, fresh=False)
    assert str(raised.value) == (
        f"jupyter-book build failed; the site was not published (full log: {log}):\n"
        "index.md:3: WARNING: undefined label: 'nowhere'"
    )
