"""The build: validate data, execute notebooks with papermill, build the book, publish atomically.

Execution. Every notebook of the parameter set is executed by papermill, `jobs` at a time, in
worker processes. A cache (`.natobook-cache/`) keyed by everything that determines a notebook's
output (its source, its parameters, the data and the files it reads, the installed packages and
the natobook package) means an unchanged notebook is never executed twice: a hit copies the
stored executed notebook, and the figure files its page links, into place. `force` ignores it.
Failures are collected: every notebook that can run does, then each failure is reported with
its notebook, parameters, cell and error, and nothing is published.

Book. jupyter-book builds in a work folder that persists between builds, so Sphinx re-reads only
changed pages; every page is rewritten each time (cross-page glue and references stay right),
and a failed or forced build starts from a fresh environment. When nothing the book reads has
changed since the published site was built, the book build is skipped altogether.

Publishing: the book is built in a work folder, copied to `editions/<edition>/` of a fresh
`_build/site-<stamp>` beside the editions published before (linked in unchanged) and, when it is the newest
edition, to its root (natobook.build.editionsite); `_build/html` (a symlink) is switched to it with one atomic
rename. A failure at any step before that switch leaves the previously published site exactly as it was.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import importlib.metadata
import inspect
import json
import multiprocessing
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill
from tqdm import tqdm

import natobook
from natobook import paths
from natobook.build import (
    buildlock,
    dataset,
    editionsite,
    figures,
    interrupts,
    notebook_imports,
    provenance,
    textnotebook,
)
from natobook.build import params as params_module
from natobook.data import missing
from natobook.errors import NatobookError
from natobook.pages import paragraphs

KERNEL = "python3"
CELL_TIMEOUT_SECONDS = 600
# Kernels started side by side can race for the same port ("Address already in use") and die before
# answering; a second start picks new ports. Only that error is retried: a cell's error never is.
KERNEL_DIED_AT_START = "Kernel died before replying to kernel_info"
KERNEL_START_ATTEMPTS = 2
INJECTED_TAG = "injected-parameters"
CACHE_FORMAT = 3  # bump when the layout of a cache entry changes (2: figure exports; 3: sha256 of each file)
ENTRY_RECORD = "run.json"  # in each cache entry: what ran, its figures, and the sha256 of each file
CACHE_KEEP_DAYS = 30  # entries unused for this long are removed after a build
# and the least recently used beyond this size (a full build's entries take about 50 MB)
CACHE_MAX_BYTES = 512 * 2**20
CACHE = Path(os.environ.get("NATOBOOK_CACHE_DIR", paths.CACHE))
FIGURE_EXPORTS = paths.BUILD / "figures"  # SVG, PNG, PDF and CSV of every figure; the site links them
# The values the data lacks that `--allow-missing` accepted, for the site to name (natobook.site.accepted_blanks).
ACCEPTED_BLANKS = Path("data") / "accepted-blanks.json"  # in the build folder
# Files a notebook may read besides those its parameters name: the natobook package reads
# data/editions.yml, data/published/, data/events.csv; citation reads CITATION.cff. All of data/ is
# keyed (erring towards re-running) except the parameter sets, whose values are keyed directly, and the file given
# with `build --data` (say data/raw/<new>.xlsx), whose edition reaches the notebooks as a file named by its content
# and keyed by it: the same data under another name keeps every key.
SHARED_INPUTS = ("data", "CITATION.cff")
NOT_SHARED_INPUTS = ("data/params",)
# A copy in progress beside its target (copy_if_changed), named .<name>.<pid><suffix>.
PARTIAL_SUFFIX = ".partial"
# Links in a page's markdown to files a notebook wrote (the CSV behind each figure): {download}`text <path>`.
DOWNLOAD_LINK = re.compile(r"\{download\}`(?:[^`<]*<([^>`]+)>|([^`]+))`")
# What the book reads, for "nothing changed": the source tree without these.
NOT_BOOK_INPUTS = {
    ".git",
    ".venv",
    "_build",
    ".natobook-cache",
    ".pytest_cache",
    ".ruff_cache",
    "notebooks",
    "tests",
    "bench",
    "node_modules",
}
SCRATCH_FOLDERS = {"__pycache__", ".ipynb_checkpoints"}
# jupyter-book's own build (jupyter_book.cli.main.build) with Sphinx's parallel jobs, which its CLI does not offer.
# Two extensions jupyter-book loads do not declare themselves parallel-safe, and Sphinx's warning about that
# fails a -W build. Both are: sphinx_multitoc_numbering only replaces TocTreeCollector.assign_section_numbers
# (run in the main process after reading); sphinx_jupyterbook_latex adds per-document transforms and
# LaTeX-only settings. So the runner declares them safe.
SPHINX_RUNNER = """
import importlib, json, sys
from jupyter_book.sphinx import build_sphinx
for name in ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex"):
    module = importlib.import_module(name)
    module.setup = (lambda setup: lambda app: {**(setup(app) or {}), "parallel_read_safe": True,
                                               "parallel_write_safe": True})(module.setup)
