"""Run 'What the money buys' and 'From 2% to 5%' with papermill on NATO's 2024 workbook; check what they glue.

Expected values are NATO's printed cells (the reference extraction in tests/fixtures/reference, read with the csv module), or
sums worked out here from them, never the code under test.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from notebookkit import Outputs, run

pytestmark = pytest.mark.build

EDITION = "2024-06"


@pytest.fixture(scope="module")
def printed(reference_dir) -> dict[tuple[str, str, int], float]:
    """{(country, indicator, year): printed value} for every Ally (aggregates left out)."""
    path = reference_dir / "nato_defexp_2014_2024_long.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["iso3"]]
    return {(row["country"], row["indicator"], int(row["year"])): float(row["value"]) for row in rows}


def allies_values(printed: dict, indicator: str, year: int) -> dict[str, float]:
    return {country: value for (country, code, y), value in printed.items() if code == indicator and y == year}


def run_chapter(name: str, data_csv: Path, out_dir: Path, **parameters) -> Outputs:
    """Execute notebooks/<name>.md on `data_csv` as the pipeline does."""
    return run(name, out_dir, data_path=str(data_csv), edition=EDITION, **parameters)


@pytest.fixture(scope="module")
def equipment_run(tidy_2024_csv, tmp_path_factory) -> Outputs:
    return run_chapter("equipment", tidy_2024_csv, tmp_path_factory.mktemp("equipment"))


@pytest.fixture(scope="module")
def equipment_glue(equipment_run) -> dict[str, str]:
    """{glue key: value as shown}"""
    return equipment_run.texts()


@pytest.fixture(scope="module")
def targets_run(tidy_2024_csv, tmp_path_factory) -> Outputs:
    return run_chapter("targets", tidy_2024_csv, tmp_path_factory.mktemp("targets"))


@pytest.fixture(scope="module")
def targets_glue(targets_run) -> dict[str, str]:
    """{glue key: value as shown}"""
    return targets_run.texts()


def paragraph_with(outputs: Outputs, words: str) -> str:
    """The one paragraph (cell of prose, as the reader gets it) that holds `words`."""
    (found,) = [paragraph for paragraph in outputs.prose() if words in paragraph]
    return found


def test_equipment_chapter_counts_are_the_printed_ones(equipment_glue, printed):
    for year, key in ((2014, "n_meeting_equipment_first"), (2024, "n_meeting_equipment_latest")):
        shares = allies_values(printed, "equipment_share", year)
        assert int(equipment_glue[key]) == sum(value >= 20.0 for value in shares.values()), key
    assert int(equipment_glue["n_meeting_equipment_latest"]) == 29  # of 31: Belgium 15.16, Canada 18.60 below
    assert int(equipment_glue["n_meeting_equipment_first"]) == 8
    assert int(equipment_glue["n_allies_reporting"]) == 31
    assert equipment_glue["report_year_label"] == "2024e"


def test_equipment_chapter_extremes_and_sentences(equipment_glue):
    assert (equipment_glue["top_equipment_ally"], float(equipment_glue["top_equipment_share"])) == ("Poland", 51.13)
    bottom = (equipment_glue["bottom_equipment_ally"], float(equipment_glue["bottom_equipment_share"]))
    assert bottom == ("Belgium", 15.16)
    assert int(equipment_glue["n_personnel_largest"]) == 18
    assert {"fig-equipment-share", "fig-spending-categories"} <= set(equipment_glue)


def test_equipment_chapter_names_the_allies_below_the_guideline_in_its_first_paragraph(equipment_run):
    """The wording for 'some Allies below' is kept, joined to its paragraph; 'Every Ally met it.' is not."""
    first = next(paragraph for paragraph in equipment_run.prose() if "met it, against 8 in 2014" in paragraph)
    assert (
        "met it, against 8 in 2014 ({numref}`fig-equipment-share`). Below it: Belgium and Canada. Poland put" in first
    )
    assert "Every Ally met it" not in first
    categories = next(paragraph for paragraph in equipment_run.prose() if "the largest of the four was" in paragraph)
    assert categories.endswith(
        "In 2024e, the largest of the four was personnel in 18, equipment in 8 and other in 5 of the 31 Allies."
    )


def test_targets_chapter_gap_totals_equal_sums_over_printed_cells(targets_glue, printed):
    shares = allies_values(printed, "defexp_share_gdp", 2024)
    gdp = allies_values(printed, "gdp_usd_current", 2024)
    for role, target in (("guideline", 2.0), ("core", 3.5), ("hague", 5.0)):
        gaps_bn = {c: max(0.0, (target - s) / 100 * gdp[c]) / 1000 for c, s in shares.items()}
        us = gaps_bn.pop("United States")
        assert float(targets_glue[f"gap_us_{role}_bn"]) == pytest.approx(us, abs=1e-9)
        assert float(targets_glue[f"gap_europe_canada_{role}_bn"]) == pytest.approx(sum(gaps_bn.values()), abs=1e-9)
        assert float(targets_glue[f"gap_all_{role}_bn"]) == pytest.approx(us + sum(gaps_bn.values()), abs=1e-9)
    assert float(targets_glue["gap_us_guideline_bn"]) == 0.0  # printed 3.38% (TABLE3!N41)


def test_targets_chapter_headline_counts_are_the_printed_ones(targets_glue):
    assert int(targets_glue["n_above_core"]) == 1 and targets_glue["allies_above_core"] == "Poland"
    assert int(targets_glue["n_at_or_above_hague"]) == 0
    assert (targets_glue["top_ally"], float(targets_glue["top_ally_share"])) == ("Poland", 4.12)  # TABLE3!N32
    assert int(targets_glue["n_below_guideline"]) == 8
    assert float(targets_glue["us_share"]) == 3.38
    assert int(targets_glue["price_base_year"]) == 2015  # "Based on 2015 prices", TABLE3!B6
    assert {"fig-gap-to-target", "fig-cost-of-targets"} <= set(targets_glue)


def test_targets_chapter_says_no_ally_reached_the_hague_level_and_who_came_closest(targets_run):
    gaps = paragraph_with(targets_run, "The comparable figure for The Hague")
    assert (
        "more than 3.5 per cent (Poland). No Ally was expected to spend 5% of GDP or more in 2024e; the highest" in gaps
    )
    assert "the highest share was Poland's, 4.12%. The other 1.5 per cent is a different kind" in gaps
    # ... where the next paragraph starts: one cell of prose (one note on an edition that lacks its inputs).
    assert any("`top_ally_share_text`%.\n\nThe other" in source for source in targets_run.markdown)


def test_targets_are_a_parameter(tidy_2024_csv, tmp_path):
    run_on_targets = run_chapter("targets", tidy_2024_csv, tmp_path, targets=[2.0, 3.0, 4.0], slider_target=3.0)
    glued = run_on_targets.texts()
    # Printed shares above 3.0: Poland 4.12, Estonia 3.43, United States 3.38, Latvia 3.15, Greece 3.08.
    assert int(glued["n_above_core"]) == 5
    assert int(glued["n_at_or_above_hague"]) == 1
    assert "Latvia and Greece). 1 of 31 Allies was already expected to spend 4% of GDP or more in 2024e." in (
        paragraph_with(run_on_targets, "The comparable figure for The Hague")
    )
    assert float(glued["target_core"]) == 3.0
