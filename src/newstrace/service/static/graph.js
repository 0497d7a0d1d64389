// The provenance graph: outlets as nodes, "took text from" as arrows, drawn in SVG with a
// small force layout. Vanilla JS, no library. Labels are set with textContent (never
// innerHTML), so outlet names from the corpus cannot become markup.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var BAND_COLOURS = { high: "#66bb6a", mixed: "#ffca28", low: "#ef5350", unrated: "#bdbdbd" };

  function el(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  // Deterministic layout: nodes start on a circle, then repel each other and are pulled
  // along edges for a fixed number of steps (same picture on every load).
  function layout(nodes, edges, width, height) {
    var n = nodes.length, cx = width / 2, cy = height / 2, r = Math.min(width, height) / 3;
    nodes.forEach(function (d, i) {
      d.x = cx + r * Math.cos((2 * Math.PI * i) / Math.max(n, 1));
      d.y = cy + r * Math.sin((2 * Math.PI * i) / Math.max(n, 1));
    });
    var byId = {};
    nodes.forEach(function (d) { byId[d.id] = d; });
    var links = edges.filter(function (e) { return byId[e.source] && byId[e.target]; });
    var k = Math.sqrt((width * height) / Math.max(n, 1)) * 0.6;
    for (var step = 0; step < 300; step++) {
      var t = 0.1 * (1 - step / 300) + 0.005;
      nodes.forEach(function (d) { d.dx = 0; d.dy = 0; });
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var a = nodes[i], b = nodes[j];
          var dx = a.x - b.x, dy = a.y - b.y, dist = Math.sqrt(dx * dx + dy * dy) || 0.01;
          var f = (k * k) / dist;
          a.dx += (dx / dist) * f; a.dy += (dy / dist) * f;
          b.dx -= (dx / dist) * f; b.dy -= (dy / dist) * f;
        }
      }
      links.forEach(function (e) {
        var s = byId[e.source], d = byId[e.target];
        var dx = s.x - d.x, dy = s.y - d.y, dist = Math.sqrt(dx * dx + dy * dy) || 0.01;
        var f = (dist * dist) / k;
        s.dx -= (dx / dist) * f; s.dy -= (dy / dist) * f;
        d.dx += (dx / dist) * f; d.dy += (dy / dist) * f;
      });
      nodes.forEach(function (d) {
        var len = Math.sqrt(d.dx * d.dx + d.dy * d.dy) || 1;
        var move = Math.min(len, t * width);
        d.x = Math.min(width - 60, Math.max(60, d.x + (d.dx / len) * move));
        d.y = Math.min(height - 30, Math.max(30, d.y + (d.dy / len) * move));
      });
    }
    return { byId: byId, links: links };
  }

  function draw(container, data) {
    var nodes = data.nodes || [], edges = data.edges || [];
    if (!nodes.length) {
      container.textContent = "No links between outlets in this corpus.";
      return;
    }
    var width = 900, height = Math.max(360, Math.min(900, 120 * Math.sqrt(nodes.length) + 200));
    var placed = layout(nodes, edges, width, height);
    var radius = function (d) { return 8 + Math.min(18, 3 * Math.sqrt(d.n_articles || 1)); };
    // Fit the view to the drawing, labels included (about 7.5 px per character at 12 px).
    var box = nodes.reduce(function (b, d) {
      var r = radius(d), right = d.x + r + 6 + 7.5 * String(d.label || d.id).length;
      return { x0: Math.min(b.x0, d.x - r), y0: Math.min(b.y0, d.y - r),
        x1: Math.max(b.x1, right), y1: Math.max(b.y1, d.y + r) };
    }, { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity });
    var pad = 24;
    var view = [box.x0 - pad, box.y0 - pad, box.x1 - box.x0 + 2 * pad, box.y1 - box.y0 + 2 * pad];
    var svg = el("svg", { viewBox: view.map(function (v) { return v.toFixed(1); }).join(" "),
      role: "group",
      "aria-label": "Provenance graph: " + nodes.length + " outlets" });
    // Never scale a small graph up past its natural size (CSSOM, which the CSP allows).
    svg.style.maxWidth = Math.ceil(view[2] * 1.2) + "px";
    var defs = el("defs");
    var marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5",
      markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" });
    marker.appendChild(el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#777" }));
    defs.appendChild(marker);
    svg.appendChild(defs);
    var edgeLayer = el("g"), nodeLayer = el("g");
    svg.appendChild(edgeLayer);
    svg.appendChild(nodeLayer);
    var lines = placed.links.map(function (e) {
      var s = placed.byId[e.source], d = placed.byId[e.target];
      var dx = d.x - s.x, dy = d.y - s.y, dist = Math.sqrt(dx * dx + dy * dy) || 1;
      var rs = radius(s), rd = radius(d) + 3;
      var line = el("line", { class: "edge", x1: s.x + (dx / dist) * rs, y1: s.y + (dy / dist) * rs,
        x2: d.x - (dx / dist) * rd, y2: d.y - (dy / dist) * rd, "marker-end": "url(#arrow)",
        "stroke-width": String(1 + Math.min(5, Math.log2(1 + (e.weight || 1)))) });
      var title = el("title");
      title.textContent = e.source + " → " + e.target + " (" + (e.weight || 1) + ")";
      line.appendChild(title);
      edgeLayer.appendChild(line);
      return { edge: e, line: line };
    });
    var detail = document.getElementById("graph-detail");
    var groups = nodes.map(function (d) {
      var g = el("g", { class: "node", tabindex: "0", role: "button",
        transform: "translate(" + d.x.toFixed(1) + "," + d.y.toFixed(1) + ")",
        "aria-label": (d.label || d.id) + ", " + (d.band || "unrated") });
      g.dataset.id = d.id;
      g.appendChild(el("circle", { r: radius(d), fill: BAND_COLOURS[d.band] || BAND_COLOURS.unrated }));
      var text = el("text", { x: radius(d) + 4, y: 4 });
      text.textContent = d.label || d.id;
      g.appendChild(text);
      nodeLayer.appendChild(g);
      return g;
    });

    function select(id) {
      var touching = {};
      touching[id] = true;
      lines.forEach(function (l) {
        var on = l.edge.source === id || l.edge.target === id;
        l.line.classList.toggle("hl", on);
        if (on) { touching[l.edge.source] = true; touching[l.edge.target] = true; }
      });
      groups.forEach(function (g) {
        g.classList.toggle("selected", g.dataset.id === id);
        g.classList.toggle("dim", !touching[g.dataset.id]);
      });
      if (!detail) return;
      detail.textContent = "";
      var heading = document.createElement("strong");
      heading.textContent = id;
      detail.appendChild(heading);
      var link = document.createElement("a");
      link.href = "/corpus/outlets/" + encodeURIComponent(id);
      link.textContent = " — outlet page";
      detail.appendChild(link);
      var list = document.createElement("ul");
      lines.forEach(function (l) {
        if (l.edge.source !== id && l.edge.target !== id) return;
        var item = document.createElement("li");
        item.textContent = l.edge.source === id
          ? "text taken by " + l.edge.target + " (" + (l.edge.weight || 1) + ")"
          : "took text from " + l.edge.source + " (" + (l.edge.weight || 1) + ")";
        list.appendChild(item);
      });
      detail.appendChild(list);
    }

    groups.forEach(function (g) {
      g.addEventListener("click", function () { select(g.dataset.id); });
      g.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          select(g.dataset.id);
        }
      });
    });
    container.textContent = "";
    container.appendChild(svg);
    container.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("graph");
    if (!container) return;
    fetch(container.dataset.src, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (data) { draw(container, data); })
      .catch(function (err) { container.textContent = "The graph could not be loaded (" + err.message + ")."; });
  });
})();