a = json.loads(sys.argv[1])
overrides = {"external_toc_path": a["toc"], "latex_individualpages": False, "nitpicky": True,
             "natobook_accepted_blanks": a["accepted_blanks"]}
result = build_sphinx(a["source"], a["output"], use_external_toc=True, noconfig=True, path_config=a["config"],
                      confoverrides=overrides, builder="html", warningiserror=True, keep_going=True,
                      freshenv=a["fresh"], force_all=True, jobs=a["jobs"])
sys.exit(1 if isinstance(result, Exception) else int(result or 0))
"""


class BuildError(NatobookError):
    """The build stopped; the published site was not touched."""


# --- What a run is, and how it failed ---


@dataclass(frozen=True)
class Planned:
    """A run with the parameters papermill receives and its cache key."""

    run: params_module.NotebookRun
    parameters: dict
    key: str

    @property
    def label(self) -> str:
        return _rel(self.run.output)


@dataclass(frozen=True)
class RunFailure:
    run: params_module.NotebookRun
    parameters: dict
    error: str
    cell: str | None = None  # "cell 5 (id cell-04)" when the error came from a cell
    kept: Path | None = None  # the partly executed notebook, for reading the traceback

    def __str__(self) -> str:
        lines = [
            f"{_rel(self.run.source)} -> {_rel(self.run.output)}",
            f"    parameters: {json.dumps(self.parameters, sort_keys=True, default=str)}",
            f"    {self.cell + ': ' if self.cell else ''}{self.error}",
        ]
        if self.kept:
            lines.append(f"    executed notebook kept at {self.kept}")
        return "\n".join(lines)


@dataclass(frozen=True)
class RunOutcome:
    """What one execution gave: a failure, or the names of the figures its notebook glues (exported)."""

    failure: RunFailure | None = None
    figures: tuple[str, ...] = ()


@dataclass
class ExecutionReport:
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failures: list[RunFailure] = field(default_factory=list)
    figures: set[str] = field(default_factory=set)  # every figure of the set's pages


def _rel(path: Path) -> str:
    try:
        return str(Path(path).relative_to(paths.ROOT))
    except ValueError:
        return str(path)


# --- Parameters ---


def notebook_parameters(run: params_module.NotebookRun, pset: params_module.ParameterSet) -> dict:
    """The set-wide parameters the notebook declares, then the run's own (which win)."""
    declared = papermill.inspect_notebook(textnotebook.read_source(run.source))
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


# --- The cache key ---


