"""What changed between two data editions: every number that moved, per Ally, indicator and year.

A pure function over two tidy frames (natobook.data.schema). Today's revisions figure compares one indicator
(the share of GDP) of two releases; this compares every value the two editions both hold.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

KEY = ["country", "indicator", "year"]
COLUMNS = [*KEY, "old", "new", "change"]


@dataclass(frozen=True)
class Changes:
    """The values both editions hold that differ (`moved`), and how many rows only one of them holds."""

    old_edition: str
    new_edition: str
    moved: pd.DataFrame  # COLUMNS, sorted by indicator, country, year
    compared: int  # rows both editions hold
    added: int  # rows only the newer edition holds (a new year, a new indicator)
    dropped: int  # rows only the older edition holds


def compare(old: pd.DataFrame, new: pd.DataFrame) -> Changes:
    """The rows of `new` whose value differs from the same (country, indicator, year) of `old`.

    Values are compared as printed (NATO's rounding), so a change is a change a reader of the two tables sees.
    """
    joined = old[[*KEY, "value"]].merge(
        new[[*KEY, "value"]], on=KEY, how="outer", suffixes=("_old", "_new"), indicator=True
    )
    both = joined[joined["_merge"] == "both"]
    moved = both[both["value_old"] != both["value_new"]].rename(columns={"value_old": "old", "value_new": "new"})
    moved = moved.assign(change=moved["new"] - moved["old"])[COLUMNS]
    moved = moved.sort_values(["indicator", "country", "year"], kind="stable").reset_index(drop=True)
    return Changes(
        old_edition=str(old["edition"].iloc[0]),
        new_edition=str(new["edition"].iloc[0]),
        moved=moved,
        compared=len(both),
        added=int((joined["_merge"] == "right_only").sum()),
        dropped=int((joined["_merge"] == "left_only").sum()),
    )
