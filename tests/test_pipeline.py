"""The build engine: parameter sets with `foreach`, the cache key, cache hits and misses, collected failures,
the progress report, and "nothing changed" (the published site kept as it is).

Builds run with NATOBOOK_BUILD_DIR and NATOBOOK_CACHE_DIR in tmp_path, so the real site and cache are untouched.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from natobook import paths
from natobook.build import cache, cachekey, params, pipeline, pools, progress, publish
from natobook.build.runs import Planned
from natobook.errors import ParameterError

FIXTURES = Path(__file__).parent / "fixtures" / "pipeline"
TINY = FIXTURES / "tiny.ipynb"
RAISES = FIXTURES / "raises.ipynb"
CONTEXT = cachekey.KeyContext(data="data", shared_inputs="shared", runtime="runtime")


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under `root` (symlinks as their target) with its bytes: equal trees are byte-identical."""
    return {
        str(path.relative_to(root)): (os.readlink(path).encode() if path.is_symlink() else path.read_bytes())
        for path in sorted(root.rglob("*"))
        if path.is_symlink() or path.is_file()
    }


# --- The cache key ---------------------------------------------------------------------------------------


def key(source: Path = TINY, output: Path | None = None, context: cachekey.KeyContext = CONTEXT, **parameters) -> str:
    run = params.NotebookRun(source, output or paths.ROOT / "chapters" / "tiny.ipynb", parameters)
    return cachekey.cache_key(run, parameters, context)


def test_the_key_is_stable_and_ignores_the_order_of_parameters():
    assert key(code="a", factor=2) == key(factor=2, code="a")


def test_the_key_changes_with_each_parameter_value():
    keys = {key(code="a", factor=2), key(code="b", factor=2), key(code="a", factor=3), key(code="a")}
    assert len(keys) == 4


def test_the_key_changes_with_the_notebook_source(tmp_path):
    source = tmp_path / "tiny.ipynb"
    source.write_bytes(TINY.read_bytes())
    before = key(source)
    source.write_bytes(TINY.read_bytes().replace(b"factor * 2", b"factor * 3"))
    assert key(source) != before


@pytest.mark.parametrize("part", ["data", "shared_inputs", "runtime"])
def test_the_key_changes_with_the_data_inputs_and_packages(part):
    assert key(code="a") != key(code="a", context=dataclasses.replace(CONTEXT, **{part: "changed"}))


def test_the_key_changes_with_the_package_files_the_notebook_imports():
    imported_changed = dataclasses.replace(CONTEXT, _natobook_sources={TINY: "another digest of its imports"})
    assert key(code="a") != key(code="a", context=imported_changed)


def test_the_key_covers_the_files_parameters_name(tmp_path):
    """data_path is a parameter: the file it names is part of the key, whatever set-wide hash says."""
    source = tmp_path / "tiny.ipynb"
    source.write_bytes(TINY.read_bytes())
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    before = key(source, data_path="data.csv")
    (tmp_path / "data.csv").write_text("a,b\n1,3\n")
    assert key(source, data_path="data.csv") != before


