"""The pages of the report's checks, the targets, burden sharing, equipment and the visit, computed without a kernel
(natobook.pages): against NATO's printed cells (tests/fixtures/reference, read with the csv module), the report's
printed numbers, and on a partial edition, where what a paragraph needs is declared lacking, never filled in."""

from __future__ import annotations

import csv
import dataclasses
import json
import re

import altair as alt
import pytest
from notebookkit import page_prose

from natobook import paths
from natobook.data import schema
from natobook.pages import allies_left_out, burden_sharing, equipment, reproduction, targets, washington_visit
from natobook.pages.paragraphs import PAGE

JUNE, REPORT, PRESS = "2024-06", "2025-04", "2099-01"
TARGETS = [2.0, 3.5, 5.0]


@pytest.fixture(scope="module")
def printed(reference_dir) -> dict[tuple[str, str, int], float]:
    """{(country, indicator, year): NATO's printed value} for every Ally."""
    with open(reference_dir / "nato_defexp_2014_2024_long.csv", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["iso3"]]
    return {(row["country"], row["indicator"], int(row["year"])): float(row["value"]) for row in rows}


@pytest.fixture(scope="module")
def press_csv(tmp_path_factory):
    """TEST FIXTURE: shares of GDP only, as an edition data/editions.yml does not describe (a press summary)."""
    data = schema.read_tidy_csv(paths.TIDY_CSV)
    path = tmp_path_factory.mktemp("press") / "press.csv"
    data[data["indicator"] == "defexp_share_gdp"].assign(edition=PRESS).to_csv(path, index=False)
    return path


def reproduction_page(data_path, edition):
    return reproduction.page(
        str(data_path),
        edition,
        str(paths.PROCESSED / "annual_report_2024_share_of_gdp.csv"),
        str(paths.RAW / "annual_report_2024_share_of_gdp_2024.csv"),
        REPORT,
        str(paths.PUBLISHED / "annual_report_2024.csv"),
        2014,
        2.0,
    )


def targets_page(data_path, edition):
    return targets.page(str(data_path), edition, None, TARGETS, 2035, 5.0)


def every_word(page) -> str:
    """Everything a page says in words: texts, chart titles, axis titles and descriptions, table captions."""
    charts = [
        json.dumps(figure.chart.to_dict())
        for figure in page.figures.values()
        if isinstance(figure.chart, alt.TopLevelMixin)
    ]
    captions = [table.caption or "" for table in getattr(page, "tables", {}).values()]
    return "\n".join([*page.texts.values(), *charts, *captions])


# --- The reproduction page ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def june_reproduction():
    return reproduction_page(paths.TIDY_CSV, JUNE)


def test_reproduction_counts_natos_numbers_apart_from_the_press(june_reproduction):
    numbers = june_reproduction.numbers
    assert (numbers["n_nato"], numbers["n_press"]) == (10, 7)  # data/published/annual_report_2024.csv: by origin
    assert numbers["printed_n_at_guideline"] == 22 and numbers["report_n_at_guideline"] == 22  # the report's list
    assert numbers["edition_n_at_guideline"] == 23  # Table 3, 2024e: 23 Allies at or above 2.00


def test_reproduction_names_montenegro_as_printed(june_reproduction, printed):
    june = printed[("Montenegro", "defexp_share_gdp", 2024)]
    assert june == 2.02  # 1.71 below: the report's list (Knews)
    texts, cases = june_reproduction.texts, june_reproduction.cases
    assert texts["allies_fell_below_values"] == f"Montenegro ({june:.2f} in the June estimate, 1.71 in the report)"
    assert (cases["fell_below"], cases["rose_to"], texts["allies_rose_to_values"]) == ("one", "none", "")


