"""Sphinx extension: the chart library (vega, vega-lite and vega-embed, about 0.9 MB) only on pages that draw a chart.

`html_js_files` in _config.yml lists the scripts for every page; this takes the chart scripts off each page whose body
has no chart, so the bibliography or the search page neither fetch nor parse them. The marker is the class
natobook.charts.style.offline_mimebundle gives every chart's element. A page with a chart keeps them as listed, in its
head, with Sphinx's cache-busting checksum.
"""

from __future__ import annotations

import posixpath

from sphinx.application import Sphinx

CHART_MARKER = 'class="natobook-chart"'
CHART_SCRIPTS = frozenset({"vega-bundle.js", "natobook-charts.js"})


def draws_a_chart(body: str) -> bool:
    return CHART_MARKER in body


def is_chart_script(script) -> bool:
    """Sphinx names a listed script by its path in the site (`_static/vega-bundle.js`)."""
    return posixpath.basename(str(script.filename)) in CHART_SCRIPTS


def scripts_only_where_charts_are(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if draws_a_chart(context.get("body", "")):
        return
    # A new list: Sphinx hands every page the same one and restores it before the next.
    context["script_files"] = [script for script in context["script_files"] if not is_chart_script(script)]


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", scripts_only_where_charts_are)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
