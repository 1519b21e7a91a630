"""The landing page's strip of key figures: each number computed from the data, the number the Annual Report
printed beside it, and the one verdict the reproduction page gives it (natobook.analysis.reproduction.fact_verdicts).

Glued as HTML by the reproduction notebook and shown on the landing page, which reads it from that page
(across pages, glue keeps text/html). Everything from data is escaped.
"""

from __future__ import annotations

import html

import pandas as pd

from natobook.analysis import reproduction

# The headline numbers the strip shows, in order, with how the card names each.
KEY_FIGURES = {
    "AR24_N2PCT": "Allies at 2% of GDP or more in {year}",
    "AR24_EC_REAL": "Real growth of European Allies' and Canada's spending in {year} (%)",
    "AR24_EC_USD": "European Allies' and Canada's spending in {year} (USD billion)",
    "AR24_US_DEF": "US share of Allies' defence spending in {year} (%)",
}
STYLE = """<style>
.natobook-keyfigures { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0 1rem; padding: 0; list-style: none; }
.natobook-keyfigures li { flex: 1 1 10rem; border: 1px solid #d0d7de; border-radius: .4rem; padding: .4rem .6rem;
  margin: 0; font-size: .85rem; line-height: 1.3; }
.natobook-keyfigures .kf-label { display: block; }
.natobook-keyfigures .kf-value { display: block; font-size: 1.5rem; font-weight: 700; }
.natobook-keyfigures .kf-status { display: block; font-weight: 600; }
.natobook-chart.fit-x { display: block; width: 100%; } /* the story chart below fills the column (width "container") */
</style>"""


def _card_row(rows: pd.DataFrame, verdict: str, edition: str) -> pd.Series | None:
    """The computed row a card shows: the one that reproduces the printed number, else the book's edition's
    first (constant prices come first), else none (the edition cannot give it)."""
    if verdict == reproduction.REPRODUCED:
        return rows[rows["status"] == reproduction.REPRODUCED].iloc[0]
    own = rows[(rows["edition"] == edition) & rows["computed"].notna()]
    return own.iloc[0] if not own.empty else None


def _shown(row: pd.Series) -> str:
    return f"{row['computed']:,.{int(row['decimals'])}f}"


def _source(row: pd.Series, edition_names: dict[str, str]) -> str:
    return edition_names.get(row["edition"], row["edition"]) + (f", {row['basis']}" if row["basis"] else "")


def key_figure_cards(
    table: pd.DataFrame, verdicts: pd.DataFrame, edition: str, edition_names: dict[str, str]
) -> list[dict]:
    """label, computed, source (edition and price basis), also (what the book's edition gives, where the card
    shows another's), printed, verdict and mark of each key figure."""
    cards = []
    by_fact = verdicts.set_index("fact_id")
    for fact_id, label in KEY_FIGURES.items():
        rows = table[table["fact_id"] == fact_id]
        verdict = by_fact.loc[fact_id, "verdict"]
        row = _card_row(rows, verdict, edition)
        own = rows[(rows["edition"] == edition) & rows["computed"].notna()]
        also = (
            f"{_source(own.iloc[0], edition_names)}: {_shown(own.iloc[0])}"
            if row is not None and row["edition"] != edition and not own.empty
            else ""
        )
        cards.append(
            {
                "label": label.format(year=int(rows.iloc[0]["year"])),
                "computed": "–" if row is None else _shown(row),
                "source": "no data edition we hold" if row is None else _source(row, edition_names),
                "also": also,
                "printed": rows.iloc[0]["printed"],
                "verdict": verdict,
                "mark": reproduction.MARKS[verdict],
            }
        )
    return cards


def key_figures_html(cards: list[dict]) -> str:
    """The strip as a list of cards: number computed, its source, the report's number, the verdict."""
    items = "".join(
        f'<li><span class="kf-label">{html.escape(card["label"])}</span>'
        f'<span class="kf-value">{html.escape(card["computed"])}</span>'
        f'<span class="kf-source">from {html.escape(card["source"])}</span><br>'
        + (f"{html.escape(card['also'])}<br>" if card["also"] else "")
        + f"Annual Report: <strong>{html.escape(card['printed'])}</strong>"
        f'<span class="kf-status">{html.escape(card["mark"])} {html.escape(card["verdict"])}</span></li>'
        for card in cards
    )
    return f'{STYLE}<ul class="natobook-keyfigures" aria-label="Key figures">{items}</ul>'
