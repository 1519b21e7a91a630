"""A release with other years, another price base or only some indicators still makes an honest book.

Every chapter notebook is executed with papermill on the real tidy data and on TEST FIXTURES made from it
(they are not NATO releases; they stand in for releases we do not have yet):

* press summary: only the `defexp_share_gdp` rows, as in NATO's press summaries, relabelled as edition
  "2099-01", which data/editions.yml does not describe;
* rebased: the constant-price codes renamed `_const2015` -> `_const2021` and every year shifted by +1, so the
  latest year is 2025 and the notebooks' first_year, 2014, is missing;
* no share of GDP: every indicator but the shares of GDP, run on the country pages only (their `foreach: ally`
  must still give every Ally a page, which says what the edition lacks).

Each run must finish, glue every key its page's markdown refers to (the book builds with warnings as errors),
show a note ("Not available in this edition: needs ...") wherever an input is missing, never a blank chart, and
on the real data show no note at all. Runs are read as the pipeline post-processes them: on the pages built with
natobook.pages, a paragraph, caption or figure whose inputs are missing gives way, whole, to one note
(natobook.pages.paragraphs); never a note or "[not available]" inside a sentence.
"""

from __future__ import annotations

import ast
import html
import re
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest
from notebookkit import figures_written_to
from sitekit import build_one_page

from natobook import nbtools, paths
from natobook.build import execute, params, textnotebook
from natobook.charts.style import SPEC_MIMETYPE
from natobook.data import editions, schema
from natobook.pages import paragraphs
from natobook.site import pagefooter

NOTEBOOKS = sorted(path.stem for path in paths.NOTEBOOKS.glob("*.md"))
NOTE = nbtools.NOTE.lower()
REAL, PRESS, REBASED, NO_SHARE = "real", "press summary", "rebased", "no share of GDP"
PRESS_EDITION = "2099-01"  # an edition data/editions.yml does not describe


# --- The datasets ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_data() -> pd.DataFrame:
    if not paths.TIDY_CSV.exists():
        pytest.fail(f"{paths.TIDY_CSV} is missing: run the ingest (make book) first")
    return schema.read_tidy_csv(paths.TIDY_CSV)


def press_summary(real: pd.DataFrame) -> pd.DataFrame:
    """TEST FIXTURE: shares of GDP only, as a new edition the registry does not know."""
    return real[real["indicator"] == "defexp_share_gdp"].assign(edition=PRESS_EDITION)


def rebased(real: pd.DataFrame) -> pd.DataFrame:
    """TEST FIXTURE: constant prices of 2021 instead of 2015, every year one later (2015-2025, no 2014)."""
    return real.assign(
        indicator=real["indicator"].str.replace("_const2015", "_const2021", regex=False),
        unit=real["unit"].str.replace("2015", "2021", regex=False),
        year=real["year"] + 1,
    )


def no_share_of_gdp(real: pd.DataFrame) -> pd.DataFrame:
    """TEST FIXTURE: the June 2024 tables without a single share of GDP (Table 3 and Table 4's repeats of it)."""
    return real[~real["indicator"].str.contains("share_gdp")]


