"""The reproduction check: each headline number the Annual Report 2024 printed, beside the number
computed from each data edition we hold, the difference, and a status with its reasons.

Pure: the published facts (natobook.data.printed.read_facts) and one tidy frame per edition go in,
tables come out; statuses and reasons are data, so tests and pages read the same verdicts.
Two steps: `computed_values` works every fact out of every edition (in the fact's own unit),
`compare` sets each result beside the printed number and judges it.
"""
from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from natobook.analysis import indicators
from natobook.data import rounding

REPRODUCED = "reproduced"
DIFFERS = "differs"
NOT_COMPUTABLE = "not computable"
NO_PRINTED_VALUE = "no printed value found"
STATUSES = (REPRODUCED, DIFFERS, NO_PRINTED_VALUE, NOT_COMPUTABLE)  # best first

MORE_THAN = "more than"
NOT_STATED = "not stated"
PER_BILLION = 1e3  # the tables are in million USD
PER_TRILLION = 1e6
EC, US, TOTAL = indicators.EUROPE_AND_CANADA, indicators.UNITED_STATES, indicators.NATO_TOTAL

# (frame of one edition, year) -> (value in the fact's unit, price basis or "" where prices do not apply)
Compute = Callable[[pd.DataFrame, int], tuple[float, str]]

# What the codes in an edition's gaps are, in the words of the reproduction table.
CODE_WORDS = {
    r"defexp_usd_current": "defence expenditure in USD at current prices",
    r"gdp_usd_current": "GDP in USD at current prices",
    r"defexp_usd_const\d{4}": "defence expenditure in USD at constant prices",
    r"gdp_usd_const\d{4}": "GDP in USD at constant prices",
    r"defexp_usd": "defence expenditure in USD",
    r"gdp_usd": "GDP in USD",
    indicators.SHARE_OF_GDP: "shares of GDP",
    indicators.REAL_CHANGE: "the real change in defence expenditure",
}


def in_words(text: str) -> str:
    """'needs defexp_usd_current for X' -> 'needs defence expenditure in USD at current prices for X'."""
    for code, words in CODE_WORDS.items():
        text = re.sub(rf"\b{code}\b", words, text)
    return text


# Facts no edition of the defence-expenditure tables can give, and why.
NOT_IN_THE_TABLES = {
    "AR24_UKR": "needs military assistance to Ukraine, which NATO's defence-expenditure tables do not hold",
}


def _code(frame: pd.DataFrame, stem: str, prices: str) -> str:
    """The indicator of `stem` at 'current' or 'constant' prices in this edition (base year read, not assumed)."""
    if prices == "current":
        return f"{stem}_current"
    try:
        return indicators.constant_price_indicator(frame, stem)
    except ValueError:
        raise LookupError(f"needs {stem} at constant prices") from None


def amount(country: str, stem: str, prices: str, per: float) -> Compute:
    """One printed amount, rescaled from million USD."""
    def compute(frame, year):
        code = _code(frame, stem, prices)
        return indicators.value_of(frame, country, code, year) / per, indicators.price_basis(code)
    return compute


def change_on_year(country: str, stem: str, prices: str, per: float) -> Compute:
    """An amount minus the year before's, rescaled from million USD."""
    def compute(frame, year):
        code = _code(frame, stem, prices)
        change = indicators.value_of(frame, country, code, year) - indicators.value_of(frame, country, code, year - 1)
        return change / per, indicators.price_basis(code)
    return compute


def share_of_total(country: str, stem: str, prices: str) -> Compute:
    """A country's or group's percentage of NATO Total."""
    def compute(frame, year):
        code = _code(frame, stem, prices)
        return indicators.share_of_nato_total(frame, country, code, year), indicators.price_basis(code)
    return compute


def shown_with(decimals: int, compute: Compute) -> Compute:
    """Mark a computation whose result has a precision of its own: a value of NATO's tables keeps the
    decimals NATO prints it with (17.95, never 17.950), a count none. Others get one more than printed."""
    compute.decimals = decimals
    return compute


def printed(country: str, indicator: str) -> Compute:
    """A value NATO's tables print as it is (a share of GDP, a real change)."""
    def compute(frame, year):
        return indicators.value_of(frame, country, indicator, year), ""
    return shown_with(rounding.decimals_of(indicator), compute)


