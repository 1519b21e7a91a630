"""Rebuilding the book from scratch, in copies of the source tree (natobook.build.sourcetree) run with
PYTHONPATH=<copy>/src, so that their builds, caches and sites stay inside the copy:

* a build killed with SIGKILL while notebooks execute leaves the published site byte-identical and no
  half-written notebook in chapters/; the next build publishes a new site;
* that rebuild gives the same executed notebooks (timing metadata aside) and the same site, byte for byte,
  as the main tree's own build (`make book`, which `make test` runs first) of the same sources;
* a new Ally whose name in the data is markup is shown as text on every page that names it, in Chromium.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import nbformat
import pandas as pd
import psutil
import pytest
from sitekit import serve, site_pages
from test_partial_data import rebased
from test_site_browser import KNOWN_CONSOLE_NOISE

from natobook import nbtools, paths
from natobook.analysis import indicators
from natobook.build import cache, cachekey, execute, params, pipeline, publish
from natobook.build.sourcetree import copy_book
from natobook.data import schema, tidy_csv

PARAMS = paths.PARAMS / "ar2024.yml"
# Papermill's and nbclient's clocks: when each notebook and cell ran, different in every run by nature.
TIMING_KEYS = ("start_time", "end_time", "duration")
SHOWN_DIFFERENCES = 3  # files whose diff the failure message shows
DIFF_LINES = 40


# --- Building in a copy ---------------------------------------------------------------------------------------


def build_env(book: Path) -> dict[str, str]:
    """The copy's natobook first on the path; no build, cache or figure folder from outside, so all stay in the copy."""
    outside = ("NATOBOOK_BUILD_DIR", "NATOBOOK_CACHE_DIR", "NATOBOOK_FIGURES_DIR")
    return {k: v for k, v in os.environ.items() if k not in outside} | {"PYTHONPATH": str(book / "src")}


def build_command(*options: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "natobook",
        "build",
        "--params",
        str(PARAMS.relative_to(paths.ROOT)),
        "--jobs",
        "2",
        *options,
    ]


