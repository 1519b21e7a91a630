"""The book works with the keyboard alone: Tab reaches the target slider, arrow keys move it, the totals follow."""
from __future__ import annotations

import pytest
from sitekit import serve

pytestmark = pytest.mark.browser
MAX_TABS = 300
TOTALS = "() => [...document.querySelectorAll('#fig-gap-to-target svg text')].map(t => t.textContent).join('|')"


def test_slider_is_reachable_and_usable_with_the_keyboard(built_site, browser):
    with serve(built_site) as base:
        page = browser.new_page()
        page.goto(f"{base}/chapters/targets.html", wait_until="load")
        page.wait_for_selector("#fig-gap-to-target input[type=range]")
        for _ in range(MAX_TABS):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('#fig-gap-to-target input[type=range]')"):
                break
        else:
            pytest.fail(f"the slider was not reached in {MAX_TABS} presses of Tab")
        before = page.evaluate(TOTALS)
        for _ in range(10):
            page.keyboard.press("ArrowLeft")
        page.wait_for_function(f"() => ({TOTALS})() !== {before!r}", timeout=5_000)
        assert "USD" in page.evaluate(TOTALS)
        page.close()
