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
import vl_convert

# Okabe-Ito: told apart by readers with the common colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#6E6E6E",
    "black": "#000000",
}
CATEGORY = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "grey")]
GUIDELINE_COLOUR = PALETTE["vermillion"]
FONT = "Helvetica, Arial, sans-serif"
WIDTH = 640
SPEC_MIMETYPE = "application/vnd.vegalite.v6+json"

_chart_ids = itertools.count(1)


def house_theme() -> dict:
    """Fonts, sizes and colours shared by every figure of the book."""
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": 360, "stroke": None},
            "range": {"category": CATEGORY},
            "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#444"},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "top"},
            "mark": {"color": PALETTE["blue"]},
            "bar": {"color": PALETTE["blue"]},
        }
    }


def embed_options() -> dict:
    # SVG, not canvas: readable by screen readers, searchable, and testable (marks in the DOM).
    # No actions menu: its icon-only <summary> has no accessible name, and every figure already
    # links its SVG, PNG, PDF and CSV downloads under the caption.
    return {"renderer": "svg", "actions": False}


def offline_mimebundle(spec: dict, **_metadata) -> dict:
    """Render a Vega-Lite spec as HTML that draws with the book's local vegaEmbed."""
    chart_id = f"natobook-chart-{next(_chart_ids)}"
    description = spec.get("description", "Chart")
    spec_json = json.dumps(spec, sort_keys=True).replace("</", "<\\/")
    markup = (
        f'<div class="natobook-chart" id="{chart_id}" role="figure" aria-label="{html.escape(description)}"></div>'
        "<script>(function(el){"
        f"if (window.vegaEmbed) {{ vegaEmbed(el, {spec_json}, {json.dumps(embed_options())}).catch(console.error); }}"
        " else { el.textContent = 'Chart library not loaded.'; }"
        "})(document.currentScript.previousElementSibling);</script>"
    )
    # The plain spec travels too: figure exports (natobook.figures) are made from it.
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
