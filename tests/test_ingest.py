"""Ingest: NATO's workbook -> tidy frame, checked against every cell of an independent extraction."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from conftest import RAW_WORKBOOK
from openpyxl.worksheet.cell_range import CellRange

from natobook import paths
from natobook.data import schema, tidy_csv, vocabulary
from natobook.data.ingest import ingest_workbook
from natobook.data.tidy_csv import write_tidy_csv
from natobook.errors import DataError

EDITION = "2024-06"
KEY = ["country", "year", "indicator"]


@pytest.fixture(scope="module")
def reference(reference_dir) -> pd.DataFrame:
    """The 5,501 cells of Tables 1-8b extracted independently (tests/fixtures/reference/README.md)."""
    return pd.read_csv(
        reference_dir / "nato_defexp_2014_2024_long.csv",
        dtype={"iso3": str, "unit": str},
        keep_default_na=False,
        true_values=["true"],
        false_values=["false"],
    )


def edited_workbook(folder: Path, edit) -> Path:
    """A copy of NATO's workbook changed by `edit(workbook)`."""
    workbook = openpyxl.load_workbook(RAW_WORKBOOK)
    edit(workbook)
    path = folder / "edited.xlsx"
    workbook.save(path)
    return path


def _problems(path: Path) -> list:
    with pytest.raises(DataError) as caught:
        ingest_workbook(path, EDITION)
    return caught.value.problems


def test_every_published_cell_is_read_as_printed(tidy_2024, reference):
    ours = tidy_2024.set_index(KEY)
    theirs = reference.set_index(KEY)
    assert theirs.index.is_unique
    assert theirs.index.difference(ours.index).empty
    joined = theirs.join(ours.add_suffix("_ours"), how="left")
    for column in ("value", "estimate", "unit", "iso3"):
        differ = joined[joined[column] != joined[f"{column}_ours"]]
        assert differ.empty, differ[[column, f"{column}_ours", "cell"]].head(10)


def test_nothing_but_the_national_law_flags_is_added(tidy_2024, reference):
    flags = tidy_2024[tidy_2024["indicator"] == vocabulary.NATIONAL_2PCT_LAW]
    asterisked = set(reference.loc[reference["national_2pct_law_flag"] == "true", "country"])
    assert len(tidy_2024) == len(reference) + len(flags) == 5501 + 6
    assert set(flags["country"]) == asterisked
    assert (flags["value"] == 1.0).all() and (flags["year"] == 2024).all() and not flags["estimate"].any()


def test_the_frame_is_sorted_validated_and_of_one_edition(tidy_2024):
    assert list(tidy_2024.columns) == list(schema.COLUMNS)
    assert (tidy_2024["edition"] == EDITION).all()
    pd.testing.assert_frame_equal(schema.validate_tidy(tidy_2024, "x"), tidy_2024)


def shift_rows_and_columns(workbook: openpyxl.Workbook) -> None:
    """Three rows above and one column left of every table, as if NATO's layout had moved."""
    for sheet in workbook.worksheets:
        merged = [CellRange(cells.coord) for cells in sheet.merged_cells.ranges]
        for cells in merged:  # openpyxl does not move merged ranges: move them by hand, as Excel would
            sheet.unmerge_cells(cells.coord)
        sheet.insert_rows(1, 3)
        sheet.insert_cols(1, 1)
        for cells in merged:
            cells.shift(col_shift=1, row_shift=3)
            sheet.merge_cells(cells.coord)


def test_shifted_rows_and_columns_read_the_same(tidy_2024, tmp_path):
    shifted = edited_workbook(tmp_path, shift_rows_and_columns)
    pd.testing.assert_frame_equal(ingest_workbook(shifted, EDITION), tidy_2024)


def test_an_added_year_column_adds_that_year(tidy_2024, tmp_path):
    def add_2025(workbook):
        for sheet in workbook.worksheets:
            last = next(c for row in sheet.iter_rows() for c in row if c.value == "2024e")
            if sheet.cell(last.row, last.column + 1).value is not None:
                continue  # Table 4: its 2024e column is followed by derived columns
            sheet.insert_cols(last.column + 1)
            sheet.cell(last.row, last.column + 1, "2025e")
            for row in range(last.row + 1, sheet.max_row + 1):
                source, target = sheet.cell(row, last.column), sheet.cell(row, last.column + 1)
                if isinstance(source.value, (int, float)):
                    target.value, target.number_format = source.value, source.number_format

    longer = ingest_workbook(edited_workbook(tmp_path, add_2025), EDITION)
    published = tidy_2024[tidy_2024["indicator"] != vocabulary.NATIONAL_2PCT_LAW]
    kept = longer.merge(published, how="inner", on=list(schema.COLUMNS))
    assert len(kept) == len(published)
    added = longer[(longer["year"] == 2025) & (longer["indicator"] != vocabulary.NATIONAL_2PCT_LAW)]
    table_4 = published["indicator"].str.startswith(("t4_", "defexp_real_change_"))  # no year columns
    yearly = published[(published["year"] == 2024) & ~table_4]
    assert len(added) == len(yearly) and added["estimate"].all()


def test_the_price_base_year_is_read_not_assumed(tidy_2024, tmp_path):
    def rebase_to_2021(workbook):
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and "2015 prices" in cell.value:
                        cell.value = cell.value.replace("2015 prices", "2021 prices")

    rebased = ingest_workbook(edited_workbook(tmp_path, rebase_to_2021), EDITION)
    assert set(rebased["indicator"]) == {code.replace("2015", "2021") for code in tidy_2024["indicator"]}
    assert not rebased["unit"].str.contains("2015").any()
    assert rebased["value"].tolist() == tidy_2024["value"].tolist()