def real_change(country: str) -> Compute:
    """NATO's real change as printed; it is worked out at the edition's constant prices, so the row carries that
    basis (a real change depends on the base year's prices and exchange rates), or none where the edition
    has no constant prices to name it by."""
    def compute(frame, year):
        value = indicators.value_of(frame, country, indicators.REAL_CHANGE, year)
        try:
            return value, indicators.price_basis(indicators.constant_price_indicator(frame))
        except ValueError:
            return value, ""
    return shown_with(rounding.decimals_of(indicators.REAL_CHANGE), compute)


def allies_at(threshold: float) -> Compute:
    def compute(frame, year):
        if indicators.missing_years(frame, indicators.SHARE_OF_GDP, [year]):
            raise LookupError(f"needs {indicators.SHARE_OF_GDP} for the Allies in {year}")
        return indicators.count_allies_at_or_above(frame, indicators.SHARE_OF_GDP, year, threshold), ""
    return shown_with(0, compute)


def years_of_increase(country: str) -> Compute:
    def compute(frame, year):
        changes = indicators.series(frame, indicators.REAL_CHANGE)
        changes = changes[(changes["country"] == country) & (changes["year"] <= year)]
        if changes.empty:
            raise LookupError(f"needs {indicators.REAL_CHANGE} for {country}")
        return indicators.consecutive_years_of_increase(changes), ""
    return shown_with(0, compute)


def cumulative_extra(country: str, base_year: int, per: float) -> Compute:
    """Sum over the years after `base_year` of (constant-price spending - the base-year level)."""
    def compute(frame, year):
        code = _code(frame, "defexp_usd", "constant")
        levels = indicators.country_series(frame, country, code, list(range(base_year, year + 1)))
        extra = indicators.extra_over_base_year(levels, base_year)["extra"].sum()
        return extra / per, indicators.price_basis(code)
    return compute


def both_prices(make: Callable[..., Compute], *args) -> tuple[Compute, Compute]:
    return make(*args[:2], "constant", *args[2:]), make(*args[:2], "current", *args[2:])


def computations(first_year: int, guideline: float) -> dict[str, tuple[Compute, ...]]:
    """How each fact is worked out of a tidy frame; money facts both at constant and at current prices."""
    return {
        "AR24_EC_USD": both_prices(amount, EC, "defexp_usd", PER_BILLION),
        "AR24_EC_REAL": (real_change(EC),),
        "AR24_N2PCT": (allies_at(guideline),),
        "AR24_EC_GDP": (printed(EC, indicators.SHARE_OF_GDP),),
        "AR24_US_GDP": both_prices(share_of_total, US, "gdp_usd"),
        "AR24_US_DEF": both_prices(share_of_total, US, "defexp_usd"),
        "AR24_EC_DEF": both_prices(share_of_total, EC, "defexp_usd"),
        "AR24_EXTRA700": (cumulative_extra(EC, first_year, PER_BILLION),),
        "AR24_CONSEC": (years_of_increase(EC),),
        "AR24_NATO_GDP": (printed(TOTAL, indicators.SHARE_OF_GDP),),
        "AR24_US_USD_CUR": (amount(US, "defexp_usd", "current", PER_BILLION),),
        "AR24_TOTAL_TASS": both_prices(amount, TOTAL, "defexp_usd", PER_TRILLION),
        "AR24_US_TASS": both_prices(amount, US, "defexp_usd", PER_BILLION),
        "AR24_EC_TASS": both_prices(amount, EC, "defexp_usd", PER_BILLION),
        "AR24_TOTAL23_TASS": both_prices(amount, TOTAL, "defexp_usd", PER_TRILLION),
        "AR24_INCR_TASS": both_prices(change_on_year, TOTAL, "defexp_usd", PER_BILLION),
    }


