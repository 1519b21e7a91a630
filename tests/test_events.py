"""The Washington-visit chapter: its event file, its claims check, its timeline and its notebook."""

from __future__ import annotations

import ast
import csv
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import notebookkit
import pandas as pd
import pybtex.database
import pytest
import vl_convert
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from natobook import paths
from natobook.analysis import indicators
from natobook.build import textnotebook
from natobook.charts import style, timeline, timeline_data
from natobook.data import claims as claims_check
from natobook.data import events, schema
from natobook.errors import DataError
from natobook.site import bibstyle

EVENTS = paths.DATA / "events.csv"
CLAIMS = paths.DATA / "claims.csv"
BIB = paths.DATA / "references.bib"
PUBLISHED = paths.PUBLISHED / "annual_report_2024.csv"
NOTEBOOK = paths.NOTEBOOKS / "washington_visit.md"
CHAPTER = paths.CHAPTERS / "washington_visit.ipynb"

# Figures the prose may write as text: the 2% guideline and the Hague targets (cited facts).
TARGET_PERCENTAGES = {"2", "5", "3.5", "1.5"}
# A number that reads as a spending figure: a percentage, an amount, a count of Allies.
SPENDING_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?:\s*(%|per cent|billion|bn)|(?: of \d+)? Allies)")


def notebook_defaults() -> dict:
    """The notebook's parameter defaults, read from its `parameters` cell."""
    notebook = textnotebook.read_source(NOTEBOOK)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    values = {}
    for node in ast.parse(cell.source).body:
        if isinstance(node, ast.Assign):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


@pytest.fixture(scope="module")
def bib() -> pybtex.database.BibliographyData:
    return pybtex.database.parse_file(str(BIB))


@pytest.fixture(scope="module")
def window() -> tuple[str, str]:
    defaults = notebook_defaults()
    return defaults["window_start"], defaults["window_end"]


@pytest.fixture(scope="module")
def visit_events(window) -> pd.DataFrame:
    return events.read_events(EVENTS, window=window)


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return pd.read_csv(PUBLISHED).set_index("fact_id")


# ------------------------------------------------------------------------------------ data files


def test_every_event_cites_an_entry_of_the_bibliography(visit_events, bib):
    missing = sorted(set(visit_events["source_key"]) - set(bib.entries))
    assert not missing, f"events.csv cites keys that references.bib lacks: {missing}"


def test_every_event_source_key_is_the_entry_of_its_url(visit_events, bib):
    wrong = [
        (row.date.date().isoformat(), row.source_key)
        for row in visit_events.itertuples()
        if bib.entries[row.source_key].fields.get("url") != row.source_url
    ]
    assert not wrong, f"source_key does not match source_url: {wrong}"


def test_every_claim_cites_entries_of_the_bibliography(bib):
    claims = claims_check.read_claims(CLAIMS)
    missing = sorted({key for keys in claims["source_keys"] for key in keys} - set(bib.entries))
    assert not missing, f"claims.csv cites keys that references.bib lacks: {missing}"


def test_event_dates_parse_and_lie_in_the_window(visit_events, window):
    first, last = (pd.Timestamp(day) for day in window)
    assert pd.api.types.is_datetime64_any_dtype(visit_events["date"])
    assert visit_events["date"].between(first, last).all()
    assert len(visit_events) == sum(1 for _ in csv.DictReader(EVENTS.open(encoding="utf-8")))


def test_the_visit_days_are_in_the_event_file(visit_events):
    days = set(visit_events["date"].dt.strftime("%Y-%m-%d"))
    assert {"2025-04-23", "2025-04-24", "2025-04-25"} <= days


def test_event_types_are_the_ones_the_chart_colours(visit_events):
    assert set(visit_events["event_type"]) <= set(events.EVENT_TYPES)
    assert set(events.EVENT_TYPES) <= set(timeline.TYPE_COLOURS)


def test_figures_in_event_summaries_are_targets_or_published_values(visit_events, published):
    allowed = TARGET_PERCENTAGES | {f"{v:g}" for v in published["value"].dropna()}
    stray = [
        (row.date.date().isoformat(), match.group(0))
        for row in visit_events.itertuples()
        for match in SPENDING_NUMBER.finditer(row.summary)
        if match.group(1) not in allowed
    ]
    assert not stray, f"figures in summaries that the published file does not hold: {stray}"


