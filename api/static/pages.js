// Alliance Graph pages: suggestions under the territory boxes, and the copy buttons of
// the « Intégrer » panels under the pictures.
// Served from the same origin (CSP script-src 'self'); no framework, no build step.
// Options are built with DOM properties (never innerHTML), so a name is always text.
//
// A box with data-suggest="/pages-api/communes" gets a listbox of territories (the
// server matches accents, St-, postal codes and acronyms, which a <datalist> would filter
// out again). Arrow keys move, Enter or a click takes a suggestion, Escape closes; the
// box then holds a text the server reads as exactly that territory ("Roubaix (59)").
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(inputs, function (input, n) {
    var url = input.getAttribute("data-suggest");
    var holder = input.parentNode;
    if (!url || !holder) { return; }
    var list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    holder.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var timer = null;
    var asked = "";
    var active = -1;

    function options() { return list.querySelectorAll("li[role=option]"); }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var all = options();
      if (!all.length) { return; }
      active = (index + all.length) % all.length;
      Array.prototype.forEach.call(all, function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function take(li) {
      input.value = li.getAttribute("data-value");
      asked = input.value.trim();
      close();
      input.focus();
    }

    function show(items) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-value", item.value);
        li.appendChild(document.createTextNode(item.label));
        if (item.hint) {
          var hint = document.createElement("span");
          hint.className = "hint";
          hint.textContent = item.hint;
          li.appendChild(hint);
        }
        // mousedown, not click: the box must not lose focus (and close the list) first
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          take(li);
        });
        list.appendChild(li);
      });
      active = -1;
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (timer) { clearTimeout(timer); }
      if (q.length < 2) { close(); asked = ""; return; }
      if (q === asked) { return; }
      timer = setTimeout(function () {
        asked = q;
        fetch(url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) { if (input.value.trim() === q) { show(items); } })
          .catch(function () { /* suggestions are a convenience: typing still works */ });
      }, 150);
    });

    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        take(options()[active]);
      }
    });

    input.addEventListener("blur", close);
  });
})();

// The « Intégrer » panels: a button copies the iframe code (without JavaScript the code is
// still there to select and copy by hand); clicking in the code selects all of it.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var code = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!code) { return; }
    button.hidden = false;
    function said(text) { if (status) { status.textContent = text; } }
    function byHand() {
      code.focus();
      code.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      said(done ? "Code copié." : "Le code est sélectionné : copiez-le (Ctrl+C ou ⌘+C).");
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(code.value).then(function () {
          said("Code copié.");
        }, byHand);
      } else {
        byHand();
      }
    });
  });
  var codes = document.querySelectorAll("textarea.embed-code");
  Array.prototype.forEach.call(codes, function (code) {
    code.addEventListener("focus", function () { code.select(); });
  });
})();
