/* tmdiag diagrams in docs pages: a link to a view opens its collapsed section; "Full size" shows a
   diagram at its own size (scrolling) instead of the column's width. No network, no inline script. */
(function () {
  "use strict";
  var XLINK = "http://www.w3.org/1999/xlink";

  function reveal(id) {
    var target = id ? document.getElementById(id) : null;
    var section = target && target.closest ? target.closest("details.tmdiag-view") : null;
    if (!section) return false;
    section.open = true;
    target.scrollIntoView();
    return true;
  }

  function fromAddress() {
    try { reveal(decodeURIComponent(location.hash.slice(1))); } catch (ignored) { /* a malformed address */ }
  }

  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a") : null;
    if (!link) return;
    var href = link.getAttribute("href") || link.getAttributeNS(XLINK, "href") || "";
    if (href.charAt(0) !== "#") return;
    try { reveal(decodeURIComponent(href.slice(1))); } catch (ignored) { /* a malformed link */ }
  });
  window.addEventListener("hashchange", fromAddress);

  function setUp() {
    fromAddress();
    var pictures = document.querySelectorAll(".tmdiag-picture");
    Array.prototype.forEach.call(pictures, function (picture) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tmdiag-size";
      button.textContent = "Full size";
      button.addEventListener("click", function () {
        var full = picture.classList.toggle("tmdiag-full");
        button.textContent = full ? "Fit to page" : "Full size";
      });
      picture.parentNode.insertBefore(button, picture);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