def test_claims_write_spending_figures_only_as_placeholders():
    claims = claims_check.read_claims(CLAIMS)
    stray = []
    for claim in claims.itertuples():
        for text in (claim.claim, claim.finding):
            literal = claims_check.PLACEHOLDER.sub("", text)
            stray += [
                (claim.claim_id, m.group(0))
                for m in SPENDING_NUMBER.finditer(literal)
                if not (m.group(2) == "%" and m.group(1) in TARGET_PERCENTAGES)
            ]
    assert not stray, f"type these as [[glue_name:format]] placeholders: {stray}"


def test_claims_table_turns_placeholders_into_glue_and_keys_into_citations():
    claims = claims_check.read_claims(CLAIMS)
    table = claims_check.claims_table_myst(claims)
    assert table.startswith("```{list-table}") and table.rstrip().endswith("```")
    assert "[[" not in table
    assert "{glue:text}`ar24_us_def:.0f`" in table and "{glue:text}`ar24_ec_def_rest:.0f`" in table
    assert table.count("{cite:p}`") == len(claims)
    assert set(claims["verdict"]) <= set(claims_check.VERDICTS)


# ------------------------------------------------------------------------------------ bad inputs


def _write_bad_copy(tmp_path: Path, change) -> tuple[Path, int]:
    """A copy of events.csv with one change; returns its path and the CSV line of the changed record."""
    frame = pd.read_csv(EVENTS, dtype=str, keep_default_na=False)
    row = 5  # sixth record: CSV line 7 (header is line 1)
    change(frame, row)
    target = tmp_path / "events.csv"
    frame.to_csv(target, index=False)
    return target, row + 2


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        (lambda f, r: f.__setitem__("date", f["date"].where(f.index != r, "2025-02-30")), "date", "not a date"),
        (lambda f, r: f.__setitem__("date", f["date"].where(f.index != r, "24/04/2025")), "date", "not a date"),
        (lambda f, r: f.__setitem__("date", f["date"].where(f.index != r, "2025-09-05")), "date", "outside the window"),
        (
            lambda f, r: f.__setitem__("confidence", f["confidence"].where(f.index != r, "certain")),
            "confidence",
            "is not one of high, medium, low",
        ),
        (
            lambda f, r: f.__setitem__("event_type", f["event_type"].where(f.index != r, "speech")),
            "event_type",
            "is not one of",
        ),
        (lambda f, r: f.__setitem__("summary", f["summary"].where(f.index != r, "  ")), "summary", "is empty"),
        (
            lambda f, r: f.__setitem__("source_key", f["source_key"].where(f.index != r, "no key")),
            "source_key",
            "bibliography key",
        ),
    ],
    ids=["impossible-date", "date-format", "out-of-window", "confidence", "event-type", "empty-summary", "source-key"],
)
def test_a_bad_value_is_reported_with_file_line_and_column(tmp_path, window, change, column, message):
    target, line = _write_bad_copy(tmp_path, change)
    with pytest.raises(DataError) as caught:
        events.read_events(target, window=window)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.file, problem.row, problem.column) == (str(target), line, column)
    assert message in problem.message
    assert f"row {line}, column '{column}'" in str(caught.value)


def test_a_missing_column_is_reported_by_name(tmp_path, window):
    target, _ = _write_bad_copy(tmp_path, lambda f, r: f.pop("confidence"))
    with pytest.raises(DataError) as caught:
        events.read_events(target, window=window)
    assert [(p.file, p.column, p.row) for p in caught.value.problems] == [(str(target), "confidence", None)]
    assert "required column is missing" in str(caught.value)


def test_line_numbers_count_quoted_newlines(tmp_path, window):
    frame = pd.read_csv(EVENTS, dtype=str, keep_default_na=False)
    frame.loc[0, "summary"] = "A summary\nover two lines."
    frame.loc[3, "confidence"] = "unsure"
    target = tmp_path / "events.csv"
    frame.to_csv(target, index=False)
    with pytest.raises(DataError) as caught:
        events.read_events(target, window=window)
    assert [p.row for p in caught.value.problems] == [3 + 2 + 1]  # one extra physical line above it


def test_a_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        events.read_events(tmp_path / "nowhere.csv")


def test_a_bad_claim_is_reported_with_line_and_column(tmp_path):
    frame = pd.read_csv(CLAIMS, dtype=str, keep_default_na=False)
    frame.loc[2, "verdict"] = "true"
    target = tmp_path / "claims.csv"
    frame.to_csv(target, index=False)
    with pytest.raises(DataError) as caught:
        claims_check.read_claims(target)
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "verdict")]


