/* runbookgen: how a fill-in value may enter a command. The one place of this rule.
 *
 * A value fills a placeholder only as one argument that means what it says:
 * - `check`: a value is refused when it is longer than MAX_LENGTH, holds a control character, a
 *   line break of any kind or a bidirectional control, is not one of the variable's `values`,
 *   or does not match its pattern as a whole (the page gives the schema's safe default to a
 *   variable that declares none: no shell metacharacters, no whitespace, no leading '-').
 * - `fill`: in a shell command (bash, sh, console, shell, zsh, or no language) a value is
 *   written as it is where the shell reads it literally, and single-quoted ('...' with '\'')
 *   otherwise, by where it stands: outside quotes, inside '...' or "...", in a here-document,
 *   in a comment. Where no quoting can make it one literal word (inside `...` or $'...') a
 *   value that needs quoting is refused. In any other language a value is written as it is,
 *   and refused if it holds a quote, a backtick or a backslash (code) ; in text and Markdown
 *   (messages to send) it is written as it is.
 * - A command with a refused value is shown and copied unfilled, never half-filled.
 *
 * No DOM here: the page (runbooks.js) and the tests (node, Chromium) use the same functions.
 */
(function (root) {
  "use strict";

  var MAX_LENGTH = 1000;
  var SHELL = ["bash", "sh", "console", "shell", "zsh", ""];
  var PROSE = ["text", "markdown", "md", "plaintext"];
  // C0 and C1 controls, DEL, line and paragraph separators, bidirectional controls, BOM.
  var FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
  // What a shell reads as itself outside quotes, anywhere in a word (and '=' not first: zsh
  // expands =word).
  var INERT = /^(?:[A-Za-z0-9_.:\/@+,%-][A-Za-z0-9_.:\/@+,%=-]*)?$/;
  var SPECIAL_IN_DOUBLE = /[$`"\\!]/;
  var SPECIAL_IN_CODE = /['"`\\]/;

  function describe(ch) {
    var code = ch.codePointAt(0).toString(16).toUpperCase();
    while (code.length < 4) code = "0" + code;
    if (ch === "\n" || ch === "\r" || ch === "\u0085" || ch === "\u2028" || ch === "\u2029") {
      return "a line break (U+" + code + ")";
    }
    return "an invisible control character (U+" + code + ")";
  }

  function compile(pattern) {
    try {
      return new RegExp("^(?:" + pattern + ")$", "u");
    } catch (error) {
      return null;
    }
  }

  /* Why *value* may not fill the variable *spec* ({name, pattern, values}); "" if it may. An
     empty value fills nothing and is never refused. */
  function check(spec, value) {
    if (value === "") return "";
    if (value.length > MAX_LENGTH) return "it is longer than " + MAX_LENGTH + " characters";
    var bad = value.match(FORBIDDEN);
    if (bad) return "it holds " + describe(bad[0]);
    if (spec.values && spec.values.length) {
      if (spec.values.indexOf(value) < 0) return "it must be one of: " + spec.values.join(", ");
      return "";
    }
    if (spec.pattern) {
      var regexp = compile(spec.pattern);
      if (!regexp) return "the runbook's pattern for it is not a valid regular expression";
      if (!regexp.test(value)) return "it must match " + spec.pattern;
    }
    return "";
  }

  function kindOf(language) {
    var lang = (language || "").toLowerCase();
    if (SHELL.indexOf(lang) >= 0) return "shell";
    if (PROSE.indexOf(lang) >= 0) return "prose";
    return "code";
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /* One regular expression for every spelling of the variables *names*: <name>, {{name}} (or
     {{ name }}), and for names a shell variable could have, ${NAME} and $NAME. */
  function placeholderRegExp(names) {
    var spellings = [];
    names.forEach(function (name) {
      var n = escapeRegExp(name);
      spellings.push("<" + n + ">", "\\{\\{ ?" + n + " ?\\}\\}");
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        spellings.push("\\$\\{" + n + "\\}", "\\$" + n + "(?![A-Za-z0-9_])");
      }
    });
    spellings.sort(function (a, b) { return b.length - a.length; });
    return spellings.length ? new RegExp(spellings.join("|"), "g") : null;
  }

  function nameOf(placeholder) {
    return placeholder.replace(/^<(.*)>$/, "$1").replace(/^\{\{ ?(.*?) ?\}\}$/, "$1")
      .replace(/^\$\{(.*)\}$/, "$1").replace(/^\$/, "");
  }

  /* Placeholders of *text*, in order: {start, end, raw, name}. */
  function placeholders(text, regexp) {
    if (!regexp) return [];
    return Array.from(text.matchAll(regexp)).map(function (m) {
      return { start: m.index, end: m.index + m[0].length, raw: m[0], name: nameOf(m[0]) };
    });
  }

  /* ---- Where a shell reads each character ------------------------------------------------ */

  /* The text a shell runs of a console block: prompts ('$ ') blanked, output lines as NULs
     (offsets hold; `fill` writes a value as it is there). Other blocks: the text itself. */
  function shellText(text, language) {
    if ((language || "").toLowerCase() !== "console") return text;
    var lines = text.split("\n");
    if (!lines.some(function (l) { return /^\$ /.test(l); })) return text;
    var continued = false;
    return lines.map(function (line) {
      var out;
      if (/^\$ /.test(line)) out = "  " + line.slice(2);
      else if (continued) out = line;
      else out = line.replace(/[^\n]/g, "\u0000");
      continued = /\\$/.test(line) && (/^\$ /.test(line) || continued);
      return out;
    }).join("\n");
  }

  function isBlank(ch) {
    return ch === undefined || /[\s;&|()<>]/.test(ch);
  }

  /* The context of every offset of a shell *text*: "plain" (outside quotes), "single",
     "double", "comment", "heredoc" (unquoted delimiter), "literal" (quoted here-document),
     "ansi" ($'...') or "backtick". */
  function shellContexts(text) {
    var n = text.length;
    var ctx = new Array(n + 1);
    var stack = ["plain"]; // "plain", "cmd" (inside $(...)), "single", "double", "ansi", "backtick"
    var depth = [0]; // open parentheses of each "cmd" frame
    var pending = []; // here-documents to read after this line: {delim, strip, quoted}
    var i = 0;
    function top() { return stack[stack.length - 1]; }
    function mark(from, to, what) { for (var k = from; k < to; k++) ctx[k] = what; }
    while (i < n) {
      var state = top();
      var c = text[i];
      ctx[i] = state === "cmd" ? "plain" : state;
      if (state === "single") {
        if (c === "'") stack.pop();
        i++;
      } else if (state === "ansi") {
        if (c === "\\") { mark(i, i + 2, "ansi"); i += 2; continue; }
        if (c === "'") stack.pop();
        i++;
      } else if (state === "backtick") {
        if (c === "\\") { mark(i, i + 2, "backtick"); i += 2; continue; }
        if (c === "`") stack.pop();
        i++;
      } else if (state === "double") {
        if (c === "\\") { mark(i, i + 2, "double"); i += 2; continue; }
        if (c === '"') stack.pop();
        else if (c === "`") stack.push("backtick");
        else if (c === "$" && text[i + 1] === "(") { stack.push("cmd"); depth.push(0); mark(i, i + 2, "double"); i += 2; continue; }
        i++;
      } else {
        // plain or cmd
        if (c === "\\") { mark(i, i + 2, "plain"); i += 2; continue; }
        if (c === "'") { stack.push("single"); i++; continue; }
        if (c === '"') { stack.push("double"); i++; continue; }
        if (c === "`") { stack.push("backtick"); i++; continue; }
        if (c === "$" && text[i + 1] === "'") { stack.push("ansi"); mark(i, i + 2, "ansi"); i += 2; continue; }
        if (c === "$" && text[i + 1] === "(") { stack.push("cmd"); depth.push(0); mark(i, i + 2, "plain"); i += 2; continue; }
        if (state === "cmd" && c === "(") { depth[depth.length - 1]++; i++; continue; }
        if (state === "cmd" && c === ")") {
          if (depth[depth.length - 1] === 0) { stack.pop(); depth.pop(); } else depth[depth.length - 1]--;
          i++;
          continue;
        }
        if (c === "#" && isBlank(text[i - 1])) {
          var end = text.indexOf("\n", i);
          if (end < 0) end = n;
          mark(i, end, "comment");
          i = end;
          continue;
        }
        if (c === "<" && text[i + 1] === "<" && text[i + 2] !== "<" && text[i - 1] !== "<") {
          var doc = /^<<(-?)[ \t]*((?:[^\s;&|()<>'"\\]|'[^']*'|"[^"]*"|\\.)+)/.exec(text.slice(i));
          if (doc) {
            var word = doc[2];
            pending.push({
              delim: word.replace(/['"\\]/g, ""),
              strip: doc[1] === "-",
              quoted: /['"\\]/.test(word),
            });
            mark(i, i + doc[0].length, "plain");
            i += doc[0].length;
            continue;
          }
        }
        if (c === "\n" && pending.length) {
          i = readHeredocs(text, i + 1, pending, mark);
          ctx[i] = top() === "cmd" ? "plain" : top();
          pending = [];
          continue;
        }
        i++;
      }
    }
    ctx[n] = top() === "cmd" ? "plain" : top();
    return ctx;
  }

  /* Mark the bodies of the *pending* here-documents, which start at *from*; where the text
     goes on after them. */
  function readHeredocs(text, from, pending, mark) {
    var i = from;
    pending.forEach(function (doc) {
      while (i < text.length) {
        var end = text.indexOf("\n", i);
        if (end < 0) end = text.length;
        var line = text.slice(i, end);
        var bare = doc.strip ? line.replace(/^\t+/, "") : line;
        if (bare === doc.delim) {
          mark(i, end, "plain");
          i = end + 1;
          return;
        }
        mark(i, end + 1, doc.quoted ? "literal" : "heredoc");
        i = end + 1;
      }
    });
    return Math.min(i, text.length);
  }

  /* ---- Writing a value --------------------------------------------------------------------- */

  /* *value* single-quoted for a POSIX shell: one word, read literally. */
  function shellQuote(value) {
    return "'" + value.replace(/'/g, "'\\''") + "'";
  }

  /* How *value* is written at a place of context *context* of a shell command, or null where
     it cannot be written as one literal word. */
  function inShell(value, context) {
    switch (context) {
      case "plain":
        return INERT.test(value) && value.charAt(0) !== "-" ? value : shellQuote(value);
      case "double":
        return SPECIAL_IN_DOUBLE.test(value) ? '"' + shellQuote(value) + '"' : value;
      case "single":
        return value.replace(/'/g, "'\\''");
      case "heredoc":
        return value.replace(/[\\$`]/g, "\\$&");
      case "comment":
      case "literal":
        return value;
      default: // ansi, backtick
        return INERT.test(value) ? value : null;
    }
  }

  /* How *value* is written in a command of kind *kind* at *context*; null: it cannot be. */
  function render(value, kind, context) {
    if (kind === "shell") return inShell(value, context);
    if (kind === "code") return SPECIAL_IN_CODE.test(value) ? null : value;
    return value;
  }

  /* *text* (a command in *language*) with its placeholders filled.
     *lookup(name)* gives {value, reason}: value "" for none, reason "" unless refused.
     Returns {text, pieces, refused}: *pieces* what each placeholder shows (in order), *refused*
     the names whose value could not fill it (then text and pieces are the unfilled ones). */
  function fill(text, language, regexp, lookup) {
    var found = placeholders(text, regexp);
    var kind = kindOf(language);
    var shell = kind === "shell" ? shellText(text, language) : "";
    var contexts = kind === "shell" ? shellContexts(shell) : null;
    var refused = [];
    var pieces = found.map(function (p) {
      var got = lookup(p.name) || { value: "", reason: "" };
      if (got.reason) {
        refused.push({ name: p.name, reason: got.reason });
        return p.raw;
      }
      if (!got.value) return p.raw;
      var context = !contexts ? "" : shell[p.start] === "\u0000" ? "literal" : contexts[p.start];
      var written = render(got.value, kind, context);
      if (written === null) {
        refused.push({ name: p.name, reason: "it cannot be written safely at this place of the command" });
        return p.raw;
      }
      return written;
    });
    if (refused.length) pieces = found.map(function (p) { return p.raw; });
    var out = "";
    var last = 0;
    found.forEach(function (p, k) {
      out += text.slice(last, p.start) + pieces[k];
      last = p.end;
    });
    out += text.slice(last);
    return { text: out, pieces: pieces, refused: refused };
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

  /* Put *text* on the clipboard, then done(true) or done(false) (the reader then selects it
     and copies by hand): the Clipboard API, else a selected textarea (an older browser, or a
     page from disk where the API is refused). For incident mode's timeline and the go-bag's
     copy buttons; the site's command blocks copy through Material's button. */
  function copyText(text, done) {
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
      area.remove();
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  var api = {
    MAX_LENGTH: MAX_LENGTH,
    check: check,
    kindOf: kindOf,
    placeholderRegExp: placeholderRegExp,
    placeholders: placeholders,
    shellText: shellText,
    shellContexts: shellContexts,
    shellQuote: shellQuote,
    render: render,
    fill: fill,
    commandOnly: commandOnly,
    copyText: copyText,
  };
  root.RunbookFill = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : this);
