(function () {
  "use strict";
  var bar = document.getElementById("threat-filters");
  if (!bar) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("article.threat"));
  var risk = document.getElementById("filter-risk");
  var status = document.getElementById("filter-status");
  var text = document.getElementById("filter-text");
  var shown = document.getElementById("filter-count");
  function apply() {
    var r = risk.value, s = status.value, q = text.value.trim().toLowerCase(), n = 0;
    items.forEach(function (item) {
      var ok = (!r || item.getAttribute("data-risk") === r) &&
               (!s || item.getAttribute("data-status") === s) &&
               (!q || item.textContent.toLowerCase().indexOf(q) !== -1);
      item.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = n + " of " + items.length;
  }
  [risk, status].forEach(function (el) { el.addEventListener("change", apply); });
  text.addEventListener("input", apply);
  bar.hidden = false;
  apply();
}());
