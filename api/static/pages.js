// Alliance Graph pages: suggestions for the territory fields, nothing else.
// Served from the same origin (CSP script-src 'self'); no framework, no build step.
// Options are built with DOM properties (never innerHTML), so a name is always text.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(inputs, function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    var timer = null;
    var last = "";
    if (!list || !url) { return; }
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (timer) { clearTimeout(timer); }
      if (q.length < 2 || q === last) { return; }
      timer = setTimeout(function () {
        last = q;
        fetch(url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            while (list.firstChild) { list.removeChild(list.firstChild); }
            items.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.value;
              option.label = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience: typing still works */ });
      }, 200);
    });
  });
})();
