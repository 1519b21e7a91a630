"""data/editions.yml is checked with pydantic: a wrong or missing key is refused naming the file, the edition
and the key; the registry as committed is read whole."""

from __future__ import annotations

import datetime

import pytest

from natobook.data import editions
from natobook.errors import DataError

JUNE = """\
"2024-06":
  title: "Defence Expenditure of NATO Countries (2014-2024)"
  producer: NATO Public Diplomacy Division
  reference: PR/CP(2024)090
  published: {published}
  price_base_year: 2015
  raw_file: data/raw/240617-def-exp-2024-TABLES-en.xlsx
"""


def test_the_committed_registry_describes_the_june_2024_release_as_nato_published_it():
    june = editions.registry()["2024-06"]
    assert june["published"] == datetime.date(2024, 6, 17)
    assert june["reference"] == "PR/CP(2024)090" and june["price_base_year"] == 2015


def test_the_report_editions_base_year_says_where_it_comes_from():
    # NATO's Annual Report 2024 does not state its price base; only press renderings do.
    assert "not stated in NATO's report" in editions.registry()["2025-04"]["price_base_year_source"]


@pytest.mark.parametrize(
    ("text", "key", "says"),
    [
        (JUNE.format(published="17 June 2024"), "2024-06.published", "valid date"),
        (JUNE.format(published="2024-06-17") + "  colour: blue\n", "2024-06.colour", "Extra inputs are not permitted"),
        (
            JUNE.format(published="2024-06-17").replace("  reference: PR/CP(2024)090\n", ""),
            "2024-06.reference",
            "Field required",
        ),
    ],
)
def test_a_wrong_entry_is_refused_naming_the_file_the_edition_and_the_key(tmp_path, text, key, says):
    registry = tmp_path / "editions.yml"
    registry.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as refused:
        editions.registry(registry)
    assert f"{registry}, column '{key}': " in str(refused.value) and says in str(refused.value)


def test_an_edition_not_named_by_year_and_month_is_refused(tmp_path):
    registry = tmp_path / "editions.yml"
    registry.write_text(JUNE.format(published="2024-06-17").replace('"2024-06"', '"June 2024"'), encoding="utf-8")
    with pytest.raises(DataError, match="edition 'June 2024': expected YYYY-MM"):
        editions.registry(registry)
