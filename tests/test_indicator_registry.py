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
    for kind in workbook_layout.TABLES:
        for measure in kind.measures:
            assert measure.code in REGISTRY, f"{kind.name}: {measure.code} is not in data/indicators.yml"
            assert kind.name.startswith(REGISTRY[measure.code].table + " "), (measure.code, kind.name)


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