def run_build(book: Path, *options: str, timeout: float = 900) -> subprocess.CompletedProcess:
    result = subprocess.run(
        build_command(*options), cwd=book, env=build_env(book), capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"build in {book} failed:\n{result.stdout}\n{result.stderr[-4000:]}"
    return result


def seed_published_site(book: Path, site: Path) -> None:
    """A byte copy of `site` published in the copy as the main tree publishes: _build/site-* and the html link."""
    build = book / "_build"
    build.mkdir()
    shutil.copytree(site, build / site.name, symlinks=True)
    (build / "html").symlink_to(site.name)


def published_bytes(build: Path) -> dict[str, bytes]:
    """The published site: where the html link points, and every file there with its bytes (links as targets)."""
    site = build / os.readlink(build / "html")
    files = {
        str(path.relative_to(site)): os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_symlink() or path.is_file()
    }
    return {"html ->": os.readlink(build / "html").encode()} | files


# --- The copy, and figure files that do not vary ---------------------------------------------------------------


def test_the_copy_holds_the_sources_and_git_but_nothing_a_build_writes(tmp_path):
    book = copy_book(tmp_path / "book", with_git=True)
    assert (book / ".git" / "HEAD").is_file() and (book / "src" / "natobook" / "build" / "pipeline.py").is_file()
    assert (
        {p.name for p in (book / "notebooks").glob("*.md")} == {p.name for p in paths.NOTEBOOKS.glob("*.md")} != set()
    )
    written = [
        str(p.relative_to(book))
        for p in book.rglob("*")
        if p.name in {"_build", ".natobook-cache", ".venv", "__pycache__", "vega-bundle.js"}
        or (p.suffix == ".ipynb" and p.is_relative_to(book / "chapters"))
    ]
    assert not written, written
    assert not (copy_book(tmp_path / "no-git") / ".git").exists()


def test_a_chart_gives_the_same_pdf_bytes_every_time():
    """vl-convert's own PDF of one chart varies from call to call (hash-map order); the exported one must not."""
    import pypdf
    import vl_convert

    from natobook.build import figures

    spec = {
        "title": "A bold title",
        "data": {"values": [{"x": x, "y": x * x} for x in range(6)]},
        "mark": {"type": "bar", "opacity": 0.7},
        "encoding": {"x": {"field": "x", "type": "ordinal"}, "y": {"field": "y", "type": "quantitative"}},
    }
    credit = ["Source: a test."]
    exported = {figures.render(spec, credit)["pdf"] for _ in range(4)}
    assert len(exported) == 1
    canonical = pypdf.PdfReader(io.BytesIO(exported.pop()))
    svg = figures.with_credit(vl_convert.vegalite_to_svg(figures.with_units(spec)), credit)
    raw = pypdf.PdfReader(io.BytesIO(vl_convert.svg_to_pdf(svg)))
    assert canonical.pages[0].extract_text() == raw.pages[0].extract_text()
    assert canonical.pages[0].get_contents().get_data() == raw.pages[0].get_contents().get_data()


# --- Killing a build in the middle ---------------------------------------------------------------------------


def kernels_of(process: psutil.Process) -> list[psutil.Process]:
    with contextlib.suppress(psutil.Error):
        return [
            child for child in process.children(recursive=True) if "ipykernel_launcher" in " ".join(child.cmdline())
        ]
    return []


def wait_until_notebooks_execute(build: subprocess.Popen, book: Path, log: Path, timeout: float = 300) -> None:
    """Until at least one notebook has landed in chapters/ and a kernel is running another: a kill then hits
    the build in the middle of its notebooks, with landed results to check. Polls; never a fixed sleep."""
    deadline = time.monotonic() + timeout
    process = psutil.Process(build.pid)
    while time.monotonic() < deadline:
        assert build.poll() is None, f"the build ended before it was killed:\n{log.read_text()[-3000:]}"
        if any((book / "chapters").rglob("*.ipynb")) and kernels_of(process):
            return
        time.sleep(0.1)
    pytest.fail(f"no notebook executed within {timeout} s:\n{log.read_text()[-3000:]}")


def kill_build(build: subprocess.Popen) -> list[psutil.Process]:
    """SIGKILL the build's process group and the kernels, which jupyter_client starts in sessions of their own.
    The group is stopped first, so that no worker starts a kernel between listing the tree and killing it."""
    os.killpg(build.pid, signal.SIGSTOP)
    tree = psutil.Process(build.pid).children(recursive=True)
    os.killpg(build.pid, signal.SIGKILL)
    for process in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    build.wait(timeout=60)
    return tree


def still_running(processes: list[psutil.Process], timeout: float = 30) -> list[psutil.Process]:
    """The processes still alive after `timeout` (a zombie is dead: only its parent's reaping is left)."""

    def alive(process: psutil.Process) -> bool:
        with contextlib.suppress(psutil.NoSuchProcess):
            return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
        return False

    deadline = time.monotonic() + timeout
    while (left := [p for p in processes if alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def half_written(chapters: Path) -> list[str]:
    """Notebooks in chapters/ that are not whole, executed and post-processed, each with the reason."""
    problems = []
    for path in sorted(chapters.rglob("*.ipynb")):
        try:
            notebook = nbformat.read(path, as_version=4)
            nbformat.validate(notebook)
        except Exception as exc:  # truncated JSON or an invalid notebook: either way half-written
            problems.append(f"{path}: {type(exc).__name__}: {exc}")
            continue
        recorded = notebook.metadata.get("papermill", {})
        unexecuted = [
            cell.get("id")
            for cell in notebook.cells
            if cell.cell_type == "code" and cell.source.strip() and cell.execution_count is None
        ]
        injected = [cell for cell in notebook.cells if execute.INJECTED_TAG in cell.metadata.get("tags", [])]
        if recorded.get("end_time") is None or recorded.get("exception"):
            problems.append(f"{path}: papermill did not finish it ({recorded.get('exception')})")
        elif unexecuted:
            problems.append(f"{path}: cells not executed: {unexecuted}")
        elif not injected or "remove-cell" not in injected[0].metadata.tags:
            problems.append(f"{path}: not post-processed (injected parameters not hidden)")
    return problems


# --- Is the main tree's build of its current sources? --------------------------------------------------------


def main_build_staleness() -> list[str]:
    """Why the main tree's executed notebooks or published site were not built from its sources as they are now.

    A difference between the rebuild and the main build then means nothing: the main build is stale (an edit
    since `make book`), not the build nondeterministic. Notebooks: the one in chapters/ must be the cache's entry
    for the key of the current sources (the key covers everything that determines an executed notebook).
    Site: published.json's book fingerprint (every input of the book build) must be today's.
    """
    pset = params.load(PARAMS)
    context = cachekey.KeyContext.of(pset.data)
    stale = []
    for run in params.expand(pset, schema.read_tidy_csv(pset.data)):
        key = cachekey.cache_key(run, pipeline.notebook_parameters(run, pset), context)
        cached = cache.cache_entry(key) / "notebook.ipynb"
        if not (run.output.is_file() and cached.is_file() and run.output.read_bytes() == cached.read_bytes()):
            stale.append(f"{run.output.relative_to(paths.ROOT)} was not executed from the current sources")
    state = json.loads((paths.BUILD / publish.PUBLISHED_STATE).read_text(encoding="utf-8"))
    if state.get("fingerprint") != publish.book_fingerprint() or paths.SITE.resolve().name != state.get("site"):
        stale.append("the published site was not built from the current sources and notebooks")
    return stale


def assert_main_build_current() -> None:
    stale = main_build_staleness()
    assert not stale, (
        "the main tree's build is stale, so comparing with it proves nothing; run `make book` "
        "first (make test does):\n  " + "\n  ".join(stale[:10])
    )


# --- Comparing two builds --------------------------------------------------------------------------------------


def without_timing(data: bytes) -> str:
    """An executed notebook as text without papermill's and nbclient's clocks (when it ran, how long)."""
    notebook = json.loads(data)
    timed = [notebook["metadata"].get("papermill", {})]
    for cell in notebook["cells"]:
        cell["metadata"].pop("execution", None)
        timed.append(cell["metadata"].get("papermill", {}))
    for metadata in timed:
        for key in TIMING_KEYS:
            metadata.pop(key, None)
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False)


def comparable(name: str, data: bytes) -> str | bytes:
    return without_timing(data) if name.endswith(".ipynb") else data


def differences(expected: dict[str, bytes], actual: dict[str, bytes], label: str) -> list[str]:
    """Each file that is missing, extra or different, with a unified diff for text: [] when the trees agree."""
    found = [f"{name}: only in the main build" for name in sorted(expected.keys() - actual.keys())]
    found += [f"{name}: only in the rebuild" for name in sorted(actual.keys() - expected.keys())]
    for name in sorted(expected.keys() & actual.keys()):
        before, after = comparable(name, expected[name]), comparable(name, actual[name])
        if before != after:
            found.append(f"{label}/{name} differs:\n{diff_snippet(before, after)}")
    return found


def diff_snippet(before: str | bytes, after: str | bytes) -> str:
    try:
        before, after = (text if isinstance(text, str) else text.decode("utf-8") for text in (before, after))
    except UnicodeDecodeError:
        return f"    binary, {len(before)} bytes in the main build, {len(after)} in the rebuild"
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), "main build", "rebuild", lineterm="", n=2)
    return "\n".join(line[:300] for line in list(lines)[:DIFF_LINES])


