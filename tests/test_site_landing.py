"""The front door in a real browser: one search box, and (on a laptop screen) what a reader sees first."""

from __future__ import annotations

import pytest
from sitekit import serve

pytestmark = pytest.mark.browser

SEARCH_BOXES = ".search-button-field, .search-button, input[type=search]"


@pytest.mark.parametrize("page_path", ["index.html", "chapters/reproduction.html"])
def test_one_search_box_on_a_laptop_screen(built_site, browser, page_path):
    with serve(built_site) as base:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{base}/{page_path}", wait_until="load")
        visible = [box for box in page.locator(SEARCH_BOXES).all() if box.is_visible()]
        page.close()
    assert len(visible) == 1, f"{len(visible)} search boxes visible on {page_path}"


def test_front_door_shows_key_figures_and_the_story_chart_without_scrolling(built_site, browser):
    with serve(built_site) as base:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{base}/index.html", wait_until="load")
        page.wait_for_selector(".natobook-chart svg", timeout=20_000)
        cards = page.locator(".natobook-keyfigures li")
        texts = cards.all_inner_texts()
        strip_bottom = page.locator(".natobook-keyfigures").bounding_box()
        chart = page.locator(".natobook-chart svg").first.bounding_box()
        verdict = page.locator("p", has_text="What the check found").inner_text()
        link = page.locator("p", has_text="What the check found").locator("a[href*='reproduction']").count()
        page.close()
    assert len(texts) == 4
    # Each card: a number computed from the data, the report's number beside it, and a status.
    assert "Annual Report: 22" in texts[0] and "✓ reproduced" in texts[0]  # the report's own list gives 22
    assert "NATO's June 2024 data: 23" in texts[0]
    assert "17.95" in texts[1] and "Annual Report: 19.4" in texts[1] and "≈ explained" in texts[1]
    assert "430.1" in texts[2] and "Annual Report: 486" in texts[2] and "≈ explained" in texts[2]
    assert "63.7" in texts[3] and "Annual Report: 64" in texts[3] and "✓ reproduced" in texts[3]
    assert strip_bottom["y"] + strip_bottom["height"] <= 768
    assert chart["y"] + chart["height"] <= 768, f"the story chart ends at {chart['y'] + chart['height']:.0f}px"
    assert verdict.startswith("What the check found. Of the 10 headline numbers NATO printed, 5 are reproduced")
    assert link == 1
