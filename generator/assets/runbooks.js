/* runbookgen: commands you can paste, and a symptom filter. No framework, no network.
 *
 * - Placeholders of the runbook's declared variables (<name>, $NAME, ${NAME}) are highlighted
 *   in code and filled in from the variables form (div.rb-vars) and from the page URL's query
 *   string (?namespace=payments), so an alert can link to a page with its values filled in.
 * - A value that does not match its variable's pattern is refused: the placeholder stays.
 * - Material's copy button copies the code element's `data-copy` attribute when there is one
 *   (bundle: `e.closest("[data-copy]")`, else `innerText`): every command block gets one with
 *   the filled command, without `$ ` prompts. The visible text is filled in as well, so a copy
 *   by hand, or by a Material without `data-copy`, gives the same command.
 * - The symptom index (div.rb-symptoms) gets a filter box.
 * - Printing opens every collapsed block.
 */
(function () {
  "use strict";

  var content = document.querySelector(".md-content") || document.body;

  /* ---- Variables and placeholders ---------------------------------------------------- */

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function compilePattern(pattern) {
    if (!pattern) return null;
    try {
      return new RegExp(pattern, "u");
    } catch (error) {
      return null; // the schema checks patterns; an odd one must not break the page
    }
  }

  /* name -> {input, pattern, label, error} for every declared variable on the page. */
  function readVariables() {
    var vars = {};
    content.querySelectorAll(".rb-vars input[name]").forEach(function (input) {
      var label = input.closest(".rb-var") || input.parentNode;
      var error = document.createElement("span");
      error.className = "rb-var-error";
      error.setAttribute("aria-live", "polite");
      label.appendChild(error);
      vars[input.name] = {
        input: input,
        pattern: compilePattern(input.getAttribute("pattern")),
        label: label,
        error: error,
      };
    });
    return vars;
  }

  /* One regular expression for every spelling of every variable. */
  function placeholderRegExp(names) {
    var spellings = [];
    names.forEach(function (name) {
      var n = escapeRegExp(name);
      spellings.push("<" + n + ">");
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        spellings.push("\\$\\{" + n + "\\}", "\\$" + n + "(?![A-Za-z0-9_])");
      }
    });
    spellings.sort(function (a, b) { return b.length - a.length; });
    return spellings.length ? new RegExp(spellings.join("|"), "g") : null;
  }

  function nameOf(placeholder) {
    return placeholder.replace(/^<(.*)>$/, "$1").replace(/^\$\{(.*)\}$/, "$1").replace(/^\$/, "");
  }

  /* A DOM range over characters [start, end) of the text of root (Pygments splits code
     into many spans, so a placeholder can cross several text nodes). */
  function rangeOf(root, start, end) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var range = document.createRange();
    var offset = 0;
    var started = false;
    var node;
    while ((node = walker.nextNode())) {
      var length = node.data.length;
      if (!started && start < offset + length) {
        range.setStart(node, start - offset);
        started = true;
      }
      if (started && end <= offset + length) {
        range.setEnd(node, end - offset);
        return range;
      }
      offset += length;
    }
    return null;
  }

  /* Replace each placeholder in code by a span that shows it (or its value). */
  function markPlaceholders(code, regexp) {
    var text = code.textContent;
    var matches = Array.from(text.matchAll(regexp)).reverse(); // from the end: offsets hold
    matches.forEach(function (match) {
      var range = rangeOf(code, match.index, match.index + match[0].length);
      if (!range) return;
      range.deleteContents();
      var mark = document.createElement("span");
      mark.className = "rb-ph";
      mark.dataset.rbVar = nameOf(match[0]);
      mark.dataset.rbRaw = match[0];
      mark.textContent = match[0];
      mark.title = "Variable " + mark.dataset.rbVar + ": fill it in above";
      range.insertNode(mark);
    });
    return matches.length > 0;
  }

  /* What a command block copies: no `$ ` prompts; when prompts are used, the lines without
     one are output and are left out (a line ending in \ continues its command). */
  function commandOnly(text) {
    var lines = text.replace(/\s+$/, "").split("\n");
    if (!lines.some(function (line) { return /^\$ /.test(line); })) return lines.join("\n");
    var kept = [];
    var continued = false;
    lines.forEach(function (line) {
      if (/^\$ /.test(line)) {
        kept.push(line.slice(2));
      } else if (continued) {
        kept.push(line);
      } else {
        return;
      }
      continued = /\\$/.test(line);
    });
    return kept.join("\n");
  }

  function setupVariables() {
    var vars = readVariables();
    var names = Object.keys(vars);
    var regexp = placeholderRegExp(names);
    var blocks = [];
    content.querySelectorAll("pre > code, code").forEach(function (code) {
      if (code.closest(".rb-vars, .mermaid") || code.dataset.rbSource !== undefined) return;
      var block = code.parentNode.nodeName === "PRE" && !code.closest(".no-copy");
      var source = code.textContent;
      var marked = regexp ? markPlaceholders(code, regexp) : false;
      if (block || marked) {
        code.dataset.rbSource = source;
        blocks.push({ code: code, source: source, block: block });
      }
    });

    function valueOf(name) {
      var v = vars[name];
      if (!v || !v.input.value) return null;
      return v.input.classList.contains("rb-invalid") ? null : v.input.value;
    }

    function validate(name) {
      var v = vars[name];
      var value = v.input.value;
      var ok = !value || !v.pattern || v.pattern.test(value);
      var message = ok ? "" : "Not a valid " + name + ": it must match " + v.input.getAttribute("pattern");
      v.input.setCustomValidity(message);
      v.input.classList.toggle("rb-invalid", !ok);
      v.label.classList.toggle("rb-var--invalid", !ok);
      v.error.textContent = message;
    }

    function render() {
      content.querySelectorAll(".rb-ph").forEach(function (mark) {
        var name = mark.dataset.rbVar;
        var value = valueOf(name);
        mark.textContent = value === null ? mark.dataset.rbRaw : value;
        mark.classList.toggle("rb-ph--filled", value !== null);
        mark.classList.toggle("rb-ph--invalid", !!(vars[name] && vars[name].input.classList.contains("rb-invalid")));
      });
      blocks.forEach(function (b) {
        if (!b.block) return;
        var filled = regexp
          ? b.source.replace(regexp, function (raw) {
              var value = valueOf(nameOf(raw));
              return value === null ? raw : value;
            })
          : b.source;
        b.code.dataset.copy = commandOnly(filled);
      });
    }

    function remember() {
      // The page's own URL carries the values, so it can be shared as it is.
      var url = new URL(window.location.href);
      names.forEach(function (name) {
        if (valueOf(name) !== null) url.searchParams.set(name, vars[name].input.value);
        else url.searchParams.delete(name);
      });
      window.history.replaceState(window.history.state, "", url.toString());
    }

    var query = new URLSearchParams(window.location.search);
    names.forEach(function (name) {
      var v = vars[name];
      if (query.has(name)) v.input.value = query.get(name);
      validate(name);
      v.input.addEventListener("input", function () {
        validate(name);
        render();
        remember();
      });
    });
    render();
  }

  /* ---- Symptom filter ------------------------------------------------------------------ */

  function setupSymptomFilter(box) {
    var rows = Array.from(box.querySelectorAll("tbody tr"));
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var tables = Array.from(box.querySelectorAll(".rb-chunk"));
    var input = document.createElement("input");
    input.type = "search";
    input.className = "rb-filter";
    input.placeholder = "Filter symptoms: type what you see";
    input.setAttribute("aria-label", "Filter symptoms");
    var count = document.createElement("span");
    count.className = "rb-filter-count";
    count.setAttribute("aria-live", "polite");
    var bar = document.createElement("p");
    bar.className = "rb-filter-bar";
    bar.append(input, count);
    box.insertBefore(bar, box.firstChild);

    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        if (row.hidden === match) row.hidden = !match; // untouched rows cost no layout
        if (match) shown += 1;
      });
      tables.forEach(function (table) {
        table.hidden = !table.querySelector("tbody tr:not([hidden])");
      });
      count.textContent = words.length ? shown + " of " + rows.length : rows.length + " symptoms";
    }
    input.addEventListener("input", apply);
    apply();
  }

  /* ---- Print: every collapsed block open ----------------------------------------------- */

  function setupPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      opened = Array.from(document.querySelectorAll("details:not([open])"));
      opened.forEach(function (d) { d.open = true; });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  }

  setupVariables();
  content.querySelectorAll(".rb-symptoms").forEach(setupSymptomFilter);
  setupPrint();
})();
