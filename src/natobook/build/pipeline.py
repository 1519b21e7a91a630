"""The build: validate data, execute notebooks with papermill, build the book, publish atomically.

Execution. Every notebook of the parameter set is executed by papermill, `jobs` at a time, in
worker processes (natobook.build.pools, .execute). A cache (`.natobook-cache/`, natobook.build.cache) keyed by
everything that determines a notebook's output (natobook.build.cachekey: its source, its parameters, the data and
the files it reads, the installed packages and the natobook modules it imports) means an unchanged notebook is
never executed twice: a hit copies the stored executed notebook, and the figure files its page links, into place.
`force` ignores it. Failures are collected: every notebook that can run does, then each failure is reported with
its notebook, parameters, cell and error, and nothing is published.

Book. jupyter-book builds in a work folder that persists between builds (natobook.build.jupyterbook), so Sphinx
re-reads only changed pages; every page is rewritten each time (cross-page glue and references stay right),
and a failed or forced build starts from a fresh environment. When nothing the book reads has
changed since the published site was built, the book build is skipped altogether.

Publishing (natobook.build.publish): the book is built in a work folder, copied to `editions/<edition>/` of a
fresh `_build/site-<stamp>` beside the editions published before (linked in unchanged) and, when it is the newest
edition, to its root (natobook.build.editionsite); `_build/html` (a symlink) is switched to it with one atomic
rename. A failure at any step before that switch leaves the previously published site exactly as it was.
"""

from __future__ import annotations

import glob
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import papermill

from natobook import paths
from natobook.build import (
    buildlock,
    cache,
    dataset,
    execute,
    figures,
    interrupts,
    jupyterbook,
    pools,
    publish,
    textnotebook,
)
from natobook.build import params as params_module
from natobook.build.cachekey import KeyContext, cache_key
from natobook.build.progress import Progress
from natobook.build.runs import BuildError, Planned, relative_to_book
from natobook.data import missing


def declared_parameters(source: Path) -> frozenset[str]:
    """The names the notebook `source` declares in its `parameters` cell."""
    return frozenset(papermill.inspect_notebook(textnotebook.read_source(source)))


def notebook_parameters(
    run: params_module.NotebookRun, pset: params_module.ParameterSet, declared: frozenset[str] | None = None
) -> dict:
    """The set-wide parameters the notebook declares (`declared`, read from it when not given), then the run's own
    (which win)."""
    declared = declared_parameters(run.source) if declared is None else declared
    shared = {
        "data_path": os.path.relpath(pset.data, run.source.parent),
        "edition": pset.edition,
        "report_year": pset.report_year,
    }
    merged = {key: value for key, value in shared.items() if key in declared}
    unknown = set(run.parameters) - set(declared)
    if unknown:
        raise BuildError(f"{run.source}: parameters {sorted(unknown)} are not declared in its `parameters` cell")
    return merged | run.parameters


def remove_stale_outputs(pset: params_module.ParameterSet, runs: tuple[params_module.NotebookRun, ...]) -> list[Path]:
    """Delete outputs a `foreach` entry wrote for an item no longer in the data (e.g. a removed Ally)."""
    planned = {run.output.resolve() for run in runs}
    removed = []
    for entry in pset.entries:
        pattern = params_module.generated_pattern(entry)
        for path in sorted(map(Path, glob.glob(str(paths.ROOT / pattern)))) if pattern else []:
            if path.resolve() not in planned:
                path.unlink()
                removed.append(path)
    return removed


def plan(pset: params_module.ParameterSet, frame, given: Path | None = None) -> list[Planned]:
    """Each run with its parameters and cache key; `given`: the data file named with `build --data`."""
    runs = params_module.expand(pset, frame)
    remove_stale_outputs(pset, runs)
    context = KeyContext.of(pset.data, given)
    # one reading of each source, not one per run (31 country profiles share one)
    declared = {source: declared_parameters(source) for source in {run.source for run in runs}}
    planned = []
    for run in runs:
        parameters = notebook_parameters(run, pset, declared[run.source])
        planned.append(Planned(run, parameters, cache_key(run, parameters, context)))
    return planned


