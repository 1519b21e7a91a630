"""Jupyter Book's Sphinx build, run one way for the site (html) and the PDF edition (singlehtml): in a process of
its own, `python -m natobook.build.jupyterbook <json arguments>`, with warnings as errors and nitpicky references;
a failure is turned into a readable message.

The runner calls jupyter-book's own build (jupyter_book.sphinx.build_sphinx, as `jupyter-book build` does) so that
it can pass Sphinx's parallel jobs, which jupyter-book's CLI does not offer, and the record of the values
`--allow-missing` accepted (natobook.site.accepted_blanks).
Before a build, `ensure_vega_bundle` puts the chart library the pages load in `_static/`.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from natobook import paths
from natobook.build import cache
from natobook.build.filecopy import copy_if_changed
from natobook.errors import NatobookError

MESSAGE_LINES = 30
# The values the data lacks that `--allow-missing` accepted, for the site to name (natobook.site.accepted_blanks).
ACCEPTED_BLANKS = Path("data") / "accepted-blanks.json"  # in the build folder
# Two extensions jupyter-book loads do not declare themselves parallel-safe, and Sphinx's warning about that
# fails a -W build. Both are: sphinx_multitoc_numbering only replaces TocTreeCollector.assign_section_numbers
# (run in the main process after reading); sphinx_jupyterbook_latex adds per-document transforms and
# LaTeX-only settings. So the runner declares them safe.
PARALLEL_SAFE_UNDECLARED = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


class BookBuildError(NatobookError):
    """jupyter-book failed; the message carries its warnings and errors, the log the rest."""

    def __init__(self, builder: str, log: Path, problems: list[str]):
        self.log, self.problems = log, problems
        super().__init__(f"jupyter-book build ({builder}) failed; full log: {log}\n  " + "\n  ".join(problems))


def _problems(log_text: str) -> list[str]:
    """The log's last warnings and errors, or its last lines when it flags none."""
    lines = log_text.splitlines()
    flagged = [line for line in lines if "WARNING" in line or "ERROR" in line or "Error" in line]
    return (flagged or lines)[-MESSAGE_LINES:]


def build(work_dir: Path, builder: str = "html", jobs: int = 1, fresh: bool = False) -> Path:
    """Build the book from the source tree into `work_dir` with Sphinx's `builder`; returns the built folder.

    The environment in `work_dir` is reused unless `fresh`, or the last build there did not finish;
    a failure removes it, so the next build reads every page again and reports every warning.
    """
    complete = work_dir / ".complete"
    if fresh or not complete.exists():
        shutil.rmtree(work_dir, ignore_errors=True)
    complete.unlink(missing_ok=True)
    log_path = paths.BUILD / "logs" / f"jupyter-book-{builder}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    arguments = {
        "source": str(paths.ROOT),
        "output": str(work_dir / "_build" / builder),
        "config": str(paths.ROOT / "_config.yml"),
        "toc": (paths.ROOT / "_toc.yml").as_posix(),
        "builder": builder,
        "jobs": max(1, jobs),
        "accepted_blanks": str(paths.BUILD / ACCEPTED_BLANKS),
    }
    with open(log_path, "w", encoding="utf-8") as log:
        result = subprocess.run(
            [sys.executable, "-m", __name__, json.dumps(arguments)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=paths.ROOT,
        )
    if result.returncode != 0:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise BookBuildError(builder, log_path, _problems(log_path.read_text(encoding="utf-8")))
    complete.touch()
    return work_dir / "_build" / builder


def ensure_vega_bundle() -> None:
    """_static/vega-bundle.js for the installed Altair and vl-convert; generated once per version pair (2 s)."""
    from natobook.charts import style

    versions = "-".join(importlib.metadata.version(p) for p in ("altair", "vl-convert-python"))
    stored = cache.CACHE / f"vega-bundle-{versions}.js"
    if not stored.is_file():
        with tempfile.TemporaryDirectory() as scratch:
            copy_if_changed(style.write_vega_bundle(Path(scratch)), stored)  # whole, even if the build is stopped
    copy_if_changed(stored, paths.STATIC / "vega-bundle.js")


def _declare_parallel_safe(name: str) -> None:
    module = importlib.import_module(name)
    setup = module.setup
    module.setup = lambda app: {**(setup(app) or {}), "parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str]) -> int:
    """The runner, in the process `build` starts: Sphinx as jupyter-book configures it; the exit status."""
    from jupyter_book.sphinx import build_sphinx

    for name in PARALLEL_SAFE_UNDECLARED:
        _declare_parallel_safe(name)
    a = json.loads(argv[0])
    overrides = {
        "external_toc_path": a["toc"],
        "latex_individualpages": False,
        "nitpicky": True,
        "natobook_accepted_blanks": a["accepted_blanks"],
    }
    result = build_sphinx(
        a["source"],
        a["output"],
        use_external_toc=True,
        noconfig=True,
        path_config=a["config"],
        confoverrides=overrides,
        builder=a["builder"],
        warningiserror=True,
        keep_going=True,
        freshenv=False,
        force_all=True,
        jobs=a["jobs"],
    )
    return 1 if isinstance(result, Exception) else int(result or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
