// Answers calls to generator/assets/fill.js, one JSON line in, one out: the tests' way in.
"use strict";
const path = require("path");
const readline = require("readline");
const Fill = require(path.resolve(__dirname, "../../generator/assets/fill.js"));

function call(request) {
  const { fn, args } = request;
  if (fn === "fill") {
    // fill(text, language, names, values{name: value}, reasons{name: reason})
    const [text, language, names, values, reasons] = args;
    const regexp = Fill.placeholderRegExp(names);
    return Fill.fill(text, language, regexp, (name) =>
      name in values || name in reasons ? { value: values[name] || "", reason: reasons[name] || "" } : null);
  }
  if (fn === "contexts") {
    const [text, language] = args;
    return Fill.shellContexts(Fill.shellText(text, language));
  }
  return Fill[fn](...args);
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  let answer;
  try {
    answer = { ok: call(JSON.parse(line)) };
  } catch (error) {
    answer = { error: String(error) };
  }
  process.stdout.write(JSON.stringify(answer === undefined ? null : answer) + "\n");
});
