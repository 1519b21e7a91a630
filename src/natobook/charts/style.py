"""The house style of every chart, and an Altair renderer that works offline.

Altair's default HTML loads vega, vega-lite and vega-embed from a CDN: with no network
the reader sees "Error loading script". Our renderer instead calls the `vegaEmbed` that
the book ships in `_static/vega-bundle.js` (written by `write_vega_bundle`).
"""

from __future__ import annotations

import html
import itertools
import json
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert

# Okabe-Ito: told apart by readers with the common colour-vision deficiencies. On the white page every colour
# that carries meaning has at least 3:1 contrast (WCAG 1.4.11), so the orange is darkened and the light sky
# blue and yellow only fill areas whose meaning a label or a darker outline carries.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#A65F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "dark vermillion": "#B34D00",  # text needs 4.5:1 (WCAG 1.4.3): the guideline's label, darker than its rule
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#6E6E6E",
    "black": "#000000",
    "white": "#FFFFFF",
}
CATEGORY = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple", "grey", "sky", "yellow")]
GUIDELINE_COLOUR = PALETTE["vermillion"]
GUIDELINE_TEXT_COLOUR = PALETTE["dark vermillion"]
LINK_COLOUR = "#b0b0b0"  # the grey line joining two dots of one Ally: decorative, the dots carry the values
TEXT_COLOUR, SUBTITLE_COLOUR, GRID_COLOUR = "#000000", "#444444", "#E6E6E6"
FONT = "Helvetica, Arial, sans-serif"
WIDTH = 640  # the width of a static export; on the page a chart takes the width of its column
SPEC_MIMETYPE = "application/vnd.vegalite.v6+json"

# The theme's dark mode (pydata-sphinx-theme's html[data-theme="dark"], page background #14181E): each colour of
# the light spec has a twin with the same contrast duties against the dark page; _static/natobook-charts.js swaps
# them and lays DARK_CONFIG over the spec's config when the reader picks dark mode.
DARK_TWINS = {
    PALETTE["blue"]: PALETTE["sky"],
    PALETTE["orange"]: "#E69F00",
    PALETTE["grey"]: "#9A9A9A",
    PALETTE["black"]: "#E6E6E6",
    GUIDELINE_TEXT_COLOUR: "#FF8F4D",
    SUBTITLE_COLOUR: "#BDBDBD",
    LINK_COLOUR: "#5A5A5A",
    GRID_COLOUR: "#2E333B",
}
DARK_TWINS[PALETTE["white"]] = PALETTE["black"]  # labels inside bars: the dark twins of the bars are light
DARK_CONFIG = {"background": "transparent"}

# NATO's estimates are marked one way in every figure, bars, dots and lines alike: an open mark (a pale fill)
# with a dashed outline in the series' colour; each figure's legend shows both kinds of mark under these names.
REPORTED, ESTIMATED = "NATO figure", "NATO estimate (e)"
ESTIMATE_FILL_OPACITY = 0.15
ESTIMATE_DASH = [3, 2]
# The legend's symbol of an estimate, pale as the marks are. Vega-Lite draws that legend from the dash encoding and
# lets an entry vary its whole symbol's opacity, not its fill's alone: paler than a reported one, yet with a dashed
# outline that still shows.
ESTIMATE_LEGEND_OPACITY = 0.4

_chart_ids = itertools.count(1)


def house_theme() -> dict:
    """Fonts, sizes and colours shared by every figure of the book."""
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": 360, "stroke": None},
            "range": {"category": CATEGORY},
            "background": PALETTE["white"],
            "title": {
                "fontSize": 15,
                "anchor": "start",
                "subtitleFontSize": 12,
                "color": TEXT_COLOUR,
                "subtitleColor": SUBTITLE_COLOUR,
            },
            # On a narrow chart, labels that would overlap are thinned out (every other one) rather than drawn over
            # each other.
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 12,
                "gridColor": GRID_COLOUR,
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "labelOverlap": "parity",
            },
            # Legend labels whole (an edition's name is long); natobook-charts.js limits them on a phone.
            "legend": {
                "labelFontSize": 11,
                "titleFontSize": 12,
                "orient": "top",
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "labelLimit": 0,
            },
            "header": {"labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR},
            "text": {"color": TEXT_COLOUR},
            "mark": {"color": PALETTE["blue"]},
            # Opaque dots: Vega-Lite's default dot is 70% opaque, which takes the contrast of its colour below 3:1.
            # Set here, not on each mark: a mark's own opacity would override the pale legend symbol of an estimate.
            "point": {"opacity": 1},
            "bar": {"color": PALETTE["blue"]},
        }
    }