@pytest.fixture(scope="module")
def datasets(real_data, tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """Each dataset as (CSV path, edition); the real one copied too, so that a rebuild of data/processed
    meanwhile cannot pull it from under the runs."""
    folder = tmp_path_factory.mktemp("partial-data")
    made = {
        REAL: (real_data, "2024-06"),
        PRESS: (press_summary(real_data), PRESS_EDITION),
        REBASED: (rebased(real_data), "2024-06"),
        NO_SHARE: (no_share_of_gdp(real_data), "2024-06"),
    }
    found = {}
    for name, (frame, edition) in made.items():
        path = folder / f"{name.replace(' ', '_')}.csv"
        frame.to_csv(path, index=False)
        schema.read_tidy_csv(path)  # the fixture is a valid dataset
        found[name] = (path, edition)
    return found


# --- The runs -------------------------------------------------------------------------------------------------


class Run:
    """One executed notebook: what it glued, what it showed, the markdown its page renders, or its error."""

    def __init__(self, notebook: str, output: Path | None, parameters: dict, error: str = "") -> None:
        self.notebook, self.error = notebook, error
        self.path, self.parameters = output, parameters
        self.glued: dict[str, dict] = {}
        self.lacks: dict[str, list[str]] = {}  # what the page declared the edition lacks (natobook.pages.paragraphs)
        self.shown: list[str] = []
        self.shown_html: list[str] = []  # tables the page shows
        self.passages: list[str] = []  # the page's markdown cells, rendered, and glued Markdown that holds glue roles
        self.markdown = ""
        self.lacks: dict[str, list[str]] = {}  # what the page declared its edition lacks (natobook.pages.paragraphs)
        if output is None:
            return
        executed = nbformat.read(output, as_version=4)
        self.lacks = paragraphs.declared_lacks(executed)
        for cell in executed.cells:
            for out in cell.get("outputs", []):
                scrap = out.get("metadata", {}).get("scrapbook")
                data = out.get("data", {})
                if scrap:
                    prefix = scrap["mime_prefix"]
                    self.glued[scrap["name"]] = {mime.removeprefix(prefix): value for mime, value in data.items()}
                else:
                    self.shown.append(html.unescape(data.get("text/markdown", "")))
                    self.shown_html.append(data.get("text/html", ""))
        # As the pipeline renders it: each paragraph whose needs the page declared lacking given way to its note,
        # and {{ iso3|lower }} in figure names filled from the run's parameters.
        paragraphs.give_way(executed)
        self.passages = [
            params.render(cell.source, parameters, strict=False)
            for cell in executed.cells
            if cell.cell_type == "markdown"
        ]
        self.passages += [
            bundle["text/markdown"] for bundle in self.glued.values() if "{glue:" in bundle.get("text/markdown", "")
        ]  # the claims table
        self.markdown = "\n".join(self.passages)

    def text(self, key: str) -> str:
        """A glued value as the page shows it: Markdown unescaped, plain values without their repr quotes."""
        bundle = self.glued[key]
        if "text/markdown" in bundle:
            return html.unescape(bundle["text/markdown"])
        try:
            return str(ast.literal_eval(bundle.get("text/plain", "")))
        except (ValueError, SyntaxError):
            return bundle.get("text/plain", "")

    def given_way(self) -> list[str]:
        """The page's markdown cells that gave way to their note: a paragraph, or a figure with it as its caption."""
        note = re.compile(rf"(\*\*[^*\n]+\*\* |\*\*){nbtools.NOTE}: needs ")  # after a run-in title or alone
        return [
            passage
            for passage in self.passages
            if note.match(passage)
            or (passage.startswith("```{glue:figure}") and f"\n\n{nbtools.NOTE}: needs " in passage)
        ]

    def notes(self) -> dict[str, str]:
        """Every glued value or shown output that says something is not available in this edition."""
        found = {key: self.text(key) for key in self.glued if NOTE in self.text(key).lower()}
        return found | {f"shown {i}": text for i, text in enumerate(self.shown) if NOTE in text.lower()}


def parameters_of(notebook: str, data_path: Path, edition: str) -> dict:
    """What the pipeline passes (data and edition, where declared), plus the defaults the markdown's
    placeholders need (iso3)."""
    declared = papermill.inspect_notebook(textnotebook.read_source(paths.NOTEBOOKS / f"{notebook}.md"))
    given = {"data_path": str(data_path), "edition": edition}
    defaults = {name: ast.literal_eval(info["default"]) for name, info in declared.items() if name == "iso3"}
    return defaults | {name: value for name, value in given.items() if name in declared}


class Runs(dict):
    """(dataset, notebook) -> Run: each executed when first asked for, or ahead, two at a time (`prefetch`)."""

    def __init__(self, execute) -> None:
        super().__init__()
        self.execute = execute

    def __missing__(self, job: tuple[str, str]) -> Run:
        self[job] = self.execute(job)
        return self[job]

    def prefetch(self, jobs) -> None:
        todo = [job for job in dict.fromkeys(jobs) if job not in self]
        with ThreadPoolExecutor(max_workers=2) as pool:
            self.update(zip(todo, pool.map(self.execute, todo)))


def selected_jobs(items) -> list[tuple[str, str]]:
    """The (dataset, notebook) runs the selected tests of this module are parametrized with: executed ahead, two
    at a time, while any other is executed when a test asks for it. So a few selected cases run a few notebooks."""
    jobs = []
    for item in items:
        params = item.callspec.params if hasattr(item, "callspec") else {}
        if getattr(item, "module", None) is sys.modules[__name__] and {"dataset", "notebook"} <= set(params):
            jobs.append((params["dataset"], params["notebook"]))
    return jobs


@pytest.fixture(scope="module")
def runs(datasets, tmp_path_factory, request) -> Runs:
    """Chapter notebooks on the datasets, executed as the selected tests need them; figure CSVs go to a scratch
    folder, not the book's."""
    out = tmp_path_factory.mktemp("runs")

    def run(job: tuple[str, str], attempts: int = 2) -> Run:
        dataset, notebook = job
        data_path, edition = datasets[dataset]
        parameters = parameters_of(notebook, data_path, edition)
        output = out / f"{notebook}-{dataset.replace(' ', '_')}.ipynb"
        try:
            papermill.execute_notebook(
                textnotebook.read_source(paths.NOTEBOOKS / f"{notebook}.md"),
                str(output),
                parameters=parameters,
                kernel_name="python3",
                progress_bar=False,
                execution_timeout=300,
                # Kernels start in the notebooks' folder, as in the pipeline, so that their relative default paths
                # work. Given to the kernel alone: papermill's own `cwd` changes the folder of the whole process,
                # which two runs at a time would trip over.
                resources={"metadata": {"path": str(paths.NOTEBOOKS)}},
                # On a busy machine a glue output can reach the client after nbclient's default 4 s wait, and be
                # dropped without an error: wait longer, and fail rather than lose it.
                iopub_timeout=60,
                raise_on_iopub_timeout=True,
            )
        except papermill.PapermillExecutionError as exc:  # a cell raised: that is what the tests report
            return Run(notebook, None, parameters, f"{exc.ename}: {exc.evalue}")
        except Exception as exc:  # the kernel failed to start, died or timed out: the machine, not the notebook
            if attempts > 1:
                return run(job, attempts - 1)
            return Run(notebook, None, parameters, f"{type(exc).__name__}: {exc}")
        return Run(notebook, output, parameters)

    # Read by the kernels whenever a run starts: set for as long as the module's tests run.
    with figures_written_to(out / "figures"):
        found = Runs(run)
        found.prefetch(selected_jobs(request.session.items))
        yield found


DATASETS = (REAL, PRESS, REBASED)
# The pages `foreach: ally` plans, and the index that links them, on the dataset without shares of GDP.
COUNTRY_PAGES = ("country_index", "country_profile", "country_no_armed_forces")
ALL_RUNS = [(dataset, notebook) for dataset in DATASETS for notebook in NOTEBOOKS] + [
    (NO_SHARE, notebook) for notebook in COUNTRY_PAGES
]


# --- Every notebook, every dataset --------------------------------------------------------------------------------


@pytest.mark.build
@pytest.mark.parametrize("dataset, notebook", ALL_RUNS)
def test_runs_and_glues_every_key_its_page_refers_to(runs, dataset, notebook):
    run = runs[dataset, notebook]
    assert not run.error, f"{notebook} on the {dataset} data: {run.error}"
    referenced = nbtools.referenced_glue_keys(run.markdown)  # the pages' cells and the claims table
    # A page whose edition lacks everything it shows is one note (natobook.pages.paragraphs.PAGE): no references left.
    assert referenced or run.lacks.get(paragraphs.PAGE), f"{notebook}: no glue references found; is the parser right?"
    assert referenced <= set(run.glued), (
        f"{notebook} on the {dataset} data never glues {sorted(referenced - set(run.glued))}"
    )


@pytest.mark.build
@pytest.mark.parametrize("dataset, notebook", ALL_RUNS)
def test_every_figure_is_a_chart_or_a_note_never_blank(runs, dataset, notebook):
    run = runs[dataset, notebook]
    figures = {key for key in nbtools.GLUE_DIRECTIVE.findall(run.markdown) if key.startswith("fig-")}
    for figure in figures:
        bundle = run.glued[figure]
        if SPEC_MIMETYPE in bundle:
            assert bundle[SPEC_MIMETYPE].get("datasets") or bundle[SPEC_MIMETYPE].get("data"), figure
        elif figure in run.lacks:  # the page's mechanism: the figure keeps its name, its caption is the note
            assert any(f":name: {figure}\n\n{nbtools.NOTE}: needs " in passage for passage in run.given_way()), figure
        else:
            assert run.text(figure).startswith(f"**{nbtools.NOTE}: needs "), (figure, run.text(figure))


@pytest.mark.build
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_the_real_data_shows_no_note(runs, notebook):
    run = runs[REAL, notebook]
    assert run.notes() == {}
    assert {name: missing for name, missing in run.lacks.items() if missing} == {}


# --- What the partial data cannot give, said where it would have been ------------------------------------------------


# The pages whose paragraphs, captions and figures give way, whole, to one note (natobook.pages.paragraphs):
# (dataset, notebook, names the page declares lacking, words what each lacks must contain).
GIVE_WAY_PAGES = ("share_of_gdp", "europe_canada", "country_index", "country_profile", "country_no_armed_forces")
EXPECTED_GIVE_WAY = [
    (
        PRESS,
        "europe_canada",
        {"latest", "series", "fig-europe-canada-spending", "fig-europe-canada-extra-spending"},
        "defence expenditure in USD at constant prices",
    ),
    (PRESS, "country_profile", {"changes", "fig-pol-real-change"}, "annual real change in defence expenditure"),
    (PRESS, "country_profile", {"equipment", "fig-pol-equipment-share"}, "equipment share of defence expenditure"),
    (PRESS, "country_profile", {"people", "fig-pol-per-head-personnel"}, "military personnel"),
    (PRESS, "country_profile", {"gaps"}, "GDP in USD at current prices"),
    (PRESS, "country_profile", {"national_law"}, "national law on 2% of GDP"),
    (PRESS, "country_no_armed_forces", {"gdp"}, "GDP in USD at current prices"),
    (REBASED, "share_of_gdp", {"count", "fig-allies-at-guideline", "comparison"}, "share of GDP for 2014"),
    (REBASED, "europe_canada", {"series", "fig-europe-canada-spending", "fig-europe-canada-extra-spending"}, "2014"),
    (REBASED, "country_index", {"fig-country-trajectories"}, "share of GDP for 2014"),
    (REBASED, "country_profile", {"share", "fig-pol-share-of-gdp", "share_first"}, "share of GDP for Poland, 2014"),
    (NO_SHARE, "country_profile", {"share_latest", "share", "fig-pol-share-of-gdp", "gaps"}, "share of GDP"),
    (NO_SHARE, "country_index", {"latest", "fig-country-trajectories", "columns"}, "share of GDP"),
]


@pytest.mark.build
@pytest.mark.parametrize(
    "dataset, notebook, names, words",
    EXPECTED_GIVE_WAY,
    ids=[f"{d}-{n}-{sorted(k)[0]}" for d, n, k, _ in EXPECTED_GIVE_WAY],
)
def test_what_the_edition_lacks_gives_way_whole_to_one_note(runs, dataset, notebook, names, words):
    run = runs[dataset, notebook]
    lacking = {name for name, missing in run.lacks.items() if missing}
    assert names <= lacking, f"not declared lacking: {sorted(names - lacking)}"
    for name in names:
        assert words in "; ".join(run.lacks[name]), (name, run.lacks[name])
    assert any(words in note for note in run.given_way()), run.given_way()


@pytest.mark.build
@pytest.mark.parametrize("dataset, notebook", [(d, n) for d, n in ALL_RUNS if n in GIVE_WAY_PAGES])
def test_no_note_and_no_marker_stands_inside_a_sentence(runs, dataset, notebook):
    """A note is a paragraph or a figure's whole caption, never a glued phrase: nothing glued holds one."""
    run = runs[dataset, notebook]
    assert [key for key in run.glued if NOTE in run.text(key).lower() or "[not available]" in run.text(key)] == []
    for passage in run.passages:
        if NOTE in passage.lower():
            assert passage in run.given_way(), passage


# (dataset, notebook, names the page must declare lacking, words what each lacks must contain): pages whose
# paragraphs give way whole (natobook.pages.paragraphs)
EXPECTED_LACKS = [
    (PRESS, "burden_sharing", {"fig-burden-shares", "shares"}, "GDP in USD at current prices"),
    (PRESS, "burden_sharing", {"fig-spending-per-head", "per_head"}, "defence expenditure per head"),
    (
        PRESS,
        "equipment",
        {"fig-equipment-share", "fig-spending-categories", "equipment", "categories"},
        "equipment share of defence expenditure",
    ),
    (PRESS, "targets", {"fig-gap-to-target", "fig-cost-of-targets", "gaps"}, "GDP in USD at current prices"),
    (PRESS, "reproduction", {"extra", "ec_usd", "us_def"}, "in USD at constant prices"),
    (PRESS, "washington_visit", {"count"}, "edition 2024-06"),
    (REBASED, "equipment", {"fig-equipment-share", "equipment"}, "for 2014"),
]
WHOLE_PARAGRAPH_PAGES = sorted({notebook for _, notebook, _, _ in EXPECTED_LACKS})


@pytest.mark.build
@pytest.mark.parametrize(
    "dataset, notebook, names, words", EXPECTED_LACKS, ids=[f"{d}-{n}-{sorted(k)[0]}" for d, n, k, _ in EXPECTED_LACKS]
)
def test_a_paragraph_gives_way_whole_to_what_the_edition_lacks(runs, dataset, notebook, names, words):
    run = runs[dataset, notebook]
    declared = {name for name, missing in run.lacks.items() if missing}
    assert names <= declared, f"not declared lacking: {sorted(names - declared)}"
    for name in names:
        assert any(words in phrase for phrase in run.lacks[name]), (name, run.lacks[name])
    notes = [passage for passage in run.passages if NOTE in passage.lower()]  # the page as the pipeline renders it
    assert any(words in note for note in notes), notes


@pytest.mark.build
@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("notebook", WHOLE_PARAGRAPH_PAGES)
def test_a_note_stands_alone_never_inside_a_sentence(runs, dataset, notebook):
    """On these pages what an edition lacks is said by one note in place of the whole paragraph, caption or figure
    (natobook.pages.paragraphs): never "[not available]", never a note inside a sentence (#13)."""
    run = runs[dataset, notebook]
    assert "[not available]" not in run.markdown
    for passage in run.passages:
        if NOTE not in passage.lower() or "{glue:md} claims-table" in passage:
            continue
        if passage.startswith("```{list-table}"):  # the claims table: a cell quoting what the edition lacks is its note
            cells = [re.sub(r"^[* ] - ", "", line) for line in passage.splitlines() if re.match(r"^[* ] - ", line)]
            for cell in (cell for cell in cells if NOTE in cell.lower()):
                assert re.fullmatch(rf"{nbtools.NOTE}: needs [^\n]+\.", cell), cell
            continue
        body = re.sub(r"^`{3,}\{glue:figure\} \S+\n:name: \S+\n\n|\n`{3,}$", "", passage)
        assert re.fullmatch(rf"(\*\*[^*\n]+\*\* |\*\*)?{nbtools.NOTE}: needs [^\n]+\.(\*\*)?", body), passage


@pytest.mark.build
@pytest.mark.parametrize("dataset, notebook", ALL_RUNS)
def test_no_page_on_any_edition_shows_the_old_marker(runs, dataset, notebook):
    """What an edition lacks is said by a note in place of the whole paragraph, never by "[not available]" where a
    number would be (#13): not in the page's markdown, not in any value it glues."""
    run = runs[dataset, notebook]
    assert "[not available]" not in run.markdown
    assert not [key for key in run.glued if "not available]" in run.text(key)], run.notebook


@pytest.mark.build
def test_shares_of_gdp_alone_still_give_the_share_chapter_whole(runs):
    run = runs[PRESS, "share_of_gdp"]
    assert run.notes() == {}
    assert SPEC_MIMETYPE in run.glued["fig-share-of-gdp"] and SPEC_MIMETYPE in run.glued["fig-allies-at-guideline"]
    assert run.text("n_at_guideline_latest") == "23" and run.text("report_year_label") == "2024e"


@pytest.mark.build
def test_a_missing_first_year_is_said_not_counted(runs):
    run = runs[REBASED, "share_of_gdp"]
    assert "n_at_guideline_first" not in run.glued  # no 0 for a year the edition does not hold
    assert (
        "their GDP on defence. {glue:md}`top_ally`" in run.markdown
    )  # the sentence ends at the report year's count...
    assert "**Not available in this edition: needs share of GDP for 2014.**" in run.passages  # ...its own note follows
    assert SPEC_MIMETYPE in run.glued["fig-share-of-gdp"]


@pytest.mark.build
def test_the_price_base_and_the_years_are_read_from_the_data(runs):
    assert runs[REBASED, "europe_canada"].text("price_basis") == "constant 2021 prices"
    assert runs[REBASED, "targets"].text("price_base_year_text") == "2021"
    assert runs[REBASED, "country_profile"].text("price_base_year") == "2021"
    assert runs[REBASED, "burden_sharing"].text("price_basis") == "constant 2021 prices"
    for notebook in ("share_of_gdp", "europe_canada", "targets", "country_profile", "country_index"):
        assert runs[REBASED, notebook].text("report_year_label") == "2025e", notebook


@pytest.mark.build
def test_landing_facts_state_edition_release_latest_year_and_estimate(runs):
    real, press, later = (runs[dataset, "share_of_gdp"] for dataset in DATASETS)
    assert real.text("landing_edition") == "2024-06"
    assert real.text("landing_edition_description").endswith("(PR/CP(2024)090), released on 17 June 2024")
    assert (real.text("landing_latest_year"), real.text("landing_latest_status")) == (
        "2024",
        "which NATO marks as an estimate",
    )
    assert real.text("landing_headline") == (
        "On these figures, 23 Allies were expected to spend at least 2 per cent "
        "of GDP on defence in 2024e, against 3 in 2014"
    )
    assert press.text("landing_edition") == PRESS_EDITION
    assert "release date not recorded in data/editions.yml" in press.text("landing_edition_description")
    assert later.text("landing_latest_year") == "2025"
    assert later.text("landing_headline").endswith("; this edition holds no share of GDP for 2014 to compare with")
    assert press.text("landing_edition_plain") == "NATO's data edition 2099-01, not described"


# --- An edition without shares of GDP still has its Allies --------------------------------------------------------


@pytest.fixture(scope="module")
def allies_in_table_3(real_data) -> set[str]:
    """The 31 Allies NATO's June 2024 Table 3 prints a share of GDP for: every Ally but Iceland, which has no
    armed forces. An edition that drops the shares still holds their other defence-expenditure tables."""
    shares = real_data[real_data["indicator"] == "defexp_share_gdp"]
    codes = set(shares["iso3"].dropna()) - {""}
    assert len(codes) == 31
    return codes


def test_without_shares_of_gdp_every_ally_still_gets_a_profile(datasets, allies_in_table_3):
    data_path, _ = datasets[NO_SHARE]
    planned = params.expand(params.load(paths.PARAMS / "ar2024.yml"), schema.read_tidy_csv(data_path))
    pages = {run.source.stem: set() for run in planned}
    for run in planned:
        pages[run.source.stem].add(run.parameters.get("iso3"))
    assert pages["country_profile"] == allies_in_table_3
    assert pages["country_no_armed_forces"] == {"ISL"}


@pytest.mark.build
def test_without_shares_of_gdp_the_index_counts_and_links_every_ally(runs, allies_in_table_3):
    run = runs[NO_SHARE, "country_index"]
    assert run.text("n_allies") == "31"
    assert "n_at_guideline" not in run.glued and run.lacks["latest"]  # no 0 for a count it cannot make
    table = next(shown for shown in run.shown_html if 'id="country-index"' in shown)
    linked = set(re.findall(r'href="countries/(\w+)\.html"', table))
    assert linked == {code.lower() for code in allies_in_table_3 | {"ISL"}}
    assert "% of GDP" not in table and "Rank" not in table  # the columns it cannot fill are left out...
    assert "Real change" in table and '<td class="number" data-sort="30.07">+30.07</td>' in table  # Poland, 2024e
    assert "**Not available in this edition: needs share of GDP.**" in run.passages  # ...and the note says why


@pytest.mark.build
def test_without_shares_of_gdp_a_profile_shows_the_rest_as_printed(runs):
    run = runs[NO_SHARE, "country_profile"]
    for figure in ("fig-pol-real-change", "fig-pol-equipment-share", "fig-pol-per-head-personnel"):
        assert SPEC_MIMETYPE in run.glued[figure], figure
    assert "share_latest" not in run.glued and "rank_words" not in run.glued and run.lacks["share_latest"]
    # NATO's June 2024 tables for Poland, 2024e: real change 30.07% (Table 3), equipment 51.13% (Table 8a)
    assert run.text("real_change_latest_abs") == "30.07" and run.text("equipment_latest") == "51.13"


# --- The page Sphinx makes of a partial run --------------------------------------------------------------------


def built_page(run: Run, folder: Path) -> str:
    """The HTML of the run's page as the book builds it: placeholders filled by the pipeline's own postprocess,
    then Sphinx with the book's theme and extension (a one-page book; unresolved links only warn)."""
    notebook = folder / "executed.ipynb"
    shutil.copyfile(run.path, notebook)
    execute.postprocess(notebook, run.parameters, paths.NOTEBOOKS / f"{run.notebook}.md")
    return build_one_page(notebook, folder)


@pytest.mark.build
def test_a_figure_the_edition_lacks_is_its_note_and_nothing_else(runs, tmp_path):
    """Not a blank chart, nor the glued object's Python repr: the figure keeps its number, the note is its caption."""
    page = built_page(runs[PRESS, "targets"], tmp_path)
    figure = re.search(r'<figure[^>]*id="fig-gap-to-target"[^>]*>(.*?)</figure>', page, re.S)[1]
    assert "IPython" not in page and "<svg" not in figure and "<pre" not in figure
    assert re.sub(r"<[^>]+>|#", "", figure.split("<figcaption>")[1]).strip() == (
        "Not available in this edition: needs GDP in USD at current prices."
    )


@pytest.mark.build
def test_only_a_figure_that_holds_a_chart_offers_downloads(runs, tmp_path):
    """The press summary has shares of GDP and nothing else: Poland's share chart is drawn and exported, the
    other three figures are notes, with no SVG, PNG or PDF to download and nothing to cite."""
    page = built_page(runs[PRESS, "country_profile"], tmp_path)
    figures = dict(re.findall(r'<figure[^>]*id="(fig-[\w-]+)"[^>]*>(.*?)</figure>', page, re.S))
    assert set(figures) == {
        "fig-pol-share-of-gdp",
        "fig-pol-real-change",
        "fig-pol-equipment-share",
        "fig-pol-per-head-personnel",
    }
    offering = {label for label, body in figures.items() if "natobook-figure-cite" in body}
    assert offering == {"fig-pol-share-of-gdp"}
    assert re.findall(r'href="(figures/[^"]+)"', page) == [
        f"figures/fig-pol-share-of-gdp.{fmt}" for fmt in ("svg", "png", "pdf", "csv")
    ]
    # The footer names the edition the page was executed on, labelled as one data/editions.yml does not describe.
    assert (
        '<p class="natobook-edition">Data: NATO defence-expenditure data, edition 2099-01 (not described in '
        "data/editions.yml), release date not recorded in data/editions.yml</p>"
    ) in page


# --- The mechanism, without papermill -----------------------------------------------------------------------------


def tiny() -> pd.DataFrame:
    rows = [
        ("Poland", "POL", year, code, 1.0)
        for year in (2015, 2016)
        for code in ("defexp_share_gdp", "defexp_usd_const2021")
    ]
    rows.append(("NATO Total", "", 2016, "defexp_usd_current", 9.0))
    return pd.DataFrame(rows, columns=["country", "iso3", "year", "indicator", "value"]).assign(
        edition="x", estimate=False
    )


def test_needs_lists_what_the_data_lacks_and_nothing_when_complete():
    data = tiny()
    assert nbtools.needs(data, ["defexp_share_gdp", nbtools.constant_prices("defexp_usd")], [2015, 2016]) == []
    assert nbtools.needs(data, [nbtools.constant_prices("defexp_usd")], [2014, 2015, 2016]) == [
        "defence expenditure in USD at constant prices for 2014"
    ]  # any base year: const2021 matches
    assert nbtools.needs(data, ["equipment_share"], [2015], countries=["Poland"]) == [
        "equipment share of defence expenditure"
    ]  # lacking altogether: named alone
    assert nbtools.needs(data, ["defexp_usd_current"], [2015, 2016], countries=["NATO Total", "Poland"]) == [
        "defence expenditure in USD at current prices for NATO Total, 2015",
        "defence expenditure in USD at current prices for Poland, 2015 to 2016",
    ]
    assert nbtools.needs(data, ["defexp_share_gdp"], [2013, 2014, 2016]) == ["share of GDP for 2013 to 2014"]


def test_constant_price_pattern_matches_any_base_year_only():
    pattern = nbtools.constant_prices("defexp_usd")
    codes = pd.Series(["defexp_usd_const2015", "defexp_usd_const2021", "defexp_usd_current", "defexp_usd_const21"])
    assert codes.str.fullmatch(pattern).tolist() == [True, True, False, False]


def test_note_text_names_what_is_needed():
    missing = ["share of GDP for 2014", "GDP in USD at current prices"]
    assert nbtools.note_text(missing) == (
        "Not available in this edition: needs share of GDP for 2014; GDP in USD at current prices."
    )
    assert nbtools.note_text(missing[:1], "The comparison with 2014") == (
        "The comparison with 2014 is not available in this edition: needs share of GDP for 2014."
    )


def test_referenced_glue_keys_reads_roles_and_directives():
    markdown = (
        "In {glue:md}`report_year_label`, {glue:text}`n:d` of {glue:text}`total:,.0f` "
        "({glue:any}`chapters/x.ipynb::elsewhere`, {glue:text}`chapters/x.ipynb::far:d`)\n"
        "```{glue:figure} fig-a\n:name: fig-a\n```\n```{glue:md} claims-table\n:format: myst\n```"
    )
    assert nbtools.referenced_glue_keys(markdown) == {"report_year_label", "n", "total", "fig-a", "claims-table"}


def test_an_edition_the_registry_does_not_describe_is_labelled_not_fatal():
    assert editions.describe("2099-01")["price_base_year"] is None
    assert editions.source_note("2099-01", "Table 3") == (
        "NATO defence-expenditure data, edition 2099-01 (not described in data/editions.yml), Table 3"
    )
    assert editions.release_date("2099-01") == "release date not recorded in data/editions.yml"
    assert editions.release_date("2024-06") == "17 June 2024"
    assert editions.later_or_earlier("2025-04", "2024-06") == "a later"
    assert editions.later_or_earlier("2025-04", "2099-01") == "another"


def test_the_footer_names_every_edition_the_pages_were_built_from():
    assert pagefooter.edition_footer(["2024-06", "2099-01"], "../chapters/provenance.html") == (
        '<p class="natobook-edition">Data: NATO Public Diplomacy Division, Defence Expenditure of NATO Countries '
        "(2014-2024), edition 2024-06, released 17 June 2024; NATO defence-expenditure data, edition 2099-01 (not "
        "described in data/editions.yml), release date not recorded in data/editions.yml"
        ' · <a href="../chapters/provenance.html">Provenance</a></p>'
    )
    assert pagefooter.edition_footer([], "provenance.html") == ""  # no executed notebook: no edition to name


def test_the_footer_escapes_what_comes_from_data(monkeypatch):
    registry = {"2024-06": editions.registry()["2024-06"] | {"title": "Tables <script>alert(1)</script> & more"}}
    monkeypatch.setattr(editions, "registry", lambda: registry)
    footer = pagefooter.edition_footer(["2024-06"], None)
    assert "<script>" not in footer and "Tables &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in footer
