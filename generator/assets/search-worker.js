/* runbookgen search worker: answers Material for MkDocs' search box from the index the build
 * wrote (generator/search/index.py), so nothing is indexed in the browser and the first result
 * comes as soon as the index is loaded.
 *
 * It speaks the protocol of Material's own worker (SETUP → READY, QUERY → RESULT): Material
 * posts the contents of search/search_index.json, whose `config.runbookgen` holds the index.
 *
 * A query is cut into words as the index was (the site's separator, lower case); a phrase of
 * the index's rules becomes one word ("roll back" → rollback), then stop words go. Each word
 * matches, best first: the same indexed word; a word of the same stem ("restarting" finds
 * "restart"); a word of its synonym group or a phrase of its key ("db" finds "database", "oom"
 * finds "out of memory"); the words it begins, if it is the word being typed (the last, with no
 * space after it) or nothing else matched ("backend" is not "back" once "back" is typed); and,
 * for a longer word that matched nothing, words one typo away ("restrat"). The rules that give
 * a word its stem and key are the index's (`analysis`, generator/search/analysis.py), applied
 * here as there. An entry must hold every word, unless no entry holds them all: then entries
 * holding some are shown, with the missing words struck through. Score: for each query word,
 * the best of its matches, rarer words counting more, a match in a title fifteen times one in
 * the text, in keywords ten times.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var TEXT = 1, TITLE = 2, KEYWORDS = 4;
var STOP = new Set();  // from the index: the words it left out

var EXACT = 1, SAME_STEM = 0.8, SYNONYM = 0.6, PREFIX = 0.4, TYPO = 0.3;
var TYPO_MIN = 5;  // letters of a word that may be a typo: shorter ones are too often words
/* Entries answered at most: no one reads further, and at 3,000 runbooks a common word holds
 * thousands, which took 100 ms to list and send. */
var MAX_RESULTS = 300;
var STEMMED = /^[a-z]{4,}$/, VOWEL = /[aeiouy]/;

var index = null;
var separator = /[\s\-]+/;
var suggest = false;
var articles = new Map();  // page number → number of the page's own entry
var rules = null;  // the index's `analysis`, its mappings as Maps
var groups = new Map();  // key → numbers of the terms of that key

function setup(data) {
  index = data.config.runbookgen;
  separator = new RegExp(data.config.separator || "[\\s\\-]+");
  suggest = !!(data.options && data.options.suggest);
  STOP = new Set(index.stop_words || []);
  articles = new Map();
  index.docs.forEach(function (doc, n) {
    if (!doc[1] && !articles.has(doc[0])) articles.set(doc[0], n);
  });
  rules = readRules(index.analysis);
  groups = new Map();
  if (rules) index.terms.forEach(function (term, t) {
    if (term.startsWith(rules.derived)) return;
    var k = key(term);
    (groups.get(k) || groups.set(k, []).get(k)).push(t);
  });
}

function readRules(analysis) {
  if (!analysis) return null;  // an index of version 1: words match as written
  return {
    inflections: analysis.inflections,
    derivations: analysis.derivations,
    irregular: new Map(Object.entries(analysis.irregular)),
    minStem: analysis.min_stem,
    synonyms: new Map(Object.entries(analysis.synonyms)),
    phrases: new Map(Object.entries(analysis.phrases)),
    longestPhrase: analysis.longest_phrase,
    derived: analysis.derived
  };
}

/* generator.search.analysis._strip */
function strip(word, list, least) {
  for (var i = 0; i < list.length; i++) {
    if (!word.endsWith(list[i][0])) continue;
    var rest = word.slice(0, word.length - list[i][0].length);
    return rest.length >= least && VOWEL.test(rest) ? rest + list[i][1] : word;
  }
  return word;
}

/* generator.search.analysis.stem */
function stem(word) {
  if (!STEMMED.test(word)) return word;
  word = strip(word, rules.inflections, rules.minStem);
  if (rules.irregular.has(word)) return rules.irregular.get(word);
  word = strip(word, rules.derivations, rules.minStem + 1);
  if (word.endsWith("e") && word.length > rules.minStem) word = word.slice(0, -1);
  var last = word[word.length - 1];
  if (word.length > rules.minStem && last === word[word.length - 2] && !VOWEL.test(last)) {
    word = word.slice(0, -1);
  }
  return word;
}

/* generator.search.analysis.key */
function key(word) {
  var found = stem(word);
  return rules.synonyms.has(found) ? rules.synonyms.get(found) : found;
}

/* generator.search.analysis.phrase_keys: [start, end, key] of each phrase of `words` */
function phraseKeys(words) {
  var keys = words.map(key), found = [];
  for (var start = 0; start < words.length; start++) {
    for (var end = Math.min(words.length, start + rules.longestPhrase); end > start + 1; end--) {
      var phrase = keys.slice(start, end).join(" ");
      if (rules.phrases.has(phrase)) {
        found.push([start, end, rules.phrases.get(phrase)]);
        start = end - 1;
        break;
      }
    }
  }
  return found;
}

