// Draws the book's charts (natobook.charts.style writes a call to natobookChart under each one):
// * fitted to the width of their column, at any screen width, and redrawn when that width changes;
// * in the colours of the page's theme (pydata-sphinx-theme's html[data-theme]), redrawn when the reader
//   toggles it: the light palette and config travel in the spec, the dark ones in `theme.dark`;
// * with tooltips that open on a tap as well as on hover;
// * with its controls' state in the page's address (a link shows what the reader saw), and a button that copies a
//   link to the figure as it is drawn now.
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

  // Vega shows a tooltip on hover; a tap on a touch screen is a click, which shows the same tooltip.
  function tooltipsOnTap(view) {
    var show = view.tooltip();
    if (!show) { return; }
    view.addEventListener("click", function (event, item) {
      show.call(view, view._handler, event, item, item && item.tooltip !== undefined ? item.tooltip : null);
    });
  }

  // A chart's controls (Vega-Lite parameters bound to a slider, a menu, ...) are its state. Each is written to the
  // page's query string under the parameter's name when the reader changes it, and read from there when the page
  // loads, so a link shows what the reader saw; the fragment keeps naming the figure (#fig-...).
  function boundParams(spec) {
    return (spec.params || []).filter(function (param) { return param.bind && param.bind.input; });
  }

  // The value `text` from the address gives the control, or undefined when the control could not hold it (a link
  // edited by hand, or made for an edition whose menu had other entries): the chart then starts as it was built.
  function fromAddress(bind, text) {
    if (bind.options) {
      return bind.options.find(function (option) { return String(option) === text; });
    }
    if (bind.input === "range" || bind.input === "number") {
      var number = text.trim() === "" ? NaN : Number(text);
      var inRange = isFinite(number) && !(number < bind.min) && !(number > bind.max);
      return inRange ? number : undefined;
    }
    if (bind.input === "checkbox") {
      return {"true": true, "false": false}[text];
    }
    return text;
  }

  // Every control's value: the one in the address where it can hold it, else the one the book was built with. The
  // whole state goes into the address and into a copied link, so a link stays true to what it showed even when a
  // later edition starts the figure elsewhere.
  function initialState(spec) {
    var query = new URLSearchParams(window.location.search), state = {};
    boundParams(spec).forEach(function (param) {
      var value = query.has(param.name) ? fromAddress(param.bind, query.get(param.name)) : undefined;
      state[param.name] = value === undefined ? param.value : value;
    });
    return state;
  }

  function withState(spec, state) {
    if (!spec.params) { return spec; }
    return Object.assign({}, spec, {params: spec.params.map(function (param) {
      return state.hasOwnProperty(param.name) ? Object.assign({}, param, {value: state[param.name]}) : param;
    })});
  }

  // The address of the page with `state` in its query and `fragment` after it; the history is not lengthened (the
  // Back button leaves the page rather than stepping back through a slider's every position).
  function addressWith(state, fragment) {
    var address = new URL(window.location.href);
    Object.keys(state).forEach(function (name) { address.searchParams.set(name, String(state[name])); });
    if (fragment !== undefined) { address.hash = fragment; }
    return address;
  }

  // Written once the control rests: a slider dragged end to end changes dozens of times a second, and browsers
  // refuse (and warn of) more than a few hundred changes of address in a few seconds.
  var ADDRESS_DELAY = 250; // ms

  function followControls(chart, view) {
    boundParams(chart.spec).forEach(function (param) {
      view.addSignalListener(param.name, function (name, value) {
        chart.state[name] = value;
        clearTimeout(chart.addressPending);
        chart.addressPending = setTimeout(function () {
          window.history.replaceState(window.history.state, "", addressWith(chart.state));
        }, ADDRESS_DELAY);
      });
    });
  }

  // The Clipboard API needs a secure context (https or loopback); elsewhere the older copy command still works.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) { return navigator.clipboard.writeText(text); }
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.append(field);
    field.select();
    var done = document.execCommand("copy");
    field.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  // A status region says what happened, for screen readers as for the eye; emptied first so that a second copy
  // is announced again.
  function announce(status, message) {
    status.textContent = "";
    setTimeout(function () { status.textContent = message; }, 50);
  }

  function linkControl(chart, figureId) {
    var row = document.createElement("div"), button = document.createElement("button");
    var status = document.createElement("span");
    row.className = "natobook-figure-link";
    button.type = "button";
    button.textContent = "Copy link to this figure";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      var link = addressWith(chart.state, figureId).href;
      copyText(link).then(
        function () { announce(status, "Link copied: it opens this figure as shown now."); },
        function () { announce(status, "Could not copy; the link is " + link); }
      );
    });
    row.append(button, status);
    return row;
  }

  function embed(chart, spec) {
    if (chart.result) { chart.result.finalize(); }
    chart.options.bind.replaceChildren();
    var options = pageTheme() === "dark" ? merged(chart.options, {tooltip: {theme: "dark"}}) : chart.options;
    return vegaEmbed(chart.element, spec, options).then(function (result) {
      chart.result = result;
      tooltipsOnTap(result.view);
      followControls(chart, result.view);
      return result;
    });
  }

  // Measured, resized, drawn: a figure whose axis labels or legend reach past its panels is laid out again, narrower.
  // Each layout is measured without drawing it (Vega with no renderer): building the SVG of a figure of many marks
  // costs several times its layout, and only the last layout is drawn.
  var FITTING_ROUNDS = 3;

  function measuredWidth(spec) {
    var options = {renderer: "none", actions: false, tooltip: false};
    return vegaEmbed(document.createElement("div"), spec, options).then(function (result) {
      // The width the SVG would have: the view's (Vega's own `_viewWidth`, the one its renderers are given) and the
      // padding around it.
      var view = result.view, padding = view.padding(), width = view._viewWidth + padding.left + padding.right;
      result.finalize();
      return width;
    });
  }

  function fit(chart, spec, width, rounds) {
    if (rounds <= 1 || fitsItself(spec)) { return embed(chart, spec); }
    return measuredWidth(spec).then(function (drawn) {
      var excess = drawn - width;
      if (excess <= 1 && (spec.facet || excess >= -1)) { return embed(chart, spec); }
      var next = spec.facet ? fewerColumns(spec, drawn, width) : resized(spec, excess);
      return fit(chart, next, width, rounds - 1);
    });
  }

  function draw(chart) {
    var width = Math.floor(chart.element.getBoundingClientRect().width);
    chart.width = width;
    chart.drawnTheme = pageTheme();
    chart.figure.removeAttribute("data-fitted");
    var spec = withState(chart.spec, chart.state);
    return fit(chart, fittedToWidth(themed(spec, chart.theme), width), width, FITTING_ROUNDS)
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
    var chart = {figure: element, element: drawing, spec: spec, theme: theme, state: initialState(spec),
                 options: Object.assign({bind: controls}, options)};
    var figure = element.closest("figure[id]");
    if (figure) { element.append(linkControl(chart, figure.id)); }
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
