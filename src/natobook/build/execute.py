"""One notebook run, in a worker process: papermill into a scratch file, post-processing, the notebook moved into
place and its figures exported.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import papermill

from natobook import paths
from natobook.build import buildlock, figures, interrupts, textnotebook
from natobook.build import params as params_module
from natobook.build.filecopy import copy_if_changed
from natobook.build.runs import RunFailure, RunOutcome
from natobook.build.runs import relative_to_book as _rel  # the name postprocess was keyed with (see cachekey)
from natobook.pages import paragraphs

KERNEL = "python3"
CELL_TIMEOUT_SECONDS = 600
# Kernels started side by side can race for the same port ("Address already in use") and die before
# answering; a second start picks new ports. Only that error is retried: a cell's error never is.
KERNEL_DIED_AT_START = "Kernel died before replying to kernel_info"
KERNEL_START_ATTEMPTS = 2
INJECTED_TAG = "injected-parameters"
FIGURE_EXPORTS = paths.BUILD / "figures"  # SVG, PNG, PDF and CSV of every figure; the site links them


def export_figures(notebook_path: Path) -> tuple[str, ...]:
    """SVG, PNG and PDF of every figure the executed notebook glues, and its CSV, into FIGURE_EXPORTS (the site
    links them under each figure: see natobook.site.figurelines); returns the figures' names."""
    return tuple(figures.export_notebook(notebook_path, FIGURE_EXPORTS))


_started = None  # the queue a worker announces the runs it starts on


def _init_worker(started, kernel_log: Path) -> None:
    """Remember the start queue; send this worker's stderr, which its kernels inherit, to a log file
    (each kernel says "running over TCP without encryption", which would bury the progress bar)."""
    global _started
    _started = started
    interrupts.restore_defaults_in_child()
    buildlock.forget_in_child()
    kernel_log.parent.mkdir(parents=True, exist_ok=True)
    log = os.open(kernel_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 2)
    os.close(log)


def _merged_streams(outputs: list) -> list:
    """Consecutive outputs of one stream (stdout, stderr) as one: the kernel splits printed text by timing."""
    merged = []
    for output in outputs:
        if merged and output.output_type == "stream" == merged[-1].output_type and output.name == merged[-1].name:
            merged[-1].text += output.text
        else:
            merged.append(output)
    return merged


def postprocess(notebook_path: Path, parameters: dict, source: Path) -> None:
    """Hide papermill's injected cell (the book would show it above the title), fill the run's
    {{ parameter }} placeholders in markdown (figure names, links: see params.render), and leave nothing
    that differs between two runs of the same inputs except papermill's and nbclient's clocks:
    the injected cell gets a fixed id (papermill draws a random one), the input papermill records is the
    source's path relative to the book's root (papermill was handed the text notebook as an object, and
    records that object; never this machine's folders, nor the scratch file's), and
    a cell's consecutive stream outputs are one (the kernel splits printed text by timing). Paragraphs whose
    needs the edition lacks give way to their note (natobook.pages.paragraphs)."""
    notebook = nbformat.read(notebook_path, as_version=4)
    paragraphs.give_way(notebook)
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if INJECTED_TAG in tags:
            cell.id = INJECTED_TAG
            if "remove-cell" not in tags:
                tags.append("remove-cell")
        if cell.cell_type == "markdown":
            cell.source = params_module.render(cell.source, parameters, strict=False)
        if "outputs" in cell:
            cell.outputs = _merged_streams(cell.outputs)
    recorded = notebook.metadata.setdefault("papermill", {})
    recorded["input_path"] = _rel(source)
    recorded.pop("output_path", None)  # a scratch file of this build, gone once the notebook lands in chapters/
    nbformat.write(notebook, notebook_path)


def _failed_cell(notebook_path: Path | None, exc: papermill.PapermillExecutionError) -> str:
    """'cell 4 (id cell-03)': the execution count, and the stable id of the cell whose output is the error."""
    cells = nbformat.read(notebook_path, as_version=4).cells if notebook_path and notebook_path.is_file() else []
    raised = [cell for cell in cells if any(out.get("output_type") == "error" for out in cell.get("outputs", []))]
    cell_id = raised[0].get("id") if raised else None
    return f"cell {exc.exec_count}" + (f" (id {cell_id})" if cell_id else "")


def _papermill(run: params_module.NotebookRun, scratch: Path, parameters: dict) -> None:
    for attempt in range(KERNEL_START_ATTEMPTS):
        try:
            papermill.execute_notebook(
                textnotebook.read_source(run.source),
                str(scratch),
                parameters=parameters,
                kernel_name=KERNEL,
                cwd=str(run.source.parent),
                progress_bar=False,
                execution_timeout=CELL_TIMEOUT_SECONDS,
                # papermill otherwise rewrites (and validates) the whole notebook before and after every cell:
                # about a tenth of a profile's CPU time. Written once at the end, or with the error marked.
                request_save_on_cell_execute=False,
                # On a busy machine a glue output can reach the client after nbclient's default 4 s wait and be
                # dropped silently (a missing glue key later): wait longer, and fail rather than lose it.
                iopub_timeout=60,
                raise_on_iopub_timeout=True,
            )
            return
        except RuntimeError as exc:  # not a cell's error (PapermillExecutionError): the kernel never started
            if KERNEL_DIED_AT_START not in str(exc) or attempt + 1 == KERNEL_START_ATTEMPTS:
                raise


def execute(run: params_module.NotebookRun, parameters: dict, label: str, failed_dir: Path) -> RunOutcome:
    """Run one notebook into a scratch file, move it into place and export its figures (here, in parallel,
    rather than after all runs); on failure keep it aside and say why."""
    if _started is not None:
        _started.put(label)
    # Executed away from the book's sources: an interrupted run leaves nothing half-written in chapters/.
    scratch = paths.BUILD / "executing" / f"{os.getpid()}-{run.output.name}"
    scratch.parent.mkdir(parents=True, exist_ok=True)
    try:
        _papermill(run, scratch, parameters)
    except Exception as exc:
        kept = None
        if scratch.is_file():
            failed_dir.mkdir(parents=True, exist_ok=True)
            kept = failed_dir / label.replace("/", "__")
            shutil.move(scratch, kept)
        if isinstance(exc, papermill.PapermillExecutionError):
            return RunOutcome(RunFailure(run, parameters, f"{exc.ename}: {exc.evalue}", _failed_cell(kept, exc), kept))
        # a kernel that died or never started: still one line for the report
        return RunOutcome(RunFailure(run, parameters, f"{type(exc).__name__}: {exc}", None, kept))
    postprocess(scratch, parameters, run.source)
    copy_if_changed(scratch, run.output)  # lands whole, by rename
    scratch.unlink()
    return RunOutcome(figures=export_figures(run.output))
