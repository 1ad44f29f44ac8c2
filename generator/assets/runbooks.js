/* runbookgen: commands you can paste, and a symptom filter. No framework, no network.
 *
 * - Placeholders of the runbook's declared variables (<name>, $NAME, ${NAME}) are highlighted
 *   in code and filled in from the variables form (div.rb-vars) and from the page URL's query
 *   string (?namespace=payments), so an alert can link to a page with its values filled in.
 *   What a value may be, and how it is written into a command, is fill.js's rule: a refused
 *   value leaves the command unfilled, and says why. Values from the link are marked as such
 *   until the reader confirms or edits them.
 * - Material's copy button copies the code element's `data-copy` attribute when there is one
 *   (bundle: `e.closest("[data-copy]")`, else `innerText`): every command block gets one with
 *   the filled command, without `$ ` prompts. The visible text is filled in as well, so a copy
 *   by hand, or by a Material without `data-copy`, gives the same command.
 * - A message template (div.rb-template) is filled from the incident under way too: incident.js
 *   gives the values of the names the page lists (#rb-incident's "fields": <severity>, <start
 *   time> ...) through window.RunbookPage.setIncident, and asks what a copied command was, its
 *   secret values left out, through window.RunbookPage.commandText.
 * - A secret variable (data-rb-secret: its name or description says token, secret, password or
 *   key) is never written into the page's URL.
 * - A click on a placeholder opens the folded variables form at its field.
 * - The symptom and alert indexes (div.rb-symptoms, div.rb-alerts) get a filter box.
 * - Printing opens every collapsed block.
 */
