// newstrace page behaviour. Served as a file (CSP: script-src 'self'); never builds
// HTML from article text: only ids and classes are touched.
(function () {
  "use strict";

  // A finding's evidence link points at an empty anchor placed just before the evidence
  // text. Open any collapsed <details> around it, move focus there and flash the text.
  function showEvidence() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id || id.indexOf("ev-") !== 0) return;
    var anchor = document.getElementById(id);
    if (!anchor) return;
    for (var el = anchor.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
    var next = anchor.nextSibling;
    var target = next && next.nodeType === 1 ? next : anchor.parentElement;
    document.querySelectorAll(".flash").forEach(function (n) { n.classList.remove("flash"); });
    target.classList.add("flash");
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", showEvidence);
  document.addEventListener("DOMContentLoaded", showEvidence);

  // Back/forward cache: a page restored after submitting must not keep a dead button.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.analyze button[type=submit]").forEach(function (b) {
      b.disabled = false;
      b.textContent = "Analyse";
    });
  });

  // Submitting the form: say that work is under way (analysis can take a few seconds).
  document.addEventListener("submit", function (event) {
    var button = event.target.querySelector("button[type=submit]");
    if (button && event.target.classList.contains("analyze")) {
      button.disabled = true;
      button.textContent = "Analysing…";
    }
  });
})();
