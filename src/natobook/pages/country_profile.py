"""One Ally's page: its share of GDP and rank, its spending in real terms, what the money buys, people and spending
per head, and the cost of reaching the targets. One page per Ally (`foreach: ally` in data/params)."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from natobook.analysis import indicators, profiles
from natobook.charts import country_pages as charts
from natobook.data import editions
from natobook.nbtools import (
    constant_prices,
    needs,
    report_year_of,
    spend_verb,
    styled_table,
    year_label_in,
)
from natobook.pages import allies_left_out
from natobook.pages.ally import Ally
from natobook.pages.edition import load
from natobook.pages.page import Figure, Page

SHARE = indicators.SHARE_OF_GDP
CONSTANT_USD = constant_prices("defexp_usd")


def page(
    data_path,
    edition: str,
    report_year: int | None,
    iso3: str,
    first_year: int,
    targets: list[float],
    hague_year: int,
    equipment_guideline: float,
) -> tuple[Page, Styler | None]:
    """The Ally's page, and the table of its gaps to the targets (None when the edition lacks their inputs)."""
    data = load(data_path, edition)
    ally = Ally(data, iso3, report_year_of(data, report_year), first_year)
    label = year_label_in(data, ally.report_year)
    shown = Page(
        texts={
            "country": ally.country,
            "country_in_prose": profiles.in_prose(ally.country),
            "report_year_label": label,
            "targets_words": indicators.names_in_words([f"{t:g}%" for t in targets]),
            **{
                f"source_note_{key}": editions.source_note(edition, table)
                for key, table in (
                    ("t3", "Table 3"),
                    ("t8", "Table 8a"),
                    ("t67", "Tables 6 and 7"),
                    ("t35", "Tables 3 and 5"),
                )
            },
        },
        numbers={"equipment_guideline": equipment_guideline},
    )
    shown.put_numbers(
        {"first_year": first_year, "share_guideline": targets[0]}, {"first_year": "d", "share_guideline": "g"}
    )
    if not ally.lacks([CONSTANT_USD]):
        base_year = int(indicators.constant_price_indicator(data)[-4:])
        shown.numbers["price_base_year"] = base_year
        shown.texts["share_basis"] = f" (constant {base_year} prices)"
    else:
        shown.texts["share_basis"] = ""  # the edition does not say on which prices its shares rest
    _share(shown, ally, targets)
    _changes(shown, ally)
    _equipment(shown, ally, equipment_guideline)
    _people(shown, ally)
    return shown, _gaps(shown, ally, label, targets, hague_year)


def _lack(shown: Page, name: str, missing: list[str], figure: str | None = None) -> bool:
    """Record what `name` (and its figure) lacks; True when it lacks something."""
    shown.lacks[name] = missing
    if figure:
        shown.lacks[figure] = missing
    return bool(missing)


def _share(shown: Page, ally: Ally, targets: list[float]) -> None:
    """The share of GDP in the latest year the edition holds for the Ally (labelled when it is not the report
    year), against first_year; its rank; NATO's mark of a national law; the chart from first_year."""
    year = allies_left_out.latest_held_year(ally.data, ally.country, SHARE, ally.report_year)
    if _lack(shown, "share_latest", ally.lacks([SHARE], [ally.report_year]) if year is None else []):
        _lack(shown, "share_first", [])
    else:
        _share_in(shown, ally, year)
    if law_missing := needs(ally.data, [profiles.NATIONAL_2PCT_LAW]):
        # NATO's asterisk is a column of its tables: an edition without it cannot say that an Ally has no such law.
        _lack(shown, "national_law", law_missing)
        shown.cases["national_law"] = "not in this edition"
    else:
        marked = profiles.has_national_2pct_law(ally.data, ally.iso3)
        shown.cases["national_law"] = "marked" if marked else "unmarked"
    if _lack(shown, "share", ally.lacks([SHARE], ally.years), ally.figure("share")):
        return
    share = ally.series(SHARE)
    first, latest = share.iloc[0], share.iloc[-1]
    reached = [t for t in targets if latest["value"] >= t]
    title = (
        f"{ally.country}: {latest['value']:.2f}% of GDP in {latest['year_label']}, "
        f"{profiles.direction(latest['value'], first['value'])} {first['value']:.2f}% in {ally.first_year}"
    )
    shown.draw(
        ally.figure("share"),
        charts.share_trajectory,
        share,
        targets,
        title=title,
        description=(
            f"Line chart of {ally.country}'s defence expenditure as a share of GDP from {ally.first_year} "
            f"to {latest['year_label']}, with lines at {', '.join(f'{t:g}%' for t in targets)}. {title}. "
            f"It is at or above {len(reached)} of the {len(targets)} lines."
        ),
    )


