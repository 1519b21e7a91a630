"""The reproduction check: each headline number the Annual Report 2024 printed, beside the number
computed from each data edition we hold, the difference, and a status with its reasons.

Pure: the published facts (natobook.data.printed.read_facts) and one tidy frame per edition go in,
tables come out; statuses and reasons are data, so tests and pages read the same verdicts.
Two steps: natobook.analysis.recompute works every fact out of every edition (in the fact's own unit),
`compare` here sets each result beside the printed number and judges it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from natobook.analysis import indicators

REPRODUCED = "reproduced"
DIFFERS = "differs"
NOT_COMPUTABLE = "not computable"
NO_PRINTED_VALUE = "no printed value found"
STATUSES = (REPRODUCED, DIFFERS, NO_PRINTED_VALUE, NOT_COMPUTABLE)  # best first
MORE_THAN = "more than"  # a printed number that is a lower bound ("more than USD 700 billion")
NOT_STATED = "not stated"


def printed_text(fact) -> str:
    """The number as NATO printed it: '22', '19.4', 'more than 700'; '' where none was found."""
    if pd.isna(fact.value):
        return ""
    number = f"{fact.value:,.{int(fact.printed_decimals)}f}"
    return f"{MORE_THAN} {number}" if fact.comparison == MORE_THAN else number


def within_printed_rounding(computed: float, fact) -> bool:
    """'more than N' holds if computed > N; otherwise computed rounds to the printed number."""
    if fact.comparison == MORE_THAN:
        return computed > fact.value
    return abs(computed - fact.value) <= 0.5 * 10 ** -int(fact.printed_decimals) + 1e-9


EDITION, PRICE_BASIS, ROUNDING, UNEXPLAINED = "data edition", "price basis", "rounding", "unexplained"


def reasons(
    fact, row, difference: float, price_base_years: dict[str, int], edition_names: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """Why a computed number can differ from the printed one, as (kind, sentence): data edition, price basis,
    rounding. The printed edition's price base is hedged: no NATO text we hold states it."""
    names = edition_names or {}
    found = []
    if row.edition != fact.printed_edition:
        found.append(
            (
                EDITION,
                f"computed from {names.get(row.edition, f'the {row.edition} edition')}; the report "
                f"rests on the {fact.printed_edition} edition",
            )
        )
    if row.basis and row.basis != fact.printed_price_basis:
        if fact.printed_price_basis in ("", NOT_STATED):
            base = price_base_years.get(fact.printed_edition)
            stated = f"not stated (probably constant {base} prices)" if base else NOT_STATED
        else:
            stated = fact.printed_price_basis
        found.append((PRICE_BASIS, f"computed at {row.basis}; printed basis {stated}"))
    if fact.comparison != MORE_THAN and abs(difference) < 10 ** -int(fact.printed_decimals):
        found.append((ROUNDING, "within one unit of the last printed digit"))
    return found or [(UNEXPLAINED, "not explained by data edition, price basis or rounding")]


def judge(
    fact, row, price_base_years: dict[str, int], edition_names: dict[str, str] | None = None
) -> tuple[str, float, str, str]:
    """(status, computed minus printed, reason kinds, reason) for one computed row of one fact."""
    if pd.isna(row.value):
        return NOT_COMPUTABLE, np.nan, "missing data", row.missing
    if pd.isna(fact.value):
        return NO_PRINTED_VALUE, np.nan, "", "no source we consulted prints this number"
    difference = row.value - fact.value
    if within_printed_rounding(row.value, fact):
        return REPRODUCED, difference, "", ""
    found = reasons(fact, row, difference, price_base_years, edition_names)
    return (
        DIFFERS,
        difference,
        ", ".join(kind for kind, _ in found),
        "; ".join(f"{kind}: {sentence}" for kind, sentence in found),
    )


