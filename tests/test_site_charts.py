"""Every chart of the built site, in a real browser, for every reader: on a phone, a tablet and a desktop, in the
theme's light and dark modes, by touch as well as by mouse.

* no page scrolls sideways and every chart is drawn inside the window, at 390, 768 and 1366 px;
* every text label of a chart has 4.5:1 contrast with what lies behind it, every mark that carries meaning 3:1
  with the chart's background (WCAG 1.4.3 and 1.4.11), computed from the drawn SVG in both modes;
* the theme's toggle redraws the charts in the other mode;
* a tap on a mark opens its tooltip;
* Vega logs no warning.
"""

from __future__ import annotations

import re

import pytest
from sitekit import serve, site_pages

pytestmark = pytest.mark.browser

WIDTHS = (390, 768, 1366)
HEIGHT = 844
# natobook-charts.js marks a chart data-fitted once it is drawn at the width of its column, in the page's theme.
CHARTS_DRAWN = "() => [...document.querySelectorAll('.natobook-chart')].every(c => c.dataset.fitted)"
DARK_MODE = "localStorage.setItem('theme', 'dark'); localStorage.setItem('mode', 'dark');"
MIN_TEXT_CONTRAST, MIN_MARK_CONTRAST = 4.5, 3.0

# Where each chart lies and how wide the document is (the chart's SVG, not its container).
LAYOUT = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  viewport: window.innerWidth,
  charts: [...document.querySelectorAll('.natobook-chart')].map(chart => {
    const box = chart.querySelector('svg').getBoundingClientRect();
    return {id: chart.closest('figure') ? chart.closest('figure').id : chart.id,
            left: box.left, right: box.right, width: box.width};
  }),
})"""

# WCAG relative luminance and contrast; colours as the browser computed them, opacity blended over what lies behind.
CONTRAST = """() => {
  const rgba = text => {
    const m = text && text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a] = m[1].split(',').map(Number);
    return [r, g, b, a === undefined ? 1 : a];
  };
  const over = (top, alpha, bottom) => top.slice(0, 3).map((c, i) => c * alpha + bottom[i] * (1 - alpha));
  const luminance = rgb => {
    const [r, g, b] = rgb.map(c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const opacity = el => {
    let value = 1;
    for (let node = el; node && node.nodeType === 1; node = node.parentNode) {
      value *= Number(getComputedStyle(node).opacity);
    }
    return value;
  };
  const pageBackground = el => {
    for (let node = el; node && node.nodeType === 1; node = node.parentNode) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const paint = (el, property, behind) => {
    const style = getComputedStyle(el);
    const colour = rgba(style[property]);
    if (!colour) return null;
    const alpha = colour[3] * Number(style[property + 'Opacity']) * opacity(el);
    return alpha > 0 ? over(colour, alpha, behind) : null;
  };
  const found = [];
  document.querySelectorAll('.natobook-chart').forEach(chart => {
    const svg = chart.querySelector('svg');
    const id = chart.closest('figure') ? chart.closest('figure').id : chart.id;
    const page = pageBackground(chart);
    const background = svg.querySelector('.background');
    const base = background && paint(background, 'fill', page) || page;
    const shapes = [...svg.querySelectorAll('.role-mark path, .role-mark rect')]
      .filter(s => getComputedStyle(s).fill !== 'none');
    const behind = (text, x, y) => {
      let colour = base;
      for (const shape of shapes) {
        if (!(shape.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
        const point = new DOMPoint(x, y).matrixTransform(shape.getScreenCTM().inverse());
        if (shape.isPointInFill(point)) colour = paint(shape, 'fill', colour) || colour;
      }
      return colour;
    };
    svg.querySelectorAll('text').forEach(text => {
      if (!text.textContent.trim() || opacity(text) === 0) return;
      const box = text.getBoundingClientRect();
      const back = behind(text, box.left + box.width / 2, box.top + box.height / 2);
      const colour = paint(text, 'fill', back);
      const value = colour ? ratio(colour, back) : 0;
      found.push({id, kind: 'text', what: text.textContent.trim().slice(0, 40), ratio: value});
    });
    svg.querySelectorAll('.role-mark path, .role-mark rect, .role-mark line').forEach(mark => {
      if (mark.closest('[aria-hidden="true"]') || mark.closest('.role-text')) return;
      const fill = paint(mark, 'fill', base);
      const stroke = parseFloat(getComputedStyle(mark).strokeWidth) >= 1 ? paint(mark, 'stroke', base) : null;
      const value = Math.max(fill ? ratio(fill, base) : 0, stroke ? ratio(stroke, base) : 0);
      const name = mark.getAttribute('aria-label') || mark.closest('.role-mark').getAttribute('class');
      found.push({id, kind: 'mark', what: name.slice(0, 60), ratio: value});
    });
  });
  return found;
}"""


def chart_pages(site) -> list[str]:
    return [page for page in site_pages(site) if 'class="natobook-chart"' in (site / page).read_text("utf-8")]


def open_page(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_function(CHARTS_DRAWN, timeout=20_000)
    return page


# Each width and theme a page is measured in: every page in the light mode at the three widths, every page with a chart
# in the dark mode too, at the width of CONTRAST_WIDTH. Contrast is measured at that width, in both modes.
VIEWS = [(390, "light"), (768, "light"), (1366, "light"), (1366, "dark")]
CONTRAST_WIDTH = 1366
MEASURE = f"withContrast => ({{layout: ({LAYOUT})(), contrast: withContrast ? ({CONTRAST})() : null}})"


def measure_view(context, base: str, pages: list[str], with_contrast: bool) -> dict:
    """Each page loaded once, in one tab: its layout, its charts' contrast if asked, the warnings it logged."""
    found, logged = {}, []
    tab = context.new_page()
    tab.on("console", lambda msg: msg.type == "warning" and logged.append(msg.text))
    for page_path in pages:
        logged.clear()
        tab.goto(f"{base}/{page_path}", wait_until="load")
        tab.wait_for_function(CHARTS_DRAWN, timeout=20_000)
        measured = tab.evaluate(MEASURE, with_contrast)
        found[page_path] = dict(
            measured, theme=tab.evaluate("document.documentElement.dataset.theme"), warnings=list(logged)
        )
    tab.close()
    return found


@pytest.fixture(scope="module")
def visits(built_site, browser) -> dict:
    """(width, theme, page) -> what the page showed: one browser context per width and theme, each page loaded once
    in it and measured for everything at once (a page load costs far more than any measurement of it)."""
    found = {}
    with serve(built_site) as base:
        for width, theme in VIEWS:
            context = browser.new_context(viewport={"width": width, "height": HEIGHT})
            if theme == "dark":
                context.add_init_script(DARK_MODE)
            pages = site_pages(built_site) if theme == "light" else chart_pages(built_site)
            for page_path, seen in measure_view(context, base, pages, width == CONTRAST_WIDTH).items():
                found[width, theme, page_path] = seen
            context.close()
    return found


def layouts_at(visits, width: int) -> dict:
    """page -> layout at `width`, in every theme it was measured in."""
    return {(theme, page): v["layout"] for (w, theme, page), v in visits.items() if w == width}


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(visits, width):
    layouts = layouts_at(visits, width)
    wider = {page: v["scrollWidth"] for page, v in layouts.items() if v["scrollWidth"] > width}
    assert layouts and not wider, wider


@pytest.mark.parametrize("width", WIDTHS)
def test_every_chart_is_drawn_inside_the_window(visits, width):
    layouts = layouts_at(visits, width)
    outside = {
        (page, chart["id"]): (round(chart["left"]), round(chart["right"]))
        for page, v in layouts.items()
        for chart in v["charts"]
        if chart["left"] < 0 or chart["right"] > width or chart["width"] < 100
    }
    assert [page for page, v in layouts.items() if v["charts"]], "no page has a chart"
    assert not outside, outside


@pytest.fixture(params=["light", "dark"])
def contrasts(request, visits):
    """The theme, and the contrast of every text and mark of every chart in it (at CONTRAST_WIDTH)."""
    theme = request.param
    measured = {page: v for (w, t, page), v in visits.items() if w == CONTRAST_WIDTH and t == theme and v["contrast"]}
    wrong_theme = {page for page, v in measured.items() if v["theme"] != theme}
    assert measured and not wrong_theme, wrong_theme
    return theme, [dict(item, page=page) for page, v in measured.items() for item in v["contrast"]]


def below(contrasts, kind: str, minimum: float) -> tuple[str, list]:
    """The theme, and the texts or marks of that theme whose contrast is below `minimum` (there must be many)."""
    theme, found = contrasts
    measured = [item for item in found if item["kind"] == kind]
    assert len(measured) > 100, (theme, kind)
    return theme, sorted(
        {(i["page"], i["id"], i["what"], round(i["ratio"], 2)) for i in measured if i["ratio"] < minimum}
    )


def test_every_chart_label_has_text_contrast(contrasts):
    theme, low = below(contrasts, "text", MIN_TEXT_CONTRAST)
    assert not low, (theme, low[:40])


def test_every_mark_stands_out_from_the_background(contrasts):
    theme, low = below(contrasts, "mark", MIN_MARK_CONTRAST)
    assert not low, (theme, low[:40])


def test_vega_logs_no_warning(visits, built_site):
    """At every width and in both themes, on every page that has a chart."""
    charted = set(chart_pages(built_site))
    assert charted
    assert charted <= {page for (_, _, page) in visits}
    warnings = {key: v["warnings"] for key, v in visits.items() if v["warnings"]}
    assert not warnings, warnings


def test_the_theme_toggle_redraws_the_charts_dark(built_site, browser):
    text_colour = "() => getComputedStyle(document.querySelector('.natobook-chart svg .role-axis-label text')).fill"
    with serve(built_site) as base:
        context = browser.new_context(viewport={"width": 1366, "height": HEIGHT})
        page = open_page(context, f"{base}/chapters/share_of_gdp.html")
        assert page.evaluate(text_colour) == "rgb(0, 0, 0)"
        page.evaluate("document.documentElement.dataset.theme = 'dark'")  # what the theme's toggle button does
        page.wait_for_function(CHARTS_DRAWN, timeout=5_000)
        page.wait_for_function(f"() => ({text_colour})() !== 'rgb(0, 0, 0)'", timeout=5_000)
        assert page.evaluate(text_colour) == "rgb(230, 230, 230)"
        context.close()


def test_a_tap_opens_the_tooltip(built_site, browser):
    with serve(built_site) as base:
        context = browser.new_context(viewport={"width": 390, "height": HEIGHT}, has_touch=True, is_mobile=True)
        page = open_page(context, f"{base}/chapters/share_of_gdp.html")
        dot = page.locator("#fig-share-of-gdp .role-mark.role-scope, #fig-share-of-gdp .role-mark path").last
        dot.scroll_into_view_if_needed()
        dot.tap()
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert "% of GDP" in tooltip.inner_text()
        context.close()


# ------------------------------------------------------------------------------------ the target slider

SLIDER = "#fig-gap-to-target input[type=range]"
SLIDER_TEXTS = """() => {
  const svg = document.querySelector('#fig-gap-to-target svg');
  const title = [...svg.querySelectorAll('.role-title-text text')].map(t => t.textContent).join(' ');
  return {title, texts: [...svg.querySelectorAll('text')].map(t => t.textContent)};
}"""


def set_slider(page, value: float) -> dict:
    """Move the slider as a reader's drag does (an input event) and wait for the title to name the target."""
    page.evaluate(
        "([selector, value]) => { const input = document.querySelector(selector);"
        " input.value = value; input.dispatchEvent(new Event('input', {bubbles: true})); }",
        [SLIDER, value],
    )
    page.wait_for_function(f"() => ({SLIDER_TEXTS})().title.includes('to {value:g}% of')", timeout=5_000)
    return page.evaluate(SLIDER_TEXTS)


def test_the_slider_moves_title_and_totals_together(built_site, browser):
    with serve(built_site) as base:
        context = browser.new_context(viewport={"width": 390, "height": HEIGHT})
        page = open_page(context, f"{base}/chapters/targets.html")
        seen = {}
        for target in (2.0, 3.5, 6.0):
            drawn = set_slider(page, target)
            (everyone,) = [t for t in drawn["texts"] if t.startswith("All Allies: USD ")]
            total = everyone.removeprefix("All Allies: ")
            assert f"would take {total} more a year" in drawn["title"], (target, drawn["title"], everyone)
            assert f"To reach {target:.1f}% of" in " ".join(drawn["texts"])
            seen[target] = total
        assert len(set(seen.values())) == 3, seen  # each target its own total
        # The control shows its unit and sits above the chart, by the totals it changes.
        value = page.evaluate(
            "() => { const v = document.querySelector('#fig-gap-to-target input[type=range] + span');"
            " return v.textContent + getComputedStyle(v, '::after').content; }"
        )
        assert value.replace('"', "") == "6 %", value  # the number, then the unit the stylesheet adds
        slider_bottom = page.locator(SLIDER).bounding_box()["y"]
        totals_top = page.locator("#fig-gap-to-target svg text", has_text="All Allies: USD").bounding_box()["y"]
        assert 0 < totals_top - slider_bottom < 240, (slider_bottom, totals_top)  # the title's lines between
        context.close()


# ------------------------------------------------------------------------------------ the timeline's dots

DOT_REACH = """() => {
  const dots = [...document.querySelectorAll('#fig-visit-timeline g.role-mark[class*="events_overview"] path')];
  return dots.map(dot => {
    const box = dot.getBoundingClientRect(), x = box.left + box.width / 2, y = box.top + box.height / 2;
    // 11 px from the centre, towards the middle of the panel (the panel clips at its edges): inside 24 px
    const dx = x > window.innerWidth / 2 ? -11 : 11, hit = document.elementFromPoint(x + dx, y);
    return {label: dot.getAttribute('aria-label'), hit: Boolean(hit && hit.closest('[class*="events_overview"]')),
            visible: y > 0 && y < window.innerHeight};
  });
}"""


def test_timeline_dots_are_a_finger_wide_and_read_in_words(built_site, browser):
    with serve(built_site) as base:
        context = browser.new_context(viewport={"width": 390, "height": HEIGHT}, has_touch=True, is_mobile=True)
        page = open_page(context, f"{base}/chapters/washington_visit.html")
        page.locator("#fig-visit-timeline svg").scroll_into_view_if_needed()
        dots = page.evaluate(DOT_REACH)
        context.close()
    assert dots and all(dot["hit"] for dot in dots if dot["visible"]), [d for d in dots if not d["hit"]]
    # "24 April 2025, meeting: Rutte meets ...": the event in words, not the fields that place the dot
    assert all(re.match(r"^\d{1,2} [A-Z][a-z]+ 20\d\d, [a-z]+: \S", dot["label"]) for dot in dots), dots[:3]
    assert not any("lane_" in dot["label"] for dot in dots)
