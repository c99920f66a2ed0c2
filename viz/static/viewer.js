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
    return node;
  });
  var visEdges = data.edges.map(function (e, i) {
    var edge = {id: i, from: e[0], to: e[1], width: e[3] > 1 ? Math.min(1 + Math.log2(e[3]), 8) : 1};
    if (e[3] > 1) { edge.label = String(e[3]); }
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
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  network.fit({maxZoomLevel: 1, animation: false});  // a small view is not blown up

  // The territory outline under the network (node coordinates = canvas coordinates).
  network.on("beforeDrawing", function (ctx) {
    (data.outline || []).forEach(function (poly) {
      if (poly.length < 3) { return; }
      ctx.beginPath();
      ctx.moveTo(poly[0][0], poly[0][1]);
      for (var i = 1; i < poly.length; i++) { ctx.lineTo(poly[i][0], poly[i][1]); }
      ctx.closePath();
      ctx.fillStyle = "#f1f4f8";
      ctx.strokeStyle = "#b8c2cc";
      ctx.lineWidth = 2;
      ctx.fill();
      ctx.stroke();
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
  document.getElementById("ag-fit").addEventListener("click", function () {
    network.fit({maxZoomLevel: 1, animation: false});
  });
  window.__vizNetwork = network;
})();
