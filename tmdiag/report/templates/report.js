(function () {
  "use strict";
  var bar = document.getElementById("threat-filters");
  if (!bar) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("article.threat"));
  var risk = document.getElementById("filter-risk");
  var status = document.getElementById("filter-status");
  var text = document.getElementById("filter-text");
  var shown = document.getElementById("filter-count");
  var risks = items.map(function (item) { return item.getAttribute("data-risk"); });
  var statuses = items.map(function (item) { return item.getAttribute("data-status"); });
  var visible = items.map(function () { return true; });
  var texts = null, timer = 0;
  function apply() {
    var r = risk.value, s = status.value, q = text.value.trim().toLowerCase(), n = 0, i, ok;
    if (q && texts === null) {  /* read each card's text once, on the first search */
      texts = items.map(function (item) { return item.textContent.toLowerCase(); });
    }
    for (i = 0; i < items.length; i += 1) {
      ok = (!r || risks[i] === r) && (!s || statuses[i] === s) && (!q || texts[i].indexOf(q) !== -1);
      if (ok !== visible[i]) { items[i].hidden = !ok; visible[i] = ok; }  /* touch only what changes */
      if (ok) { n += 1; }
    }
    shown.textContent = n + " of " + items.length;
  }
  function later() { clearTimeout(timer); timer = setTimeout(apply, 150); }
  [risk, status].forEach(function (el) { el.addEventListener("change", apply); });
  text.addEventListener("input", later);
  bar.hidden = false;
  apply();
}());