def _share_in(shown: Page, ally: Ally, year: int) -> None:
    """The opening paragraph's numbers, for `year`: the report year, or the Ally's latest before it."""
    data, label = ally.data, year_label_in(ally.data, year)
    share_latest = indicators.value_of(data, ally.country, SHARE, year)
    n_ranked = profiles.share_rank(data, ally.iso3, year)[1]
    left_out = allies_left_out.without_figure(data, SHARE, year)
    shown.numbers |= {"share_latest": share_latest, "n_ranked": n_ranked}
    shown.texts |= {
        "share_year_label": label,
        "share_spent_or_expected": spend_verb(label),
        "rank_words": profiles.rank_words(data, ally.iso3, year),
        "allies_counted": allies_left_out.counted_allies_words(n_ranked, left_out, label),
    }
    shown.cases["share_year"] = "report year" if year == ally.report_year else "earlier"
    shown.cases["share_since"] = "not compared"
    if _lack(shown, "share_first", ally.lacks([SHARE], [ally.first_year])) or year == ally.first_year:
        return
    share_first = indicators.value_of(data, ally.country, SHARE, ally.first_year)
    shown.put_numbers({"share_first": share_first}, {"share_first": ".2f"})
    shown.texts["share_direction"] = profiles.direction(share_latest, share_first)
    shown.cases["share_since"] = "compared"


def _changes(shown: Page, ally: Ally) -> None:
    """Real change on the year before, since first_year (NATO's printed Table 4 figure for that span, else worked
    out at constant prices), the run of increases, and the chart."""
    data, report_year, first_year = ally.data, ally.report_year, ally.first_year
    printed_span = f"{indicators.REAL_CHANGE}_{first_year}_{report_year}"
    since_missing = (
        [] if not ally.lacks([printed_span], [report_year]) else ally.lacks([CONSTANT_USD], [first_year, report_year])
    )
    missing = ally.lacks([indicators.REAL_CHANGE], ally.years) + needs(data, [CONSTANT_USD]) + since_missing
    if _lack(shown, "changes", list(dict.fromkeys(missing)), ally.figure("changes")):
        return
    changes = ally.series(indicators.REAL_CHANGE)
    change = changes.iloc[-1]["value"]
    since_first = profiles.real_change_since(data, ally.iso3, first_year, report_year)
    shown.numbers |= {"real_change_latest_abs": abs(change), "real_change_since_first_abs": abs(since_first)}
    shown.texts |= {
        "real_change_verb": profiles.direction(change, 0, "rose", "fell", "did not change"),
        "real_change_since_verb": profiles.direction(since_first, 0, "risen", "fallen", "not changed"),
        "changes_from": changes.iloc[0]["year_label"],
        "changes_to": changes.iloc[-1]["year_label"],
    }
    # How long real spending has risen without a break; with no rise in the latest year, how often it rose.
    streak = indicators.consecutive_years_of_increase(changes)
    shown.cases["increase_streak"] = "several years" if streak > 1 else "one year" if streak == 1 else "none"
    rises = int((changes["value"] > 0).sum())
    shown.put_numbers(
        {"increase_streak": streak, "years_of_increase": rises, "years_of_change": len(changes)},
        {"increase_streak": "d", "years_of_increase": "d", "years_of_change": "d"},
    )
    basis = indicators.price_basis(indicators.constant_price_indicator(data))
    last = changes.iloc[-1]["year_label"]
    title = f"{ally.country}: real defence spending {'rose' if change >= 0 else 'fell'} {abs(change):.2f}% in {last}"
    shown.draw(
        ally.figure("changes"),
        charts.real_change_bars,
        changes,
        basis,
        title=title,
        description=(
            f"Bar chart of the annual real change in {ally.country}'s defence expenditure, {first_year} to {last}. "
            f"{title}; it rose in {rises} of the {len(changes)} years."
        ),
    )


