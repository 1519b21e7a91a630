"""Where the notebook runs execute: worker processes forked from the build, or a dask.distributed cluster; every
cached run restored first, failures collected rather than stopping.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import shutil
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from pathlib import Path

from natobook import paths
from natobook.build import cache, execute, interrupts
from natobook.build import params as params_module
from natobook.build.filecopy import PARTIAL_SUFFIX
from natobook.build.progress import Progress
from natobook.build.runs import BuildError, ExecutionReport, Planned, RunFailure, RunOutcome, relative_to_book


def execute_all(
    planned: list[Planned],
    jobs: int,
    force: bool,
    progress: Progress,
    alongside: Callable[[], None] | None = None,
    scheduler: str | None = None,
) -> ExecutionReport:
    """Restore every cached run, execute the rest `jobs` at a time (or on the dask.distributed cluster at
    `scheduler`); collect failures instead of stopping.

    `alongside` runs in a thread meanwhile, started only once every worker has been forked (a fork
    while another thread runs can copy a held lock into the child).
    """
    report = ExecutionReport()
    to_run = []
    for item in planned:
        restored = None if force else cache.cache_restore(item)
        if restored is not None:
            report.cached.append(item.label)
            report.figures.update(restored)
            progress.finished(item.label, "cached")
        else:
            to_run.append(item)
    if not to_run:
        if alongside:
            alongside()
        return report
    pool = DaskPool(scheduler) if scheduler else LocalPool(min(jobs, len(to_run)))
    try:
        with ThreadPoolExecutor(max_workers=1) as side:
            _run_in_pool(pool, to_run, progress, report, side, alongside)
    except BaseException:
        pool.stop()  # an interrupt, or a failure of the build itself: no queued run starts
        raise
    pool.close()
    report.failures.sort(key=lambda failure: relative_to_book(failure.run.output))
    return report


class LocalPool:
    """The notebook runs in worker processes forked from the build, `workers` at a time."""

    def __init__(self, workers: int):
        context = multiprocessing.get_context("fork")
        self.started = context.Queue()  # inherited by the forked workers: the runs they start, for the progress bar
        self.executor = ProcessPoolExecutor(
            max_workers=max(1, workers),
            mp_context=context,
            initializer=execute._init_worker,
            initargs=(self.started, paths.BUILD / "logs" / "kernels.log"),
        )

    def submit(self, item: Planned) -> Future:
        return self.executor.submit(
            execute.execute, item.run, item.parameters, item.label, paths.BUILD / "logs" / "failed"
        )

    def announced(self) -> list[str]:
        """The runs workers have started since last asked."""
        labels = []
        with contextlib.suppress(queue.Empty):
            while True:
                labels.append(self.started.get_nowait())
        return labels

    def stop(self) -> None:
        # The pool's own shutdown would wait for every running notebook, minutes. Its workers and their kernels
        # are stopped instead, queued runs dropped.
        interrupts.stop_children([worker.pid for worker in multiprocessing.active_children()])
        self.executor.shutdown(wait=False, cancel_futures=True)
        remove_partial_outputs()

    def close(self) -> None:
        self.executor.shutdown()


class DaskPool:
    """The notebook runs on a dask.distributed cluster, through its concurrent.futures executor. Its workers must
    see the book at the same path as the build (a shared file system): they write the executed notebooks in place,
    and each run checks that (`execute_on_worker`)."""

    def __init__(self, scheduler: str):
        try:
            from distributed import Client
        except ImportError:
            raise BuildError("--scheduler needs dask.distributed: pip install -r requirements-dask.txt") from None
        try:
            self.client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise BuildError(
                f"--scheduler {scheduler}: cannot reach a dask scheduler there ({exc}); expected the "
                f"address of a running one, e.g. tcp://127.0.0.1:8786"
            ) from None
        self.executor = self.client.get_executor(pure=False)  # each run executes: the cache decides, not dask

    def submit(self, item: Planned) -> Future:
        return self.executor.submit(
            execute_on_worker, str(paths.ROOT), item.run, item.parameters, item.label, paths.BUILD / "logs" / "failed"
        )

    def announced(self) -> list[str]:
        return []  # no start queue across machines: the bar counts finished runs

    def stop(self) -> None:
        self.executor.shutdown(wait=False)  # cancels the queued runs; a running one ends on its worker
        self.client.close()
        remove_partial_outputs()

    def close(self) -> None:
        self.executor.shutdown()
        self.client.close()


def execute_on_worker(
    root: str, run: params_module.NotebookRun, parameters: dict, label: str, failed_dir: Path
) -> RunOutcome:
    """`execute` on a dask worker, once sure it writes into the same book as the build that sent it."""
    if paths.ROOT != Path(root):
        return RunOutcome(
            RunFailure(
                run,
                parameters,
                f"this dask worker's book is {paths.ROOT}, not the build's "
                f"{root}; expected workers that see the book at the same path",
            )
        )
    return execute.execute(run, parameters, label, failed_dir)


def _run_in_pool(
    pool: LocalPool | DaskPool,
    to_run: list[Planned],
    progress: Progress,
    report: ExecutionReport,
    side: ThreadPoolExecutor,
    alongside: Callable[[], None] | None,
) -> None:
    # with fork, the pool forks all its workers at the first submit, before it starts a thread of its own
    pending = {pool.submit(item): item for item in to_run}
    side_task = side.submit(alongside) if alongside else None
    while pending:
        finished, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
        for label in pool.announced():
            progress.started(label)
        for future in finished:
            item = pending.pop(future)
            outcome = future.result()
            if outcome.failure:
                report.failures.append(outcome.failure)
            else:
                cache.cache_store(item, outcome.figures)
                report.executed.append(item.label)
                report.figures.update(outcome.figures)
            progress.finished(item.label, "FAILED" if outcome.failure else "executed")
    if side_task:
        side_task.result()


def remove_partial_outputs() -> None:
    """After stopped workers: their scratch notebooks and any copy they had begun beside its target."""
    shutil.rmtree(paths.BUILD / "executing", ignore_errors=True)
    for folder in (paths.CHAPTERS, execute.FIGURE_EXPORTS, paths.STATIC):
        for path in folder.rglob(f".*{PARTIAL_SUFFIX}") if folder.is_dir() else []:
            path.unlink(missing_ok=True)