def test_a_claim_without_verdict_or_report_facts_is_named(tmp_path):
    frame = pd.read_csv(CLAIMS, dtype=str, keep_default_na=False)
    frame.loc[0, "verdict"] = ""
    frame.loc[6, "report_facts"] = "AR24_NOPE"
    target = tmp_path / "claims.csv"
    frame.to_csv(target, index=False)
    with pytest.raises(DataError, match="row 2, column 'verdict': is blank: give a verdict or the report_facts"):
        claims_check.read_claims(target)
    frame.loc[0, "verdict"] = "confirmed"
    frame.to_csv(target, index=False)
    with pytest.raises(DataError, match="column 'report_facts': names facts the published file lacks: AR24_NOPE"):
        claims_check.read_claims(target)


# ------------------------------------------------------------------------------------ bibliography


def test_the_book_style_formats_every_entry(bib):
    """Pybtex's own styles stop at @report; ours formats every entry, with its date."""
    formatted = list(bibstyle.Style().format_entries(bib.entries.values()))
    assert len(formatted) == len(bib.entries)
    text = {entry.key: entry.text.render_as("text") for entry in formatted}
    assert "24 April 2025" in text["nato2025annualreport"]
    assert "23 April 2025" in text["natopr2025washington"]


def test_every_key_the_chapter_cites_is_in_the_bibliography(bib):
    notebook = textnotebook.read_source(NOTEBOOK)
    cited = set()
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for keys in re.findall(r"\{cite:[a-z]+\}`([^`]+)`", cell.source):
                cited |= {key.strip() for key in keys.split(",")}
    assert cited, "the chapter cites nothing"
    assert not cited - set(bib.entries), sorted(cited - set(bib.entries))


# ------------------------------------------------------------------------------------ the notebook source


def test_notebook_source_follows_the_book_conventions():
    notebook = textnotebook.read_source(NOTEBOOK)
    first, parameters = notebook.cells[0], notebook.cells[1]
    assert first.cell_type == "markdown"
    assert first.source.splitlines()[0] == "# Rutte in Washington, 24–25 April 2025"
    assert {"parameters", "remove-cell"} <= set(parameters.metadata.get("tags", []))
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "commit the notebook with outputs stripped"
    defaults = notebook_defaults()
    assert defaults["events_path"] == "../data/events.csv"
    assert defaults["data_path"] == "../data/processed/nato_defence_expenditure.csv"
    assert defaults["published_path"] == "../data/published/annual_report_2024.csv"
    assert (defaults["window_start"], defaults["window_end"]) == ("2025-01-01", "2025-08-31")


def test_no_spending_figure_is_typed_into_the_prose():
    notebook = textnotebook.read_source(NOTEBOOK)
    stray = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        prose = re.sub(r"\{[a-z:]+\}`[^`]*`", "", cell.source)  # roles: glue, cite, doc, numref
        for match in SPENDING_NUMBER.finditer(prose):
            if not (match.group(2) == "%" and match.group(1) in TARGET_PERCENTAGES):
                stray.append(match.group(0))
    assert not stray, f"glue these instead of typing them: {stray}"


# ------------------------------------------------------------------------------------ the timeline


@pytest.fixture(scope="module")
def chart_spec(visit_events, window) -> dict:
    return timeline.visit_timeline(visit_events, window).to_dict()


def _units(spec: dict):
    """Every unit (single-mark) view of a spec, however deeply layered or concatenated."""
    for key in ("vconcat", "hconcat", "concat", "layer"):
        for child in spec.get(key, []):
            yield from _units(child)
    if "mark" in spec:
        yield spec


def _params(spec: dict):
    """Every parameter of a spec: Altair lifts selections to the top level, naming their views."""
    yield from spec.get("params", [])
    for key in ("vconcat", "hconcat", "concat", "layer"):
        for child in spec.get(key, []):
            yield from _params(child)


