"""The book works with the keyboard alone: Tab reaches its controls, arrow keys change them, the figures follow.

* the target slider of "From 2% to 5%": arrow keys move it and the totals change;
* the "Show:" menu of the Washington-visit timeline: arrow keys pick a type of event and the timeline
  draws exactly that type's dots (counted from data/events.csv), then all of them again.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sitekit import serve
from test_events import EVENT_MARKS

from natobook import paths

pytestmark = pytest.mark.browser
MAX_TABS = 300
TOTALS = "() => [...document.querySelectorAll('#fig-gap-to-target svg text')].map(t => t.textContent).join('|')"
TIMELINE_MENU = "#fig-visit-timeline select"
EVENTS_CSV = paths.DATA / "events.csv"


def tab_to(page, selector: str) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would; fail if it never does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"{selector} was not reached in {MAX_TABS} presses of Tab")


def test_slider_is_reachable_and_usable_with_the_keyboard(built_site, browser):
    with serve(built_site) as base:
        page = browser.new_page()
        page.goto(f"{base}/chapters/targets.html", wait_until="load")
        page.wait_for_selector("#fig-gap-to-target input[type=range]")
        tab_to(page, "#fig-gap-to-target input[type=range]")
        before = page.evaluate(TOTALS)
        for _ in range(10):
            page.keyboard.press("ArrowLeft")
        page.wait_for_function(f"() => ({TOTALS})() !== {before!r}", timeout=5_000)
        assert "USD" in page.evaluate(TOTALS)
        page.close()


# ------------------------------------------------------------------------------------ the timeline's menu


def events_per_type() -> Counter:
    """How many events of each type the data file holds: the expected counts, independent of the chart code."""
    with EVENTS_CSV.open(newline="", encoding="utf-8") as handle:
        return Counter(row["event_type"] for row in csv.DictReader(handle))


def dots_become(page, expected: int) -> dict:
    """Wait until each panel draws `expected` dots; return what it draws (compared by the caller)."""
    wanted = json.dumps({"events_overview": expected, "events": expected}, sort_keys=True)
    drawn = f"JSON.stringify(Object.fromEntries(Object.entries(({EVENT_MARKS})()).sort()))"
    try:  # Vega redraws asynchronously after the change event
        page.wait_for_function(f"() => {drawn} === {wanted!r}", timeout=5_000)
    except PlaywrightTimeout:
        pass  # the caller's assert shows what was drawn instead
    return page.evaluate(EVENT_MARKS)


def press_in_menu(page, key: str) -> str:
    """Press `key` on the focused menu; return the type it now shows (read, never set)."""
    page.keyboard.press(key)
    return page.evaluate("() => document.activeElement.value")


def test_timeline_menu_is_labelled_and_filters_with_the_keyboard(built_site, browser):
    counts = events_per_type()
    total = sum(counts.values())
    with serve(built_site) as base:
        page = browser.new_page()
        page.goto(f"{base}/chapters/washington_visit.html", wait_until="load")
        page.wait_for_selector(TIMELINE_MENU)
        # The accessible name comes from the <label> around the menu, as a screen reader announces it.
        assert page.get_by_role("combobox", name=re.compile(r"^Show:")).count() == 1
        assert page.evaluate(f"() => document.querySelector({TIMELINE_MENU!r}).labels.length") == 1
        assert dots_become(page, total) == {"events_overview": total, "events": total}

        tab_to(page, TIMELINE_MENU)
        shown = []
        for _ in range(2):  # two types in turn: the first after "all types", then the next
            kind = press_in_menu(page, "ArrowDown")
            shown.append(kind)
            assert 0 < counts[kind] < total, f"{kind!r} is not one type of event in {EVENTS_CSV.name}"
            assert dots_become(page, counts[kind]) == {"events_overview": counts[kind], "events": counts[kind]}
        assert shown[0] != shown[1]

        press_in_menu(page, "ArrowUp")
        assert press_in_menu(page, "ArrowUp") == "all"
        assert dots_become(page, total) == {"events_overview": total, "events": total}
        page.close()
