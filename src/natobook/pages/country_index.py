"""The country index: every Ally that reports defence expenditure, side by side, each linked to its page."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from natobook.analysis import indicators, profiles
from natobook.charts import country_pages as charts
from natobook.data import editions, schema
from natobook.nbtools import needs, report_year_of, spend_verb, year_label_in
from natobook.pages import allies_left_out
from natobook.pages.edition import load
from natobook.pages.page import Page

SHARE = indicators.SHARE_OF_GDP


def page(
    data_path, edition: str, report_year: int | None, first_year: int, guideline: float, profiles_folder: str
) -> tuple[Page, HTML]:
    """The index's page, and its sortable table (the columns the edition cannot fill left out, and named in
    `lacks["columns"]`)."""
    data = load(data_path, edition)
    report_year = report_year_of(data, report_year)
    label = year_label_in(data, report_year)
    without_forces = [ally for ally in schema.allies() if not ally.has_armed_forces]
    no_forces = [ally for ally in without_forces if (data["iso3"] == ally.iso3).any()]  # those with a page
    # Every Ally that reports defence expenditure, with what of it the edition holds: each has a profile page,
    # so each is counted and linked even where the edition lacks shares of GDP.
    table = profiles.index_table(data, first_year, report_year)
    shown = Page(
        texts={
            "report_year_label": label,
            "spent_or_expected": spend_verb(label, plural=True),
            "no_forces_names": indicators.names_in_words([profiles.in_prose(a.country) for a in without_forces]),
            "source_note": editions.source_note(edition, "Tables 3 and 8a"),
        },
        numbers={"guideline": guideline, "first_year": first_year, "n_allies": len(table)},
        lacks={"latest": needs(data, [SHARE], [report_year])},
        # Iceland, the one Ally without armed forces, has a page where the edition lists it (its GDP).
        cases={"no_forces_page": "held" if no_forces else "missing"},
    )
    shown.lacks["fig-country-trajectories"] = needs(data, [SHARE], range(first_year, report_year + 1))
    if not shown.lacking("latest"):
        counted = table.dropna(subset=["share_report"])
        left_out = allies_left_out.without_figure(data, SHARE, report_year)
        shown.numbers["n_at_guideline"] = int((counted["share_report"] >= guideline).sum())
        shown.cases["left_out"] = "some" if left_out else "none"
        shown.texts["allies_counted"] = allies_left_out.counted_allies_words(len(counted), left_out, label)
    if not shown.lacking("fig-country-trajectories"):
        _trajectories(shown, data, table, first_year, report_year, guideline)
    rows = pd.concat(
        [table, pd.DataFrame({"country": [a.country for a in no_forces], "iso3": [a.iso3 for a in no_forces]})],
        ignore_index=True,
    )
    return shown, _table(shown, data, rows, first_year, report_year, profiles_folder)


def _table(
    shown: Page, data: pd.DataFrame, rows: pd.DataFrame, first_year: int, report_year: int, profiles_folder: str
) -> HTML:
    label = shown.texts["report_year_label"]
    links = {country: f"{profiles_folder}/{code.lower()}.html" for country, code in zip(rows["country"], rows["iso3"])}
    # Each column, how the caption names it, and what it needs: a column the edition cannot fill is left out, and
    # the note under the table says why.
    columns = [
        (charts.Column("country", "Ally"), None, []),
        (
            charts.Column("share_first", f"% of GDP, {first_year}", "{:.2f}"),
            f"share of GDP in {first_year}",
            needs(data, [SHARE], [first_year]),
        ),
        (
            charts.Column("share_report", f"% of GDP, {label}", "{:.2f}"),
            f"share of GDP in {label}",
            shown.lacking("latest"),
        ),
        (charts.Column("rank", f"Rank, {label}", "{:.0f}"), "rank by share (1 = highest)", shown.lacking("latest")),
        (
            charts.Column(
                "real_change", f"Real change {label}, % on {year_label_in(data, report_year - 1)}", "{:+.2f}"
            ),
            f"annual real change in {label}",
            needs(data, [indicators.REAL_CHANGE], [report_year]),
        ),
        (
            charts.Column("equipment_share", "Equipment, % of spending", "{:.2f}"),
            f"equipment share in {label}",
            needs(data, [indicators.EQUIPMENT_SHARE], [report_year]),
        ),
    ]
    held = [(column, words) for column, words, missing in columns if not missing]
    shown.lacks["columns"] = [need for _, _, missing in columns for need in missing]
    described = indicators.names_in_words([words for _, words in held if words])
    caption = "Defence expenditure of NATO Allies" + (f": {described}" if described else "")
    return HTML(charts.sortable_table(rows, [column for column, _ in held], caption, links, table_id="country-index"))


def _trajectories(
    shown: Page, data: pd.DataFrame, table: pd.DataFrame, first_year: int, report_year: int, guideline: float
) -> None:
    label = shown.texts["report_year_label"]
    series = profiles.trajectories(data, first_year, report_year)
    ranked = table.dropna(subset=["share_report"])  # a panel for each Ally with a share to draw, none left blank
    order = ranked["country"].tolist()
    title = (
        f"{int((ranked['share_report'] >= guideline).sum())} of {len(ranked)} Allies at or above {guideline:g}% "
        f"of GDP in {label}"
    )
    shown.draw(
        "fig-country-trajectories",
        charts.trajectories_grid,
        series,
        order,
        guideline,
        title=title,
        description=(
            f"Small multiples: one line chart per Ally of defence expenditure as a share of GDP from "
            f"{first_year} to {label}, ordered from the highest share in {label} to the lowest, each with "
            f"a line at {guideline:g}%. {title}; {order[0]} is highest at "
            f"{ranked['share_report'].iloc[0]:.2f}%."
        ),
    )
