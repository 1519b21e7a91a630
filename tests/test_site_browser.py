"""Open every page of the built site in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sitekit import serve, site_pages

pytestmark = pytest.mark.browser

# Console noise Jupyter Book 1 itself makes, listed so that anything else fails the test.
KNOWN_CONSOLE_NOISE = [
    re.compile(r"Identifier 'THEBE_JS_URL' has already been declared"),  # sphinx-thebe declares it twice
    re.compile(r"Got invalid theme mode"),  # pydata-sphinx-theme, before its settings load
]


def _is_local(url: str, base: str) -> bool:
    return url.startswith(base) or url.startswith(("data:", "blob:", "about:"))


@pytest.fixture(scope="module")
def visits(built_site, browser):
    """Each page once: what it requested, what it logged, what it shows."""
    results = {}
    with serve(built_site) as base:
        for page_path in site_pages(built_site):
            page = browser.new_page()
            requests, console_errors, failed = [], [], []
            page.on("request", lambda request, seen=requests: seen.append(request.url))
            page.on("console", lambda msg, seen=console_errors: msg.type == "error" and seen.append(msg.text))
            page.on("pageerror", lambda exc, seen=console_errors: seen.append(str(exc)))
            page.on("response", lambda r, seen=failed: r.status >= 400 and seen.append(f"{r.status} {r.url}"))
            page.goto(f"{base}/{page_path}", wait_until="load")
            charts = page.locator(".natobook-chart").count()
            if charts:
                page.wait_for_function(
                    "n => document.querySelectorAll('.natobook-chart svg').length >= n", arg=charts, timeout=20_000
                )
            results[page_path] = {
                "base": base,
                "requests": requests,
                "console_errors": console_errors,
                "failed_responses": failed,
                "charts": charts,
                "charts_with_marks": page.evaluate(
                    "sel => [...document.querySelectorAll('.natobook-chart')]"
                    ".filter(c => c.querySelectorAll(sel).length > 0).length",
                    ".role-mark > *",
                ),
                "text": page.inner_text("body"),
                "parameter_cells": page.locator(".tag_parameters, .tag_injected-parameters").count(),
            }
            page.close()
    return results


def test_the_site_has_its_chapters(visits):
    assert "index.html" in visits
    assert "chapters/share_of_gdp.html" in visits


def test_every_chart_draws_marks(visits):
    drawn = {page: (v["charts"], v["charts_with_marks"]) for page, v in visits.items() if v["charts"]}
    assert drawn, "no page has a chart"
    assert all(total == with_marks for total, with_marks in drawn.values()), drawn


def test_only_pages_with_charts_load_the_chart_library(visits):
    """The 0.9 MB chart library (and the script that draws with it) is requested by the pages that draw a chart."""

    def requested(visit, script):
        return any(urlsplit(url).path.endswith(f"/_static/{script}") for url in visit["requests"])

    with_charts = {page for page, v in visits.items() if v["charts"]}
    assert with_charts and set(visits) - with_charts, "the site has pages with charts and pages without"
    for script in ("vega-bundle.js", "natobook-charts.js"):
        assert {page for page, v in visits.items() if requested(v, script)} == with_charts, script


def test_no_request_leaves_loopback(visits):
    outside = {page: [u for u in v["requests"] if not _is_local(u, v["base"])] for page, v in visits.items()}
    assert not any(outside.values()), {page: urls for page, urls in outside.items() if urls}


def test_every_resource_loads(visits):
    failed = {page: v["failed_responses"] for page, v in visits.items() if v["failed_responses"]}
    assert not failed, failed


def test_no_console_errors_beyond_known_noise(visits):
    unexpected = {
        page: [m for m in v["console_errors"] if not any(p.search(m) for p in KNOWN_CONSOLE_NOISE)]
        for page, v in visits.items()
    }
    assert not any(unexpected.values()), {page: msgs for page, msgs in unexpected.items() if msgs}


def test_no_parameters_code_on_any_page(visits):
    for page, visit in visits.items():
        assert visit["parameter_cells"] == 0, page
        assert "data_path =" not in visit["text"], page
        assert "Parameters (papermill" not in visit["text"], page


def test_every_ally_has_a_profile_and_the_country_index_sorts(visits, built_site, browser):
    assert "chapters/countries/pol.html" in visits and "chapters/countries/isl.html" in visits
    with serve(built_site) as base:
        page = browser.new_page()
        page.goto(f"{base}/chapters/countries.html", wait_until="load")
        first_ally = "#country-index tbody tr:first-child th"
        assert page.inner_text(first_ally) == "Poland"  # highest share of GDP first
        page.click("#country-index thead th:first-child button")  # sort by name, A to Z
        assert page.inner_text(first_ally) == "Albania"
        assert page.get_attribute("#country-index thead th:first-child", "aria-sort") == "ascending"
        page.click(f"{first_ally} a")
        assert page.url.endswith("/chapters/countries/alb.html")
        page.close()


def test_country_pages_run_in_the_order_of_their_names(built_site, browser):
    """The sidebar lists the profiles A to Z by name, and previous/next follow it (not the ISO codes' order)."""
    with serve(built_site) as base:
        page = browser.new_page()
        page.goto(f"{base}/chapters/countries/dnk.html", wait_until="load")
        names = page.eval_on_selector_all(  # a.href: the address resolved ("alb.html" from a country page)
            "nav.bd-docs-nav a",
            "links => links.filter(a => a.href.includes('/chapters/countries/')).map(a => a.textContent.trim())",
        )
        assert len(names) == 32 and names[0] == "Albania" and names[-1] == "United States", names
        assert names.index("Denmark") < names.index("Germany") and names.index("France") < names.index("United Kingdom")
        assert names.index("Türkiye") < names.index("United Kingdom")
        # Denmark comes between Czechia and Estonia, as in any atlas
        assert "Czechia" in page.inner_text("a.left-prev") and "Estonia" in page.inner_text("a.right-next")
        figure_numbers = page.eval_on_selector_all("figure .caption-number", "spans => spans.map(s => s.textContent)")
        assert [n.strip() for n in figure_numbers] == ["Figure 1", "Figure 2", "Figure 3", "Figure 4"], figure_numbers
        page.close()
