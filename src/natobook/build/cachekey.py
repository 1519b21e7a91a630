"""The cache key of a run: a digest of everything that determines its executed notebook and the files it writes."""

from __future__ import annotations

import hashlib
import importlib.metadata
import inspect
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import natobook
from natobook import paths
from natobook.build import execute, notebook_imports, provenance
from natobook.build import params as params_module
from natobook.build.runs import relative_to_book

CACHE_FORMAT = 3  # bump when the layout of a cache entry changes (2: figure exports; 3: sha256 of each file)
# Files a notebook may read besides those its parameters name: the natobook package reads
# data/editions.yml, data/published/, data/events.csv; citation reads CITATION.cff. All of data/ is
# keyed (erring towards re-running) except the parameter sets, whose values are keyed directly, and the file given
# with `build --data` (say data/raw/<new>.xlsx), whose edition reaches the notebooks as a file named by its content
# and keyed by it: the same data under another name keeps every key.
SHARED_INPUTS = ("data", "CITATION.cff")
NOT_SHARED_INPUTS = ("data/params",)
SCRATCH_FOLDERS = {"__pycache__", ".ipynb_checkpoints"}


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
    return hashlib.sha256("\n".join([sys.version, execute.KERNEL, *installed]).encode()).hexdigest()


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
        "output": relative_to_book(run.output),
        "parameters": parameters,
        "files_named_by_parameters": _files_named_by(parameters, run.source.parent),
        "data": context.data,
        "shared_inputs": context.shared_inputs,
        "runtime": context.runtime,
        "natobook_source": context.natobook_source(run.source),
        "postprocess": hashlib.sha256(inspect.getsource(execute.postprocess).encode()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
