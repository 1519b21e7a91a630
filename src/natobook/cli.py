"""Command line: a thin front door over ingest, schema and pipeline (click does the parsing)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from natobook.build.interrupts import Interrupted
from natobook.errors import SHOWN_PROBLEMS, DataError, NatobookError

ALLOW_MISSING = (
    "Read a workbook with blank cells where NATO prints values for the other Allies, "
    "with a warning naming each (without: an error)."
)


@click.group()
def cli() -> None:
    """Build and check the NATO defence-spending book."""


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--edition", required=True, help="Data edition, e.g. 2024-06 (year-month of NATO's release).")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Tidy CSV to write.")
@click.option("--allow-missing", is_flag=True, help=ALLOW_MISSING)
def ingest(workbook: Path, edition: str, output: Path, allow_missing: bool) -> None:
    """Read NATO's defence-expenditure WORKBOOK (.xlsx) into one tidy, validated CSV."""
    from natobook.data import ingest as ingest_module
    from natobook.data import tidy_csv

    frame = ingest_module.ingest_workbook(workbook, edition, allow_missing)
    tidy_csv.write_tidy_csv(frame, output)
    click.echo(f"wrote {len(frame)} rows to {output}")


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
def validate(file: Path) -> None:
    """Check a tidy CSV against the schema; print every problem with file, row and column."""
    from natobook.data import schema

    frame = schema.read_tidy_csv(file)
    click.echo(f"{file}: {len(frame)} rows, valid")


@cli.command()
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=None,
    help="NATO's workbook (.xlsx, needs --edition) or a tidy CSV; default: the parameter set's data.",
)
@click.option(
    "--edition", default=None, help="Edition to build, YYYY-MM; default: the parameter set's, or the latest in --data."
)
@click.option(
    "--report-year",
    type=int,
    default=None,
    help="Year the pages report on; default: the parameter set's, or the latest in --data.",
)
@click.option(
    "--params",
    "params_file",
    type=click.Path(path_type=Path),
    default=Path("data/params/ar2024.yml"),
    show_default=True,
    help="Parameter set: which notebooks to run, with which parameters.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default=True,
    help="Notebooks executed at once (and Sphinx's parallel jobs).",
)
@click.option("--force", is_flag=True, help="Ignore the cache: execute every notebook and rebuild every page.")
@click.option("--allow-missing", is_flag=True, help=ALLOW_MISSING)
@click.option(
    "--prune-cache",
    is_flag=True,
    help="After the build, remove every cache entry it did not use "
    "(without: entries unused for 30 days, and the oldest beyond 512 MB).",
)
@click.option(
    "--wait",
    is_flag=True,
    help="If another build of this book is running, wait for it to end (without: stop with a message).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Execute the notebooks on the dask.distributed cluster of this scheduler (e.g. tcp://host:8786), "
    "whose workers see the book at the same path; needs requirements-dask.txt.",
)
def build(
    data: Path | None,
    edition: str | None,
    report_year: int | None,
    params_file: Path,
    jobs: int,
    force: bool,
    allow_missing: bool,
    prune_cache: bool,
    wait: bool,
    scheduler: str | None,
) -> None:
    """Validate the data, execute the notebooks, build the book and publish it to _build/html.

    Unchanged notebooks come from the cache (.natobook-cache/); with nothing changed at all, the
    published site is kept as it is.
    """
    from natobook.build import dataset, interrupts, pipeline

    params_file = _in_the_book(params_file)
    with interrupts.guard():
        choice = dataset.Choice(data, edition, report_year, allow_missing)
        result = pipeline.build(
            params_file, jobs, force=force, choice=choice, wait=wait, prune=prune_cache, scheduler=scheduler
        )
    runs = f"{result.executed} notebook(s) executed, {result.cached} from the cache"
    if result.published:
        click.echo(f"{runs}; published {result.site.name}: open _build/html/index.html")
    else:
        click.echo(f"{runs}; nothing changed, {result.site.name} stays published: open _build/html/index.html")
    click.echo(f"time: {result.timing()}", err=True)


def _in_the_book(path: Path) -> Path:
    """A relative path as given from the working folder, else from the book's root: `build` works from any folder."""
    from natobook import paths

    if path.is_absolute() or path.exists() or not (paths.ROOT / path).exists():
        return path
    return paths.ROOT / path


@cli.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("_build/pdf/book.pdf"), show_default=True)
def pdf(output: Path) -> None:
    """Print the whole book (after `build`) to one PDF with headless Chromium."""
    from natobook.build import pdf as pdf_module

    click.echo(f"wrote {pdf_module.build_pdf(output)}")


@cli.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("_build/figures"), show_default=True)
def figures(output: Path) -> None:
    """Export every figure (after `build`) as SVG, PNG (2x) and PDF, with its CSV."""
    from natobook import paths
    from natobook.build import figures as figures_module

    names = figures_module.export_all(paths.CHAPTERS, output)
    click.echo(f"exported {len(names)} figures to {output}")


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except Interrupted as exc:
        click.echo(f"\n{exc}", err=True)
        sys.stdout.flush()
        # Not sys.exit: at exit Python joins the worker pool's threads, which can wait forever on the workers
        # just stopped. Everything a stopped build must undo is undone by now.
        os._exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except NatobookError as exc:
        click.echo(f"error: {exc}{_full_list_logged(exc)}", err=True)
        sys.exit(1)
    except OSError as exc:
        if exc.filename is None:  # not about a file the user can do something about: a bug, with its traceback
            raise
        click.echo(
            f"error: {exc.filename}: {exc.strerror}; expected a file or folder the build can read and "
            f"write: check that it exists and its permissions",
            err=True,
        )
        sys.exit(1)


def _full_list_logged(exc: NatobookError) -> str:
    """When the message counts problems rather than listing them all: write them all to the build log."""
    from natobook import paths

    if not isinstance(exc, DataError) or len(exc.problems) <= SHOWN_PROBLEMS:
        return ""
    log = paths.BUILD / "logs" / "problems.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(exc.listing() + "\n", encoding="utf-8")
    except OSError:
        return ""  # an unwritable build folder: the counts must do
    return f"\nthe full list: {log}"
