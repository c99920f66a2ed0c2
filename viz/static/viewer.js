// Alliance Graph network viewer: reads the page's JSON data, draws it with vis-network
// (physics off: positions come from Python), and adds search, type filters and tooltips.
// Every text reaches the DOM through textContent or the canvas: never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ag-data").textContent);
  var F = data.fields;  // node row layout: name → index
  var container = document.getElementById("ag-network");
  var tooltip = document.getElementById("ag-tooltip");
  var statusEl = document.getElementById("ag-status");

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var rows = data.nodes;
  var legendByKey = {};
  data.legend.forEach(function (entry) { legendByKey[entry.key] = entry; });
  var many = rows.length > 600;
  var visNodes = rows.map(function (row, i) {
    var entry = legendByKey[row[F.group_key]] || {colour: "#7f7f7f", shape: "dot"};
    var node = {
      id: i, x: row[F.x], y: row[F.y], label: row[F.label], shape: entry.shape,
      size: row[F.size], color: {background: entry.colour, border: row[F.centre] ? "#111" : "#ffffff",
        highlight: {background: entry.colour, border: "#000"}},
      borderWidth: row[F.centre] ? 3 : 1
    };
    if (many && row[F.count] === 1 && !row[F.centre]) { node.font = {size: 10}; }
    if (row[F.aside]) { node.widthConstraint = {maximum: 200}; }  // a side column's width
    return node;
  });
  var visEdges = data.edges.map(function (e, i) {
    var edge = {id: i, from: e[0], to: e[1], width: e[3] > 1 ? Math.min(1 + Math.log2(e[3]), 8) : 1};
    if (e[3] > 1) { edge.label = String(e[3]); }
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
    nodes: {font: {size: 14, face: "DejaVu Sans, Verdana, sans-serif", color: "#222"},
            scaling: {label: {drawThreshold: 7}}},
    edges: {color: {color: "#9aa5b1", highlight: "#333", hover: "#555"}, smooth: false,
            font: {size: 11, align: "middle"}, selectionWidth: 2}
  };
  if (data.map) {  // labels stay readable when a whole territory fits a small frame
    options.nodes.font.size = 16;
    options.nodes.scaling.label.drawThreshold = 5;
  }
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);

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
  // The first view (and "Tout voir"): everything in the frame. A network: its nodes, a
  // small one not blown up; a map: its outline, dots, circle and columns as well.
  function fitAll() {
    if (!data.map || !rows.length) {
      network.fit({maxZoomLevel: 1, animation: false});
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
  // largest places and the captions of the side columns. Lines and points keep their
  // width on screen whatever the zoom; texts scale like the nodes' labels.
  var FONT = "DejaVu Sans, Verdana, sans-serif";
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
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.font = "italic 13px " + FONT;
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255, 255, 255, 0.85)";
    ctx.fillStyle = "#5f6d7c";
    (data.places || []).forEach(function (p) {  // p[1]: the foot of the name
      ctx.strokeText(p[2], p[0], p[1]);
      ctx.fillText(p[2], p[0], p[1]);
    });
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.font = "bold 14px " + FONT;
    ctx.fillStyle = "#3a4654";
    (data.captions || []).forEach(function (cap) {
      cap[2].split("\n").forEach(function (line, n) { ctx.fillText(line, cap[0], cap[1] + 20 * n); });
    });
  });

  var firstDraw = true;
  network.on("afterDrawing", function () {
    if (!firstDraw) { return; }
    firstDraw = false;
    window.__vizReady = true;
    if (window.performance && performance.mark) { performance.mark("ag-settled"); }
    document.body.setAttribute("data-ready", "1");
  });

  // Tooltips: built from text nodes.
  function tooltipLines(row) {
    var lines = [];
    if (row[F.type]) { lines.push(["Type", legendByKey[row[F.group_key]] ?
      legendByKey[row[F.group_key]].name : row[F.type]]); }
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
    showTooltip(params.node, p[0], p[1]);
  });
  network.on("blurNode", function () { tooltip.hidden = true; });
  network.on("dragStart", function () { tooltip.hidden = true; });
  network.on("click", function (params) {
    if (params.nodes.length) {
      var p = pagePoint(params);
      showTooltip(params.nodes[0], p[0], p[1]);
    } else { tooltip.hidden = true; }
  });

  // Type filters: one checkbox per legend entry.
  var hiddenKeys = {};
  var legendBox = document.getElementById("ag-legend");
  data.legend.forEach(function (entry) {
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
    text.textContent = entry.name + " (" + entry.count + ")";
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(text);
    legendBox.appendChild(label);
    box.addEventListener("change", function () {
      if (box.checked) { delete hiddenKeys[entry.key]; } else { hiddenKeys[entry.key] = true; }
      applyFilters();
    });
  });
  function applyFilters() {
    var updates = [];
    var shown = 0;
    rows.forEach(function (row, i) {
      var hide = !!hiddenKeys[row[F.group_key]];
      if (!hide) { shown++; }
      updates.push({id: i, hidden: hide});
    });
    nodes.update(updates);
    window.__vizShown = shown;
    statusEl.textContent = shown + " / " + rows.length + " nœuds affichés";
  }

  // Search: select (and zoom to) the nodes whose name contains the text.
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
      window.__vizMatches = [];
      statusEl.textContent = "";
      return;
    }
    var found = [];
    folded.forEach(function (name, i) {
      if (name.indexOf(text) !== -1 && !hiddenKeys[rows[i][F.group_key]]) { found.push(i); }
    });
    window.__vizMatches = found.map(function (i) { return rows[i][F.id]; });
    network.selectNodes(found);
    statusEl.textContent = found.length + " trouvé" + (found.length > 1 ? "s" : "");
    if (found.length) { network.fit({nodes: found.slice(0, 200), animation: false}); }
  }
  document.getElementById("ag-fit").addEventListener("click", fitAll);
  window.__vizNetwork = network;
})();
