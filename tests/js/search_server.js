// Runs generator/assets/search-worker.js as the browser does (a worker: addEventListener and
// postMessage), on an index file, answering one JSON query a line (or {words: [...]}: how the
// worker reads them): the tests' way in.
//   node search_server.js WORKER INDEX   (INDEX: Material's search_index.json, or its shape)
"use strict";
const fs = require("fs");
const readline = require("readline");
const vm = require("vm");

const [workerPath, indexPath] = process.argv.slice(2);
let listener = null;
let answer = null;
const sandbox = {
  console,
  addEventListener: (type, fn) => { if (type === "message") listener = fn; },
  postMessage: (message) => { answer = message; },
};
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(workerPath, "utf8"), sandbox, { filename: workerPath });

function send(type, data) {
  answer = null;
  listener({ data: { type, data } });
  return answer;
}

send(0, JSON.parse(fs.readFileSync(indexPath, "utf8")));  // SETUP, answered READY

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  let reply;
  try {
    const request = JSON.parse(line);
    if (typeof request === "string") {
      reply = { ok: send(2, request).data };  // QUERY, answered RESULT
    } else {  // {words}: the worker's own stem, key and phrases of them, to compare
      const { stem, key, phraseKeys } = sandbox;
      reply = { ok: { stems: request.words.map(stem), keys: request.words.map(key), phrases: phraseKeys(request.words) } };
    }
  } catch (error) {
    reply = { error: String(error) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