def _equipment(shown: Page, ally: Ally, guideline: float) -> None:
    if _lack(shown, "equipment", ally.lacks([indicators.EQUIPMENT_SHARE], ally.years), ally.figure("equipment")):
        return
    equipment = ally.series(indicators.EQUIPMENT_SHARE)
    latest, label = equipment.iloc[-1]["value"], equipment.iloc[-1]["year_label"]
    shown.numbers |= {"equipment_latest": latest, "equipment_first": equipment.iloc[0]["value"]}
    shown.texts["equipment_relation"] = profiles.direction(latest, guideline, "above", "below", "exactly at")
    title = (
        f"{ally.country}: {latest:.2f}% of defence spending on equipment in {label}, "
        f"{profiles.direction(latest, guideline, 'above', 'below', 'at')} the {guideline:g}% guideline"
    )
    shown.draw(
        ally.figure("equipment"),
        charts.equipment_trajectory,
        equipment,
        guideline,
        title=title,
        description=(
            f"Line chart of the share of {ally.country}'s defence expenditure spent on major equipment, "
            f"{ally.first_year} to {label}, with a line at {guideline:g}%. {title}."
        ),
    )


def _people(shown: Page, ally: Ally) -> None:
    missing = ally.lacks([constant_prices(profiles.PER_HEAD_STEM), profiles.PERSONNEL], ally.years)
    if _lack(shown, "people", missing, ally.figure("people")):
        return
    basis = indicators.price_basis(indicators.constant_price_indicator(ally.data, profiles.PER_HEAD_STEM))
    per_head = ally.series(indicators.constant_price_indicator(ally.data, profiles.PER_HEAD_STEM))
    personnel = ally.series(profiles.PERSONNEL)
    shown.texts |= {
        "per_head_basis": basis,
        "personnel_direction": profiles.direction(personnel.iloc[-1]["value"], personnel.iloc[0]["value"]),
    }
    shown.numbers |= {
        "per_head_latest": per_head.iloc[-1]["value"],
        "per_head_first": per_head.iloc[0]["value"],
        "personnel_latest": personnel.iloc[-1]["value"],
        "personnel_first": personnel.iloc[0]["value"],
    }
    title = (
        f"{ally.country}: USD {per_head.iloc[-1]['value']:,.0f} per head and "
        f"{personnel.iloc[-1]['value']:,.1f} thousand military personnel in {per_head.iloc[-1]['year_label']}"
    )
    frame = pd.concat(
        [
            per_head.assign(indicator=f"defence expenditure per head, USD, {basis}"),
            personnel.assign(indicator="military personnel, thousands"),
        ],
        ignore_index=True,
    )
    shown.figures[ally.figure("people")] = Figure(
        charts.per_head_and_personnel(
            per_head,
            personnel,
            basis,
            title=title,
            description=(
                f"Two line charts, {ally.first_year} to {per_head.iloc[-1]['year_label']}: {ally.country}'s "
                f"defence expenditure per head in USD at {basis}, and its military personnel in thousands. "
                f"{title}."
            ),
        ),
        frame,
    )


def _gaps(shown: Page, ally: Ally, label: str, targets: list[float], hague_year: int) -> Styler | None:
    """The gap to each target at the report year's GDP, for a sentence and a table."""
    if _lack(shown, "gaps", ally.lacks([SHARE, indicators.GDP_CURRENT], [ally.report_year])):
        return None
    gaps = profiles.gaps_to_targets(ally.data, ally.iso3, ally.report_year, targets)
    shown.texts["gaps_words"] = profiles.gaps_in_words(gaps)
    # The Hague's levels are for hague_year; here they are set on one year's figures, which may be estimates.
    core, hague = sorted(targets)[-2:]
    shown.put_numbers(
        {"hague_year": hague_year, "hague_target": hague, "hague_beyond_core": hague - core},
        {"hague_year": "d", "hague_target": "g", "hague_beyond_core": "g"},
    )
    shown.cases["report_year"] = "estimated" if label.endswith("e") else "reported"
    table = gaps.assign(
        target=[f"{t:g}% of GDP" for t in gaps["target"]],
        gap=[profiles.usd_words(g) if g > 0 else "none" for g in gaps["gap_musd"]],
    )[["target", "gap"]].rename(columns={"target": "Target", "gap": f"Extra spending needed, {label}"})
    return (
        styled_table(table, "gaps")
        .hide(axis="index")
        .set_table_styles(
            [{"selector": "th, td", "props": "padding: 0.25em 1em; text-align: left; border-bottom: 1px solid #ddd;"}]
        )
    )
