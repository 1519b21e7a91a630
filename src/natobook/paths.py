"""Where things live in the book's source tree. One place, so no module guesses."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
PUBLISHED = DATA / "published"
PARAMS = DATA / "params"
NOTEBOOKS = ROOT / "notebooks"
CHAPTERS = ROOT / "chapters"
FIGURES = CHAPTERS / "figures"  # CSV behind each figure, written by the notebooks
STATIC = ROOT / "_static"
# NATOBOOK_BUILD_DIR lets tests and parallel work build elsewhere without touching the real site.
BUILD = Path(os.environ.get("NATOBOOK_BUILD_DIR", ROOT / "_build"))
SITE = BUILD / "html"
CACHE = ROOT / ".natobook-cache"
BUILD_LOCK = CACHE / "build.lock"  # one build at a time per book (natobook.build.buildlock)

TIDY_CSV = PROCESSED / "nato_defence_expenditure.csv"