def compare(
    facts: pd.DataFrame,
    computed: pd.DataFrame,
    price_base_years: dict[str, int],
    edition_names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The reproduction table: one row per fact, edition and way of computing it, in the facts' order.

    Columns: fact_id, statement, origin, printed, printed_value, printed_decimals, unit, year, source_id,
    confidence, printed_edition, edition, basis, computed, difference, decimals, status, reason_kinds, reason.
    Judged at full precision; `computed` and `difference` are then rounded to `decimals`: the computation's
    own precision (see shown_with), else one more decimal than NATO printed, so that rounding can be judged.
    `edition_names` names editions in the reasons ("NATO's June 2024 data"); by default their codes.
    """
    by_id = {fact.fact_id: fact for fact in facts.itertuples()}
    rows = []
    for row in computed.itertuples():
        fact = by_id[row.fact_id]
        status, difference, kinds, reason = judge(fact, row, price_base_years, edition_names)
        printed_plus_one = 1 if pd.isna(fact.printed_decimals) else int(fact.printed_decimals) + 1
        decimals = printed_plus_one if pd.isna(row.decimals) else int(row.decimals)
        rows.append(
            {
                "fact_id": fact.fact_id,
                "statement": fact.statement,
                "origin": fact.origin,
                "printed": printed_text(fact),
                "printed_value": fact.value,
                "printed_decimals": fact.printed_decimals,
                "unit": fact.unit,
                "year": int(fact.year),
                "source_id": fact.source_id,
                "confidence": fact.confidence,
                "printed_edition": fact.printed_edition,
                "edition": row.edition,
                "basis": row.basis,
                "computed": round(row.value, decimals),
                "difference": round(difference, decimals),
                "decimals": decimals,
                "status": status,
                "reason_kinds": kinds,
                "reason": reason,
            }
        )
    order = {fact_id: index for index, fact_id in enumerate(facts["fact_id"])}
    table = pd.DataFrame(rows)
    return table.sort_values(
        ["fact_id", "edition"], key=lambda c: c.map(order) if c.name == "fact_id" else c, kind="mergesort"
    ).reset_index(drop=True)


def verdict(table: pd.DataFrame, fact_id: str, edition: str, basis: str = "") -> pd.Series:
    """The one row of `table` for a fact, edition and price basis ('' where prices do not apply)."""
    rows = table[(table["fact_id"] == fact_id) & (table["edition"] == edition) & (table["basis"] == basis)]
    if len(rows) != 1:
        raise LookupError(f"expected one row for {fact_id}, {edition}, {basis!r}; found {len(rows)}")
    return rows.iloc[0]


def best_status(table: pd.DataFrame) -> pd.Series:
    """Per fact, the best verdict any edition or price basis reaches (reproduced > differs > not computable)."""
    rank = {status: index for index, status in enumerate(STATUSES)}
    return table.groupby("fact_id", sort=False)["status"].agg(lambda s: min(s, key=rank.__getitem__))


# One verdict per fact, for readers: what the data we hold say about a printed number, across editions and price
# bases. "Explained" is a difference whose every cause is named (data edition, price basis), not removed.
EXPLAINED = "explained"
NOT_PRINTED = "not printed"
VERDICTS = (REPRODUCED, EXPLAINED, DIFFERS, NOT_PRINTED, NOT_COMPUTABLE)  # best first: a hole is not a gap of ours
MARKS = {REPRODUCED: "✓", EXPLAINED: "≈", DIFFERS: "✗", NOT_COMPUTABLE: "–", NOT_PRINTED: "?"}


def row_verdict(row) -> str:
    """A row's status in the readers' words: a difference with only named causes is 'explained'."""
    if row.status == NO_PRINTED_VALUE:
        return NOT_PRINTED
    if row.status == DIFFERS and UNEXPLAINED not in row.reason_kinds:
        return EXPLAINED
    return row.status


def number_text(value: float, decimals: int, sign: str = "") -> str:
    """A computed value as the tables show it: thousands separated, `decimals` places, "" for none."""
    if pd.isna(value):
        return ""
    return f"{value:{sign},.{decimals}f}"


def _at(row) -> str:
    """'65.6 at current prices', '17.95': a computed value as shown, with its price basis."""
    return f"{number_text(row.computed, row.decimals)}{f' at {row.basis}' if row.basis else ''}"


def _why(rows: pd.DataFrame, verdict_of_fact: str, names: dict[str, str]) -> str:
    """The reason for one fact's verdict, in words, from its rows (every edition and price basis)."""
    if verdict_of_fact == NOT_PRINTED:
        return "no source we consulted prints this number"
    if verdict_of_fact == NOT_COMPUTABLE:
        return "; ".join(dict.fromkeys(rows["reason"]))
    matched = rows[rows["status"] == REPRODUCED]
    other = rows[(rows["status"] == DIFFERS) & rows["edition"].isin(matched["edition"])]
    if verdict_of_fact == REPRODUCED:
        where = "; ".join(f"{_at(row)} from {names.get(row.edition, row.edition)}" for row in matched.itertuples())
        return where + "".join(
            f"; at {row.basis} it would be {number_text(row.computed, row.decimals)}, which differs"
            for row in other.itertuples()
            if row.basis
        )
    differing = rows[rows["status"] == DIFFERS]
    kinds = indicators.names_in_words(
        list(
            dict.fromkeys(kind for found in differing["reason_kinds"] for kind in found.split(", ") if kind != ROUNDING)
        )
    )
    given = indicators.names_in_words([_at(row) for row in differing.itertuples()])
    edition = names.get(differing.iloc[0].edition, differing.iloc[0].edition)
    return f"{edition} gives {given}; " + (
        f"the difference is one of {kinds}"
        if verdict_of_fact == EXPLAINED
        else "not explained by data edition, price basis or rounding"
    )


def fact_verdicts(table: pd.DataFrame, edition_names: dict[str, str] | None = None) -> pd.DataFrame:
    """One verdict per fact, the one every page shows: fact_id, origin, printed, verdict, mark, why.

    Reproduced if any edition and price basis reproduces the printed number (the why names which, and what
    the other basis gives); explained if every difference has named causes; differs if one has none.
    """
    names = edition_names or {}
    rank = {verdict: index for index, verdict in enumerate(VERDICTS)}
    rows = []
    for fact_id, its in table.groupby("fact_id", sort=False):
        best = min((row_verdict(row) for row in its.itertuples()), key=rank.__getitem__)
        rows.append(
            {
                "fact_id": fact_id,
                "origin": its.iloc[0]["origin"],
                "printed": its.iloc[0]["printed"],
                "verdict": best,
                "mark": MARKS[best],
                "why": _why(its, best, names),
            }
        )
    return pd.DataFrame(rows)


def matching_basis(table: pd.DataFrame, fact_id: str) -> str:
    """The price bases on which a printed number is reproduced ('constant 2015 prices'), in words, from the
    reproduction check's table; 'neither price basis' when none."""
    found = table[(table["fact_id"] == fact_id) & (table["status"] == REPRODUCED)]["basis"]
    return indicators.names_in_words(found.tolist()) or "neither price basis"
