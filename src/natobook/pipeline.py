"""The build: validate data, execute notebooks with papermill, build the book, publish atomically.

Publishing: the book is built in a work folder, copied to a fresh `_build/site-<stamp>`, and
`_build/html` (a symlink) is switched to it with one atomic rename. A failure at any step
before that switch leaves the previously published site exactly as it was.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill

from natobook import params as params_module
from natobook import paths, schema
from natobook.charts import style
from natobook.errors import NatobookError

KERNEL = "python3"
CELL_TIMEOUT_SECONDS = 600
INJECTED_TAG = "injected-parameters"


@dataclass(frozen=True)
class RunFailure:
    run: params_module.NotebookRun
    error: str

    def __str__(self) -> str:
        return f"{self.run.source.name} with {self.run.parameters}:\n    {self.error}"


class BuildError(NatobookError):
    """The build stopped; the published site was not touched."""


def notebook_parameters(run: params_module.NotebookRun, pset: params_module.ParameterSet) -> dict:
    """The set-wide parameters the notebook declares, then the run's own (which win)."""
    declared = papermill.inspect_notebook(str(run.source))
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


def hide_injected_parameters(notebook_path: Path) -> None:
    """Papermill's injected cell would show above the page title: tag it so the book removes it."""
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if INJECTED_TAG in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
    nbformat.write(notebook, notebook_path)


def execute(run: params_module.NotebookRun, parameters: dict) -> str | None:
    """Run one notebook; return None on success, else the error a user needs to see."""
    run.output.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(run.source),
            str(run.output),
            parameters=parameters,
            kernel_name=KERNEL,
            cwd=str(run.source.parent),
            progress_bar=False,
            execution_timeout=CELL_TIMEOUT_SECONDS,
        )
    except papermill.PapermillExecutionError as exc:
        return f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    except Exception as exc:  # a kernel that died or never started: still one line for the report
        return f"{type(exc).__name__}: {exc}"
    hide_injected_parameters(run.output)
    return None


def execute_all(pset: params_module.ParameterSet, jobs: int) -> list[RunFailure]:
    """Execute every notebook of the set, `jobs` at a time; collect failures instead of stopping."""
    planned = [(run, notebook_parameters(run, pset)) for run in pset.runs]
    failures = []
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(execute, run, parameters): run for run, parameters in planned}
        for future in as_completed(futures):
            error = future.result()
            if error:
                failures.append(RunFailure(futures[future], error))
    return sorted(failures, key=lambda failure: str(failure.run.source))


def build_book(work_dir: Path) -> Path:
    """jupyter-book build with warnings as errors; returns the built html folder."""
    style.write_vega_bundle(paths.STATIC)
    log_path = paths.BUILD / "logs" / "jupyter-book.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(sys.executable).parent / "jupyter-book"), "build", str(paths.ROOT),
        "--path-output", str(work_dir), "-W", "-n", "--keep-going",
    ]
    with open(log_path, "w", encoding="utf-8") as log:
        result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, cwd=paths.ROOT)
    if result.returncode != 0:
        tail = "\n".join(log_path.read_text(encoding="utf-8").splitlines()[-30:])
        raise BuildError(f"jupyter-book build failed (full log: {log_path}):\n{tail}")
    return work_dir / "_build" / "html"


def publish(built_html: Path) -> Path:
    """Copy the built site to a new folder and switch `_build/html` to it in one atomic rename."""
    site = paths.BUILD / f"site-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    shutil.copytree(built_html, site)
    link_tmp = paths.BUILD / f".html-{os.getpid()}"
    link_tmp.unlink(missing_ok=True)
    link_tmp.symlink_to(site.name)
    if paths.SITE.exists() and not paths.SITE.is_symlink():
        shutil.rmtree(paths.SITE)  # a plain folder from an older layout: replace it once
    os.replace(link_tmp, paths.SITE)
    for old in paths.BUILD.glob("site-*"):
        if old != site:
            shutil.rmtree(old, ignore_errors=True)
    return site


def build(params_file: Path, jobs: int) -> Path:
    pset = params_module.load(params_file)
    schema.read_tidy_csv(pset.data)
    failures = execute_all(pset, jobs)
    if failures:
        listing = "\n  ".join(str(failure) for failure in failures)
        raise BuildError(f"{len(failures)} notebook(s) failed; the site was not published:\n  {listing}")
    built = build_book(paths.BUILD / ".work")
    return publish(built)