def tree_files(root: Path, pattern: str = "*") -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob(pattern)) if path.is_file()}


def assert_same(expected: dict[str, bytes], actual: dict[str, bytes], label: str) -> None:
    found = differences(expected, actual, label)
    names = [difference.split(":", 1)[0] for difference in found]
    assert not found, (
        f"{len(found)} file(s) of {label} differ between the main build and the rebuild of the "
        f"same sources ({', '.join(names)}); the first:\n\n" + "\n\n".join(found[:SHOWN_DIFFERENCES])
    )


# --- The test --------------------------------------------------------------------------------------------------


def kill_a_forced_build(book: Path, log: Path) -> list[psutil.Process]:
    """Start `build --force` in the copy, in a process group of its own, and SIGKILL it while notebooks execute;
    returns the processes it had (all killed)."""
    with open(log, "w") as out:
        build = subprocess.Popen(
            build_command("--force"),
            cwd=book,
            env=build_env(book),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_notebooks_execute(build, book, log)
        return kill_build(build)
    finally:
        if build.poll() is None:  # the wait failed: leave nothing running
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()


@pytest.mark.build
def test_a_killed_build_leaves_the_site_and_the_rebuild_equals_the_main_build(tmp_path):
    assert_main_build_current()  # before paying for two builds
    book = copy_book(tmp_path / "book", with_git=True)  # .git: the provenance page shows the commit and its time
    seed_published_site(book, paths.SITE.resolve())
    before = published_bytes(book / "_build")

    killed = kill_a_forced_build(book, tmp_path / "killed-build.log")
    assert not still_running(killed), "processes of the killed build (kernels?) are still running"
    assert published_bytes(book / "_build") == before, "the killed build changed the published site"
    problems = half_written(book / "chapters")
    assert not problems, "\n".join(problems)

    run_build(book)
    published = book / "_build" / os.readlink(book / "_build" / "html")
    assert published.name != before["html ->"].decode() and (published / "index.html").is_file(), "nothing published"

    assert_main_build_current()  # nobody rebuilt or edited the main tree meanwhile
    assert_same(tree_files(paths.CHAPTERS, "*.ipynb"), tree_files(book / "chapters", "*.ipynb"), "chapters")
    assert_same(tree_files(paths.SITE.resolve()), tree_files(published), "the site")


# --- A later release, built with one command ------------------------------------------------------------------

LATER_EDITION = "2099-06"  # a release data/editions.yml does not describe yet
MARKUP_NAME = "<img src=x onerror=alert(1)>"  # were it markup, the browser would load x and run the handler
NEW_ALLY = "IRL"  # a real country code that src/natobook/data/allies.csv does not list
KEPT_ALLIES = ("USA", "DEU", "POL")  # with the aggregates: enough for every chapter, and a short build
# What NATO's press summaries carry: shares of GDP, spending in current and constant prices, real change, GDP.
# No spending categories (the equipment chapter), no per-head figures, no personnel, no Table 4.
SOME_INDICATORS = (
    indicators.SHARE_OF_GDP,
    "defexp_usd_current",
    "defexp_usd_const2021",
    "defexp_real_change",
    "gdp_usd_current",
)
# Pages that must show the new Ally's name; every other page whose HTML holds it (the sidebar lists the Ally's page
# under its name on every page) is checked too, for markup that ran, and the search for the name.
NAMING_PAGES = ("chapters/countries.html", f"chapters/countries/{NEW_ALLY.lower()}.html", "chapters/share_of_gdp.html")
SEARCH = f"search.html?q={urllib.parse.quote(MARKUP_NAME)}"
CHARTS_DRAWN = "() => [...document.querySelectorAll('.natobook-chart')].every(chart => chart.querySelector('svg'))"
SEARCH_DONE = "() => (document.querySelector('#search-results')?.innerText || '').includes('Search finished')"


def later_release(path: Path) -> Path:
    """TEST FIXTURE: a release a year later than June 2024's, in constant 2021 prices (test_partial_data.rebased),
    with only some indicators, for a few Allies and the aggregates, plus a new Ally whose name is markup
    (shares of GDP and spending made from the United States' rows: a tenth of the share, 0.2% of the spending)."""
    real = schema.read_tidy_csv(paths.TIDY_CSV)
    moved = rebased(real[real["edition"] == "2024-06"]).assign(edition=LATER_EDITION)
    kept = moved[(moved["iso3"].isin(KEPT_ALLIES) | (moved["iso3"] == "")) & moved["indicator"].isin(SOME_INDICATORS)]
    template = kept[(kept["iso3"] == "USA") & kept["indicator"].isin([indicators.SHARE_OF_GDP, "defexp_usd_current"])]
    scale = template["indicator"].map({indicators.SHARE_OF_GDP: 0.1, "defexp_usd_current": 0.002})
    new_ally = template.assign(country=MARKUP_NAME, iso3=NEW_ALLY, value=(template["value"] * scale).round(2))
    tidy_csv.write_tidy_csv(pd.concat([kept, new_ally], ignore_index=True), path)
    return path


@pytest.fixture(scope="module")
def later_release_site(tmp_path_factory) -> Path:
    """The book built, as the README says, with `build --data` alone: edition and report year are the data's latest."""
    book = copy_book(tmp_path_factory.mktemp("later") / "book")
    data = later_release(book / "data" / "later-release.csv")
    run_build(book, "--data", str(data.relative_to(book)))
    return (book / "_build" / "html").resolve()


def visit(browser, url: str, ready: str = CHARTS_DRAWN) -> dict:
    """What a page does in Chromium until it is `ready` (a JavaScript predicate): dialogs, requests, console
    errors, and then its visible text and any img[src=x] (the name's markup, had it become an element)."""
    page = browser.new_page()
    seen = {"dialogs": [], "requests": [], "errors": []}
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", lambda message: message.type == "error" and seen["errors"].append(message.text))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_function(ready, timeout=30_000)
        seen["text"] = page.inner_text("body")
        seen["injected_images"] = page.locator('img[src="x"]').count()
    finally:
        page.close()
    seen["errors"] = [e for e in seen["errors"] if not any(noise.search(e) for noise in KNOWN_CONSOLE_NOISE)]
    return seen


def markup_ran(seen: dict, shown: bool) -> list[str]:
    """What shows that the name became markup on a page, or (`shown`: the page must show it) is not its text."""
    problems = [f"{len(seen['dialogs'])} dialog(s): {seen['dialogs']}"] if seen["dialogs"] else []
    problems += [f"{seen['injected_images']} img[src=x] element(s)"] if seen["injected_images"] else []
    problems += [f"requested {url}" for url in seen["requests"] if url.split("?")[0].endswith("/x")]
    problems += [f"console error: {error}" for error in seen["errors"]]
    if shown and MARKUP_NAME not in seen["text"]:
        problems.append("the name is not shown as text")
    return problems


@pytest.mark.build
@pytest.mark.browser
def test_a_new_allys_name_from_the_data_is_text_never_markup(later_release_site, browser):
    site = later_release_site
    naming = [page for page in site_pages(site) if b"onerror=alert(1)" in (site / page).read_bytes()]
    assert set(NAMING_PAGES) <= set(naming), f"pages that should name the new Ally do not: {naming}"
    with serve(site) as base:
        problems = {
            page: found
            for page in naming
            if (found := markup_ran(visit(browser, f"{base}/{page}"), shown=page in NAMING_PAGES))
        }
        if found := markup_ran(visit(browser, f"{base}/{SEARCH}", ready=SEARCH_DONE), shown=True):
            problems[SEARCH] = found
    assert not problems, f"the new Ally's name {MARKUP_NAME!r} is not plain text:\n" + "\n".join(
        f"  {page}: {'; '.join(found)}" for page, found in problems.items()
    )


@pytest.mark.build
@pytest.mark.browser
def test_a_later_release_with_another_price_base_and_some_indicators_builds_an_honest_book(later_release_site, browser):
    with serve(later_release_site) as base:
        landing = visit(browser, f"{base}/index.html")
        spending = visit(browser, f"{base}/chapters/europe_canada.html")
        equipment = visit(browser, f"{base}/chapters/equipment.html")
    for seen in (landing, spending, equipment):
        assert not seen["errors"], seen["errors"]
        assert f"edition {LATER_EDITION}" in seen["text"]  # the footer of every page
    # The landing page: the edition (labelled as not yet described), and the latest year, one later than June 2024's.
    assert LATER_EDITION in landing["text"] and "2025" in landing["text"]
    assert "not described in data/editions.yml" in landing["text"]
    # Amounts in the release's own price base, never the old one.
    assert "constant 2021 prices" in spending["text"] and "2015 prices" not in spending["text"]
    # The equipment chapter needs the spending categories this release lacks: a note, not a blank or a crash.
    assert nbtools.NOTE in equipment["text"] and "equipment" in equipment["text"].lower()
