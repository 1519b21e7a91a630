// "Chart | Table" under every figure (natobook.site.figuretable): the page holds both views, chart and table; with
// this script they become two tabs, the chart shown first (WAI-ARIA tab pattern: the arrow keys, Home and End move
// between the tabs and show the one they reach; only the selected tab is in the Tab order).
(function () {
  // Sphinx 7.4 lists an extension's script twice in the page: the tabs must answer a key press once, not twice.
  if (window.natobookFigureTabs) { return; }
  window.natobookFigureTabs = true;

  function select(tab) {
    var tabs = tab.parentElement.querySelectorAll('[role="tab"]');
    tabs.forEach(function (other) {
      var chosen = other === tab;
      other.setAttribute("aria-selected", chosen ? "true" : "false");
      other.tabIndex = chosen ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !chosen;
    });
  }

  function onKey(event) {
    var tabs = Array.prototype.slice.call(event.currentTarget.querySelectorAll('[role="tab"]'));
    var at = tabs.indexOf(document.activeElement);
    var next = {ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1}[event.key];
    if (at < 0 || next === undefined) { return; }
    event.preventDefault();
    var tab = tabs[(next + tabs.length) % tabs.length];
    select(tab);
    tab.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".natobook-figure-tabs").forEach(function (list) {
      list.hidden = false;
      list.querySelectorAll('[role="tab"]').forEach(function (tab) {
        tab.addEventListener("click", function () { select(tab); });
      });
      list.addEventListener("keydown", onKey);
      select(list.querySelector('[aria-selected="true"]'));
    });
  });
})();
