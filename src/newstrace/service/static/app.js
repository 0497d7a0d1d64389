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

  // The size the server enforces (data-max-bytes, the same declaration it reads), checked
  // before a byte is uploaded: a person learns at once, and the pasted text stays.
  function sizeProblem(form) {
    var max = parseInt(form.getAttribute("data-max-bytes") || "0", 10);
    var limit = form.getAttribute("data-max-size") || "";
    var file = form.querySelector("input[type=file]");
    if (max && file && file.files && file.files.length && file.files[0].size > max) {
      return "This file is " + (file.files[0].size / 1048576).toFixed(1) +
        " MiB; the limit is " + limit + ".";
    }
    var text = form.querySelector("textarea");
    if (max && text && window.TextEncoder && new TextEncoder().encode(text.value).length > max) {
      return "The pasted text is over the " + limit + " limit.";
    }
    return "";
  }

  // Submitting the form: say that work is under way (analysis can take a few seconds).
  document.addEventListener("submit", function (event) {
    var button = event.target.querySelector("button[type=submit]");
    var box = event.target.querySelector("#file-problem");
    var problem = event.target.classList.contains("analyze") ? sizeProblem(event.target) : "";
    if (problem && box) {
      event.preventDefault();
      box.textContent = problem;
      box.hidden = false;
      return;
    }
    if (box) box.hidden = true;
    if (button && event.target.classList.contains("analyze")) {
      button.disabled = true;
      button.textContent = "Analysing…";
    }
  });
})();