def test_a_missing_table_is_named(tmp_path):
    def drop_share_of_gdp(workbook):
        del workbook["TABLE3"]

    path = edited_workbook(tmp_path, drop_share_of_gdp)
    (problem,) = _problems(path)
    assert problem.file == str(path)
    assert "no table titled like" in problem.message and "share of GDP" in problem.message


def test_text_in_a_number_cell_names_the_cell(tmp_path):
    def corrupt(workbook):
        workbook["TABLE3"]["E12"] = "n/a"  # Belgium, share of GDP, 2015

    (problem,) = _problems(edited_workbook(tmp_path, corrupt))
    assert "TABLE3!E12" in problem.message and "expected a number" in problem.message
    assert (problem.row, problem.column) == ("12 of sheet TABLE3", "2015")


def test_an_unknown_country_label_names_the_cell(tmp_path):
    def rename(workbook):
        workbook["TABLE2"]["C11"] = "Atlantis"

    path = edited_workbook(tmp_path, rename)
    (problem,) = _problems(path)
    assert (problem.file, problem.row) == (str(path), "11 of sheet TABLE2")
    assert "TABLE2!C11" in problem.message and "'Atlantis'" in problem.message and "allies.csv" in problem.message
    assert "ISO 3166" in problem.message


def _renamed(old: str, new_by_sheet: Callable[[str], str]) -> Callable[[openpyxl.Workbook], None]:
    """An edit renaming the Ally `old` in every row label (its currency kept) to `new_by_sheet(sheet name)`."""

    def rename(workbook):
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(old):
                        cell.value = new_by_sheet(sheet.title) + cell.value[len(old) :]

    return rename


def test_a_country_not_in_allies_csv_is_read_as_a_new_ally_named_as_first_spelled(tidy_2024, tmp_path):
    spelling = _renamed("Albania", lambda sheet: "Ireland" if sheet == "TABLE1" else "IRELAND ")
    ours = ingest_workbook(edited_workbook(tmp_path, spelling), EDITION)
    albania = tidy_2024["iso3"] == "ALB"
    expected = tidy_2024.assign(
        country=tidy_2024["country"].mask(albania, "Ireland"), iso3=tidy_2024["iso3"].mask(albania, "IRL")
    )
    pd.testing.assert_frame_equal(
        ours, expected.sort_values(tidy_csv.SORT_ORDER, kind="mergesort").reset_index(drop=True)
    )


def test_an_official_name_of_a_listed_ally_reads_as_natos_spelling(tidy_2024, tmp_path):
    official = _renamed("Belgium", lambda sheet: "Kingdom of Belgium" if sheet == "TABLE3" else "Belgium")
    pd.testing.assert_frame_equal(ingest_workbook(edited_workbook(tmp_path, official), EDITION), tidy_2024)


def test_an_unknown_block_heading_is_refused(tmp_path):
    def rename(workbook):
        workbook["TABLE5"]["B45"] = "Purchasing power parities"

    problems = _problems(edited_workbook(tmp_path, rename))
    assert any("TABLE5!B45" in p.message and "unknown block heading" in p.message for p in problems)


@pytest.mark.parametrize(
    "content, expected",
    [(None, "file not found"), (b"edition,country\n", "cannot read it as an Excel .xlsx workbook")],
    ids=["missing", "not_a_workbook"],
)
def test_an_unreadable_file_is_named(tmp_path, content, expected):
    path = tmp_path / "tables.xlsx"
    if content is not None:
        path.write_bytes(content)
    (problem,) = _problems(path)
    assert problem.file == str(path) and expected in problem.message


def test_cli_reports_a_bad_workbook_without_traceback(tmp_path):
    missing = tmp_path / "nowhere.xlsx"
    command = ["ingest", str(missing), "--edition", EDITION, "-o", str(tmp_path / "o.csv")]
    run = subprocess.run(
        [sys.executable, "-m", "natobook", *command], capture_output=True, text=True, cwd=paths.ROOT, timeout=120
    )
    assert run.returncode != 0 and str(missing) in run.stderr and "Traceback" not in run.stderr


def test_written_csv_is_deterministic(tidy_2024, tmp_path):
    first, second = tmp_path / "a" / "tidy.csv", tmp_path / "b.csv"
    write_tidy_csv(tidy_2024, first)
    write_tidy_csv(tidy_2024.sample(frac=1, random_state=1).reset_index(drop=True), second)
    data = first.read_bytes()
    assert data == second.read_bytes()
    assert b"\r" not in data and data.startswith(",".join(schema.COLUMNS).encode() + b"\n")


def test_committed_csv_equals_a_fresh_ingest(tidy_2024, tmp_path):
    fresh = tmp_path / "fresh.csv"
    write_tidy_csv(tidy_2024, fresh)
    assert paths.TIDY_CSV.read_bytes() == fresh.read_bytes(), (
        "data/processed is stale: run python -m natobook ingest data/raw/240617-def-exp-2024-TABLES-en.xlsx "
        "--edition 2024-06 -o data/processed/nato_defence_expenditure.csv"
    )


def test_raw_workbook_checksum_matches_its_provenance_file():
    meta = yaml.safe_load(RAW_WORKBOOK.with_name(RAW_WORKBOOK.name + ".meta.yml").read_text(encoding="utf-8"))
    assert meta["sha256"] == hashlib.sha256(RAW_WORKBOOK.read_bytes()).hexdigest()
    assert meta["file"] == RAW_WORKBOOK.name
    assert re.fullmatch(r"PR/CP\(2024\)090", meta["release_reference"])
    provenance = {"producer", "title", "published", "data_cut_off", "url", "obtained_from", "accessed"}
    assert provenance | {"terms_of_use", "notes"} <= set(meta)