def tree_digest(root: Path, tops: tuple[str, ...], skip: tuple[str, ...] = ()) -> str:
    """sha256 over the relative paths and contents of every file under `tops` (files or folders) of `root`,
    leaving out the relative paths in `skip` and Python's and Jupyter's scratch folders."""
    digest = hashlib.sha256()
    for top in tops:
        start = root / top
        files = [start] if start.is_file() else sorted(p for p in start.rglob("*") if p.is_file())
        for path in files:
            relative = path.relative_to(root)
            posix = relative.as_posix()
            if SCRATCH_FOLDERS & set(relative.parts) or any(posix == s or posix.startswith(f"{s}/") for s in skip):
                continue
            digest.update(f"{posix}\0{provenance.sha256(path)}\n".encode())
    return digest.hexdigest()


def runtime_versions() -> str:
    """Every installed distribution with its version, the Python version and the kernel: one digest."""
    installed = sorted(f"{d.metadata['Name'].lower()}=={d.version}" for d in importlib.metadata.distributions())
    return hashlib.sha256("\n".join([sys.version, KERNEL, *installed]).encode()).hexdigest()


@dataclass(frozen=True)
class KeyContext:
    """The parts of every cache key that are the same for all runs of one build."""

    data: str
    shared_inputs: str
    runtime: str
    # notebook source -> digest of the package files its execution depends on (notebook_imports), once per build
    _natobook_sources: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, data: Path, given: Path | None = None) -> KeyContext:
        """`data`: the file the notebooks read; `given`: the file named on the command line, if any."""
        root = paths.ROOT.resolve()
        inside = given is not None and given.resolve().is_relative_to(root)
        not_shared = NOT_SHARED_INPUTS + ((given.resolve().relative_to(root).as_posix(),) if inside else ())
        return cls(
            data=provenance.sha256(data),
            shared_inputs=tree_digest(
                paths.ROOT, tuple(t for t in SHARED_INPUTS if (paths.ROOT / t).exists()), not_shared
            ),
            runtime=runtime_versions(),
        )

    def natobook_source(self, source: Path) -> str:
        """The package files the notebook imports (transitively): editing the build machinery, the Sphinx
        extensions or another chapter's chart leaves its executed notebook in the cache."""
        if source not in self._natobook_sources:
            package_src = Path(natobook.__file__).resolve().parents[1]
            self._natobook_sources[source] = notebook_imports.digest(source, package_src)
        return self._natobook_sources[source]


def _files_named_by(parameters: dict, folder: Path) -> dict[str, str]:
    """sha256 of each file a string parameter names (relative to the notebook's folder), e.g. data_path."""
    named = {}
    for name, value in sorted(parameters.items()):
        if isinstance(value, str) and value and (folder / value).is_file():
            named[name] = provenance.sha256(folder / value)
    return named


