/* runbookgen search worker: answers Material for MkDocs' search box from the index the build
 * wrote (generator/search_index.py), so nothing is indexed in the browser and the first result
 * comes as soon as the index is loaded.
 *
 * It speaks the protocol of Material's own worker (SETUP → READY, QUERY → RESULT): Material
 * posts the contents of search/search_index.json, whose `config.runbookgen` holds the index.
 *
 * A query is cut into words as the index was (the site's separator, lower case, no stop
 * words); each word matches the indexed words it begins (an exact match counts more). An entry
 * must hold every word, unless no entry holds them all: then entries holding some are shown,
 * with the missing words struck through. Score: for each query word, the best of its matches,
 * rarer words counting more, a match in a title or keywords ten times one in the text.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var TEXT = 1, TITLE = 2, KEYWORDS = 4;
var STOP = new Set();  // from the index: the words it left out

var index = null;
var separator = /[\s\-]+/;
var suggest = false;
var articles = new Map();  // page number → number of the page's own entry

function setup(data) {
  index = data.config.runbookgen;
  separator = new RegExp(data.config.separator || "[\\s\\-]+");
  suggest = !!(data.options && data.options.suggest);
  STOP = new Set(index.stop_words || []);
  articles = new Map();
  index.docs.forEach(function (doc, n) {
    if (!doc[1] && !articles.has(doc[0])) articles.set(doc[0], n);
  });
}

function words(query) {
  var seen = new Set();
  query.split(separator).forEach(function (word) {
    word = word.replace(/^[+\-~^*:]+|[~^*]+$/g, "").toLowerCase();  // lunr-style operators
    if (word) seen.add(word);
  });
  return Array.from(seen).filter(function (word) { return !STOP.has(word); });
}

/* The first term of the sorted list that is not before `word`. */
function lowerBound(terms, word) {
  var lo = 0, hi = terms.length;
  while (lo < hi) {
    var mid = (lo + hi) >> 1;
    if (terms[mid] < word) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function weight(fields) {
  return (fields & (TITLE | KEYWORDS)) ? 10 : 1;
}

/* entry number → best score of one query word in it */
function matches(word) {
  var terms = index.terms, total = index.docs.length, best = new Map();
  for (var i = lowerBound(terms, word); i < terms.length && terms[i].startsWith(word); i++) {
    var list = index.postings[i];
    var idf = Math.log(1 + total / list.length);
    var exact = terms[i] === word ? 1 : 0.5;
    var number = 0;
    for (var j = 0; j < list.length; j++) {
      number += list[j] >> 3;
      var score = idf * exact * weight(list[j] & 7);
      if (!(best.get(number) >= score)) best.set(number, score);
    }
  }
  return best;
}

function item(number, score, terms) {
  var doc = index.docs[number];
  var page = index.pages[doc[0]];
  return {
    location: doc[1] ? page + "#" + doc[1] : page,
    title: doc[2],
    text: doc[3],
    score: score,
    terms: terms
  };
}

function search(query) {
  var wanted = words(query);
  if (!wanted.length || !index) return { items: [] };
  var perWord = wanted.map(matches);
  var scores = new Map(), found = new Map();
  perWord.forEach(function (best, w) {
    best.forEach(function (score, number) {
      scores.set(number, (scores.get(number) || 0) + score);
      (found.get(number) || found.set(number, new Set()).get(number)).add(w);
    });
  });
  var numbers = Array.from(scores.keys());
  var complete = numbers.filter(function (n) { return found.get(n).size === wanted.length; });
  if (complete.length) numbers = complete;
  numbers.sort(function (a, b) { return scores.get(b) - scores.get(a) || a - b; });

  var groups = new Map();
  numbers.forEach(function (n) {
    var terms = {};
    wanted.forEach(function (word, w) { terms[word] = found.get(n).has(w); });
    var page = index.docs[n][0];
    if (!groups.has(page)) groups.set(page, []);
    groups.get(page).push(item(n, scores.get(n), terms));
  });
  /* Every group holds its page's own entry (Material renders it as the group's heading). */
  groups.forEach(function (items, page) {
    if (!items.some(function (it) { return it.location.indexOf("#") < 0; })) {
      if (articles.has(page)) items.push(item(articles.get(page), 0, {}));
    }
  });
  var result = { items: Array.from(groups.values()) };
  if (suggest) result.suggest = [];
  return result;
}

addEventListener("message", function (ev) {
  var message = ev.data;
  if (message.type === SETUP) {
    setup(message.data);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    var data;
    try {
      data = search(message.data);
    } catch (err) {
      console.warn("search failed for " + JSON.stringify(message.data), err);
      data = { items: [] };
    }
    postMessage({ type: RESULT, data: data });
  }
});
