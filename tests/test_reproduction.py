"""The Annual Report's own edition (2025-04) and the reproduction check.

The edition: the raw list is the reference copy byte for byte, its .meta.yml checksum is true, and the
committed tidy file is a fresh conversion. The check: each verdict is pinned to what NATO printed
(data/published/annual_report_2024.csv) and to NATO's June 2024 tables.
"""

from __future__ import annotations

import csv
import hashlib
import re
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from natobook import paths
from natobook.analysis import recompute, reproduction, reproduction_table
from natobook.data import claims as claims_check
from natobook.data import editions, printed, schema
from natobook.errors import DataError

R = reproduction
JUNE, REPORT = "2024-06", "2025-04"


@pytest.fixture(scope="module")
def facts():
    return printed.read_facts()


@pytest.fixture(scope="module")
def table(tidy_2024, facts):
    frames = {JUNE: tidy_2024, REPORT: printed.tidy_report_shares()}
    bases = {name: editions.describe(name)["price_base_year"] for name in frames}
    return R.compare(facts, recompute.computed_values(facts, frames, first_year=2014, guideline=2.0), bases)


# --- The Annual Report's own edition ---------------------------------------------------------------


def test_raw_list_is_the_reference_copy_byte_for_byte(reference_dir):
    source = reference_dir / "annual_report_2024_share_of_gdp_2024.csv"
    assert printed.REPORT_SHARES_RAW.read_bytes() == source.read_bytes()


def test_meta_checksum_and_provenance():
    meta = yaml.safe_load(
        printed.REPORT_SHARES_RAW.with_name(printed.REPORT_SHARES_RAW.name + ".meta.yml").read_text(encoding="utf-8")
    )
    assert meta["sha256"] == hashlib.sha256(printed.REPORT_SHARES_RAW.read_bytes()).hexdigest()
    assert str(meta["published"]) == "2025-04-24" and meta["edition"] == REPORT
    assert "Croatia" in " ".join(meta["low_confidence"])
    assert editions.describe(REPORT)["raw_file"] == f"data/raw/{meta['file']}"


def test_committed_tidy_file_is_a_fresh_conversion(tmp_path):
    fresh = printed.write_report_shares(output=tmp_path / "fresh.csv")
    assert printed.REPORT_SHARES_TIDY.read_bytes() == fresh.read_bytes()


def test_tidy_file_is_valid_and_of_one_edition():
    frame = schema.read_tidy_csv(printed.REPORT_SHARES_TIDY)
    assert len(frame) == 31 and set(frame["edition"]) == {REPORT}
    assert set(frame["indicator"]) == {"defexp_share_gdp"} and set(frame["year"]) == {2024}
    assert frame["estimate"].all()
    assert frame.set_index("country").loc["Croatia", "value"] == 1.86  # the value assigned by elimination


def test_published_facts_keep_the_reference_columns(reference_dir, facts):
    with open(reference_dir / "annual_report_2024_facts.csv", encoding="utf-8", newline="") as handle:
        reference = list(csv.DictReader(handle))
    with open(printed.REPORT_FACTS, encoding="utf-8", newline="") as handle:
        ours = list(csv.DictReader(handle))
    assert [{key: row[key] for key in reference[0]} for row in ours] == reference
    assert set(facts["printed_edition"]) == {REPORT}
    assert facts.loc[facts["value"].notna(), "printed_decimals"].notna().all()


# --- Verdicts pinned to what NATO printed -------------------------------------------------------------


def test_every_fact_is_judged_for_every_edition(table, facts):
    assert set(table["fact_id"]) == set(facts["fact_id"])
    assert set(map(tuple, table[["fact_id", "edition"]].drop_duplicates().to_numpy())) == {
        (fact_id, edition) for fact_id in facts["fact_id"] for edition in (JUNE, REPORT)
    }
    assert set(table["status"]) <= set(R.STATUSES)
    assert (table.loc[table["status"] != R.REPRODUCED, "reason"] != "").all()


def test_22_allies_reproduced_on_the_reports_edition_and_23_in_june(table):
    report = R.verdict(table, "AR24_N2PCT", REPORT)
    june = R.verdict(table, "AR24_N2PCT", JUNE)
    assert (report["computed"], report["status"]) == (22, R.REPRODUCED)
    assert (june["computed"], june["status"], june["reason_kinds"]) == (23, R.DIFFERS, R.EDITION)


def test_real_growth_differs_by_data_edition_and_likely_price_base(table):
    row = R.verdict(table, "AR24_EC_REAL", JUNE, "constant 2015 prices")  # Table 3's real change, 2024e
    assert (row["printed_value"], row["computed"]) == (19.4, 17.95)
    assert (row["status"], row["reason_kinds"]) == (R.DIFFERS, f"{R.EDITION}, {R.PRICE_BASIS}")
    assert "probably constant 2021 prices" in row["reason"]


