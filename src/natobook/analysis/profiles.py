"""The numbers of the country pages: one Ally's profile, and the index of all Allies.

Pure functions over the tidy frame (no I/O, no plotting), built on indicators.py. Every value
is NATO's printed one; ranks and gaps are worked out from printed values only.
"""

from __future__ import annotations

import re

import pandas as pd

from natobook.analysis import indicators, target_gaps
from natobook.data.vocabulary import NATIONAL_2PCT_LAW

PERSONNEL = "military_personnel"  # Table 7, thousand persons
PER_HEAD_STEM = "defexp_per_capita"  # Table 6, USD per person at constant prices (base year in the code)


# Indicators of defence expenditure (Tables 1-4, 6, 8a/8b): an Ally with any of them in an edition reports
# defence expenditure. GDP (Table 5) and personnel (Table 7) do not count: NATO lists Iceland's GDP.
DEFENCE_EXPENDITURE = re.compile(r"(t4_)?defexp_\w+|" + "|".join(indicators.SPENDING_CATEGORIES))


def allies_reporting(frame: pd.DataFrame) -> pd.DataFrame:
    """country, iso3 of every Ally with any defence-expenditure indicator in the data (Iceland has none), by name.

    Any, not the share of GDP alone: an edition without shares of GDP still has its Allies, each with a
    page whose notes say what the edition lacks.
    """
    rows = indicators.allies(frame[frame["indicator"].str.fullmatch(DEFENCE_EXPENDITURE)])
    return rows[["country", "iso3"]].drop_duplicates().sort_values("country").reset_index(drop=True)


def country_of(frame: pd.DataFrame, iso3: str) -> str:
    """The Ally's name as NATO spells it, from its ISO3 code; LookupError for a code the data lacks."""
    names = frame.loc[frame["iso3"] == iso3, "country"].unique()
    if len(names) != 1:
        raise LookupError(f"the data holds no Ally with ISO3 code {iso3!r}")
    return str(names[0])


def ally_series(frame: pd.DataFrame, iso3: str, indicator: str, first_year: int, last_year: int) -> pd.DataFrame:
    """year, value, estimate, year_label of one Ally's indicator over first_year..last_year (all years required)."""
    years = list(range(first_year, last_year + 1))
    return indicators.country_series(frame, country_of(frame, iso3), indicator, years)


