/* runbookgen: incident mode on a runbook's page. No server, no network: it works from file://.
 *
 * The page gives its data in <script type="application/json" id="rb-incident"> (the layout's,
 * generator/render/incident.py): phases and their time budgets in seconds, the headed steps,
 * the severity levels (who to page, update cadence), escalation steps and contacts.
 *
 * - "Start incident" starts the clock. Checklist items, headed steps and phases can then be
 *   ticked, each tick timed; the phases with a budget count down from the start and say when
 *   they are overdue; the chosen severity says who to page now, when to escalate and when the
 *   next status update is due.
 * - The state is kept in localStorage per runbook and incident ("runbookgen.incident.<runbook>.
 *   <incident>"), the incident under way per runbook; ?incident=<id> in the URL picks one. A new
 *   incident starts clean; "End incident" clears it once confirmed.
 * - "Copy timeline" copies Markdown: start, severity, each tick, each command copied (its
 *   secret values left out: runbooks.js's commandText) and each note, with its time.
 * - Everything read back (storage, URL) is checked before use; nothing is written as HTML.
 */
(function () {
  "use strict";

  var ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/; // a runbook's or an incident's id
  var KINDS = ["command", "note", "severity", "update"];
  var MAX_LOG = 2000;
  var MAX_TEXT = 20000;

  var node = document.getElementById("rb-incident");
  var content = document.querySelector(".md-content") || document.body;
  if (!node) return;
  var data = readData(node.textContent);
  if (!data) return;
  var PREFIX = "runbookgen.incident." + data.runbook + ".";

  /* ---- Data in, checked ------------------------------------------------------------- */

  function isText(x) { return typeof x === "string"; }
  function isSeconds(x) { return typeof x === "number" && isFinite(x) && x > 0; }
  function listOf(x) { return Array.isArray(x) ? x : []; }

  function readData(text) {
    var raw;
    try { raw = JSON.parse(text); } catch (error) { return null; }
    if (!raw || !isText(raw.runbook) || !ID.test(raw.runbook)) return null;
    var contacts = listOf(raw.contacts).filter(function (c) { return c && isText(c.role); });
    return {
      runbook: raw.runbook,
      title: isText(raw.title) ? raw.title : raw.runbook,
      service: isText(raw.service) ? raw.service : "",
      phases: listOf(raw.phases).filter(function (p) { return p && isText(p.id) && isText(p.title); }),
      steps: listOf(raw.steps).filter(function (s) { return s && isText(s.id) && isText(s.title); }),
      levels: listOf(raw.levels).filter(function (l) { return l && isText(l.id); }),
      escalation: listOf(raw.escalation).filter(function (e) { return e && isText(e.action); }),
      contacts: contacts,
      secrets: listOf(raw.secrets).filter(isText),
    };
  }

  function levelOf(id) {
    return data.levels.filter(function (l) { return l.id === id; })[0] || null;
  }

  /* A stored incident, or null: every field checked, what does not fit dropped. */
  function readState(text) {
    var raw;
    try { raw = JSON.parse(text); } catch (error) { return null; }
    if (!raw || typeof raw !== "object" || !isSeconds(raw.start)) return null;
    var ticks = {};
    if (raw.ticks && typeof raw.ticks === "object") {
      Object.keys(raw.ticks).forEach(function (key) {
        if (key.length <= 300 && isSeconds(raw.ticks[key])) ticks[key] = raw.ticks[key];
      });
    }
    var log = listOf(raw.log).filter(function (e) {
      return e && isSeconds(e.t) && KINDS.indexOf(e.kind) >= 0 && isText(e.text) &&
        e.text.length <= MAX_TEXT;
    }).slice(-MAX_LOG);
    var severity = isText(raw.severity) && levelOf(raw.severity) ? raw.severity : "";
    return { start: raw.start, severity: severity, ticks: ticks, log: log };
  }

  /* ---- Storage ------------------------------------------------------------------------- */

  var memory = {}; // when the browser keeps nothing (storage refused): this page's life only
  var saved = true;

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (error) { return memory[key] || null; }
  }

  function store(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (error) {
      saved = false;
      if (value === null) delete memory[key]; else memory[key] = value;
    }
  }

  function urlIncident() {
    var given = new URLSearchParams(window.location.search).get("incident");
    return given && ID.test(given) ? given : "";
  }

  function setUrlIncident(id) {
    var url = new URL(window.location.href);
    if (id) url.searchParams.set("incident", id); else url.searchParams.delete("incident");
    window.history.replaceState(window.history.state, "", url.toString());
  }

  /* ---- Time ---------------------------------------------------------------------------- */

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function day(t) {
    var d = new Date(t);
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function clock(t) {
    var d = new Date(t);
    return two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
  }

  function hhmm(t) { return clock(t).slice(0, 5); }

  /* A time of the incident: its clock time, the day too when it is not the start's. */
  function when(t, start) {
    return day(t) === day(start) ? clock(t) : day(t) + " " + clock(t);
  }

  function offset(t) {
    var minutes = -new Date(t).getTimezoneOffset();
    var sign = minutes < 0 ? "-" : "+";
    minutes = Math.abs(minutes);
    return "UTC" + sign + two(Math.floor(minutes / 60)) + ":" + two(minutes % 60);
  }

  /* 754 s: "12:34"; 4,000 s: "1:06:40". */
  function span(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var h = Math.floor(s / 3600);
    var rest = two(Math.floor((s % 3600) / 60)) + ":" + two(s % 60);
    return h ? h + ":" + rest : rest;
  }

  /* 3,900 s: "1 h 05 min"; 300 s: "5 min". */
  function words(seconds) {
    var minutes = Math.floor(Math.max(0, seconds) / 60);
    var h = Math.floor(minutes / 60);
    return h ? h + " h " + two(minutes % 60) + " min" : minutes + " min";
  }

  /* ---- Tickable things ------------------------------------------------------------------ */

  /* Every tickable thing of the page, in page order: {key, label, kind, element}. A checklist
     item is named by the heading above it and its rank under it. */
  function tickables() {
    var steps = {};
    data.steps.forEach(function (s) { steps[s.id] = s.title; });
    var phases = {};
    data.phases.forEach(function (p) { phases[p.id] = p.title; });
    var found = [];
    var under = "top";
    var rank = 0;
    content.querySelectorAll("h2[id], h3[id], h4[id], h5[id], h6[id], li.task-list-item")
      .forEach(function (el) {
        if (el.tagName !== "LI") {
          under = el.id;
          rank = 0;
          if (Object.prototype.hasOwnProperty.call(steps, el.id)) {
            found.push({ key: "s:" + el.id, label: steps[el.id], kind: "step", element: el });
          } else if (Object.prototype.hasOwnProperty.call(phases, el.id)) {
            found.push({ key: "p:" + el.id, label: phases[el.id], kind: "phase", element: el });
          }
          return;
        }
        rank += 1;
        found.push({ key: "c:" + under + ":" + rank, label: ownText(el), kind: "check", element: el });
        nameCheckBox(el, ownText(el));
      });
    return found;
  }

  /* A checklist's box is alone in its label (pymdownx.tasklist writes the words after it): a
     screen reader would hear "checkbox" and nothing else. It is named after its item. */
  function nameCheckBox(li, label) {
    var box = li.querySelector(":scope > label > input[type=checkbox]");
    if (box && !box.hasAttribute("aria-label")) box.setAttribute("aria-label", "Done: " + label);
  }

  /* An item's own words, without its sub-items. */
  function ownText(li) {
    var text = "";
    li.childNodes.forEach(function (child) {
      if (child.nodeType === 3 || (child.nodeType === 1 && !/^(UL|OL|LABEL)$/.test(child.tagName))) {
        text += child.textContent;
      }
    });
    return text.replace(/\s+/g, " ").trim();
  }

  /* ---- The incident ------------------------------------------------------------------ */

  var id = "";
  var state = null;
  var things = tickables();
  var ui = null;
  var timer = null;
  var lastMinute = -1;

  function key(incident) { return PREFIX + incident; }

  function save() {
    if (state) store(key(id), JSON.stringify(state));
  }

  function resume() {
    var wanted = urlIncident() || load(PREFIX + "current") || "";
    if (!ID.test(wanted)) return;
    var found = readState(load(key(wanted)) || "");
    if (found) {
      id = wanted;
      state = found;
      store(PREFIX + "current", id);
    }
  }

  function newId(now) {
    var d = new Date(now);
    var base = "inc-" + day(now).replace(/-/g, "") + "-" + two(d.getHours()) + two(d.getMinutes());
    var name = base;
    for (var n = 2; load(key(name)) !== null; n++) name = base + "-" + n;
    return name;
  }

  function start() {
    var now = Date.now();
    id = urlIncident() || newId(now);
    state = readState(load(key(id)) || "") || { start: now, severity: "", ticks: {}, log: [] };
    save();
    store(PREFIX + "current", id);
    setUrlIncident(id);
    show();
  }

  function end() {
    var ok = window.confirm(
      "End incident " + id + "? Its ticks, times and notes are cleared from this browser: " +
        "copy the timeline first."
    );
    if (!ok) return;
    store(key(id), null);
    store(PREFIX + "current", null);
    setUrlIncident("");
    id = "";
    state = null;
    show();
  }

  function log(kind, text) {
    if (!state) return;
    state.log.push({ t: Date.now(), kind: kind, text: text.slice(0, MAX_TEXT) });
    if (state.log.length > MAX_LOG) state.log.shift();
    save();
    refresh();
  }

  function tick(thing, on) {
    if (!state) return;
    if (on) state.ticks[thing.key] = Date.now();
    else delete state.ticks[thing.key];
    save();
    drawTicks();
    refresh();
  }

  function setSeverity(level) {
    if (!state || !levelOf(level) || state.severity === level) return;
    state.severity = level;
    lastMinute = -1; // who to page and the templates change now, not at the next minute
    var found = levelOf(level);
    log("severity", level + (found.name ? " " + found.name : ""));
  }

  /* ---- The timeline, as Markdown ------------------------------------------------------ */

  function fenceFor(text) {
    var longest = 2;
    (text.match(/`+/g) || []).forEach(function (run) { longest = Math.max(longest, run.length); });
    return new Array(longest + 2).join("`");
  }

  function entryLines(entry, start) {
    var at = "- " + when(entry.t, start) + " ";
    if (entry.kind === "tick") return [at + "Done: " + entry.text];
    if (entry.kind === "severity") return [at + "Severity set to " + entry.text];
    if (entry.kind === "update") return [at + "Status update posted"];
    if (entry.kind === "note") return [at + "Note: " + entry.text.replace(/\s*\n\s*/g, " ")];
    var command = commandOf(entry.text);
    var left = command.left.length ? " (secret values left out: " + command.left.join(", ") + ")" : "";
    var fence = fenceFor(command.text);
    var lines = [at + "Copied" + left + ":", "  " + fence + command.language];
    command.text.split("\n").forEach(function (line) { lines.push(line ? "  " + line : ""); });
    lines.push("  " + fence);
    return lines;
  }

  /* A logged command: {text, language, left} kept as JSON text. */
  function commandOf(text) {
    var raw;
    try { raw = JSON.parse(text); } catch (error) { raw = null; }
    if (!raw || !isText(raw.text)) return { text: "", language: "", left: [] };
    var language = isText(raw.language) && /^[A-Za-z0-9_+-]{0,30}$/.test(raw.language) ? raw.language : "";
    return { text: raw.text, language: language, left: listOf(raw.left).filter(isText) };
  }

  function timeline() {
    if (!state) return "";
    var level = levelOf(state.severity);
    var service = data.service ? " (" + data.service + ")" : "";
    var lines = [
      "## Incident " + id + ": " + data.title + service,
      "",
      "- Started: " + day(state.start) + " " + clock(state.start) + " (" + offset(state.start) + ")",
      "- Severity: " + (level ? level.id + (level.name ? " " + level.name : "") : "not set"),
      "- Runbook: " + data.runbook,
      "",
      "### Timeline",
      "",
      "- " + clock(state.start) + " Incident started",
    ];
    entries().forEach(function (entry) {
      lines.push.apply(lines, entryLines(entry, state.start));
    });
    return lines.join("\n") + "\n";
  }

  /* The ticks and the log, by time (a tick before a log entry of the same time). */
  function entries() {
    var all = [];
    things.forEach(function (thing, order) {
      var t = state.ticks[thing.key];
      if (t) all.push({ t: t, kind: "tick", text: thing.label, order: order });
    });
    state.log.forEach(function (entry, order) {
      all.push({ t: entry.t, kind: entry.kind, text: entry.text, order: things.length + order });
    });
    return all.sort(function (a, b) { return a.t - b.t || a.order - b.order; });
  }

  /* ---- Commands copied ---------------------------------------------------------------- */

  function watchCopies() {
    document.addEventListener("click", function (event) {
      if (!state || !window.RunbookPage) return;
      // Material's copy button (data-clipboard-target: .md-code__button, or .md-clipboard).
      var button = event.target.closest ? event.target.closest("[data-clipboard-target]") : null;
      var pre = button ? button.closest("pre") : null;
      var code = pre ? pre.querySelector("code") : null;
      if (!code || !content.contains(code)) return;
      var copied = window.RunbookPage.commandText(code, data.secrets);
      if (copied) log("command", JSON.stringify(copied));
    }, true);
  }

  window.RunbookIncident = { timeline: timeline };

  /* ---- Drawing -------------------------------------------------------------------- */

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function button(text, className, onClick) {
    var b = el("button", "md-button " + (className || ""), text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function build() {
    var bar = el("div", "rb-incident rb-incident-bar");
    bar.setAttribute("role", "region");
    bar.setAttribute("aria-label", "Incident");
    var body = el("details", "rb-incident rb-incident-body");
    body.open = true;
    var summary = el("summary", "", "Severity, who to page, phases, notes");
    body.appendChild(summary);
    var severity = el("select", "rb-severity-choice");
    severity.setAttribute("aria-label", "Severity");
    severity.appendChild(new Option("Severity: choose…", ""));
    data.levels.forEach(function (l) {
      severity.appendChild(new Option(l.id + (l.name ? " " + l.name : ""), l.id));
    });
    severity.addEventListener("change", function () { setSeverity(severity.value); });
    var row = el("p", "rb-incident-row");
    row.append(
      severity,
      button("Copy timeline", "md-button--primary rb-copy-timeline", copyTimeline),
      button("End incident", "rb-end", end)
    );
    var pageNow = el("div", "rb-page-now");
    var phases = el("ul", "rb-phase-clocks");
    var note = el("input", "rb-note");
    note.type = "text";
    note.placeholder = "Note for the timeline (what you saw, what you decided)";
    note.setAttribute("aria-label", "Note for the timeline");
    note.maxLength = 2000;
    var addNote = function () {
      if (note.value.trim()) log("note", note.value.trim());
      note.value = "";
    };
    note.addEventListener("keydown", function (e) { if (e.key === "Enter") addNote(); });
    var notes = el("p", "rb-notes");
    notes.append(note, button("Add note", "rb-add-note", addNote));
    var shown = el("details", "rb-timeline-box");
    var shownTitle = el("summary", "", "Timeline");
    var text = el("pre", "rb-timeline");
    shown.append(shownTitle, text);
    var budgets = data.phases.some(function (p) { return isSeconds(p.budget); });
    var budgetsTitle = el("p", "", budgets ? "Time budgets, counted from the start:" : "");
    body.append(row, pageNow, budgetsTitle, phases, notes, shown);
    var status = el("p", "rb-incident rb-incident-status");
    status.setAttribute("role", "status");
    // The bar is the article's own child, so that it can stay in view down the whole page;
    // under "If you see" (what an engineer from an alert reads first), over the variables.
    var after = content.querySelector(".rb-goto") || content.querySelector(".rb-meta");
    var parent = after ? after.parentNode : content.querySelector("article") || content;
    var next = after ? after.nextSibling : parent.firstChild;
    [bar, body, status].forEach(function (part) { parent.insertBefore(part, next); });
    return {
      bar: bar, body: body, summary: summary, severity: severity, pageNow: pageNow, phases: phases,
      timeline: text, timelineTitle: shownTitle, status: status,
    };
  }

  function drawBar() {
    var bar = ui.bar;
    bar.textContent = "";
    if (!state) {
      var wanted = urlIncident();
      bar.append(
        button(wanted ? "Start incident " + wanted : "Start incident", "md-button--primary rb-start", start),
        el("span", "rb-incident-hint", "Tick steps, time the phases, copy a timeline: kept in this browser only.")
      );
      return;
    }
    // What stays in view: the time since the start, the phase due next, the next update.
    var since = el("span", "rb-clock");
    since.title = "Time since the start of incident " + id;
    var next = el("span", "rb-next-phase");
    var update = el("span", "rb-update");
    bar.append(since, next, update);
    ui.clock = since;
    ui.update = update;
    ui.next = next;
    ui.summary.textContent = "Incident " + id + ": severity, who to page, phases, notes, timeline";
  }

  function copyTimeline() {
    window.RunbookFill.copyText(timeline(), function (ok) {
      ui.status.textContent = ok ? "Timeline copied." : "Could not copy: select the timeline below.";
      if (!ok) ui.body.open = ui.timeline.parentNode.open = true;
    });
  }

  function show() {
    document.body.classList.toggle("rb-incident-on", !!state);
    ui.body.hidden = !state;
    ui.status.textContent = state && !saved ? "This browser keeps nothing: the state is lost on reload." : "";
    drawBar();
    drawTicks();
    if (state) {
      ui.severity.value = state.severity;
      if (!timer) timer = window.setInterval(refresh, 1000);
    } else if (timer) {
      window.clearInterval(timer);
      timer = null;
    }
    lastMinute = -1;
    refresh();
  }

  /* Boxes on steps and phases, the checklists' boxes enabled, times beside what is ticked;
     with no incident, the page as it was. */
  function drawTicks() {
    things.forEach(function (thing) {
      var box = tickBox(thing);
      var time = thing.element.querySelector(":scope > .rb-tick-time");
      if (!state) {
        if (thing.kind === "check") {
          box.checked = box.dataset.rbWas === "1";
          box.disabled = true;
        } else if (box) {
          box.remove();
        }
        if (time) time.remove();
        return;
      }
      box = box || addBox(thing);
      var t = state.ticks[thing.key];
      box.disabled = false;
      box.checked = !!t;
      thing.element.classList.toggle("rb-ticked", !!t);
      if (!t && time) time.remove();
      if (t) {
        if (!time) {
          time = el("span", "rb-tick-time");
          thing.element.insertBefore(time, thing.kind === "check" ? box.parentNode.nextSibling : null);
        }
        time.textContent = hhmm(t);
      }
    });
    if (!state) things.forEach(function (t) { t.element.classList.remove("rb-ticked"); });
  }

  function tickBox(thing) {
    if (thing.kind === "check") {
      var box = thing.element.querySelector(":scope > label > input[type=checkbox], :scope > input[type=checkbox]");
      if (box && box.dataset.rbWas === undefined) {
        box.dataset.rbWas = box.checked ? "1" : "0";
        box.addEventListener("change", function () { tick(thing, box.checked); });
      }
      return box;
    }
    return thing.element.querySelector(":scope > input.rb-tick");
  }

  function addBox(thing) {
    var box = el("input", "rb-tick");
    box.type = "checkbox";
    box.setAttribute("aria-label", "Done: " + thing.label);
    box.addEventListener("change", function () { tick(thing, box.checked); });
    thing.element.insertBefore(box, thing.element.firstChild);
    return box;
  }

  /* ---- What changes with the clock ---------------------------------------------------- */

  function refresh() {
    if (!state) {
      if (window.RunbookPage) window.RunbookPage.setIncident({});
      drawPhaseBadges(0);
      return;
    }
    var now = Date.now();
    ui.clock.textContent = span((now - state.start) / 1000);
    var overdue = drawPhases(now);
    ui.next.textContent = overdue;
    ui.next.classList.toggle("rb-late", /overdue/.test(overdue));
    drawUpdate(now);
    var minute = Math.floor(now / 60000);
    if (minute !== lastMinute) {
      lastMinute = minute;
      drawPageNow(now);
      fillTemplates(now);
    }
    ui.timeline.textContent = timeline();
    var count = entries().length + 1; // and its start
    ui.timelineTitle.textContent = "Timeline (" + count + (count === 1 ? " entry)" : " entries)");
  }

  /* The phases with a budget: each counts down from the start, until it is ticked. Returns
     what the bar says: the first overdue phase, else the next one due. */
  function drawPhases(now) {
    var list = ui.phases;
    list.textContent = "";
    var said = "";
    data.phases.forEach(function (phase) {
      if (!isSeconds(phase.budget)) return;
      var done = state.ticks["p:" + phase.id];
      var left = (state.start + phase.budget * 1000 - (done || now)) / 1000;
      var now_ = done ? "done at " + hhmm(done) : left >= 0 ? span(left) + " left" : "overdue by " + span(-left);
      var item = el("li", "rb-phase-clock" + (!done && left < 0 ? " rb-late" : done ? " rb-done" : ""),
        phase.title + " (" + phase.budget_text + "): " + now_);
      item.dataset.phase = phase.id;
      list.appendChild(item);
      if (!done && (!said || (left < 0 && !/overdue/.test(said)))) said = phase.title + ": " + now_;
    });
    drawPhaseBadges(now);
    return said;
  }

  function drawPhaseBadges(now) {
    data.phases.forEach(function (phase) {
      var heading = document.getElementById(phase.id);
      if (!heading || !isSeconds(phase.budget)) return;
      var badge = heading.querySelector(":scope > .rb-phase-badge");
      var done = state && state.ticks["p:" + phase.id];
      if (!state || done) {
        if (badge) badge.remove();
        return;
      }
      if (!badge) {
        badge = el("span", "rb-phase-badge");
        var link = heading.querySelector(":scope > .headerlink");
        heading.insertBefore(badge, link);
      }
      var left = (state.start + phase.budget * 1000 - now) / 1000;
      badge.textContent = left >= 0 ? span(left) + " left" : "overdue by " + span(-left);
      badge.classList.toggle("rb-late", left < 0);
    });
  }

  function drawUpdate(now) {
    var level = levelOf(state.severity);
    var update = ui.update;
    update.classList.remove("rb-late");
    if (!level) {
      update.textContent = "Choose a severity";
      return;
    }
    if (!isSeconds(level.cadence)) {
      update.textContent = level.cadence_text ? "Updates: " + level.cadence_text : "";
      return;
    }
    var last = state.start;
    state.log.forEach(function (e) { if (e.kind === "update") last = Math.max(last, e.t); });
    var due = last + level.cadence * 1000;
    update.textContent = (due >= now ? "Next status update due " : "Status update overdue since ") + hhmm(due);
    update.classList.toggle("rb-late", due < now);
    var posted = button("Posted", "rb-update-posted", function () { log("update", ""); });
    posted.title = "A status update was posted now: the next one is due a cadence from now";
    update.appendChild(posted);
  }

  /* Who to page now and when to escalate, for the chosen severity. */
  function drawPageNow(now) {
    var box = ui.pageNow;
    box.textContent = "";
    var level = levelOf(state.severity);
    if (!level) return;
    var said = [level.escalation, level.response ? "respond: " + level.response : ""].filter(Boolean);
    var head = el("p", "");
    head.append(el("strong", "", level.id + ": "), said.join("; "));
    box.appendChild(head);
    var paged = listOf(level.page).filter(function (i) { return data.contacts[i]; });
    if (paged.length) box.appendChild(contactList("Page now:", paged));
    var steps = data.escalation;
    if (steps.length && paged.length) { // a level that pages nobody escalates to nobody
      var list = el("ul", "rb-escalate");
      steps.forEach(function (step) {
        var at = isSeconds(step.after) ? "at " + hhmm(state.start + step.after * 1000) + " (" + step.after_text + ")" : step.after_text;
        var who = data.contacts[step.contact] ? " (" + data.contacts[step.contact].role + ")" : "";
        var late = isSeconds(step.after) && state.start + step.after * 1000 < now;
        var item = el("li", late ? "rb-late" : "", [at, step.condition].filter(Boolean).join(", if ") + ": " + step.action + who);
        list.appendChild(item);
      });
      var title = el("p", "", "Escalate:");
      box.append(title, list);
    } else if (paged.length) {
      var rest = data.contacts.map(function (c, i) { return i; }).filter(function (i) {
        return paged.indexOf(i) < 0 && !/^(communication|external)$/.test(data.contacts[i].tier || "");
      });
      if (rest.length) box.appendChild(contactList("If there is no progress:", rest));
    }
  }

  function contactList(title, indexes) {
    var p = el("p", "rb-contacts");
    p.appendChild(el("strong", "", title + " "));
    indexes.forEach(function (i, n) {
      var c = data.contacts[i];
      var reach = listOf(c.reach).filter(function (r) { return Array.isArray(r) && isText(r[0]) && isText(r[1]); })
        .map(function (r) { return r[0] + " " + r[1]; }).join(", ");
      p.append((n ? "; " : "") + c.role + (reach ? " (" + reach + ")" : ""));
    });
    return p;
  }

  function fillTemplates(now) {
    if (!window.RunbookPage) return;
    var level = levelOf(state.severity);
    var elapsed = words((now - state.start) / 1000);
    window.RunbookPage.setIncident({
      incident: id,
      severity: level ? level.id : "",
      date: day(state.start),
      "start time": day(state.start) + " " + hhmm(state.start),
      timestamp: hhmm(now),
      "end time": hhmm(now),
      duration: elapsed,
      "total duration": elapsed,
    });
  }

  resume();
  ui = build();
  watchCopies();
  show();
})();