/* The query's words: {word, key} (a phrase's word null), the last one `open` if it is being
 * typed (no space after it). */
function words(query) {
  var raw = [];
  query.split(separator).forEach(function (word) {
    word = word.replace(/^[+\-~^*:]+|[~^*]+$/g, "").toLowerCase();  // lunr-style operators
    if (word) raw.push(word);
  });
  var found = [], seen = new Set(), phrases = rules ? phraseKeys(raw) : [], p = 0;
  for (var i = 0; i < raw.length; i++) {
    var item = null;
    if (p < phrases.length && phrases[p][0] === i) {
      item = { word: null, key: phrases[p][2] };
      i = phrases[p++][1] - 1;
    } else if (!STOP.has(raw[i])) {
      item = { word: raw[i], key: rules ? key(raw[i]) : raw[i] };
    }
    var name = item && (item.word === null ? " " + item.key : item.word);
    if (item && !seen.has(name)) {
      seen.add(name);
      found.push(item);
    }
  }
  if (found.length && !/\s$/.test(query)) found[found.length - 1].open = true;
  return found;
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

function find(term) {
  var i = lowerBound(index.terms, term);
  return index.terms[i] === term ? i : -1;
}

/* A title says what an entry is about; keywords (symptoms, commands) what it mentions. */
function weight(fields) {
  return (fields & TITLE) ? 15 : (fields & KEYWORDS) ? 10 : 1;
}

/* Each entry of the term numbered `t` scores `factor` (times its field's weight) in `best`,
 * if more than it had. */
function add(best, t, factor) {
  var list = index.postings[t];
  var number = 0;
  for (var j = 0; j < list.length; j++) {
    number += list[j] >> 3;
    var score = factor * weight(list[j] & 7);
    if (!(best.get(number) >= score)) best.set(number, score);
  }
}

/* entry number → best score of one query word in it: how well it matches there, times how
 * rare the word is (as all its matches count: "sealing" is no rarer than "sealed"). */
function matches(item) {
  var best = new Map(), word = item.word;
  var exact = word === null ? -1 : find(word);
  if (exact >= 0) add(best, exact, EXACT);
  if (rules) {
    var own = word === null ? item.key : stem(word);
    (groups.get(item.key) || []).forEach(function (t) {
      if (t !== exact) add(best, t, stem(index.terms[t]) === own ? SAME_STEM : SYNONYM);
    });
    var phrase = find(rules.derived + item.key);
    if (phrase >= 0) add(best, phrase, word === null ? SAME_STEM : SYNONYM);
  }
  if (word !== null && (item.open || !best.size)) prefixes(best, word, exact);
  if (word !== null && !best.size && word.length >= TYPO_MIN) typos(best, word);
  var idf = Math.log(1 + index.docs.length / Math.max(best.size, 1));
  best.forEach(function (score, number) { best.set(number, score * idf); });
  return best;
}

function prefixes(best, word, exact) {
  var terms = index.terms;
  for (var t = lowerBound(terms, word); t < terms.length && terms[t].startsWith(word); t++) {
    if (t !== exact) add(best, t, PREFIX);
  }
}

/* Terms one typo (a letter left out, added, changed, or two swapped) away from `word`, of
 * the same first letter, and the terms of their keys. */
function typos(best, word) {
  var terms = index.terms;
  var end = lowerBound(terms, String.fromCharCode(word.charCodeAt(0) + 1));
  for (var t = lowerBound(terms, word[0]); t < end; t++) {
    if (!oneTypo(word, terms[t])) continue;
    add(best, t, TYPO);
    if (rules) (groups.get(key(terms[t])) || []).forEach(function (g) { add(best, g, TYPO); });
  }
}

function oneTypo(a, b) {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  var i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    return a.slice(i + 1) === b.slice(i + 1) ||
      (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
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
  if (!index) return { items: [] };
  var wanted = words(query);
  if (!wanted.length) return { items: [] };
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
  numbers.length = Math.min(numbers.length, MAX_RESULTS);

  var byPage = new Map();
  numbers.forEach(function (n) {
    var terms = {};
    wanted.forEach(function (it, w) { terms[it.word || it.key] = found.get(n).has(w); });
    var page = index.docs[n][0];
    if (!byPage.has(page)) byPage.set(page, []);
    byPage.get(page).push(item(n, scores.get(n), terms));
  });
  /* Every group holds its page's own entry (Material renders it as the group's heading). */
  byPage.forEach(function (items, page) {
    if (!items.some(function (it) { return it.location.indexOf("#") < 0; })) {
      if (articles.has(page)) items.push(item(articles.get(page), 0, {}));
    }
  });
  var result = { items: Array.from(byPage.values()) };
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
