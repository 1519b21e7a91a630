"""A figure's table is the same in every build: its headers do not depend on a process's hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

HEADER = """
from natobook.site import figuretable
titles = {"value": {"Defence, % of GDP", "Equipment, % of total", "Personnel, % of total"}}
print(figuretable.column_header("value", [], titles, False))
"""


def test_a_header_chosen_among_titles_of_one_length_is_the_same_whatever_the_hash_seed():
    # 'Equipment, % of total' and 'Personnel, % of total' are both 21 characters: the longest titles tie.
    headers = {
        subprocess.run(
            [sys.executable, "-c", HEADER], env=os.environ | {"PYTHONHASHSEED": seed}, capture_output=True, text=True
        ).stdout
        for seed in ("1", "2", "3", "4", "5", "6")
    }
    assert headers == {"Equipment, % of total\n"}