def test_reproduction_says_each_verdict_once_in_its_words(june_reproduction):
    """Each headline's verdict on NATO's June 2024 data, in the words the notebook's markdown gives its case."""
    assert june_reproduction.cases == {
        "fell_below": "one",
        "rose_to": "none",
        "inferred_value": "below",  # Croatia's 1.86, assigned by elimination
        "ec_real_change": "differs",  # 17.95 against the printed 19.4
        "us_bases": "different",  # 64 at constant prices, 53 at current prices
        "ec_usd": "differs",  # 506.7 and 430.1 against the printed 486
        "extra": "differs",  # 643 against "more than 700"
        "increase": "reproduced",  # 10 years
    }
    prose = page_prose("reproduction", june_reproduction)
    for sentence in (
        "NATO's June estimate gave 23. Montenegro (2.02 in the June estimate, 1.71 in the report) was at or above the "
        "guideline in NATO's June estimate but below it in the report's figures; no Ally rose to it ({numref}",
        "Croatia's value (1.86) was assigned to an Ally by elimination, which we rate of low confidence; it is below "
        "the guideline, so the count does not depend on whose value it is.",
        "was 17.95 per cent. The difference is one of data edition, and probably of price base too: the report rests "
        "on later national figures, which we do not hold, and most likely on constant 2021 prices, where this "
        "edition's real change is at constant 2015 prices;",
        "matches within NATO's rounding. So the two shares the report prints side by side match on different price "
        "bases; on one basis, one of them fails: at current prices throughout, the United States would have 65.6 per "
        "cent of the spending (printed 64); at constant 2015 prices throughout, 51.1 per cent of the GDP (printed 53).",
        "430.1 billion at constant 2015 prices. Neither matches, and neither could: the report's figure comes from a "
        "later data edition, which we do not hold. The report's figure most likely rests on constant 2021 prices,",
        "({numref}`fig-europe-canada-extra-spending`). Our price basis and data edition differ from the report's, so "
        "this does not reproduce the printed figure; it does not refute it either. **Consecutive",
        "gives a run of 10 years: reproduced. ## Every number",
    ):
        assert prose.count(sentence) == 1, sentence


@pytest.mark.parametrize(
    "case, value, words",
    [
        ("fell_below", "none", "gave 23. No Ally fell below the guideline between the two; no Ally rose to it ({"),
        ("fell_below", "several", "in the report) were at or above the guideline in NATO's June estimate but below"),
        ("inferred_value", "not below", "low confidence; the count depends on that assignment. **Real growth"),
        ("ec_real_change", "reproduced", "was 17.95 per cent. That is reproduced within NATO's rounding. **The United"),
        ("ec_real_change", "not computable", "was 17.95 per cent. **The United"),
        ("us_bases", "not different", "the share at current prices matches within NATO's rounding. **What European"),
        ("ec_usd", "reproduced", "prices. One of them matches within NATO's rounding. The report's figure most likely"),
        ("ec_usd", "no printed value found", "at constant 2015 prices. The report's figure most likely rests"),
        ("extra", "reproduced", "extra-spending`). That is more than the printed figure: reproduced. **Consecutive"),
        ("extra", "not computable", "extra-spending`). **Consecutive"),
        ("increase", "differs", "gives a run of 10 years: it differs. ## Every number"),
        ("increase", "no printed value found", "gives a run of 10 years. ## Every number"),
    ],
)
def test_reproduction_words_each_case_as_the_markdown_gives_it(june_reproduction, case, value, words):
    """The other wordings, each in its case (the page's numbers kept): the markdown holds them, so it is read here."""
    page = dataclasses.replace(june_reproduction, cases=june_reproduction.cases | {case: value})
    assert words in page_prose("reproduction", page)


def test_reproduction_names_who_rose_to_the_guideline_after_who_fell(june_reproduction):
    rose = "Ruritania (1.99 in the June estimate, 2.01 in the report)"  # no Ally rose in 2024: a made-up one
    page = dataclasses.replace(
        june_reproduction,
        cases=june_reproduction.cases | {"rose_to": "some"},
        texts=june_reproduction.texts | {"allies_rose_to_values": rose},
    )
    assert f"below it in the report's figures, while {rose} rose to it ({{numref}}" in page_prose("reproduction", page)


def test_the_report_lists_source_line_says_what_the_list_is(june_reproduction):
    """The per-Ally list is the press's quotation of the report (its .meta.yml): no title the report lacks."""
    source = june_reproduction.texts["report_source_note"]
    assert (
        "as quoted by Knews, 25 April 2025" in source and "Annual Report 2024 (NATO, published 24 April 2025)" in source
    )
    assert "(share of GDP, 2024)" not in source and "“" not in source


def test_verdicts_on_an_edition_editions_yml_does_not_date_call_the_reports_edition_another(tmp_path):
    """Nothing says whether the report's edition is later or earlier than an undescribed one: the words say so."""
    undated = tmp_path / "undated.csv"
    data = schema.read_tidy_csv(paths.TIDY_CSV)
    data.assign(edition="2099-02").to_csv(undated, index=False)
    prose = page_prose("reproduction", reproduction_page(undated, "2099-02"))
    assert "the report rests on other national figures, which we do not hold" in prose
    assert "the report's figure comes from another data edition, which we do not hold" in prose
    assert "a another" not in prose and "on another national" not in prose


