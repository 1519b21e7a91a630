"""The visit page: the timeline of Rutte's visit to Washington in its year, the report's numbers as cited, NATO's
count of Allies at the guideline in the release the chapter cites, and the claims made about both, checked."""

from __future__ import annotations

import pandas as pd

from natobook.analysis import indicators
from natobook.charts import timeline, timeline_data
from natobook.data import claims as claims_check
from natobook.data import editions, events, printed
from natobook.errors import ParameterError
from natobook.nbtools import needs, note_text, report_year_of
from natobook.pages import edition as editions_loaded
from natobook.pages.page import Figure, Page

VISIT = (pd.Timestamp("2025-04-24"), pd.Timestamp("2025-04-25"))  # NATO's announcement dates the visit
CITED_EDITION = "2024-06"  # the release the chapter's prose cites as nato2024defexp
SOURCE_KEYS = {  # source_id in the published file -> key in references.bib
    "NATO_SGAR24_PAGE": "nato2025annualreport",
    "ANEWS_AR24": "anadolu2025annualreport",
    "TASS_AR24": "tass2025annualreport",
    "KNEWS_AR24": "knews2025percentages",
}
CITED_AS = {  # the key each fact is cited with in the chapter's prose; checked against the published file's source_id
    "AR24_EC_USD": "nato2025annualreport",
    "AR24_EC_REAL": "nato2025annualreport",
    "AR24_US_DEF": "anadolu2025annualreport",
    "AR24_N2PCT": "anadolu2025annualreport",
    "AR24_EC_TASS": "tass2025annualreport",
}
COUNT = "count"  # the paragraph that gives NATO's count in the cited release


def page(
    events_path: str,
    claims_path: str,
    data_path: str,
    published_path: str,
    edition: str,
    window_start: str,
    window_end: str,
) -> Page:
    window = (pd.Timestamp(window_start), pd.Timestamp(window_end))
    if not window[0] <= VISIT[0] <= VISIT[1] <= window[1]:
        raise ParameterError(f"the window {window_start} to {window_end} must contain the visit, 24-25 April 2025")
    data = editions_loaded.load(data_path, edition)
    if data.empty:
        raise ParameterError(f"{data_path} holds no rows of edition {edition!r}")
    report_facts = printed.read_facts(published_path)
    shown = Page()
    _timeline(shown, events.read_events(events_path, window=window), window)
    _report_numbers(shown, report_facts.set_index("fact_id"), published_path, edition)
    _count(shown, data, edition)
    # Claims quoting the report's numbers take their verdict from these facts, as the reproduction page does.
    _claims(shown, claims_check.read_claims(claims_path, report_facts), claims_path)
    return shown


def _timeline(shown: Page, timeline_events: pd.DataFrame, window: tuple) -> None:
    chart = timeline.visit_timeline(timeline_events, window, VISIT)
    detail = timeline_data.detail_window(VISIT)
    figure_data = timeline_data.timeline_frame(timeline_events, detail)
    shown.figures["fig-visit-timeline"] = Figure(chart, figure_data[timeline_data.CSV_COLUMNS])
    # What the tooltips say, as a table that needs no mouse: shown with {glue:md} and :format: myst.
    shown.markdown["events-table"] = timeline_data.events_table_myst(
        figure_data, "The events of the timeline, with their sources", "tbl-visit-events"
    )
    shown.numbers |= {
        "n_events": len(timeline_events),
        "n_event_sources": timeline_events["source_key"].nunique(),
        "n_events_detail": int(figure_data["in_detail"].sum()),
        "n_events_medium_or_low": int((timeline_events["confidence"] != "high").sum()),
    }
    shown.texts |= {
        "window_label": f"{window[0].day} {window[0]:%B} and {window[1].day} {window[1]:%B %Y}",
        "detail_label": f"{detail[0].day} {detail[0]:%B} and {detail[1].day} {detail[1]:%B}",
    }


def _report_numbers(shown: Page, facts: pd.DataFrame, published_path: str, edition: str) -> None:
    """Numbers from the published-figures file: read by fact_id, never typed."""
    for fact_id, key in CITED_AS.items():
        if SOURCE_KEYS.get(facts.loc[fact_id, "source_id"]) != key:
            raise ParameterError(
                f"{published_path}: {fact_id} now comes from {facts.loc[fact_id, 'source_id']}; "
                f"update the citation ({key})"
            )
        shown.numbers[fact_id.lower()] = float(facts.loc[fact_id, "value"])
    # The European and Canadian share of Allied defence spending is the complement of the US share.
    shown.numbers["ar24_ec_def_rest"] = 100.0 - float(facts.loc["AR24_US_DEF", "value"])
    shown.numbers["guideline"] = indicators.GUIDELINE_PCT
    shown.texts["edition_label"] = editions.edition_label(CITED_EDITION)
    shown.texts["book_edition_label"] = editions.edition_label(edition)
    shown.cases["book_edition"] = "cited" if edition == CITED_EDITION else "other"


def _count(shown: Page, data: pd.DataFrame, edition: str) -> None:
    """How many Allies were at or above the guideline in the latest year of the cited release: a fact about that
    release, so built on another edition the page says so instead of counting."""
    year = report_year_of(data, None)
    if edition != CITED_EDITION:
        missing = [
            f"NATO's {editions.edition_label(CITED_EDITION)} release (edition {CITED_EDITION}), which this "
            "chapter cites"
        ]
    else:
        missing = needs(data, [indicators.SHARE_OF_GDP], [year])
    if shown.lack(missing, COUNT):
        return  # the paragraph and the claims table's cell that quote the count give way to the note
    count = indicators.count_allies_at_or_above(data, indicators.SHARE_OF_GDP, year, indicators.GUIDELINE_PCT)
    shown.put_numbers({"data_year": year, "n_at_guideline": count}, {"data_year": "d", "n_at_guideline": "d"})


def _claims(shown: Page, claims: pd.DataFrame, claims_path: str) -> None:
    known = {
        "ar24_ec_usd",
        "ar24_ec_real",
        "ar24_us_def",
        "ar24_n2pct",
        "ar24_ec_tass",
        "ar24_ec_def_rest",
        "n_at_guideline_text",
        "edition_label",
    }
    for claim in claims.itertuples():
        if missing := set(claims_check.placeholders(claim.claim + " " + claim.finding)) - known:
            raise ParameterError(
                f"{claims_path}: claim {claim.claim_id!r} refers to values nobody glued: {sorted(missing)}"
            )
    # Glued as Markdown (not escaped: the table carries glue and cite roles) and shown with {glue:md} :format: myst.
    unavailable = {"n_at_guideline_text": note_text(shown.lacking(COUNT))} if shown.lacking(COUNT) else {}
    shown.markdown["claims-table"] = claims_check.claims_table_myst(claims, unavailable=unavailable)
    verdicts = claims["verdict"].value_counts()
    shown.numbers["n_claims"] = len(claims)
    for verdict in claims_check.VERDICTS:
        shown.numbers[f"n_claims_{verdict.replace(' ', '_')}"] = int(verdicts.get(verdict, 0))