def cache_key(run: params_module.NotebookRun, parameters: dict, context: KeyContext) -> str:
    """sha256 of everything that determines the executed notebook (and the files it writes)."""
    content = {
        "format": CACHE_FORMAT,
        "notebook": provenance.sha256(run.source),
        "output": _rel(run.output),
        "parameters": parameters,
        "files_named_by_parameters": _files_named_by(parameters, run.source.parent),
        "data": context.data,
        "shared_inputs": context.shared_inputs,
        "runtime": context.runtime,
        "natobook_source": context.natobook_source(run.source),
        "postprocess": hashlib.sha256(inspect.getsource(postprocess).encode()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


# --- The cache: .natobook-cache/<key[:2]>/<key>/{notebook.ipynb, files/...} ---


def copy_if_changed(source: Path, target: Path) -> bool:
    """Copy unless `target` already holds the same bytes (an untouched file keeps Sphinx's incremental state)."""
    if (
        target.is_file()
        and target.stat().st_size == source.stat().st_size
        and target.read_bytes() == source.read_bytes()
    ):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}{PARTIAL_SUFFIX}")
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except BaseException:  # an interrupt included: no partial copy stays beside the target
        tmp.unlink(missing_ok=True)
        raise
    return True


def linked_files(notebook_path: Path) -> list[Path]:
    """Files in chapters/ that the page's markdown links with {download} (written by the notebook)."""
    cells = json.loads(notebook_path.read_text(encoding="utf-8"))["cells"]  # plain JSON: no need to validate again
    found = []
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for match in DOWNLOAD_LINK.finditer(source):
            target = (notebook_path.parent / (match.group(1) or match.group(2)).strip()).resolve()
            if target.is_file() and target.is_relative_to(paths.CHAPTERS.resolve()):
                found.append(target)
    return sorted(set(found))


def cache_entry(key: str) -> Path:
    return CACHE / key[:2] / key


def cache_store(planned: Planned, figure_names: tuple[str, ...] = ()) -> None:
    """Keep the executed notebook, the files its page links and its figure exports; written whole or not at all."""
    entry = cache_entry(planned.key)
    if entry.exists():
        return
    entry.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=entry.parent, prefix=".tmp-"))
    try:
        _stage_entry(planned, figure_names, staging)
        try:
            os.rename(staging, entry)
        except OSError:  # another build stored the same entry meanwhile
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:  # an interrupt included: no half-staged entry stays in the cache
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _stage_entry(planned: Planned, figure_names: tuple[str, ...], staging: Path) -> None:
    shutil.copyfile(planned.run.output, staging / "notebook.ipynb")
    for path in linked_files(planned.run.output):
        relative = path.relative_to(paths.CHAPTERS.resolve())
        (staging / "files" / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, staging / "files" / relative)
    for path in _exports_of(figure_names):
        (staging / "exports").mkdir(exist_ok=True)
        shutil.copyfile(path, staging / "exports" / path.name)
    (staging / ENTRY_RECORD).write_text(
        json.dumps(
            {
                "source": _rel(planned.run.source),
                "output": planned.label,
                "parameters": planned.parameters,
                "figures": list(figure_names),
                "sha256": _entry_digests(staging),
            },
            sort_keys=True,
            indent=1,
            default=str,
        )
    )


def _entry_digests(entry: Path) -> dict[str, str]:
    """sha256 of every file of a cache entry but its record, by path within the entry."""
    return {
        path.relative_to(entry).as_posix(): provenance.sha256(path)
        for path in sorted(entry.rglob("*"))
        if path.is_file() and path.name != ENTRY_RECORD
    }


