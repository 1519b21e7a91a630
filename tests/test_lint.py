"""The house stays clean: ruff's checks (rules in pyproject.toml) pass on the engine, the tests and the benchmark,
and the code is laid out as ruff's formatter lays it out (one style, no review time spent on layout)."""

from __future__ import annotations

import subprocess
import sys

from natobook import paths

CODE = ["src", "tests", "bench"]


def _ruff(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *arguments, "--no-cache", *CODE], cwd=paths.ROOT, capture_output=True, text=True
    )


def test_ruff_finds_nothing():
    result = _ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_as_ruffs_formatter_writes_it():
    result = _ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
