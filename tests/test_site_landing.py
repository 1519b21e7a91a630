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