@dataclass(frozen=True)
class BuildResult:
    site: Path
    published: bool  # False: nothing had changed, the site already published was kept
    executed: int
    cached: int
    seconds: dict[str, float]  # wall time of each step, in order

    def timing(self) -> str:
        return ", ".join(f"{step} {seconds:.1f} s" for step, seconds in self.seconds.items())


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.laps[step] = now - self._last
        self._last = now


def build(
    params_file: Path,
    jobs: int,
    force: bool = False,
    progress: bool | None = None,
    choice: dataset.Choice = dataset.Choice(),  # noqa: B008 (frozen: safe to share)
    wait: bool = False,
    prune: bool = False,
    scheduler: str | None = None,
) -> BuildResult:
    """Validate, execute (cache first), build the book and publish it; raise BuildError and publish nothing on failure.

    The data is the parameter set's unless `choice` names other data, edition or report year (see natobook.build.dataset).
    One build at a time: BuildBusy when another build of the book runs, unless `wait` (natobook.build.buildlock).
    `prune`: keep in the cache only the entries of this build. `scheduler`: the address of a dask.distributed
    scheduler whose workers execute the notebooks (see DaskPool), instead of `jobs` local workers.
    """
    with buildlock.held(wait):
        return _build(params_file, jobs, force, progress, choice, prune, scheduler)


def _build(
    params_file: Path,
    jobs: int,
    force: bool,
    progress: bool | None,
    choice: dataset.Choice,
    prune: bool,
    scheduler: str | None,
) -> BuildResult:
    clock = _Clock()
    resolved = dataset.resolve(params_module.load(params_file), choice)
    pset = resolved.pset
    year = pset.report_year if pset.report_year is not None else "the latest in the data"
    print(
        f"data: {relative_to_book(pset.data)}, edition {pset.edition}, report year {year}", file=sys.stderr, flush=True
    )
    planned = plan(pset, resolved.frame, given=choice.data)
    clock.lap("plan")
    bar = Progress(len(planned), enabled=progress)
    try:
        # the chart library is made (once per Altair version) while the notebooks run
        report = pools.execute_all(
            planned, jobs, force, bar, alongside=jupyterbook.ensure_vega_bundle, scheduler=scheduler
        )
    finally:
        bar.close()
    removed = cache.prune_cache(only={item.key for item in planned} if prune else None)
    if prune:
        print(f"cache: {removed} entr{'y' if removed == 1 else 'ies'} no longer used removed", file=sys.stderr)
    clock.lap("notebooks")
    if report.failures:
        listing = "\n  ".join(str(failure) for failure in report.failures)
        raise BuildError(
            f"{len(report.failures)} of {len(planned)} notebook(s) failed; the site was not published:\n  {listing}"
        )
    if execute.FIGURE_EXPORTS.is_dir():
        figures.remove_stale(execute.FIGURE_EXPORTS, report.figures)  # a figure no page glues any more
    missing.write_record(resolved.accepted, paths.BUILD / jupyterbook.ACCEPTED_BLANKS)  # for the book, which names them
    fingerprint = publish.book_fingerprint()
    clock.lap("check")
    counts = (len(report.executed), len(report.cached))
    if not force and (site := publish.published_site_if_current(fingerprint)):
        return BuildResult(site, False, *counts, clock.laps)
    built = _build_book(jobs, fresh=force)
    clock.lap("book")
    with interrupts.deferred():  # the old site or the new one, never a switch without its record
        site = publish.publish(built, pset.edition)
        publish.record_published(site, fingerprint)
    clock.lap("publish")
    return BuildResult(site, True, *counts, clock.laps)


def _build_book(jobs: int, fresh: bool) -> Path:
    """The site's HTML, built in the work folder that persists between builds."""
    try:
        return jupyterbook.build(paths.BUILD / ".work", "html", jobs, fresh)
    except jupyterbook.BookBuildError as exc:
        problems = "\n".join(exc.problems)
        raise BuildError(
            f"jupyter-book build failed; the site was not published (full log: {exc.log}):\n{problems}"
        ) from None
