"""Snapshot tests of chart specifications: the Vega-Lite JSON a figure function returns, not pixels.

`assert_matches_snapshot(chart.to_dict(), "fig-name")` compares a spec with tests/snapshots/<name>.json.
After an intended change, regenerate the files and review the diff before committing:

    NATOBOOK_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/...
"""
from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE_ENV = "NATOBOOK_UPDATE_SNAPSHOTS"
MAX_DIFF_LINES = 60


def _canonical(spec: dict) -> str:
    """Stable text of a spec: sorted keys, fixed indentation, so diffs in review stay small."""
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def assert_matches_snapshot(spec: dict, name: str) -> None:
    """Fail with a unified diff if `spec` differs from the stored snapshot `name`; write it when updating."""
    path = SNAPSHOTS / f"{name}.json"
    actual = _canonical(spec)
    if os.environ.get(UPDATE_ENV) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no snapshot {path.name}: run the test with {UPDATE_ENV}=1 to create it, then review it")
    expected = _canonical(json.loads(path.read_text(encoding="utf-8")))
    if actual != expected:
        diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), "snapshot", "now", lineterm=""))
        shown = "\n".join(diff[:MAX_DIFF_LINES]) + ("\n..." if len(diff) > MAX_DIFF_LINES else "")
        pytest.fail(f"{name} differs from {path.name} ({UPDATE_ENV}=1 regenerates it):\n{shown}")
