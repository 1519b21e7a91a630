"""Schema and CSV reader: every way a tidy CSV can be wrong is reported with file, line and column."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from natobook import paths
from natobook.data import schema, vocabulary
from natobook.errors import DataError

GOOD = Path(__file__).parent / "fixtures" / "good" / "tidy_small.csv"
GOOD_TEXT = GOOD.read_text(encoding="utf-8")
# Lines of GOOD: 1 header, 2 Albania share of GDP, 3 NATO Total real change, 4 Türkiye USD,
# 5 Belgium equipment share, 6 Iceland GDP, 7 Poland national-law flag.


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _with_field(line: int, column: str, value: str):
    """GOOD with one field replaced: `line` as numbered in an editor (header = 1)."""

    def make() -> bytes:
        rows = _rows(GOOD_TEXT)
        rows[line - 1][rows[0].index(column)] = value
        return _csv(rows).encode()

    return make


def _with_columns(transform):
    return lambda: _csv([transform(row) for row in _rows(GOOD_TEXT)]).encode()


# name -> (how to make the file's bytes, or None for no file; the line to name; the column to name)
BAD_INPUTS = {
    "truncated": (lambda: GOOD_TEXT[: GOOD_TEXT.index(",national_2pct_law")].encode(), 7, None),
    "wrong_delimiter": (lambda: _csv(_rows(GOOD_TEXT), delimiter=";").encode(), 1, None),
    "wrong_encoding": (lambda: GOOD_TEXT.encode("latin-1"), 4, None),  # 'Türkiye' as latin-1 bytes
    "missing_column": (_with_columns(lambda row: row[:6] + row[7:]), 1, "unit"),
    "extra_column": (_with_columns(lambda row: row + ["source" if row[0] == "edition" else "x"]), 1, "source"),
    "unknown_indicator": (_with_field(2, "indicator", "defexp_share_gpd"), 2, "indicator"),
    "non_numeric_value": (_with_field(3, "value", "n/a"), 3, "value"),
    "negative_spending": (_with_field(4, "value", "-22776.0"), 4, "value"),
    "share_above_100": (_with_field(5, "value", "115.2"), 5, "value"),
    "duplicate_rows": (lambda: (GOOD_TEXT + GOOD_TEXT.splitlines()[1] + "\n").encode(), 8, None),
    "unknown_country_code": (_with_field(6, "iso3", "XYZ"), 6, "iso3"),
    "year_as_text": (_with_field(2, "year", "2014e"), 2, "year"),
    "year_out_of_range": (_with_field(2, "year", "1900"), 2, "year"),
    "blank_unit": (_with_field(5, "unit", " "), 5, "unit"),
    "empty_file": (lambda: b"", None, None),
    "binary_garbage": (lambda: bytes(range(256)) * 8, None, None),
    "path_does_not_exist": (None, None, None),
}


def _validate(path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "natobook", "validate", str(path)],
        cwd=paths.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory) -> dict[str, tuple[Path, int, str]]:
    """`python -m natobook validate` on GOOD and on every bad input, started together to save time."""
    folder = tmp_path_factory.mktemp("tidy_inputs")
    running = {"good": (GOOD, _validate(GOOD))}
    for name, (make, _, _) in BAD_INPUTS.items():
        path = folder / f"{name}.csv"
        if make is not None:
            path.write_bytes(make())
        running[name] = (path, _validate(path))
    finished = {}
    for name, (path, process) in running.items():
        out, err = process.communicate(timeout=120)
        finished[name] = (path, process.returncode, out + err)
    return finished


def test_cli_accepts_a_valid_file(cli_runs):
    path, code, output = cli_runs["good"]
    assert code == 0, output
    assert "6 rows, valid" in output


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_cli_names_file_row_and_column_of_a_bad_input(cli_runs, name):
    _, row, column = BAD_INPUTS[name]
    path, code, output = cli_runs[name]
    assert code != 0, output
    assert "Traceback" not in output
    assert str(path) in output
    if row is not None:
        assert re.search(rf"row {row}\b", output), output
    if column is not None:
        assert f"column {column!r}" in output, output


def _write(folder: Path, data: bytes) -> Path:
    path = folder / "tidy.csv"
    path.write_bytes(data)
    return path


def test_reader_returns_typed_columns_in_schema_order():
    frame = schema.read_tidy_csv(GOOD)
    assert list(frame.columns) == list(schema.COLUMNS)
    assert (str(frame["year"].dtype), str(frame["value"].dtype), str(frame["estimate"].dtype)) == (
        "int64",
        "float64",
        "bool",
    )
    assert frame["estimate"].tolist() == [False, False, True, True, False, False]
    assert frame.loc[frame["country"] == "NATO Total", "iso3"].item() == ""


def test_a_problem_says_what_was_expected_and_what_was_found(tmp_path):
    with pytest.raises(DataError) as caught:
        schema.read_tidy_csv(_write(tmp_path, _with_field(5, "value", "115.2")()))
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == (str(tmp_path / "tidy.csv"), 5, "value")
    assert "a share from 0 to 100" in problem.message and "115.2" in problem.message


def test_every_problem_is_reported_in_line_order(tmp_path):
    rows = _rows(GOOD_TEXT)
    rows[3][rows[0].index("iso3")] = "XYZ"
    rows[1][rows[0].index("value")] = "-1"
    with pytest.raises(DataError) as caught:
        schema.read_tidy_csv(_write(tmp_path, _csv(rows).encode()))
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "value"), (4, "iso3")]


def test_rows_are_the_lines_an_editor_shows_even_after_a_blank_line(tmp_path):
    lines = GOOD_TEXT.splitlines()
    lines.insert(1, "")  # Belgium's row moves from line 5 to line 6
    lines[5] = lines[5].replace(",15.16,", ",115.2,")
    with pytest.raises(DataError) as caught:
        schema.read_tidy_csv(_write(tmp_path, ("\n".join(lines) + "\n").encode()))
    assert [(p.row, p.column) for p in caught.value.problems] == [(6, "value")]


def test_columns_are_read_by_name_in_any_order(tmp_path):
    reordered = _write(tmp_path, _csv([row[::-1] for row in _rows(GOOD_TEXT)]).encode())
    pd.testing.assert_frame_equal(schema.read_tidy_csv(reordered), schema.read_tidy_csv(GOOD))


def test_validate_tidy_names_missing_and_mistyped_columns():
    frame = schema.read_tidy_csv(GOOD).drop(columns="unit").astype({"year": "str"})
    with pytest.raises(DataError) as caught:
        schema.validate_tidy(frame, "frame")
    assert {p.column for p in caught.value.problems} >= {"unit", "year"}


def test_the_committed_dataset_is_valid():
    frame = schema.read_tidy_csv(paths.TIDY_CSV)
    assert frame["country"].nunique() == 32 + len(vocabulary.AGGREGATES)


@pytest.mark.parametrize(
    "code",
    [
        "defexp_usd_const2021",
        "gdp_per_capita_const2021",
        "t4_defexp_usd_const2021_2014",
        "t4_defexp_share_gdp_2024e",
        "defexp_real_change_2014_2024",
        "equipment_share",
        "national_2pct_law",
    ],
)
def test_indicator_codes_of_any_price_base_are_allowed(code):
    assert re.fullmatch(schema.INDICATOR_PATTERN, code)


@pytest.mark.parametrize("code", ["defexp_usd_const15", "t4_gdp_usd_current_2014", "gdp", "Defexp_share_gdp"])
def test_other_indicator_codes_are_refused(code):
    assert not re.fullmatch(schema.INDICATOR_PATTERN, code)


def test_allies_csv_lists_the_32_allies_in_natos_spelling():
    allies = {ally.country: ally for ally in schema.allies()}
    assert len(allies) == 32 and len({ally.iso3 for ally in allies.values()}) == 32
    assert {"Türkiye", "Slovak Republic", "Czechia", "North Macedonia"} <= set(allies)
    assert [name for name, ally in allies.items() if not ally.has_armed_forces] == ["Iceland"]


# --- A new Ally: an ISO 3166-1 alpha-3 code not yet in allies.csv -------------------------------------------

XSS_NAME = "<img src=x onerror=alert(1)>"


def _with_country(line: int, country: str, iso3: str) -> bytes:
    rows = _rows(GOOD_TEXT)
    rows[line - 1][1:3] = [country, iso3]
    return _csv(rows).encode()


@pytest.mark.parametrize("country", ["Ireland", XSS_NAME, "Éire"])
def test_a_country_code_not_in_allies_csv_is_a_new_ally_named_as_the_data_names_it(tmp_path, country):
    frame = schema.read_tidy_csv(_write(tmp_path, _with_country(2, country, "IRL")))
    assert frame.loc[0, ["country", "iso3"]].tolist() == [country, "IRL"]


@pytest.mark.parametrize("code", ["XXX", "AL", "alb", "Irl", "XKX"])
def test_a_code_that_is_no_iso_alpha3_country_code_is_refused(tmp_path, code):
    with pytest.raises(DataError) as caught:
        schema.read_tidy_csv(_write(tmp_path, _with_country(2, "Ireland", code)))
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (2, "iso3")
    assert "a known country code: ISO 3166-1 alpha-3" in problem.message and repr(code) in problem.message


@pytest.mark.parametrize(
    ("country", "iso3", "column"),
    [
        ("Belgique", "BEL", "country"),  # a listed Ally keeps its allies.csv name
        ("Belgium", "FRA", "country"),
        ("Belgium", "IRL", "iso3"),  # a listed name keeps its code
        ("NATO Total", "IRL", "iso3"),
        ("Ireland", "", "iso3"),  # blank only for the aggregates
        (" ", "IRL", "country"),
    ],
)
def test_names_and_codes_must_agree(tmp_path, country, iso3, column):
    with pytest.raises(DataError) as caught:
        schema.read_tidy_csv(_write(tmp_path, _with_country(2, country, iso3)))
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (2, column), problem


def test_an_alias_of_allies_csv_is_accepted_for_its_code(tmp_path):
    frame = schema.read_tidy_csv(_write(tmp_path, _with_country(4, "Turkey", "TUR")))
    assert frame.loc[2, "country"] == "Turkey"


def test_one_code_has_one_name_within_an_edition(tmp_path):
    rows = _rows(GOOD_TEXT)
    second = list(rows[1])
    rows[1][1:3], second[1:3], second[3] = ["Ireland", "IRL"], ["Eire", "IRL"], "2015"
    with pytest.raises(DataError) as caught:
        schema.read_tidy_csv(_write(tmp_path, _csv([*rows, second]).encode()))
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (8, "country") and "'Eire'" in problem.message


def test_an_ally_not_in_allies_csv_has_armed_forces_and_no_known_accession():
    assert schema.ally("IRL", "Ireland") == schema.Ally("Ireland", "IRL", (), has_armed_forces=True, joined=None)
    assert schema.ally("ISL", "ignored") == next(a for a in schema.allies() if a.iso3 == "ISL")


# --- Every consumer of allies.csv copes with an Ally it does not list ---------------------------------------


@pytest.fixture(scope="module")
def with_new_ally():
    """The committed data with Ireland added as a new Ally: Poland's rows, renamed."""
    tidy = schema.read_tidy_csv(paths.TIDY_CSV)
    ireland = tidy[tidy["iso3"] == "POL"].assign(country=XSS_NAME, iso3="IRL")
    return schema.validate_tidy(pd.concat([tidy, ireland], ignore_index=True), "with a new Ally")


def test_foreach_gives_a_new_ally_a_profile_not_the_page_without_armed_forces(with_new_ally):
    from natobook.build import params

    assert {"iso3": "IRL"} in params.FOREACH["ally"](with_new_ally)
    assert params.FOREACH["ally_without_armed_forces"](with_new_ally) == [{"iso3": "ISL"}]


def test_a_new_ally_is_named_as_the_data_names_it(with_new_ally):
    from natobook import nbtools
    from natobook.analysis import profiles

    assert nbtools.country_name(with_new_ally, "IRL") == XSS_NAME
    assert profiles.country_of(with_new_ally, "IRL") == XSS_NAME


def test_a_new_ally_of_unknown_accession_counts_as_no_later_member(with_new_ally):
    from natobook.analysis import indicators

    joined = {ally.country: ally.joined for ally in schema.allies()}
    code = "defexp_usd_const2015"
    with_ireland = indicators.spending_of_later_members(with_new_ally, code, 2014, [2024], joined)
    without = indicators.spending_of_later_members(
        with_new_ally[with_new_ally["iso3"] != "IRL"], code, 2014, [2024], joined
    )
    assert with_ireland == without > 0
