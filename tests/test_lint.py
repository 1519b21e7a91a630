"""The house stays clean: ruff's checks (rules in pyproject.toml) pass on the engine, the tests and the benchmark."""
from __future__ import annotations

import subprocess
import sys

from natobook import paths


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests", "bench"],
                            cwd=paths.ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