def test_the_data_file_hash_is_its_content(tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    one.write_text("x\n1\n")
    two.write_text("x\n1\n")
    assert cachekey.KeyContext.of(one).data == cachekey.KeyContext.of(two).data
    two.write_text("x\n2\n")
    assert cachekey.KeyContext.of(one).data != cachekey.KeyContext.of(two).data


def test_package_versions_are_part_of_the_runtime_digest(monkeypatch):
    class Distribution:
        def __init__(self, version):
            self.metadata, self.version = {"Name": "pandas"}, version

    monkeypatch.setattr(cachekey.importlib.metadata, "distributions", lambda: [Distribution("3.1.1")])
    before = cachekey.runtime_versions()
    monkeypatch.setattr(cachekey.importlib.metadata, "distributions", lambda: [Distribution("3.1.2")])
    assert cachekey.runtime_versions() != before


# --- Cache hits and misses -----------------------------------------------------------------------------


def planned_tiny(sandbox: Path, **parameters) -> Planned:
    parameters = {"code": "XyZ", **parameters}
    run = params.NotebookRun(TINY, sandbox / "chapters" / "tiny.ipynb", parameters)
    return Planned(run, parameters, cachekey.cache_key(run, parameters, CONTEXT))


def quiet(total: int) -> progress.Progress:
    return progress.Progress(total, enabled=False)


@pytest.mark.build
def test_a_second_run_is_a_cache_hit_and_force_executes_again(sandbox):
    item = planned_tiny(sandbox)
    first = pools.execute_all([item], jobs=1, force=False, progress=quiet(1))
    assert (first.executed, first.cached, first.failures) == ([item.label], [], [])
    executed = item.run.output.read_bytes()

    item.run.output.unlink()
    second = pools.execute_all([item], jobs=1, force=False, progress=quiet(1))
    assert (second.executed, second.cached) == ([], [item.label])
    assert item.run.output.read_bytes() == executed

    forced = pools.execute_all([item], jobs=1, force=True, progress=quiet(1))
    assert (forced.executed, forced.cached) == ([item.label], [])


@pytest.mark.build
def test_a_changed_parameter_is_a_miss(sandbox):
    pools.execute_all([planned_tiny(sandbox)], jobs=1, force=False, progress=quiet(1))
    other = pools.execute_all([planned_tiny(sandbox, factor=5)], jobs=1, force=False, progress=quiet(1))
    assert len(other.executed) == 1 and not other.cached


@pytest.mark.build
def test_the_executed_notebook_hides_the_injected_cell_and_fills_placeholders(sandbox):
    item = planned_tiny(sandbox)
    pools.execute_all([item], jobs=1, force=False, progress=quiet(1))
    cells = nbformat.read(item.run.output, as_version=4).cells
    injected = [cell for cell in cells if "injected-parameters" in cell.metadata.get("tags", [])]
    assert len(injected) == 1 and "remove-cell" in injected[0].metadata["tags"]
    markdown = [cell.source for cell in cells if cell.cell_type == "markdown"]
    assert markdown[0] == "# Tiny XyZ"
    assert markdown[1] == "The figure is fig-xyz; {{ not_a_parameter }} stays."


def test_a_hit_restores_the_files_the_page_links_and_leaves_identical_files_alone(sandbox):
    item = planned_tiny(sandbox)
    figure = sandbox / "chapters" / "figures" / "fig-xyz.csv"
    figure.parent.mkdir(parents=True)
    figure.write_text("year,value\n2024,4.12\n")
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("{download}`Data behind this figure (CSV) <figures/fig-xyz.csv>`")]
    )
    nbformat.write(notebook, item.run.output)
    cache.cache_store(item)

    item.run.output.unlink()
    figure.unlink()
    assert cache.cache_restore(item) == ()
    assert figure.read_text() == "year,value\n2024,4.12\n"

    os.utime(figure, ns=(1, 1))  # an identical file is not rewritten: Sphinx sees no change
    assert cache.cache_restore(item) == ()
    assert figure.stat().st_mtime_ns == 1


def test_a_hit_restores_the_figure_exports_the_site_links(sandbox):
    item = planned_tiny(sandbox)
    exports = sandbox / "build" / "figures"
    exports.mkdir(parents=True)
    for fmt in ("svg", "png", "pdf", "csv"):
        (exports / f"fig-xyz.{fmt}").write_text(fmt)
    item.run.output.parent.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), item.run.output)
    cache.cache_store(item, ("fig-xyz",))
    shutil.rmtree(exports)
    assert cache.cache_restore(item) == ("fig-xyz",)
    assert sorted(p.name for p in exports.iterdir()) == ["fig-xyz.csv", "fig-xyz.pdf", "fig-xyz.png", "fig-xyz.svg"]


def test_entries_unused_for_a_month_are_pruned_and_a_hit_counts_as_use(sandbox):
    fresh, stale = planned_tiny(sandbox), planned_tiny(sandbox, factor=9)
    for item in (fresh, stale):
        item.run.output.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbformat.v4.new_notebook(), item.run.output)
        cache.cache_store(item)
        os.utime(cache.cache_entry(item.key), (1, 1))  # as if stored in 1970
    assert cache.cache_restore(fresh) is not None
    assert cache.prune_cache() == 1
    assert cache.cache_entry(fresh.key).is_dir() and not cache.cache_entry(stale.key).exists()


def test_no_entry_is_a_miss(sandbox):
    assert cache.cache_restore(planned_tiny(sandbox)) is None


# --- Failures are collected, reported, and publish nothing --------------------------------------------


def build_cli(params_file: Path, sandbox: Path, *extra: str) -> subprocess.CompletedProcess:
    env = os.environ | {"NATOBOOK_BUILD_DIR": str(sandbox / "build"), "NATOBOOK_CACHE_DIR": str(sandbox / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "natobook", "build", "--params", str(params_file), "--jobs", "2", *extra],
        capture_output=True,
        text=True,
        env=env,
        cwd=paths.ROOT,
        timeout=600,
    )


