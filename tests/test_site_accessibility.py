"""axe-core on every page of the built site, in Debian's Chromium: no serious or critical violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from sitekit import serve, site_pages

pytestmark = pytest.mark.browser
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def violations(built_site, browser):
    axe = Axe()
    found = {}
    with serve(built_site) as base:
        for page_path in site_pages(built_site):
            page = browser.new_page()
            page.goto(f"{base}/{page_path}", wait_until="load")
            page.wait_for_function(
                "() => [...document.querySelectorAll('.natobook-chart')].every(c => c.querySelector('svg'))",
                timeout=20_000,
            )
            result = axe.run(page)
            found[page_path] = [
                f"{v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['target']}"
                for v in result.response["violations"]
                if v["impact"] in BLOCKING
            ]
            page.close()
    return found


def test_no_serious_or_critical_violations(violations):
    assert violations, "no page was scanned"
    blocking = {page: found for page, found in violations.items() if found}
    assert not blocking, blocking


def test_every_chart_has_a_text_alternative(built_site, browser):
    with serve(built_site) as base:
        page = browser.new_page()
        page.goto(f"{base}/chapters/share_of_gdp.html", wait_until="load")
        labels = page.eval_on_selector_all(".natobook-chart", "els => els.map(e => e.getAttribute('aria-label'))")
        page.close()
    assert labels and all(label and len(label) > 40 for label in labels), labels