def _intact_record(entry: Path) -> dict | None:
    """The entry's record if every file it lists is there with the bytes stored, and no other; else None."""
    try:
        record = json.loads((entry / ENTRY_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if record.get("sha256") == _entry_digests(entry) else None


def cache_restore(planned: Planned) -> tuple[str, ...] | None:
    """Copy a cached result into place and return the names of its figures; None when there is none, or when
    the entry's files are not the bytes stored (a damaged entry is removed: the notebook executes again)."""
    entry = cache_entry(planned.key)
    notebook = entry / "notebook.ipynb"
    if not notebook.is_file():
        return None
    if (record := _intact_record(entry)) is None:
        print(f"cache entry {_rel(entry)} is damaged: removed, {planned.label} executes again", file=sys.stderr)
        shutil.rmtree(entry, ignore_errors=True)
        return None
    files = entry / "files"
    for path in sorted(files.rglob("*")) if files.is_dir() else []:
        if path.is_file():
            copy_if_changed(path, paths.CHAPTERS / path.relative_to(files))
    exports = entry / "exports"
    for path in sorted(exports.iterdir()) if exports.is_dir() else []:
        copy_if_changed(path, FIGURE_EXPORTS / path.name)
    copy_if_changed(notebook, planned.run.output)
    os.utime(entry)  # last used now: pruning keeps it
    return tuple(record.get("figures", ()))


def _entry_bytes(entry: Path) -> int:
    return sum(path.stat().st_size for path in entry.rglob("*") if path.is_file())


def prune_cache(
    keep_days: float = CACHE_KEEP_DAYS, only: set[str] | None = None, max_bytes: int = CACHE_MAX_BYTES
) -> int:
    """Remove entries no build has used for `keep_days` (old data, old code), every entry whose key is not in
    `only` when given (`build --prune-cache`), then the least recently used until the rest fits in `max_bytes`;
    returns how many were removed."""
    cutoff = time.time() - keep_days * 86400
    entries = sorted((entry for entry in CACHE.glob("??/*") if entry.is_dir()), key=lambda e: e.stat().st_mtime)
    unwanted = (lambda entry: entry.name not in only) if only is not None else (lambda entry: False)
    removed = [entry for entry in entries if entry.stat().st_mtime < cutoff or unwanted(entry)]
    kept = [(entry, _entry_bytes(entry)) for entry in entries if entry not in removed]
    total = sum(size for _, size in kept)
    for entry, size in kept:  # oldest first
        if total <= max_bytes:
            break
        removed.append(entry)
        total -= size
    for entry in removed:
        shutil.rmtree(entry, ignore_errors=True)
    return len(removed)


def export_figures(notebook_path: Path) -> tuple[str, ...]:
    """SVG, PNG and PDF of every figure the executed notebook glues, and its CSV, into FIGURE_EXPORTS (the site
    links them under each figure: see natobook.site.sphinxext); returns the figures' names."""
    return tuple(figures.export_notebook(notebook_path, FIGURE_EXPORTS))


def _exports_of(figure_names: tuple[str, ...]) -> list[Path]:
    candidates = [FIGURE_EXPORTS / f"{name}.{fmt}" for name in figure_names for fmt in (*figures.FORMATS, "csv")]
    return [path for path in candidates if path.is_file()]


# --- Executing one notebook (in a worker process) ---

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


# --- Progress ---


class Progress:
    """A tqdm bar on a terminal (postfix: done, running, failed, and the runs in progress); plain lines otherwise."""

    def __init__(self, total: int, enabled: bool | None = None):
        self.interactive = sys.stderr.isatty() if enabled is None else enabled
        self.total, self.done, self.failed = total, 0, 0
        self.running: list[str] = []
        tqdm.monitor_interval = 0  # no monitor thread: the worker pool forks after the bar exists
        self.bar = tqdm(
            total=total,
            desc="notebooks",
            unit="nb",
            file=sys.stderr,
            disable=not self.interactive,
            dynamic_ncols=True,
            leave=True,
        )

    def _refresh(self) -> None:
        names = ", ".join(Path(label).stem for label in self.running)
        self.bar.set_postfix_str(f"done {self.done}, running {len(self.running)}, failed {self.failed} [{names}]")

    def started(self, label: str) -> None:
        self.running.append(label)
        self._refresh()

    def finished(self, label: str, outcome: str) -> None:
        if label in self.running:
            self.running.remove(label)
        self.done += 1
        self.failed += outcome == "FAILED"
        if self.interactive:
            if outcome == "FAILED":
                self.bar.write(f"FAILED {label}", file=sys.stderr)
            self.bar.update(1)
            self._refresh()
        else:
            print(
                f"[{self.done:>{len(str(self.total))}}/{self.total}] {outcome:<8} {label}", file=sys.stderr, flush=True
            )

    def close(self) -> None:
        self.bar.close()


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
        restored = None if force else cache_restore(item)
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
    report.failures.sort(key=lambda failure: _rel(failure.run.output))
    return report


class LocalPool:
    """The notebook runs in worker processes forked from the build, `workers` at a time."""

    def __init__(self, workers: int):
        context = multiprocessing.get_context("fork")
        self.started = context.Queue()  # inherited by the forked workers: the runs they start, for the progress bar
        self.executor = ProcessPoolExecutor(
            max_workers=max(1, workers),
            mp_context=context,
            initializer=_init_worker,
            initargs=(self.started, paths.BUILD / "logs" / "kernels.log"),
        )

    def submit(self, item: Planned) -> Future:
        return self.executor.submit(execute, item.run, item.parameters, item.label, paths.BUILD / "logs" / "failed")

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
    return execute(run, parameters, label, failed_dir)


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
                cache_store(item, outcome.figures)
                report.executed.append(item.label)
                report.figures.update(outcome.figures)
            progress.finished(item.label, "FAILED" if outcome.failure else "executed")
    if side_task:
        side_task.result()


def remove_partial_outputs() -> None:
    """After stopped workers: their scratch notebooks and any copy they had begun beside its target."""
    shutil.rmtree(paths.BUILD / "executing", ignore_errors=True)
    for folder in (paths.CHAPTERS, FIGURE_EXPORTS, paths.STATIC):
        for path in folder.rglob(f".*{PARTIAL_SUFFIX}") if folder.is_dir() else []:
            path.unlink(missing_ok=True)


# --- Planning ---


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
    planned = []
    for run in runs:
        parameters = notebook_parameters(run, pset)
        planned.append(Planned(run, parameters, cache_key(run, parameters, context)))
    return planned


# --- The book ---


def book_fingerprint() -> str:
    """A digest of everything the book build reads: the source tree (executed notebooks included), the runtime,
    and the commit and its time, which every page's footer names (a new commit with the same files still gets
    pages that say so)."""
    tops = sorted(p.name for p in paths.ROOT.iterdir() if p.name not in NOT_BOOK_INPUTS)
    inside = paths.BUILD.resolve().is_relative_to(paths.ROOT.resolve())
    skip = (paths.BUILD.resolve().relative_to(paths.ROOT.resolve()).as_posix(),) if inside else ()
    record = paths.BUILD / ACCEPTED_BLANKS
    accepted = provenance.sha256(record) if record.is_file() else ""
    stamp = provenance.build_stamp()
    read = f"{tree_digest(paths.ROOT, tuple(tops), skip)}{runtime_versions()}{accepted}{stamp['commit']}{stamp['time']}"
    return hashlib.sha256(read.encode()).hexdigest()


def ensure_vega_bundle() -> None:
    """_static/vega-bundle.js for the installed Altair and vl-convert; generated once per version pair (2 s)."""
    from natobook.charts import style

    versions = "-".join(importlib.metadata.version(p) for p in ("altair", "vl-convert-python"))
    stored = CACHE / f"vega-bundle-{versions}.js"
    if not stored.is_file():
        with tempfile.TemporaryDirectory() as scratch:
            copy_if_changed(style.write_vega_bundle(Path(scratch)), stored)  # whole, even if the build is stopped
    copy_if_changed(stored, paths.STATIC / "vega-bundle.js")


def _problems(log_text: str, limit: int = 30) -> str:
    lines = log_text.splitlines()
    flagged = [line for line in lines if "WARNING" in line or "ERROR" in line or "Error" in line]
    return "\n".join((flagged or lines)[-limit:])


def build_book(work_dir: Path, jobs: int, fresh: bool) -> Path:
    """Sphinx (as jupyter-book configures it) with warnings as errors; returns the built html folder.

    The environment in `work_dir` is reused unless `fresh`, or the last build there did not finish;
    a failure removes it, so the next build reads every page again and reports every warning.
    """
    complete = work_dir / ".complete"
    if fresh or not complete.exists():
        shutil.rmtree(work_dir, ignore_errors=True)
    complete.unlink(missing_ok=True)
    log_path = paths.BUILD / "logs" / "jupyter-book.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    arguments = {
        "source": str(paths.ROOT),
        "output": str(work_dir / "_build" / "html"),
        "config": str(paths.ROOT / "_config.yml"),
        "toc": (paths.ROOT / "_toc.yml").as_posix(),
        "fresh": False,
        "jobs": max(1, jobs),
        "accepted_blanks": str(paths.BUILD / ACCEPTED_BLANKS),
    }
    with open(log_path, "w", encoding="utf-8") as log:
        result = subprocess.run(
            [sys.executable, "-c", SPHINX_RUNNER, json.dumps(arguments)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=paths.ROOT,
        )
    if result.returncode != 0:
        shutil.rmtree(work_dir, ignore_errors=True)
        problems = _problems(log_path.read_text(encoding="utf-8"))
        raise BuildError(f"jupyter-book build failed; the site was not published (full log: {log_path}):\n{problems}")
    complete.touch()
    return work_dir / "_build" / "html"


def publish(built_html: Path, edition: str) -> Path:
    """Assemble a new site folder, every edition held before beside the one built (natobook.build.editionsite),
    and switch `_build/html` to it in one atomic rename."""
    previous = paths.SITE.resolve() if paths.SITE.is_symlink() else None
    site = paths.BUILD / f"site-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    if site == previous:  # two publishes within a second: a name of its own, for the old site is still served
        site = site.with_name(f"{site.name}-{time.monotonic_ns()}")
    try:
        editionsite.assemble(site, built_html, FIGURE_EXPORTS, edition, previous)
    except BaseException:  # a half-assembled folder is never published, nor left behind
        shutil.rmtree(site, ignore_errors=True)
        raise
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


PUBLISHED_STATE = "published.json"  # in BUILD: which site is published, and the fingerprint it was built from


def published_site_if_current(fingerprint: str) -> Path | None:
    """The published site when it was built from exactly this source tree, else None."""
    try:
        state = json.loads((paths.BUILD / PUBLISHED_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    site = paths.BUILD / str(state.get("site", ""))
    current = paths.SITE.is_symlink() and paths.SITE.resolve() == site.resolve() and site.is_dir()
    return site if current and state.get("fingerprint") == fingerprint else None


def _record_published(site: Path, fingerprint: str) -> None:
    state = paths.BUILD / PUBLISHED_STATE
    tmp = state.with_name(f".{state.name}.{os.getpid()}")
    tmp.write_text(json.dumps({"site": site.name, "fingerprint": fingerprint}), encoding="utf-8")
    os.replace(tmp, state)


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
    print(f"data: {_rel(pset.data)}, edition {pset.edition}, report year {year}", file=sys.stderr, flush=True)
    planned = plan(pset, resolved.frame, given=choice.data)
    clock.lap("plan")
    bar = Progress(len(planned), enabled=progress)
    try:
        # the chart library is made (once per Altair version) while the notebooks run
        report = execute_all(planned, jobs, force, bar, alongside=ensure_vega_bundle, scheduler=scheduler)
    finally:
        bar.close()
    removed = prune_cache(only={item.key for item in planned} if prune else None)
    if prune:
        print(f"cache: {removed} entr{'y' if removed == 1 else 'ies'} no longer used removed", file=sys.stderr)
    clock.lap("notebooks")
    if report.failures:
        listing = "\n  ".join(str(failure) for failure in report.failures)
        raise BuildError(
            f"{len(report.failures)} of {len(planned)} notebook(s) failed; the site was not published:\n  {listing}"
        )
    if FIGURE_EXPORTS.is_dir():
        figures.remove_stale(FIGURE_EXPORTS, report.figures)  # a figure no page glues any more
    missing.write_record(resolved.accepted, paths.BUILD / ACCEPTED_BLANKS)  # for the book, which names them
    fingerprint = book_fingerprint()
    clock.lap("check")
    counts = (len(report.executed), len(report.cached))
    if not force and (site := published_site_if_current(fingerprint)):
        return BuildResult(site, False, *counts, clock.laps)
    built = build_book(paths.BUILD / ".work", jobs, fresh=force)
    clock.lap("book")
    with interrupts.deferred():  # the old site or the new one, never a switch without its record
        site = publish(built, pset.edition)
        _record_published(site, fingerprint)
    clock.lap("publish")
    return BuildResult(site, True, *counts, clock.laps)
