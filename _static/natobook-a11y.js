// The book theme's navigation toggles are <summary> elements holding only an icon, so screen
// readers announce them with no name (axe-core: "summary-name", serious). Give each a name.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("summary").forEach(function (summary) {
    if (!summary.textContent.trim() && !summary.hasAttribute("aria-label")) {
      summary.setAttribute("aria-label", "Show or hide the pages of this section");
    }
  });
});
