"""Benchmark the build engine against letting Jupyter Book execute the notebooks itself; write bench/RESULTS.md.

Everything runs in a scratch copy of the repository (sources only), so the real site, cache and data are
untouched: the copy's `natobook` is imported through PYTHONPATH, which makes it the book's root.

Each round measures, in this order:
  baseline  the same notebooks, parameters injected by papermill (not executed), built by
            `jupyter-book build` with `execute_notebooks: force` (JB executes them, one after another),
            into an empty output folder, then the figure downloads the site links made from the specs
            Jupyter Book glued (the engine makes them in its workers); preparing the notebooks is not timed
  cold      `natobook build` with empty caches: no .natobook-cache, no Sphinx work folder, no executed notebooks
  nothing   the same command again, nothing changed
  edit      after appending a sentence to one narrative page (index.md)
  data      after changing one value in the data file (every notebook's cache key changes)
Wall time, CPU time of the build and all its descendants (getrusage RUSAGE_CHILDREN), and peak memory:
the largest sum of resident memory over the build's process tree, and the largest single process (both
sampled every 0.1 s with psutil). Medians over the rounds.

Then the heaviest page of the built site: its HTML, the chart data inside it, the CSVs it links, and the
time until every chart on it has drawn in Chromium.

    .venv/bin/python bench/bench.py [--runs 3] [--jobs N] [--params data/params/ar2024.yml]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import yaml
from sections import RESULTS, replace_head

from natobook.build.sourcetree import copy_book

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"
# Issue #16's targets: (scenario, reference, measure, at most). Each ratio is taken within a round, then the median.
TARGETS = (
    ("cold", "baseline", "wall", 0.35),
    ("data", "baseline", "wall", 0.3),
    ("cold", "baseline", "cpu", 0.6),
    ("nothing", "cold", "wall", 0.03),
    ("edit", "cold", "wall", 0.10),
)
PAGE_DRAWN_TARGET_S = 1.0
VERSIONS = (
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "papermill",
    "nbclient",
    "ipykernel",
    "pandas",
    "altair",
    "vl-convert-python",
    "pandera",
)
EDITED_PAGE = "index.md"


@dataclass
class Measure:
    wall: float
    cpu: float
    tree_peak_mb: float
    process_peak_mb: float


def copy_sources(target: Path) -> None:
    """Sources only (natobook.build.sourcetree): what a clone has, plus the untracked data the book needs; no .git."""
    copy_book(target, with_git=False, root=REPO)


def measured(commands: list[list[str]], env: dict, cwd: Path, log: Path) -> Measure:
    """Run `commands` one after the other as one measurement, sampling the memory of each one's process tree;
    raise with the log's tail if one fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = [0.0, 0.0]  # process tree, largest process
    start = time.perf_counter()
    with open(log, "w") as out:
        for command in commands:
            process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
            done = threading.Event()
            threading.Thread(target=_sample_tree, args=(process.pid, peak, done), daemon=True).start()
            code = process.wait()
            done.set()
            if code:
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
                raise SystemExit(f"failed ({code}): {' '.join(command)}\n{tail}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measure(wall, cpu, peak[0] / 2**20, peak[1] / 2**20)


def _sample_tree(pid: int, peak: list[float], done: threading.Event) -> None:
    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    while not done.is_set():
        sizes = []
        try:
            for process in [root, *root.children(recursive=True)]:
                try:
                    sizes.append(process.memory_info().rss)
                except psutil.Error:
                    pass
        except psutil.Error:
            return
        peak[0] = max(peak[0], sum(sizes))
        peak[1] = max(peak[1], max(sizes, default=0))
        time.sleep(0.1)


class Bench:
    def __init__(self, scratch: Path, params: str, jobs: int):
        self.root = scratch / "book"
        self.logs = scratch / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.params, self.jobs = params, jobs
        self.env = os.environ | {
            "PYTHONPATH": str(self.root / "src"),
            "NATOBOOK_BUILD_DIR": str(self.root / "_build"),
            "NATOBOOK_CACHE_DIR": str(self.root / ".natobook-cache"),
        }
        self.count = 0
        self.steps: dict[str, str] = {}  # the build's own account of its steps, last round

    def build(self, name: str) -> Measure:
        self.count += 1
        command = [str(PYTHON), "-m", "natobook", "build", "--params", self.params, "--jobs", str(self.jobs)]
        log = self.logs / f"{self.count:02d}-{name}.log"
        measure = measured([command], self.env, self.root, log)
        self.steps[name] = next(
            (line[len("time: ") :] for line in log.read_text().splitlines() if line.startswith("time: ")), ""
        )
        return measure

    def empty_caches(self) -> None:
        for folder in ("_build", ".natobook-cache", "chapters/countries", "chapters/figures"):
            shutil.rmtree(self.root / folder, ignore_errors=True)
        for path in [*(self.root / "chapters").glob("*.ipynb"), self.root / "_static" / "vega-bundle.js"]:
            path.unlink(missing_ok=True)

    def edit_page(self, round_number: int) -> None:
        with open(self.root / EDITED_PAGE, "a", encoding="utf-8") as page:
            page.write(f"\nA sentence added by the benchmark, round {round_number}.\n")

    def change_data(self, round_number: int) -> None:
        """Raise one printed value slightly (Albania's 2014 spending in national currency): still valid data."""
        path = self.root / yaml.safe_load((self.root / self.params).read_text())["data"]
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for index, line in enumerate(lines):
            if line.startswith("2024-06,Albania,ALB,2014,defexp_ncu_current,"):
                fields = line.split(",")
                fields[5] = f"{float(fields[5]) + round_number:.1f}"
                lines[index] = ",".join(fields)
                break
        else:
            raise SystemExit(f"{path}: the row the benchmark edits is missing")
        path.write_text("".join(lines), encoding="utf-8")

    def baseline(self) -> Measure:
        """Jupyter Book executing the same notebooks itself (execute_notebooks: force), from scratch."""
        self.count += 1
        prepare = self.logs / f"{self.count:02d}-baseline-prepare.log"
        subprocess.run(
            [str(PYTHON), "-c", PREPARE_FOR_JUPYTER_BOOK, self.params],
            env=self.env,
            cwd=self.root,
            stdout=open(prepare, "w"),
            stderr=subprocess.STDOUT,
            check=True,
        )
        config = yaml.safe_load((self.root / "_config.yml").read_text())
        config["execute"] = {"execute_notebooks": "force", "timeout": 600}
        config_path = self.root.parent / "baseline-config.yml"
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True))
        output = self.root.parent / "baseline-out"
        shutil.rmtree(output, ignore_errors=True)
        book = [
            str(PYTHON.parent / "jupyter-book"),
            "build",
            str(self.root),
            "--path-output",
            str(output),
            "--config",
            str(config_path),
            "-W",
            "-n",
            "--keep-going",
        ]
        exports = [
            str(PYTHON),
            "-c",
            EXPORT_FROM_JUPYTER_BOOK,
            str(output / "_build" / "jupyter_execute"),
            str(output / "_build" / "html" / "figures"),
            str(self.jobs),
        ]
        return measured([book, exports], self.env, self.root, self.logs / f"{self.count:02d}-baseline.log")