def test_timeline_has_a_legend_bound_selection_that_filters_the_dots(chart_spec):
    dots = [u for u in _units(chart_spec) if str(u.get("name", "")).startswith(timeline.DETAIL_LAYER)]
    assert len(dots) == 2, "one layer of dots in the overview and one in the close-up"
    selections = [p for p in _params(chart_spec) if p["name"] == timeline.SELECTION]
    assert len(selections) == 1
    selection = selections[0]
    assert selection["bind"] == "legend" and selection["select"]["fields"] == ["event_type"]
    assert set(selection.get("views", [])) <= {u["name"] for u in dots}
    for unit in dots:
        assert {"filter": {"param": timeline.SELECTION}} in unit.get("transform", [])
        assert {"filter": timeline.menu_filter()} in unit.get("transform", [])
        colour = unit["encoding"]["color"]
        assert colour["scale"]["domain"] == list(events.EVENT_TYPES), "the legend must keep listing every type"
        assert {"date_label", "summary", "source_title"} <= {t["field"] for t in unit["encoding"]["tooltip"]}


def test_timeline_has_a_labelled_menu_with_every_type_for_the_keyboard(chart_spec):
    menus = [p for p in _params(chart_spec) if p["name"] == timeline.MENU]
    assert len(menus) == 1
    menu = menus[0]
    assert menu["bind"]["input"] == "select" and menu["bind"]["name"].startswith("Show")
    assert menu["bind"]["options"] == [menu["value"], *events.EVENT_TYPES], "'all' first, then every type"
    assert len(menu["bind"]["labels"]) == len(menu["bind"]["options"])


def test_a_type_called_like_the_menus_all_is_refused(visit_events, window):
    renamed = visit_events.assign(event_type=visit_events["event_type"].replace("meeting", timeline.MENU_ALL))
    with pytest.raises(ValueError, match="may not be called"):
        timeline.visit_timeline(renamed, window, types=[timeline.MENU_ALL, *events.EVENT_TYPES[1:]])


# A few invented events: the snapshot records the spec's structure, not the event file, which changes.
SNAPSHOT_EVENTS = pd.DataFrame(
    {
        "date": pd.to_datetime(["2025-01-07", "2025-04-24", "2025-04-24", "2025-06-25"]),
        "event_type": ["statement", "meeting", "publication", "summit"],
        "place": ["Florida", "Washington", "Brussels", "The Hague"],
        "actors": ["A", "B", "C", "D"],
        "summary": ["First.", "Second.", "Third.", "Fourth."],
        "source_key": ["k1", "k2", "k3", "k4"],
        "source_title": ["T1", "T2", "T3", "T4"],
        "source_url": [f"https://example.org/{n}" for n in range(4)],
        "confidence": ["high", "high", "medium", "high"],
    }
)


def test_timeline_spec_matches_snapshot(window, chart_snapshot):
    style.enable()  # the snapshot holds the house theme, as the notebook draws it
    assert timeline.visit_timeline(SNAPSHOT_EVENTS, window).to_dict() == chart_snapshot(name="fig-visit-timeline")


def test_timeline_has_a_title_alt_text_and_the_visit_shaded(chart_spec):
    assert chart_spec["title"]["text"]
    assert "24–25 April 2025" in chart_spec["description"]
    assert "table below the figure" in chart_spec["description"], "screen readers must learn where the details are"
    bands = [u for u in _units(chart_spec) if u["mark"].get("type") == "rect" and u["encoding"].get("x2")]
    assert bands
    shaded = [v for v in chart_spec["datasets"].values() if v and v[0].get("start") == "2025-04-24"]
    assert shaded and shaded[0][0]["end"] == "2025-04-26"  # through the end of 25 April


def test_timeline_uses_the_house_palette(chart_spec):
    colour = next(u for u in _units(chart_spec) if "color" in u.get("encoding", {}))["encoding"]["color"]
    assert set(colour["scale"]["range"]) <= set(style.CATEGORY)


def _marks(svg: str, layer: str) -> int:
    match = re.search(rf'<g class="mark-symbol role-mark {layer}(?:_\d+)?_marks"[^>]*>(.*?)</g>', svg, re.S)
    assert match, f"no mark group for {layer}"
    return match.group(1).count("<path")


def test_timeline_compiles_to_svg_with_one_mark_per_event(chart_spec, visit_events):
    svg = vl_convert.vegalite_to_svg(chart_spec)
    assert _marks(svg, timeline.OVERVIEW_LAYER) == len(visit_events)
    assert _marks(svg, timeline.DETAIL_LAYER) == len(visit_events)  # clipped to the close-up, not dropped
    assert svg.count('role-legend-symbol event_type_legend_symbols"') == len(events.EVENT_TYPES)  # one legend
    assert all(f">{kind}<" in svg for kind in events.EVENT_TYPES)


