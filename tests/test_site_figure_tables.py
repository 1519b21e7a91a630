"""Every figure of the built site, in a real browser, has a table of its data (issue #15): "Chart | Table" tabs that
work by mouse and by keyboard, a table whose cells are the figure's CSV, shown without JavaScript and printed in
place of an interactive chart; and NATO's estimates are drawn one way in every chart type (issue #14)."""

from __future__ import annotations

import csv
import re

import pytest
from sitekit import serve
from test_site_charts import chart_pages, open_page

pytestmark = pytest.mark.browser

# Each figure with a chart: whether it opens on its chart, whether its tabs switch (clicked), and its table (the
# columns it shows, by the CSV's names, and every cell's text). In the page, one call per page: 150 figures.
FIGURES = """() => [...document.querySelectorAll('figure')].filter(f => f.querySelector('.natobook-chart')).map(f => {
  const part = view => document.getElementById(`${f.id}-${view}`);
  const shown = element => !!element && element.checkVisibility();
  const only = (one, other) => shown(one) && !shown(other);
  const found = {id: f.id, opensOnChart: only(part('chart'), part('table'))};
  if (part('tab-table')) {
    part('tab-table').click();
    found.switches = only(part('table'), part('chart')) && part('tab-table').getAttribute('aria-selected') === 'true'
      && shown(f.querySelector('figcaption'));  // the caption and the citation under it belong to both views
    part('tab-chart').click();
    found.switchesBack = only(part('chart'), part('table'));
  }
  const table = f.querySelector('table.natobook-figure-data');
  found.csv = table ? table.dataset.csv : null;
  found.columns = table ? [...table.tHead.rows[0].cells].map(c => c.dataset.column) : [];
  found.rows = table ? [...table.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent)) : [];
  return found;
})"""
BOOLEANS = {"True": "yes", "False": "no"}


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


def test_every_figure_has_a_table_view_whose_cells_are_its_csv(built_site, browser, site_url):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    checked = 0
    for page_path in chart_pages(built_site):
        page = context.new_page()
        page.goto(f"{site_url}/{page_path}", wait_until="load")
        for figure in page.evaluate(FIGURES):
            name = figure["id"]
            assert figure["csv"] == f"{name}.csv", f"{page_path}: {name} has no table of its data"
            assert figure["opensOnChart"], f"{page_path}: {name} does not open on its chart"
            assert figure["switches"] and figure["switchesBack"], f"{page_path}: {name}'s tabs do not switch"
            rows = read_csv(built_site / "figures" / figure["csv"])
            expected = [[BOOLEANS.get(row[column], row[column]) for column in figure["columns"]] for row in rows]
            assert figure["rows"] == expected, f"{page_path}: {name}'s table is not its CSV"
            checked += 1
        page.close()
    context.close()
    assert checked >= 13 + 31 * 4, f"only {checked} figures have a table"


