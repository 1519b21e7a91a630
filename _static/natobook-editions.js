// The edition note at the top of every page (natobook.site.editions). A published edition's pages never change,
// so the editions published after one are read from the list the publish step rewrites beside them
// (editions/editions.js, a script: it loads from file:// too, where fetch() does not) and added here.
document.addEventListener("DOMContentLoaded", function () {
  var note = document.querySelector(".natobook-editions");
  if (!note) return;
  note.querySelectorAll("a.natobook-page-address").forEach(function (link) { link.textContent = link.href; });
  var root = note.dataset.siteRoot, page = note.dataset.page, edition = note.dataset.edition;
  var list = document.createElement("script");
  list.src = root + "editions/editions.js";
  list.onload = function () {
    var held = window.natobookEditions;
    if (!held || !held.editions) return;
    var others = Object.keys(held.editions).sort().reverse().filter(function (name) {
      return name !== edition && held.editions[name].indexOf(page) >= 0;
    });
    var span = note.querySelector(".natobook-other-editions");
    if (others.length) span.textContent = "";
    others.forEach(function (name, index) {
      if (index) span.appendChild(document.createTextNode(", "));
      var link = document.createElement("a");
      link.href = root + "editions/" + name + "/" + page + ".html";
      link.textContent = name + (name === held.latest ? " (the latest)" : "");
      span.appendChild(link);
    });
    var latest = note.querySelector("a.natobook-latest");
    if (latest && (held.editions[held.latest] || []).indexOf(page) < 0) latest.href = root + "index.html";
  };
  document.head.appendChild(list);
});
