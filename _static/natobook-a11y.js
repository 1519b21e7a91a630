// The book theme's navigation toggles are <summary> elements holding only an icon, so screen
// readers announce them with no name (axe-core: "summary-name", serious). Give each a name.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("summary").forEach(function (summary) {
    if (!summary.textContent.trim() && !summary.hasAttribute("aria-label")) {
      summary.setAttribute("aria-label", "Show or hide the pages of this section");
    }
  });
});

// A table wider than the text column scrolls within itself (natobook.css): the keyboard must reach it to scroll it
// (axe-core: "scrollable-region-focusable", serious).
function natobookFocusableScrollingTables() {
  document.querySelectorAll(".bd-article table").forEach(function (table) {
    if (table.scrollWidth > table.clientWidth) {
      table.setAttribute("tabindex", "0");
    } else {
      table.removeAttribute("tabindex");
    }
  });
}
document.addEventListener("DOMContentLoaded", natobookFocusableScrollingTables);
window.addEventListener("resize", natobookFocusableScrollingTables);