def test_us_share_of_spending_matches_at_constant_prices_not_current(table):
    constant = R.verdict(table, "AR24_US_DEF", JUNE, "constant 2015 prices")
    current = R.verdict(table, "AR24_US_DEF", JUNE, "current prices")
    assert constant["status"] == R.REPRODUCED and round(constant["computed"], 1) == 63.7
    assert current["status"] == R.DIFFERS and round(current["computed"], 1) == 65.6
    assert R.PRICE_BASIS in current["reason_kinds"]


def test_us_share_of_gdp_matches_at_current_prices(table):
    assert R.verdict(table, "AR24_US_GDP", JUNE, "current prices")["status"] == R.REPRODUCED
    assert R.verdict(table, "AR24_US_GDP", JUNE, "constant 2015 prices")["status"] == R.DIFFERS


def test_486_billion_differs_at_both_price_bases(table):
    for basis, value in (("current prices", 506.692), ("constant 2015 prices", 430.112)):  # Table 2, 2024e
        row = R.verdict(table, "AR24_EC_USD", JUNE, basis)
        assert row["computed"] == round(value, 1)  # shown with one decimal more than the printed 486
        assert row["status"] == R.DIFFERS and row["reason_kinds"] == f"{R.EDITION}, {R.PRICE_BASIS}"
        # The report's price base is hedged: no NATO text we hold states it.
        assert "not stated (probably constant 2021 prices)" in row["reason"]
    missing = R.verdict(table, "AR24_EC_USD", REPORT)
    assert missing["status"] == R.NOT_COMPUTABLE
    assert "defence expenditure in USD at current prices" in missing["reason"]
    assert "defexp" not in missing["reason"]


def test_more_than_700_billion_is_not_reached_at_2015_prices(table):
    row = R.verdict(table, "AR24_EXTRA700", JUNE, "constant 2015 prices")
    assert row["printed"] == "more than 700" and row["computed"] < 700
    assert row["status"] == R.DIFFERS and R.PRICE_BASIS in row["reason_kinds"]


def test_ten_consecutive_years_reproduced(table):
    row = R.verdict(table, "AR24_CONSEC", JUNE)
    assert (row["computed"], row["status"]) == (10, R.REPRODUCED)


def test_what_the_tables_cannot_give(table):
    for edition in (JUNE, REPORT):
        row = R.verdict(table, "AR24_UKR", edition)
        assert row["status"] == R.NOT_COMPUTABLE and "Ukraine" in row["reason"]
    hole = table[(table["fact_id"] == "AR24_EC_DEF") & (table["edition"] == JUNE)]
    assert set(hole["status"]) == {R.NO_PRINTED_VALUE} and hole["difference"].isna().all()


# --- One verdict per fact, and NATO's numbers apart from the press's -----------------------------------

NAMES = {JUNE: "NATO's June 2024 data", REPORT: "the report's per-Ally list"}


@pytest.fixture(scope="module")
def verdicts(table):
    return R.fact_verdicts(table, NAMES).set_index("fact_id")


def test_press_renderings_are_told_apart_from_what_nato_printed(facts):
    origin = facts.set_index("fact_id")["origin"]
    press = set(origin[origin == printed.PRESS_RENDERING].index)
    assert press == {
        "AR24_NATO_GDP",
        "AR24_US_USD_CUR",
        "AR24_TOTAL_TASS",
        "AR24_US_TASS",
        "AR24_EC_TASS",
        "AR24_TOTAL23_TASS",
        "AR24_INCR_TASS",
    }  # TASS's and Infodefensa's renderings
    assert facts.set_index("fact_id").loc[sorted(press), "source_id"].isin(["TASS_AR24", "INFODEFENSA_AR24"]).all()


def test_a_fact_of_unknown_origin_is_named_with_its_row(tmp_path):
    bad = tmp_path / "facts.csv"
    bad.write_text(
        printed.REPORT_FACTS.read_text(encoding="utf-8").replace(",press rendering\n", ",rumour\n", 1), encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"facts.csv, row 12, column 'origin': 'rumour' is not one of"):
        printed.read_facts(bad)


def test_one_verdict_per_fact_pinned_to_natos_numbers(verdicts):
    assert verdicts.loc["AR24_N2PCT", "verdict"] == R.REPRODUCED  # 22, from the report's own list
    assert verdicts.loc["AR24_EC_REAL", "verdict"] == R.EXPLAINED  # 19.4 printed, 17.95 in June 2024
    assert "17.95" in verdicts.loc["AR24_EC_REAL", "why"]
    assert verdicts.loc["AR24_EC_USD", "verdict"] == R.EXPLAINED  # 486 printed; 430.1 and 506.7 in June
    assert "430.1 at constant 2015 prices and 506.7 at current prices" in verdicts.loc["AR24_EC_USD", "why"]
    assert verdicts.loc["AR24_EC_DEF", "verdict"] == R.NOT_PRINTED  # the 36%: no source prints it
    assert verdicts.loc["AR24_UKR", "verdict"] == R.NOT_COMPUTABLE


