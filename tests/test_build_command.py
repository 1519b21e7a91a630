"""`python -m natobook build --data PATH`: which data, edition and report year a build runs on, and every bad
input it refuses with one message naming the file, the row and the column, the published site untouched.

Most cases call the command line in this process (natobook.cli.main), with the build folder and the cache in
tmp_path holding a small fake published site, and planning replaced by a stop that records what the build
would run on: nothing here executes a notebook. A few run as a real subprocess, for the true exit code.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import RAW_WORKBOOK
from test_ingest import edited_workbook, shift_rows_and_columns
from test_pipeline import tree_bytes
from test_schema import BAD_INPUTS as TIDY_BAD_INPUTS
from test_schema import GOOD, GOOD_TEXT, XSS_NAME, _csv, _rows, _with_country, _with_field

from natobook import cli, paths
from natobook.build import cache, dataset, execute, params, pipeline
from natobook.data import schema

PARAMS = paths.PARAMS / "ar2024.yml"


# --- Running the command ----------------------------------------------------------------------------------


class ReachedPlanning(Exception):
    """The build got past its inputs: what it would run on."""

    def __init__(self, pset: params.ParameterSet, frame: pd.DataFrame):
        super().__init__(pset.name)
        self.pset, self.frame = pset, frame


def _stop_at_planning(pset: params.ParameterSet, frame: pd.DataFrame, given: Path | None = None):
    raise ReachedPlanning(pset, frame)


@pytest.fixture
def build_dir(tmp_path, monkeypatch) -> Path:
    """A build folder in tmp_path with a published site (site-* and the html link); the cache beside it."""
    build = tmp_path / "build"
    (build / "site-before").mkdir(parents=True)
    (build / "site-before" / "index.html").write_text("<p>the site published before</p>", encoding="utf-8")
    (build / "html").symlink_to("site-before")
    monkeypatch.setattr(paths, "BUILD", build)
    monkeypatch.setattr(paths, "SITE", build / "html")
    monkeypatch.setattr(cache, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(paths, "BUILD_LOCK", tmp_path / "cache" / "build.lock")  # a real build may hold the tree's
    monkeypatch.setattr(execute, "FIGURE_EXPORTS", build / "figures")
    monkeypatch.setattr(pipeline, "plan", _stop_at_planning)
    return build


@pytest.fixture
def natobook_build(build_dir, monkeypatch, capsys) -> Callable[..., tuple[int, str]]:
    """`natobook build --params ar2024.yml ARGS...` in this process: (exit code, what it printed on stderr).
    A `--params` in ARGS wins (click keeps an option's last value)."""

    def run(*args: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["natobook", "build", "--params", str(PARAMS), *args])
        with pytest.raises(SystemExit) as stopped:
            cli.main()
        return stopped.value.code, capsys.readouterr().err

    return run


@pytest.fixture
def planned(build_dir, monkeypatch) -> Callable[..., ReachedPlanning]:
    """What `natobook build ARGS...` would run on, for inputs that are good."""

    def run(*args: str) -> ReachedPlanning:
        monkeypatch.setattr(sys, "argv", ["natobook", "build", "--params", str(PARAMS), *args])
        with pytest.raises(ReachedPlanning) as reached:
            cli.main()
        return reached.value

    return run


# --- The bad-input corpus ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A bad input: `make(folder)` writes it and returns the build's arguments and the file at fault; the one
    message must name that file and contain each of `says` (defaults: the row and column of the fault)."""

    make: Callable[[Path], tuple[list[str], Path | None]]
    says: tuple[str, ...]
    exit_code: int = 1


def tidy(data: bytes, *extra: str, name: str = "tidy.csv") -> Callable:
    def make(folder: Path):
        path = folder / name
        path.write_bytes(data)
        return ["--data", str(path), *extra], path

    return make


def where(row: int | None = None, column: str | None = None) -> tuple[str, ...]:
    """How a message names a row and a column: 'row 4, column 'value': ...', 'row 7: ...', 'column 'year': ...'."""
    says = [f"row {row}{',' if column else ':'}"] if row else []
    return tuple(says + ([f"column {column!r}:"] if column else []))


def _from_tidy_corpus(name: str) -> Case:
    """test_schema's bad tidy CSVs, each through `build --data`."""
    make_bytes, row, column = TIDY_BAD_INPUTS[name]
    if make_bytes is None:
        return Case(
            lambda folder: (["--data", str(folder / "nowhere.csv")], folder / "nowhere.csv"), ("file not found",)
        )
    return Case(tidy(make_bytes()), where(row, column))


def folder_for_a_file(folder: Path):
    (folder / "tidy.csv").mkdir()
    return ["--data", str(folder / "tidy.csv")], folder / "tidy.csv"


def dangling_link(folder: Path):
    (folder / "tidy.csv").symlink_to(folder / "deleted.csv")
    return ["--data", str(folder / "tidy.csv")], folder / "tidy.csv"


def workbook_without_share_of_gdp(folder: Path):
    def drop_table_3(workbook):
        del workbook["TABLE3"]

    path = edited_workbook(folder, drop_table_3)
    return ["--data", str(path), "--edition", "2024-06"], path


def workbook_edited(edit: Callable, *extra: str) -> Callable:
    """A copy of NATO's workbook changed by `edit(workbook)`, built as edition 2024-06."""

    def make(folder: Path):
        path = edited_workbook(folder, edit)
        return ["--data", str(path), "--edition", "2024-06", *extra], path

    return make


def belgiums_2024_share_deleted(workbook) -> None:
    workbook["TABLE3"]["N12"] = None  # Belgium's share of GDP in 2024e (C12 'Belgium', N8 '2024e')


def belgiums_2024_share_row_removed(folder: Path) -> Path:
    """NATO's data as a tidy CSV without the row of Belgium's share of GDP in 2024 (the other Allies keep theirs)."""
    frame = pd.read_csv(paths.TIDY_CSV, dtype=str, keep_default_na=False)
    row = (frame["iso3"] == "BEL") & (frame["indicator"] == "defexp_share_gdp") & (frame["year"] == "2024")
    assert row.sum() == 1
    path = folder / "without_a_row.csv"
    frame[~row].to_csv(path, index=False)
    return path


def tidy_csv_without_a_row(folder: Path):
    path = belgiums_2024_share_row_removed(folder)
    return ["--data", str(path)], path


def table_3_year_without_its_e(workbook) -> None:
    workbook["TABLE3"]["N8"] = 2024  # the other tables say '2024e'


def table_3_retitled(workbook) -> None:
    workbook["TABLE3"]["B4"] = "Table 3 : Defence spending relative to economic output"


def with_a_damaged_member(folder: Path):
    """NATO's workbook with bytes in the middle of one compressed sheet overwritten, as by a bad download."""
    data = bytearray(RAW_WORKBOOK.read_bytes())
    with zipfile.ZipFile(RAW_WORKBOOK) as archive:
        member = max(archive.infolist(), key=lambda info: info.compress_size)
    header = 30 + len(member.filename.encode()) + len(member.extra)  # the local file header before the data
    middle = member.header_offset + header + member.compress_size // 2
    data[middle : middle + 64] = bytes(64)
    path = folder / "damaged.xlsx"
    path.write_bytes(bytes(data))
    return ["--data", str(path), "--edition", "2024-06"], path


# How an OLE2 compound file starts (what Excel writes for an .xls, or for an .xlsx saved with a password), and
# the name of the stream that holds the encryption details of a password-protected .xlsx, as stored in one.
OLE2_START = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


def build_folder_in_the_way(folder: Path):
    """A file where the build writes a folder (the ingested workbook goes to <build>/data/)."""
    in_the_way = folder.parent / "build" / "data"
    in_the_way.write_text("not a folder")
    return ["--data", str(RAW_WORKBOOK), "--edition", "2024-06"], in_the_way


def raw_workbook(*extra: str) -> Callable:
    return lambda folder: (["--data", str(RAW_WORKBOOK), *extra], RAW_WORKBOOK)


def parameter_set(**changes) -> Callable:
    """A copy of ar2024.yml with `changes`; the build run on it without --data."""

    def make(folder: Path):
        path = folder / "set.yml"
        path.write_text(yaml.safe_dump(yaml.safe_load(PARAMS.read_text(encoding="utf-8")) | changes), encoding="utf-8")
        return ["--params", str(path)], path

    return make


def with_data_of(make_set: Callable, data: Path) -> Callable:
    """A parameter set whose own data is `data`: the file messages name."""
    return lambda folder: (make_set(folder)[0], data)


BAD_INPUTS: dict[str, Case] = {
    **{name: _from_tidy_corpus(name) for name in TIDY_BAD_INPUTS},
    "header_only": Case(tidy(GOOD_TEXT.splitlines()[0].encode() + b"\n"), ("no data rows",)),
    "utf16_with_bom": Case(tidy(GOOD_TEXT.encode("utf-16")), ("UTF-16", "expected UTF-8")),
    "nan_value": Case(tidy(_with_field(3, "value", "nan")()), where(3, "value") + ("a number",)),
    "infinite_value": Case(tidy(_with_field(4, "value", "inf")()), where(4, "value")),
    "estimate_not_true_or_false": Case(
        tidy(_with_field(2, "estimate", "yes")()), where(2, "estimate") + ("true or false",)
    ),
    "iso3_in_lower_case": Case(tidy(_with_field(2, "iso3", "alb")()), where(2, "iso3") + ("ISO 3166-1 alpha-3",)),
    "known_code_other_name": Case(tidy(_with_field(5, "country", "Belgique")()), where(5, "country") + ("allies.csv",)),
    "country_without_code": Case(tidy(_with_country(2, "Ireland", "")), where(2, "iso3")),
    "edition_not_in_the_file": Case(
        tidy(GOOD_TEXT.encode(), "--edition", "2023-06"), where(column="edition") + ("'2023-06'", "2024-06")
    ),
    "report_year_not_in_the_data": Case(
        tidy(GOOD_TEXT.encode(), "--report-year", "2020"), where(column="year") + ("2020", "2014, 2024")
    ),
    "report_year_out_of_range": Case(
        tidy(GOOD_TEXT.encode(), "--report-year", "1800"), where(column="year") + ("1800",)
    ),
    "unknown_extension": Case(tidy(GOOD_TEXT.encode(), name="tidy.txt"), ("unknown file type '.txt'",)),
    "xlsx_that_is_a_csv": Case(
        tidy(GOOD_TEXT.encode(), "--edition", "2024-06", name="tables.xlsx"),
        ("cannot read it as an Excel .xlsx workbook",),
    ),
    "a_folder_where_a_file_is_expected": Case(folder_for_a_file, ("is a folder",)),
    "dangling_symlink": Case(dangling_link, ("symbolic link", "does not exist")),
    "workbook_without_share_of_gdp_table": Case(
        workbook_without_share_of_gdp, ("no table titled like 'Table 3", "share of GDP")
    ),
    "workbook_with_a_blank_cell": Case(
        workbook_edited(belgiums_2024_share_deleted),
        ("TABLE3!N12", "blank cell for Belgium in column '2024e'", "--allow-missing") + where(column="2024e"),
    ),
    "tidy_csv_without_a_row_other_allies_have": Case(
        tidy_csv_without_a_row,
        ("no row for Belgium (BEL), indicator 'defexp_share_gdp', year 2024", "--allow-missing") + where(column="year"),
    ),
    "workbook_with_a_year_not_marked_as_estimate": Case(
        workbook_edited(table_3_year_without_its_e), ("TABLE3!N8", "says 2024 is not an estimate", "TABLE1!", "'2024e'")
    ),
    "workbook_table_retitled": Case(
        workbook_edited(table_3_retitled),
        (
            "no table titled like 'Table 3",
            "the titles found:",
            "TABLE1!B4 'Table 1 : Defence expenditure",
            "TABLE3!B4 'Table 3 : Defence spending relative to economic output'",
        ),
    ),
    "workbook_empty": Case(tidy(b"", "--edition", "2024-06", name="tables.xlsx"), ("the file is empty",)),
    "workbook_with_a_password": Case(
        tidy(OLE2_START + ENCRYPTION_INFO + bytes(64), "--edition", "2024-06", name="tables.xlsx"),
        ("password-protected (encrypted) workbook",),
    ),
    "workbook_saved_as_xls": Case(
        tidy(OLE2_START + bytes(64), "--edition", "2024-06", name="tables.xlsx"), ("Excel 97-2003 (.xls)",)
    ),
    "workbook_with_a_damaged_member": Case(
        with_a_damaged_member, ("cannot read it as an Excel .xlsx workbook", "download the file again")
    ),
    "build_folder_not_writable": Case(
        build_folder_in_the_way, ("expected a file or folder the build can read and write",)
    ),
    "parameter_file_nowhere": Case(
        lambda folder: (["--params", "data/params/nowhere.yml"], Path("data/params/nowhere.yml")),
        ("no such parameter file", f"the book's folder, {paths.ROOT}"),
    ),
    "workbook_without_edition": Case(raw_workbook(), ("no --edition given", "e.g. --edition 2025-06")),
    "workbook_edition_malformed": Case(raw_workbook("--edition", "2024-6"), ("'2024-6'", "YYYY-MM")),
    "parameters_of_the_wrong_type": Case(parameter_set(report_year="2024"), ("key 'report_year'", "2024")),
    "parameters_notebooks_not_a_list": Case(parameter_set(notebooks="share_of_gdp"), ("key 'notebooks'", "list")),
    "parameter_edition_not_in_its_data": Case(
        with_data_of(parameter_set(edition="2019-06"), paths.TIDY_CSV), where(column="edition") + ("'2019-06'",)
    ),
    "jobs_zero": Case(tidy(GOOD_TEXT.encode(), "--jobs", "0"), ("'--jobs'", "0 is not in the range"), exit_code=2),
}


def _one_message(stderr: str) -> bool:
    """One error, stated once: a single 'error:' line (click's: 'Error:'), at most one problem, no traceback."""
    heads = [line for line in stderr.splitlines() if line.lower().startswith("error:")]
    return len(heads) == 1 and "problems:" not in stderr and "Traceback" not in stderr


def test_the_corpus_is_large_enough():
    assert len(BAD_INPUTS) >= 25


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_a_bad_input_stops_the_build_with_one_message_and_the_site_untouched(name, natobook_build, build_dir, tmp_path):
    case = BAD_INPUTS[name]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    args, at_fault = case.make(inputs)
    before = tree_bytes(build_dir)

    code, stderr = natobook_build(*args)

    assert code == case.exit_code, stderr
    assert _one_message(stderr), stderr
    if case.exit_code == 1:
        assert str(at_fault) in stderr and "expected" in stderr, stderr
    for text in case.says:
        assert text in stderr, stderr
    assert tree_bytes(build_dir) == before


# --- The same, as a real process ---------------------------------------------------------------------------

IN_A_SUBPROCESS = ("path_does_not_exist", "workbook_without_edition", "truncated")


@pytest.fixture(scope="module")
def subprocess_runs(tmp_path_factory) -> dict[str, tuple[Case, Path, Path, subprocess.CompletedProcess, dict]]:
    """`python -m natobook build` on a few bad inputs, one after the other (builds of one book take turns: run
    together, one would be refused as "another build of this book is running"); each with its own fake site."""
    finished = {}
    for name in IN_A_SUBPROCESS:
        folder = tmp_path_factory.mktemp(name)
        build = folder / "build"
        (build / "site-before").mkdir(parents=True)
        (build / "site-before" / "index.html").write_text("<p>published before</p>", encoding="utf-8")
        (build / "html").symlink_to("site-before")
        args, at_fault = BAD_INPUTS[name].make(folder)
        env = os.environ | {"NATOBOOK_BUILD_DIR": str(build), "NATOBOOK_CACHE_DIR": str(folder / "cache")}
        before = tree_bytes(build)
        result = subprocess.run(
            [sys.executable, "-m", "natobook", "build", *args],
            cwd=paths.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        finished[name] = (BAD_INPUTS[name], at_fault, build, result, before)
    return finished


@pytest.mark.parametrize("name", IN_A_SUBPROCESS)
def test_a_real_process_exits_non_zero_with_the_message(subprocess_runs, name):
    case, at_fault, build, result, before = subprocess_runs[name]
    assert result.returncode == case.exit_code, result.stdout + result.stderr
    assert _one_message(result.stderr) and str(at_fault) in result.stderr, result.stderr
    assert all(text in result.stderr for text in case.says), result.stderr
    assert tree_bytes(build) == before


# --- What a build runs on ----------------------------------------------------------------------------------


def test_without_data_the_parameter_set_stands_exactly(planned):
    reached = planned()
    assert reached.pset == params.load(PARAMS)


def two_editions(folder: Path) -> Path:
    """GOOD, and the same rows as an older edition 2023-07 for 2014 and 2023."""
    older = GOOD_TEXT.replace("2024-06,", "2023-07,").replace(",2024,", ",2023,").splitlines(keepends=True)[1:]
    path = folder / "two_editions.csv"
    path.write_text(GOOD_TEXT + "".join(older), encoding="utf-8")
    return path


def test_edition_and_report_year_override_the_parameter_set(planned, tmp_path):
    args, _ = parameter_set(data=str(two_editions(tmp_path)))(tmp_path)
    reached = planned(*args, "--edition", "2023-07", "--report-year", "2014")
    assert reached.pset == dataclasses.replace(params.load(args[1]), edition="2023-07", report_year=2014)


def test_a_tidy_csv_builds_its_latest_edition_and_year_unless_told(planned, tmp_path):
    path = two_editions(tmp_path)

    latest = planned("--data", str(path))
    assert (latest.pset.edition, latest.pset.report_year) == ("2024-06", 2024)
    assert set(latest.frame["edition"]) == {"2023-07", "2024-06"}  # read and validated once, every edition

    older = planned("--data", str(path), "--edition", "2023-07")
    assert (older.pset.edition, older.pset.report_year) == ("2023-07", 2023)
    assert older.pset.entries == params.load(PARAMS).entries


def test_the_notebooks_read_only_the_edition_built_named_by_its_content(planned, build_dir, tmp_path):
    path = two_editions(tmp_path)
    given = planned("--data", str(path), "--edition", "2023-07").pset.data
    assert given.parent == build_dir / "data"
    expected = pd.read_csv(path, dtype=str, keep_default_na=False).query("edition == '2023-07'")
    pd.testing.assert_frame_equal(
        pd.read_csv(given, dtype=str, keep_default_na=False),
        expected.sort_values(["indicator", "country", "year"]).reset_index(drop=True),
        check_like=False,
    )

    renamed = tmp_path / "the same data under another name.csv"
    renamed.write_bytes(path.read_bytes())
    assert planned("--data", str(renamed), "--edition", "2023-07").pset.data == given  # the cache key follows


def test_a_relative_data_path_is_read_from_the_working_folder(planned, build_dir, monkeypatch):
    monkeypatch.chdir(GOOD.parent)
    reached = planned("--data", GOOD.name)
    assert reached.pset.data.parent == build_dir / "data" and reached.pset.data.is_absolute()
    assert sorted(reached.pset.data.read_text(encoding="utf-8").splitlines()) == sorted(GOOD_TEXT.splitlines())


def test_one_edition_under_another_name_is_the_same_file_for_the_notebooks(planned, tmp_path):
    """The cache key holds the path the notebooks get: named by the rows, a renamed file keeps every key."""
    renamed = tmp_path / "GOOD under another name.csv"
    renamed.write_bytes(GOOD.read_bytes())
    assert planned("--data", str(renamed)).pset.data == planned("--data", str(GOOD)).pset.data


def test_a_shifted_workbook_builds_on_the_same_tidy_csv(planned, build_dir, tmp_path):
    shifted = edited_workbook(tmp_path, shift_rows_and_columns)
    reached = planned("--data", str(shifted), "--edition", "2024-06")
    written = reached.pset.data
    assert (written.parent, reached.pset.edition, reached.pset.report_year) == (build_dir / "data", "2024-06", 2024)
    assert written.read_bytes() == paths.TIDY_CSV.read_bytes()  # the committed CSV: a fresh ingest of NATO's
    pd.testing.assert_frame_equal(schema.read_tidy_csv(written), schema.read_tidy_csv(paths.TIDY_CSV))


def test_the_notebooks_get_a_relative_path_to_the_data(planned, build_dir):
    reached = planned("--data", str(GOOD))
    run = params.NotebookRun(paths.NOTEBOOKS / "share_of_gdp.md", paths.CHAPTERS / "share_of_gdp.ipynb", {})
    given = pipeline.notebook_parameters(run, reached.pset)["data_path"]
    assert not os.path.isabs(given) and (paths.NOTEBOOKS / given).resolve() == reached.pset.data.resolve()


def test_a_blank_cell_is_read_on_with_a_warning_when_allowed(planned, tmp_path, capsys):
    args, _ = workbook_edited(belgiums_2024_share_deleted, "--allow-missing")(tmp_path)
    reached = planned(*args)
    belgium = reached.frame[(reached.frame["iso3"] == "BEL") & (reached.frame["indicator"] == "defexp_share_gdp")]
    assert sorted(belgium["year"]) == list(range(2014, 2024))  # 2024 left out, every other year read
    warning = capsys.readouterr().err
    assert "WARNING:" in warning and "1 value(s) missing where NATO prints one" in warning
    assert "TABLE3!N12: blank cell for Belgium in column '2024e'" in warning
    assert accepted(args) == [("Belgium", "BEL", "defexp_share_gdp", 2024, "TABLE3!N12")]  # what the site names


def accepted(args: list[str]) -> list[tuple]:
    """The gaps the build hands to the site (natobook.site.accepted_blanks): (Ally, iso3, indicator, year, cell)."""
    choice = dataset.Choice(Path(args[1]), edition="2024-06", allow_missing=True)
    gaps = dataset.resolve(params.load(PARAMS), choice).accepted
    return [
        (
            gap.country,
            gap.iso3,
            gap.indicator,
            gap.year,
            re.search(r"TABLE\d!\w+|column 'year'", str(gap.problem)).group(),
        )
        for gap in gaps
    ]


def test_a_row_missing_from_a_csv_is_read_on_with_a_warning_when_allowed(planned, tmp_path, capsys):
    path = belgiums_2024_share_row_removed(tmp_path)
    reached = planned("--data", str(path), "--allow-missing")
    warning = capsys.readouterr().err
    assert "WARNING:" in warning and "1 value(s) missing where NATO prints one" in warning
    assert "no row for Belgium (BEL), indicator 'defexp_share_gdp', year 2024" in warning
    assert accepted(["--data", str(path)]) == [("Belgium", "BEL", "defexp_share_gdp", 2024, "column 'year'")]
    assert reached.pset.edition == "2024-06"


def test_from_another_folder_the_build_finds_the_book(build_dir, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["natobook", "build"])  # the default parameter set, data/params/ar2024.yml
    with pytest.raises(ReachedPlanning) as reached:
        cli.main()
    assert reached.value.pset == params.load(PARAMS)


def with_thousands_separators(folder: Path) -> tuple[Path, int]:
    """NATO's data as a tidy CSV whose values are written 18,894.00: the file and how many values have a comma."""
    frame = pd.read_csv(paths.TIDY_CSV, dtype=str, keep_default_na=False)
    values = frame["value"].astype(float)
    frame["value"] = [f"{value:,.2f}" for value in values]
    path = folder / "thousands.csv"
    frame.to_csv(path, index=False)
    return path, int((values.abs() >= 1000).sum())


def test_many_problems_of_one_kind_are_counted_and_logged_in_full(natobook_build, build_dir, tmp_path):
    path, commas = with_thousands_separators(tmp_path)
    code, stderr = natobook_build("--data", str(path))
    assert code == 1 and "Traceback" not in stderr
    assert f"{commas:,} problems:" in stderr and len(stderr.splitlines()) < 12, stderr
    assert f"and {commas - 5:,} more of the same kind ({path}, column 'value': expected a number" in stderr
    log = build_dir / "logs" / "problems.log"
    assert f"the full list: {log}" in stderr
    assert len([line for line in log.read_text().splitlines() if "column 'value'" in line]) == commas


def test_a_new_ally_builds(planned, tmp_path):
    rows = _rows(GOOD_TEXT)
    rows[1][1:3] = [XSS_NAME, "IRL"]
    path = tmp_path / "new_ally.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    reached = planned("--data", str(path))
    assert reached.frame.loc[reached.frame["iso3"] == "IRL", "country"].tolist() == [XSS_NAME]
