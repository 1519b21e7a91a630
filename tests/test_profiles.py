"""Country pages: the numbers of a profile pinned to what NATO printed in its June 2024 tables
(PR/CP(2024)090), the figures' specs, the sortable index table, and papermill runs of a profile,
Iceland's page and the index.
"""

from __future__ import annotations

import re

import pytest
from notebookkit import run

from natobook import paths
from natobook.analysis import indicators, profiles
from natobook.build import textnotebook
from natobook.charts import country_pages as profile_charts
from natobook.charts import style

TARGETS = [2.0, 3.5, 5.0]
# NATO's 2024 tables mark these Allies with an asterisk: national law or agreement calls for >= 2% of GDP.
MARKED = {"CZE", "EST", "LVA", "LTU", "POL", "ROU"}


@pytest.fixture(scope="module")
def june(tidy_2024):
    return tidy_2024[tidy_2024["edition"] == "2024-06"]


# --- One Ally's numbers, as NATO printed them ----------------------------------------------------------


def test_poland_share_of_gdp_as_printed_in_table_3(june):
    share = profiles.ally_series(june, "POL", indicators.SHARE_OF_GDP, 2014, 2024)
    assert share["value"].iloc[0] == pytest.approx(1.88)
    assert share["value"].iloc[-1] == pytest.approx(4.12)
    assert share["year_label"].iloc[-1] == "2024e"
    assert share["year"].tolist() == list(range(2014, 2025))


def test_poland_ranks_first_and_spain_last_of_31(june):
    assert profiles.share_rank(june, "POL", 2024) == (1, 31)
    assert profiles.share_rank(june, "ESP", 2024) == (31, 31)  # 1.28%, the lowest NATO printed for 2024e


def test_equal_printed_shares_share_a_rank(june):
    # Luxembourg and Slovenia: both 1.29% of GDP in 2024e
    assert profiles.rank_words(june, "LUX", 2024) == "joint 29th"
    assert profiles.rank_words(june, "SVN", 2024) == "joint 29th"
    assert profiles.rank_words(june, "POL", 2024) == "1st"


@pytest.mark.parametrize(
    ("indicator", "printed"),
    [
        (indicators.REAL_CHANGE, 30.07),  # Table 3, annual real change 2024e
        (indicators.EQUIPMENT_SHARE, 51.13),  # Table 8a, equipment 2024e
        (profiles.PERSONNEL, 216.1),  # Table 7, thousand military personnel 2024e
        ("defexp_per_capita_const2015", 711),  # Table 6, USD per head at 2015 prices, 2024e
    ],
)
def test_poland_2024_values_as_printed(june, indicator, printed):
    assert profiles.ally_series(june, "POL", indicator, 2014, 2024)["value"].iloc[-1] == pytest.approx(printed)


def test_real_change_since_2014_is_nato_table_4(june):
    assert profiles.real_change_since(june, "POL", 2014, 2024) == pytest.approx(213.66)


def test_real_change_over_another_span_is_worked_out_from_constant_prices(june):
    # No Table 4 figure for 2015-2024: from Table 2's constant 2015 USD, 26,839 / 2015's level.
    worked = profiles.real_change_since(june, "POL", 2015, 2024)
    constant = profiles.ally_series(june, "POL", "defexp_usd_const2015", 2015, 2024)["value"]
    assert worked == pytest.approx(100 * (26839 / constant.iloc[0] - 1))


def test_the_extra_spending_each_target_needs(june):
    gaps = profiles.gaps_to_targets(june, "POL", 2024, TARGETS).set_index("target")["gap_musd"]
    assert gaps[2.0] == 0 and gaps[3.5] == 0  # Poland is above both
    # (5 - 4.12)% of Poland's 2024e GDP, USD 848,857 million at current prices (Tables 3 and 5)
    assert gaps[5.0] == pytest.approx(0.0088 * 848_857, abs=0.01)


def test_nato_marks_the_allies_whose_national_law_sets_two_percent(june):
    marked = {code for code in profiles.allies_reporting(june)["iso3"] if profiles.has_national_2pct_law(june, code)}
    assert marked == MARKED