def test_reproduction_on_a_press_summary_declares_what_each_paragraph_lacks(press_csv):
    page = reproduction_page(press_csv, PRESS)
    for paragraph in ("real_growth", "us_def", "us_gdp", "ec_usd", "extra"):
        assert page.lacking(paragraph), paragraph
    assert "defence expenditure in USD at constant prices" in page.lacking("extra")
    assert "edition_extra_bn" not in page.numbers  # no number is better than a wrong one
    assert page.lacking("revisions") == [] and "fig-revisions-share-of-gdp" in page.figures  # shares alone do it
    assert page.texts["constant_basis"] == "prices this edition does not state"
    assert "[not available]" not in every_word(page) and "not available" not in every_word(page).lower()
    prose = page_prose("reproduction", page)  # a paragraph that gives way takes its verdict with it
    assert "**Extra spending since 2014.** Not available in this edition: needs defence expenditure in USD at " in prose
    assert "reproduce the printed figure" not in prose and "Neither matches" not in prose


# --- The targets page --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def june_targets():
    return targets_page(paths.TIDY_CSV, JUNE)


def test_targets_counts_are_natos_printed_ones(june_targets, printed):
    shares = {
        country: value
        for (country, code, year), value in printed.items()
        if code == "defexp_share_gdp" and year == 2024
    }
    assert june_targets.numbers["n_allies"] == len(shares) == 31
    assert june_targets.numbers["n_below_guideline"] == sum(value < 2.0 for value in shares.values())
    assert june_targets.texts["allies_above_core"] == "Poland" == max(shares, key=shares.get)
    assert june_targets.numbers["top_ally_share"] == shares["Poland"] == 4.12
    assert june_targets.numbers["us_share"] == shares["United States"]


def test_the_core_gap_is_the_sum_over_printed_cells(june_targets, printed):
    gaps = [
        (3.5 - printed[(country, "defexp_share_gdp", 2024)]) / 100 * printed[(country, "gdp_usd_current", 2024)]
        for (country, code, year) in printed
        if code == "defexp_share_gdp" and year == 2024
    ]
    assert june_targets.numbers["gap_all_core_bn"] == pytest.approx(sum(g for g in gaps if g > 0) / 1000, abs=1e-9)


def test_the_gap_to_five_per_cent_is_never_called_extra_defence_spending(june_targets):
    """The Hague 5% is 3.5% core defence plus up to 1.5% outside NATO's definition (#13)."""
    words = every_word(june_targets)
    assert "extra defence spending" not in words.lower() and "defence spending needed" not in words.lower()
    for figure in june_targets.figures.values():
        assert "up to 1.5% of GDP of defence- and security-related spending outside" in figure.chart.description
    assert "the Hague core 3.5% USD 413 bn" in june_targets.figures["fig-cost-of-targets"].chart.title
    source = (paths.NOTEBOOKS / "targets.md").read_text(encoding="utf-8")
    assert "extra defence spending" not in source.lower()
    assert "The Hague's core defence, comparable with NATO's shares" in " ".join(source.split())
    assert "up to {glue:text}`hague_related:g`% of GDP of defence- and security-related spending outside" in " ".join(
        source.split()
    )


def test_targets_on_a_press_summary(press_csv):
    page = targets_page(press_csv, PRESS)
    assert page.lacking("gaps") == ["GDP in USD at current prices"]  # named once, not once per query
    assert not page.figures and not page.tables
    assert page.texts["price_base_year_text"] == "base-year"  # "at constant base-year prices": no base assumed


# --- Burden sharing, equipment, the visit -------------------------------------------------------------------------


def test_burden_sharing_reproduces_the_reports_64_and_53(printed):
    page = burden_sharing.page(str(paths.TIDY_CSV), JUNE, None, 2014, str(paths.PUBLISHED / "annual_report_2024.csv"))
    assert round(page.numbers["us_def_share_const"]) == page.numbers["printed_us_def_share"] == 64
    assert round(page.numbers["us_gdp_share_current"]) == page.numbers["printed_us_gdp_share"] == 53
    assert page.numbers["us_per_head"] == printed[("United States", "defexp_per_capita_const2015", 2024)] == 2239
    assert page.lacks and not any(page.lacks.values())


def test_equipment_counts_are_natos_printed_ones(printed):
    page = equipment.page(str(paths.TIDY_CSV), JUNE, None, 2014, 20.0)
    for year, key in ((2014, "n_meeting_equipment_first"), (2024, "n_meeting_equipment_latest")):
        shares = [value for (_, code, y), value in printed.items() if code == "equipment_share" and y == year]
        assert page.numbers[key] == sum(value >= 20.0 for value in shares), key
    assert page.cases["below_equipment_guideline"] == "some"
    assert page.texts["allies_below_equipment_guideline"] == "Belgium and Canada"


