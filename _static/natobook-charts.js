// Draws the book's charts (natobook.charts.style writes a call to natobookChart under each one):
// * fitted to the width of their column, at any screen width, and redrawn when that width changes;
// * in the colours of the page's theme (pydata-sphinx-theme's html[data-theme]), redrawn when the reader
//   toggles it: the light palette and config travel in the spec, the dark ones in `theme.dark`;
// * with tooltips that open on a tap as well as on hover.
(function () {
  "use strict";
  var MIN_WIDTH = 120; // px of plotting area below which a panel says nothing
  var charts = [];

  function pageTheme() {
    return document.documentElement.getAttribute("data-theme") === "dark" ? "dark" : "light";
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function merged(base, overlay) {
    var out = Object.assign({}, base);
    Object.keys(overlay).forEach(function (key) {
      out[key] = isObject(out[key]) && isObject(overlay[key]) ? merged(out[key], overlay[key]) : overlay[key];
    });
    return out;
  }

  // The spec with each light colour swapped for its dark twin; data are left alone.
  function recoloured(node, colours) {
    if (typeof node === "string") {
      var twin = colours[node.toUpperCase()];
      return twin === undefined ? node : twin;
    }
    if (Array.isArray(node)) { return node.map(function (item) { return recoloured(item, colours); }); }
    if (!isObject(node)) { return node; }
    var out = {};
    Object.keys(node).forEach(function (key) {
      out[key] = key === "data" || key === "datasets" ? node[key] : recoloured(node[key], colours);
    });
    return out;
  }

  function themed(spec, theme) {
    if (pageTheme() !== "dark") { return spec; }
    var dark = recoloured(spec, theme.dark.colours);
    dark.config = merged(dark.config || {}, theme.dark.config);
    return dark;
  }

  // Vega draws a title on one line per string, however narrow the chart: the lines are re-cut to the width.
  // Average glyph widths of the house font (Helvetica, bold titles) as a share of the font size.
  var TITLE_GLYPH = 0.6, SUBTITLE_GLYPH = 0.55;

  function rewrapped(lines, characters) {
    if (typeof lines !== "string" && !Array.isArray(lines)) { return lines; }  // an expression: left alone
    var words = [].concat(lines).join(" ").split(/\s+/), out = [], line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > characters) { out.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { out.push(line); }
    return out;
  }

  function titleFitted(spec, width) {
    if (!spec.title) { return spec; }
    var title = typeof spec.title === "object" && !Array.isArray(spec.title) ? spec.title : {text: spec.title};
    var config = (spec.config && spec.config.title) || {};
    var out = Object.assign({}, title, {
      text: rewrapped(title.text, Math.floor(width / ((title.fontSize || config.fontSize || 13) * TITLE_GLYPH)))
    });
    if (title.subtitle) {
      var size = title.subtitleFontSize || config.subtitleFontSize || 12;
      out.subtitle = rewrapped(title.subtitle, Math.floor(width / (size * SUBTITLE_GLYPH)));
    }
    return Object.assign({}, spec, {title: out});
  }

  // Axis titles are cut into lines too, in every view of the figure.
  function axisTitlesFitted(node, characters) {
    if (Array.isArray(node)) { return node.map(function (item) { return axisTitlesFitted(item, characters); }); }
    if (!isObject(node)) { return node; }
    var out = {};
    Object.keys(node).forEach(function (key) {
      out[key] = key === "data" || key === "datasets" ? node[key] : axisTitlesFitted(node[key], characters);
    });
    ["x", "y"].forEach(function (channel) {
      var encoding = out.encoding && out.encoding[channel];
      if (encoding && typeof encoding.title === "string") {
        out.encoding[channel] = Object.assign({}, encoding, {title: rewrapped(encoding.title, characters)});
      }
    });
    return out;
  }

  // Below this width, legends list their entries one under the other instead of side by side, and so do panels.
  var NARROW = 560;

  function narrowed(spec, width) {
    if (width >= NARROW) { return spec; }
    var out = axisTitlesFitted(spec, Math.floor(width / (12 * TITLE_GLYPH)));
    if (out.hconcat) {  // panels side by side go one under the other
      out.vconcat = out.hconcat;
      delete out.hconcat;
    }
    // A legend starts where the plot does, right of the axis labels: half the width is what is left for a label.
    out.config = merged(out.config || {}, {legend: {columns: 1, labelLimit: Math.floor(width / 2)}});
    return out;
  }

  function isConcat(spec) {
    return Boolean(spec.vconcat || spec.hconcat || spec.concat);
  }

  // A single or layered view of fixed height fills the width by itself (autosize fit-x). Any other is drawn once,
  // measured, and drawn again with its panels (or, for a facet, its columns) resized by what it lacks or has too
  // much. (Vega-Lite warns on fit-x with a height in steps, one band per Ally.)
  function fitsItself(spec) {
    return !isConcat(spec) && !spec.facet && typeof spec.height !== "object";
  }

  function fittedToWidth(spec, width) {
    var out = narrowed(titleFitted(spec, width), width);
    if (fitsItself(spec)) {
      out.width = width;
      out.autosize = {type: "fit-x", contains: "padding"};
    } else if (!isConcat(spec) && !spec.facet) {
      out.width = width;
    }
    return out;
  }

  function resized(spec, excess) {
    if (!isConcat(spec)) { return Object.assign({}, spec, {width: Math.max(MIN_WIDTH, Math.floor(spec.width - excess))}); }
    var out = Object.assign({}, spec);
    var key = spec.vconcat ? "vconcat" : spec.hconcat ? "hconcat" : "concat";
    var share = key === "hconcat" ? excess / spec.hconcat.length : excess;
    out[key] = spec[key].map(function (panel) {
      if (typeof panel.width !== "number") { return panel; }
      return Object.assign({}, panel, {width: Math.max(MIN_WIDTH, Math.floor(panel.width - share))});
    });
    return out;
  }

  function fewerColumns(spec, drawnWidth, width) {
    var perColumn = drawnWidth / (spec.columns || 1);
    return Object.assign({}, spec, {columns: Math.max(1, Math.floor(width / perColumn))});
  }

  function drawnWidth(element) {
    var svg = element.querySelector("svg");
    return svg ? svg.getBoundingClientRect().width : 0;
  }

  // Vega shows a tooltip on hover; a tap on a touch screen is a click, which shows the same tooltip.
  function tooltipsOnTap(view) {
    var show = view.tooltip();
    if (!show) { return; }
    view.addEventListener("click", function (event, item) {
      show.call(view, view._handler, event, item, item && item.tooltip !== undefined ? item.tooltip : null);
    });
  }

  function embed(chart, spec) {
    if (chart.result) { chart.result.finalize(); }
    chart.options.bind.replaceChildren();
    var options = pageTheme() === "dark" ? merged(chart.options, {tooltip: {theme: "dark"}}) : chart.options;
    return vegaEmbed(chart.element, spec, options).then(function (result) {
      chart.result = result;
      tooltipsOnTap(result.view);
      return result;
    });
  }

  // Drawn, measured, resized: a figure whose axis labels or legend reach past its panels takes a second look.
  var FITTING_ROUNDS = 3;

  function fit(chart, spec, width, rounds) {
    return embed(chart, spec).then(function () {
      var drawn = drawnWidth(chart.element), excess = drawn - width;
      if (rounds <= 1 || fitsItself(spec) || excess <= 1 && (spec.facet || excess >= -1)) { return chart.result; }
      var next = spec.facet ? fewerColumns(spec, drawn, width) : resized(spec, excess);
      return fit(chart, next, width, rounds - 1);
    });
  }

  function draw(chart) {
    var width = Math.floor(chart.element.getBoundingClientRect().width);
    chart.width = width;
    chart.drawnTheme = pageTheme();
    chart.figure.removeAttribute("data-fitted");
    return fit(chart, fittedToWidth(themed(chart.spec, chart.theme), width), width, FITTING_ROUNDS)
      .then(function () { chart.figure.setAttribute("data-fitted", width); })  // for tests: drawn, and fitted
      .catch(console.error);
  }

  function redrawWhere(changed) {
    charts.forEach(function (chart) { if (changed(chart)) { draw(chart); } });
  }

  window.natobookChart = function (element, spec, theme, options) {
    if (!window.vegaEmbed) {
      element.textContent = "Chart library not loaded.";
      return;
    }
    // A chart's inputs (a slider, a menu) go above its drawing, next to the title and the numbers they change.
    var controls = document.createElement("div");
    var drawing = document.createElement("div");
    controls.className = "natobook-chart-controls";
    element.append(controls, drawing);
    var chart = {figure: element, element: drawing, spec: spec, theme: theme,
                 options: Object.assign({bind: controls}, options)};
    charts.push(chart);
    draw(chart);
    if (charts.length === 1) {
      // The theme sets data-theme on every page load, mostly to the mode already drawn.
      new MutationObserver(function () { redrawWhere(function (c) { return c.drawnTheme !== pageTheme(); }); })
        .observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});
      var pending;
      window.addEventListener("resize", function () {
        clearTimeout(pending);
        pending = setTimeout(function () {
          redrawWhere(function (c) { return Math.floor(c.element.getBoundingClientRect().width) !== c.width; });
        }, 150);
      });
    }
  };
})();