def test_the_sentences_read_right():
    assert [profiles.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 31)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "31st",
    ]
    assert profiles.in_prose("United States") == "the United States"
    assert profiles.usd_words(7469.94) == "USD 7.5 billion"
    assert profiles.usd_words(119.4) == "USD 119 million"


def test_the_gaps_in_words_group_the_targets_already_reached(june):
    gaps = profiles.gaps_to_targets(june, "POL", 2024, TARGETS)
    assert profiles.gaps_in_words(gaps) == (
        "no extra spending to reach 2% and 3.5% of GDP and about USD 7.5 billion more to reach 5%"
    )


# --- The index of all Allies ---------------------------------------------------------------------------


def test_the_index_lists_31_allies_by_share(june):
    table = profiles.index_table(june, 2014, 2024)
    assert len(table) == 31
    assert table.iloc[0][["country", "share_first", "share_report", "rank"]].tolist() == ["Poland", 1.88, 4.12, 1]
    assert table.iloc[-1]["country"] == "Spain"
    # NATO, 17 June 2024: 23 Allies expected to spend at least 2% of GDP in 2024
    assert int((table["share_report"] >= 2.0).sum()) == 23
    assert "Iceland" not in set(table["country"])


def test_without_shares_of_gdp_the_index_still_lists_every_ally_by_name(june):
    """An edition without Table 3 still has the Allies' other tables: each keeps its row, with no share or rank."""
    table = profiles.index_table(june[june["indicator"] != indicators.SHARE_OF_GDP], 2014, 2024)
    assert len(table) == 31 and "Iceland" not in set(table["country"])
    assert table["country"].tolist() == sorted(table["country"])
    assert table[["share_first", "share_report", "rank"]].isna().all().all()
    assert table.set_index("iso3").loc["POL", "real_change"] == pytest.approx(30.07)  # Table 3, 2024e


def test_the_trajectories_hold_every_ally_and_year(june):
    rows = profiles.trajectories(june, 2014, 2024)
    assert rows["country"].nunique() == 31 and rows["year"].nunique() == 11


def test_the_sortable_table_escapes_links_and_sorts_numbers_as_numbers(june):
    table = profiles.index_table(june, 2014, 2024).head(2).copy()
    table.loc[0, "country"] = "Poland <b>"
    columns = [profile_charts.Column("country", "Ally"), profile_charts.Column("share_report", "% of GDP", "{:.2f}")]
    links = {"Poland <b>": "countries/pol.html", "Estonia": "countries/est.html"}
    markup = profile_charts.sortable_table(table, columns, "Caption & more", links, table_id="t")
    assert "Poland <b>" not in markup and "Poland &lt;b&gt;" in markup
    assert "Caption &amp; more" in markup
    assert '<a href="countries/est.html">Estonia</a>' in markup
    assert '<td class="number" data-sort="4.12">4.12</td>' in markup
    assert markup.count('aria-sort="none"') == 2 and markup.count("<button") == 2


# --- Figures: the Vega-Lite specs ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def house_style():
    style.enable()  # the snapshots hold the house theme, whatever ran before in this session


@pytest.fixture(scope="module")
def poland(june, house_style) -> dict:
    return {
        name: profiles.ally_series(june, "POL", indicator, 2014, 2024)
        for name, indicator in {
            "share": indicators.SHARE_OF_GDP,
            "change": indicators.REAL_CHANGE,
            "equipment": indicators.EQUIPMENT_SHARE,
            "per_head": "defexp_per_capita_const2015",
            "personnel": profiles.PERSONNEL,
        }.items()
    }


def test_share_trajectory_spec(poland, chart_snapshot):
    chart = profile_charts.share_trajectory(poland["share"], TARGETS, title="t", description="d")
    spec = chart.to_dict()
    assert spec["title"] == "t" and spec["description"] == "d"
    assert spec == chart_snapshot(name="fig-pol-share-of-gdp")


