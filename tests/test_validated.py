"""Data a build has validated is not validated again by its notebooks, which so never import pandera (#16); data it
has not, or data changed since, is (natobook.data.validated)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from natobook import paths
from natobook.build import dataset, params
from natobook.data import schema, tidy_rules, validated
from natobook.errors import DataError
from natobook.pages import edition

# What a notebook does first: load its edition; then say whether pandera was imported.
LOAD_IN_A_KERNEL = (
    "import sys; from natobook.pages import edition; rows = edition.load(sys.argv[1], '2024-06'); "
    "print(len(rows), 'pandera' in sys.modules)"
)


def load_in_a_fresh_process(data, recorded: str):
    """What a kernel the build starts does, with the record of validated data the build's environment holds."""
    env = {k: v for k, v in os.environ.items() if k != validated.ENVIRONMENT} | {validated.ENVIRONMENT: recorded}
    result = subprocess.run(
        [sys.executable, "-c", LOAD_IN_A_KERNEL, str(data)], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


@pytest.fixture
def no_record(monkeypatch):
    """No file recorded; what a test records is forgotten after it (monkeypatch restores the environment)."""
    monkeypatch.setenv(validated.ENVIRONMENT, "")


def test_a_page_loads_data_its_build_validated_without_pandera(no_record):
    assert load_in_a_fresh_process(paths.TIDY_CSV, "") == ["5507", "True"]  # not recorded: validated
    dataset.resolve(params.load(paths.PARAMS / "ar2024.yml"))  # what a build does first: the record is set
    assert load_in_a_fresh_process(paths.TIDY_CSV, os.environ[validated.ENVIRONMENT]) == ["5507", "False"]


def test_data_changed_after_the_build_validated_it_is_validated_again(no_record, tmp_path):
    data = tmp_path / "tidy.csv"
    data.write_bytes(paths.TIDY_CSV.read_bytes())
    validated.record(data)
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[1].split(",")
    fields[5] = "-1.0"  # a negative amount: no valid dataset holds one
    lines[1] = ",".join(fields)
    data.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError, match="row 2, column .value.: expected an amount of at least 0"):
        edition.load(data, "2024-06")


def test_the_reader_types_the_columns_as_the_rules_do():
    assert schema.DTYPES == {name: str(tidy_rules.TIDY_SCHEMA.columns[name].dtype) for name in schema.COLUMNS}