def write_params(sandbox: Path, notebooks: list[dict]) -> Path:
    path = sandbox / "params.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "edition": "2024-06",
                "data": "data/processed/nato_defence_expenditure.csv",
                "notebooks": notebooks,
            }
        )
    )
    return path


@pytest.mark.build
def test_failures_are_all_reported_and_the_published_site_stays_byte_identical(tmp_path):
    site = tmp_path / "build" / "site-before"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<p>the site published before</p>")
    (tmp_path / "build" / "html").symlink_to(site.name)
    before = tree_bytes(tmp_path / "build")
    out = tmp_path / "out"
    params_file = write_params(
        tmp_path,
        [
            {"source": str(TINY.relative_to(paths.ROOT)), "output": str(out / "tiny.ipynb")},
            {
                "source": str(RAISES.relative_to(paths.ROOT)),
                "output": str(out / "raises-xyz.ipynb"),
                "parameters": {"code": "xyz"},
            },
            {
                "source": str(RAISES.relative_to(paths.ROOT)),
                "output": str(out / "raises-uvw.ipynb"),
                "parameters": {"code": "uvw", "factor": 7},
            },
        ],
    )

    result = build_cli(params_file, tmp_path)

    assert result.returncode != 0
    report = result.stderr
    assert "2 of 3 notebook(s) failed; the site was not published" in report
    for code in ("xyz", "uvw"):
        assert f"tests/fixtures/pipeline/raises.ipynb -> {out / f'raises-{code}.ipynb'}" in report
        assert f'"code": "{code}"' in report
        assert f"ValueError: boom on purpose for {code}" in report
        assert not (out / f"raises-{code}.ipynb").exists()  # a failed run never lands in the book's sources
    assert '"factor": 7' in report
    assert report.count("(id cell-03): ValueError") == 2  # the cell that raised, by its stable id
    assert (out / "tiny.ipynb").is_file()  # the build ran every notebook it could
    assert (tmp_path / "build" / "logs" / "failed").is_dir()
    after = {
        name: data for name, data in tree_bytes(tmp_path / "build").items() if not name.startswith(("logs/", ".work/"))
    }
    assert after == before


# --- Parameter sets: foreach, placeholders, stale pages ------------------------------------------------


@pytest.fixture(scope="module")
def tidy():
    from natobook.data import schema

    return schema.read_tidy_csv(paths.TIDY_CSV)


def country_set(output: str = "chapters/countries/{{ iso3|lower }}.ipynb") -> params.ParameterSet:
    entries = (
        params.NotebookEntry(paths.NOTEBOOKS / "country_profile.md", output, {"first_year": 2014}, "ally"),
        params.NotebookEntry(paths.NOTEBOOKS / "country_no_armed_forces.md", output, {}, "ally_without_armed_forces"),
    )
    return params.ParameterSet("test", "2024-06", paths.TIDY_CSV, 2024, entries)


def test_foreach_gives_every_ally_with_armed_forces_a_profile_and_iceland_its_own_page(tidy):
    runs = params.expand(country_set(), tidy)
    profiles = [run for run in runs if run.source.name == "country_profile.md"]
    assert len(profiles) == 31  # NATO's 2024 tables: 31 Allies report defence expenditure
    poland = next(run for run in profiles if run.parameters["iso3"] == "POL")
    assert poland.output == paths.ROOT / "chapters/countries/pol.ipynb"
    assert poland.parameters == {"first_year": 2014, "iso3": "POL"}
    others = [run for run in runs if run.source.name == "country_no_armed_forces.md"]
    assert [run.parameters["iso3"] for run in others] == ["ISL"]


def test_a_new_ally_in_the_data_gets_a_page_and_a_removed_one_leaves_none(tidy, tmp_path):
    pset = country_set(str(tmp_path / "{{ iso3|lower }}.ipynb"))
    without_poland = tidy[tidy["iso3"] != "POL"]
    (tmp_path / "pol.ipynb").write_text("{}")
    (tmp_path / "deu.ipynb").write_text("{}")
    runs = params.expand(pset, without_poland)
    assert pipeline.remove_stale_outputs(pset, runs) == [tmp_path / "pol.ipynb"]
    assert (tmp_path / "deu.ipynb").exists()
    assert tmp_path / "pol.ipynb" in {run.output for run in params.expand(pset, tidy)}