def computed_values(facts: pd.DataFrame, frames: dict[str, pd.DataFrame], first_year: int,
                    guideline: float) -> pd.DataFrame:
    """fact_id, edition, value, basis, decimals, missing: each fact from each edition, every way it can be
    computed; `decimals` is the result's own precision where it has one (see shown_with), else NaN.

    Where an edition cannot give a fact, one row says what is missing (value NaN).
    """
    plans = computations(first_year, guideline)
    rows = []
    for fact in facts.itertuples():
        for edition, frame in frames.items():
            results, missing = [], []
            for compute in plans.get(fact.fact_id, ()):
                try:
                    results.append((*compute(frame, int(fact.year)), getattr(compute, "decimals", np.nan)))
                except LookupError as exc:
                    missing.append(in_words(str(exc)))
            if fact.fact_id in NOT_IN_THE_TABLES:
                missing.append(NOT_IN_THE_TABLES[fact.fact_id])
            rows += [{"fact_id": fact.fact_id, "edition": edition, "value": value, "basis": basis,
                      "decimals": decimals, "missing": ""} for value, basis, decimals in results]
            if missing and not results:
                rows.append({"fact_id": fact.fact_id, "edition": edition, "value": np.nan, "basis": "",
                             "decimals": np.nan, "missing": "; ".join(dict.fromkeys(missing))})
    return pd.DataFrame(rows, columns=["fact_id", "edition", "value", "basis", "decimals", "missing"])


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