# Run inside the copy: write each notebook of the set where the pipeline writes it, with its parameters
# injected by papermill but not executed (and, as the pipeline does, the injected cell hidden and the
# markdown placeholders filled); data_path is absolute, since Jupyter Book runs a notebook in its own folder.
PREPARE_FOR_JUPYTER_BOOK = """
import os, sys
import papermill
from natobook import paths
from natobook.build import execute, jupyterbook, params, pipeline, textnotebook
from natobook.data import schema
pset = params.load(sys.argv[1])
runs = params.expand(pset, schema.read_tidy_csv(pset.data))
pipeline.remove_stale_outputs(pset, runs)
jupyterbook.ensure_vega_bundle()
for run in runs:
    parameters = pipeline.notebook_parameters(run, pset)
    if "data_path" in parameters:
        parameters["data_path"] = str(pset.data)
    run.output.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(textnotebook.read_source(run.source), str(run.output), parameters=parameters,
                               kernel_name="python3", prepare_only=True, progress_bar=False)
    execute.postprocess(run.output, parameters, run.source)
print(len(runs), "notebooks prepared")
"""


def page_weight(site: Path, page: Path) -> dict:
    """A page's HTML, the chart specifications inside it, data files its charts load, and CSVs it links."""
    text = page.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    specs = [decoder.raw_decode(text, match.end())[0] for match in re.finditer(r"natobookChart\(el, ", text)]
    urls = {url for spec in specs for url in _data_urls(spec)}
    csvs = set(re.findall(r'href="([^"]+\.csv)"', text))

    def size(href: str) -> int:
        path = (page.parent / href).resolve()
        return path.stat().st_size if path.is_file() and path.is_relative_to(site) else 0

    return {
        "page": str(page.relative_to(site)),
        "html": len(text.encode()),
        "charts": len(specs),
        "specs": sum(len(json.dumps(spec).encode()) for spec in specs),
        "data_urls": sum(size(u) for u in urls),
        "csvs": len(csvs),
        "csv_bytes": sum(size(c) for c in csvs),
    }