(function () {
  "use strict";

  var content = document.querySelector(".md-content") || document.body;

  /* ---- Variables and placeholders ---------------------------------------------------- */

  var Fill = window.RunbookFill;

  /* name -> {field, spec, label, error, aliases, fromLink, linkReason} for every declared
     variable, under its name and under each of its aliases (data-rb-aliases): one record, so
     every spelling of its placeholders fills with the one value. */
  function readVariables() {
    var vars = {};
    content.querySelectorAll(".rb-vars [data-rb-var]").forEach(function (field) {
      var label = field.closest(".rb-var") || field.parentNode;
      var error = document.createElement("span");
      error.className = "rb-var-error";
      error.id = "rb-var-error-" + Object.keys(vars).length;
      error.setAttribute("aria-live", "polite");
      label.appendChild(error);
      field.setAttribute("aria-describedby", error.id);
      var values = null;
      if (field.tagName === "SELECT") {
        values = Array.from(field.options).map(function (o) { return o.value; }).filter(Boolean);
      }
      var name = field.getAttribute("data-rb-var");
      var aliases = (field.getAttribute("data-rb-aliases") || "").split(" ").filter(Boolean);
      var record = {
        field: field,
        spec: { name: name, pattern: field.getAttribute("data-pattern") || "", values: values },
        label: label,
        error: error,
        aliases: aliases,
        fromLink: false,
        linkReason: "",
      };
      [name].concat(aliases).forEach(function (n) {
        if (!owns(vars, n)) vars[n] = record; // the build refuses a name given twice (RB206)
      });
    });
    return vars;
  }

  /* Replace each placeholder in code by a span that shows it (or its value); the spans, in
     the order of the text. */
  function markPlaceholders(code, regexp) {
    var found = Fill.placeholders(code.textContent, regexp);
    var marks = [];
    found.slice().reverse().forEach(function (p) { // from the end: offsets hold
      var range = rangeOf(code, p.start, p.end);
      if (!range) return;
      range.deleteContents();
      var mark = document.createElement("span");
      mark.className = "rb-ph";
      mark.dataset.rbVar = p.name;
      mark.dataset.rbRaw = p.raw;
      mark.textContent = p.raw;
      range.insertNode(mark);
      marks.unshift(mark);
    });
    return marks;
  }

  /* A DOM range over characters [start, end) of the text of root (a placeholder can cross
     several text nodes). */
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

  function languageOf(code) {
    var match = /(?:^|\s)language-(\S+)/.exec(code.className);
    return match ? match[1] : "";
  }

  /* The note under a command block that says why it is not filled. */
  function noteFor(code) {
    var holder = code.closest(".highlight") || code.parentNode;
    var note = holder.nextElementSibling;
    if (!note || !note.classList.contains("rb-fill-note")) {
      note = document.createElement("p");
      note.className = "rb-fill-note";
      note.setAttribute("role", "status");
      note.hidden = true;
      holder.parentNode.insertBefore(note, holder.nextSibling);
    }
    return note;
  }

  /* The names of the incident's own values a template may hold (#rb-incident's "fields"), but
     those a variable of the runbook has. */
  function incidentFields(vars) {
    var node = document.getElementById("rb-incident");
    var fields = [];
    try {
      fields = JSON.parse(node ? node.textContent : "{}").fields || [];
    } catch (error) {
      fields = [];
    }
    if (!Array.isArray(fields)) return [];
    return fields.filter(function (f) {
      return typeof f === "string" && /^[a-z][a-z ]{0,30}$/.test(f) && !(f in vars);
    });
  }

  function setupVariables() {
    var vars = readVariables();
    var spellings = Object.keys(vars);
    // Each variable once, by its own name: the form's fields, the link's values, the URL.
    var names = spellings.filter(function (n) { return vars[n].spec.name === n; });
    var regexp = Fill.placeholderRegExp(spellings);
    var fields = incidentFields(vars);
    var templateRegexp = Fill.placeholderRegExp(spellings.concat(fields));
    var incident = {}; // field -> value, while an incident is under way
    var blocks = [];
    content.querySelectorAll("pre > code, code").forEach(function (code) {
      if (code.closest(".rb-vars, .mermaid") || code.dataset.rbSource !== undefined) return;
      var inPre = code.parentNode.nodeName === "PRE";
      var output = inPre && !!code.closest(".no-copy");
      var source = code.textContent;
      var own = inPre && code.closest(".rb-template") ? templateRegexp : regexp;
      var marks = own ? markPlaceholders(code, own) : [];
      if (!(inPre && !output) && !marks.length) return;
      code.dataset.rbSource = source;
      blocks.push({
        code: code,
        source: source,
        marks: marks,
        regexp: own,
        copies: inPre && !output,
        // Expected output is shown, never run: as text. Inline code is a command (a shell's).
        language: output ? "text" : inPre ? languageOf(code) : "",
      });
    });

    function reasonOf(name) {
      var v = vars[name];
      return v.linkReason || Fill.check(v.spec, v.field.value);
    }

    function lookup(name) {
      if (!owns(vars, name)) return { value: owns(incident, name) ? incident[name] : "", reason: "" };
      var v = vars[name];
      var reason = reasonOf(name);
      return { value: reason ? "" : v.field.value, reason: reason };
    }

    function showField(name) {
      var v = vars[name];
      var reason = reasonOf(name);
      var message = reason ? "Not used: " + reason + "." : "";
      if (v.field.setCustomValidity) v.field.setCustomValidity(message);
      v.field.classList.toggle("rb-invalid", !!reason);
      v.field.setAttribute("aria-invalid", reason ? "true" : "false");
      v.label.classList.toggle("rb-var--invalid", !!reason);
      v.label.classList.toggle("rb-var--from-link", v.fromLink);
      v.error.textContent = message;
    }

    function render() {
      blocks.forEach(function (b) {
        var result = Fill.fill(b.source, b.language, b.regexp, lookup);
        var refused = {};
        result.refused.forEach(function (r) { refused[r.name] = r.reason; });
        b.marks.forEach(function (mark, k) {
          var name = mark.dataset.rbVar;
          var filled = result.pieces[k] !== mark.dataset.rbRaw;
          mark.textContent = result.pieces[k];
          mark.classList.toggle("rb-ph--filled", filled);
          mark.classList.toggle("rb-ph--invalid", name in refused);
          var declared = owns(vars, name);
          mark.classList.toggle("rb-ph--from-link", filled && declared && vars[name].fromLink);
          mark.title = !declared
            ? name + (filled ? ": from the incident" : ": filled once an incident is started")
            : filled
              ? name + (vars[name].fromLink ? ": filled from the link, check it" : ": your value")
              : name in refused
                ? name + ": not filled, " + refused[name]
                : "Variable " + name + ": click to fill it in";
        });
        if (b.copies) {
          b.code.dataset.copy = Fill.commandOnly(result.text);
          if (b.marks.length) {
            var note = noteFor(b.code);
            var names = Object.keys(refused);
            note.hidden = names.length === 0;
            note.textContent = names.length
              ? "Not filled, copied with its placeholders: " +
                names.map(function (n) { return n + " (" + refused[n] + ")"; }).join("; ")
              : "";
          }
        }
      });
    }

    function remember() {
      // The page's own URL carries the values, so it can be shared as it is.
      var url = new URL(window.location.href);
      names.forEach(function (name) {
        var v = vars[name];
        var secret = v.field.hasAttribute("data-rb-secret");
        if (v.field.value && !reasonOf(name) && !secret) url.searchParams.set(name, v.field.value);
        else url.searchParams.delete(name);
        v.aliases.forEach(function (alias) { url.searchParams.delete(alias); });
      });
      window.history.replaceState(window.history.state, "", url.toString());
    }

    function confirmButton(name) {
      var v = vars[name];
      var note = document.createElement("span");
      note.className = "rb-var-link";
      note.append("Filled from the link: check it. ");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rb-var-confirm";
      button.textContent = "It is right";
      button.addEventListener("click", function () {
        v.fromLink = false;
        note.remove();
        showField(name);
        render();
      });
      note.appendChild(button);
      v.label.appendChild(note);
      v.linkNote = note;
    }

    // A link (an alert, a chat message) may fill only variables the page declares, each once
    // (by any of its names).
    var query = new URLSearchParams(window.location.search);
    names.forEach(function (name) {
      var v = vars[name];
      var given = [name].concat(v.aliases).reduce(function (all, n) {
        return all.concat(query.getAll(n));
      }, []);
      if (given.length) {
        var distinct = given.filter(function (x, i) { return given.indexOf(x) === i; });
        // Judged as the link gives it: a field would drop a line break from it unseen.
        var reason = Fill.check(v.spec, given[0]);
        if (distinct.length > 1) {
          v.linkReason = "the link gives it " + distinct.length + " different values";
        } else if (reason) {
          v.linkReason = "the link's value was refused: " + reason;
        } else {
          v.field.value = given[0];
          v.fromLink = true;
          confirmButton(name);
        }
      }
      showField(name);
      var edited = function () {
        v.linkReason = "";
        if (v.fromLink) {
          v.fromLink = false;
          if (v.linkNote) v.linkNote.remove();
        }
        showField(name);
        render();
        remember();
      };
      v.field.addEventListener("input", edited);
      v.field.addEventListener("change", edited);
    });
    // What a link gave is checked by the reader: the folded form opens to show it.
    var form = content.querySelector("details.rb-vars");
    if (form && names.some(function (n) { return vars[n].fromLink || vars[n].linkReason; })) {
      form.open = true;
    }
    render();
    askWhereUsed(vars, form);
    window.RunbookPage = {
      setIncident: function (values) {
        incident = {};
        fields.forEach(function (f) {
          if (typeof values[f] === "string") incident[f] = values[f];
        });
        render();
      },
      commandText: function (code, secrets) {
        return commandText(blocks, code, secrets, lookup);
      },
    };
  }

  function owns(object, name) {
    return Object.prototype.hasOwnProperty.call(object, name);
  }

  /* What a command block copies, as a timeline may keep it: the values of *secrets* (names)
     never in it (their placeholders stay). {text, language, left: [secret names it held]}, or
     null for code that is not a command block. */
  function commandText(blocks, code, secrets, lookup) {
    var block = blocks.filter(function (b) { return b.code === code && b.copies; })[0];
    if (!block) return null;
    var left = [];
    var result = Fill.fill(block.source, block.language, block.regexp, function (name) {
      var got = lookup(name);
      if (secrets.indexOf(name) < 0 || !got || !got.value) return got;
      if (left.indexOf(name) < 0) left.push(name);
      return { value: "", reason: "" };
    });
    return { text: Fill.commandOnly(result.text), language: block.language, left: left };
  }

  /* A click on a placeholder of a variable opens the folded form at its field; Enter in the
     field goes back to the command. */
  function askWhereUsed(vars, form) {
    var from = null;
    content.addEventListener("click", function (event) {
      var mark = event.target.closest ? event.target.closest(".rb-ph") : null;
      if (!mark || !owns(vars, mark.dataset.rbVar)) return;
      from = mark;
      if (form) form.open = true;
      vars[mark.dataset.rbVar].field.focus();
    });
    Object.keys(vars).forEach(function (name) {
      vars[name].field.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || !from) return;
        event.preventDefault();
        from.scrollIntoView({ block: "center" });
        from = null;
      });
    });
  }

  /* ---- Index filter (symptoms, alerts) ------------------------------------------------ */

  function setupFilter(box, noun, hint) {
    var rows = Array.from(box.querySelectorAll("tbody tr"));
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var tables = Array.from(box.querySelectorAll(".rb-chunk"));
    var input = document.createElement("input");
    input.type = "search";
    input.className = "rb-filter";
    input.placeholder = "Filter " + noun + ": " + hint;
    input.setAttribute("aria-label", "Filter " + noun);
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
      count.textContent = words.length ? shown + " of " + rows.length : rows.length + " " + noun;
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

  /* ---- Phone, keyboard, screen readers -------------------------------------------------- */

  /* Each cell says its column's heading (data-label). A table of three columns or more is
     marked to be shown a card per row on a phone (runbooks.css), where it would otherwise be
     swiped through; with scripts off it stays a table that scrolls. */
  function labelTables() {
    content.querySelectorAll(".md-typeset table").forEach(function (table) {
      var heads = Array.from(table.querySelectorAll("thead th")).map(function (th) {
        return th.textContent.trim();
      });
      if (heads.length < 3) return;
      table.setAttribute("data-rb-cards", "");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.from(row.cells).forEach(function (cell, i) {
          if (heads[i]) cell.setAttribute("data-label", heads[i]);
        });
      });
    });
  }

  /* A link that is all of its list item, cell or paragraph is a target of its own, which a phone makes
     a thumb's height (runbooks.css); a link inside a sentence stays a line of the sentence. */
  function markLoneLinks() {
    var links = ".md-typeset li > a[href], .md-typeset td > a[href], .md-typeset p > a[href]";
    content.querySelectorAll(links).forEach(function (a) {
      if (a.parentNode.textContent.trim() === a.textContent.trim()) a.setAttribute("data-rb-alone", "");
    });
  }

  /* An example wider than its field (a 44-character key, on a phone) would be cut: it is said
     in full under the field instead. Measured when the folded form opens, as a field is laid
     out only then. */
  function unclipExamples() {
    var ctx = document.createElement("canvas").getContext("2d");
    function check() {
      content.querySelectorAll(".rb-var input[placeholder]").forEach(function (input) {
        var style = getComputedStyle(input);
        var inside = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        // The computed shorthand `font` is often empty: the canvas is given its parts.
        ctx.font = [style.fontStyle, style.fontWeight, style.fontSize, style.fontFamily].join(" ");
        if (!inside || ctx.measureText(input.placeholder).width <= inside) return;
        var example = document.createElement("span");
        example.className = "rb-var-example";
        example.textContent = "e.g. " + input.placeholder;
        input.removeAttribute("placeholder");
        input.insertAdjacentElement("afterend", example);
      });
    }
    content.querySelectorAll("details.rb-vars").forEach(function (form) {
      form.addEventListener("toggle", check);
    });
    window.addEventListener("resize", check);
    check();
  }

  /* A table's box that scrolls sideways is a named tab stop, so the arrow keys can scroll it
     (axe: scrollable-region-focusable); one that fits is none. Which scroll depends on the
     window's width, and a table far down is measured only once laid out (content-visibility):
     asked again then. Material wraps tables after this script ran, hence on load. */
  function markScrollers() {
    content.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls === box.hasAttribute("data-rb-scrolls")) return;
      box.toggleAttribute("data-rb-scrolls", scrolls);
      if (!scrolls) {
        ["tabindex", "role", "aria-label"].forEach(function (a) { box.removeAttribute(a); });
        return;
      }
      var heads = Array.from(box.querySelectorAll("thead th")).map(function (th) {
        return th.textContent.trim();
      });
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Table, scrolls sideways: " + heads.join(", "));
    });
  }

  function watchScrollers() {
    var queued = false;
    function later() {
      if (queued) return;
      queued = true;
      requestAnimationFrame(function () { queued = false; markScrollers(); });
    }
    window.addEventListener("load", markScrollers);
    window.addEventListener("resize", later);
    document.addEventListener("contentvisibilityautostatechange", later, true);
  }

  /* Material's markup is not ours, but two things in it fail a screen reader or a keyboard:
     its search dialog has no name (axe: aria-dialog-name), and on a narrow screen its search
     and menu buttons are labels of hidden checkboxes, which Tab never reaches. */
  function mendMaterial() {
    document.querySelectorAll(".md-search[role=dialog]").forEach(function (dialog) {
      if (!dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
    });
    var toggles = { __search: "Search", __drawer: "Navigation" };
    document.querySelectorAll(".md-header label.md-header__button[for]").forEach(function (label) {
      if (!owns(toggles, label.htmlFor)) return;
      label.tabIndex = 0;
      label.setAttribute("role", "button");
      if (!label.hasAttribute("aria-label")) label.setAttribute("aria-label", toggles[label.htmlFor]);
      label.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        label.click();
      });
    });
  }

  setupVariables();
  content.querySelectorAll(".rb-symptoms").forEach(function (box) {
    setupFilter(box, "symptoms", "type what you see");
  });
  content.querySelectorAll(".rb-alerts").forEach(function (box) {
    setupFilter(box, "alerts", "type a name");
  });
  setupPrint();
  labelTables();
  markLoneLinks();
  unclipExamples();
  watchScrollers();
  mendMaterial();
  noticeOpenedFromDisk();

  /* ---- Opened from disk ------------------------------------------------------------------ */

  /* The normal build read from file:// has no search (its worker cannot load from disk) and
     its links end in folders, which a browser lists instead of opening: say so at the top, and
     which builds work there. Those say nothing: the offline build, whose pages load the
     iframe-worker shim (the plugin adds it only there, for search from disk), and the
     one-file bundle (data-rb-bundle on its root). */
  function noticeOpenedFromDisk() {
    if (window.location.protocol !== "file:") return;
    if (document.documentElement.hasAttribute("data-rb-bundle")) return;
    if (document.querySelector('script[src*="iframe-worker"]')) return;
    var note = document.createElement("p");
    note.className = "rb-overdue rb-file-notice"; // the page's own warning box
    note.setAttribute("role", "note");
    var offline = document.createElement("code");
    offline.textContent = "make site-offline";
    var bundle = document.createElement("code");
    bundle.textContent = "runbookgen bundle OUT.html";
    note.append(
      "Opened from disk: search and some links do not work here. Use the offline build (",
      offline, ") or the one-file bundle (", bundle, ")."
    );
    var top = content.querySelector(".md-content__inner") || content;
    top.insertBefore(note, top.firstChild);
  }
})();
