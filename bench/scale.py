"""Benchmark a build on a large tidy CSV: 37 editions (NATO's June 2024 rows under 36 more edition names), about
200,000 rows, against the same build on the one edition alone; then the same large file under another name (the
cache is keyed by content: nothing executes again) and `build --prune-cache`. Writes the "Scale" section of
bench/RESULTS.md (bench.py writes the rest).

Runs in a scratch copy of the repository, so the real site and cache are untouched.

    .venv/bin/python bench/scale.py [--jobs 2]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from natobook import paths
from natobook.build.sourcetree import copy_book
from natobook.data import schema, tidy_csv

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "RESULTS.md"
SECTION = "## Scale: one edition of a file of many"
EDITIONS = 37
EDITION = "2024-06"
TARGET = 1.3  # the large file's build within this factor of the single edition's


def many_editions(path: Path) -> int:
    """NATO's rows as edition 2024-06 and as 36 other editions (June of 1988 to 2023): the file's row count."""
    single = schema.read_tidy_csv(paths.TIDY_CSV)
    others = [single.assign(edition=f"{year}-06") for year in range(2024 - EDITIONS + 1, 2024)]
    frame = pd.concat([single, *others], ignore_index=True)
    tidy_csv.write_tidy_csv(frame, path)
    return len(frame)


def load() -> str:
    """The machine's load average (1, 5, 15 minutes): the builds share it with whatever else runs."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def timed_build(book: Path, jobs: int, *options: str) -> tuple[float, str]:
    command = [sys.executable, "-m", "natobook", "build", "--jobs", str(jobs), *options]
    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NATOBOOK_")} | {"PYTHONPATH": str(book / "src")}
    result = subprocess.run(command, cwd=book, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build {' '.join(options)} failed:\n{result.stderr[-3000:]}")
    return took, result.stdout + result.stderr


def cache_megabytes(book: Path) -> float:
    return sum(p.stat().st_size for p in (book / ".natobook-cache").rglob("*") if p.is_file()) / 2**20


def executed(output: str) -> str:
    return re.search(r"\d+ notebook\(s\) executed, \d+ from the cache", output).group(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    jobs = parser.parse_args().jobs
    with tempfile.TemporaryDirectory() as scratch:
        book = copy_book(Path(scratch) / "book")
        big = Path(scratch) / "many-editions.csv"
        rows = many_editions(big)
        single = Path(scratch) / "one-edition.csv"
        tidy_csv.write_tidy_csv(schema.read_tidy_csv(paths.TIDY_CSV), single)

        # the large file first: a cold start (the chart library made once, the first imports) counts against it
        loads = [load()]
        many, _ = timed_build(book, jobs, "--force", "--data", str(big), "--edition", EDITION)
        loads.append(load())
        one, _ = timed_build(book, jobs, "--force", "--data", str(single))
        loads.append(load())
        renamed = big.rename(big.with_name("renamed.csv"))
        again, output = timed_build(book, jobs, "--data", str(renamed), "--edition", EDITION)
        before = cache_megabytes(book)
        timed_build(book, jobs, "--data", str(renamed), "--edition", EDITION, "--prune-cache")
        after = cache_megabytes(book)

    ratio = many / one
    lines = [
        SECTION, "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} by `bench/scale.py`, `--jobs {jobs}`, one run each "
        f"(`build --force`: every notebook executed, the book built afresh). A tidy CSV of {rows:,} rows ({EDITIONS} "
        f"editions) against its edition {EDITION} alone:", "",
        "| build | wall (s) |", "| --- | ---: |",
        f"| `--data` {EDITIONS} editions, `--edition {EDITION}` | {many:.1f} |",
        f"| `--data` one edition ({rows // EDITIONS:,} rows) | {one:.1f} |",
        f"| the same file under another name | {again:.1f} ({executed(output)}) |", "",
        f"The large file takes {ratio:.2f}x the single edition's time (target: within {TARGET}x): "
        f"{'met' if ratio <= TARGET else 'not met'}. The cache held {before:.1f} MB before `build --prune-cache` "
        f"(entries of both data files) and {after:.1f} MB after it (this build's entries only).", "",
        f"**Noise.** The machine (2 cores) is shared with other engineers' builds: its load average was "
        f"{loads[0]} before the large file's build, {loads[1]} between the two and {loads[2]} after, so with one "
        f"run each the times show whether the large file costs more than its edition alone, not a precise ratio.", "",
    ]
    text = RESULTS.read_text(encoding="utf-8")
    kept = text.split(SECTION)[0].rstrip("\n")
    RESULTS.write_text(f"{kept}\n\n" + "\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
