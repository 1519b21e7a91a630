"""CITATION.cff is valid Citation File Format 1.2.0 and names NATO's sources; the texts built from it."""
from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from natobook import citation, paths

# The CFF 1.2.0 JSON schema, as published by the Citation File Format project (bundled in cffconvert 2.0.0).
CFF_SCHEMA = paths.ROOT / "tests" / "fixtures" / "citation-file-format-1.2.0.schema.json"


def _cff() -> dict:
    return yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_file_is_valid_cff_1_2_0():
    jsonschema.validate(_cff(), json.loads(CFF_SCHEMA.read_text(encoding="utf-8")))


def test_citation_file_references_nato_sources():
    titles = {ref["title"] for ref in _cff()["references"]}
    assert "The Secretary General's Annual Report 2024" in titles
    assert "Defence Expenditure of NATO Countries (2014-2024)" in titles


def test_schema_rejects_a_broken_citation_file():
    broken = _cff() | {"cff-version": "one point two"}
    with pytest.raises(jsonschema.ValidationError, match="one point two"):
        jsonschema.validate(broken, json.loads(CFF_SCHEMA.read_text(encoding="utf-8")))


def test_figure_citation_names_label_and_edition():
    text = citation.figure_text("fig-share-of-gdp", "2024-06")
    assert "fig-share-of-gdp" in text and "2024-06" in text and _cff()["title"] in text


def test_book_bibtex_carries_title_and_year():
    bibtex = citation.book_bibtex()
    assert bibtex.startswith("@misc{natobook")
    assert _cff()["title"] in bibtex and str(_cff()["date-released"])[:4] in bibtex


def _book_config() -> dict:
    return yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_the_site_and_the_citation_carry_one_title():
    config = _book_config()
    assert config["title"] == _cff()["title"]
    assert config["title"].startswith(config["sphinx"]["config"]["ogp_site_name"])


def test_the_title_holds_for_every_edition():
    """A span of years ('2014–2024') in the title would be wrong as soon as the book is rebuilt on a new release."""
    config = _book_config()
    for title in (config["title"], config["sphinx"]["config"]["ogp_site_name"], _cff()["title"]):
        assert not re.search(r"\d{4}\s*[-–]\s*\d{4}", title), title