@pytest.mark.parametrize(
    "make",
    [
        lambda path: burden_sharing.page(str(path), PRESS, None, 2014, str(paths.PUBLISHED / "annual_report_2024.csv")),
        lambda path: equipment.page(str(path), PRESS, None, 2014, 20.0),
    ],
    ids=["burden_sharing", "equipment"],
)
def test_a_page_with_nothing_to_show_says_so_once(press_csv, make):
    page = make(press_csv)
    assert page.lacking(PAGE) and not page.figures
    assert set(page.lacking(PAGE)) == {
        phrase for name, missing in page.lacks.items() if name != PAGE for phrase in missing
    }


def test_the_visit_counts_only_in_the_release_it_cites(press_csv):
    visit = [str(paths.DATA / name) for name in ("events.csv", "claims.csv")]
    june = washington_visit.page(
        *visit, str(paths.TIDY_CSV), str(paths.PUBLISHED / "annual_report_2024.csv"), JUNE, "2025-01-01", "2025-08-31"
    )
    assert (june.numbers["n_at_guideline"], june.lacking("count")) == (23, [])
    other = washington_visit.page(
        *visit, str(press_csv), str(paths.PUBLISHED / "annual_report_2024.csv"), PRESS, "2025-01-01", "2025-08-31"
    )
    assert other.lacking("count") == ["NATO's June 2024 release (edition 2024-06), which this chapter cites"]
    assert "n_at_guideline" not in other.numbers
    # The paragraph after it says which data the book's chapters rest on: that release, or the other one, named.
    assert (june.cases["book_edition"], other.cases["book_edition"]) == ("cited", "other")
    assert other.texts["book_edition_label"] == f"edition {PRESS}"  # an edition editions.yml does not describe


@pytest.fixture(scope="module")
def without_belgium_and_canada_in_2024(tmp_path_factory):
    """TEST FIXTURE: the June 2024 edition with no 2024 figure for Belgium and Canada (a release that lacks some)."""
    data = schema.read_tidy_csv(paths.TIDY_CSV)
    path = tmp_path_factory.mktemp("gaps") / "gaps.csv"
    data[~(data["country"].isin(["Belgium", "Canada"]) & (data["year"] == 2024))].to_csv(path, index=False)
    return path


def test_a_count_names_the_allies_it_leaves_out(without_belgium_and_canada_in_2024):
    left_out = "with a figure for 2024e (no figure for Belgium and Canada in this edition)"
    gaps = targets_page(without_belgium_and_canada_in_2024, JUNE)
    assert (gaps.numbers["n_allies"], gaps.texts["allies_counted"]) == (29, f"Allies {left_out}")
    shares = equipment.page(str(without_belgium_and_canada_in_2024), JUNE, None, 2014, 20.0)
    assert shares.texts["allies_counted"] == f"Allies that report defence expenditure {left_out}"
    assert targets_page(paths.TIDY_CSV, JUNE).texts["allies_counted"] == "Allies"  # NATO's June 2024 tables: all 31


def test_every_count_names_the_allies_it_leaves_out_as_prose_does(tmp_path):
    """Both kinds of count (a page's Allies, a ranking's) write the names one way: 'the Netherlands' mid-sentence."""
    data = schema.read_tidy_csv(paths.TIDY_CSV)
    path = tmp_path / "no-netherlands-2024.csv"
    data[~((data["country"] == "Netherlands") & (data["year"] == 2024))].to_csv(path, index=False)
    left_out = "with a figure for 2024e (no figure for the Netherlands in this edition)"
    assert targets_page(path, JUNE).texts["allies_counted"] == f"Allies {left_out}"
    assert allies_left_out.counted_allies_words(30, ["Netherlands"], "2024e") == f"30 Allies {left_out}"


def test_an_estimate_year_is_what_allies_were_expected_to_spend():
    chart = equipment.page(str(paths.TIDY_CSV), JUNE, None, 2014, 20.0).figures["fig-equipment-share"].chart
    assert chart.title.startswith("29 of 31 Allies were expected to spend at least 20% of defence budgets")
    burden = burden_sharing.page(str(paths.TIDY_CSV), JUNE, None, 2014, str(paths.PUBLISHED / "annual_report_2024.csv"))
    assert "Per head, the United States was expected to spend 3.3 times as much on defence" in json.dumps(
        burden.figures["fig-spending-per-head"].chart.to_dict()
    )
    for page in (
        burden,
        equipment.page(str(paths.TIDY_CSV), JUNE, None, 2014, 20.0),
        targets_page(paths.TIDY_CSV, JUNE),
    ):
        assert not re.search(r"\bspen(t|ds)\b[^.]*2024e", every_word(page)), every_word(page)
