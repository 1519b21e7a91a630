"""The equipment page: who meets NATO's 20% equipment guideline, and how each Ally splits its defence spending."""

from __future__ import annotations

import pandas as pd

from natobook.analysis import indicators
from natobook.charts import equipment
from natobook.data import editions
from natobook.nbtools import needs, report_year_of, spend_verb, year_label_in
from natobook.pages import allies_left_out
from natobook.pages import edition as editions_loaded
from natobook.pages.page import Page

EQUIPMENT = indicators.EQUIPMENT_SHARE


def page(data_path: str, edition: str, report_year: int | None, first_year: int, equipment_guideline: float) -> Page:
    data = editions_loaded.load(data_path, edition)
    report_year = report_year_of(data, report_year)
    shown = Page(
        texts={
            "report_year_label": year_label_in(data, report_year),
            "source_note_equipment": editions.source_note(edition, "Table 8a"),
            "source_note": editions.source_note(edition, "Tables 8a and 8b"),
        },
        numbers={"equipment_guideline": equipment_guideline, "first_year": first_year},
    )
    _equipment_share(shown, data, report_year, first_year, equipment_guideline)
    _categories(shown, data, report_year, equipment_guideline)
    return shown.lacking_everywhere()


def _equipment_share(shown: Page, data: pd.DataFrame, year: int, first_year: int, guideline: float) -> None:
    missing = needs(data, [EQUIPMENT], [year]) + needs(data, [EQUIPMENT], [first_year])  # the figure shows both years
    if shown.lack(missing, "equipment", "fig-equipment-share"):
        return
    latest = indicators.values_by_year(data, EQUIPMENT, [year])
    label = latest["year_label"].iloc[0]
    n_allies = latest["country"].nunique()
    n_meeting_latest = indicators.count_allies_at_or_above(data, EQUIPMENT, year, guideline)
    n_meeting_first = indicators.count_allies_at_or_above(data, EQUIPMENT, first_year, guideline)
    below = latest[latest["value"] < guideline].sort_values("value")["country"].tolist()
    shown.cases["below_equipment_guideline"] = "some" if below else "none"
    shown.texts["allies_counted"] = allies_left_out.allies_counted(
        data, EQUIPMENT, year, latest["country"], "Allies that report defence expenditure"
    )
    shown.put_numbers(
        {
            "n_allies_reporting": n_allies,
            "n_meeting_equipment_latest": n_meeting_latest,
            "n_meeting_equipment_first": n_meeting_first,
            "allies_below_equipment_guideline": indicators.names_in_words(below),
            "top_equipment_ally": latest.iloc[0]["country"],
            "top_equipment_share": latest.iloc[0]["value"],
            "bottom_equipment_ally": latest.iloc[-1]["country"],
            "bottom_equipment_share": latest.iloc[-1]["value"],
        },
        {
            "n_allies_reporting": "d",
            "n_meeting_equipment_latest": "d",
            "n_meeting_equipment_first": "d",
            "allies_below_equipment_guideline": None,
            "top_equipment_ally": None,
            "top_equipment_share": ".2f",
            "bottom_equipment_ally": None,
            "bottom_equipment_share": ".2f",
        },
    )
    shares = indicators.values_by_year(data, EQUIPMENT, [first_year, year])
    title = (
        f"{n_meeting_latest} of {n_allies} Allies {spend_verb(label, plural=True)} at least {guideline:g}% of "
        f"defence budgets on equipment in {label}, up from {n_meeting_first} in {first_year}"
    )
    shown.draw(
        "fig-equipment-share",
        equipment.equipment_share_by_ally,
        shares,
        guideline,
        title=title,
        description=(
            f"Bar chart of equipment expenditure as a share of defence expenditure for each of {n_allies} Allies in "
            f"{label}, sorted from highest to lowest, with a tick for {first_year} and a rule at the {guideline:g}% "
            f"guideline. {title}. "
            + (f"Below it: {indicators.names_in_words(below)}." if below else "Every Ally met it.")
        ),
    )


def _categories(shown: Page, data: pd.DataFrame, year: int, guideline: float) -> None:
    if shown.lack(needs(data, list(indicators.SPENDING_CATEGORIES), [year]), "categories", "fig-spending-categories"):
        return
    split = indicators.spending_split(data, year)
    largest = indicators.largest_category_counts(split)
    n_split = split["country"].nunique()
    label = split["year_label"].iloc[0]
    ranked = [
        f"{category.lower()} in {count}" for category, count in largest.sort_values(ascending=False).items() if count
    ]
    shown.put_numbers(
        {
            "largest_categories": indicators.names_in_words(ranked),
            "n_allies_split": n_split,
            "n_personnel_largest": largest["Personnel"],
            "n_equipment_largest": largest["Equipment"],
            "n_other_largest": largest["Other"],
            "n_infrastructure_largest": largest["Infrastructure"],
        },
        {
            "largest_categories": None,
            "n_allies_split": "d",
            "n_personnel_largest": "d",
            "n_equipment_largest": "d",
            "n_other_largest": "d",
            "n_infrastructure_largest": "d",
        },
    )
    title = f"{largest.idxmax()} is the largest spending category in {largest.max()} of {n_split} Allies in {label}"
    shown.draw(
        "fig-spending-categories",
        equipment.spending_split_by_ally,
        split,
        guideline,
        title=title,
        description=(
            f"Stacked bar chart splitting each of {n_split} Allies' defence expenditure in {label} into equipment, "
            f"personnel, infrastructure and other, as percentages of the total, sorted by equipment share. {title}; "
            f"equipment is the largest in {largest['Equipment']}."
        ),
    )