def test_render_fills_parameters_and_leaves_other_braces():
    values = {"iso3": "POL"}
    assert params.render("fig-{{ iso3|lower }}-x {{iso3}}", values) == "fig-pol-x POL"
    assert params.render("{{ other }} {glue:text}`x:.1f`", values, strict=False) == "{{ other }} {glue:text}`x:.1f`"
    with pytest.raises(ParameterError, match="other"):
        params.render("{{ other }}", values)


def write_yaml(tmp_path: Path, entry: dict) -> Path:
    path = tmp_path / "set.yml"
    path.write_text(yaml.safe_dump({"edition": "2024-06", "data": "data/x.csv", "notebooks": [entry]}))
    return path


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"source": "notebooks/x.ipynb", "foreach": "planet", "output": "c/{{ iso3 }}.ipynb"},
            "notebooks\\[0\\]: key 'foreach': expected 'ally' or 'ally_without_armed_forces', found 'planet'",
        ),
        (
            {"source": "notebooks/x.ipynb", "foreach": "ally", "output": "c/all.ipynb"},
            "notebooks\\[0\\]: a foreach entry needs an output with a placeholder",
        ),
        ({"source": "notebooks/x.ipynb", "foreach": "ally"}, "notebooks\\[0\\]: a foreach entry needs an output"),
        ({"source": "notebooks/x.ipynb", "colour": "red"}, "notebooks\\[0\\]: key 'colour': not a key the book knows"),
        ({"source": 7}, "notebooks\\[0\\]: key 'source': expected a valid string, found 7"),
        ("notebooks/x.ipynb", "notebooks\\[0\\]: expected a mapping of keys, found 'notebooks/x.ipynb'"),
    ],
)
def test_bad_foreach_entries_are_refused_with_the_file_and_entry(tmp_path, entry, message):
    with pytest.raises(ParameterError, match=message) as caught:
        params.load(write_yaml(tmp_path, entry))
    assert "notebooks[0]" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"report_year": 1800}, "key 'report_year': expected greater than or equal to 1949, found 1800"),
        ({"report_year": True}, "key 'report_year': expected a valid integer, found True"),
        ({"data": None}, "key 'data': expected a valid string, found None"),
    ],
)
def test_a_bad_key_of_the_set_is_refused_with_the_file_and_the_key(tmp_path, change, message):
    path = tmp_path / "set.yml"
    path.write_text(yaml.safe_dump({"edition": "2024-06", "data": "data/x.csv", "notebooks": []} | change))
    with pytest.raises(ParameterError, match=re.escape(f"{path}: {message}")):
        params.load(path)


def test_two_runs_writing_one_output_is_an_error(tidy):
    entry = params.NotebookEntry(paths.NOTEBOOKS / "country_profile.md", "c/{{ page }}.ipynb", {"page": "one"}, "ally")
    pset = params.ParameterSet("test", "2024-06", paths.TIDY_CSV, 2024, (entry,))
    with pytest.raises(ParameterError, match="more than one notebook writes"):
        params.expand(pset, tidy)


# --- Progress -------------------------------------------------------------------------------------------


def test_the_bar_shows_done_running_failed_and_what_runs(capsys):
    bar = progress.Progress(3, enabled=True)
    bar.started("chapters/countries/pol.ipynb")
    bar.started("chapters/countries/deu.ipynb")
    bar.finished("chapters/countries/pol.ipynb", "executed")
    bar.finished("chapters/share_of_gdp.ipynb", "FAILED")
    assert bar.bar.postfix == "done 2, running 1, failed 1 [deu]"
    bar.close()
    assert "FAILED chapters/share_of_gdp.ipynb" in capsys.readouterr().err


def test_without_a_terminal_each_notebook_is_one_line(capsys):
    bar = progress.Progress(2, enabled=False)
    bar.finished("chapters/countries/pol.ipynb", "cached")
    bar.close()
    assert capsys.readouterr().err == "[1/2] cached   chapters/countries/pol.ipynb\n"


# --- Nothing changed: the published site is kept ------------------------------------------------------


def test_the_published_site_is_current_only_for_its_own_fingerprint(sandbox):
    build = sandbox / "build"
    (build / "site-a").mkdir(parents=True)
    (build / "html").symlink_to("site-a")
    publish.record_published(build / "site-a", "fingerprint-1")
    assert publish.published_site_if_current("fingerprint-1") == build / "site-a"
    assert publish.published_site_if_current("fingerprint-2") is None
    (build / "html").unlink()
    (build / "html").symlink_to("site-b")  # someone published another site meanwhile
    assert publish.published_site_if_current("fingerprint-1") is None


