"""Benchmark how the notebook stage grows with the number of notebooks: the book's country profiles (one notebook
per Ally, 31 of the book's 41) executed once, twice and four times over, each copy into a folder of its own, with
no cache (every run executes), `--jobs` workers as `natobook build` uses them. Reports the time per notebook and
the slope of a straight line through the three sizes, so a reader can predict a larger book. Writes the "Growth"
section of bench/RESULTS.md (bench.py writes the head).

The copies go through the engine's own executor (natobook.build.pipeline.plan, natobook.build.pools.execute_all),
not through a whole `natobook build`: the same figures on two pages of one site are duplicate labels, which the book build refuses.
So this measures the notebook stage (execution and each notebook's figure exports, in the workers), the part that
grows with the notebooks; Sphinx's share is in bench.py's cold build ("book" in its account of the steps).

Rounds are paired: each runs the three sizes back to back, in a rotating order, so a loaded machine weighs on all
three alike. Runs in a scratch copy of the repository, so the real site and cache are untouched.

    .venv/bin/python bench/growth.py [--jobs 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sections import GROWTH, replace_section

from natobook.build.sourcetree import copy_book

SIZES = (1, 2, 4)
PARAMS = "data/params/ar2024.yml"
PROFILE_SOURCE = "country_profile"  # the notebook run once per Ally


def execute_copies(copies: int, jobs: int) -> None:
    """Inside the scratch book: execute every profile run `copies` times, each copy into _build/growth/copy-<n>/,
    with no cache; exit non-zero if a run fails."""
    from natobook import paths
    from natobook.build import dataset, params, pipeline, pools, progress

    resolved = dataset.resolve(params.load(paths.ROOT / PARAMS))
    profiles = [item for item in pipeline.plan(resolved.pset, resolved.frame) if item.run.source.stem == PROFILE_SOURCE]
    planned = [
        dataclasses.replace(
            item, run=dataclasses.replace(item.run, output=paths.BUILD / "growth" / f"copy-{n}" / item.run.output.name)
        )
        for n in range(1, copies + 1)
        for item in profiles
    ]
    report = pools.execute_all(planned, jobs, force=True, progress=progress.Progress(len(planned), enabled=False))
    if report.failures:
        sys.exit("\n".join(str(failure) for failure in report.failures))
    print(f"{len(report.executed)} notebooks executed")


def timed(book: Path, copies: int, jobs: int) -> tuple[float, float, int]:
    """Wall and CPU seconds (the process and its descendants) of one size, and how many notebooks it executed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NATOBOOK_")} | {"PYTHONPATH": str(book / "src")}
    command = [sys.executable, str(book / "bench" / "growth.py"), "--execute", str(copies), "--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=book, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{copies}x failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    executed = int(result.stdout.split()[0])
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), executed


def load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def paired_rounds(book: Path, jobs: int, rounds: int) -> list[dict]:
    measured = []
    for number in range(rounds):
        order = SIZES[number % len(SIZES) :] + SIZES[: number % len(SIZES)]
        row = {"order": order, "load": load()}
        for copies in order:
            row[copies] = timed(book, copies, jobs)
        measured.append(row)
        print(f"round {number + 1}: {row}", file=sys.stderr, flush=True)
    return measured


def slope(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares line through (notebooks, seconds): seconds per extra notebook, and the intercept."""
    fit = statistics.linear_regression([float(x) for x, _ in points], [y for _, y in points])
    return fit.slope, fit.intercept


def write_section(rounds: list[dict], jobs: int, after: str) -> None:
    counts = {copies: rounds[0][copies][2] for copies in SIZES}
    wall = {copies: statistics.median(row[copies][0] for row in rounds) for copies in SIZES}
    cpu = {copies: statistics.median(row[copies][1] for row in rounds) for copies in SIZES}
    per_round = [slope([(row[c][2], row[c][0]) for c in SIZES]) for row in rounds]
    slopes = sorted(s for s, _ in per_round)
    intercept = statistics.median(i for _, i in per_round)
    lines = [
        GROWTH,
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} by `bench/growth.py`, `--jobs {jobs}`, {len(rounds)} paired "
        f"rounds (the three sizes back to back, in a rotating order). The country profiles executed 1, 2 and 4 "
        f"times over with no cache, through the engine's executor: the notebook stage of a build (execution and "
        f"figure exports), not Sphinx (see the cold build's steps above).",
        "",
        "| profile notebooks | wall (s, median) | per notebook, wall (s) | CPU (s, median) | per notebook, CPU (s) |",
        "| ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {counts[c]} ({c}x) | {wall[c]:.1f} | {wall[c] / counts[c]:.2f} | {cpu[c]:.1f} | "
            f"{cpu[c] / counts[c]:.2f} |"
            for c in SIZES
        ),
        "",
        f"Each further notebook adds **{statistics.median(slopes):.2f} s** of wall time (median of the rounds' "
        f"least-squares slopes; spread {slopes[0]:.2f}-{slopes[-1]:.2f} s), on a fixed cost of about "
        f"{intercept:.1f} s (the line's intercept: reading the data, planning, starting the workers). A book of N "
        f"profile notebooks should take about {intercept:.1f} + {statistics.median(slopes):.2f} x N s in this stage on this machine with "
        f"`--jobs {jobs}`.",
        "",
        "| round | order | load average before (1 / 5 / 15 min) | " + " | ".join(f"{c}x (s)" for c in SIZES) + " |",
        "| --- | --- | --- |" + " ---: |" * len(SIZES),
        *(
            f"| {n} | {', '.join(f'{c}x' for c in row['order'])} | {row['load']} | "
            + " | ".join(f"{row[c][0]:.1f}" for c in SIZES)
            + " |"
            for n, row in enumerate(rounds, 1)
        ),
        "",
        f"Load average after the rounds: {after}.",
        "",
    ]
    replace_section(GROWTH, lines)
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--execute", type=int, metavar="COPIES", help=argparse.SUPPRESS)  # inside the scratch book
    options = parser.parse_args()
    if options.execute:
        execute_copies(options.execute, options.jobs)
        return
    with tempfile.TemporaryDirectory() as scratch:
        book = copy_book(Path(scratch) / "book")
        rounds = paired_rounds(book, options.jobs, options.rounds)
    write_section(rounds, options.jobs, load())


if __name__ == "__main__":
    main()