def _table_cells(table: str) -> list[str]:
    """The text of each cell of a MyST list-table, header row included."""
    return [line.split("- ", 1)[1] for line in table.splitlines() if re.match(r"^(\* |  )- ", line)]


def test_events_table_lists_every_tooltip_field_of_every_event(visit_events):
    frame = timeline_data.timeline_frame(visit_events, timeline_data.detail_window(("2025-04-24", "2025-04-25")))
    table = timeline_data.events_table_myst(frame, "Events", "tbl-x")
    assert table.startswith("```{list-table} Events") and ":name: tbl-x" in table
    assert table.count("{cite:p}`") == len(visit_events)
    cells = _table_cells(table)
    assert len(cells) == 4 * (len(visit_events) + 1)
    first = visit_events.sort_values("date", kind="stable").iloc[0]
    date, kind, happened, source = cells[4:8]
    assert date == first["date"].strftime("%-d %B %Y") and kind == first["event_type"]
    assert happened == f"{first['summary']} Where: {first['place']}."
    assert source == f"{first['source_title']} {{cite:p}}`{first['source_key']}`. Confidence: {first['confidence']}."


HOSTILE = {
    "summary": "1. <script>alert(1)</script> *bold* `code` {cite:p}`x` [[n:.1f]] & $x$",
    "place": "<b>Brussels</b>\n::: fence",
    "source_title": "- a bullet\nand a second line",
}


def test_events_table_escapes_every_value_from_the_data(visit_events):
    frame = timeline_data.timeline_frame(visit_events.head(1).assign(**HOSTILE), ("2025-01-01", "2025-01-02"))
    happened, source = _table_cells(timeline_data.events_table_myst(frame, "E", "tbl-x"))[6:8]
    # Each cell, read as Markdown, must come out as its text and nothing else: no tag, no emphasis, no list.
    as_html = MarkdownIt("commonmark").render
    flat = {key: " ".join(text.split()) for key, text in HOSTILE.items()}
    assert as_html(happened) == f"<p>{escapeHtml(flat['summary'])} Where: {escapeHtml(flat['place'])}.</p>\n"
    source_title = source.split(" {cite:p}`")[0]
    assert as_html(source_title) == f"<p>{escapeHtml(flat['source_title'])}</p>\n"


