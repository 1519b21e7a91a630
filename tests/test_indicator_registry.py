"""data/indicators.yml is the one registry of indicators: the schema, the ingest, the rounding and the notes
follow it, and a broken entry is refused with the file and the key."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from natobook import nbtools, paths
from natobook.data import indicator_registry, rounding, schema, workbook_layout
from natobook.errors import DataError

REGISTRY = indicator_registry.indicators()


def test_every_code_the_ingest_writes_is_registered_under_the_table_it_comes_from():
    kinds = workbook_layout.table_kinds()
    assert len(kinds) == 8  # NATO's Tables 1 to 7, and 8a with 8b
    for kind in kinds:
        for measure in kind.measures:
            assert measure.code in REGISTRY, f"{kind.name}: {measure.code} is not in data/indicators.yml"
            assert kind.name.startswith(REGISTRY[measure.code].table + " "), (measure.code, kind.name)


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ("'Table 1'", "'defexp_usd_current' is listed under 'Table 1', but data/indicators.yml puts it in 'Table 2'"),
        ("'Table 2'", "'navy_share' is listed under 'Table 2', but data/indicators.yml has no such code"),
    ],
)
def test_a_workbook_table_listing_a_code_the_registry_places_elsewhere_is_refused(tmp_path, table, says):
    code = "defexp_usd_current" if table == "'Table 1'" else "navy_share"
    layout = tmp_path / "workbook_tables.yml"
    layout.write_text(
        f"{table}:\n  name: 'Table x : y'\n  title: 'x'\n  measures:\n    - {{heading: '^x$', code: '{code}'}}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as refused:
        workbook_layout.table_kinds(layout)
    assert f"{layout}, column '{table.strip(chr(39))}.measures': {says}" in str(refused.value)


def test_a_broken_workbook_table_is_refused_naming_the_file_and_the_key(tmp_path):
    layout = tmp_path / "workbook_tables.yml"
    layout.write_text("'Table 7':\n  name: 'Table 7 : Military personnel'\n  title: 'military'\n", encoding="utf-8")
    with pytest.raises(DataError) as refused:
        workbook_layout.table_kinds(layout)
    assert f"{layout}, column 'Table 7.measures': Field required" in str(refused.value)


def test_every_indicator_of_the_committed_data_matches_exactly_one_entry():
    codes = pd.read_csv(paths.TIDY_CSV, usecols=["indicator"])["indicator"].unique()
    patterns = [indicator_registry.code_pattern(template) for template in REGISTRY]
    for code in codes:
        assert sum(bool(re.fullmatch(pattern, code)) for pattern in patterns) == 1, code
        assert re.fullmatch(f"(?:{schema.INDICATOR_PATTERN})", code)


def test_the_schema_refuses_a_code_the_registry_does_not_know():
    assert not re.fullmatch(f"(?:{schema.INDICATOR_PATTERN})", "defexp_usd_const15")
    assert not re.fullmatch(f"(?:{schema.INDICATOR_PATTERN})", "navy_share")


def test_rounding_and_note_words_come_from_the_registry():
    # NATO prints shares of GDP with two decimals, personnel in thousands with one, money in millions with none.
    assert rounding.decimals_of("defexp_share_gdp") == 2
    assert rounding.decimals_of("military_personnel") == 1
    assert rounding.decimals_of("defexp_usd_const2021") == 0
    assert nbtools.indicator_words(nbtools.constant_prices("defexp_usd")) == (
        "defence expenditure in USD at constant prices"
    )
    assert nbtools.indicator_words("equipment_share") == "equipment share of defence expenditure"


@pytest.mark.parametrize(
    ("entry", "key", "says"),
    [
        (
            "defexp_usd_current: {table: Table 2, unit: million USD, decimals: two, words: x}",
            "defexp_usd_current.decimals",
            "valid integer",
        ),
        (
            "defexp_usd_current: {table: Table 2, unit: million USD, decimals: 0, words: x, colour: red}",
            "defexp_usd_current.colour",
            "Extra inputs are not permitted",
        ),
        ("defexp_usd_current: {table: Table 2, decimals: 0, words: x}", "defexp_usd_current.unit", "Field required"),
    ],
)
def test_a_broken_entry_is_refused_naming_the_file_and_the_key(tmp_path, entry, key, says):
    registry = tmp_path / "indicators.yml"
    registry.write_text(entry + "\n", encoding="utf-8")
    with pytest.raises(DataError) as refused:
        indicator_registry.indicators(registry)
    assert f"{registry}, column '{key}': " in str(refused.value) and says in str(refused.value)


def test_a_code_template_with_an_unknown_placeholder_is_refused(tmp_path):
    registry = tmp_path / "indicators.yml"
    registry.write_text("defexp_{year}: {table: Table 2, unit: u, decimals: 0, words: w}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"'defexp_\{year\}' is no code template"):
        indicator_registry.indicators(registry)


def test_a_workbook_table_under_a_name_no_table_has_is_refused(tmp_path):
    layout = tmp_path / "workbook_tables.yml"
    layout.write_text(
        "'Tabel 1':\n  name: 'Table 1 : x'\n  title: 'x'\n  measures:\n    - {heading: '^x$', code: 'defexp_ncu_current'}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        DataError, match=r"workbook_tables.yml: 'Tabel 1': expected NATO's name of a table, as 'Table 1'"
    ):
        workbook_layout.table_kinds(layout)