def test_the_book_fingerprint_follows_pages_not_notebook_sources_or_tests(tmp_path, monkeypatch):
    for name, text in {
        "index.md": "# Home\n",
        "chapters/a.md": "# A\n",
        "notebooks/a.ipynb": "{}",
        "tests/test_a.py": "",
        "_build/html/index.html": "",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(paths, "BUILD", tmp_path / "_build")
    before = publish.book_fingerprint()
    (tmp_path / "notebooks/a.ipynb").write_text('{"changed": 1}')
    (tmp_path / "tests/test_a.py").write_text("x = 1")
    (tmp_path / "_build/html/index.html").write_text("rebuilt")
    assert publish.book_fingerprint() == before
    (tmp_path / "chapters/a.md").write_text("# A, edited\n")
    assert publish.book_fingerprint() != before


def test_a_new_commit_with_the_same_files_is_a_new_book_for_its_footer_names_the_commit(monkeypatch):
    stamps = iter(
        [
            {"commit": "56ba4f6e3ef9", "time": "2026-12-01T10:00:00+00:00"},
            {"commit": "0d1c2b3a4f5e", "time": "2026-12-02T10:00:00+00:00"},
        ]
    )
    monkeypatch.setattr(publish.provenance, "build_stamp", lambda: next(stamps))
    assert publish.book_fingerprint() != publish.book_fingerprint()


def test_the_cache_key_records_what_it_was_made_from(sandbox):
    item = planned_tiny(sandbox)
    item.run.output.parent.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), item.run.output)
    cache.cache_store(item)
    recorded = json.loads((cache.cache_entry(item.key) / "run.json").read_text())
    assert recorded["parameters"] == {"code": "XyZ"}
    assert cache.cache_entry(item.key).parent.name == item.key[:2]


def stored_tiny(sandbox: Path) -> Planned:
    item = planned_tiny(sandbox)
    item.run.output.parent.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), item.run.output)
    cache.cache_store(item)
    return item


def test_a_damaged_cache_entry_is_a_miss_and_is_removed(sandbox, capsys):
    item = stored_tiny(sandbox)
    stored = cache.cache_entry(item.key) / "notebook.ipynb"
    stored.write_bytes(stored.read_bytes()[:-10])  # cut short, as by a full disk
    item.run.output.unlink()
    assert cache.cache_restore(item) is None
    assert not cache.cache_entry(item.key).exists() and not item.run.output.exists()
    assert "is damaged: removed" in capsys.readouterr().err


def test_an_interrupted_store_leaves_nothing_in_the_cache(sandbox, monkeypatch):
    item = planned_tiny(sandbox)
    item.run.output.parent.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), item.run.output)

    def ctrl_c(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cache, "_exports_of", ctrl_c)  # after the notebook is staged, before the record
    with pytest.raises(KeyboardInterrupt):
        cache.cache_store(item, ("fig-xyz",))
    assert not [path for path in (sandbox / "cache").rglob("*") if path.is_file()]
    assert cache.cache_restore(item) is None


def stored_entries(sandbox: Path, count: int) -> list[Planned]:
    """`count` cache entries, the first the least recently used."""
    items = [planned_tiny(sandbox, factor=factor) for factor in range(count)]
    for age, item in enumerate(items):
        item.run.output.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbformat.v4.new_notebook(), item.run.output)
        cache.cache_store(item)
        os.utime(cache.cache_entry(item.key), (time.time() - 3600 + age, time.time() - 3600 + age))
    return items


def test_prune_cache_keeps_only_the_entries_of_this_build(sandbox):
    used, unused = stored_entries(sandbox, 2)
    assert cache.prune_cache(only={used.key}) == 1
    assert cache.cache_entry(used.key).is_dir() and not cache.cache_entry(unused.key).exists()


def test_the_cache_stays_under_its_size_cap_the_least_recently_used_going_first(sandbox):
    items = stored_entries(sandbox, 3)
    sizes = [sum(p.stat().st_size for p in cache.cache_entry(i.key).rglob("*") if p.is_file()) for i in items]
    assert cache.prune_cache(max_bytes=sizes[1] + sizes[2]) == 1
    assert [cache.cache_entry(item.key).is_dir() for item in items] == [False, True, True]
