"""Who an edition leaves out: the Allies without a figure for a year, so that a count can name them, and the
latest year each Ally does have, so that a page can show it, labelled, rather than nothing."""

from __future__ import annotations

import pandas as pd

from natobook.analysis import indicators
from natobook.analysis.profiles import in_prose
from natobook.data import schema
from natobook.nbtools import year_label_in


def expected_allies(year: int) -> list[str]:
    """The Allies that had joined by `year` and have armed forces (natobook/data/allies.csv): those NATO's tables
    give a share of GDP for. Iceland, which has no armed forces, is never counted as missing."""
    return [ally.country for ally in schema.allies() if ally.has_armed_forces and ally.joined <= year]


def without_figure(data: pd.DataFrame, indicator: str, year: int) -> list[str]:
    """The Allies expected in `year` (expected_allies) that `data` holds no `indicator` value for, that year."""
    held = set(indicators.values_in_year(data, indicator, year)["country"])
    return [country for country in expected_allies(year) if country not in held]


def left_out_words(noun: str, left_out: list[str], year_label: str) -> str:
    """`noun`, or where the edition has no figure for `year_label` for some Allies, '<noun> with a figure for 2024e
    (no figure for Belgium, Canada and Spain in this edition)': a count names who it leaves out."""
    if not left_out:
        return noun
    names = indicators.names_in_words([in_prose(country) for country in left_out])
    return f"{noun} with a figure for {year_label} (no figure for {names} in this edition)"


def counted_allies_words(n_counted: int, left_out: list[str], year_label: str) -> str:
    """How a count names the Allies it counts: '31 Allies that report defence expenditure', or, where the edition
    lacks some, '28 Allies with a figure for 2024e (no figure for Belgium, Canada and Spain in this edition)'."""
    noun = "Allies" if left_out else "Allies that report defence expenditure"
    return f"{n_counted} {left_out_words(noun, left_out, year_label)}"


def latest_held_year(data: pd.DataFrame, country: str, indicator: str, up_to: int) -> int | None:
    """The latest year up to `up_to` for which `data` holds `country`'s `indicator`; None when it holds none."""
    rows = data[(data["country"] == country) & (data["indicator"] == indicator) & (data["year"] <= up_to)]
    return int(rows["year"].max()) if not rows.empty else None


def allies_counted(data: pd.DataFrame, indicator: str, year: int, counted, noun: str = "Allies") -> str:
    """`left_out_words` for a count of the Allies `counted` (their names) among those the edition holds `indicator`
    for in any year."""
    held = indicators.allies(indicators.series(data, indicator))["country"].unique()
    return left_out_words(noun, sorted(set(held) - set(counted)), year_label_in(data, year))