def with_figure_kind(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the column estimate_marking() reads, from the data's `estimate` flag (never a list of years)."""
    return frame.assign(figure_kind=frame["estimate"].map({True: ESTIMATED, False: REPORTED}))


def estimate_marking(legend: bool = True) -> dict:
    """The encodings that mark estimates (see ESTIMATED); one legend explains both."""
    kinds = [REPORTED, ESTIMATED]
    pale = alt.ExprRef(f"datum.value === {ESTIMATED!r} ? {ESTIMATE_LEGEND_OPACITY} : 1")
    # In the marks' colour where they have one; where a colour encoding tells series apart, in the house grey (it
    # has a dark-mode twin), not in Vega's default black, which would vanish on the dark page.
    shown = (
        alt.Legend(
            symbolStrokeWidth=1.5,
            symbolType="square",
            symbolSize=150,
            symbolOpacity=pale,
            symbolFillColor=PALETTE["grey"],
        )
        if legend
        else None
    )
    return {  # ordinal: an opacity is an order (Vega-Lite warns of opacity over a nominal field)
        "fillOpacity": alt.FillOpacity(
            "figure_kind:O",
            title=None,
            legend=shown,
            sort=kinds,
            scale=alt.Scale(domain=kinds, range=[1, ESTIMATE_FILL_OPACITY]),
        ),
        "strokeDash": alt.StrokeDash(
            "figure_kind:O",
            title=None,
            legend=shown,
            sort=kinds,
            scale=alt.Scale(domain=kinds, range=[[1, 0], ESTIMATE_DASH]),
        ),
    }


def estimated_series_symbols(frame: pd.DataFrame, series: str) -> dict:
    """Legend properties for a legend of `series` (a year, an edition) whose entries are wholly NATO estimates in
    `frame`: their symbols drawn as their marks are, pale with a dashed outline. Such a legend explains the marking
    itself, so the chart needs no second legend for it (on a phone two legends side by side do not fit)."""
    kinds = frame.groupby(series)["estimate"].all()
    test = f"indexof({json.dumps(sorted(map(str, kinds[kinds].index)))}, datum.value) >= 0"
    return {
        "symbolOpacity": alt.ExprRef(f"{test} ? {ESTIMATE_LEGEND_OPACITY} : 1"),
        "symbolDash": alt.ExprRef(f"{test} ? {json.dumps(ESTIMATE_DASH)} : []"),
    }


def estimate_points(base: alt.Chart, colour: str | alt.Color, size: int = 50, legend: bool = True) -> alt.Chart:
    """The dots of a line, NATO's estimates open with a dashed outline: a fixed colour, or a colour encoding."""
    dot = dict(filled=True, size=size, strokeWidth=1.5)  # opaque by the house theme's config
    if isinstance(colour, str):
        return base.mark_point(color=colour, stroke=colour, **dot).encode(**estimate_marking(legend))
    return base.mark_point(**dot).encode(color=colour, stroke=colour, **estimate_marking(legend))


def embed_options() -> dict:
    # SVG, not canvas: readable by screen readers, searchable, and testable (marks in the DOM).
    # No actions menu: its icon-only <summary> has no accessible name, and every figure already
    # links its SVG, PNG, PDF and CSV downloads under the caption.
    return {"renderer": "svg", "actions": False}


def page_theme() -> dict:
    """What natobook-charts.js needs to draw a chart in the page's dark mode."""
    return {"dark": {"colours": {light.upper(): dark for light, dark in DARK_TWINS.items()}, "config": DARK_CONFIG}}


def offline_mimebundle(spec: dict, **_metadata) -> dict:
    """Render a Vega-Lite spec as HTML that draws with the book's local vegaEmbed (via _static/natobook-charts.js,
    which fits it to its column and to the page's theme)."""
    chart_id = f"natobook-chart-{next(_chart_ids)}"
    description = spec.get("description", "Chart")
    spec_json = json.dumps(spec, sort_keys=True).replace("</", "<\\/")
    markup = (
        f'<div class="natobook-chart" id="{chart_id}" role="figure" aria-label="{html.escape(description)}"></div>'
        "<script>(function(el){"
        f"if (window.natobookChart) {{ natobookChart(el, {spec_json}, {json.dumps(page_theme(), sort_keys=True)}, "
        f"{json.dumps(embed_options())}); }}"
        " else { el.textContent = 'Chart library not loaded.'; }"
        "})(document.currentScript.previousElementSibling);</script>"
    )
    # The plain spec travels too: figure exports (natobook.build.figures) are made from it.
    return {"text/html": markup, "text/plain": description, SPEC_MIMETYPE: spec}


def enable() -> None:
    """Use the house theme and the offline renderer; call once at the top of a notebook."""
    alt.theme.register("natobook", enable=True)(house_theme)
    alt.renderers.register("natobook", offline_mimebundle)
    alt.renderers.enable("natobook")
    alt.data_transformers.disable_max_rows()


def write_vega_bundle(static_dir: Path) -> Path:
    """Write vega + vega-lite + vega-embed, matched to Altair's Vega-Lite version, for offline pages.

    Wrapped in an IIFE because the bundle's top-level names clash with Sphinx's globals.
    """
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    bundle = vl_convert.javascript_bundle(vl_version=major_minor)
    target = Path(static_dir) / "vega-bundle.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"(function(){{\n{bundle}\n}})();\n", encoding="utf-8")
    return target
