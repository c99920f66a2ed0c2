// Alliance Graph network viewer: reads the page's JSON data, draws it with vis-network
// (physics off: positions come from Python), and adds search, type filters, tooltips,
// the toggle of the territories above the département, and the node labels.
// Every text reaches the DOM through textContent or the canvas: never as HTML.
//
// Labels are drawn by this file, not by vis-network: at a fixed size on screen, most
// important first (the centre, then the largest nodes), and a label that would overlap
// one already drawn is left out until the reader zooms in or hovers its node. So the
// first drawing is readable at any size. On a map, the captions of the side columns and of
// the circle are in the way too, and the names of the largest places come last, where
// nothing else is. window.__vizLabels lists the labels drawn last (their boxes in pixels
// of the picture; a place's id is "place:" and its name), for tests.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ag-data").textContent);
  var F = data.fields;  // node row layout: name → index
  var container = document.getElementById("ag-network");
  var tooltip = document.getElementById("ag-tooltip");
  var statusEl = document.getElementById("ag-status");
  var upperBox = document.getElementById("ag-upper");
  var LABEL_PX = 13;        // label height on screen, whatever the zoom
  var LABEL_MAX = 42;       // characters of a label before it is cut with "…"
  var LABEL_FACE = "DejaVu Sans, Verdana, sans-serif";
  var PLACE_PX = 12;        // the names of places on a map, in italics

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function plural(n, one, many) { return n + " " + (n < 2 ? one : many); }

  var rows = data.nodes;
  var legendByKey = {};
  data.legend.forEach(function (entry) { legendByKey[entry.key] = entry; });
  var many = rows.length > 600;
  var hiddenKeys = {};
  var showUpper = !upperBox;

  function isHidden(i) {
    var row = rows[i];
    return !!hiddenKeys[row[F.group_key]] || (!!row[F.upper] && !showUpper);
  }

  var visNodes = rows.map(function (row, i) {
    var entry = legendByKey[row[F.group_key]] || {colour: "#7f7f7f", shape: "dot"};
    return {
      id: i, x: row[F.x], y: row[F.y], shape: entry.shape, size: row[F.size],
      color: {background: entry.colour, border: row[F.centre] ? "#111" : "#ffffff",
        highlight: {background: entry.colour, border: "#000"},
        hover: {background: entry.colour, border: "#000"}},
      borderWidth: row[F.centre] ? 3 : 1, hidden: isHidden(i)
    };
  });
  var visEdges = data.edges.map(function (e, i) {
    var edge = {id: i, from: e[0], to: e[1], width: e[3] > 1 ? Math.min(1 + Math.log2(e[3]), 8) : 1};
    if (e[3] > 1) { edge.label = String(e[3]); }
    if (e[2] === "SUGGESTED") {  // a hypothesis, not a relationship: dashed (the legend says so)
      edge.dashes = [8, 6];
      edge.width = 2.5;
      edge.color = {color: "#c2410c", highlight: "#9a3412", hover: "#9a3412"};
    }
    if (rows[e[0]][F.aside] && rows[e[1]][F.aside]) {  // round the column, not through it
      edge.smooth = {enabled: true, type: "curvedCW", roundness: 0.5};
    }
    return edge;
  });
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var options = {
    physics: false,
    layout: {improvedLayout: false, randomSeed: 1},
    interaction: {hover: true, tooltipDelay: 120, hideEdgesOnDrag: many, hideEdgesOnZoom: many,
                  navigationButtons: false, keyboard: false, multiselect: true},
    nodes: {font: {size: 14, face: LABEL_FACE, color: "#222"}},
    edges: {color: {color: "#9aa5b1", highlight: "#333", hover: "#555"}, smooth: false,
            font: {size: 11, align: "middle"}, selectionWidth: 2}
  };
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);

  function shownIndices() {
    var out = [];
    for (var i = 0; i < rows.length; i++) { if (!isHidden(i)) { out.push(i); } }
    return out;
  }

  // What a map holds besides its nodes, in canvas coordinates: min/max x and y.
  function mapBounds() {
    var b = {x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity};
    function add(x, y) {
      if (x < b.x0) { b.x0 = x; } if (x > b.x1) { b.x1 = x; }
      if (y < b.y0) { b.y0 = y; } if (y > b.y1) { b.y1 = y; }
    }
    rows.forEach(function (row) {
      add(row[F.x] - row[F.size], row[F.y] - row[F.size]);
      add(row[F.x] + row[F.size], row[F.y] + row[F.size] + 22);  // the label below
    });
    (data.circle ? [] : data.outline || []).forEach(function (ring) {  // a circle cuts it
      ring.forEach(function (p) { add(p[0], p[1]); });
    });
    var d = data.dots || [];
    for (var i = 0; i < d.length; i += 2) { add(d[i], d[i + 1]); }
    if (data.circle) {
      var c = data.circle;
      add(c[0] - c[2], c[1] - c[2] - 24);
      add(c[0] + c[2], c[1] + c[2]);
    }
    (data.captions || []).forEach(function (c) {
      add(c[0], c[1]);
      add(c[0] + 230, c[1] + 20 * c[2].split("\n").length);
    });
    (data.places || []).forEach(function (p) {
      add(p[0] - 4 * p[2].length, p[1] - 18);
      add(p[0] + 4 * p[2].length, p[1]);
    });
    return b;
  }
  // The first view (and "Tout voir"): everything in the frame. A network: the shown
  // nodes, a little further out so that the labels at the edges fit too, a small one not
  // blown up past its natural size; a map: its outline, dots, circle and columns as well.
  function fitAll() {
    if (!data.map || !rows.length) {
      var shown = shownIndices();
      network.fit({nodes: shown.length ? shown : undefined, maxZoomLevel: 1, animation: false});
      network.moveTo({scale: network.getScale() * 0.9, animation: false});
      return;
    }
    var b = mapBounds();
    var w = container.clientWidth || 600, h = container.clientHeight || 400;
    var scale = 0.95 * Math.min(w / Math.max(b.x1 - b.x0, 1), h / Math.max(b.y1 - b.y0, 1));
    network.moveTo({position: {x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2},
                    scale: Math.min(scale, 1.5), animation: false});
  }
  fitAll();

  // The map's backdrop under the network: the territory's outline (even-odd: an enclave
  // is a hole), its communes as faint points, the circle of a radius, the names of the
  // largest places (drawn with the labels, after them: see drawLabels) and the captions
  // of the side columns. Lines and points keep their width on screen whatever the zoom;
  // the captions scale with the map.
  var FONT = "DejaVu Sans, Verdana, sans-serif";
  // the captions of the side columns scale with the map, but never under 10 px on screen
  // (a whole map in a report's frame is drawn small)
  function captionSize() { return Math.max(14, 10 / network.getScale()); }
  network.on("beforeDrawing", function (ctx) {
    var unit = 1 / network.getScale();
    var c = data.circle;
    var rings = (data.outline || []).filter(function (ring) { return ring.length >= 3; });
    if (rings.length) {
      ctx.save();
      if (c) {  // around a commune, the land is cut by the circle of the radius
        ctx.beginPath();
        ctx.arc(c[0], c[1], c[2], 0, 2 * Math.PI);
        ctx.clip();
      }
      ctx.beginPath();
      rings.forEach(function (ring) {
        ctx.moveTo(ring[0][0], ring[0][1]);
        for (var i = 1; i < ring.length; i++) { ctx.lineTo(ring[i][0], ring[i][1]); }
        ctx.closePath();
      });
      ctx.fillStyle = "#eef2f7";
      ctx.fill("evenodd");
      ctx.strokeStyle = "#8d9bab";
      ctx.lineWidth = 1.5 * unit;
      ctx.stroke();
      ctx.restore();
    }
    if (c) {
      ctx.beginPath();
      ctx.arc(c[0], c[1], c[2], 0, 2 * Math.PI);
      ctx.setLineDash([8 * unit, 6 * unit]);
      ctx.strokeStyle = "#7b8da3";
      ctx.lineWidth = 1.5 * unit;
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = "13px " + FONT;
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      ctx.fillStyle = "#5b6b7d";
      ctx.fillText(c[3], c[0], c[1] - c[2] - 4);
    }
    var d = data.dots || [];
    if (d.length) {
      var r = 1.2 * unit;
      ctx.fillStyle = "#aeb9c6";
      for (var k = 0; k < d.length; k += 2) { ctx.fillRect(d[k] - r, d[k + 1] - r, 2 * r, 2 * r); }
    }
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.font = "bold " + captionSize() + "px " + FONT;
    ctx.fillStyle = "#3a4654";
    (data.captions || []).forEach(function (cap) {
      var lead = 20 * captionSize() / 14;
      cap[2].split("\n").forEach(function (line, n) { ctx.fillText(line, cap[0], cap[1] + lead * n); });
    });
  });

  // --- labels ---------------------------------------------------------------------------
  var texts = rows.map(function (row) {
    var text = String(row[F.label] == null ? "" : row[F.label]);
    var most = row[F.centre] ? LABEL_MAX + 18 : LABEL_MAX;  // the centre's, a bit longer
    return text.length > most ? text.slice(0, most - 1).trimEnd() + "…" : text;
  });
  // most important first: the centre, summary nodes, then by size, then shorter names
  var priority = rows.map(function (row, i) { return i; }).sort(function (a, b) {
    var ra = rows[a], rb = rows[b];
    return (rb[F.centre] - ra[F.centre]) || ((rb[F.count] > 1) - (ra[F.count] > 1)) ||
      (rb[F.size] - ra[F.size]) || (texts[a].length - texts[b].length) || (a - b);
  });
  var widths = null;  // label widths on screen, measured once
  var hovered = null;
  var selected = [];

  function measure(ctx) {
    ctx.save();
    ctx.font = LABEL_PX + "px " + LABEL_FACE;
    widths = texts.map(function (text) { return ctx.measureText(text).width; });
    ctx.restore();
  }
  function overlaps(box, taken, owner, labelsOnly) {
    for (var k = 0; k < taken.length; k++) {
      var t = taken[k];
      if (t.owner === owner || (labelsOnly && t.disc)) { continue; }
      if (box.x < t.x + t.w && t.x < box.x + box.w && box.y < t.y + t.h && t.y < box.y + box.h) {
        return true;
      }
    }
    return false;
  }
  function drawLabels(ctx) {
    if (!widths) { measure(ctx); }
    var scale = network.getScale();
    var width = container.clientWidth, height = container.clientHeight;
    var positions = network.getPositions();
    var cell = 80;
    var grid = {};
    var drawn = [];
    // the hovered node's label always (in full), the search's matches next, then the rest
    var forced = {};
    var first = selected.slice();
    if (hovered !== null) { first.unshift(hovered); forced[hovered] = true; }
    var early = {};
    first.forEach(function (i) { early[i] = true; });
    var order = first.concat(priority.filter(function (i) { return !early[i]; }));
    function cellsOf(box) {
      var keys = [];
      for (var gx = Math.floor(box.x / cell); gx <= Math.floor((box.x + box.w) / cell); gx++) {
        for (var gy = Math.floor(box.y / cell); gy <= Math.floor((box.y + box.h) / cell); gy++) {
          keys.push(gx + ":" + gy);
        }
      }
      return keys;
    }
    // every shown node is in the way of the others' labels
    var doms = {};
    for (var n = 0; n < rows.length; n++) {
      if (isHidden(n)) { continue; }
      var d = doms[n] = network.canvasToDOM(positions[n]);
      var r = rows[n][F.size] * scale;
      var disc = {x: d.x - r, y: d.y - r, w: 2 * r, h: 2 * r, owner: n, disc: true};
      if (disc.x + disc.w < 0 || disc.x > width || disc.y + disc.h < 0 || disc.y > height) {
        continue;
      }
      cellsOf(disc).forEach(function (key) { (grid[key] = grid[key] || []).push(disc); });
    }
    // a map's captions (side columns, the circle's radius) are always written: labels keep
    // off them as off another label
    ctx.save();
    function fixedText(text, x, y, font, px, lines, align) {
      ctx.font = font;
      var w = Math.max.apply(null, text.split("\n").map(function (line) {
        return ctx.measureText(line).width;
      })) * scale;
      var at = network.canvasToDOM({x: x, y: y});
      var box = {x: align === "center" ? at.x - w / 2 : at.x, y: at.y, w: w,
                 h: px * lines * scale, owner: -1};
      if (px < 0) { box.y = at.y + px * scale; box.h = -px * scale; }
      cellsOf(box).forEach(function (key) { (grid[key] = grid[key] || []).push(box); });
    }
    (data.captions || []).forEach(function (cap) {
      fixedText(cap[2], cap[0], cap[1], "bold " + captionSize() + "px " + FONT,
                20 * captionSize() / 14, cap[2].split("\n").length, "left");
    });
    if (data.circle) {
      var cc = data.circle;
      fixedText(cc[3], cc[0], cc[1] - cc[2] - 4, "13px " + FONT, -16, 1, "center");
    }
    ctx.restore();
    ctx.save();
    ctx.font = (LABEL_PX / scale) + "px " + LABEL_FACE;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    order.forEach(function (i) {
      if (isHidden(i) || !texts[i]) { return; }
      var p = positions[i];
      var dom = doms[i];
      var text = (i === hovered) ? String(rows[i][F.label]) : texts[i];
      var w = (i === hovered) ? ctx.measureText(text).width * scale : widths[i];
      // under the node, else above it, else to its right: the first place that is free
      var r = rows[i][F.size] * scale, h = LABEL_PX * 1.3;
      var places = [{x: dom.x - w / 2 - 2, y: dom.y + r + 1},
                    {x: dom.x - w / 2 - 2, y: dom.y - r - 1 - h},
                    {x: dom.x + r + 3, y: dom.y - h / 2}];
      var box = null, keys = null;
      for (var c = 0; c < places.length && !box; c++) {
        var at = {x: places[c].x, y: places[c].y, w: w + 4, h: h, owner: i};
        var inside = at.x >= 0 && at.x + at.w <= width && at.y >= 0 && at.y + at.h <= height;
        if (!inside && !forced[i]) { continue; }  // a label cut by the edge: not there
        // the boxes in the grid cells this one touches are the only ones it can overlap
        var cells = cellsOf(at);
        // the centre's label may cross other nodes (never a label): it is always there
        var free = !!forced[i] || cells.every(function (key) {
          return !grid[key] || !overlaps(at, grid[key], i, !!rows[i][F.centre]);
        });
        if (free) { box = at; keys = cells; }
      }
      if (!box) { return; }
      keys.forEach(function (key) { (grid[key] = grid[key] || []).push(box); });
      // back to canvas coordinates: the text's centre and top
      var tx = p.x + (box.x + box.w / 2 - dom.x) / scale;
      var ty = p.y + (box.y - dom.y) / scale + 0.15 * LABEL_PX / scale;
      ctx.lineWidth = 3 / scale;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(text, tx, ty);
      ctx.fillStyle = i === hovered ? "#000" : "#222";
      ctx.fillText(text, tx, ty);
      drawn.push({id: rows[i][F.id], x: box.x, y: box.y, w: box.w, h: box.h});
    });
    // the names of a map's largest places last, where no label, node or other name is
    ctx.font = "italic " + (PLACE_PX / scale) + "px " + LABEL_FACE;
    ctx.textBaseline = "bottom";
    (data.places || []).forEach(function (p, k) {  // p[1]: the foot of the name
      var foot = network.canvasToDOM({x: p[0], y: p[1]});
      var w = ctx.measureText(p[2]).width * scale + 4, h = PLACE_PX * 1.3;
      var at = {x: foot.x - w / 2, y: foot.y - h, w: w, h: h, owner: "place" + k};
      if (at.x < 0 || at.y < 0 || at.x + w > width || at.y + h > height) { return; }
      var cells = cellsOf(at);
      if (!cells.every(function (key) { return !grid[key] || !overlaps(at, grid[key], at.owner); })) {
        return;
      }
      cells.forEach(function (key) { (grid[key] = grid[key] || []).push(at); });
      ctx.lineWidth = 3 / scale;
      ctx.strokeStyle = "rgba(255,255,255,0.85)";
      ctx.strokeText(p[2], p[0], p[1]);
      ctx.fillStyle = "#5f6d7c";
      ctx.fillText(p[2], p[0], p[1]);
      drawn.push({id: "place:" + p[2], x: at.x, y: at.y, w: at.w, h: at.h});
    });
    ctx.restore();
    window.__vizLabels = drawn;
  }

  var firstDraw = true;
  network.on("afterDrawing", function (ctx) {
    drawLabels(ctx);
    if (!firstDraw) { return; }
    firstDraw = false;
    window.__vizReady = true;
    if (window.performance && performance.mark) { performance.mark("ag-settled"); }
    document.body.setAttribute("data-ready", "1");
  });

  // --- tooltips: built from text nodes ----------------------------------------------------
  function tooltipLines(row) {
    var lines = [];
    if (row[F.type_fr]) { lines.push(["Type", row[F.type_fr]]); }
    if (row[F.kind]) { lines.push(["Nature", row[F.kind]]); }
    if (row[F.territory]) { lines.push(["Territoire", row[F.territory]]); }
    if (row[F.count] > 1) { lines.push(["Nœuds", String(row[F.count])]); }
    if (row[F.source]) { lines.push([row[F.count] > 1 ? "Contenu" : "Source", row[F.source]]); }
    return lines;
  }
  function showTooltip(index, x, y) {
    var row = rows[index];
    while (tooltip.firstChild) { tooltip.removeChild(tooltip.firstChild); }
    var name = document.createElement("strong");
    name.textContent = row[F.label];
    tooltip.appendChild(name);
    tooltipLines(row).forEach(function (line) {
      var span = document.createElement("span");
      span.textContent = line[0] + " : " + line[1];
      tooltip.appendChild(span);
    });
    tooltip.hidden = false;
    var left = Math.min(x + 14, window.innerWidth - tooltip.offsetWidth - 4);
    var top = Math.min(y + 14, window.innerHeight - tooltip.offsetHeight - 4);
    tooltip.style.left = Math.max(left, 0) + "px";
    tooltip.style.top = Math.max(top, 0) + "px";
  }
  function pagePoint(params) {
    var rect = container.getBoundingClientRect();
    return [rect.left + params.pointer.DOM.x, rect.top + params.pointer.DOM.y];
  }
  network.on("hoverNode", function (params) {
    var p = pagePoint(params);
    hovered = params.node;
    showTooltip(params.node, p[0], p[1]);
    network.redraw();
  });
  network.on("blurNode", function () {
    tooltip.hidden = true;
    hovered = null;
    network.redraw();
  });
  network.on("dragStart", function () { tooltip.hidden = true; });
  network.on("click", function (params) {
    if (params.nodes.length) {
      var p = pagePoint(params);
      showTooltip(params.nodes[0], p[0], p[1]);
    } else { tooltip.hidden = true; }
  });

  // --- filters: one checkbox per legend entry, and the territories above the département --
  var legendBox = document.getElementById("ag-legend");
  var legendTexts = [];
  var lastGroup = null;
  var holder = legendBox;
  data.legend.forEach(function (entry) {
    // the kinds of one type together, after the type's name ("Organisations :"); a type
    // without kinds in a box of its own, so that a wrapped line never reads as part of
    // the set above it ("Besoins" under "Organisations :")
    if (entry.group !== lastGroup || !entry.group) {
      holder = document.createElement("span");
      holder.className = "ag-legend-set";
      if (entry.group) {
        var head = document.createElement("span");
        head.className = "ag-legend-group";
        head.textContent = entry.group + " :";
        holder.appendChild(head);
      }
      legendBox.appendChild(holder);
    }
    lastGroup = entry.group;
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = entry.key;
    box.setAttribute("data-key", entry.key);
    var swatch = document.createElement("span");
    swatch.className = "ag-swatch";
    swatch.style.background = entry.colour;
    var text = document.createElement("span");
    text.textContent = entry.short + " (" + entry.count + ")";
    legendTexts.push([entry, label, text]);
    label.title = entry.name;
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(text);
    holder.appendChild(label);
    box.addEventListener("change", function () {
      if (box.checked) { delete hiddenKeys[entry.key]; } else { hiddenKeys[entry.key] = true; }
      applyFilters();
    });
  });
  function applyFilters() {
    var updates = [];
    var shown = 0;
    rows.forEach(function (row, i) {
      var hide = isHidden(i);
      if (!hide) { shown++; }
      updates.push({id: i, hidden: hide});
    });
    nodes.update(updates);
    countLegend();
    window.__vizShown = shown;
    statusEl.textContent = plural(shown, "nœud affiché", "nœuds affichés") + " sur " + rows.length;
  }
  // a legend entry counts the nodes the toggle shows (an entry with none is left out)
  function countLegend() {
    var counts = {};
    rows.forEach(function (row) {
      if (row[F.upper] && !showUpper) { return; }
      counts[row[F.group_key]] = (counts[row[F.group_key]] || 0) + row[F.count];
    });
    legendTexts.forEach(function (item) {
      var n = counts[item[0].key] || 0;
      item[2].textContent = item[0].short + " (" + n + ")";
      item[1].hidden = n === 0;
    });
    // a box whose entries are all left out is left out too
    Array.prototype.forEach.call(legendBox.querySelectorAll(".ag-legend-set"), function (set) {
      set.hidden = !set.querySelector("label:not([hidden])");
    });
  }
  countLegend();
  window.__vizShown = shownIndices().length;
  if (upperBox) {
    upperBox.addEventListener("change", function () {
      showUpper = upperBox.checked;
      applyFilters();
      fitAll();
    });
  }

  // --- search: select (and zoom to) the nodes whose name contains the text -----------------
  var folded = rows.map(function (row) { return fold(row[F.label]); });
  var search = document.getElementById("ag-search");
  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(runSearch, 120);
  });
  function runSearch() {
    var text = fold(search.value.trim());
    if (!text) {
      network.unselectAll();
      selected = [];
      window.__vizMatches = [];
      statusEl.textContent = "";
      network.redraw();
      return;
    }
    var found = [];
    folded.forEach(function (name, i) {
      if (name.indexOf(text) !== -1 && !isHidden(i)) { found.push(i); }
    });
    window.__vizMatches = found.map(function (i) { return rows[i][F.id]; });
    selected = found.slice(0, 30);  // their labels first
    network.selectNodes(found);
    statusEl.textContent = plural(found.length, "trouvé", "trouvés");
    if (found.length) { network.fit({nodes: found.slice(0, 200), animation: false}); }
    network.redraw();
  }
  document.getElementById("ag-fit").addEventListener("click", fitAll);
  window.__vizNetwork = network;
})();
