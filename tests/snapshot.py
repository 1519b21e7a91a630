"""Snapshot tests of chart specifications with syrupy: the Vega-Lite JSON a figure function returns, not pixels.

`assert chart.to_dict() == chart_snapshot(name="fig-name")` (the fixture is in conftest.py) compares a spec with
tests/snapshots/<name>.json, stored with sorted keys so that diffs stay small in review. After an intended
change, regenerate the files with syrupy and review the diff before committing:

    .venv/bin/pytest tests/... --snapshot-update
"""

from __future__ import annotations

import json
from pathlib import Path

from syrupy.extensions.json import JSONSnapshotExtension

SNAPSHOTS = Path(__file__).parent / "snapshots"


class ChartSpecSnapshot(JSONSnapshotExtension):
    """One file per figure, named by the figure (`name=`), in tests/snapshots/."""

    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(SNAPSHOTS)

    @classmethod
    def get_snapshot_name(cls, *, test_location, index=0) -> str:
        return str(index)

    def serialize(self, data, **options) -> str:
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
