"""Fixtures of the tests: the reference extraction, the ingested 2024 data, the built site, a browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from natobook import paths

REFERENCE = Path(__file__).parent / "fixtures" / "reference"
RAW_WORKBOOK = paths.RAW / "240617-def-exp-2024-TABLES-en.xlsx"


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The published site; `make test` builds it first (`make book`)."""
    index = paths.SITE / "index.html"
    if not index.exists():
        pytest.fail("no built site at _build/html: run `make book` first (make test does)")
    return paths.SITE.resolve()


@pytest.fixture
def chart_snapshot(snapshot):
    """syrupy's snapshot, storing chart specs as tests/snapshots/<figure name>.json (tests/snapshot.py)."""
    from snapshot import ChartSpecSnapshot

    return snapshot.use_extension(ChartSpecSnapshot)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    from sitekit import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The independent extraction of NATO's files the tests compare against (tests/fixtures/reference/README.md)."""
    return REFERENCE


@pytest.fixture(scope="session")
def tidy_2024():
    """NATO's June 2024 workbook, ingested once per test session."""
    from natobook.data.ingest import ingest_workbook

    return ingest_workbook(RAW_WORKBOOK, "2024-06")


@pytest.fixture(scope="session")
def tidy_2024_csv(tidy_2024, tmp_path_factory) -> Path:
    """The June 2024 workbook ingested into a tidy CSV in tmp: what notebooks under test read."""
    from natobook.data.tidy_csv import write_tidy_csv

    path = tmp_path_factory.mktemp("data") / "tidy-2024-06.csv"
    write_tidy_csv(tidy_2024, path)
    return path


@pytest.fixture
def sandbox(tmp_path, monkeypatch) -> Path:
    """The engine's outputs, build folder and cache in tmp_path (test_pipeline, test_scheduler); the fixture notebooks
    stay where they are."""
    from natobook.build import cache, execute

    monkeypatch.setattr(paths, "CHAPTERS", tmp_path / "chapters")
    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    monkeypatch.setattr(paths, "SITE", tmp_path / "build" / "html")
    monkeypatch.setattr(cache, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(execute, "FIGURE_EXPORTS", tmp_path / "build" / "figures")
    return tmp_path