def test_timeline_figure_data_is_the_event_file(visit_events):
    frame = timeline_data.timeline_frame(visit_events, timeline_data.detail_window(("2025-04-24", "2025-04-25")))
    assert list(frame.columns[: len(timeline_data.CSV_COLUMNS)]) == timeline_data.CSV_COLUMNS
    assert len(frame) == len(visit_events)
    assert frame["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


# ------------------------------------------------------------------------------------ in a real browser

# The dots each panel draws, {"events_overview": n, "events": n}, read from the SVG: a filtered-out dot
# is not drawn at all. Shared with the keyboard test (test_site_keyboard.py).
EVENT_MARKS = r"""() => {
  const out = {};
  document.querySelectorAll('g.role-mark').forEach(g => {
    const m = g.getAttribute('class').match(/\b(events(?:_overview)?)(?:_\d+)?_marks\b/);
    if (m) out[m[1]] = g.querySelectorAll('path').length;
  });
  return out;
}"""

PROBE = (
    r"""
<pre id="result">pending</pre>
<script>
(async function () {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const count = """
    + EVENT_MARKS
    + r""";
  const click = el => el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
  for (let i = 0; i < 150 && !count().events; i++) await sleep(100);
  const before = count();
  const entries = [...document.querySelectorAll('g.event_type_legend_symbols path')];
  click(entries[0]);                       // the first legend entry: "meeting"
  await sleep(500);
  const filtered = count();
  click(document.querySelector('.natobook-chart svg'));   // the background: show all again
  await sleep(500);
  const reset = count();
  document.getElementById('result').textContent = JSON.stringify({before, filtered, reset, legend: entries.length});
})().catch(e => { document.getElementById('result').textContent = 'ERROR ' + e; });
</script>
"""
)


@pytest.mark.browser
def test_timeline_draws_and_its_legend_filters_in_chromium(tmp_path, chart_spec, visit_events):
    """The book's own markup and vega bundle, in Debian's Chromium: draw, click a legend entry, reset."""
    from sitekit import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make chromium`")
    style.write_vega_bundle(tmp_path)
    shutil.copyfile(paths.STATIC / "natobook-charts.js", tmp_path / "natobook-charts.js")  # draws every chart
    chart = style.offline_mimebundle(chart_spec)["text/html"]
    page = tmp_path / "timeline.html"
    page.write_text(
        '<!doctype html><html><head><meta charset="utf-8"><script src="vega-bundle.js"></script>'
        '<script src="natobook-charts.js"></script></head>'
        f"<body>{chart}{PROBE}</body></html>",
        encoding="utf-8",
    )
    result = subprocess.run(
        [CHROMIUM, "--headless", *CHROMIUM_ARGS, "--virtual-time-budget=20000", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    match = re.search(r'<pre id="result">([^<]*)</pre>', result.stdout)
    assert match, result.stderr[-2000:]
    counts = json.loads(match.group(1))
    meetings = int((visit_events["event_type"] == events.EVENT_TYPES[0]).sum())
    assert counts["legend"] == len(events.EVENT_TYPES)
    assert counts["before"] == {"events_overview": len(visit_events), "events": len(visit_events)}
    assert counts["filtered"] == {"events_overview": meetings, "events": meetings}
    assert counts["reset"] == counts["before"]


@pytest.mark.browser
def test_timeline_filters_on_the_published_page(built_site, browser):
    """The chapter as published: the chart draws, and a click on a legend entry leaves fewer dots."""
    from sitekit import serve

    page_path = "chapters/washington_visit.html"
    if not (built_site / page_path).exists():
        pytest.fail(f"{page_path} is not in the built site: is the chapter in _toc.yml?")
    count = f"() => ({EVENT_MARKS})().{timeline.DETAIL_LAYER} || 0"
    with serve(built_site) as base:
        page = browser.new_page()
        page.goto(f"{base}/{page_path}", wait_until="load")
        page.wait_for_function(f"({count})() > 0", timeout=20_000)
        before = page.evaluate(count)
        page.locator("g.event_type_legend_symbols path").first.click()
        page.wait_for_function(f"({count})() < {before}", timeout=5_000)
        after = page.evaluate(count)
        page.close()
    assert 0 < after < before


# ------------------------------------------------------------------------------------ executing the notebook


@pytest.mark.build
def test_notebook_executes_and_glues_the_published_numbers(tmp_path, published):
    if not paths.TIDY_CSV.exists():
        pytest.fail(f"{paths.TIDY_CSV} is missing: run the ingest (make book) first")
    out = notebookkit.execute(NOTEBOOK.stem, tmp_path / "washington_visit.ipynb")
    outputs = notebookkit.read_outputs(out)
    glued = outputs.glued

    number = {
        name: float(bundle["text/plain"])
        for name, bundle in glued.items()
        if re.fullmatch(r"-?\d+(\.\d+)?", bundle.get("text/plain", ""))
    }
    expected = {fact_id.lower(): value for fact_id, value in published["value"].dropna().items()}
    from_file = {name: value for name, value in number.items() if name in expected}
    assert {"ar24_ec_usd", "ar24_ec_real", "ar24_us_def", "ar24_n2pct"} <= set(from_file)
    assert {name: expected[name] for name in from_file} == from_file, "a glued number differs from the published file"
    assert number["ar24_ec_def_rest"] == 100 - expected["ar24_us_def"]

    data = schema.read_tidy_csv(paths.TIDY_CSV)
    data = data[data["edition"] == notebook_defaults()["edition"]]
    year = indicators.latest_year(data)
    assert number["data_year"] == year
    assert number["n_at_guideline"] == indicators.count_allies_at_or_above(data, indicators.SHARE_OF_GDP, year, 2.0)

    assert "fig-visit-timeline" in glued and "text/html" in glued["fig-visit-timeline"]
    assert "{cite:p}`" in glued["claims-table"]["text/markdown"]
    markdown = "\n".join(c.source for c in nbformat.read(out, as_version=4).cells if c.cell_type == "markdown")
    referenced = set(re.findall(r"\{glue:(?:text|md)\}`([\w-]+)", markdown + glued["claims-table"]["text/markdown"]))
    assert referenced <= set(glued), f"referenced but never glued: {sorted(referenced - set(glued))}"
    assert (outputs.figures / "fig-visit-timeline.csv").exists()
