// newstrace page behaviour. Served as a file (CSP: script-src 'self'); never builds
// HTML from article text: only ids and classes are touched.
(function () {
  "use strict";

  // A finding's quote links to the exact words in the article: the element with that id
  // holds the first piece of them; every piece carries the quote's token in data-ev. Open
  // any collapsed <details> around the target, flash all its pieces and move focus there.
  // A finding's own id (f-N, from the summary or a sentence's back-link) opens its group.
  function openAround(node) {
    for (var el = node; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
  }
  function showTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    openAround(target);
    document.querySelectorAll(".flash").forEach(function (n) { n.classList.remove("flash"); });
    if (id.indexOf("ev-") === 0) {
      var token = id.slice(3);
      document.querySelectorAll("[data-ev]").forEach(function (n) {
        if ((" " + n.getAttribute("data-ev") + " ").indexOf(" " + token + " ") >= 0) {
          n.classList.add("flash");
        }
      });
    } else if (id.indexOf("f-") !== 0) {
      return;
    }
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", showTarget);
  document.addEventListener("DOMContentLoaded", showTarget);

  // Printing shows every finding: open all groups first.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });

  // "Copy finding with its quote": the text is in data-copy (set by the server, escaped).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.copy") : null;
    if (!button) return;
    var text = button.getAttribute("data-copy") || "";
    var status = document.getElementById("copy-status");
    function done(ok) {
      if (status) status.textContent = ok ? "Finding copied." : "Copying failed: select the text instead.";
      button.setAttribute("data-copied", ok ? "1" : "0");
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () {
        done(fallbackCopy(text));
      });
    } else {
      done(fallbackCopy(text));
    }
  });
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "sr";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

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
