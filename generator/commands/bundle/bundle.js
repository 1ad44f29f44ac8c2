/* runbookgen go-bag: one file, every runbook of a service in it (generator/commands/bundle/).
 *
 * Runs before the site's scripts (fill.js, runbooks.js, incident.js), which are written for one
 * runbook's page: it puts the runbook the URL names (?_runbook=<id>) from its <template> into
 * the page, where they find it as on the site. Going to another runbook loads the file again.
 *
 * - Copy buttons: the site has Material's, which copies the code's `data-copy` (runbooks.js
 *   keeps the filled command there). These do the same, and carry `data-clipboard-target` as
 *   Material's do, so incident.js logs a copied command in the timeline.
 * - Search: the site's search worker's code answers here (window.RunbookBundleSearch), from
 *   the index in #rb-b-index; results link to the runbook and section.
 * - Diagrams (`diagrams:`) are shown as their source; a bundle made with --mermaid carries
 *   mermaid gzipped in #rb-b-mermaid, unpacked (DecompressionStream) and run from a blob: URL
 *   only when the runbook shown has one, which it then draws above its source.
 * Everything from the runbooks is set as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  var PARAM = "_runbook";
  var WIDE = "(min-width: 60em)";
  var MAX_GROUPS = 12;
  var page = document.getElementById("rb-b-page");
  var nav = document.getElementById("rb-b-nav");
  var current = new URLSearchParams(window.location.search).get(PARAM) || "";

  /* ---- The runbook the URL names ------------------------------------------------------ */

  function show(id) {
    if (!id) return;
    var template = document.getElementById("rb-b-runbook-" + id);
    var home = document.getElementById("rb-b-home");
    if (!template || template.tagName !== "TEMPLATE") {
      var missing = document.createElement("p");
      missing.className = "rb-b-missing";
      missing.textContent = "No runbook \u201c" + id + "\u201d in this file: pick one below.";
      home.insertBefore(missing, home.firstChild);
      return;
    }
    var copy = template.content.cloneNode(true);
    var sections = copy.querySelector(".rb-b-sections");
    document.getElementById("rb-b-toc").appendChild(sections);
    home.remove();
    page.appendChild(copy);
    document.title = template.getAttribute("data-title") + " \u00b7 " + document.title;
    var link = nav.querySelector('a[data-rb-runbook="' + CSS.escape(id) + '"]');
    if (link) link.setAttribute("aria-current", "page");
    if (window.location.hash) {
      var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      if (target) window.setTimeout(function () { target.scrollIntoView(); }, 0);
    }
  }

  /* ---- Copy buttons -------------------------------------------------------------------- */

  function addCopyButtons() {
    page.querySelectorAll("pre > code").forEach(function (code, n) {
      var pre = code.parentNode;
      code.tabIndex = 0; // a long line scrolls: by keyboard too, as Material's code blocks do
      if (pre.closest(".no-copy, .mermaid") || code.classList.contains("no-copy")) return;
      code.id = code.id || "rb-b-code-" + n;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rb-b-copy";
      button.title = "Copy the command";
      button.setAttribute("aria-label", "Copy the command");
      button.setAttribute("data-clipboard-target", "#" + code.id);
      button.textContent = "Copy";
      button.addEventListener("click", function () {
        var text = code.dataset.copy !== undefined ? code.dataset.copy : code.innerText;
        window.RunbookFill.copyText(text, function (ok) {
          button.textContent = ok ? "Copied" : "Select and copy";
          window.setTimeout(function () { button.textContent = "Copy"; }, 1500);
        });
      });
      pre.classList.add("rb-b-copyable");
      pre.appendChild(button);
    });
  }

  /* ---- Search -------------------------------------------------------------------------- */

  var ready = false;

  function ask(type, data) {
    return window.RunbookBundleSearch ? window.RunbookBundleSearch({ type: type, data: data }) : null;
  }

  function plain(html) {
    return new DOMParser().parseFromString(html, "text/html").body.textContent || "";
  }

  function hrefOf(location) {
    var at = location.indexOf("#");
    var id = at < 0 ? location : location.slice(0, at);
    var hash = at < 0 ? "" : location.slice(at);
    // The runbook shown: its anchor (the title's id is the runbook's), no reload, so the
    // values filled in stay.
    if (id === current) return hash || "#" + id;
    return "?" + PARAM + "=" + encodeURIComponent(id) + hash;
  }

  function resultItem(item, main) {
    var li = document.createElement("li");
    li.className = main ? "rb-b-result-page" : "rb-b-result";
    var a = document.createElement("a");
    a.href = hrefOf(item.location);
    a.textContent = plain(item.title);
    li.appendChild(a);
    var text = plain(item.text || "");
    if (text) {
      var p = document.createElement("span");
      p.className = "rb-b-result-text";
      p.textContent = text;
      li.appendChild(p);
    }
    return li;
  }

  function showResults(box, query) {
    box.textContent = "";
    if (!query.trim()) { box.hidden = true; return; }
    if (!ready) { ask(0, JSON.parse(document.getElementById("rb-b-index").textContent)); ready = true; }
    var answer = ask(2, query);
    var groups = answer && answer.data ? answer.data.items : [];
    var list = document.createElement("ul");
    groups.slice(0, MAX_GROUPS).forEach(function (items) {
      var own = items.filter(function (it) { return it.location.indexOf("#") < 0; })[0];
      if (own) list.appendChild(resultItem(own, true));
      items.forEach(function (it) { if (it !== own) list.appendChild(resultItem(it, false)); });
    });
    var count = document.createElement("p");
    count.className = "rb-b-result-count";
    count.textContent = groups.length ? groups.length + " runbook(s) match" : "No runbook matches.";
    box.append(count, list);
    box.hidden = false;
  }

  function setupSearch() {
    var input = document.getElementById("rb-b-search");
    var box = document.getElementById("rb-b-results");
    input.addEventListener("input", function () { showResults(box, input.value); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; showResults(box, ""); }
      if (event.key !== "Enter") return;
      var first = box.querySelector("a");
      if (first) first.click();
    });
    box.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a")) box.hidden = true;
    });
    // "/" searches, as on the site, unless someone is typing.
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
      if (event.key !== "/" || typing || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      input.focus();
    });
  }

  /* ---- Diagrams, with the packed mermaid ---------------------------------------------- */

  function drawDiagrams() {
    var packed = document.getElementById("rb-b-mermaid");
    var boxes = Array.from(page.querySelectorAll(".rb-b-diagram"));
    if (!packed || !boxes.length || !window.DecompressionStream) return;
    var binary = atob(packed.textContent.trim());
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var unpacked = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    new Response(unpacked).blob().then(function (code) {
      var script = document.createElement("script");
      script.src = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
      script.onload = function () {
        var nodes = boxes.map(function (box) {
          var drawn = document.createElement("div");
          drawn.className = "mermaid rb-b-drawn";
          drawn.textContent = box.querySelector("pre code").textContent;
          box.insertBefore(drawn, box.firstChild);
          return drawn;
        });
        window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
        window.mermaid.run({ nodes: nodes }).then(function () {
          boxes.forEach(function (box) { box.classList.add("rb-b-diagram--drawn"); });
        });
      };
      document.head.appendChild(script);
    });
  }

  // The site's palette toggle is Material's; here the reader's own setting decides.
  if (window.matchMedia("(prefers-color-scheme: dark)").matches) {
    document.body.setAttribute("data-md-color-scheme", "slate");
  }
  show(current);
  addCopyButtons();
  setupSearch();
  drawDiagrams();
  if (window.matchMedia(WIDE).matches) nav.open = true;
})();