def test_the_tabs_switch_by_keyboard(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = open_page(context, f"{site_url}/chapters/share_of_gdp.html")
    name = "fig-share-of-gdp"
    chart_tab, table_tab = page.locator(f"#{name}-tab-chart"), page.locator(f"#{name}-tab-table")
    assert chart_tab.get_attribute("tabindex") == "0" and table_tab.get_attribute("tabindex") == "-1"
    chart_tab.focus()
    page.keyboard.press("ArrowRight")
    assert table_tab.get_attribute("aria-selected") == "true" and chart_tab.get_attribute("aria-selected") == "false"
    assert page.evaluate("document.activeElement.id") == f"{name}-tab-table"
    assert page.locator(f"#{name}-table").is_visible() and not page.locator(f"#{name}-chart").is_visible()
    page.keyboard.press("Tab")  # into the panel (it scrolls, so it must take the focus)
    assert page.evaluate("document.activeElement.id") == f"{name}-table"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Home")
    assert chart_tab.get_attribute("aria-selected") == "true" and page.locator(f"#{name}-chart").is_visible()
    page.keyboard.press("ArrowLeft")  # wraps round to the last tab
    assert table_tab.get_attribute("aria-selected") == "true"
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.id") == f"{name}-tab-table"
    context.close()


def test_without_javascript_the_table_is_in_the_page(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/chapters/share_of_gdp.html", wait_until="load")
    table = page.locator("#fig-share-of-gdp-table table")
    assert table.is_visible()
    assert not page.locator("#fig-share-of-gdp .natobook-figure-tabs").is_visible()  # tabs that could not work
    headers = table.locator("thead th").all_text_contents()
    assert headers == ["Ally", "Year (e = NATO estimate)", "Defence expenditure, % of GDP (NATO, share of real GDP)"]
    poland = [row for row in table.locator("tbody tr").all_inner_texts() if row.startswith("Poland")]
    assert [re.split(r"\t", row) for row in poland] == [["Poland", "2014", "1.88"], ["Poland", "2024e", "4.12"]]
    context.close()


def test_an_interactive_chart_prints_as_its_table(browser, site_url):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = open_page(context, f"{site_url}/chapters/targets.html")
    page.emulate_media(media="print")
    assert page.locator("#fig-gap-to-target-table").is_visible()  # the slider cannot be printed: its table is
    assert not page.locator("#fig-gap-to-target-chart").is_visible()
    assert page.locator("#fig-cost-of-targets-chart").is_visible()  # a static chart prints as itself
    assert not page.locator("#fig-cost-of-targets-table").is_visible()
    assert not page.locator(".natobook-figure-tabs").first.is_visible()
    context.close()


# The fill opacity and dash of every bar and dot, and whether its label names an estimate year ("2024e").
MARKS = """() => [...document.querySelectorAll('figure')].filter(f => f.querySelector('.natobook-chart svg')).flatMap(f =>
  [...f.querySelectorAll('.natobook-chart svg .role-mark')]
    .filter(group => /mark-(rect|symbol)/.test(group.getAttribute('class')))
    .flatMap(group => [...group.querySelectorAll('path')].map(mark => ({
      figure: f.id, kind: group.getAttribute('class').match(/mark-(rect|symbol)/)[1],
      label: mark.getAttribute('aria-label') || '',
      fillOpacity: getComputedStyle(mark).fillOpacity, dash: mark.getAttribute('stroke-dasharray') || '',
    }))))"""
ESTIMATE_YEAR = re.compile(r"\b(19|20)\d\de\b")
YEAR = re.compile(r"\b(19|20)\d\de?\b")
SOLID = "1,0"  # Vega's dash of a solid outline; a mark with no dash at all is drawn the same


def test_estimates_are_drawn_one_way_in_every_chart_type(built_site, browser, site_url):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    styles = {True: set(), False: set()}
    estimated_in = set()
    for page_path in [
        "chapters/share_of_gdp.html",
        "chapters/europe_canada.html",
        "chapters/equipment.html",
        "chapters/burden_sharing.html",
        "chapters/countries.html",
        "chapters/countries/pol.html",
    ]:
        page = open_page(context, f"{site_url}/{page_path}")
        for mark in page.evaluate(MARKS):
            if not YEAR.search(mark["label"]):
                continue
            estimate = bool(ESTIMATE_YEAR.search(mark["label"]))
            styles[estimate].add((float(mark["fillOpacity"]), mark["dash"] or SOLID))
            if estimate:
                estimated_in.add((mark["figure"], mark["kind"]))
        page.close()
    context.close()
    assert styles[True] == {(0.15, "3,2")}, styles[True]
    assert styles[False] == {(1.0, SOLID)}, styles[False]
    figures = {figure for figure, _ in estimated_in}
    assert {
        "fig-allies-at-guideline",
        "fig-share-of-gdp",
        "fig-country-trajectories",
        "fig-equipment-share",
        "fig-spending-categories",
        "fig-spending-per-head",
        "fig-pol-real-change",
        "fig-pol-share-of-gdp",
    } <= figures, figures
    assert {kind for _, kind in estimated_in} == {"rect", "symbol"}  # bars and dots


LEGEND = """() => [...document.querySelectorAll('.natobook-chart svg .role-legend-symbol path')].map(symbol => ({
  label: symbol.closest('g').parentElement.querySelector('.role-legend-label text').textContent,
  opacity: Number(symbol.getAttribute('opacity') || 1),
}))"""


def test_the_legend_symbol_of_an_estimate_is_pale_like_its_marks(browser, site_url):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = open_page(context, f"{site_url}/chapters/share_of_gdp.html")
    symbols = page.evaluate(LEGEND)
    context.close()
    estimate = [s["opacity"] for s in symbols if s["label"] == "NATO estimate (e)"]
    reported = [s["opacity"] for s in symbols if s["label"] == "NATO figure"]
    assert estimate and reported
    assert max(estimate) < 0.5 and min(reported) == 1
