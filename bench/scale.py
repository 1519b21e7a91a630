"""Benchmark a build on a large tidy CSV: 37 editions (NATO's June 2024 rows under 36 more edition names), about
200,000 rows, against the same build on the one edition alone; then the same large file under another name (the
cache is keyed by content: nothing executes again) and `build --prune-cache`. Writes the "Scale" section of
bench/RESULTS.md (bench.py writes the rest).

What the large file can cost is reading and validating it once and cutting its edition out: the notebooks then
get the same file, byte for byte, as from the single edition (named by its content), so their cache keys are the
same. The benchmark first builds on the single edition (its cache seeded from the book's own, keyed by content,
so only notebooks the book's cache lacks execute), then runs paired rounds: both builds back to back, first one alternating, each with the notebooks from the cache (the large file's
build must say "0 notebook(s) executed": the proof that its notebooks would do the same work) and the book built
and published afresh. With the same execution time E added to both sides, the ratio of whole builds,
(many + E) / (one + E), is at most the ratio measured here, many / one: the figure reported is an upper bound.
The ratio is the median of the rounds' ratios, with their spread. Runs in a scratch copy of the repository, so
the real site and cache are untouched.

    .venv/bin/python bench/scale.py [--jobs 2] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from sections import SCALE, replace_section

from natobook import paths
from natobook.build.sourcetree import copy_book
from natobook.data import schema, tidy_csv

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


def paired_rounds(book: Path, jobs: int, rounds: int, big: Path, single: Path) -> list[dict]:
    """Each round: the large file's build and the single edition's, back to back, the first of them alternating,
    each publishing afresh (without the record of what was published, the book is built again)."""
    builds = {"many": ("--data", str(big), "--edition", EDITION), "one": ("--data", str(single))}
    measured = []
    for number in range(rounds):
        order = ("many", "one") if number % 2 == 0 else ("one", "many")
        row = {"order": " then ".join(order), "load": load()}
        for name in order:
            (book / "_build" / "published.json").unlink(missing_ok=True)
            row[name], output = timed_build(book, jobs, *builds[name])
            if not executed(output).startswith("0 notebook(s) executed"):
                sys.exit(f"the {name} build executed notebooks: {executed(output)}; expected all from the cache")
        measured.append(row)
        print(f"round {number + 1}: {row}", file=sys.stderr, flush=True)
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        book = copy_book(Path(scratch) / "book")
        big = Path(scratch) / "many-editions.csv"
        rows = many_editions(big)
        single = Path(scratch) / "one-edition.csv"
        tidy_csv.write_tidy_csv(schema.read_tidy_csv(paths.TIDY_CSV), single)
        if paths.CACHE.is_dir():
            shutil.copytree(paths.CACHE, book / ".natobook-cache", ignore=shutil.ignore_patterns("build.lock"))
        first, output = timed_build(book, options.jobs, "--data", str(single))
        warm_up = (first, executed(output))
        rounds = paired_rounds(book, options.jobs, options.rounds, big, single)
        after_rounds = load()
        again, output = timed_build(
            book, options.jobs, "--data", str(big.rename(big.with_name("renamed.csv"))), "--edition", EDITION
        )
        before = cache_megabytes(book)
        timed_build(
            book, options.jobs, "--data", str(big.with_name("renamed.csv")), "--edition", EDITION, "--prune-cache"
        )
        after = cache_megabytes(book)
    write_section(rounds, rows, options.jobs, warm_up, after_rounds, (again, executed(output)), (before, after))


def whole_build_estimate(rounds: list[dict], first_build: float) -> str:
    """What the large file adds, in seconds, set against the first build (every notebook executed): derived, not
    measured in pairs."""
    extra = sorted(row["many"] - row["one"] for row in rounds)
    median = statistics.median(extra)
    return (
        f"What the large file adds is a median {median:.1f} s a build (spread {extra[0]:.1f} to {extra[-1]:.1f} s); "
        f"set against the first build, {first_build:.1f} s with every notebook executed, a whole build on it "
        f"would take about {(first_build + median) / first_build:.2f}x the single edition's (derived from the "
        f"two measurements, not measured in pairs)."
    )


def write_section(
    rounds: list[dict],
    rows: int,
    jobs: int,
    warm_up: tuple[float, str],
    after_rounds: str,
    renamed: tuple[float, str],
    cache: tuple[float, float],
) -> None:
    ratios = sorted(row["many"] / row["one"] for row in rounds)
    ratio = statistics.median(ratios)
    lines = [
        SCALE,
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} by `bench/scale.py`, `--jobs {jobs}`. A tidy CSV of {rows:,} "
        f"rows ({EDITIONS} editions) against its edition {EDITION} alone ({rows // EDITIONS:,} rows). A first build "
        f"on the single edition, its cache seeded from the book's: {warm_up[0]:.1f} s ({warm_up[1]}). Then "
        f"{len(rounds)} paired rounds, both builds back to back, the first alternating, each with "
        f"every notebook from the cache (the large file's build too: its notebooks get the same file, so the same "
        f"keys) and the book built and published afresh:",
        "",
        "| round | order | load average before (1 / 5 / 15 min) | 37 editions (s) | one edition (s) | ratio |",
        "| --- | --- | --- | ---: | ---: | ---: |",
        *(
            f"| {number} | {row['order']} | {row['load']} | {row['many']:.1f} | {row['one']:.1f} | "
            f"{row['many'] / row['one']:.2f} |"
            for number, row in enumerate(rounds, 1)
        ),
        "",
        f"The large file's build takes **{ratio:.2f}x** the single edition's (median of the rounds' ratios; spread "
        f"{ratios[0]:.2f}-{ratios[-1]:.2f}); load average after the rounds {after_rounds}. Both whole builds execute "
        f"the same notebooks on the same file, so adding that time to both sides can only bring the ratio closer to "
        f"1: the target, whole builds within {TARGET}x, is "
        f"{'met' if ratio <= TARGET else 'not shown to be met'} by this upper bound"
        f"{'' if ratios[-1] <= TARGET or ratio > TARGET else ' (its median; not every round)'}. "
        f"{whole_build_estimate(rounds, warm_up[0])}",
        "",
        f"The same large file under another name then built in {renamed[0]:.1f} s ({renamed[1]}): the cache is "
        f"keyed by content. The cache held {cache[0]:.1f} MB before `build --prune-cache` (the entries of this "
        f"book's data, from all the builds above) and {cache[1]:.1f} MB after it (this build's entries only).",
        "",
    ]
    replace_section(SCALE, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
