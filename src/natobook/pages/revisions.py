"""The reproduction page's last section: the Annual Report's own per-Ally list of shares of GDP against this
edition, Ally by Ally, in the one year the report's list holds: who crossed the 2% guideline between the two,
and the largest revision."""

from __future__ import annotations

import pandas as pd

from natobook.analysis import indicators
from natobook.charts import revisions as revision_charts
from natobook.data import editions
from natobook.nbtools import needs, year_label_in
from natobook.pages.page import Figure, Page

FIGURE = "fig-revisions-share-of-gdp"


def section(
    shown: Page,
    data: pd.DataFrame,
    report_data: pd.DataFrame,
    report_raw_path: str,
    edition: str,
    report_edition: str,
    guideline: float,
    basis: str,
) -> None:
    """The report's own list against this edition, Ally by Ally, in the one year the report's list holds."""
    year = indicators.latest_year(report_data)
    label = year_label_in(report_data, year)
    shown.texts["report_year_label"] = label
    shown.texts["estimate_marks"] = (
        f"both editions mark {label} as an estimate"
        if data.loc[data["year"] == year, "estimate"].any()
        else f"the report marks {label} as an estimate; this edition does not"
    )
    raw = pd.read_csv(report_raw_path, keep_default_na=False)
    inferred = raw[raw["confidence"] == "low"]
    shown.texts["inferred_note"] = (
        indicators.names_in_words([f"{row.country}'s value ({float(row.value):.2f})" for row in inferred.itertuples()])
        or "no value"
    )
    below = bool((inferred["value"].astype(float) < guideline).all())
    shown.cases["inferred_value"] = "below" if below else "not below"  # whether the count depends on whose it is
    if shown.lack(needs(data, [indicators.SHARE_OF_GDP], [year]), "guideline", "revisions", FIGURE):
        return
    side = indicators.editions_side_by_side(pd.concat([data, report_data]), indicators.SHARE_OF_GDP, year)
    june = side[side["edition"] == edition].set_index("country")["value"]
    report = side[side["edition"] == report_edition].set_index("country")["value"]
    fell = indicators.allies_no_longer_at(june.reset_index(), report.reset_index(), guideline)
    rose = indicators.allies_no_longer_at(report.reset_index(), june.reset_index(), guideline)
    revision = report - june
    largest = revision.abs().idxmax()
    name = editions.estimate_name(edition)

    def moves(allies: list[str]) -> str:
        """'Montenegro (2.02 in the June estimate, 1.71 in the report)'."""
        return indicators.names_in_words(
            [f"{ally} ({june[ally]:.2f} in the {name}, {report[ally]:.2f} in the report)" for ally in allies]
        )

    shown.cases |= {
        "fell_below": "none" if not fell else "one" if len(fell) == 1 else "several",
        "rose_to": "some" if rose else "none",
    }
    shown.put_numbers(
        {
            "allies_fell_below": indicators.names_in_words(fell) or "none",
            "n_allies_fell_below": len(fell),
            "allies_rose_to": indicators.names_in_words(rose) or "none",
            "allies_fell_below_values": moves(fell),
            "allies_rose_to_values": moves(rose),
            "n_revised_down": int((revision < 0).sum()),
            "n_revised_up": int((revision > 0).sum()),
            "n_compared": len(revision),
            "largest_revision_ally": largest,
            "largest_revision_pp": revision[largest],
        },
        {
            "allies_fell_below": None,
            "n_allies_fell_below": "d",
            "allies_rose_to": None,
            "allies_fell_below_values": None,
            "allies_rose_to_values": None,
            "n_revised_down": "d",
            "n_revised_up": "d",
            "n_compared": "d",
            "largest_revision_ally": None,
            "largest_revision_pp": "+.2f",
        },
    )
    shown.figures[FIGURE] = _figure(side, edition, report_edition, guideline, fell, rose, largest, revision[largest])


def _figure(
    side: pd.DataFrame,
    edition: str,
    report_edition: str,
    guideline: float,
    fell: list[str],
    rose: list[str],
    largest: str,
    largest_pp: float,
) -> Figure:
    labels = {
        name: f"{editions.edition_label(name)}: {editions.describe(name)['reference'] or name}"
        for name in (edition, report_edition)
    }
    side = side.assign(edition_label=side["edition"].map(labels))
    name = editions.estimate_name(edition)
    title = (
        f"{indicators.names_in_words(fell)} fell below {guideline:g}% of GDP"
        if fell
        else f"No Ally fell below {guideline:g}% of GDP"
    ) + f" between NATO's {name} and the Annual Report 2024"
    chart = revision_charts.share_of_gdp_revisions(
        side,
        [labels[edition], labels[report_edition]],
        guideline,
        crossed=fell,
        crossed_note=f"below {guideline:g}% in the report",
        title=title,
        description=(
            f"Dot plot of each Ally's defence expenditure as a share of GDP in {side['year_label'].iloc[0]}, as NATO "
            f"estimated it in {editions.edition_label(edition)} and as the Annual Report 2024 printed it, sorted by the "
            f"report's figure. {title}. Allies that fell below the guideline: {indicators.names_in_words(fell) or 'none'}"
            f"; rose to it: {indicators.names_in_words(rose) or 'none'}. The largest revision is {largest}'s, "
            f"{largest_pp:+.2f} percentage points."
        ),
    )
    return Figure(chart, side)
