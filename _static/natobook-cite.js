// Figure citations (natobook.site.sphinxext): the reader's access date, and the figure's full address where the
// book was built without a public base URL (html.baseurl in _config.yml): its edition's page (editions/<edition>/),
// on the server the reader uses.
document.addEventListener("DOMContentLoaded", function () {
  var today = new Date().toISOString().slice(0, 10);
  document.querySelectorAll(".natobook-accessed").forEach(function (span) { span.textContent = today; });
  document.querySelectorAll("a.natobook-figure-address").forEach(function (link) {
    link.textContent = link.href;
  });
  document.querySelectorAll(".natobook-figure-url").forEach(function (span) {
    span.textContent = new URL(span.dataset.href, document.baseURI).href;
  });
});