def reasons(fact, row, difference: float, price_base_years: dict[str, int],
            edition_names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Why a computed number can differ from the printed one, as (kind, sentence): data edition, price basis,
    rounding. The printed edition's price base is hedged: no NATO text we hold states it."""
    names = edition_names or {}
    found = []
    if row.edition != fact.printed_edition:
        found.append((EDITION, f"computed from {names.get(row.edition, f'the {row.edition} edition')}; the report "
                               f"rests on the {fact.printed_edition} edition"))
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


def judge(fact, row, price_base_years: dict[str, int],
          edition_names: dict[str, str] | None = None) -> tuple[str, float, str, str]:
    """(status, computed minus printed, reason kinds, reason) for one computed row of one fact."""
    if pd.isna(row.value):
        return NOT_COMPUTABLE, np.nan, "missing data", row.missing
    if pd.isna(fact.value):
        return NO_PRINTED_VALUE, np.nan, "", "no source we consulted prints this number"
    difference = row.value - fact.value
    if within_printed_rounding(row.value, fact):
        return REPRODUCED, difference, "", ""
    found = reasons(fact, row, difference, price_base_years, edition_names)
    return (DIFFERS, difference, ", ".join(kind for kind, _ in found),
            "; ".join(f"{kind}: {sentence}" for kind, sentence in found))


def compare(facts: pd.DataFrame, computed: pd.DataFrame, price_base_years: dict[str, int],
            edition_names: dict[str, str] | None = None) -> pd.DataFrame:
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
        rows.append({
            "fact_id": fact.fact_id, "statement": fact.statement, "origin": fact.origin, "printed": printed_text(fact),
            "printed_value": fact.value, "printed_decimals": fact.printed_decimals, "unit": fact.unit,
            "year": int(fact.year), "source_id": fact.source_id,
            "confidence": fact.confidence, "printed_edition": fact.printed_edition, "edition": row.edition,
            "basis": row.basis, "computed": round(row.value, decimals), "difference": round(difference, decimals),
            "decimals": decimals, "status": status,
            "reason_kinds": kinds, "reason": reason,
        })
    order = {fact_id: index for index, fact_id in enumerate(facts["fact_id"])}
    table = pd.DataFrame(rows)
    return table.sort_values(["fact_id", "edition"], key=lambda c: c.map(order) if c.name == "fact_id" else c,
                             kind="mergesort").reset_index(drop=True)


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


def _at(row) -> str:
    """'65.6 at current prices', '17.95': a computed value as shown, with its price basis."""
    return f"{_number(row.computed, row.decimals)}{f' at {row.basis}' if row.basis else ''}"


def _why(rows: pd.DataFrame, verdict_of_fact: str, names: dict[str, str]) -> str:
    """The reason for one fact's verdict, in words, from its rows (every edition and price basis)."""
    if verdict_of_fact == NOT_PRINTED:
        return "no source we consulted prints this number"
    if verdict_of_fact == NOT_COMPUTABLE:
        return "; ".join(dict.fromkeys(rows["reason"]))
    matched = rows[rows["status"] == REPRODUCED]
    other = rows[(rows["status"] == DIFFERS) & rows["edition"].isin(matched["edition"])]
    if verdict_of_fact == REPRODUCED:
        where = "; ".join(f"{_at(row)} from {names.get(row.edition, row.edition)}"
                          for row in matched.itertuples())
        return where + "".join(f"; at {row.basis} it would be {_number(row.computed, row.decimals)}, which differs"
                               for row in other.itertuples() if row.basis)
    differing = rows[rows["status"] == DIFFERS]
    kinds = indicators.names_in_words(list(dict.fromkeys(
        kind for found in differing["reason_kinds"] for kind in found.split(", ") if kind != ROUNDING)))
    given = indicators.names_in_words([_at(row) for row in differing.itertuples()])
    edition = names.get(differing.iloc[0].edition, differing.iloc[0].edition)
    return f"{edition} gives {given}; " + (f"the difference is one of {kinds}" if verdict_of_fact == EXPLAINED
                                           else "not explained by data edition, price basis or rounding")


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
        rows.append({"fact_id": fact_id, "origin": its.iloc[0]["origin"], "printed": its.iloc[0]["printed"],
                     "verdict": best, "mark": MARKS[best], "why": _why(its, best, names)})
    return pd.DataFrame(rows)


DISPLAY_COLUMNS = {
    "statement": "Number", "printed": "Printed", "source": "Source", "edition": "Data",
    "basis": "Price basis", "computed": "Computed", "difference": "Difference", "verdict": "Status", "why": "Why",
}


def _number(value: float, decimals: int, sign: str = "") -> str:
    if pd.isna(value):
        return ""
    return f"{value:{sign},.{decimals}f}"


def _reason_in_words(row) -> str:
    """The row's reason as a reader reads it: 'the edition lacks ...' for a gap, nothing when reproduced."""
    if row.status == NOT_COMPUTABLE:
        return "these data lack " + "; ".join(part.removeprefix("needs ") for part in row.reason.split("; "))
    if row.status == DIFFERS:
        printed_basis = re.search(r"printed basis ([^;]+)", row.reason)
        return "; ".join(
            f"another price basis than the report's, {printed_basis.group(1)}" if kind == PRICE_BASIS and printed_basis
            else _SHORT_REASONS.get(kind, kind) for kind in row.reason_kinds.split(", "))
    return row.reason


# A difference's causes as the table's Why column gives them: short, for the Data and Price basis columns
# beside them already say which edition and basis; the full sentences are in the table's CSV.
_SHORT_REASONS = {
    EDITION: "another data edition than the report's",
    ROUNDING: "within one unit of the last printed digit",
    UNEXPLAINED: "not explained by data edition, price basis or rounding",
}


def display_table(table: pd.DataFrame, source_names: dict[str, str],
                  edition_names: dict[str, str] | None = None) -> pd.DataFrame:
    """The reproduction table as text for readers: formatted numbers, each fact's own columns shown once (on
    its first row), sources by name, a status mark with its word and the reason in words. The full reasons
    stay in `table` (and its CSV)."""
    names = edition_names or {}
    decimals = table["decimals"].astype(int)
    source = table["source_id"].map(source_names).fillna(table["source_id"])
    shown = table.assign(
        printed=(table["printed"] + " " + table["unit"].str.replace(f" ({MORE_THAN})", "", regex=False))
        .where(table["printed"] != "", "not printed"),
        source=(source + ", " + table["confidence"] + " confidence").where(table["source_id"] != "", "none found"),
        edition=table["edition"].map(lambda code: names.get(code, code)),
        basis=table["basis"].replace("", "–"),
        computed=[_number(v, d) for v, d in zip(table["computed"], decimals)],
        difference=[_number(v, d, "+") for v, d in zip(table["difference"], decimals)],
        verdict=[f"{MARKS[row_verdict(row)]} {row_verdict(row)}" for row in table.itertuples()],
        why=[_reason_in_words(row) for row in table.itertuples()],
    )
    repeated = table["fact_id"].duplicated()
    shown.loc[repeated, ["statement", "printed", "source"]] = ""
    return shown[list(DISPLAY_COLUMNS)].rename(columns=DISPLAY_COLUMNS)
