"""A figure's state lives in the page's address, so that a link shows what the reader saw (issue #15):

* the target slider: a link with `target_pct=3.5` opens the figure at 3.5%, title and totals alike, exactly as moving
  the slider to 3.5% draws it; moving the slider writes the target into the address;
* the timeline's "Show:" menu: a link with `type_menu=<type>` draws only that type's dots (counted from the data
  file); picking a type writes it into the address;
* a value the control cannot hold (a link edited by hand) leaves the figure as the book drew it;
* "Copy link to this figure", pressed from the keyboard, copies a link to the figure in its current state, says so in
  a status region, and the link opens the page at that figure, in that state.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sitekit import serve
from test_site_charts import SLIDER, SLIDER_TEXTS, open_page, set_slider
from test_site_keyboard import TIMELINE_MENU, dots_become, events_per_type, tab_to

pytestmark = pytest.mark.browser

TARGETS = "chapters/targets.html"
TIMELINE = "chapters/washington_visit.html"
COPY_BUTTON = "#fig-gap-to-target .natobook-figure-link button"
COPY_STATUS = "#fig-gap-to-target .natobook-figure-link [role=status]"
# Every text of the slider figure, top to bottom (Vega keeps the SVG's own order of a redrawn mark as it was).
DRAWN_TEXTS = """() => [...document.querySelectorAll('#fig-gap-to-target svg text')]
  .map(text => [Math.round(text.getBoundingClientRect().top + window.scrollY), text.textContent])
  .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])).map(([, text]) => text)"""


@pytest.fixture(scope="module")
def site(built_site, browser):
    """The served site and a browser context that may use the clipboard, as a reader's browser asks to."""
    with serve(built_site) as base:
        context = browser.new_context(
            viewport={"width": 1366, "height": 844}, permissions=["clipboard-read", "clipboard-write"]
        )
        yield base, context
        context.close()


def query_of(url: str) -> dict:
    return {name: values[-1] for name, values in parse_qs(urlsplit(url).query).items()}


def slider_drawing(page) -> dict:
    return {
        "value": page.eval_on_selector(SLIDER, "input => input.value"),
        "title": page.evaluate(SLIDER_TEXTS)["title"],
        "texts": page.evaluate(DRAWN_TEXTS),
    }


def test_a_link_with_a_target_draws_the_figure_at_that_target(site):
    base, context = site
    moved = open_page(context, f"{base}/{TARGETS}")
    set_slider(moved, 3.5)  # the reader's way there: dragging the slider
    expected = slider_drawing(moved)
    moved.close()

    linked = open_page(context, f"{base}/{TARGETS}?target_pct=3.5#fig-gap-to-target")
    drawn = slider_drawing(linked)
    linked.close()
    assert drawn["value"] == "3.5"
    assert "to 3.5% of" in drawn["title"] and "To reach 3.5% of" in " ".join(drawn["texts"]), drawn["title"]
    assert drawn == expected  # title, totals, axes, Allies in the same order: the same drawing


def test_a_target_the_slider_cannot_hold_leaves_the_figure_as_built(site):
    base, context = site
    plain = open_page(context, f"{base}/{TARGETS}")
    built = slider_drawing(plain)
    plain.close()
    for target in ("99", "three", ""):
        page = open_page(context, f"{base}/{TARGETS}?target_pct={target}")
        assert slider_drawing(page) == built, target
        page.close()


def test_moving_the_slider_writes_the_target_into_the_address(site):
    base, context = site
    page = open_page(context, f"{base}/{TARGETS}#fig-gap-to-target")
    assert "target_pct" not in query_of(page.url)  # nothing moved yet: the address as the reader typed it
    set_slider(page, 2.5)
    page.wait_for_function("() => location.search.includes('target_pct=2.5')", timeout=5_000)
    assert query_of(page.url)["target_pct"] == "2.5"
    assert urlsplit(page.url).fragment == "fig-gap-to-target"  # the figure's anchor kept
    page.close()


def test_a_link_with_a_type_shows_only_that_type(site):
    base, context = site
    counts = events_per_type()
    total = sum(counts.values())
    kind, count = counts.most_common()[-1]  # the rarest type: the filter must hide most dots
    assert 0 < count < total
    page = open_page(context, f"{base}/{TIMELINE}?type_menu={kind}#fig-visit-timeline")
    assert page.eval_on_selector(TIMELINE_MENU, "menu => menu.value") == kind
    assert dots_become(page, count) == {"events_overview": count, "events": count}
    page.close()


def test_picking_a_type_writes_it_into_the_address(site):
    base, context = site
    kind = events_per_type().most_common(1)[0][0]
    page = open_page(context, f"{base}/{TIMELINE}")
    page.select_option(TIMELINE_MENU, kind)
    page.wait_for_function(f"() => location.search.includes('type_menu={kind}')", timeout=5_000)
    assert query_of(page.url) == {"type_menu": kind}
    page.close()


def test_copy_link_gives_the_figure_in_its_current_state(site):
    base, context = site
    page = open_page(context, f"{base}/{TARGETS}")
    set_slider(page, 4.2)
    shown = slider_drawing(page)
    page.evaluate("() => window.scrollTo(0, 0)")
    tab_to(page, COPY_BUTTON)  # the keyboard reaches it
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector({COPY_STATUS!r}).textContent.startsWith('Link copied')", timeout=5_000
    )
    link = page.evaluate("() => navigator.clipboard.readText()")
    page.close()
    assert urlsplit(link).path.endswith(f"/{TARGETS}") and urlsplit(link).fragment == "fig-gap-to-target", link
    assert query_of(link) == {"target_pct": "4.2"}, link

    opened = open_page(context, link)
    assert slider_drawing(opened) == shown
    top = opened.eval_on_selector("#fig-gap-to-target", "figure => figure.getBoundingClientRect().top")
    assert 0 <= top < 844, top  # the page opens at the figure
    opened.close()