def _data_urls(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["url"]] if isinstance(node.get("url"), str) else []
        return found + [url for value in node.values() for url in _data_urls(value)]
    if isinstance(node, list):
        return [url for value in node for url in _data_urls(value)]
    return []


# The site links SVG, PNG, PDF and CSV under every figure (natobook.site.figurelines): the baseline makes them too,
# with natobook.build.figures as the engine does, from the specs Jupyter Book's glue keeps (*.glue.json), `jobs`
# threads at a time as natobook.build.figures.export_all does.
EXPORT_FROM_JUPYTER_BOOK = """
import json, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from natobook.build import figures
from natobook.charts.style import SPEC_MIMETYPE
executed, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
specs = {name: output["data"][SPEC_MIMETYPE] for glue in executed.rglob("*.glue.json")
         for name, output in json.loads(glue.read_text()).items()
         if name.startswith("fig-") and SPEC_MIMETYPE in output.get("data", {})}
with ThreadPoolExecutor(max_workers=jobs) as pool:
    # The same credit lines as the engine's but for the page (unknown here) and edition (not recorded by glue).
    list(pool.map(lambda item: figures.export_figure(*item, out, figures.credit_lines(item[0], None, item[0])),
                  specs.items()))
print(len(specs), "figures exported")
"""


def heaviest_page(site: Path) -> dict:
    """The page with the most HTML plus data, and the time until every chart on it has drawn in Chromium."""
    weights = [page_weight(site, p) for p in site.rglob("*.html") if "_static" not in p.parts]
    heaviest = max(weights, key=lambda w: w["html"] + w["data_urls"] + w["csv_bytes"])
    return heaviest | chart_draw_times(site, heaviest["page"])


def chart_draw_times(site: Path, page_path: str, loads: int = 5) -> dict:
    sys.path.insert(0, str(REPO / "tests"))
    from playwright.sync_api import sync_playwright
    from sitekit import CHROMIUM, CHROMIUM_ARGS, serve

    times, transferred = [], 0
    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(loads):
            context = browser.new_context()  # an empty browser cache each time
            page = context.new_page()
            page.goto(f"{base}/{page_path}", wait_until="commit")
            page.wait_for_function(
                "() => { const c = [...document.querySelectorAll('.natobook-chart')];"
                " return document.readyState === 'complete' && c.length > 0"
                " && c.every(e => e.querySelector('svg .role-mark')); }",
                polling=20,
                timeout=60_000,
            )
            times.append(page.evaluate("() => performance.now()"))
            transferred = page.evaluate(
                "() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]"
                ".reduce((sum, entry) => sum + (entry.encodedBodySize || 0), 0)"
            )
            context.close()
        browser.close()
    return {
        "draw_ms": statistics.median(times),
        "draw_min_ms": min(times),
        "draw_max_ms": max(times),
        "draw_loads": loads,
        "transferred": transferred,
    }


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = psutil.virtual_memory().total / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def median_of(measures: list[Measure]) -> Measure:
    return Measure(
        *(
            statistics.median(getattr(m, f) for m in measures)
            for f in ("wall", "cpu", "tree_peak_mb", "process_peak_mb")
        )
    )