def share_ranks(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """country, iso3, value, rank: Allies by share of GDP in `year`, 1 = highest; equal printed shares share a rank."""
    shares = indicators.values_in_year(frame, indicators.SHARE_OF_GDP, year)
    shares["rank"] = shares["value"].rank(method="min", ascending=False).astype(int)
    return shares.sort_values(["rank", "country"]).reset_index(drop=True)


def share_rank(frame: pd.DataFrame, iso3: str, year: int) -> tuple[int, int]:
    """(rank, number of Allies ranked) of one Ally's share of GDP in `year`."""
    ranks = share_ranks(frame, year)
    row = ranks[ranks["iso3"] == iso3]
    if row.empty:
        raise LookupError(f"no share of GDP for {iso3} in {year}")
    return int(row["rank"].iloc[0]), len(ranks)


def gaps_to_targets(frame: pd.DataFrame, iso3: str, year: int, targets: list[float]) -> pd.DataFrame:
    """target, share, gap_musd: extra spending (million current USD) to reach each target % of GDP; 0 if reached."""
    inputs = target_gaps.target_inputs(frame, year)
    row = inputs[inputs["iso3"] == iso3]
    if row.empty:
        raise LookupError(f"needs share of GDP and GDP for {iso3} in {year}")
    share, gdp = row["share"].iloc[0], row["gdp_musd"].iloc[0]
    gaps = [float(target_gaps.gap_to_target(pd.Series([share]), pd.Series([gdp]), t).iloc[0]) for t in targets]
    return pd.DataFrame({"target": targets, "share": share, "gap_musd": gaps})


def has_national_2pct_law(frame: pd.DataFrame, iso3: str) -> bool:
    """Whether NATO marks the Ally: national law or a political agreement calls for at least 2% of GDP."""
    flags = indicators.series(frame, NATIONAL_2PCT_LAW)
    return bool((flags.loc[flags["iso3"] == iso3, "value"] > 0).any())


def index_table(frame: pd.DataFrame, first_year: int, report_year: int) -> pd.DataFrame:
    """One row per Ally that reports defence expenditure (allies_reporting): country, iso3, share_first,
    share_report, rank, real_change, equipment_share, and estimate (whether the report year's share is a NATO
    estimate). Highest share first, then by name; a value the edition lacks is NaN, never a guess."""
    ranks = share_ranks(frame, report_year).rename(columns={"value": "share_report"})
    columns = {
        "share_first": indicators.values_in_year(frame, indicators.SHARE_OF_GDP, first_year),
        "real_change": indicators.values_in_year(frame, indicators.REAL_CHANGE, report_year),
        "equipment_share": indicators.values_in_year(frame, indicators.EQUIPMENT_SHARE, report_year),
    }
    table = allies_reporting(frame).merge(ranks[["iso3", "share_report", "rank", "estimate"]], on="iso3", how="left")
    for name, values in columns.items():
        table = table.merge(values[["iso3", "value"]].rename(columns={"value": name}), on="iso3", how="left")
    ordered = ["country", "iso3", "share_first", "share_report", "rank", "real_change", "equipment_share", "estimate"]
    return table.sort_values(["rank", "country"], na_position="last")[ordered].reset_index(drop=True)


def trajectories(frame: pd.DataFrame, first_year: int, report_year: int) -> pd.DataFrame:
    """country, iso3, year, value, estimate, year_label: every Ally's share of GDP, first_year..report_year."""
    years = list(range(first_year, report_year + 1))
    rows = indicators.values_by_year(frame, indicators.SHARE_OF_GDP, years)
    return rows.sort_values(["country", "year"]).reset_index(drop=True)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, ..."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def rank_words(frame: pd.DataFrame, iso3: str, year: int) -> str:
    """'1st', or 'joint 29th' when another Ally's printed share is the same."""
    ranks = share_ranks(frame, year)
    rank, _ = share_rank(frame, iso3, year)
    tied = int((ranks["rank"] == rank).sum()) > 1
    return f"joint {ordinal(rank)}" if tied else ordinal(rank)


def direction(
    now: float, before: float, up: str = "up from", down: str = "down from", same: str = "the same as"
) -> str:
    """The words that say which way a printed value moved."""
    return up if now > before else down if now < before else same


def usd_words(million_usd: float) -> str:
    """'USD 7.5 billion' or, below a billion, 'USD 95 million'."""
    if million_usd >= 1000:
        return f"USD {million_usd / 1000:,.1f} billion"
    return f"USD {million_usd:,.0f} million"


def gaps_in_words(gaps: pd.DataFrame) -> str:
    """What reaching each target needed, one item per target (gaps: target, share, gap_musd), the targets already
    reached grouped: 'no extra spending to reach 2% and 3.5% of GDP and about USD 7.5 billion more to reach 5%'.
    A list as long as the targets, which are a parameter: the sentence around it is the notebook's."""
    reached = [f"{target:g}%" for target, gap in zip(gaps["target"], gaps["gap_musd"]) if gap == 0]
    pieces = [f"no extra spending to reach {indicators.names_in_words(reached)} of GDP"] if reached else []
    pieces += [
        f"about {usd_words(gap)} more to reach {target:g}%{'' if reached else ' of GDP'}"
        for target, gap in zip(gaps["target"], gaps["gap_musd"])
        if gap > 0
    ]
    return indicators.names_in_words(pieces)


# NATO's short names that take "the" in running text.
_WITH_ARTICLE = {"United States", "United Kingdom", "Netherlands", "Slovak Republic", "Czech Republic"}


def in_prose(country: str) -> str:
    """The Ally's name as it reads mid-sentence: 'the United States', 'Poland'."""
    return f"the {country}" if country in _WITH_ARTICLE else country


def real_change_since(frame: pd.DataFrame, iso3: str, first_year: int, last_year: int) -> float:
    """Real change of defence expenditure from first_year to last_year, in %.

    NATO's printed figure (Table 4, `defexp_real_change_<first>_<last>`) when the release has one for that
    span; otherwise worked out from constant-price USD, whose rounding to millions can move small
    budgets' result by a few tenths of a point.
    """
    printed = indicators.series(frame, f"{indicators.REAL_CHANGE}_{first_year}_{last_year}")
    printed = printed[printed["iso3"] == iso3]
    if not printed.empty:
        return float(printed["value"].iloc[0])
    constant = ally_series(frame, iso3, indicators.constant_price_indicator(frame), first_year, last_year)
    return float(100 * (constant["value"].iloc[-1] / constant["value"].iloc[0] - 1))