def test_real_change_spec(poland, chart_snapshot):
    chart = profile_charts.real_change_bars(poland["change"], "constant 2015 prices", title="t", description="d")
    assert chart.to_dict() == chart_snapshot(name="fig-pol-real-change")


def test_equipment_spec(poland, chart_snapshot):
    chart = profile_charts.equipment_trajectory(poland["equipment"], 20.0, title="t", description="d")
    assert chart.to_dict() == chart_snapshot(name="fig-pol-equipment-share")


def test_per_head_and_personnel_spec(poland, chart_snapshot):
    chart = profile_charts.per_head_and_personnel(
        poland["per_head"], poland["personnel"], "constant 2015 prices", title="t", description="d"
    )
    assert chart.to_dict() == chart_snapshot(name="fig-pol-per-head-personnel")


def test_small_multiples_spec(june, house_style, chart_snapshot):
    table = profiles.index_table(june, 2014, 2024)
    chart = profile_charts.trajectories_grid(
        profiles.trajectories(june, 2014, 2024), table["country"].tolist(), 2.0, title="t", description="d"
    )
    assert chart.to_dict() == chart_snapshot(name="fig-country-trajectories")


# --- Papermill runs on the real data -------------------------------------------------------------------


@pytest.mark.build
def test_polands_profile_glues_the_printed_numbers(tmp_path):
    outputs = run("country_profile", tmp_path, iso3="POL", edition="2024-06", report_year=2024)
    values = outputs.texts()
    assert values["country"] == "Poland"
    assert values["report_year_label"] == "2024e"
    assert float(values["share_latest"]) == 4.12 and float(values["share_first"]) == 1.88
    assert values["rank_words"] == "1st" and int(values["n_ranked"]) == 31
    assert float(values["real_change_latest_abs"]) == 30.07 and values["real_change_verb"] == "rose"
    assert float(values["real_change_since_first_abs"]) == 213.66
    assert float(values["equipment_latest"]) == 51.13 and values["equipment_relation"] == "above"
    assert float(values["per_head_latest"]) == 711 and float(values["personnel_latest"]) == 216.1
    assert outputs.cases["national_law"] == "marked" and outputs.cases["increase_streak"] == "several years"
    assert "about USD 7.5 billion more to reach 5%" in values["gaps_words"]
    figures = {name for name in values if name.startswith("fig-")}
    assert figures == {
        "fig-pol-share-of-gdp",
        "fig-pol-real-change",
        "fig-pol-equipment-share",
        "fig-pol-per-head-personnel",
    }
    for figure in figures:
        assert (outputs.figures / f"{figure}.csv").is_file()


def test_the_profile_notebook_names_its_figures_for_the_pipeline_to_fill():
    """The markdown names figures fig-{{ iso3|lower }}-...; the pipeline fills the placeholder (params.render)."""
    notebook = textnotebook.read_source(paths.NOTEBOOKS / "country_profile.md")
    names = set(re.findall(r":name: (fig-.+)", "\n".join(cell.source for cell in notebook.cells)))
    assert names == {
        f"fig-{{{{ iso3|lower }}}}-{key}"
        for key in ("share-of-gdp", "real-change", "equipment-share", "per-head-personnel")
    }


@pytest.mark.build
def test_icelands_page_says_why_it_has_no_spending(tmp_path):
    values = run("country_no_armed_forces", tmp_path, iso3="ISL", edition="2024-06", report_year=2024).texts()
    assert values["country"] == "Iceland"
    assert float(values["gdp_latest_musd"]) == 32894  # Table 5: Iceland's GDP 2024e, million current USD
    assert int(values["n_reporting"]) == 31


@pytest.mark.build
def test_the_index_counts_the_allies(tmp_path):
    values = run("country_index", tmp_path, edition="2024-06", report_year=2024).texts()
    assert int(values["n_allies"]) == 31
    assert int(values["n_at_guideline"]) == 23  # NATO, 17 June 2024: 23 Allies at or above 2% in 2024
    assert values["no_forces_names"] == "Iceland"
