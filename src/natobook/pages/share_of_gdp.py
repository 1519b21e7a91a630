"""The share-of-GDP chapter: who reaches the guideline, Ally by Ally and year by year; and what the landing page
(index.md) states about the build, read from this chapter across pages."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
from IPython.display import HTML

from natobook.analysis import indicators
from natobook.analysis.profiles import in_prose
from natobook.charts import landing, spending
from natobook.data import editions, printed
from natobook.nbtools import estimate_words, needs, note_text, report_year_of, spend_verb, year_label_in
from natobook.pages import allies_left_out
from natobook.pages.edition import load
from natobook.pages.page import Page
from natobook.pages.paragraphs import PAGE

SHARE = indicators.SHARE_OF_GDP
REPORT_COUNT_FACT = "AR24_N2PCT"  # the count of Allies at 2% the Annual Report 2024 printed


@dataclass
class Landing:
    """What index.md reads from this chapter: plain strings (across pages glue shows text/plain only) and the
    story chart (or its note)."""

    plain: dict[str, str]
    chart: object


@dataclass
class _Counts:
    """The counts a page and the landing share: Allies at the guideline in the report year, in first_year, and
    each year between that the edition holds."""

    report_label: str
    latest: int | None
    first: int | None
    by_year: pd.DataFrame


def page(
    data_path, edition: str, report_year: int | None, first_year: int, guideline: float, published_path
) -> tuple[Page, Landing]:
    """The chapter's page and the landing page's facts, on one edition."""
    data = load(data_path, edition)
    report_year = report_year_of(data, report_year)
    counts = _counts(data, report_year, first_year, guideline)
    chapter = Page(
        texts={
            "source_note": editions.source_note(edition, editions.describe(edition).get("share_of_gdp_table")),
            "report_year_label": counts.report_label,
            "spent_or_expected": spend_verb(counts.report_label, plural=True),
            "top_spent_or_expected": spend_verb(counts.report_label),
        },
        numbers={"guideline": guideline},
        lacks=_lacks(data, report_year, first_year),
    )
    chapter.put_numbers({"first_year": first_year}, {"first_year": "d"})
    if not chapter.lacking("latest"):
        _latest(chapter, data, report_year, first_year, guideline, counts)
    if not chapter.lacking("count"):
        _trend(chapter, counts, guideline, first_year)
    return chapter, _landing(data, edition, report_year, first_year, guideline, counts, published_path, chapter)


def _lacks(data: pd.DataFrame, report_year: int, first_year: int) -> dict[str, list[str]]:
    """What each paragraph and figure needs and the edition lacks. An edition may hold the report year only (the
    Annual Report's own list) or start after first_year: what it cannot give is said, never counted as zero."""
    latest = needs(data, [SHARE], [report_year])
    count = needs(data, [SHARE], range(first_year, report_year + 1))
    comparison = [] if latest else needs(data, [SHARE], [first_year])
    return {
        PAGE: needs(data, [SHARE]),
        "latest": latest,
        "fig-share-of-gdp": latest,
        "comparison": comparison,
        "count": count,
        "fig-allies-at-guideline": count,
    }


def _counts(data: pd.DataFrame, report_year: int, first_year: int, guideline: float) -> _Counts:
    years = list(range(first_year, report_year + 1))
    held = [year for year in years if year not in indicators.missing_years(data, SHARE, years)]

    def count(year: int) -> int | None:
        return indicators.count_allies_at_or_above(data, SHARE, year, guideline) if year in held else None

    return _Counts(
        year_label_in(data, report_year),
        count(report_year),
        count(first_year),
        indicators.allies_at_or_above_by_year(data, held, guideline),
    )


def _latest(
    chapter: Page, data: pd.DataFrame, report_year: int, first_year: int, guideline: float, counts: _Counts
) -> None:
    """The opening paragraph's numbers and the Ally-by-Ally chart."""
    compared = counts.first is not None
    shares = indicators.values_by_year(data, SHARE, [first_year, report_year] if compared else [report_year])
    latest = shares[shares["year"] == report_year]
    top = latest.iloc[0]
    left_out = allies_left_out.without_figure(data, SHARE, report_year)
    chapter.numbers |= {
        "n_at_guideline_latest": counts.latest,
        "n_allies_reporting": len(latest),
        "top_ally_share": top["value"],
    }
    chapter.texts |= {
        "top_ally": top["country"],
        "allies_counted": allies_left_out.counted_allies_words(len(latest), left_out, counts.report_label),
        "share_years": f"{first_year} and {counts.report_label}" if compared else counts.report_label,
    }
    chapter.cases["first_year"] = "held" if compared else "missing"
    title = f"{counts.latest} Allies at or above {guideline:g}% of GDP in {counts.report_label}"
    if compared:
        chapter.put_numbers({"n_at_guideline_first": counts.first}, {"n_at_guideline_first": "d"})
        title += f", up from {counts.first} in {first_year}"
    years_shown = " and ".join(shares.sort_values("year")["year_label"].unique())
    chapter.draw(
        "fig-share-of-gdp",
        spending.share_of_gdp_by_ally,
        shares,
        guideline,
        title=title,
        description=(
            f"Dot plot of defence expenditure as a share of GDP for each of {len(latest)} Allies in "
            f"{years_shown}, sorted by {counts.report_label}. {title}. {top['country']} is highest at "
            f"{top['value']:.2f}% of GDP."
        ),
    )


def _trend(chapter: Page, counts: _Counts, guideline: float, first_year: int) -> None:
    """The year-by-year paragraph's numbers and its chart."""
    before = counts.by_year.iloc[:-1]
    previous = before.iloc[-1]
    chapter.texts["previous_year_label"] = previous["year_label"]
    chapter.numbers |= {
        "max_before_latest": int(before["count"].max()),
        "rise_on_previous": counts.latest - int(previous["count"]),
    }
    title = (
        f"Allies at or above {guideline:g}% of GDP: {counts.first} in {first_year}, "
        f"{previous['count']} in {previous['year_label']}, {counts.latest} in {counts.report_label}"
    )
    chapter.draw(
        "fig-allies-at-guideline",
        spending.allies_at_guideline_by_year,
        counts.by_year,
        guideline,
        title=title,
        description=(
            f"Bar chart of the number of Allies spending at least {guideline:g}% of GDP on defence, each "
            f"year from {first_year} to {counts.report_label}. {title}. Before {counts.report_label} the "
            f"number never exceeded {before['count'].max()}. Lighter bars are NATO estimates."
        ),
    )


def _landing(
    data: pd.DataFrame,
    edition: str,
    report_year: int,
    first_year: int,
    guideline: float,
    counts: _Counts,
    published_path,
    chapter: Page,
) -> Landing:
    latest_year = int(data["year"].max())
    entry = editions.describe(edition)
    plain = {
        "landing_edition": edition,
        "landing_edition_description": editions.description(edition),
        "landing_latest_year": str(latest_year),
        "landing_latest_status": estimate_words(data, latest_year),
        # An edition data/editions.yml does not describe is named plainly, once.
        "landing_edition_plain": (
            f"NATO's {entry['title']}, released on {editions.release_date(edition)}"
            if entry["published"]
            else f"NATO's data edition {edition}, not described"
        ),
        "landing_headline": _headline(
            chapter, counts, guideline, first_year, allies_left_out.without_figure(data, SHARE, report_year)
        ),
    }
    return Landing(plain, _story_chart(counts, guideline, report_year, published_path, chapter.lacking("count")))


def _headline(chapter: Page, counts: _Counts, guideline: float, first_year: int, left_out: list[str]) -> str:
    """The landing page's one sentence on the finding, or what the edition lacks for it. The landing page is no
    notebook, so its paragraphs cannot give way: the sentence is whole here, or a whole note."""
    if missing := chapter.lacking("latest"):
        return note_text(missing, f"The number of Allies at the guideline in {counts.report_label}").removesuffix(".")
    comparison = (
        f", against {counts.first} in {first_year}"
        if counts.first is not None
        else f"; this edition holds no share of GDP for {first_year} to compare with"
    )
    if left_out:
        comparison += (
            f"; this edition has no figure for {counts.report_label} for "
            f"{indicators.names_in_words([in_prose(country) for country in left_out])}"
        )
    return (
        f"On these figures, {counts.latest} Allies {spend_verb(counts.report_label, plural=True)} at least "
        f"{guideline:g} per cent of GDP on defence in {counts.report_label}{comparison}"
    )


def _story_chart(counts: _Counts, guideline: float, report_year: int, published_path, missing: list[str]):
    """The count each year, and the count the Annual Report printed for its year where that year is this
    edition's report year (on another edition there is nothing to set beside it)."""
    if counts.by_year.empty:
        return HTML(f"<p><strong>{html.escape(note_text(missing))}</strong></p>")
    report_count = printed.read_facts(published_path).set_index("fact_id").loc[REPORT_COUNT_FACT]
    printed_count = int(report_count["value"]) if int(report_count["year"]) == report_year else None
    last = counts.by_year.sort_values("year").iloc[-1]
    return landing.allies_at_guideline_story(
        counts.by_year,
        guideline,
        printed_count,
        f"Annual Report: {printed_count}",
        title=f"Allies at {guideline:g}% of GDP or more: {last['count']} in {last['year_label']} on these figures",
        description=(
            f"Bar chart of the number of Allies at or above {guideline:g}% of GDP each year. "
            + "; ".join(f"{row.year_label}: {row.count}" for row in counts.by_year.itertuples())
            + "."
            + (
                f" The Annual Report 2024 printed {printed_count} for {report_year}."
                if printed_count is not None
                else ""
            )
        ),
    )
