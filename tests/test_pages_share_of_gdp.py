"""The share-of-GDP page and the landing facts it gives, computed without a kernel, against NATO's printed numbers.

Editions: NATO's June 2024 release (PR/CP(2024)090, Table 3), the Annual Report 2024's own list of 2024 shares
(data/published), and a TEST FIXTURE derived from June 2024 (tests/editionkit.py: shares only, three Allies'
2024e rows removed, an edition data/editions.yml does not describe).
"""

from __future__ import annotations

import csv

import pytest
from editionkit import LEFT_OUT, SHARE_ONLY_EDITION, write_share_only_csv

from natobook import paths
from natobook.data import printed, schema
from natobook.pages import share_of_gdp

FACTS = paths.DATA / "published" / "annual_report_2024.csv"


def june_page(path=paths.TIDY_CSV, edition="2024-06"):
    return share_of_gdp.page(path, edition, 2024, 2014, 2.0, FACTS)


@pytest.fixture(scope="module")
def share_only_csv(tmp_path_factory):
    return write_share_only_csv(tmp_path_factory.mktemp("share-only"))


def test_june_2024_gives_the_printed_counts_and_lacks_nothing():
    page, landing = june_page()
    # PR/CP(2024)090: 23 Allies at or above 2% in 2024e, 3 in 2014; Poland highest at 4.12% (Table 3)
    assert (page.numbers["n_at_guideline_latest"], page.numbers["n_at_guideline_first"]) == (23, 3)
    assert (page.texts["top_ally"], page.numbers["top_ally_share"]) == ("Poland", 4.12)
    assert page.texts["allies_counted"] == "31 Allies that report defence expenditure"
    assert page.texts["spent_or_expected"] == "were expected to spend"  # 2024e is NATO's estimate
    assert {name: missing for name, missing in page.lacks.items() if missing} == {}
    assert set(page.figures) == {"fig-share-of-gdp", "fig-allies-at-guideline"}
    assert landing.plain["landing_headline"] == (
        "On these figures, 23 Allies were expected to spend at least 2 per "
        "cent of GDP on defence in 2024e, against 3 in 2014"
    )
    assert landing.plain["landing_edition_plain"] == (
        "NATO's Defence Expenditure of NATO Countries (2014-2024), released on 17 June 2024"
    )


def test_the_count_paragraph_reads_nato_s_counts_year_by_year(reference_dir):
    with open(reference_dir / "share_of_gdp_wide_2014_2024.csv", encoding="utf-8") as handle:
        rows = {row["iso3"]: row for row in csv.DictReader(handle) if row["iso3"]}  # Table 3, one row per Ally
    printed_counts = {
        year: sum(float(row[year]) >= 2.0 for row in rows.values()) for year in ("2014", "2023e", "2024e")
    }
    page, _ = june_page()
    counts = page.figures["fig-allies-at-guideline"].data.set_index("year_label")["count"]
    assert {year: counts[year] for year in printed_counts} == printed_counts == {"2014": 3, "2023e": 10, "2024e": 23}
    assert (page.texts["previous_year_label"], page.numbers["max_before_latest"], page.numbers["rise_on_previous"]) == (
        "2023e",
        10,
        13,
    )


def test_the_reports_own_list_gives_22_and_lacks_the_years_before():
    page, landing = june_page(printed.REPORT_SHARES_TIDY, "2025-04")
    assert page.numbers["n_at_guideline_latest"] == 22  # Annual Report 2024 (AR24_N2PCT)
    assert page.numbers["top_ally_share"] == 4.07  # Poland in the Annual Report 2024
    assert "n_at_guideline_first" not in page.numbers  # not a zero: the edition has no 2014 shares
    assert page.lacking("comparison") == ["share of GDP for 2014"]
    assert page.lacking("count") == page.lacking("fig-allies-at-guideline") == ["share of GDP for 2014 to 2023"]
    assert "fig-allies-at-guideline" not in page.figures and "fig-share-of-gdp" in page.figures
    assert page.texts["share_years"] == "2024e" and page.cases["first_year"] == "missing"
    assert landing.plain["landing_headline"] == (
        "On these figures, 22 Allies were expected to spend at least 2 per cent of GDP on defence in 2024e; "
        "this edition holds no share of GDP for 2014 to compare with"
    )


def test_a_count_names_the_allies_the_edition_leaves_out(share_only_csv):
    page, landing = june_page(share_only_csv, SHARE_ONLY_EDITION)
    assert LEFT_OUT == ("Belgium", "Canada", "Spain")
    assert page.texts["allies_counted"] == (
        "28 Allies with a figure for 2024e (no figure for Belgium, Canada and Spain in this edition)"
    )
    assert page.numbers["n_at_guideline_latest"] == 23  # the three left out were below 2% (1.30, 1.37, 1.28)
    assert {name: missing for name, missing in page.lacks.items() if missing} == {}
    # The edition is named plainly, once, as one data/editions.yml does not describe.
    assert landing.plain["landing_headline"] == (
        "On these figures, 23 Allies were expected to spend at least 2 per cent of GDP on defence in 2024e, against "
        "3 in 2014; this edition has no figure for 2024e for Belgium, Canada and Spain"
    )
    assert landing.plain["landing_edition_plain"] == "NATO's data edition 2099-01, not described"
    assert "[not available]" not in " ".join(landing.plain.values())


def test_an_edition_without_shares_says_so_once_for_the_page(tmp_path):
    real = schema.read_tidy_csv(paths.TIDY_CSV)
    path = tmp_path / "no_shares.csv"
    real[~real["indicator"].str.contains("share_gdp")].to_csv(path, index=False)
    page, landing = june_page(path)
    assert page.lacking("page") == ["share of GDP"] and page.lacking("latest") == ["share of GDP"]
    assert page.figures == {}
    assert landing.plain["landing_headline"] == (
        "The number of Allies at the guideline in 2024e is not available in this edition: needs share of GDP"
    )
