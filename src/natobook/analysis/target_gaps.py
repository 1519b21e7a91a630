"""The cost of reaching a target share of GDP (Tables 3 and 5): per Ally, the extra spending that lifts its printed
share to each target, and the totals for the two groups NATO reports."""

from __future__ import annotations

import pandas as pd

from natobook.analysis.indicators import (
    EUROPE_AND_CANADA_GROUP,
    GDP_CURRENT,
    SHARE_OF_GDP,
    UNITED_STATES_GROUP,
    values_in_year,
    with_year_labels,
)

UNITED_STATES_ISO3 = "USA"


def ally_group(iso3: str) -> str:
    """The two groups NATO reports: the United States, and European Allies and Canada."""
    return UNITED_STATES_GROUP if iso3 == UNITED_STATES_ISO3 else EUROPE_AND_CANADA_GROUP


def target_inputs(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per Ally for one year: printed share of GDP (Table 3) and GDP in million current USD (Table 5).

    The inner join drops Iceland, which NATO lists in Table 5 but not in Table 3 (no armed forces).
    """
    shares = values_in_year(frame, SHARE_OF_GDP, year).rename(columns={"value": "share"})
    gdp = values_in_year(frame, GDP_CURRENT, year).rename(columns={"value": "gdp_musd", "estimate": "gdp_estimate"})
    rows = shares.merge(gdp[["country", "gdp_musd", "gdp_estimate"]], on="country", how="inner")
    rows["estimate"] = rows["estimate"] | rows.pop("gdp_estimate")
    rows["group"] = rows["iso3"].map(ally_group)
    rows["year"] = year
    return with_year_labels(rows).sort_values("share", ascending=False).reset_index(drop=True)


def gap_to_target(share: pd.Series, gdp: pd.Series, target: float) -> pd.Series:
    """Extra spending (GDP's unit) to lift a printed share of GDP to `target` %: (target - share)% of GDP, never < 0.

    Working from the printed share, not from spending / current-price GDP, keeps an Ally that NATO
    prints at the target at a gap of zero: Table 3 is a share of real (constant-price) GDP.
    """
    return ((target - share) / 100 * gdp).clip(lower=0)


def gaps_to_targets(inputs: pd.DataFrame, targets: list[float]) -> pd.DataFrame:
    """One row per Ally and target: country, group, share, target, gap_musd (million current USD)."""
    columns = ["country", "iso3", "group", "share", "gdp_musd", "year_label"]
    return pd.concat(
        [
            inputs[columns].assign(target=t, gap_musd=gap_to_target(inputs["share"], inputs["gdp_musd"], t))
            for t in targets
        ],
        ignore_index=True,
    )


def gap_totals(gaps: pd.DataFrame) -> pd.DataFrame:
    """Total gap per target and group, in million USD (rows: target; columns: the two groups)."""
    totals = gaps.pivot_table(index="target", columns="group", values="gap_musd", aggfunc="sum")
    return totals.reindex(columns=[EUROPE_AND_CANADA_GROUP, UNITED_STATES_GROUP], fill_value=0.0)


def allies_above(inputs: pd.DataFrame, threshold: float) -> list[str]:
    """Allies whose printed share of GDP is strictly above `threshold`, highest first."""
    return inputs[inputs["share"] > threshold].sort_values("share", ascending=False)["country"].tolist()


def gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """gaps_to_targets wide: one row per Ally (largest gap at the highest target first), one gap column per target."""
    wide = gaps.pivot_table(
        index=["country", "group", "share", "gdp_musd", "year_label"], columns="target", values="gap_musd"
    ).reset_index()
    wide.columns.name = None
    return wide.sort_values([max(gaps["target"]), "share"], ascending=[False, True]).reset_index(drop=True)
