"""Each edition's data as a Frictionless Data Package, checked with the frictionless library itself.

Expected units come from the independent extraction of NATO's workbook (tests/fixtures/reference), the
expected source from the raw file's provenance; the built site must publish the package it was built from.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict

import frictionless
import pytest

from natobook import paths
from natobook.site import datapackage

EDITION = "2024-06"


@pytest.fixture(scope="module")
def package(tidy_2024, tmp_path_factory):
    return datapackage.write_package(tidy_2024, EDITION, tmp_path_factory.mktemp("package") / EDITION)


def test_the_package_validates_with_frictionless_row_by_row(package):
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 5507  # NATO's 5,501 printed cells and the six national-law marks


def test_a_value_that_is_not_a_number_is_caught_with_its_row_and_column(package, tmp_path):
    lines = package.with_name(datapackage.DATA_FILE).read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[5] = "1,941"  # a thousands separator, as a spreadsheet might write it
    broken = tmp_path / datapackage.DATA_FILE
    broken.write_text("\n".join([lines[0], ",".join(fields), *lines[2:]]) + "\n", encoding="utf-8")
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    (tmp_path / datapackage.DESCRIPTOR).write_text(json.dumps(descriptor), encoding="utf-8")
    errors = frictionless.validate(str(tmp_path / datapackage.DESCRIPTOR)).flatten(["rowNumber", "type"])
    assert [2, "extra-cell"] in errors or [2, "type-error"] in errors
    assert any(kind == "hash-count" for _, kind in errors)  # the file is no longer the one described


def test_units_are_the_ones_nato_prints(package, reference_dir):
    printed = defaultdict(set)
    with open(reference_dir / "nato_defexp_2014_2024_long.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            printed[row["indicator"]].add(row["unit"])
    described = json.loads(package.read_text(encoding="utf-8"))["indicators"]
    assert {code: set(units) for code, units in described.items() if code in printed} == dict(printed)


def test_the_package_names_its_source_licence_and_schema(package):
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    source = descriptor["sources"][0]
    assert "PR/CP(2024)090" in source["title"] and "2024-06-17" in source["title"]
    assert source["path"] == "https://www.nato.int/cps/en/natohq/topics_49198.htm"
    assert descriptor["licenses"][0]["name"] == "other-at" and "acknowledgement" in descriptor["licenses"][0]["title"]
    resource = descriptor["resources"][0]
    assert {field["name"]: field["type"] for field in resource["schema"]["fields"]} == {
        "edition": "string",
        "country": "string",
        "iso3": "string",
        "year": "integer",
        "indicator": "string",
        "value": "number",
        "unit": "string",
        "estimate": "boolean",
    }
    assert resource["schema"]["primaryKey"] == ["edition", "country", "year", "indicator"]


@pytest.mark.parametrize("folder", [EDITION, ""], ids=["stable edition path", "the book's edition"])
def test_the_site_publishes_the_package_of_its_edition(built_site, folder):
    folder = built_site / "data" / folder
    assert (folder / datapackage.DATA_FILE).read_bytes() == paths.TIDY_CSV.read_bytes()  # one edition in the file
    assert frictionless.validate(str(folder / datapackage.DESCRIPTOR)).valid


@pytest.mark.parametrize("page", ["index.html", "chapters/how_to_cite.html"])
def test_the_landing_and_how_to_cite_pages_link_the_package(built_site, page):
    html = (built_site / page).read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]*datapackage\.json)"', html)
    assert links and all((built_site / page).parent.joinpath(link).resolve().is_file() for link in links)