def write_results(results: dict[str, list[Measure]], page: dict, info: dict) -> None:
    medians = {name: median_of(runs) for name, runs in results.items()}
    rows = {
        "cold": "Cold build, empty caches",
        "nothing": "Rebuild, nothing changed",
        "edit": f"Rebuild after editing one narrative page ({EDITED_PAGE})",
        "data": "Rebuild after changing the data file",
        "baseline": "Baseline: Jupyter Book executes the notebooks (`execute_notebooks: force`), then figure exports",
    }
    lines = [
        "# Build benchmark",
        "",
        f"Measured {info['date']} by `make bench` (`bench/bench.py`), {info['runs']} rounds, medians shown. "
        f"{info['notebooks']} notebooks (parameter set `{info['params']}`), `--jobs {info['jobs']}`.",
        "",
        "**Noise.** This machine is shared, and others' work may run beside the benchmark: the load average was "
        f"{info['load_before']} before and {info['load_after']} after the run (2 cores; the benchmark alone keeps "
        "it near 2). Each round "
        "runs every scenario, the baseline included, so the noise falls on all of them alike; the single runs are in "
        "the table at the end.",
        "",
        "## Machine and versions",
        "",
        f"- CPU: {info['machine']['cpu']}, {info['machine']['cores']} cores; memory {info['machine']['memory_gb']:.1f} GiB",
        f"- OS: {info['machine']['os']}; Python {info['machine']['python']}",
        "- " + ", ".join(f"{name} {version}" for name, version in info["versions"].items()),
        "",
        "## Results (medians)",
        "",
        "| scenario | wall (s) | CPU (s) | peak memory, process tree (MB) | peak memory, largest process (MB) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, label in rows.items():
        m = medians[name]
        lines.append(f"| {label} | {m.wall:.1f} | {m.cpu:.1f} | {m.tree_peak_mb:.0f} | {m.process_peak_mb:.0f} |")
    lines += ["", "Where the time of the last round went, as the build reports it:", ""]
    lines += [f"- {rows[name]}: {info['steps'][name]}" for name in rows if info["steps"].get(name)]
    lines += [
        "",
        "## Against the targets",
        "",
        "Each ratio is taken within a round (both sides ran minutes apart), then the median of the rounds, with their "
        "spread.",
        "",
        "| ratio | measured (median) | spread over the rounds | target | met? |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, reference, measure, target in TARGETS:
        ratios = sorted(
            getattr(run, measure) / getattr(base, measure) for run, base in zip(results[name], results[reference])
        )
        ratio = statistics.median(ratios)
        lines.append(
            f"| {name} / {reference} ({'wall' if measure == 'wall' else 'CPU'} time) | {ratio:.3f} | "
            f"{ratios[0]:.3f}-{ratios[-1]:.3f} | ≤ {target:g} | {'yes' if ratio <= target else '**no**'} |"
        )
    drawn = page["draw_ms"] / 1000
    lines += [
        f"| heaviest page, all charts drawn | {drawn:.2f} s | {page['draw_min_ms'] / 1000:.2f}-"
        f"{page['draw_max_ms'] / 1000:.2f} s | ≤ {PAGE_DRAWN_TARGET_S:g} s | "
        f"{'yes' if drawn <= PAGE_DRAWN_TARGET_S else '**no**'} |",
        "",
        "## Heaviest page",
        "",
        f"`{page['page']}` (largest HTML plus data of all pages): {page['html'] / 1024:.0f} KiB of HTML, of which "
        f"{page['specs'] / 1024:.0f} KiB are its {page['charts']} chart specifications with their data inline; "
        f"{page['data_urls'] / 1024:.0f} KiB of data files its charts load; {page['csvs']} linked CSV download(s), "
        f"{page['csv_bytes'] / 1024:.1f} KiB. Opening it transfers {page['transferred'] / 2**20:.2f} MiB in all, "
        "theme and the 0.9 MB chart library `_static/vega-bundle.js` included (loaded only by pages with charts, cached by "
        "the browser after the first).",
        "",
        f"All its charts have drawn {page['draw_ms'] / 1000:.2f} s after navigation starts (median of "
        f"{page['draw_loads']} loads in Chromium, each with an empty browser cache, served from loopback).",
        "",
        "## Every run",
        "",
        "| round | " + " | ".join(rows) + " |",
        "| --- |" + " ---: |" * len(rows),
    ]
    for index in range(info["runs"]):
        lines.append(f"| {index + 1} | " + " | ".join(f"{results[name][index].wall:.1f} s" for name in rows) + " |")
    lines += ["", "Wall time per run; logs of the last benchmark are in the scratch folder it names when it ends.", ""]
    replace_head(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--params", default="data/params/ar2024.yml")
    options = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="natobook-bench-"))
    copy_sources(scratch / "book")
    bench = Bench(scratch, options.params, options.jobs)
    load_before = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    results: dict[str, list[Measure]] = {name: [] for name in ("cold", "nothing", "edit", "data", "baseline")}
    for round_number in range(1, options.runs + 1):
        bench.empty_caches()
        results["baseline"].append(bench.baseline())
        bench.empty_caches()
        results["cold"].append(bench.build("cold"))
        results["nothing"].append(bench.build("nothing"))
        bench.edit_page(round_number)
        results["edit"].append(bench.build("edit"))
        bench.change_data(round_number)
        results["data"].append(bench.build("data"))
        print(f"round {round_number}: " + ", ".join(f"{n} {r[-1].wall:.1f} s" for n, r in results.items()), flush=True)
    page = heaviest_page((bench.root / "_build" / "html").resolve())
    notebooks = sum(1 for _ in (bench.root / "chapters").rglob("*.ipynb"))
    info = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "runs": options.runs,
        "jobs": options.jobs,
        "params": options.params,
        "notebooks": notebooks,
        "machine": machine(),
        "versions": {name: importlib.metadata.version(name) for name in VERSIONS},
        "load_before": load_before,
        "load_after": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
        "steps": bench.steps,
    }
    write_results(results, page, info)
    (scratch / "results.json").write_text(
        json.dumps(
            {name: [m.__dict__ for m in runs] for name, runs in results.items()} | {"page": page, "info": info},
            indent=1,
        )
    )
    print(f"wrote {RESULTS}; logs and raw numbers in {scratch}")


if __name__ == "__main__":
    main()