def test_us_shares_say_which_price_basis_each_matches_on(verdicts):
    spending, gdp = verdicts.loc["AR24_US_DEF", "why"], verdicts.loc["AR24_US_GDP", "why"]
    assert spending.startswith("63.7 at constant 2015 prices") and "at current prices it would be 65.6" in spending
    assert gdp.startswith("53.2 at current prices") and "at constant 2015 prices it would be 51.1" in gdp


def test_the_36_percent_has_one_verdict_on_both_pages(verdicts):
    claims = claims_check.read_claims(paths.DATA / "claims.csv").set_index("claim_id")
    assert claims.loc["us-share", "verdict"] == "partly confirmed"  # the 64% printed, the 36% not
    assert verdicts.loc["AR24_EC_DEF", "verdict"] == R.NOT_PRINTED
    for claim in ("real-growth", "allies-at-2pct"):  # numbers a source prints: confirmed on both pages
        assert claims.loc[claim, "verdict"] == "confirmed"
    facts = printed.read_facts().assign(value=lambda f: f["value"].where(f["fact_id"] != "AR24_US_DEF"))
    assert claims_check.report_verdict(["AR24_US_DEF", "AR24_EC_DEF"], facts) == "unverifiable"


def test_best_status_per_fact(table):
    best = R.best_status(table)
    assert best["AR24_N2PCT"] == R.REPRODUCED and best["AR24_EC_DEF"] == R.NO_PRINTED_VALUE
    assert best["AR24_UKR"] == R.NOT_COMPUTABLE and best["AR24_EC_REAL"] == R.DIFFERS


# --- The rules themselves, on worked examples ------------------------------------------------------------


def _fact(value, decimals=0, comparison="rounded", basis="not stated"):
    return SimpleNamespace(
        value=value, printed_decimals=decimals, comparison=comparison, printed_edition=REPORT, printed_price_basis=basis
    )


@pytest.mark.parametrize(
    "computed, fact, expected",
    [
        (63.7, _fact(64), True),
        (64.5, _fact(64), True),
        (64.51, _fact(64), False),
        (2.614, _fact(2.61, 2), True),
        (2.616, _fact(2.61, 2), False),
        (700.1, _fact(700, comparison=R.MORE_THAN), True),
        (643.3, _fact(700, comparison=R.MORE_THAN), False),
    ],
)
def test_within_printed_rounding(computed, fact, expected):
    assert R.within_printed_rounding(computed, fact) is expected


def test_reasons_name_edition_basis_and_rounding():
    row = SimpleNamespace(edition=JUNE, basis="constant 2015 prices")
    kinds = [kind for kind, _ in R.reasons(_fact(486), row, 0.7, {REPORT: 2021})]
    assert kinds == [R.EDITION, R.PRICE_BASIS, R.ROUNDING]
    same = SimpleNamespace(edition=REPORT, basis="")
    assert [kind for kind, _ in R.reasons(_fact(486), same, 5.0, {})] == [R.UNEXPLAINED]


def test_display_table_shows_each_fact_once_and_no_nan(table):
    shown = reproduction_table.display_table(table, printed.SOURCE_NAMES)
    assert len(shown) == len(table)
    assert (shown["Number"] != "").sum() == table["fact_id"].nunique()
    assert not shown.isin(["nan", "NaN"]).any().any()
    assert shown.loc[shown["Printed"] != "", "Printed"].str.contains("more than 700 billion USD$").any()
    assert pd.isna(table["computed"]).sum() == (shown["Computed"] == "").sum()


def test_display_table_is_written_for_readers(table):
    shown = reproduction_table.display_table(table, printed.SOURCE_NAMES, {JUNE: "NATO's June 2024 data"})
    text = " ".join(shown.to_numpy().ravel())
    assert not re.search(r"defexp_|gdp_usd|_current|_const\d", text)  # no internal codes
    assert "()" not in text and "none found" in set(shown["Source"])  # a missing source said in words
    assert set(shown["Status"]) <= {f"{R.MARKS[verdict]} {verdict}" for verdict in R.VERDICTS}
    assert (shown.loc[~shown["Status"].str.endswith(R.REPRODUCED), "Why"] != "").all()
    nato_gdp = shown.index[shown["Printed"] == "2.61 % of GDP"][0]
    assert shown.loc[nato_gdp, "Computed"] == "2.71"  # Table 3's 2.71 as NATO prints it, not 2.710
    assert shown.loc[shown["Printed"] == "19.4 %", "Computed"].tolist() == ["17.95"]
